/**
 * Deterministic mutations of XML documents for differential testing of the XML parser.
 *
 * Each mutation kind targets one well-formedness or namespace rule (or is a valid edit that
 * exercises a normalization path); positions are chosen with a seeded PRNG so that every run
 * produces exactly the same inputs. The located tags come from a rough regex scan: precision
 * does not matter, because the oracle (libxml2) judges whatever text results.
 */

/** mulberry32: a tiny, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, for deriving per-file seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface StartTag {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly nameEnd: number;
  readonly empty: boolean;
  readonly attributes: readonly { readonly start: number; readonly end: number; readonly name: string; readonly valueStart: number; readonly valueEnd: number }[];
}

interface EndTag {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/** Positions in a document that mutations aim at. */
export interface XmlLandmarks {
  readonly text: string;
  readonly startTags: readonly StartTag[];
  readonly endTags: readonly EndTag[];
  /** Offsets just after a non-empty start tag: inside element content. */
  readonly contentPositions: readonly number[];
  /** Offset after the XML declaration (0 when there is none). */
  readonly afterDeclaration: number;
  /** Prefixes declared anywhere with `xmlns:p`. */
  readonly prefixes: readonly string[];
}

const START_TAG = /<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)((?:\s+[^\s=<>\/]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /\s+([^\s=<>\/]+)\s*=\s*("[^"]*"|'[^']*')/g;
const END_TAG = /<\/([^\s>]+)\s*>/g;

/** Scans `text` once for tags, attributes and content positions. */
export function landmarks(text: string): XmlLandmarks {
  const startTags: StartTag[] = [];
  const prefixes = new Set<string>();
  for (const m of text.matchAll(START_TAG)) {
    const start = m.index;
    const name = m[1]!;
    const attrText = m[2] ?? "";
    const attrBase = start + 1 + name.length;
    const attributes: StartTag["attributes"][number][] = [];
    for (const a of attrText.matchAll(ATTRIBUTE)) {
      const aStart = attrBase + a.index;
      const aEnd = aStart + a[0].length;
      const quoted = a[2]!;
      attributes.push({ start: aStart, end: aEnd, name: a[1]!, valueStart: aEnd - quoted.length + 1, valueEnd: aEnd - 1 });
      if (a[1]!.startsWith("xmlns:")) prefixes.add(a[1]!.slice(6));
    }
    startTags.push({ start, end: start + m[0].length, name, nameEnd: start + 1 + name.length, empty: m[3] === "/", attributes });
  }
  const endTags: EndTag[] = [];
  for (const m of text.matchAll(END_TAG)) endTags.push({ start: m.index, end: m.index + m[0].length, name: m[1]! });
  const contentPositions = startTags.filter((t) => !t.empty).map((t) => t.end);
  const decl = /^\uFEFF?<\?xml\s[^>]*\?>/.exec(text);
  return {
    text,
    startTags,
    endTags,
    contentPositions,
    afterDeclaration: decl === null ? 0 : decl[0].length,
    prefixes: [...prefixes].sort(),
  };
}

type Rng = () => number;

function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rng() * items.length)];
}

function insertAt(text: string, at: number, s: string): string {
  return text.slice(0, at) + s + text.slice(at);
}

function replaceRange(text: string, start: number, end: number, s: string): string {
  return text.slice(0, start) + s + text.slice(end);
}

function contentInsert(l: XmlLandmarks, rng: Rng, s: string): string {
  const at = pick(rng, l.contentPositions);
  return at === undefined ? l.text + s : insertAt(l.text, at, s);
}

function tagInsert(l: XmlLandmarks, rng: Rng, s: string): string {
  const tag = pick(rng, l.startTags);
  return tag === undefined ? l.text : insertAt(l.text, tag.nameEnd, s);
}

function attributeOf(l: XmlLandmarks, rng: Rng, filter: (name: string) => boolean = () => true) {
  const all = l.startTags.flatMap((t) => t.attributes.filter((a) => filter(a.name)).map((a) => ({ tag: t, attr: a })));
  return pick(rng, all);
}

/** A mutation: a name and a function from the scanned document to the mutated text. */
export interface MutationKind {
  readonly name: string;
  /** Whether the result is normally still well-formed (informational; the oracle decides). */
  readonly usuallyValid: boolean;
  readonly apply: (l: XmlLandmarks, rng: Rng) => string;
}

export const MUTATION_KINDS: readonly MutationKind[] = [
  { name: "delete-byte", usuallyValid: false, apply: (l, r) => {
    const i = Math.floor(r() * l.text.length);
    return replaceRange(l.text, i, i + 1, "");
  } },
  { name: "duplicate-start-tag", usuallyValid: false, apply: (l, r) => {
    const t = pick(r, l.startTags.filter((t) => !t.empty));
    return t === undefined ? l.text : insertAt(l.text, t.end, l.text.slice(t.start, t.end));
  } },
  { name: "swap-tag-names", usuallyValid: false, apply: (l, r) => {
    const a = pick(r, l.startTags);
    const b = pick(r, l.startTags.filter((t) => t.name !== a?.name));
    if (a === undefined || b === undefined) return l.text;
    const [first, second] = a.start < b.start ? [a, b] : [b, a];
    let text = replaceRange(l.text, second.start + 1, second.nameEnd, first.name);
    text = replaceRange(text, first.start + 1, first.nameEnd, second.name);
    return text;
  } },
  { name: "insert-doctype", usuallyValid: false, apply: (l) => insertAt(l.text, l.afterDeclaration, '<!DOCTYPE x [<!ENTITY a "b">]>') },
  { name: "undeclared-entity", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "&foo;") },
  { name: "undeclared-element-prefix", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "<zzq:el/>") },
  { name: "undeclared-attribute-prefix", usuallyValid: false, apply: (l, r) => tagInsert(l, r, ' zzq:at="1"') },
  { name: "remove-namespace-declaration", usuallyValid: false, apply: (l, r) => {
    const a = attributeOf(l, r, (n) => n.startsWith("xmlns"));
    return a === undefined ? l.text : replaceRange(l.text, a.attr.start, a.attr.end, "");
  } },
  { name: "duplicate-attribute", usuallyValid: false, apply: (l, r) => {
    const a = attributeOf(l, r);
    return a === undefined ? l.text : insertAt(l.text, a.attr.end, l.text.slice(a.attr.start, a.attr.end));
  } },
  { name: "duplicate-expanded-attribute", usuallyValid: false, apply: (l, r) => tagInsert(l, r, ' xmlns:dA="urn:dup" xmlns:dB="urn:dup" dA:x="1" dB:x="2"') },
  { name: "unbalanced-quote", usuallyValid: false, apply: (l, r) => {
    const a = attributeOf(l, r);
    return a === undefined ? l.text : replaceRange(l.text, a.attr.valueEnd, a.attr.valueEnd + 1, "");
  } },
  { name: "control-char", usuallyValid: false, apply: (l, r) => insertAt(l.text, Math.floor(r() * l.text.length), "\u0001") },
  { name: "cdata-end-in-text", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "a]]>b") },
  { name: "double-hyphen-comment", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "<!-- a -- b -->") },
  { name: "text-after-root", usuallyValid: false, apply: (l) => l.text + "\ntrailing text" },
  { name: "second-root", usuallyValid: false, apply: (l) => l.text + "<again/>" },
  { name: "change-end-tag", usuallyValid: false, apply: (l, r) => {
    const t = pick(r, l.endTags);
    return t === undefined ? l.text : insertAt(l.text, t.start + 2 + t.name.length, "X");
  } },
  { name: "delete-end-tag", usuallyValid: false, apply: (l, r) => {
    const t = pick(r, l.endTags);
    return t === undefined ? l.text : replaceRange(l.text, t.start, t.end, "");
  } },
  { name: "truncate", usuallyValid: false, apply: (l, r) => l.text.slice(0, Math.floor(r() * l.text.length)) },
  { name: "invalid-char-ref", usuallyValid: false, apply: (l, r) => contentInsert(l, r, pick(r, ["&#0;", "&#xFFFE;", "&#xD800;", "&#x110000;", "&#;", "&#x;"])!) },
  { name: "bare-ampersand", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "a & b") },
  { name: "lt-in-attribute", usuallyValid: false, apply: (l, r) => {
    const a = attributeOf(l, r);
    return a === undefined ? l.text : insertAt(l.text, a.attr.valueStart, "<");
  } },
  { name: "misplaced-xml-declaration", usuallyValid: false, apply: (l, r) => contentInsert(l, r, '<?xml version="1.0"?>') },
  { name: "reserved-pi-target", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "<?XmL data?>") },
  { name: "empty-prefix-declaration", usuallyValid: false, apply: (l, r) => tagInsert(l, r, ' xmlns:e=""') },
  { name: "rebind-xml-prefix", usuallyValid: false, apply: (l, r) => tagInsert(l, r, pick(r, [' xmlns:xml="urn:other"', ' xmlns:p="http://www.w3.org/XML/1998/namespace"', ' xmlns:xmlns="urn:x"'])!) },
  { name: "multi-colon-name", usuallyValid: false, apply: (l, r) => contentInsert(l, r, '<a:b:c xmlns:a="urn:a"/>') },
  { name: "missing-attribute-whitespace", usuallyValid: false, apply: (l, r) => {
    const a = attributeOf(l, r);
    return a === undefined ? l.text : insertAt(l.text, a.attr.end, 'zz="1"');
  } },
  { name: "fffe-char", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "\uFFFE") },
  { name: "lone-surrogate", usuallyValid: false, apply: (l, r) => contentInsert(l, r, "\uD800x") },
  { name: "insert-cdata", usuallyValid: true, apply: (l, r) => contentInsert(l, r, "<![CDATA[ <x> & ]] \r\n ]]>") },
  { name: "insert-pi", usuallyValid: true, apply: (l, r) => contentInsert(l, r, "<?pi some data?>") },
  { name: "insert-comment", usuallyValid: true, apply: (l, r) => contentInsert(l, r, "<!-- fine - comment -->") },
  { name: "insert-references", usuallyValid: true, apply: (l, r) => contentInsert(l, r, "&#x41;&#233;&#x1F600;&lt;&gt;&amp;&quot;&apos;") },
  { name: "insert-line-ends", usuallyValid: true, apply: (l, r) => {
    const a = attributeOf(l, r);
    const s = pick(r, ["\r\n", "\r", "\t", "\n", " \r\r\n "])!;
    return a !== undefined && r() < 0.5 ? insertAt(l.text, a.attr.valueStart, s + "&#10;" + s) : contentInsert(l, r, s);
  } },
  { name: "insert-non-bmp", usuallyValid: true, apply: (l, r) => contentInsert(l, r, "\u{1F600}\u00e9\u4e2d") },
  { name: "undeclare-default-namespace", usuallyValid: true, apply: (l, r) => tagInsert(l, r, ' xmlns=""') },
  { name: "redeclare-prefix", usuallyValid: true, apply: (l, r) => {
    const p = pick(r, l.prefixes);
    return p === undefined ? tagInsert(l, r, ' xmlns="urn:changed"') : tagInsert(l, r, ` xmlns:${p}="urn:changed"`);
  } },
  { name: "whitespace-in-end-tag", usuallyValid: true, apply: (l, r) => {
    const t = pick(r, l.endTags);
    return t === undefined ? l.text : insertAt(l.text, t.end - 1, " \n\t");
  } },
  { name: "xml-attribute", usuallyValid: true, apply: (l, r) => tagInsert(l, r, ` xml:lang='en' data-x='a"b'`) },
];

/** A mutated document. */
export interface Mutation {
  readonly kind: string;
  readonly text: string;
}

/**
 * `count` mutations of `text`, deterministic in (`text`, `seed`). Kinds rotate from a
 * seed-dependent starting point so that, across a corpus, every kind is used about equally.
 */
export function mutations(text: string, seed: number, count = 20): Mutation[] {
  const l = landmarks(text);
  const rng = mulberry32(seed);
  const first = seed % MUTATION_KINDS.length;
  const out: Mutation[] = [];
  for (let i = 0; i < count; i++) {
    const kind = MUTATION_KINDS[(first + i) % MUTATION_KINDS.length]!;
    out.push({ kind: kind.name, text: kind.apply(l, rng) });
  }
  return out;
}
