/**
 * Descriptor-driven encoding: TypeScript values → XML text, in schema order.
 *
 * Each element declaration is compiled once into a writer closure (cached in a WeakMap), and a
 * complex type's writer resolves its members' writers on first use, so the hot path makes no
 * lookups and builds no strings it does not send. Values are checked on the way out exactly as
 * they are on the way in (required members, occurrences, lexical forms, facets, unknown
 * members), so the runtime never sends what the peer's schema would refuse.
 *
 * Error paths are built only when something fails: each level catches a `CodecError` from
 * below and prefixes its member name.
 *
 * Namespaces: element names never carry prefixes. Each element that changes namespace declares
 * it as the default namespace (`xmlns="..."`), which is what WCF peers write for DataContract
 * payloads and is correct for any reader that resolves names by namespace. `xsi:nil` uses the
 * prefix `i` (as WCF does), and QName values get a `q1` prefix declared on their element.
 */
import {
  ANY_ATTRIBUTES_MEMBER,
  ELEMENT_MEMBER,
  MIXED_TEXT_MEMBER,
  SIMPLE_CONTENT_MEMBER,
  TYPE_MEMBER,
  WILDCARD_MEMBER,
  type AttributeMeta,
  type AttributeWildcardMeta,
  type ComplexTypeMeta,
  type ElementMeta,
  type SimpleTypeMeta,
  type SubstituteMeta,
  type TypeMeta,
} from "../meta.ts";
import { CodecError } from "../errors.ts";
import { XML, XSI } from "../xml/namespaces.ts";
import { escapeAttribute, escapeText } from "../xml/write.ts";
import { applyWhiteSpace, builtinCodecs, describe } from "./builtins.ts";
import { compileFacets, type FacetCheck } from "./facets.ts";
import { compiledFor } from "./compiled.ts";
import { choiceProblem } from "./choices.ts";
import { attributeWildcardCheck, isCodecAttribute, listLengthError, namespaceAllowed, wildcardMatches } from "./decode.ts";
import type { QName } from "./values.ts";
import type { XmlElement } from "../xml/node.ts";

/** The markup of one element as it is written in one place (with or without its `xmlns`), made once. */
interface Tags {
  /** The start tag without its closing `>`. */
  readonly head: string;
  /** `head` + `>`. */
  readonly open: string;
  /** `head` + `/>`. */
  readonly empty: string;
  readonly end: string;
  /** The element written as `xsi:nil`. */
  readonly nil: string;
}

/** Writes one element, value and tags; `ns` is the element's namespace (the default one inside it). */
/** `gaps`: only for an occurrence of a repeated group in mixed content, the parent's text, one piece before each element. */
type ContentWriter = (value: unknown, tags: Tags, ns: string, gaps?: TextGaps) => string;
/** Writes one element given the default namespace in scope where it stands (`gaps`: see {@link ContentWriter}). */
type ElementWriter = (value: unknown, parentNs: string, gaps?: TextGaps) => string;

/**
 * What the writers produce: XML text, or the same text as a byte string (its UTF-8 bytes, one
 * per UTF-16 code unit, as `Buffer.from(s, "latin1")` reads them). The server sends byte
 * strings: their length is the Content-Length, and Node copies them to the socket without
 * flattening, counting or encoding a two-byte string (Romanian text makes every answer one).
 */
interface Output {
  /** Escaped character data. */
  readonly text: (lexical: string) => string;
  /** Escaped attribute value. */
  readonly attribute: (value: string) => string;
  /** Markup or already-escaped text computed once (tag names, namespace declarations). */
  readonly markup: (xml: string) => string;
  // Replaced only by encoderFastPathsForTests.
  elementWriters: WeakMap<ElementMeta, ElementWriter>;
  contentWriters: WeakMap<TypeMeta, ContentWriter>;
}

/** Escapes text, turning a character XML cannot carry into a CodecError. */
function text(lexical: string): string {
  try {
    return escapeText(lexical);
  } catch {
    return fail("invalid", "contains a character that XML 1.0 cannot carry");
  }
}

// Anything but TAB, LF and printable ASCII other than & < >: text that needs escaping, refusing
// or UTF-8 encoding. Most values have none, and cost this one test.
const NOT_PLAIN_TEXT = /[^\t\n\x20-\x25\x27-\x3b\x3d\x3f-\x7e]/;

/** 1 for the characters that text can carry as they are (see NOT_PLAIN_TEXT). */
const PLAIN_CHAR = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) PLAIN_CHAR[c] = 1;
PLAIN_CHAR[0x09] = PLAIN_CHAR[0x0a] = 1;
PLAIN_CHAR[0x26] = PLAIN_CHAR[0x3c] = PLAIN_CHAR[0x3e] = 0;

/** Up to this length a loop tests text faster than the regex (whose call costs as much as several characters of the loop). */
const PLAIN_LOOP_MAX = 48;

/**
 * Where text may first need escaping, refusing or UTF-8 encoding: -1 for nowhere (the case of
 * most values), else an index at or before the first such character. A loop for short values,
 * the regex for longer ones.
 */
function firstNotPlain(s: string): number {
  const n = s.length;
  if (n > PLAIN_LOOP_MAX) return NOT_PLAIN_TEXT.test(s) ? 0 : -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e || PLAIN_CHAR[c] === 0) return i;
  }
  return -1;
}

/** Whether text needs no escaping, refusing or UTF-8 encoding. */
function isPlainText(s: string): boolean {
  return firstNotPlain(s) < 0;
}

/**
 * Character data as a byte string: the UTF-8 bytes of `escapeText(s)` (as {@link utf8ByteString}
 * makes them), refusing what `text` refuses with the same error. One scan: plain text (most
 * values) is returned as it is; from the first other character on, escaping and encoding happen
 * in the same pass, where `escapeText` then `utf8ByteString` would scan twice and build twice.
 */
function byteText(s: string): string {
  let i = firstNotPlain(s);
  if (i < 0) return s;
  const n = s.length;
  let out = "";
  let run = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    let bytes: string;
    if (c < 0x80) {
      if (c >= 0x20 || c === 0x09 || c === 0x0a) {
        if (c === 0x26) bytes = "&amp;";
        else if (c === 0x3c) bytes = "&lt;";
        else if (c === 0x3e) bytes = "&gt;";
        else continue;
      } else if (c === 0x0d) bytes = "&#13;";
      else return fail("invalid", "contains a character that XML 1.0 cannot carry");
    } else if (c < 0x800) bytes = String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return fail("invalid", "contains a character that XML 1.0 cannot carry");
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      bytes = String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
      out += s.slice(run, i) + bytes;
      run = ++i + 1;
      continue;
    } else if (c === 0xfffe || c === 0xffff) return fail("invalid", "contains a character that XML 1.0 cannot carry");
    else bytes = String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    out += s.slice(run, i) + bytes;
    run = i + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

const TEXT: Output = { text, attribute: escapeAttribute, markup: (xml) => xml, elementWriters: new WeakMap(), contentWriters: new WeakMap() };
const BYTES: Output = {
  text: byteText,
  attribute: (value) => utf8ByteString(escapeAttribute(value)),
  markup: utf8ByteString,
  elementWriters: new WeakMap(),
  contentWriters: new WeakMap(),
};

/**
 * The UTF-8 bytes of a string as a byte string (one char per byte). The input never holds a lone
 * surrogate: escaping refused those before.
 */
export function utf8ByteString(s: string): string {
  let out = "";
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    out += s.slice(run, i);
    if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      out += String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
      i++;
    } else out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    run = i + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

/**
 * Encodes one element, appending its XML text to `out`.
 * @param defaultNs the default namespace in scope where the element is written (`""` at the top).
 * @throws CodecError naming the member path and what is wrong.
 */
export function encodeElement(meta: ElementMeta, value: unknown, out: string[], defaultNs = ""): void {
  out.push(encodeElementToString(meta, value, defaultNs));
}

/** Encodes one element to a string; see {@link encodeElement}. */
export function encodeElementToString(meta: ElementMeta, value: unknown, defaultNs = ""): string {
  try {
    return elementWriter(meta, TEXT)(value, defaultNs);
  } catch (error) {
    throw within(error, meta.name);
  }
}

/**
 * Encodes one element as a byte string: the UTF-8 bytes of what {@link encodeElementToString}
 * returns, one char per byte (`Buffer.from(result, "latin1")` are those bytes, and
 * `result.length` is their count). Same checks, same errors.
 */
export function encodeElementToByteString(meta: ElementMeta, value: unknown, defaultNs = ""): string {
  try {
    return elementWriter(meta, BYTES)(value, defaultNs);
  } catch (error) {
    throw within(error, meta.name);
  }
}

/** Re-throws a CodecError from a member with the member's name in front of its path. */
function within(error: unknown, segment: string): unknown {
  if (!(error instanceof CodecError)) return error;
  const path = error.path === "" ? segment : error.path.startsWith("[") ? `${segment}${error.path}` : `${segment}.${error.path}`;
  return new CodecError(error.direction, error.problem, path, error.detail);
}

function fail(problem: CodecError["problem"], detail: string): never {
  throw new CodecError("encode", problem, "", detail);
}

function elementWriter(meta: ElementMeta, out: Output): ElementWriter {
  let writer = out.elementWriters.get(meta);
  if (writer === undefined) {
    writer = compileElement(meta, out);
    out.elementWriters.set(meta, writer);
  }
  return writer;
}

function tags(head: string, end: string): Tags {
  return { head, open: `${head}>`, empty: `${head}/>`, end, nil: `${head} xmlns:i="${XSI}" i:nil="true"/>` };
}

/** What a repeated model group writes around each occurrence: nothing. */
const GROUP_TAGS: Tags = { head: "", open: "", empty: "", end: "", nil: "" };

/**
 * A repeated model group's occurrence: its members written where the group stands, in the
 * parent's default namespace. In mixed content the parent's text goes before each of its
 * elements: that takes a writer of its own (the generic one, handed the parent's text), compiled
 * only when a mixed parent asks for it.
 */
function compileGroup(meta: ElementMeta, out: Output): ElementWriter {
  const type = meta.type();
  if (type.kind !== "complex" || type.attributes.length > 0 || type.simpleContent !== undefined) {
    return () => fail("invalid", `${meta.name} is a model group, whose type must be complex with element content only (${type.label})`);
  }
  let content: ContentWriter | undefined;
  let inMixed: ContentWriter | undefined;
  return (value, parentNs, gaps) => {
    if (value === null) return fail("nil", `${meta.name} is a group of elements, which cannot be nil`);
    if (gaps !== undefined) return (inMixed ??= compileComplex(type, out, true))(value, GROUP_TAGS, parentNs, gaps);
    content ??= contentWriter(type, out);
    return content(value, GROUP_TAGS, parentNs);
  };
}

/** An element's start and end tags where its namespace is the default one already (`plain`) and where it is not (`declaring`). */
interface ElementTags {
  readonly plain: Tags;
  readonly declaring: Tags;
}

function elementTags(meta: ElementMeta, out: Output): ElementTags {
  const end = out.markup(`</${meta.name}>`);
  return { plain: tags(out.markup(`<${meta.name}`), end), declaring: tags(out.markup(`<${meta.name} xmlns="${escapeAttribute(meta.ns)}"`), end) };
}

/**
 * How an element of simple type is written, when its writer needs no more than its tags and one
 * check of the value: a string (whiteSpace preserve) whose only checks are its facets, or a
 * value whose checked lexical form is written as text (`plain`: without escaping, as numbers and
 * dates need none). The element writer and the straight-line sequence writers both write from
 * this, so they cannot drift apart. `undefined` for anything else (groups, substitution heads,
 * QNames, complex types).
 */
type SimpleElementPlan =
  | { readonly kind: "string"; readonly tags: ElementTags; readonly facets: FacetCheck | undefined; readonly plain: boolean }
  | { readonly kind: "lexical"; readonly tags: ElementTags; readonly lexicalOf: (value: unknown) => string; readonly plain: boolean };

function simpleElementPlan(meta: ElementMeta, out: Output): SimpleElementPlan | undefined {
  if (meta.group === true || meta.substitutes !== undefined) return undefined;
  // (Resolving the type compiles nothing: recursive types are still resolved lazily.)
  const type = meta.type();
  if (type.kind !== "simple" || builtinCodecs[type.builtin].shape === "qname" || hasQNameMember(type)) return undefined;
  if (type.builtin === "string" && (type.facets.whiteSpace ?? "preserve") === "preserve") {
    // Any string is lexically valid: only its facets are checked (as simpleLexical does). A value
    // that passed an enumeration of plain values (codes, statuses) is one of them: no escaping scan.
    const plain = type.facets.enumeration !== undefined && type.facets.enumeration.every(isPlainText);
    return { kind: "string", tags: elementTags(meta, out), facets: compileFacets(type, builtinCodecs.string), plain };
  }
  // Numbers, dates and the like: their checked lexical forms never need escaping.
  return { kind: "lexical", tags: elementTags(meta, out), lexicalOf: simpleLexical(type), plain: builtinCodecs[type.builtin].plainLexical };
}

function compileElement(meta: ElementMeta, out: Output): ElementWriter {
  if (meta.group === true) return compileGroup(meta, out);
  if (meta.substitutes !== undefined) return compileSubstitution(meta, meta.substitutes, out);
  const ns = meta.ns;
  const nillable = meta.nillable;
  const nilRefused = () => fail("nil", `${meta.name} is not nillable; leave it out or give a value`);
  // Simple content is written here directly, one call less per value; most elements are simple.
  const simple = simpleElementPlan(meta, out);
  if (simple !== undefined) {
    const { plain, declaring } = simple.tags;
    const text = out.text;
    if (simple.kind === "string") {
      const facets = simple.facets;
      const write = simple.plain ? (lexical: string) => lexical : text;
      return (value, parentNs) => {
        const t = ns === parentNs ? plain : declaring;
        if (typeof value === "string") {
          if (facets !== undefined) {
            const error = facets(value);
            if (error !== undefined) facetFailure(value, error);
          }
          return value === "" ? t.empty : t.open + write(value) + t.end;
        }
        if (value === null) return nillable ? t.nil : nilRefused();
        return fail("invalid", `expected a string, got ${describe(value)}`);
      };
    }
    const lexicalOf = simple.lexicalOf;
    const write = simple.plain ? (lexical: string) => lexical : text;
    return (value, parentNs) => {
      const t = ns === parentNs ? plain : declaring;
      if (value === null) return nillable ? t.nil : nilRefused();
      const lexical = lexicalOf(value);
      return lexical === "" ? t.empty : t.open + write(lexical) + t.end;
    };
  }
  const { plain, declaring } = elementTags(meta, out);
  const type = meta.type();
  let content: ContentWriter | undefined;
  // A nil element still carries its type's required attributes (XSD Part 1, 3.3.4), which null cannot hold.
  const nilLacks = type.kind === "complex" ? type.attributes.filter((a) => a.required).map((a) => a.name) : [];
  return (value, parentNs) => {
    const t = ns === parentNs ? plain : declaring;
    if (value === null) {
      if (!nillable) fail("nil", `${meta.name} is not nillable; leave it out or give a value`);
      if (nilLacks.length !== 0) fail("nil", `${meta.name} cannot be nil: its type requires attribute ${nilLacks.join(", ")}, which xsi:nil="true" would lack`);
      return t.nil;
    }
    content ??= elementContent(meta, type, out);
    return content(value, t, ns);
  };
}

/** What writes the content of an element that is not simple (see {@link simpleElementPlan}): its type's writer, narrowed by the element's `block`. */
function elementContent(meta: ElementMeta, type: TypeMeta, out: Output): ContentWriter {
  return meta.derived === undefined || type.kind !== "complex" ? contentWriter(type, out) : narrowedDerivation(meta, type, contentWriter(type, out));
}

/**
 * An element whose `block` (or its type's) leaves out some types derived from its type (XSD
 * Part 1, 3.3.4 clause 4.3): a `$type` naming one of them is refused, naming the allowed ones;
 * the rest is the type's own writer (which writes `xsi:type`).
 */
function narrowedDerivation(meta: ElementMeta, type: ComplexTypeMeta, full: ContentWriter): ContentWriter {
  const concrete = [...(type.abstract === true ? [] : [type]), ...meta.derived!()].filter((t) => t.abstract !== true && t.typeName !== undefined);
  const allowed = new Set(concrete.map((t) => t.typeName!.ts));
  const allowedList = () => [...allowed].join(", ") || "none";
  return (value, t, ns) => {
    const name = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[TYPE_MEMBER] : undefined;
    if (name === undefined) {
      if (type.abstract === true) throw new CodecError("encode", "missing", TYPE_MEMBER, `${type.label} is abstract: name the value's type in ${TYPE_MEMBER} (one of ${allowedList()})`);
    } else if (typeof name !== "string" || !allowed.has(name)) {
      throw new CodecError("encode", "invalid", TYPE_MEMBER, `${TYPE_MEMBER} ${JSON.stringify(name)} may not stand where ${meta.name} is declared (the element's or its type's block leaves it out); allowed: ${allowedList()}`);
    }
    return full(value, t, ns);
  };
}

/** Whether values of a type are objects that carry `$element` themselves (else a substitute's value is `{ $element, $value }`). */
function isObjectValue(type: TypeMeta): boolean {
  return type.kind === "complex" && type.arrayItem === undefined;
}

/**
 * A reference to the head of a substitution group: `$element` picks the element written (the
 * head when it is absent, or names the head, unless the head is abstract), and the rest of the
 * value is that element's: the object itself, or `$value` for a value that is not an object (and
 * for a nil substitute).
 */
function compileSubstitution(meta: ElementMeta, substitutesOf: () => readonly SubstituteMeta[], out: Output): ElementWriter {
  const { substitutes: _, abstract, ...headOnly } = meta;
  let byName: Map<string, SubstituteMeta> | undefined;
  const substitutes = () => (byName ??= new Map(substitutesOf().map((s) => [s.name, s])));
  const allowed = () => [...(abstract === true ? [] : [meta.name]), ...substitutes().keys()].join(", ");
  let head: ElementWriter | undefined;
  const headObject = isObjectValue(meta.type());
  return (value, parentNs) => {
    const record = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const name = record?.[ELEMENT_MEMBER];
    if (name === undefined || (name === meta.name && abstract !== true && headObject)) {
      if (abstract === true) throw new CodecError("encode", "missing", ELEMENT_MEMBER, `${meta.name} is abstract: name the element that stands for it in ${ELEMENT_MEMBER} (one of ${allowed()})`);
      head ??= elementWriter(headOnly, out);
      return head(name === undefined ? value : withoutElementMember(record!), parentNs);
    }
    const chosen = typeof name === "string" ? substitutes().get(name) : undefined;
    if (chosen === undefined) {
      throw new CodecError("encode", "invalid", ELEMENT_MEMBER, `${ELEMENT_MEMBER} ${JSON.stringify(name)} is not an element that may stand for ${meta.name}; allowed: ${allowed()}`);
    }
    const write = elementWriter(chosen.element, out);
    const rest = withoutElementMember(record!);
    const keys = Object.keys(rest);
    const wrapped = !isObjectValue(chosen.element.type()) || (keys.length === 1 && keys[0] === SIMPLE_CONTENT_MEMBER && rest[SIMPLE_CONTENT_MEMBER] === null);
    if (!wrapped) return write(rest, parentNs);
    for (const key of keys) {
      if (key !== SIMPLE_CONTENT_MEMBER && rest[key] !== undefined) throw new CodecError("encode", "unexpected", key, `unknown member ${key}: the value of ${chosen.name} is { ${ELEMENT_MEMBER}, ${SIMPLE_CONTENT_MEMBER} }`);
    }
    if (rest[SIMPLE_CONTENT_MEMBER] === undefined) throw new CodecError("encode", "missing", SIMPLE_CONTENT_MEMBER, `missing required member ${SIMPLE_CONTENT_MEMBER} (the value of ${chosen.name})`);
    try {
      return write(rest[SIMPLE_CONTENT_MEMBER], parentNs);
    } catch (error) {
      throw within(error, SIMPLE_CONTENT_MEMBER);
    }
  };
}

/** A copy of a value without its `$element` (the element's own writer would call it unknown). */
function withoutElementMember(record: Record<string, unknown>): Record<string, unknown> {
  const { [ELEMENT_MEMBER]: _, ...rest } = record;
  return rest;
}

function contentWriter(type: TypeMeta, out: Output): ContentWriter {
  return compiledFor(out.contentWriters, type, (t) => compile(t, out));
}

function compile(type: TypeMeta, out: Output): ContentWriter {
  switch (type.kind) {
    case "simple":
      return compileSimple(type, out);
    case "complex": {
      if (type.typeName === undefined && type.abstract !== true) return compileComplex(type, out);
      const own = compileComplex(type, out);
      return writesItsDerivations.has(own) ? own : compileDerivation(type, own, out);
    }
    case "any":
      return (value, t) => {
        if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== "element") {
          fail("invalid", `expected a parsed XML element for ${type.label}, got ${describe(value)}`);
        }
        return t.open + out.markup(serializeContent(value as XmlElement)) + t.end;
      };
  }
}

/** Checks and formats a simple value; returns its lexical form. */
function simpleLexical(type: SimpleTypeMeta): (value: unknown) => string {
  if (type.itemType !== undefined) return listLexical(type, type.itemType());
  if (type.memberTypes !== undefined) return unionLexical(type, type.memberTypes());
  const codec = builtinCodecs[type.builtin];
  const whiteSpace = type.facets.whiteSpace ?? codec.whiteSpace;
  const facets = compileFacets(type, codec);
  if (type.builtin === "string" && whiteSpace === "preserve") {
    // The common case, kept free of allocations: any string is lexically valid.
    return (value) => {
      if (typeof value !== "string") fail("invalid", `expected a string, got ${describe(value)}`);
      const error = facets?.(value);
      if (error !== undefined) facetFailure(value, error);
      return value;
    };
  }
  const formatIsChecked = codec.formatIsChecked;
  const general = (value: unknown): string => {
    const formatted = codec.format(value);
    if ("error" in formatted) fail("invalid", formatted.error);
    const lexical = applyWhiteSpace(formatted.lexical, whiteSpace);
    // format already checked what it returned: check again only what whitespace processing changed.
    if (lexical !== formatted.lexical || !formatIsChecked) {
      const lexError = codec.checkLexical(lexical);
      if (lexError !== undefined) fail("invalid", lexError);
    }
    const facetError = facets?.(lexical);
    if (facetError !== undefined) facetFailure(lexical, facetError);
    return lexical;
  };
  if (codec.shape !== "string" || !formatIsChecked || !codec.plainLexical) return general;
  // Decimals, dates and the like given as strings (most values): such a codec's format returns
  // the string itself once checkLexical accepts it (a test holds builtins to that), and what
  // checkLexical accepts is printable ASCII, so without a space whitespace processing leaves it
  // as it is. The same checks as `general` without its allocation and second scan; anything
  // else (a space, an error) goes the general way, which words the error.
  return (value) => {
    if (typeof value !== "string" || value.indexOf(" ") >= 0 || codec.checkLexical(value) !== undefined) return general(value);
    const facetError = facets?.(value);
    if (facetError !== undefined) facetFailure(value, facetError);
    return value;
  };
}

/** `xs:union`: the value written as the first member type that accepts it. */
function unionLexical(type: SimpleTypeMeta, members: readonly SimpleTypeMeta[]): (value: unknown) => string {
  if (hasQNameMember(type)) {
    // Only an element's content and an attribute can declare the prefix a QName value needs (unionChoice).
    return () => fail("invalid", `a union with QName members cannot be written as a list item (${type.label})`);
  }
  const memberLexicals = members.map(simpleLexical);
  const wholeFacets = compileFacets(type, builtinCodecs.string);
  return (value) => {
    const { lexical } = firstAcceptingMember(type, memberLexicals, value);
    const error = wholeFacets?.(lexical);
    if (error !== undefined) facetFailure(lexical, error);
    return lexical;
  };
}

/** The first member type of a union that accepts the value (XSD's rule): its index and lexical form; else a CodecError listing each member's refusal. */
function firstAcceptingMember(type: SimpleTypeMeta, memberLexicals: readonly ((value: unknown) => string)[], value: unknown): { readonly index: number; readonly lexical: string } {
  const errors: string[] = [];
  for (let index = 0; index < memberLexicals.length; index++) {
    try {
      return { index, lexical: memberLexicals[index]!(value) };
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      errors.push(error.detail);
    }
  }
  return fail("invalid", `no member type of ${type.label} accepts the value (${errors.join("; ")})`);
}

/** Whether a union has an `xs:QName` member type (whose lexical form needs a prefix declared where it is written). */
function hasQNameMember(type: SimpleTypeMeta): boolean {
  return type.memberTypes !== undefined && type.memberTypes().some(isQNameType);
}

/** Whether a simple type is `xs:QName` or a restriction of it (not a list or union). */
function isQNameType(type: SimpleTypeMeta): boolean {
  return type.memberTypes === undefined && type.itemType === undefined && builtinCodecs[type.builtin].shape === "qname";
}

/**
 * A union with QName members: the first member type that accepts the value (XSD's rule, as
 * {@link unionLexical}), giving either the lexical form of another member or the QName itself,
 * whose prefix the writer declares where it writes it. Facets on the union as a whole are
 * refused: their enumeration and pattern would judge a prefix the writer chose.
 */
function unionChoice(type: SimpleTypeMeta): (value: unknown) => { readonly lexical: string } | { readonly qname: QName } {
  const members = type.memberTypes!();
  if (Object.keys(type.facets).some((k) => k !== "whiteSpace")) {
    return () => fail("invalid", `a union with QName members and facets of its own cannot be written yet (${type.label})`);
  }
  const qnames = members.map(isQNameType);
  const memberLexicals = members.map(simpleLexical);
  return (value) => {
    const { index, lexical } = firstAcceptingMember(type, memberLexicals, value);
    return qnames[index] === true ? { qname: value as QName } : { lexical };
  };
}

/** `xs:list`: an array of item values, each checked as the item type, joined by spaces. */
function listLexical(type: SimpleTypeMeta, itemType: SimpleTypeMeta): (value: unknown) => string {
  if (itemType.itemType !== undefined || builtinCodecs[itemType.builtin].shape === "qname") {
    // A list of lists is not XSD; QName items would need prefixes declared for each.
    return () => fail("invalid", `lists of ${itemType.itemType !== undefined ? "lists" : "QNames"} cannot be written yet (${type.label})`);
  }
  const itemLexical = simpleLexical(itemType);
  const { length, minLength, maxLength, ...whole } = type.facets;
  const wholeFacets = compileFacets({ ...type, facets: whole }, builtinCodecs.string);
  return (value) => {
    if (!Array.isArray(value)) fail("invalid", `expected an array (${type.label} is a list), got ${describe(value)}`);
    const items: string[] = [];
    for (let k = 0; k < value.length; k++) {
      let item: string;
      try {
        item = itemLexical(value[k]);
      } catch (error) {
        throw within(error, `[${k}]`);
      }
      if (item === "" || /[ \t\r\n]/.test(item)) throw new CodecError("encode", "invalid", `[${k}]`, "a list item cannot be empty or contain whitespace");
      items.push(item);
    }
    const lexical = items.join(" ");
    const error = wholeFacets?.(lexical) ?? listLengthError(items.length, length, minLength, maxLength);
    if (error !== undefined) facetFailure(lexical, error);
    return lexical;
  };
}

function facetFailure(lexical: string, error: string): never {
  const shown = lexical.length > 60 ? `${lexical.slice(0, 57)}...` : lexical;
  return fail("invalid", `value ${JSON.stringify(shown)} ${error}`);
}

function compileSimple(type: SimpleTypeMeta, out: Output): ContentWriter {
  const text = out.text;
  const qnameContent = (q: QName, t: Tags, ns: string): string => {
    if (q.namespace === ns) return t.open + text(q.localName) + t.end;
    if (q.namespace === "") fail("invalid", "a QName in no namespace cannot be written inside an element in a namespace");
    return `${t.head} xmlns:q1="${out.attribute(q.namespace)}">q1:${text(q.localName)}${t.end}`;
  };
  if (hasQNameMember(type)) {
    const choose = unionChoice(type);
    return (value, t, ns) => {
      const chosen = choose(value);
      if ("qname" in chosen) return qnameContent(chosen.qname, t, ns);
      return chosen.lexical === "" ? t.empty : t.open + text(chosen.lexical) + t.end;
    };
  }
  const lexicalOf = simpleLexical(type);
  if (builtinCodecs[type.builtin].shape === "qname") {
    return (value, t, ns) => {
      lexicalOf(value);
      return qnameContent(value as QName, t, ns);
    };
  }
  return (value, t) => {
    const lexical = lexicalOf(value);
    return lexical === "" ? t.empty : t.open + text(lexical) + t.end;
  };
}

/**
 * A type of a derivation family: a value whose `$type` names a derived type is written by that
 * type's writer, with `xsi:type` naming it (its namespace declared on the element); a value
 * without `$type`, or naming the declared type, is the declared type, which must not be abstract.
 */
function compileDerivation(type: ComplexTypeMeta, own: ContentWriter, out: Output): ContentWriter {
  let family: Map<string, ComplexTypeMeta> | undefined;
  const names = () => [...(family ??= familyOf(type)).keys()].join(", ") || "none";
  return (value, t, ns) => {
    const name = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[TYPE_MEMBER] : undefined;
    if (name === undefined || (name === type.typeName?.ts && type.abstract !== true)) {
      if (type.abstract === true) throw new CodecError("encode", "missing", TYPE_MEMBER, `${type.label} is abstract: name the value's type in ${TYPE_MEMBER} (one of ${names()})`);
      return own(value, t, ns);
    }
    const derived = typeof name === "string" ? (family ??= familyOf(type)).get(name) : undefined;
    if (derived === undefined || derived.abstract === true) {
      throw new CodecError("encode", "invalid", TYPE_MEMBER, `${TYPE_MEMBER} ${JSON.stringify(name)} is not a concrete type derived from ${type.label}; known: ${names()}`);
    }
    const n = derived.typeName!;
    // An unprefixed QName takes the default namespace, which is the element's.
    if (n.ns !== ns && n.ns === "") fail("invalid", `type ${n.local} is in no namespace and cannot be named by xsi:type inside an element in a namespace`);
    const declaration = n.ns === ns ? ` xmlns:i="${XSI}" i:type="${n.local}"` : ` xmlns:i="${XSI}" xmlns:d="${escapeAttribute(n.ns)}" i:type="d:${n.local}"`;
    return contentWriter(derived, out)(value, tags(t.head + out.markup(declaration), t.end), ns);
  };
}

/** The concrete and abstract types derived from `type`, by `$type` name. */
function familyOf(type: ComplexTypeMeta): Map<string, ComplexTypeMeta> {
  const family = new Map<string, ComplexTypeMeta>();
  for (const d of type.derived?.() ?? []) if (d.typeName !== undefined) family.set(d.typeName.ts, d);
  return family;
}

/** `xs:simpleContent`: the attributes, then `$value` written as the element's text. */
function compileSimpleContent(type: ComplexTypeMeta, valueType: SimpleTypeMeta, out: Output): ContentWriter {
  const attributes = type.attributes.map((a, i) => ({ meta: a, property: a.member ?? a.name, write: attributeWriter(a, i, out) }));
  const known = new Set<string>([SIMPLE_CONTENT_MEMBER, ...type.attributes.map((a) => a.member ?? a.name)]);
  const writeAnyAttributes = type.anyAttribute === undefined ? undefined : anyAttributesWriter(type, type.anyAttribute, out);
  if (writeAnyAttributes !== undefined) known.add(ANY_ATTRIBUTES_MEMBER);
  const writeValue = compileSimple(valueType, out);
  return (value, t, ns) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      fail("invalid", `expected an object of type ${type.label} (its text as ${SIMPLE_CONTENT_MEMBER}, and its attributes), got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!known.has(key) && record[key] !== undefined) {
        throw new CodecError("encode", "unexpected", key, `unknown member ${key} for ${type.label}; known members: ${[...known].join(", ")}`);
      }
    }
    let attrs = "";
    for (const { meta, property, write } of attributes) {
      const v = record[property];
      if (v === undefined) {
        if (meta.required) throw new CodecError("encode", "missing", property, `missing required attribute ${meta.name}`);
        continue;
      }
      try {
        attrs += write(v, ns);
      } catch (error) {
        throw within(error instanceof RangeError ? new CodecError("encode", "invalid", "", "contains a character that XML 1.0 cannot carry") : error, property);
      }
    }
    if (writeAnyAttributes !== undefined && record[ANY_ATTRIBUTES_MEMBER] !== undefined) attrs += writeAnyAttributes(record[ANY_ATTRIBUTES_MEMBER]);
    const text = record[SIMPLE_CONTENT_MEMBER];
    if (text === undefined) throw new CodecError("encode", "missing", SIMPLE_CONTENT_MEMBER, `missing required member ${SIMPLE_CONTENT_MEMBER} (the text of ${type.label})`);
    try {
      return writeValue(text, attrs === "" ? t : tags(t.head + attrs, t.end), ns);
    } catch (error) {
      throw within(error, SIMPLE_CONTENT_MEMBER);
    }
  };
}

/** `inMixed`: the writer of a repeated group's occurrence in mixed content, which writes the parent's text (never the straight-line one). */
function compileComplex(type: ComplexTypeMeta, out: Output, inMixed = false): ContentWriter {
  if (type.simpleContent !== undefined) return compileSimpleContent(type, type.simpleContent(), out);
  const particles = type.content;
  const count = particles.length;
  // The property of each member: its name, but for a later member with an earlier one's name.
  const names = particles.map((p) => p.member ?? p.name);
  const writers: (ElementWriter | undefined)[] = new Array(count).fill(undefined);
  // Resolved on first use: a recursive type reaches itself while it compiles.
  const writerAt = (i: number) => writers[i] ?? (writers[i] = elementWriter(particles[i]!, out));
  const known = new Set<string>([...names, ...type.attributes.map((a) => a.member ?? a.name)]);
  const choices = type.choices;
  const wildcard = type.wildcard;
  // Never equal to a member index when there is no wildcard.
  const wildcardAt = wildcard === undefined ? -1 : wildcard.position;
  if (wildcard !== undefined) known.add(WILDCARD_MEMBER);
  /** The elements of `$any`, checked against the wildcard's namespaces and occurrences, written as they are. */
  // Every xs:any of the type, when it has several: `$any`'s elements are handed out to them in order.
  const wildcards = wildcard !== undefined && type.moreWildcards !== undefined && type.moreWildcards.length > 0 ? [wildcard, ...type.moreWildcards] : undefined;
  /** The elements of `$any`, checked against the wildcards' namespaces and occurrences: those of wildcard `k` (of all when there is one), written as they are. */
  const wildcardContent = (record: Record<string, unknown>, ns: string, gaps: TextGaps | undefined, k = 0, owners?: readonly number[]): string => {
    const items = record[WILDCARD_MEMBER];
    const list = items === undefined ? [] : items;
    if (!Array.isArray(list)) throw new CodecError("encode", "invalid", WILDCARD_MEMBER, `expected an array of parsed XML elements, got ${describe(items)}`);
    if (owners === undefined && (list.length < wildcard!.minOccurs || list.length > wildcard!.maxOccurs)) {
      throw new CodecError("encode", list.length < wildcard!.minOccurs ? "missing" : "too-many", WILDCARD_MEMBER, `xs:any must match ${wildcard!.minOccurs} to ${wildcard!.maxOccurs} elements, got ${list.length}`);
    }
    let xml = "";
    for (let j = 0; j < list.length; j++) {
      if (owners !== undefined && owners[j] !== k) continue;
      const el = list[j] as XmlElement;
      if (typeof el !== "object" || el === null || el.kind !== "element") throw new CodecError("encode", "invalid", `${WILDCARD_MEMBER}[${j}]`, `expected a parsed XML element, got ${describe(el)}`);
      if (!wildcardMatches(wildcards?.[k] ?? wildcard!, el.ns)) throw new CodecError("encode", "invalid", `${WILDCARD_MEMBER}[${j}]`, `element {${el.ns}}${el.local} is in a namespace the xs:any does not allow`);
      xml += (gaps === undefined ? "" : gaps.next()) + out.markup(serializeElement(el, ns));
    }
    return xml;
  };
  /**
   * Hands the elements of `$any` to the type's several wildcards, in order: each takes the next
   * elements its namespaces allow, up to its maxOccurs, leaving as many as the minOccurs of the
   * wildcards after it need. Returns the wildcard of each element.
   */
  const wildcardOwners = (record: Record<string, unknown>): number[] => {
    const items = record[WILDCARD_MEMBER];
    if (items === undefined) return [];
    if (!Array.isArray(items)) throw new CodecError("encode", "invalid", WILDCARD_MEMBER, `expected an array of parsed XML elements, got ${describe(items)}`);
    const owners: number[] = [];
    let j = 0;
    for (let k = 0; k < wildcards!.length; k++) {
      // An alternative of a choice whose other alternative is given takes nothing.
      if (closedWildcards?.some((c) => c.wildcard === k && c.others.some((i) => record[names[i]!] !== undefined))) continue;
      const w = wildcards![k]!;
      let later = 0;
      for (let m = k + 1; m < wildcards!.length; m++) later += wildcards![m]!.minOccurs;
      let n = 0;
      for (; j < items.length && n < w.maxOccurs; j++, n++) {
        const el = items[j] as XmlElement | null;
        if (typeof el !== "object" || el === null || el.kind !== "element" || !wildcardMatches(w, el.ns)) break;
        if (n >= w.minOccurs && items.length - j <= later) break;
        owners.push(k);
      }
      if (n < w.minOccurs && j === items.length) throw new CodecError("encode", "missing", WILDCARD_MEMBER, `xs:any number ${k + 1} (before member ${w.position}) must match at least ${w.minOccurs} elements, got ${n}`);
      if (n < w.minOccurs) break;
    }
    if (j < items.length) {
      const el = items[j] as XmlElement | null;
      if (typeof el !== "object" || el === null || el.kind !== "element") throw new CodecError("encode", "invalid", `${WILDCARD_MEMBER}[${j}]`, `expected a parsed XML element, got ${describe(el)}`);
      throw new CodecError("encode", "invalid", `${WILDCARD_MEMBER}[${j}]`, `element {${el.ns}}${el.local} fits none of the type's xs:any where it stands (each takes the elements of the namespaces it allows, up to its maxOccurs, in order)`);
    }
    return owners;
  };
  /** With several wildcards, each one that is an alternative of a (not repeated) choice, and the members of that choice's other alternatives. */
  const closedWildcards =
    wildcards === undefined
      ? undefined
      : (choices ?? []).flatMap((c) => (c.repeated === true ? [] : c.branches.filter((b) => b.wildcard === true).map((b) => ({ wildcard: b.wildcardIndex ?? 0, others: c.branches.filter((o) => o !== b).flatMap((o) => o.members) }))));
  /** What the wildcards at member position `i` write (all of them at their positions when there are several). */
  const wildcardsAt = (i: number, record: Record<string, unknown>, ns: string, gaps: TextGaps | undefined, owners: readonly number[] | undefined): string => {
    if (wildcards === undefined) return i === wildcardAt ? wildcardContent(record, ns, gaps) : "";
    let xml = "";
    for (let k = 0; k < wildcards.length; k++) if (wildcards[k]!.position === i) xml += wildcardContent(record, ns, gaps, k, owners);
    return xml;
  };
  const mixed = type.mixed === true;
  if (mixed) known.add(MIXED_TEXT_MEMBER);
  // In a derivation family `$type` is the codec's own member (compileDerivation checks it).
  if (type.typeName !== undefined) known.add(TYPE_MEMBER);
  const writeAnyAttributes = type.anyAttribute === undefined ? undefined : anyAttributesWriter(type, type.anyAttribute, out);
  if (writeAnyAttributes !== undefined) known.add(ANY_ATTRIBUTES_MEMBER);
  const attributes = type.attributes.map((a, i) => ({ meta: a, property: a.member ?? a.name, write: attributeWriter(a, i, out) }));
  const knownList = [...known].join(", ");
  const wildcardPositions = new Set((wildcards ?? (wildcard === undefined ? [] : [wildcard])).map((w) => w.position));

  if (type.arrayItem !== undefined) {
    const itemIndex = type.arrayItem;
    const item = particles[itemIndex]!;
    const straight = straightLineArray(item, () => writerAt(itemIndex), out);
    if (straight !== undefined) return straight;
    return (value, t, ns) => {
      if (!Array.isArray(value)) fail("invalid", `expected an array of ${item.name}, got ${describe(value)}`);
      checkCount(item, value.length);
      if (value.length === 0) return t.empty;
      const write = writerAt(itemIndex);
      let out = t.open;
      for (let i = 0; i < value.length; i++) {
        try {
          out += write(value[i], ns);
        } catch (error) {
          throw within(error, `[${i}]`);
        }
      }
      return out + t.end;
    };
  }

  // A repeated group in mixed content is handed the text, which goes before each of its elements.
  const groupsInMixed = mixed || inMixed ? particles.map((p) => p.group === true) : undefined;
  if (attributes.length === 0 && wildcard === undefined && choices === undefined && writeAnyAttributes === undefined && !mixed && !inMixed) {
    const straight = straightLineSequence(type, particles, writerAt, known, knownList, out);
    if (straight !== undefined) {
      if (type.typeName !== undefined && type.abstract !== true) writesItsDerivations.add(straight);
      return straight;
    }
  }

  const unknownMember = (record: Record<string, unknown>): never => {
    for (const key of Object.keys(record)) {
      if (!known.has(key) && record[key] !== undefined) {
        throw new CodecError("encode", "unexpected", key, `unknown member ${key} for ${type.label}; known members: ${knownList || "none"}`);
      }
    }
    return fail("invalid", `unexpected members for ${type.label}`);
  };

  return (value, t, ns, parentGaps) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      fail("invalid", `expected an object of type ${type.label}, got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    let present = wildcard !== undefined && record[WILDCARD_MEMBER] !== undefined ? 1 : 0;
    let attrs = "";
    for (let a = 0; a < attributes.length; a++) {
      const { meta, property, write } = attributes[a]!;
      const v = record[property];
      if (v === undefined) {
        if (meta.required) throw new CodecError("encode", "missing", property, `missing required attribute ${meta.name}`);
        continue;
      }
      present++;
      try {
        attrs += write(v, ns);
      } catch (error) {
        throw within(error instanceof RangeError ? new CodecError("encode", "invalid", "", "contains a character that XML 1.0 cannot carry") : error, property);
      }
    }
    if (writeAnyAttributes !== undefined && record[ANY_ATTRIBUTES_MEMBER] !== undefined) {
      present++;
      attrs += writeAnyAttributes(record[ANY_ATTRIBUTES_MEMBER]);
    }
    let body = "";
    const owners = wildcards === undefined ? undefined : wildcardOwners(record);
    let gaps: TextGaps | undefined = parentGaps;
    if (mixed && record[MIXED_TEXT_MEMBER] !== undefined) {
      present++;
      gaps = textGaps(record[MIXED_TEXT_MEMBER], out);
    }
    const ownGaps = gaps !== parentGaps;
    for (let i = 0; i < count; i++) {
      if (wildcardPositions.has(i)) body += wildcardsAt(i, record, ns, gaps, owners);
      const p = particles[i]!;
      const v = record[names[i]!];
      if (v === undefined) {
        if (p.minOccurs > 0) {
          // A misspelt member is the likelier story behind a missing one: name it first.
          for (const key of Object.keys(record)) if (!known.has(key) && record[key] !== undefined) unknownMember(record);
          throw new CodecError("encode", "missing", names[i]!, `missing required member ${names[i]}`);
        }
        continue;
      }
      present++;
      const write = writers[i] ?? writerAt(i);
      if (p.maxOccurs > 1) {
        if (!Array.isArray(v)) throw new CodecError("encode", "invalid", names[i]!, `expected an array (${names[i]} may repeat), got ${describe(v)}`);
        try {
          checkCount(p, v.length);
        } catch (error) {
          throw within(error, names[i]!);
        }
        const inGroup = gaps !== undefined && groupsInMixed?.[i] === true;
        for (let k = 0; k < v.length; k++) {
          try {
            body += gaps === undefined ? write(v[k], ns) : inGroup ? write(v[k], ns, gaps) : gaps.next() + write(v[k], ns);
          } catch (error) {
            throw within(error, `${names[i]}[${k}]`);
          }
        }
      } else {
        try {
          body += gaps === undefined ? write(v, ns) : groupsInMixed?.[i] === true ? write(v, ns, gaps) : gaps.next() + write(v, ns);
        } catch (error) {
          throw within(error, names[i]!);
        }
      }
    }
    if (wildcardPositions.has(count)) body += wildcardsAt(count, record, ns, gaps, owners);
    if (gaps !== undefined && ownGaps) body += gaps.rest();
    // Every own enumerable member must be one the type declares (members set to undefined count as absent).
    if (Object.keys(record).length !== present) {
      for (const key of Object.keys(record)) if (!known.has(key) && record[key] !== undefined) unknownMember(record);
    }
    if (choices !== undefined) {
      for (const choice of choices) {
        // An empty array writes no element: the member is not there.
        const present = (i: number) => {
          const v = record[names[i]!];
          return v !== undefined && !(Array.isArray(v) && v.length === 0);
        };
        const problem = choiceProblem(choice, particles, present, owners !== undefined ? (k) => owners.includes(k) : wildcard !== undefined && Array.isArray(record[WILDCARD_MEMBER]) && (record[WILDCARD_MEMBER] as unknown[]).length > 0);
        if (problem !== undefined) fail("invalid", problem);
      }
    }
    if (attrs === "") return body === "" ? t.empty : t.open + body + t.end;
    return body === "" ? `${t.head}${attrs}/>` : `${t.head}${attrs}>${body}${t.end}`;
  };
}

/**
 * Writes one attribute use as ` name="value"` (with its leading space). A qualified attribute
 * gets a prefix of its own, `a<index>`, declared on the same element (attributes never take the
 * default namespace); `xml:` attributes use the reserved prefix. A QName value in another
 * namespace than the element's (the default one there) gets a prefix `p<index>` declared next to it.
 */
function attributeWriter(meta: AttributeMeta, index: number, out: Output): (value: unknown, ns: string) => string {
  const type = meta.type();
  const qualified = meta.ns === "" ? meta.name : meta.ns === XML ? `xml:${meta.name}` : `a${index}:${meta.name}`;
  const declaration = meta.ns === "" || meta.ns === XML ? "" : ` xmlns:a${index}="${escapeAttribute(meta.ns)}"`;
  const head = out.markup(`${declaration} ${qualified}="`);
  const quote = out.markup(`"`);
  const valuePrefix = `p${index}`;
  const qnameAttribute = (q: QName, ns: string): string => {
    // An unprefixed QName value takes the default namespace in scope, which is the element's.
    if (q.namespace === ns) return head + out.attribute(q.localName) + quote;
    if (q.namespace === "") fail("invalid", "a QName in no namespace cannot be written inside an element in a namespace");
    return `${out.markup(` xmlns:${valuePrefix}="`)}${out.attribute(q.namespace)}${quote}${head}${out.attribute(`${valuePrefix}:${q.localName}`)}${quote}`;
  };
  if (hasQNameMember(type)) {
    const choose = unionChoice(type);
    return (value, ns) => {
      const chosen = choose(value);
      return "qname" in chosen ? qnameAttribute(chosen.qname, ns) : head + out.attribute(chosen.lexical) + quote;
    };
  }
  const lexicalOf = simpleLexical(type);
  if (builtinCodecs[type.builtin].shape !== "qname") return (value) => head + out.attribute(lexicalOf(value)) + quote;
  return (value, ns) => {
    lexicalOf(value);
    return qnameAttribute(value as QName, ns);
  };
}

/** Mixed content's text, handed out one gap at a time: before each child element, then the rest after the last. */
interface TextGaps {
  next(): string;
  rest(): string;
}

/** The text of `$text` (checked: an array of strings, at most one more than the child elements), escaped. */
function textGaps(value: unknown, out: Output): TextGaps {
  if (!Array.isArray(value) || value.some((t) => typeof t !== "string")) {
    throw new CodecError("encode", "invalid", MIXED_TEXT_MEMBER, `expected an array of strings (the text before each child element, then after the last), got ${describe(value)}`);
  }
  const texts = value as string[];
  let k = 0;
  const at = (i: number): string => {
    try {
      return out.text(texts[i]!);
    } catch (error) {
      throw within(error, `${MIXED_TEXT_MEMBER}[${i}]`);
    }
  };
  return {
    next: () => (k < texts.length ? at(k++) : (k++, "")),
    rest: () => {
      if (texts.length > k + 1) throw new CodecError("encode", "too-many", MIXED_TEXT_MEMBER, `${texts.length} pieces of text for ${k} child elements: at most ${k + 1} (one before each, one after the last)`);
      return k < texts.length ? at(k) : "";
    },
  };
}

/** An XML 1.0 NCName (a local name without a colon): what an attribute of `$anyAttributes` may be called. */
const NCNAME = /^[A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][-.0-9A-Z_a-z\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]*$/;

const XMLNS = "http://www.w3.org/2000/xmlns/";

/**
 * Writes the attributes of `$anyAttributes` (` name="value"` each, with its leading space),
 * checked as the decoder reads them: each `{ ns, local, value }` in a namespace the
 * `xs:anyAttribute` allows, not one the type declares or the codec writes itself (`xsi:type`,
 * `xsi:nil`), not twice, and valid by `processContents`. A namespace gets a prefix of its own,
 * `w<k>`, declared on the element (`xml:` attributes use the reserved prefix).
 */
function anyAttributesWriter(type: ComplexTypeMeta, wildcard: AttributeWildcardMeta, out: Output): (items: unknown) => string {
  const declaredUses = new Map(type.attributes.map((a) => [`${a.ns} ${a.name}`, a.name]));
  const check = attributeWildcardCheck(wildcard);
  const failAt = (k: number, detail: string): never => {
    throw new CodecError("encode", "invalid", `${ANY_ATTRIBUTES_MEMBER}[${k}]`, detail);
  };
  return (items) => {
    if (!Array.isArray(items)) throw new CodecError("encode", "invalid", ANY_ATTRIBUTES_MEMBER, `expected an array of { ns, local, value } attributes, got ${describe(items)}`);
    let xml = "";
    const seen = new Set<string>();
    const prefixes = new Map<string, string>();
    for (let k = 0; k < items.length; k++) {
      const item = items[k] as { ns?: unknown; local?: unknown; value?: unknown } | null;
      if (typeof item !== "object" || item === null || typeof item.ns !== "string" || typeof item.local !== "string" || typeof item.value !== "string") {
        failAt(k, `expected an attribute { ns: string, local: string, value: string }, got ${describe(item)}`);
      }
      const { ns, local, value } = item as { ns: string; local: string; value: string };
      if (!NCNAME.test(local)) failAt(k, `${JSON.stringify(local)} is not an attribute name (an XML NCName)`);
      const key = `${ns} ${local}`;
      if (ns === XMLNS || (ns === "" && local === "xmlns")) failAt(k, "namespace declarations are not attributes: the codec declares what it writes");
      if (isCodecAttribute(ns, local)) failAt(k, `xsi:${local} is written by the codec itself`);
      const member = declaredUses.get(key);
      if (member !== undefined) failAt(k, `attribute ${local} is declared by ${type.label}: set member ${member} instead`);
      if (!namespaceAllowed(wildcard.namespaces, ns)) failAt(k, `attribute {${ns}}${local} is in a namespace the xs:anyAttribute does not allow`);
      if (seen.has(key)) failAt(k, `attribute {${ns}}${local} is given twice`);
      seen.add(key);
      const problem = check(ns, local, value, undefined);
      if (problem !== undefined) failAt(k, typeof problem === "string" ? problem : `no global declaration of attribute {${ns}}${local}, which the strict xs:anyAttribute requires`);
      let name = local;
      if (ns === XML) name = `xml:${local}`;
      else if (ns !== "") {
        let prefix = prefixes.get(ns);
        if (prefix === undefined) {
          prefix = `w${prefixes.size}`;
          prefixes.set(ns, prefix);
          xml += `${out.markup(` xmlns:${prefix}="`)}${out.attribute(ns)}${out.markup(`"`)}`;
        }
        name = `${prefix}:${local}`;
      }
      try {
        xml += `${out.markup(` ${name}="`)}${out.attribute(value)}${out.markup(`"`)}`;
      } catch {
        failAt(k, "contains a character that XML 1.0 cannot carry");
      }
    }
    return xml;
  };
}

/** Set when code generation from strings is disabled, or by a test. */
let straightLineUnavailable = false;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The writer of a plain sequence (element members only: no attributes, wildcard or choice) as
 * one straight-line function made with `new Function`: each member is read by a constant name,
 * which V8 compiles to a load at a known offset of the value's shape, where the generic loop
 * makes a hash lookup per member. Same checks, same order, same errors as the generic writer.
 *
 * A member of simple type (see {@link simpleElementPlan}) is written in place, its tags picked
 * by whether its namespace is the default one: no call per member, no closure per value. Its end
 * tag waits for the next piece: a simple member's start tag then carries it (merged once per
 * pair), so the answer has fewer, longer pieces, each one less string to make and for the socket
 * write to walk. Any value that path does not take (null, a wrong type) goes to the member's own
 * element writer, which writes or refuses it as always; a member that is not simple has its
 * content's writer called with its tags (the element writer's work but for nil). One try/catch around the whole body names the member
 * that failed by its index (`m`, -1 where an error must pass unchanged); own members are
 * counted by `for...in` (no array per object, unlike `Object.keys`).
 *
 * The code is built from the descriptor's member names, each written as a JSON string literal
 * (never as code), and from member indexes; no value reaches it: tags and checks are handed to
 * the function as parameters named by index. Where code generation from strings is disabled
 * (`--disallow-code-generation-from-strings`), the generic writer is used.
 */
function straightLineSequence(
  type: ComplexTypeMeta,
  particles: readonly ElementMeta[],
  writerAt: (i: number) => ElementWriter,
  known: ReadonlySet<string>,
  knownList: string,
  out: Output,
): ContentWriter | undefined {
  if (straightLineUnavailable) return undefined;
  const properties = particles.map((p) => p.member ?? p.name);
  // The values the function reads, as named parameters of the function that makes it.
  const params: string[] = [];
  const args: unknown[] = [];
  const bind = (name: string, value: unknown): string => {
    params.push(name);
    args.push(value);
    return name;
  };
  // One test per distinct member namespace: is it the default one where the members stand?
  const namespaces: string[] = [];
  const sameNs = (ns: string): number => {
    let k = namespaces.indexOf(ns);
    if (k < 0) k = namespaces.push(ns) - 1;
    return k;
  };
  const body: string[] = [];
  // The end tag of a simple member is written with the next start tag (one string, merged once),
  // when a simple member follows: fewer, longer pieces. `p` is the member whose end is still to write.
  const ends: string[] = [];
  const FLUSH = "if (p >= 0) { body += ends[p]; p = -1; }";
  for (let i = 0; i < particles.length; i++) {
    const p = particles[i]!;
    const name = JSON.stringify(properties[i]);
    const element = `(w[${i}] ?? at(${i}))(v, ns)`;
    body.push(`    m = -1; v = value[${name}];`);
    if (p.minOccurs > 0) body.push(`    if (v === undefined) missing(value, ${i});`);
    else body.push("    if (v !== undefined) {");
    body.push("    present++;");
    const simple = p.maxOccurs > 1 ? undefined : simpleElementPlan(p, out);
    if (p.maxOccurs > 1) body.push(`    ${FLUSH} body += repeated(v, ${i}, ns);`);
    else if (p.group === true || p.substitutes !== undefined) body.push(`    m = ${i}; ${FLUSH} body += ${element};`);
    else if (simple === undefined) {
      // The element writer's work but for nil (which it does): its content's writer, called with the tags.
      const k = sameNs(p.ns);
      const { plain, declaring } = elementTags(p, out);
      body.push(
        `    m = ${i}; ${FLUSH}`,
        `    if (v !== null) body += (k[${i}] ?? contentAt(${i}))(v, s${k} ? ${bind(`t${i}`, plain)} : ${bind(`T${i}`, declaring)}, ns${k});`,
        `    else body += ${element};`,
      );
    } else {
      const s = `s${sameNs(p.ns)}`;
      const { plain, declaring } = simple.tags;
      ends[i] = plain.end;
      // The start tag, after the end tag still to write of the member before (p), merged once per pair.
      const after = (name: string, tag: string) => `(p < 0 ? ${bind(name, tag)} : (${bind(`${name}p`, [])}[p] ??= merged(p, ${name})))`;
      const open = `(${s} ? ${after(`o${i}`, plain.open)} : ${after(`O${i}`, declaring.open)})`;
      const empty = `(${s} ? ${after(`e${i}`, plain.empty)} : ${after(`E${i}`, declaring.empty)})`;
      body.push(`    m = ${i};`);
      const write = (lexical: string, textOf: string) => [`      if (${lexical} === '') { body += ${empty}; p = -1; }`, `      else { body += ${open} + ${textOf}; p = ${i}; }`];
      if (simple.kind === "string") {
        body.push("    if (typeof v === 'string') {");
        if (simple.facets !== undefined) body.push(`      x = ${bind(`f${i}`, simple.facets)}(v); if (x !== undefined) facetFailure(v, x);`);
        body.push(...write("v", simple.plain ? "v" : "text(v)"), `    } else { ${FLUSH} body += ${element}; }`);
      } else {
        body.push(
          "    if (v !== null) {",
          `      x = ${bind(`l${i}`, simple.lexicalOf)}(v);`,
          ...write("x", simple.plain ? "x" : "text(x)"),
          `    } else { ${FLUSH} body += ${element}; }`,
        );
      }
    }
    if (p.minOccurs === 0) body.push("    }");
  }
  // A type that has a name in a derivation family checks `$type` first, as compileDerivation
  // does: the function is then the type's whole writer (one call less per value), and hands a
  // value of another type of the family to compileDerivation's writer.
  const named = type.typeName !== undefined && type.abstract !== true;
  const lines = [
    "return function writeSequence(value, t, ns) {",
    "  let present = 0, body = '', v, x, m = -1, p = -1;",
    ...(named ? [`  if (typeof value === 'object' && value !== null) { x = value[${JSON.stringify(TYPE_MEMBER)}]; if (x !== undefined && x !== ${bind("typeName", type.typeName!.ts)}) return derived(value, t, ns); }`] : []),
    "  if (typeof value !== 'object' || value === null || Array.isArray(value)) notAnObject(value);",
    ...namespaces.map((ns, k) => `  const s${k} = ns === ${bind(`ns${k}`, ns)};`),
    "  try {",
    ...body,
    `    ${FLUSH}`,
    "  } catch (error) { throw m < 0 ? error : within(error, properties[m]); }",
    "  let own = 0;",
    "  for (const key in value) if (hasOwn.call(value, key)) own++;",
    "  if (own !== present) unknownMember(value);",
    "  return body === '' ? t.empty : t.open + body + t.end;",
    "};",
  ];
  const writers: (ElementWriter | undefined)[] = new Array(particles.length).fill(undefined);
  const at = (i: number): ElementWriter => (writers[i] = writerAt(i));
  // Resolved on first use, as the element writer resolves its own: a recursive type reaches itself while it compiles.
  const contents: (ContentWriter | undefined)[] = new Array(particles.length).fill(undefined);
  const contentAt = (i: number): ContentWriter => (contents[i] = elementContent(particles[i]!, particles[i]!.type(), out));
  const notAnObject = (value: unknown): never => fail("invalid", `expected an object of type ${type.label}, got ${describe(value)}`);
  const unknownMember = (record: Record<string, unknown>): void => {
    for (const key of Object.keys(record)) {
      if (!known.has(key) && record[key] !== undefined) {
        throw new CodecError("encode", "unexpected", key, `unknown member ${key} for ${type.label}; known members: ${knownList || "none"}`);
      }
    }
  };
  const missing = (record: Record<string, unknown>, i: number): never => {
    // A misspelt member is the likelier story behind a missing one: name it first.
    unknownMember(record);
    const property = properties[i]!;
    throw new CodecError("encode", "missing", property, `missing required member ${property}`);
  };
  const repeated = (v: unknown, i: number, ns: string): string => {
    const p = particles[i]!;
    const property = properties[i]!;
    if (!Array.isArray(v)) throw new CodecError("encode", "invalid", property, `expected an array (${property} may repeat), got ${describe(v)}`);
    try {
      checkCount(p, v.length);
    } catch (error) {
      throw within(error, property);
    }
    const write = writers[i] ?? at(i);
    let xml = "";
    for (let k = 0; k < v.length; k++) {
      try {
        xml += write(v[k], ns);
      } catch (error) {
        throw within(error, `${property}[${k}]`);
      }
    }
    return xml;
  };
  let self: ContentWriter | undefined;
  let family: ContentWriter | undefined;
  const derived: ContentWriter = (value, t, ns) => (family ??= compileDerivation(type, self!, out))(value, t, ns);
  // A flat copy: the merged tag is written as one piece, not as the two it was made of.
  const merged = (p: number, tag: string): string => [...`${ends[p]!}${tag}`].join("");
  const fixed = { ends, merged, w: writers, at, k: contents, contentAt, within, notAnObject, missing, repeated, unknownMember, facetFailure, text: out.text, properties, hasOwn, derived };
  try {
    const make = new Function(...Object.keys(fixed), ...params, lines.join("\n"));
    self = make(...Object.values(fixed), ...args) as ContentWriter;
    return self;
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    straightLineUnavailable = true;
    return undefined;
  }
}

/** Writers made by {@link straightLineSequence} that check `$type` themselves (compile() does not wrap them in compileDerivation). */
const writesItsDerivations = new WeakSet<ContentWriter>();

/**
 * The writer of an array type (`arrayItem`: the value is the array of its one repeated member)
 * as a function of its own, made with `new Function` like {@link straightLineSequence}: its
 * calls then learn the item's writer alone, where the shared generic closure sees every array
 * type's. An item of a type that is not simple is written as its element writer would (but for
 * nil, which that writer does): its content's writer called with the tags. Same checks, same
 * errors as the generic writer; no value reaches the code.
 */
function straightLineArray(item: ElementMeta, itemWriter: () => ElementWriter, out: Output): ContentWriter | undefined {
  if (straightLineUnavailable) return undefined;
  const direct = item.group !== true && item.substitutes === undefined && simpleElementPlan(item, out) === undefined;
  const { plain, declaring } = elementTags(item, out);
  const lines = [
    "return function writeArray(value, t, ns) {",
    "  if (!Array.isArray(value)) notAnArray(value);",
    "  count(value.length);",
    "  if (value.length === 0) return t.empty;",
    "  const write = (w ??= at());",
    "  let body = t.open, k = 0, v;",
    ...(direct ? ["  const tags = ns === itemNs ? plain : declaring;"] : []),
    "  try {",
    "    for (; k < value.length; k++) {",
    "      v = value[k];",
    direct ? "      body += v !== null ? (c ??= contentOf())(v, tags, itemNs) : write(v, ns);" : "      body += write(v, ns);",
    "    }",
    "  } catch (error) { throw within(error, `[${k}]`); }",
    "  return body + t.end;",
    "};",
  ];
  const fixed = {
    notAnArray: (value: unknown): never => fail("invalid", `expected an array of ${item.name}, got ${describe(value)}`),
    count: (n: number) => checkCount(item, n),
    at: itemWriter,
    // Resolved on first use, as the element writer resolves its own.
    contentOf: () => elementContent(item, item.type(), out),
    within,
    itemNs: item.ns,
    plain,
    declaring,
  };
  try {
    // w and c: the item's element writer and content writer, once resolved.
    const make = new Function(...Object.keys(fixed), `let w, c;\n${lines.join("\n")}`);
    return make(...Object.values(fixed)) as ContentWriter;
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    straightLineUnavailable = true;
    return undefined;
  }
}

/** Test hooks: the fast paths above against the code they shortcut. */
export const encoderFastPathsForTests = {
  isPlainText,
  byteText,
  /** What byteText must return: the UTF-8 bytes of the escaped text. */
  byteTextByParts: (s: string): string => utf8ByteString(text(s)),
  /** `NOT_PLAIN_TEXT`'s verdict, which isPlainText must match. */
  isPlainTextByPattern: (s: string): boolean => !NOT_PLAIN_TEXT.test(s),
  /** Turns the straight-line sequence writers on or off (as if code generation were disabled) and forgets every compiled writer. */
  useStraightLine(enabled: boolean): void {
    straightLineUnavailable = !enabled;
    for (const out of [TEXT, BYTES]) {
      out.elementWriters = new WeakMap();
      out.contentWriters = new WeakMap();
    }
  },
};

function checkCount(p: ElementMeta, n: number): void {
  if (n < p.minOccurs) fail("missing", `${p.name} must occur at least ${p.minOccurs} time${p.minOccurs === 1 ? "" : "s"}, got ${n}`);
  if (n > p.maxOccurs) fail("too-many", `${p.name} may occur at most ${p.maxOccurs} times, got ${n}`);
}

/** Re-serializes a parsed element (for `xs:any`), given the default namespace where it is written. */
function serializeElement(el: XmlElement, defaultNs: string): string {
  const out: string[] = [];
  writeElement(out, el, defaultNs);
  return out.join("");
}

/** Re-serializes the content of a parsed element (for `xs:anyType` members kept as raw XML). */
function serializeContent(el: XmlElement): string {
  const out: string[] = [];
  for (const c of el.children) {
    if (c.kind === "text") out.push(escapeText(c.value));
    else writeElement(out, c, el.ns);
  }
  return out.join("");
}

/**
 * Writes a parsed element: element names without prefixes (a default namespace declared where it
 * changes), attributes by namespace (see below), and text.
 */
function writeElement(out: string[], e: XmlElement, inheritedDefault: string): void {
  out.push("<", e.local);
  if (e.ns !== inheritedDefault) out.push(' xmlns="', escapeAttribute(e.ns), '"');
  // The prefixes the element declared (a QName value in it may use one), and one for each
  // qualified attribute: its own when that is free, else a new one.
  const bound = new Map<string, string>();
  for (const d of e.namespaces) if (d.prefix !== "") bound.set(d.prefix, d.uri);
  const names: string[] = [];
  for (const a of e.attributes) {
    if (a.ns === "") names.push(a.local);
    else if (a.ns === XML) names.push(`xml:${a.local}`);
    else {
      let prefix: string | undefined = a.prefix !== "" && a.prefix !== "xml" && a.prefix !== "xmlns" && (bound.get(a.prefix) ?? a.ns) === a.ns ? a.prefix : undefined;
      if (prefix === undefined) for (const [p, uri] of bound) if (uri === a.ns) prefix = p;
      if (prefix === undefined) for (let k = 0; prefix === undefined; k++) if (!bound.has(`n${k}`)) prefix = `n${k}`;
      bound.set(prefix, a.ns);
      names.push(`${prefix}:${a.local}`);
    }
  }
  for (const [prefix, uri] of bound) out.push(" xmlns:", prefix, '="', escapeAttribute(uri), '"');
  e.attributes.forEach((a, i) => out.push(" ", names[i]!, '="', escapeAttribute(a.value), '"'));
  out.push(">");
  for (const c of e.children) {
    if (c.kind === "text") out.push(escapeText(c.value));
    else writeElement(out, c, e.ns);
  }
  out.push("</", e.local, ">");
}
