/**
 * A deterministic value builder driven by the runtime's descriptors (runtime/src/meta.ts), and
 * a structural comparison of values, for the corpus round trip.
 *
 * For an element it builds a value that the schema allows: every optional member filled (once
 * per type and message, so that large contracts stay small), repeated members with two items,
 * recursion bounded, simple values that satisfy the type's facets (enumerations, lengths,
 * patterns, ranges, digits). Simple values are chosen from candidates and kept only when the
 * codec's own checks accept them; libxml2 then judges the encoded XML independently. When no
 * candidate fits (a pattern the sampler cannot satisfy), the builder throws
 * {@link UnsatisfiableValue} and the round trip counts the operation as skipped, never as passed.
 *
 * Descriptor kinds or fields the builder does not know throw {@link UnknownDescriptor}: when the
 * codec learns a new construct, this builder must learn it too before the corpus can pass.
 */
import { compareDecimal, encodeElementToString, parseXml, translatePattern, type ComplexTypeMeta, type ElementMeta, type SimpleTypeMeta, type TypeMeta, type XmlElement } from "@mpay-kit/runtime";

/** No value satisfies the type (as far as this builder can tell). */
export class UnsatisfiableValue extends Error {
  override readonly name = "UnsatisfiableValue";
  /** Short category: `pattern`, `facets`, `recursion`, `ENTITY`. */
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A descriptor the builder does not understand yet. */
export class UnknownDescriptor extends Error {
  override readonly name = "UnknownDescriptor";
}

const COMPLEX_FIELDS = new Set(["kind", "label", "content", "attributes", "arrayItem", "simpleContent", "typeName", "abstract", "derived", "unordered", "choices", "wildcard", "moreWildcards", "anyAttribute", "mixed"]);
const ELEMENT_FIELDS = new Set(["kind", "name", "ns", "type", "minOccurs", "maxOccurs", "nillable", "default", "fixed", "documentation", "group", "substitutes", "abstract"]);
const SIMPLE_FIELDS = new Set(["kind", "label", "builtin", "facets", "itemType", "memberTypes"]);
const FACETS = new Set(["enumeration", "length", "minLength", "maxLength", "patterns", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "totalDigits", "fractionDigits", "whiteSpace"]);

/** The namespace of QName values the builder makes (never the element's own, so a prefix is written). */
export const QNAME_NS = "urn:mpay-kit:corpus-test";

/** Deepest nesting of elements the builder makes before it keeps to required members only. */
const MAX_DEPTH = 24;
/** Nesting at which required content is taken to recurse without end. */
const MAX_REQUIRED_DEPTH = 64;

/**
 * Builds one message's value. A builder is used for one message: it remembers which complex
 * types it has filled completely, and numbers its strings and IDs.
 */
export class ValueBuilder {
  /** The contract's global elements: what a strict `xs:any` may hold (libxml2 validates those against their declaration). */
  readonly #globals: readonly ElementMeta[];
  readonly #expanded = new Set<TypeMeta>();
  readonly #stack: TypeMeta[] = [];
  readonly #simpleCache = new Map<string, unknown>();
  #counter = 0;

  constructor(globals: readonly ElementMeta[] = []) {
    this.#globals = globals;
  }

  /** The value of an element's content (what the element's TypeScript property holds), never `null`. */
  element(meta: ElementMeta): unknown {
    checkFields(meta, ELEMENT_FIELDS, "element");
    const type = meta.type();
    if (meta.fixed !== undefined && type.kind === "simple") return this.#fromLexical(type, meta.fixed, `fixed value of ${meta.name}`);
    return this.#type(type, meta.name);
  }

  #type(type: TypeMeta, where: string): unknown {
    switch (type.kind) {
      case "simple":
        return this.simple(type);
      case "complex":
        return this.#complex(type);
      case "any":
        checkFields(type, new Set(["kind", "label"]), "any type");
        return anyContent(++this.#counter);
      default:
        throw new UnknownDescriptor(`type descriptor kind ${JSON.stringify((type as { kind: unknown }).kind)} (at ${where})`);
    }
  }

  #complex(type: ComplexTypeMeta): unknown {
    checkFields(type, COMPLEX_FIELDS, "complex type");
    if (type.abstract === true) {
      // A value of an abstract type is one of its concrete derived types, named in `$type`.
      // The one whose required content ends soonest (Адрес requires a Состав, which may be an Адрес again: АдресРБ ends at once).
      const candidates = (type.derived?.() ?? []).filter((d) => d.abstract !== true && d.typeName !== undefined);
      const concrete = candidates[this.#shallowest(candidates, (d) => this.#rank(d))];
      if (concrete === undefined) throw new UnsatisfiableValue("abstract", `${type.label} is abstract and no concrete type derives from it`);
      const value = this.#complex(concrete) as Record<string, unknown>;
      return { $type: concrete.typeName!.ts, ...value };
    }
    const recursive = this.#stack.includes(type);
    const full = !recursive && !this.#expanded.has(type) && this.#stack.length < MAX_DEPTH;
    if (this.#stack.length > MAX_REQUIRED_DEPTH) {
      throw new UnsatisfiableValue("recursion", `required content of ${type.label} recurses without end`);
    }
    if (full) this.#expanded.add(type);
    this.#stack.push(type);
    try {
      if (type.arrayItem !== undefined) {
        const item = type.content[type.arrayItem];
        if (item === undefined) throw new UnknownDescriptor(`arrayItem ${type.arrayItem} of ${type.label} is not a member`);
        return this.#items(item, full);
      }
      const record: Record<string, unknown> = {};
      for (const a of type.attributes) {
        if (!a.required && !full) continue;
        const at = a.type();
        record[a.name] = a.fixed !== undefined ? this.#fromLexical(at, a.fixed, `fixed value of attribute ${a.name}`) : this.simple(at);
      }
      // xs:anyAttribute: one attribute it allows. A strict one takes a global declaration (libxml2
      // wants one), built like any attribute; the others take a made-up one in an allowed namespace.
      const aw = type.anyAttribute;
      if (aw !== undefined && full) {
        const declared = (aw.declared?.() ?? []).filter((d) => !type.attributes.some((a) => a.ns === d.ns && a.name === d.name));
        const taken = (ns: string, local: string) => type.attributes.some((a) => a.ns === ns && a.name === local);
        if (declared.length > 0) {
          const d = declared[0]!;
          record.$anyAttributes = [{ ns: d.ns, local: d.name, value: d.fixed ?? this.#lexical(d.type(), this.simple(d.type())) }];
        } else if (aw.processContents !== "strict") {
          const n = aw.namespaces;
          const ns = n.kind === "list" ? n.list[0] : QNAME_NS;
          const local = `extra${++this.#counter}`;
          if (ns !== undefined && !taken(ns, local) && ns !== "http://www.w3.org/XML/1998/namespace") record.$anyAttributes = [{ ns, local, value: `v${this.#counter}` }];
        }
      }
      // xs:simpleContent: the text under `$value` (the content is then empty).
      if (type.simpleContent !== undefined) record.$value = this.simple(type.simpleContent());
      // xs:choice: the branch whose required content ends soonest (the first of those) is built (its required members
      // even when not filling), the others left out; so is an xs:any in a branch.
      const chosen = new Set<number>();
      const excluded = new Set<number>();
      let wildcardChosen = false;
      let wildcardExcluded = false;
      for (const choice of type.choices ?? []) {
        if (choice.repeated === true) {
          // Alternatives interleave: nothing is excluded; a required one gets its shallowest member (or $any) when not filling.
          if (!full && choice.required) {
            const branch = choice.branches[this.#shallowest(choice.branches, (b) => (b.wildcard === true ? 0 : Math.max(0, ...b.members.map((i) => this.#rank(type.content[i]!.type())))))]!;
            for (const i of branch.members) chosen.add(i);
            if (branch.wildcard === true) wildcardChosen = true;
          }
          continue;
        }
        const pick = this.#shallowest(choice.branches, (b) => Math.max(0, ...b.required.map((i) => this.#rank(type.content[i]!.type()))));
        choice.branches.forEach((branch, k) => {
          for (const i of k === pick ? (full || choice.required ? branch.members : []) : branch.members) (k === pick ? chosen : excluded).add(i);
          if (branch.wildcard === true) {
            if (k === pick) wildcardChosen = full || choice.required;
            else wildcardExcluded = true;
          }
        });
        if (!full && choice.required) for (const i of choice.branches[pick]?.members ?? []) if (!choice.branches[pick]!.required.includes(i)) chosen.delete(i);
      }
      // xs:any: raw elements in a namespace it allows. libxml2 validates a strict wildcard's
      // elements against global declarations, which a made-up element lacks: those only when required.
      const w = type.wildcard;
      if (w !== undefined && !wildcardExcluded && (w.minOccurs > 0 || full || wildcardChosen)) {
        const count = Math.min(Math.max(w.minOccurs, 1), w.maxOccurs);
        if (w.processContents === "strict") {
          // A global element of an allowed namespace, built and encoded like any other value.
          const allowed = (ns: string) => (w.namespaces.kind === "any" ? true : w.namespaces.kind === "other" ? ns !== w.namespaces.ns && ns !== "" : w.namespaces.list.includes(ns));
          const global = this.#globals.find((g) => allowed(g.ns) && !this.#stack.includes(g.type()));
          if (global !== undefined) record.$any = Array.from({ length: count }, () => parseXml(encodeElementToString(global, this.element(global))).root);
          else if (w.minOccurs > 0 || wildcardChosen) {
            // XML Schema would also take an element with xsi:type in place of a declaration; libxml2, the judge here, does not.
            const candidates = this.#globals.filter((g) => allowed(g.ns));
            throw new UnsatisfiableValue(
              "wildcard",
              candidates.length === 0
                ? `${type.label}: a strict xs:any needs a global element of an allowed namespace, and the contract declares none`
                : `${type.label}: a strict xs:any needs a global element of an allowed namespace, and each one the contract declares (${candidates.map((g) => `{${g.ns}}${g.name}`).join(", ")}) holds this content again: no finite value exists`,
            );
          }
        } else {
          const ns = w.namespaces.kind === "list" ? w.namespaces.list[0]! : QNAME_NS;
          record.$any = Array.from({ length: count }, () => wildcardElement(ns, ++this.#counter));
        }
      }
      // Further xs:anys (never in a choice): elements after the first's in $any, made up like a lax one's
      // (a strict one takes a global element), which the writer hands out to them in order.
      for (const more of type.moreWildcards ?? []) {
        if (more.minOccurs === 0 && !full) continue;
        const count = Math.min(Math.max(more.minOccurs, 1), more.maxOccurs);
        const allowed = (ns: string) => (more.namespaces.kind === "any" ? true : more.namespaces.kind === "other" ? ns !== more.namespaces.ns && ns !== "" : more.namespaces.list.includes(ns));
        let made: XmlElement[];
        if (more.processContents === "strict") {
          const global = this.#globals.find((g) => allowed(g.ns) && !this.#stack.includes(g.type()));
          if (global === undefined) {
            if (more.minOccurs === 0) continue;
            throw new UnsatisfiableValue("wildcard", `${type.label}: a strict xs:any needs a global element of an allowed namespace, and none fits`);
          }
          made = Array.from({ length: count }, () => parseXml(encodeElementToString(global, this.element(global))).root);
        } else {
          const ns = more.namespaces.kind === "list" ? more.namespaces.list[0]! : QNAME_NS;
          made = Array.from({ length: count }, () => wildcardElement(ns, ++this.#counter));
        }
        record.$any = [...((record.$any as XmlElement[] | undefined) ?? []), ...made];
      }
      for (const [i, p] of type.content.entries()) {
        if (excluded.has(i)) continue;
        if (p.minOccurs === 0 && !full && !chosen.has(i)) continue;
        record[p.name] = p.maxOccurs > 1 ? this.#items(p, full, chosen.has(i) ? 1 : 0) : this.#occurrence(p, 0);
      }
      // Mixed content: text before each child element and after the last (XML characters that need escaping included).
      if (type.mixed === true && full) {
        const elements = type.content.reduce((n, p) => n + (record[p.name] === undefined ? 0 : p.maxOccurs > 1 ? (record[p.name] as unknown[]).length : 1), 0) + ((record.$any as unknown[] | undefined)?.length ?? 0);
        record.$text = Array.from({ length: elements + 1 }, (_, k) => (k === 0 ? `text ${++this.#counter} <&> ` : ` text ${++this.#counter}`));
      }
      return record;
    } finally {
      this.#stack.pop();
    }
  }

  /** Items of a repeated member: two (within its occurrence bounds) when filling, else the minimum. The second is `null` when nillable. */
  #items(p: ElementMeta, full: boolean, atLeast = 0): unknown[] {
    checkFields(p, ELEMENT_FIELDS, "element");
    // (A member a chosen alternative needs gets one item even when it may occur zero times.)
    const count = full ? Math.min(Math.max(p.minOccurs, 2), p.maxOccurs) : Math.max(p.minOccurs, atLeast);
    const out: unknown[] = [];
    // A nil element must still carry its type's required attributes, which null cannot: no null then.
    const type = p.type();
    const nilAllowed = p.nillable && !(type.kind === "complex" && type.attributes.some((a) => a.required));
    for (let i = 0; i < count; i++) out.push(i === 1 && nilAllowed ? null : this.#occurrence(p, i));
    return out;
  }

  /**
   * One occurrence of a member. Where a substitution group's head is referenced, the first
   * occurrence is the substitute whose smallest value is the shallowest, named in `$element` (on
   * the value when it is an object, else `{ $element, $value }`); later ones are the head's own
   * value unless the head is abstract.
   */
  #occurrence(p: ElementMeta, k: number): unknown {
    if (p.substitutes === undefined) return this.element(p);
    const substitutes = p.substitutes();
    if (substitutes.length === 0 || (k > 0 && p.abstract !== true)) {
      if (p.abstract === true) throw new UnsatisfiableValue("abstract", `${p.name} is abstract and no element may stand for it`);
      return this.element(p);
    }
    const s = substitutes[this.#shallowest(substitutes, (c) => this.#rank(c.element.type()))]!;
    const value = this.element(s.element);
    const type = s.element.type();
    return type.kind === "complex" && type.arrayItem === undefined ? { $element: s.name, ...(value as object) } : { $element: s.name, $value: value };
  }

  /** A value of a simple type that the codec accepts. */
  simple(type: SimpleTypeMeta): unknown {
    checkFields(type, SIMPLE_FIELDS, "simple type");
    if (type.memberTypes !== undefined) {
      // xs:union: a value of the first member type that the union (its own facets too) accepts.
      for (const member of type.memberTypes()) {
        let value: unknown;
        try {
          value = this.simple(member);
        } catch (error) {
          if (error instanceof UnsatisfiableValue) continue;
          throw error;
        }
        if (accepts(type, value)) return value;
      }
      throw new UnsatisfiableValue("facets", `no member type of ${type.label} gives a value it accepts`);
    }
    if (type.itemType !== undefined) {
      // xs:list: two items unless the length facets (which count items) say otherwise.
      const f = type.facets;
      const count = f.length ?? Math.min(Math.max(f.minLength ?? 0, 2), f.maxLength ?? 2);
      const item = type.itemType();
      return Array.from({ length: count }, () => this.simple(item));
    }
    for (const key of Object.keys(type.facets)) if (!FACETS.has(key)) throw new UnknownDescriptor(`facet ${key} (in ${type.label})`);
    // Values are numbered so that two members rarely hold the same one (a mix-up on decoding
    // shows); a pattern's value is searched once per message (IDs, unique per document, never).
    const cached = type.facets.patterns !== undefined && type.builtin !== "ID";
    const key = simpleKey(type);
    if (cached && this.#simpleCache.has(key)) return this.#simpleCache.get(key);
    const n = ++this.#counter;
    let fallback: { value: unknown } | undefined;
    for (const candidate of candidates(type, n)) {
      // Numbers are also checked here, independently of the codec: a codec that refuses a
      // value the facets allow then fails the encode step, where it shows as the codec's fault.
      if (!satisfiesNumericFacets(type, candidate)) continue;
      if (accepts(type, candidate)) {
        if (cached) this.#simpleCache.set(key, candidate);
        return candidate;
      }
      if (isNumeric(type.builtin)) fallback ??= { value: candidate };
    }
    if (fallback !== undefined) return fallback.value;
    const f = type.facets;
    if (type.builtin === "ENTITY" || type.builtin === "ENTITIES") throw new UnsatisfiableValue("ENTITY", `${type.label}: xs:${type.builtin} needs an unparsed entity declared in a DTD`);
    const reason = f.patterns !== undefined ? "pattern" : "facets";
    throw new UnsatisfiableValue(reason, `no value of ${type.label} (xs:${type.builtin}) satisfies its facets ${JSON.stringify(f)}`);
  }

  readonly #ranks = new Map<TypeMeta, number>();

  /**
   * How deep the smallest value of the type goes when only required content is built: 0 for a
   * simple type, `Infinity` when no finite value exists. A least fixpoint over the complex types
   * the required content reaches, one nesting level per round: a type ends once its required
   * members' types end and each required choice has a branch whose required members' types end
   * (an abstract type: once one of its concrete derived types ends).
   */
  #rank(start: TypeMeta): number {
    if (start.kind !== "complex") return 0;
    const known = this.#ranks.get(start);
    if (known !== undefined) return known;
    const reached: ComplexTypeMeta[] = [];
    const seen = new Set<TypeMeta>();
    const visit = (t: TypeMeta) => {
      if (t.kind !== "complex" || seen.has(t) || this.#ranks.has(t)) return;
      seen.add(t);
      reached.push(t);
      for (const p of t.content) {
        visit(p.type());
        for (const s of p.substitutes?.() ?? []) visit(s.element.type());
      }
      for (const d of t.derived?.() ?? []) visit(d);
    };
    visit(start);
    const ranks = new Map<TypeMeta, number>();
    const rankNow = (t: TypeMeta): number => (t.kind !== "complex" ? 0 : (ranks.get(t) ?? this.#ranks.get(t) ?? Infinity));
    // Ranks known from earlier calls are absolute: a type ends in the round after all it needs ended,
    // so the rounds go on at least until past the deepest of those.
    let deepestKnown = 0;
    for (const r of this.#ranks.values()) if (r !== Infinity && r > deepestKnown) deepestKnown = r;
    for (let round = 1; ranks.size < reached.length; round++) {
      const ended = (t: TypeMeta) => rankNow(t) < round;
      const ending: ComplexTypeMeta[] = [];
      for (const t of reached) {
        if (ranks.has(t)) continue;
        let ok: boolean;
        if (t.abstract === true) ok = (t.derived?.() ?? []).some((d) => d.abstract !== true && ended(d));
        else if (t.arrayItem !== undefined) ok = t.content[t.arrayItem]!.minOccurs === 0 || ended(t.content[t.arrayItem]!.type());
        else {
          // An abstract head's occurrence is one of its substitutes.
          const ends = (p: ElementMeta) => (p.abstract === true ? (p.substitutes?.() ?? []).some((s) => ended(s.element.type())) : ended(p.type()));
          ok = t.content.every((p) => p.minOccurs === 0 || ends(p));
          for (const c of t.choices ?? []) if (c.required) ok &&= c.branches.some((b) => b.required.every((i) => ended(t.content[i]!.type())));
        }
        if (ok) ending.push(t);
      }
      // Added after the round, so that a type's rank is the round its whole required content ends in.
      for (const t of ending) ranks.set(t, round);
      if (ending.length === 0 && round > deepestKnown) break;
    }
    for (const t of reached) this.#ranks.set(t, ranks.get(t) ?? Infinity);
    return this.#ranks.get(start)!;
  }

  /** Of several candidates, the first whose smallest value is the shallowest (the first when none ends). */
  #shallowest<T>(candidates: readonly T[], rank: (c: T) => number): number {
    let best = 0;
    for (let k = 1; k < candidates.length; k++) if (rank(candidates[k]!) < rank(candidates[best]!)) best = k;
    return best;
  }

  /** The lexical form the codec writes for a value of a simple type. */
  #lexical(type: SimpleTypeMeta, value: unknown): string {
    const probe: ElementMeta = { kind: "element", name: "probe", ns: "", type: () => type, minOccurs: 1, maxOccurs: 1, nillable: false };
    const root = parseXml(encodeElementToString(probe, value)).root;
    return root.children.map((c) => (c.kind === "text" ? c.value : "")).join("");
  }

  #fromLexical(type: SimpleTypeMeta, lexical: string, what: string): unknown {
    const value = valueOf(type, lexical);
    if (!accepts(type, value)) throw new UnsatisfiableValue("facets", `the ${what} (${JSON.stringify(lexical)}) is refused by ${type.label}`);
    return value;
  }
}

function checkFields(o: object, known: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new UnknownDescriptor(`${what} descriptor field ${key} (in ${(o as { label?: string; name?: string }).label ?? (o as { name?: string }).name ?? "?"})`);
  }
}

function simpleKey(type: SimpleTypeMeta): string {
  return `${type.builtin} ${JSON.stringify(type.facets)}`;
}

/** An element for an `xs:any` wildcard, in namespace `ns`. */
function wildcardElement(ns: string, n: number): XmlElement {
  return parseXml(`<extra${n} xmlns="${ns}" code="c${n}">any ${n}</extra${n}>`).root;
}

/** Raw XML content for an `xs:anyType` member: an element in a namespace of its own, and text. */
function anyContent(n: number): XmlElement {
  return parseXml(`<content><item xmlns="${QNAME_NS}" code="c${n}">any ${n}</item></content>`).root;
}

const probes = new WeakMap<SimpleTypeMeta, ElementMeta>();

/** Whether the codec accepts `value` for the type (shape, lexical form, facets). */
function accepts(type: SimpleTypeMeta, value: unknown): boolean {
  let probe = probes.get(type);
  if (probe === undefined) {
    probe = { kind: "element", name: "probe", ns: "", type: () => type, minOccurs: 1, maxOccurs: 1, nillable: false };
    probes.set(type, probe);
  }
  try {
    encodeElementToString(probe, value);
    return true;
  } catch {
    return false;
  }
}

function isNumeric(b: SimpleTypeMeta["builtin"]): boolean {
  const shape = shapeOf(b);
  return shape === "number" || shape === "integer-string" || b === "decimal";
}

/** Ranges and digits of a number, checked exactly on its lexical form (other values pass). */
function satisfiesNumericFacets(type: SimpleTypeMeta, value: unknown): boolean {
  if (!isNumeric(type.builtin)) return true;
  const lexical = typeof value === "number" ? String(value) : typeof value === "string" ? value : undefined;
  if (lexical === undefined || !/^-?\d+(\.\d+)?$/.test(lexical)) return true;
  const f = type.facets;
  if (f.minInclusive !== undefined && compareDecimal(lexical, f.minInclusive) < 0) return false;
  if (f.maxInclusive !== undefined && compareDecimal(lexical, f.maxInclusive) > 0) return false;
  if (f.minExclusive !== undefined && compareDecimal(lexical, f.minExclusive) <= 0) return false;
  if (f.maxExclusive !== undefined && compareDecimal(lexical, f.maxExclusive) >= 0) return false;
  const [whole = "", frac = ""] = lexical.replace(/^-/, "").split(".");
  const fraction = frac.replace(/0+$/, "");
  const digits = whole.replace(/^0+/, "").length + fraction.length;
  if (f.totalDigits !== undefined && digits > f.totalDigits) return false;
  if (f.fractionDigits !== undefined && fraction.length > f.fractionDigits) return false;
  return true;
}

type Shape = "string" | "number" | "integer-string" | "boolean" | "bytes" | "qname";

function shapeOf(builtin: SimpleTypeMeta["builtin"]): Shape {
  switch (builtin) {
    case "int":
    case "unsignedInt":
    case "short":
    case "unsignedShort":
    case "byte":
    case "unsignedByte":
    case "float":
    case "double":
      return "number";
    case "integer":
    case "nonPositiveInteger":
    case "negativeInteger":
    case "nonNegativeInteger":
    case "positiveInteger":
    case "long":
    case "unsignedLong":
      return "integer-string";
    case "boolean":
      return "boolean";
    case "base64Binary":
    case "hexBinary":
      return "bytes";
    case "QName":
      return "qname";
    default:
      return "string";
  }
}

/** A lexical form (an enumeration value, a bound, a fixed value) as the TypeScript value the codec expects. */
function valueOf(type: SimpleTypeMeta, lexical: string): unknown {
  const trimmed = lexical.trim();
  switch (shapeOf(type.builtin)) {
    case "number":
      return trimmed === "INF" ? Infinity : trimmed === "-INF" ? -Infinity : Number(trimmed);
    case "integer-string":
      return trimmed;
    case "boolean":
      return trimmed === "true" || trimmed === "1";
    case "bytes":
      return new Uint8Array(Buffer.from(trimmed, type.builtin === "hexBinary" ? "hex" : "base64"));
    case "qname": {
      const colon = trimmed.indexOf(":");
      return { namespace: QNAME_NS, localName: colon < 0 ? trimmed : trimmed.slice(colon + 1) };
    }
    case "string":
      return lexical;
  }
}

/** Candidate values for a simple type, best first; `n` numbers strings so that values differ. */
function* candidates(type: SimpleTypeMeta, n: number): Generator<unknown> {
  const f = type.facets;
  if (f.enumeration !== undefined) {
    for (const v of f.enumeration) yield valueOf(type, v);
    return;
  }
  const shape = shapeOf(type.builtin);
  if (shape === "number" || shape === "integer-string" || type.builtin === "decimal") {
    for (const lexical of numberCandidates(type)) yield valueOf(type, lexical);
    return;
  }
  if (shape === "boolean") {
    yield true;
    yield false;
    return;
  }
  if (shape === "bytes") {
    for (const length of lengths(f, 3)) yield new Uint8Array(Array.from({ length }, (_, i) => (n + i * 37) % 256));
    return;
  }
  if (shape === "qname") {
    yield { namespace: QNAME_NS, localName: `name${n}` };
    return;
  }
  const fixedForm = FIXED_FORMS[type.builtin];
  if (fixedForm !== undefined) {
    for (const v of fixedForm) yield v;
    for (const bound of [f.minInclusive, f.maxInclusive]) if (bound !== undefined) yield bound;
  }
  if (f.patterns !== undefined) {
    for (const sample of patternSamples(f.patterns[0]!, lengths(f, 6))) yield sample;
    return;
  }
  if (fixedForm !== undefined) return;
  // Length 0 is the natural length, unless the facets allow only the empty string (EWS ProtectionRuleAllInternalType).
  if (f.length === 0 || f.maxLength === 0) yield "";
  for (const length of lengths(f, 0)) yield stringOf(type.builtin, n, length);
}

/** Values of the date, time and other lexical types that have one fixed form. */
const FIXED_FORMS: Partial<Record<SimpleTypeMeta["builtin"], readonly string[]>> = {
  dateTime: ["2024-05-06T07:08:09Z", "2024-05-06T07:08:09"],
  date: ["2024-05-06", "2024-05-06Z"],
  time: ["07:08:09", "07:08:09Z"],
  duration: ["P1DT2H", "PT5M"],
  gYear: ["2024"],
  gYearMonth: ["2024-05"],
  gMonth: ["--05"],
  gMonthDay: ["--05-06"],
  gDay: ["---06"],
  language: ["en", "ro-MD"],
  anyURI: ["http://example.com/corpus"],
};

/** Lengths to try: the `length` facet, else around `preferred` within minLength..maxLength (0: the natural length). */
function lengths(f: SimpleTypeMeta["facets"], preferred: number): number[] {
  if (f.length !== undefined) return [f.length];
  const min = f.minLength ?? 0;
  const max = f.maxLength ?? Infinity;
  const out = [preferred, min, Math.min(max, Math.max(min, 1)), Math.min(max, min + 4), max === Infinity ? min + 8 : max];
  return [...new Set(out.map((l) => Math.min(Math.max(l, min), max)).filter(Number.isFinite))];
}

/** A string of a name-like or free type, numbered with `n`, of `length` characters (0: its natural length). */
function stringOf(builtin: SimpleTypeMeta["builtin"], n: number, length: number): string {
  const base = builtin === "ID" || builtin === "IDREF" || builtin === "IDREFS" ? `id${n}` : builtin === "NMTOKENS" ? `t${n} u${n}` : `v${n}`;
  if (length === 0) return base;
  if (base.length >= length) return base.slice(0, length);
  return base + "abcdefghijklmnopqrstuvwxyz".repeat(Math.ceil(length / 26)).slice(0, length - base.length);
}

/** Numeric candidates: plain small values, then values next to each bound, then digit-limited ones. */
function numberCandidates(type: SimpleTypeMeta): string[] {
  const f = type.facets;
  const integer = type.builtin !== "decimal" && type.builtin !== "float" && type.builtin !== "double";
  const out = integer ? ["1", "2", "0", "-1"] : ["1.5", "2.25", "1", "0", "-1.5"];
  const step = integer ? "1" : "0.5";
  if (f.minInclusive !== undefined) out.push(f.minInclusive, addDecimal(f.minInclusive, step));
  if (f.maxInclusive !== undefined) out.push(f.maxInclusive, addDecimal(f.maxInclusive, `-${step}`));
  if (f.minExclusive !== undefined) out.push(addDecimal(f.minExclusive, step), addDecimal(f.minExclusive, "1"), addDecimal(f.minExclusive, "0.001"));
  if (f.maxExclusive !== undefined) out.push(addDecimal(f.maxExclusive, `-${step}`), addDecimal(f.maxExclusive, "-1"), addDecimal(f.maxExclusive, "-0.001"));
  if (f.totalDigits !== undefined) out.push("1".repeat(Math.max(1, f.totalDigits - (f.fractionDigits ?? 0))));
  // Canonical forms only: the codec carries integers and decimals exactly as written.
  return [...new Set(out.map((s) => canonicalNumber(s, integer)))];
}

/** `a + b` for decimal lexical forms, exactly. */
function addDecimal(a: string, b: string): string {
  const scale = Math.max(fractionLength(a), fractionLength(b));
  const sum = scaled(a, scale) + scaled(b, scale);
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(scale + 1, "0");
  const whole = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return `${negative ? "-" : ""}${whole}`;
}

function fractionLength(s: string): number {
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

function scaled(s: string, scale: number): bigint {
  const t = s.trim().replace(/^\+/, "");
  const negative = t.startsWith("-");
  const body = negative ? t.slice(1) : t;
  const [whole = "0", frac = ""] = body.split(".");
  const v = BigInt((whole === "" ? "0" : whole) + frac.padEnd(scale, "0"));
  return negative ? -v : v;
}

/** Drops a `+`, leading zeros and trailing fraction zeros; integers lose any fraction. */
function canonicalNumber(s: string, integer: boolean): string {
  let t = s.trim().replace(/^\+/, "");
  if (/[eE]|INF|NaN/.test(t)) return t;
  const negative = t.startsWith("-");
  if (negative) t = t.slice(1);
  let [whole = "", frac = ""] = t.split(".");
  whole = whole.replace(/^0+(?=\d)/, "") || "0";
  frac = integer ? "" : frac.replace(/0+$/, "");
  const body = frac === "" ? whole : `${whole}.${frac}`;
  return negative && body !== "0" ? `-${body}` : body;
}

// ---------------------------------------------------------------------------------------------
// Pattern sampling: strings that an XSD regular expression matches.

type Node = { readonly kind: "alt"; readonly branches: readonly Piece[][] };
interface Piece {
  readonly atom: Atom;
  readonly min: number;
  readonly max: number;
}
type Atom = { readonly kind: "chars"; readonly options: readonly string[] } | { readonly kind: "group"; readonly node: Node };

/** Characters tried for a character class or escape, in this order. */
const POOL = "aA1bB0zZ9xX -_.:@/+,#'()&=?!*$%;\u00e9\u00c0";

class PatternParser {
  #i = 0;
  readonly #p: string;
  constructor(pattern: string) {
    this.#p = pattern;
  }

  parse(): Node {
    const node = this.#alt();
    if (this.#i < this.#p.length) throw new Error(`unexpected ${this.#p[this.#i]} at ${this.#i}`);
    return node;
  }

  #alt(): Node {
    const branches: Piece[][] = [this.#branch()];
    while (this.#p[this.#i] === "|") {
      this.#i++;
      branches.push(this.#branch());
    }
    return { kind: "alt", branches };
  }

  #branch(): Piece[] {
    const pieces: Piece[] = [];
    while (this.#i < this.#p.length && this.#p[this.#i] !== "|" && this.#p[this.#i] !== ")") {
      const atom = this.#atom();
      const [min, max] = this.#quantifier();
      pieces.push({ atom, min, max });
    }
    return pieces;
  }

  #quantifier(): [number, number] {
    const c = this.#p[this.#i];
    if (c === "?") return this.#i++, [0, 1];
    if (c === "*") return this.#i++, [0, Infinity];
    if (c === "+") return this.#i++, [1, Infinity];
    if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#p.slice(this.#i));
      if (m === null) throw new Error("bad quantifier");
      this.#i += m[0].length;
      const min = Number(m[1]);
      return [min, m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3])];
    }
    return [1, 1];
  }

  #atom(): Atom {
    const c = this.#p[this.#i]!;
    if (c === "(") {
      this.#i++;
      const node = this.#alt();
      if (this.#p[this.#i] !== ")") throw new Error("unclosed group");
      this.#i++;
      return { kind: "group", node };
    }
    const start = this.#i;
    if (c === "[") {
      let depth = 0;
      for (; this.#i < this.#p.length; this.#i++) {
        const ch = this.#p[this.#i];
        if (ch === "\\") this.#i++;
        else if (ch === "[") depth++;
        else if (ch === "]" && --depth === 0) break;
      }
      this.#i++;
      return classAtom(this.#p.slice(start, this.#i));
    }
    if (c === "\\") {
      const n = this.#p[this.#i + 1];
      this.#i += 2;
      if (n === "p" || n === "P") {
        const close = this.#p.indexOf("}", this.#i);
        this.#i = close + 1;
      }
      const text = this.#p.slice(start, this.#i);
      const single = /^\\[nrt\\|.?*+(){}\-[\]^]$/.exec(text);
      if (single !== null) return { kind: "chars", options: [n === "n" ? "\n" : n === "r" ? "\r" : n === "t" ? "\t" : n!] };
      return classAtom(text);
    }
    this.#i += c.codePointAt(0)! > 0xffff ? 2 : 1;
    if (c === ".") return classAtom(".");
    return { kind: "chars", options: [this.#p.slice(start, this.#i)] };
  }
}

/** A character class or class escape: the pool characters (and the class's own first characters) it matches. */
function classAtom(text: string): Atom {
  let re: RegExp;
  try {
    re = translatePattern(text);
  } catch {
    return { kind: "chars", options: [] };
  }
  const hints = text.startsWith("[") && !text.startsWith("[^") ? [...text.slice(1, -1).replace(/\\./g, "")].filter((ch) => ch !== "-") : [];
  const options = [...new Set([...hints, ...POOL])].filter((ch) => re.test(ch));
  return { kind: "chars", options };
}

/** Up to a few dozen strings built from `pattern` (repetition counts and branches varied), for the codec to judge. */
export function patternSamples(pattern: string, preferredLengths: readonly number[]): string[] {
  let node: Node;
  try {
    node = new PatternParser(pattern).parse();
  } catch {
    return [];
  }
  const out = new Set<string>();
  const repeats = [...new Set([1, 0, 2, 3, 4, 5, 6, 8, 10, 12, 16, ...preferredLengths])];
  for (const branch of [0, 1, 2, 3]) {
    for (const repeat of repeats) {
      for (const charIndex of [0, 1]) {
        const s = render(node, { branch, repeat, charIndex });
        if (s !== undefined) out.add(s);
      }
    }
  }
  return [...out];
}

interface Choice {
  readonly branch: number;
  readonly repeat: number;
  readonly charIndex: number;
}

function render(node: Node, c: Choice): string | undefined {
  const branch = node.branches[c.branch % node.branches.length]!;
  let out = "";
  for (const piece of branch) {
    const count = Math.min(Math.max(c.repeat, piece.min), piece.max);
    for (let k = 0; k < count; k++) {
      if (piece.atom.kind === "group") {
        const inner = render(piece.atom.node, c);
        if (inner === undefined) return undefined;
        out += inner;
      } else {
        const options = piece.atom.options;
        if (options.length === 0) return undefined;
        out += options[(c.charIndex + k) % options.length]!;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparison.

/**
 * Compares a built value with the decoded one. Returns `undefined` when they are equal, else the
 * path of the first difference and what differs. Raw XML (`xs:anyType`) compares by content:
 * names, attributes and text, not prefixes, positions or the wrapper's own name.
 */
export function difference(expected: unknown, actual: unknown, path = ""): string | undefined {
  if (expected === actual) return undefined;
  if (typeof expected === "number" && typeof actual === "number") return Object.is(expected, actual) ? undefined : `${path}: ${expected} became ${actual}`;
  if (expected === null || actual === null || typeof expected !== "object" || typeof actual !== "object") {
    return `${path}: ${show(expected)} became ${show(actual)}`;
  }
  if (expected instanceof Uint8Array || actual instanceof Uint8Array) {
    const same = expected instanceof Uint8Array && actual instanceof Uint8Array && Buffer.from(expected).equals(Buffer.from(actual));
    return same ? undefined : `${path}: bytes differ`;
  }
  if (isXmlElement(expected) || isXmlElement(actual)) {
    if (!isXmlElement(expected) || !isXmlElement(actual)) return `${path}: raw XML became ${show(actual)}`;
    return xmlContentDifference(expected, actual, path);
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return `${path}: ${show(expected)} became ${show(actual)}`;
    if (expected.length !== actual.length) return `${path}: ${expected.length} items became ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(expected[i], actual[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = new Set([...Object.keys(e), ...Object.keys(a)].filter((k) => e[k] !== undefined || a[k] !== undefined));
  for (const k of [...keys].sort()) {
    const member = path === "" ? k : `${path}.${k}`;
    if (!(k in a) || a[k] === undefined) return `${member}: missing after decoding`;
    if (!(k in e) || e[k] === undefined) return `${member}: appeared after decoding`;
    const d = difference(e[k], a[k], member);
    if (d !== undefined) return d;
  }
  return undefined;
}

function isXmlElement(v: unknown): v is XmlElement {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "element" && Array.isArray((v as { children?: unknown }).children);
}

function xmlContentDifference(e: XmlElement, a: XmlElement, path: string): string | undefined {
  const norm = (el: XmlElement): string =>
    el.children
      .map((c) =>
        c.kind === "text"
          ? JSON.stringify(c.value)
          : `{${c.ns}}${c.local}[${c.attributes
              .filter((x) => x.ns === "")
              .map((x) => `${x.local}=${JSON.stringify(x.value)}`)
              .sort()
              .join(",")}](${norm(c)})`,
      )
      .join("");
  return norm(e) === norm(a) ? undefined : `${path}: raw XML content differs`;
}

function show(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return JSON.stringify(v.length > 30 ? `${v.slice(0, 27)}...` : v);
  if (typeof v === "object") return Array.isArray(v) ? "an array" : "an object";
  return String(v);
}
