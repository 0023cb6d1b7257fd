/**
 * Descriptor-driven decoding: XML elements → TypeScript values.
 *
 * Each type descriptor is compiled once into a reader closure (cached in a WeakMap, like
 * protobuf-es does for its binary readers). Strict reading refuses anything the schema does
 * not allow; lenient reading skips unknown elements, attributes and text, reporting each to a
 * hook, and tolerates members out of order. Missing required members, broken facets and bad
 * lexical forms are errors in both modes: lenience is about additions, never about loss.
 */
import {
  ANY_ATTRIBUTES_MEMBER,
  ELEMENT_MEMBER,
  MIXED_TEXT_MEMBER,
  SIMPLE_CONTENT_MEMBER,
  TYPE_MEMBER,
  WILDCARD_MEMBER,
  type AnyAttribute,
  type AttributeWildcardMeta,
  type WildcardMeta,
  type WildcardNamespacesMeta,
  type AttributeMeta,
  type ComplexTypeMeta,
  type ElementMeta,
  type SimpleTypeMeta,
  type SubstituteMeta,
  type TypeMeta,
} from "../meta.ts";
import type { XmlElement } from "../xml/node.ts";
import { CodecError } from "../errors.ts";
import { XSI } from "../xml/namespaces.ts";
import { applyWhiteSpace, builtinCodecs } from "./builtins.ts";
import { compileFacets } from "./facets.ts";
import { compiledFor } from "./compiled.ts";
import { choiceProblem } from "./choices.ts";
import type { QName } from "./values.ts";

/** Something the lenient reader skipped, or (`order`) a member it read although it stood out of schema order. */
export interface UnknownContent {
  readonly path: string;
  readonly kind: "element" | "attribute" | "text" | "order";
  /** `{namespace}local` for elements and attributes; the trimmed text (at most 40 characters) for text. */
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

export interface DecodeOptions {
  /** `true` (default): unknown or misplaced content is an error. `false`: it is skipped and reported. */
  readonly strict?: boolean;
  /** Called for each piece of content skipped in lenient mode. */
  readonly onUnknown?: (content: UnknownContent) => void;
}

interface Context {
  readonly strict: boolean;
  readonly onUnknown: ((content: UnknownContent) => void) | undefined;
}

type Reader = (el: XmlElement, path: string, ctx: Context) => unknown;

const readers = new WeakMap<TypeMeta, Reader>();

/**
 * Decodes one element against its declaration. The element's own name must match.
 * @throws CodecError naming the member path and what is wrong.
 */
export function decodeElement<T>(el: XmlElement, meta: ElementMeta, options: DecodeOptions = {}): T {
  const ctx: Context = { strict: options.strict ?? true, onUnknown: options.onUnknown };
  if (el.local !== meta.name || el.ns !== meta.ns || meta.abstract === true) {
    // A substitution group's head (an abstract Body element): one of its members may stand instead.
    if (meta.substitutes !== undefined) {
      const substitutes = substitutesOf(meta);
      if (substitutes.has(`${el.ns} ${el.local}`) || (el.local === meta.name && el.ns === meta.ns)) {
        return readSubstitute(el, meta, substitutes, meta.name, ctx, elementReader(meta)) as T;
      }
      const allowed = [...(meta.abstract === true ? [] : [label(meta.ns, meta.name)]), ...[...substitutes.values()].map((s) => label(s.element.ns, s.element.name))].join(", ");
      throw new CodecError("decode", "unexpected", meta.name, `expected element ${allowed === "" ? label(meta.ns, meta.name) : `${allowed} (where ${label(meta.ns, meta.name)} stands)`}, found ${label(el.ns, el.local)}`);
    }
    if (el.local !== meta.name || el.ns !== meta.ns) {
      throw new CodecError("decode", "unexpected", meta.name, `expected element ${label(meta.ns, meta.name)}, found ${label(el.ns, el.local)}`);
    }
  }
  return readElementValue(el, meta, meta.name, ctx) as T;
}

const substituteMaps = new WeakMap<ElementMeta, ReadonlyMap<string, SubstituteMeta>>();

/** The elements that may stand for a head, by `namespace local name`. */
function substitutesOf(meta: ElementMeta): ReadonlyMap<string, SubstituteMeta> {
  let byName = substituteMaps.get(meta);
  if (byName === undefined) {
    byName = new Map(meta.substitutes!().map((s) => [`${s.element.ns} ${s.element.name}`, s]));
    substituteMaps.set(meta, byName);
  }
  return byName;
}

function label(ns: string, local: string): string {
  return ns === "" ? local : `{${ns}}${local}`;
}

function isNil(el: XmlElement): boolean {
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i]!;
    if (a.ns === XSI && a.local === "nil") {
      const v = a.value.trim();
      return v === "true" || v === "1";
    }
  }
  return false;
}

function readElementValue(el: XmlElement, meta: ElementMeta, path: string, ctx: Context, reader?: Reader): unknown {
  if (el.attributes.length !== 0 && isNil(el)) {
    if (!meta.nillable) throw new CodecError("decode", "nil", path, `${meta.name} is not nillable but carries xsi:nil="true"`);
    for (const child of el.children) {
      if (child.kind === "element" || child.value.trim() !== "") {
        throw new CodecError("decode", "invalid", path, `${meta.name} carries xsi:nil="true" and must then be empty`);
      }
    }
    return null;
  }
  return (reader ?? elementReader(meta))(el, path, ctx);
}

function readerFor(type: TypeMeta): Reader {
  return compiledFor(readers, type, compile);
}

const narrowedReaders = new WeakMap<ElementMeta, Reader>();

/** The reader of an element's value: its type's, checked first against the element's `block` when that narrows the derived types. */
function elementReader(meta: ElementMeta): Reader {
  return meta.derived === undefined ? readerFor(meta.type()) : compiledFor(narrowedReaders, meta, compileNarrowedDerivation);
}

/**
 * An element whose `block` (or its type's) leaves out some types derived from its type (XSD
 * Part 1, 3.3.4 clause 4.3): an `xsi:type` naming one of them is refused, naming the allowed
 * ones; the rest is the type's own reader.
 */
function compileNarrowedDerivation(meta: ElementMeta): Reader {
  const type = meta.type();
  const full = readerFor(type);
  if (type.kind !== "complex") return full;
  const key = (n: { readonly ns: string; readonly local: string }) => `{${n.ns}}${n.local}`;
  const concrete = [...(type.abstract === true ? [] : [type]), ...meta.derived!()].filter((t) => t.abstract !== true && t.typeName !== undefined);
  const allowed = new Set(concrete.map((t) => key(t.typeName!)));
  const allowedList = () => [...allowed].join(", ") || "none";
  return (el, path, ctx) => {
    const attr = el.attributes.find((a) => a.ns === XSI && a.local === "type");
    if (attr === undefined) {
      if (type.abstract === true) throw new CodecError("decode", "invalid", path, `${type.label} is abstract: ${label(meta.ns, meta.name)} needs xsi:type naming one of ${allowedList()}`);
      return full(el, path, ctx);
    }
    const q = resolveQName(el, attr.value.trim());
    if (q !== undefined && !allowed.has(`{${q.namespace}}${q.localName}`)) {
      throw new CodecError("decode", "invalid", path, `xsi:type {${q.namespace}}${q.localName} may not stand where ${label(meta.ns, meta.name)} is declared (the element's or its type's block leaves it out); allowed: ${allowedList()}`);
    }
    return full(el, path, ctx);
  };
}

function compile(type: TypeMeta): Reader {
  switch (type.kind) {
    case "simple":
      return compileSimple(type);
    case "complex":
      return type.typeName !== undefined || type.abstract === true ? compileDerivation(type, compileComplex(type)) : compileComplex(type);
    case "any":
      return (el) => el;
  }
}

/**
 * A type of a derivation family: `xsi:type` (resolved by namespace, never by prefix) picks the
 * derived type the element holds, and the value names it in `$type`; without `xsi:type` the
 * element holds the declared type, which must then not be abstract.
 */
function compileDerivation(type: ComplexTypeMeta, own: Reader): Reader {
  const family = new Map<string, ComplexTypeMeta>();
  const familyOf = () => {
    if (family.size === 0) for (const d of type.derived?.() ?? []) if (d.typeName !== undefined) family.set(`{${d.typeName.ns}}${d.typeName.local}`, d);
    return family;
  };
  const self = type.typeName === undefined ? undefined : `{${type.typeName.ns}}${type.typeName.local}`;
  return (el, path, ctx) => {
    const attr = el.attributes.find((a) => a.ns === XSI && a.local === "type");
    if (attr === undefined) {
      if (type.abstract === true) throw new CodecError("decode", "invalid", path, `${type.label} is abstract: the element needs xsi:type naming a type derived from it`);
      return own(el, path, ctx);
    }
    const q = resolveQName(el, attr.value.trim());
    if (q === undefined) throw new CodecError("decode", "invalid", path, `xsi:type ${attr.value} uses an undeclared prefix`);
    const key = `{${q.namespace}}${q.localName}`;
    if (key === self && type.abstract !== true) return own(el, path, ctx);
    const derived = familyOf().get(key);
    if (derived === undefined || derived.abstract === true) {
      throw new CodecError("decode", "invalid", path, `xsi:type ${key} is not ${type.abstract === true ? "a concrete type derived from" : "a type derived from"} ${type.label}`);
    }
    const value = readerFor(derived)(el, path, ctx) as Record<string, unknown>;
    value[TYPE_MEMBER] = derived.typeName!.ts;
    return value;
  };
}

/** Resolves a QName-valued text against the namespaces in scope at `el`. */
function resolveQName(el: XmlElement, lexical: string): QName | undefined {
  const colon = lexical.indexOf(":");
  const prefix = colon < 0 ? "" : lexical.slice(0, colon);
  const localName = colon < 0 ? lexical : lexical.slice(colon + 1);
  if (prefix === "xml") return { namespace: "http://www.w3.org/XML/1998/namespace", localName };
  for (let e: XmlElement | undefined = el; e !== undefined; e = e.parent) {
    for (const d of e.namespaces) if (d.prefix === prefix) return { namespace: d.uri, localName };
  }
  return prefix === "" ? { namespace: "", localName } : undefined;
}

/** `xs:list`: the collapsed text split at spaces, each item read as the item type; length facets count items. */
function compileList(type: SimpleTypeMeta, itemType: SimpleTypeMeta): Reader {
  const readItem = compileSimple(itemType);
  const { length, minLength, maxLength, ...whole } = type.facets;
  const wholeFacets = compileFacets({ ...type, facets: whole }, builtinCodecs.string);
  return (el, path, ctx) => {
    let text = "";
    for (const child of el.children) {
      if (child.kind === "element") throw new CodecError("decode", "unexpected", path, `has simple content of type ${type.label} but contains element ${label(child.ns, child.local)}`);
      text += child.value;
    }
    checkAttributes(el, path, ctx, undefined);
    const lexical = applyWhiteSpace(text, "collapse");
    const facetError = wholeFacets?.(lexical) ?? listLengthError(lexical === "" ? 0 : lexical.split(" ").length, length, minLength, maxLength);
    if (facetError !== undefined) throw new CodecError("decode", "invalid", path, `value ${quote(lexical)} ${facetError}`);
    if (lexical === "") return [];
    // Each item is read as an element of its own, in the same namespace scope (QName items resolve).
    return lexical.split(" ").map((item, k) => readItem({ ...el, attributes: [], children: [{ kind: "text", value: item }] }, `${path}[${k}]`, ctx));
  };
}

/** The length facets of a list, on its item count. */
export function listLengthError(count: number, length: number | undefined, minLength: number | undefined, maxLength: number | undefined): string | undefined {
  if (length !== undefined && count !== length) return `must have exactly ${length} items, has ${count}`;
  if (minLength !== undefined && count < minLength) return `must have at least ${minLength} items, has ${count}`;
  if (maxLength !== undefined && count > maxLength) return `must have at most ${maxLength} items, has ${count}`;
  return undefined;
}

/** `xs:union`: the text read as the first member type that accepts it. */
function compileUnion(type: SimpleTypeMeta, members: readonly SimpleTypeMeta[]): Reader {
  const readers = members.map(compileSimple);
  const wholeFacets = compileFacets(type, builtinCodecs.string);
  return (el, path, ctx) => {
    if (wholeFacets !== undefined) {
      let text = "";
      for (const child of el.children) if (child.kind === "text") text += child.value;
      const error = wholeFacets(applyWhiteSpace(text, "collapse"));
      if (error !== undefined) throw new CodecError("decode", "invalid", path, `value ${quote(text)} ${error}`);
    }
    const errors: string[] = [];
    for (const read of readers) {
      try {
        return read(el, path, ctx);
      } catch (error) {
        if (!(error instanceof CodecError)) throw error;
        errors.push(error.detail);
      }
    }
    throw new CodecError("decode", "invalid", path, `no member type of ${type.label} accepts the value (${errors.join("; ")})`);
  };
}

/** Reads a simple value from its text; throws CodecError on `path`. */
export type SimpleTextReader = (text: string, path: string) => unknown;

const simpleTextReaders = new WeakMap<SimpleTypeMeta, SimpleTextReader>();

/**
 * The reader of a simple type's text, for types whose value needs nothing but the text (no
 * list, union or QName, which need the element): whitespace processing, the lexical check, the
 * facets, then the value. The element reader below uses it too, so both read alike.
 * `undefined` for the other types.
 */
export function simpleTextReader(type: SimpleTypeMeta): SimpleTextReader | undefined {
  if (type.itemType !== undefined || type.memberTypes !== undefined || builtinCodecs[type.builtin].shape === "qname") return undefined;
  let read = simpleTextReaders.get(type);
  if (read === undefined) {
    const codec = builtinCodecs[type.builtin];
    const whiteSpace = type.facets.whiteSpace ?? codec.whiteSpace;
    const facets = compileFacets(type, codec);
    read = (text, path) => {
      const lexical = applyWhiteSpace(text, whiteSpace);
      const lexError = codec.checkLexical(lexical);
      if (lexError !== undefined) throw new CodecError("decode", "invalid", path, lexError);
      const facetError = facets?.(lexical);
      if (facetError !== undefined) throw new CodecError("decode", "invalid", path, `value ${quote(lexical)} ${facetError}`);
      return codec.parse(lexical);
    };
    simpleTextReaders.set(type, read);
  }
  return read;
}

function compileSimple(type: SimpleTypeMeta): Reader {
  if (type.itemType !== undefined) return compileList(type, type.itemType());
  if (type.memberTypes !== undefined) return compileUnion(type, type.memberTypes());
  const codec = builtinCodecs[type.builtin];
  const whiteSpace = type.facets.whiteSpace ?? codec.whiteSpace;
  const facets = compileFacets(type, codec);
  const readText = simpleTextReader(type);
  return (el, path, ctx) => {
    let text = "";
    // (Index loops over the parser's arrays: see runtime/src/security/tree.ts.)
    const children = el.children;
    for (let c = 0; c < children.length; c++) {
      const child = children[c]!;
      if (child.kind === "element") {
        throw new CodecError("decode", "unexpected", path, `has simple content of type ${type.label} but contains element ${label(child.ns, child.local)}`);
      }
      text += child.value;
    }
    checkAttributes(el, path, ctx, undefined);
    if (readText !== undefined) return readText(text, path);
    const lexical = applyWhiteSpace(text, whiteSpace);
    const lexError = codec.checkLexical(lexical);
    if (lexError !== undefined) throw new CodecError("decode", "invalid", path, lexError);
    const facetError = facets?.(lexical);
    if (facetError !== undefined) throw new CodecError("decode", "invalid", path, `value ${quote(lexical)} ${facetError}`);
    if (codec.shape === "qname") {
      const q = resolveQName(el, lexical);
      if (q === undefined) throw new CodecError("decode", "invalid", path, `QName ${lexical} uses an undeclared prefix`);
      return q;
    }
    return codec.parse(lexical);
  };
}

/** Quotes a value for an error message, cut short so that a huge value cannot flood a log. */
function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/** Attributes: the XSI ones are the codec's own; anything undeclared is unknown content. */
function checkAttributes(el: XmlElement, path: string, ctx: Context, declared: ReadonlySet<string> | undefined): void {
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i]!;
    if (a.ns === XSI && isCodecAttribute(a.ns, a.local)) continue;
    if (declared?.has(`${a.ns} ${a.local}`)) continue;
    unknown(ctx, { path, kind: "attribute", name: label(a.ns, a.local), line: el.line, column: el.column });
  }
}

/** Whether an attribute belongs to the codec itself (`xsi:nil`, `xsi:type`, the schema location hints). */
export function isCodecAttribute(ns: string, local: string): boolean {
  return ns === XSI && (local === "nil" || local === "type" || local === "schemaLocation" || local === "noNamespaceSchemaLocation");
}

const UNDECLARED = { undeclared: true } as const;

/** Whether a wildcard's namespace constraint allows `ns` (`##other` excludes its own namespace and no namespace). */
export function namespaceAllowed(n: WildcardNamespacesMeta, ns: string): boolean {
  return n.kind === "any" || (n.kind === "other" ? ns !== n.ns && ns !== "" : n.list.includes(ns));
}

/**
 * Checks an attribute an `xs:anyAttribute` matched, by `processContents`: `undeclared` when the
 * wildcard is strict and the contract declares no such global attribute, the problem with its
 * value, or `undefined`. Lax checks a value when there is a declaration; skip checks nothing.
 */
export function attributeWildcardCheck(wildcard: AttributeWildcardMeta): (ns: string, local: string, value: string, scope: XmlElement | undefined) => { readonly undeclared: true } | string | undefined {
  if (wildcard.processContents === "skip") return () => undefined;
  let declared: Map<string, Reader> | undefined;
  return (ns, local, value, scope) => {
    if (declared === undefined) {
      declared = new Map();
      for (const a of wildcard.declared?.() ?? []) declared.set(`${a.ns} ${a.name}`, compileSimple(a.type()));
    }
    const read = declared.get(`${ns} ${local}`);
    if (read === undefined) return wildcard.processContents === "strict" ? UNDECLARED : undefined;
    const holder: XmlElement = scope ?? { kind: "element", ns: "", local: "", prefix: "", attributes: [], namespaces: [], children: [], parent: undefined, start: 0, end: 0, line: 0, column: 0 };
    try {
      read({ ...holder, attributes: [], children: [{ kind: "text", value }] }, "", { strict: true, onUnknown: undefined });
      return undefined;
    } catch (error) {
      if (error instanceof CodecError) return `attribute ${label(ns, local)}: ${error.detail}`;
      throw error;
    }
  };
}

/**
 * `xs:anyAttribute`: the attributes of `el` that no attribute use declares and the wildcard
 * matches, in document order (`undefined` when there are none); the others are unknown content.
 */
function compileAttributeWildcard(wildcard: AttributeWildcardMeta, declaredUses: ReadonlySet<string>): (el: XmlElement, path: string, ctx: Context) => AnyAttribute[] | undefined {
  const check = attributeWildcardCheck(wildcard);
  return (el, path, ctx) => {
    let matched: AnyAttribute[] | undefined;
    for (const a of el.attributes) {
      if (isCodecAttribute(a.ns, a.local) || declaredUses.has(`${a.ns} ${a.local}`)) continue;
      if (!namespaceAllowed(wildcard.namespaces, a.ns)) {
        unknown(ctx, { path, kind: "attribute", name: label(a.ns, a.local), line: el.line, column: el.column });
        continue;
      }
      const problem = check(a.ns, a.local, a.value, el);
      if (problem === UNDECLARED) {
        // Nothing declares it, as a strict wildcard requires: like an attribute no wildcard allows.
        unknown(ctx, { path, kind: "attribute", name: label(a.ns, a.local), line: el.line, column: el.column });
        continue;
      }
      if (problem !== undefined) throw new CodecError("decode", "invalid", `${path}.${ANY_ATTRIBUTES_MEMBER}`, problem as string);
      (matched ??= []).push({ ns: a.ns, local: a.local, value: a.value });
    }
    return matched;
  };
}

function unknown(ctx: Context, content: UnknownContent): void {
  if (ctx.strict) {
    const what = content.kind === "text" ? `text ${JSON.stringify(content.name)}` : `${content.kind} ${content.name}`;
    throw new CodecError("decode", "unexpected", content.path, `unexpected ${what} (line ${content.line}, column ${content.column})`);
  }
  ctx.onUnknown?.(content);
}

/** Reads the declared attributes of `el` into `result`; a missing required one is an error. */
function readAttributes(readers: readonly { meta: AttributeMeta; read: Reader }[], el: XmlElement, path: string, ctx: Context, result: Record<string, unknown>): void {
  for (const { meta, read } of readers) {
    const attr = el.attributes.find((a) => a.ns === meta.ns && a.local === meta.name);
    if (attr === undefined) {
      if (meta.required) throw new CodecError("decode", "missing", `${path}.${meta.name}`, `missing required attribute ${meta.name}`);
      continue;
    }
    // The element stands in for the attribute: a QName value resolves against its namespaces.
    const property = meta.member ?? meta.name;
    setMember(result, property, read({ ...el, attributes: [], children: [{ kind: "text", value: attr.value }] }, `${path}.${property}`, ctx));
  }
}

/** `xs:simpleContent`: the text read as its simple type (under `$value`), and the attributes. */
function compileSimpleContent(type: ComplexTypeMeta, valueType: SimpleTypeMeta): Reader {
  const declaredAttributes = new Set(type.attributes.map((a) => `${a.ns} ${a.name}`));
  const attributeReaders = type.attributes.map((a) => ({ meta: a, read: compileSimple(a.type()) }));
  const readValue = compileSimple(valueType);
  const attributeWildcard = type.anyAttribute === undefined ? undefined : compileAttributeWildcard(type.anyAttribute, declaredAttributes);
  return (el, path, ctx) => {
    let anyAttributes: AnyAttribute[] | undefined;
    if (attributeWildcard === undefined) checkAttributes(el, path, ctx, declaredAttributes);
    else anyAttributes = attributeWildcard(el, path, ctx);
    const result: Record<string, unknown> = {};
    readAttributes(attributeReaders, el, path, ctx, result);
    result[SIMPLE_CONTENT_MEMBER] = readValue({ ...el, attributes: [] }, path, ctx);
    if (anyAttributes !== undefined) result[ANY_ATTRIBUTES_MEMBER] = anyAttributes;
    return result;
  };
}

function compileComplex(type: ComplexTypeMeta): Reader {
  if (type.simpleContent !== undefined) return compileSimpleContent(type, type.simpleContent());
  const particles = type.content;
  const unorderedContent = type.unordered === true;
  // Namespace → local name → member index (the last member of that name, as always): no
  // string is built to look a child up.
  const index = new Map<string, Map<string, number>>();
  const add = (ns: string, local: string, i: number) => {
    let locals = index.get(ns);
    if (locals === undefined) index.set(ns, (locals = new Map()));
    locals.set(local, i);
  };
  particles.forEach((p, i) => {
    if (p.group !== true) add(p.ns, p.name, i);
  });
  // The elements that may stand for a substitution group's head are found as the head's member.
  const substitutions = particles.some((p) => p.substitutes !== undefined);
  const substituteAt: (Map<string, SubstituteMeta> | undefined)[] = new Array(particles.length).fill(undefined);
  if (substitutions) {
    particles.forEach((p, i) => {
      if (p.substitutes === undefined) return;
      const byName = new Map<string, SubstituteMeta>();
      for (const s of p.substitutes()) {
        byName.set(`${s.element.ns} ${s.element.name}`, s);
        if (index.get(s.element.ns)?.get(s.element.name) === undefined) add(s.element.ns, s.element.name, i);
      }
      substituteAt[i] = byName;
    });
  }
  /** What may stand where the heads are referenced, for the message that refuses an element. */
  const substitutionHint = (): string =>
    particles
      .filter((p) => p.substitutes !== undefined)
      .map((p) => `; where ${p.name} stands: ${[...(p.abstract === true ? [] : [label(p.ns, p.name)]), ...p.substitutes!().map((s) => label(s.element.ns, s.element.name))].join(", ")}`)
      .join("");
  // A repeated model group is found by the elements its occurrences hold (a member of the type's own wins).
  const groups = particles.some((p) => p.group === true);
  if (groups) {
    particles.forEach((p, i) => {
      if (p.group !== true) return;
      for (const [ns, local] of groupElementNames(p)) if (index.get(ns)?.get(local) === undefined) add(ns, local, i);
    });
  }
  const count = particles.length;
  // The property of each member (a later member with an earlier one's name has one of its own).
  const properties = particles.map((p) => p.member ?? p.name);
  // What the in-order scan below compares children with: a group has no name of its own on the wire.
  const scanned = groups ? particles.map((p) => (p.group === true ? NO_ELEMENT : p)) : particles;
  const indexOf = scanned.map((p) => index.get(p.ns)?.get(p.name) ?? -1);
  /**
   * The member a child element is. Children mostly come in schema order, so a few members from
   * the current position on are tried first by plain comparison; the maps answer the rest.
   */
  const memberInOrder = (child: XmlElement, position: number): number | undefined => {
    const stop = Math.min(count, position + 4);
    for (let i = position; i < stop; i++) {
      const p = scanned[i]!;
      if (p.name === child.local && p.ns === child.ns) return indexOf[i];
    }
    return index.get(child.ns)?.get(child.local);
  };
  // Members sharing a name (decided here, once): the one a child is depends on where the reader stands.
  const sameName = sameNamedMembers(particles);
  const memberOf: (child: XmlElement, position: number, counts: readonly number[]) => number | undefined =
    sameName === undefined
      ? memberInOrder
      : (child, position, counts) => {
          const list = sameName.get(`${child.ns} ${child.local}`);
          return list === undefined ? memberInOrder(child, position) : memberByPosition(list, particles, position, counts, unorderedContent);
        };
  // Members' readers, resolved on first use (a recursive type reaches itself while compiling).
  const memberReaders: (Reader | undefined)[] = new Array(count).fill(undefined);
  const readerAt = (i: number) => (memberReaders[i] ??= elementReader(particles[i]!));
  const declaredAttributes = new Set(type.attributes.map((a) => `${a.ns} ${a.name}`));
  const attributeReaders = type.attributes.map((a) => ({ meta: a, read: compileSimple(a.type()) }));
  const unordered = unorderedContent;
  const mixed = type.mixed === true;
  const wildcard = type.wildcard;
  // Every xs:any of the type, when it has several: each element goes to the one where it stands.
  const wildcards = wildcard !== undefined && type.moreWildcards !== undefined && type.moreWildcards.length > 0 ? [wildcard, ...type.moreWildcards] : undefined;
  const choices = type.choices;
  const expected = (from: number) =>
    particles
      .slice(from)
      .map((p) => p.name)
      .join(", ") || "nothing more";

  const attributeWildcard = type.anyAttribute === undefined ? undefined : compileAttributeWildcard(type.anyAttribute, declaredAttributes);

  return (el, path, ctx) => {
    let anyAttributes: AnyAttribute[] | undefined;
    if (attributeWildcard === undefined) checkAttributes(el, path, ctx, declaredAttributes);
    else anyAttributes = attributeWildcard(el, path, ctx);
    const counts = new Array<number>(particles.length).fill(0);
    const groupChildren: (XmlElement[] | undefined)[] | undefined = groups ? new Array(count) : undefined;
    // Mixed content: the text before each child element, and after the last one.
    const texts: string[] | undefined = mixed ? [] : undefined;
    let segment = "";
    let matched: XmlElement[] | undefined;
    const wildcardCounts = wildcards === undefined ? undefined : new Array<number>(wildcards.length).fill(0);
    const values = new Array<unknown>(particles.length);
    let position = 0;
    const children = el.children;
    for (let c = 0; c < children.length; c++) {
      const child = children[c]!;
      if (child.kind === "text") {
        if (mixed) {
          segment += child.value;
          continue;
        }
        const trimmed = child.value.trim();
        if (trimmed !== "") unknown(ctx, { path, kind: "text", name: trimmed.slice(0, 40), line: el.line, column: el.column });
        continue;
      }
      if (texts !== undefined) {
        texts.push(segment);
        segment = "";
      }
      const i = memberOf(child, position, counts);
      if (i === undefined) {
        if (wildcardCounts !== undefined) {
          const k = wildcardAt(wildcards!, wildcardCounts, child.ns, unordered ? -1 : counts[position]! > 0 ? position + 1 : position);
          if (k !== undefined) {
            wildcardCounts[k]!++;
            (matched ??= []).push(child);
          } else unknown(ctx, { path: `${path}.${child.local}`, kind: "element", name: label(child.ns, child.local), line: child.line, column: child.column });
        } else if (wildcard !== undefined && wildcardMatches(wildcard, child.ns)) (matched ??= []).push(child);
        else if (substitutions && ctx.strict) {
          throw new CodecError("decode", "unexpected", `${path}.${child.local}`, `unexpected element ${label(child.ns, child.local)} (line ${child.line}, column ${child.column})${substitutionHint()}`);
        } else unknown(ctx, { path: `${path}.${child.local}`, kind: "element", name: label(child.ns, child.local), line: child.line, column: child.column });
        continue;
      }
      const p = particles[i]!;
      if (i < position && !unordered) {
        if (ctx.strict) throw new CodecError("decode", "order", `${path}.${properties[i]}`, `${p.name} is out of order (line ${child.line}): expected ${expected(position)}`);
        ctx.onUnknown?.({ path: `${path}.${properties[i]}`, kind: "order", name: label(child.ns, child.local), line: child.line, column: child.column });
      }
      if (i > position) position = i;
      if (groupChildren !== undefined && p.group === true) {
        // Split into occurrences once every child is known.
        (groupChildren[i] ??= []).push(child);
        continue;
      }
      const n = counts[i]!;
      if (n >= p.maxOccurs) {
        throw new CodecError("decode", "too-many", `${path}.${properties[i]}`, `${p.name} may occur at most ${p.maxOccurs} time${p.maxOccurs === 1 ? "" : "s"} (line ${child.line})`);
      }
      counts[i] = n + 1;
      const substitutes = substitutions ? substituteAt[i] : undefined;
      if (p.maxOccurs > 1) {
        const list = (values[i] ??= []) as unknown[];
        // Users see an array wrapper as a plain array, so its items are numbered on the wrapper's path.
        const itemPath = type.arrayItem === undefined ? `${path}.${properties[i]}[${n}]` : `${path}[${n}]`;
        list.push(substitutes === undefined ? readElementValue(child, p, itemPath, ctx, readerAt(i)) : readSubstitute(child, p, substitutes, itemPath, ctx, readerAt(i)));
      } else {
        const itemPath = `${path}.${properties[i]}`;
        values[i] = substitutes === undefined ? readElementValue(child, p, itemPath, ctx, readerAt(i)) : readSubstitute(child, p, substitutes, itemPath, ctx, readerAt(i));
      }
    }
    if (groupChildren !== undefined) {
      for (let i = 0; i < count; i++) {
        const held = groupChildren[i];
        if (held === undefined) continue;
        const p = particles[i]!;
        const occurrences = splitOccurrences(p, held);
        if (occurrences.length > p.maxOccurs) {
          throw new CodecError("decode", "too-many", `${path}.${properties[i]}`, `${p.name} may occur at most ${p.maxOccurs} time${p.maxOccurs === 1 ? "" : "s"}, found ${occurrences.length} (line ${occurrences[p.maxOccurs]![0]!.line})`);
        }
        counts[i] = occurrences.length;
        // Each occurrence is read as an element of the group's type holding its children.
        const read = (held: readonly XmlElement[], itemPath: string) => readerAt(i)({ ...el, attributes: [], children: held }, itemPath, ctx);
        values[i] = p.maxOccurs > 1 ? occurrences.map((o, k) => read(o, `${path}.${properties[i]}[${k}]`)) : read(occurrences[0]!, `${path}.${properties[i]}`);
      }
    }
    for (let i = 0; i < particles.length; i++) requireCount(particles[i]!, counts[i]!, path, properties[i]!);
    if (choices !== undefined) {
      for (const choice of choices) {
        // With several xs:any, a branch is chosen by what its own wildcard took.
        const problem = choiceProblem(choice, particles, (i) => counts[i]! > 0, wildcardCounts === undefined ? matched !== undefined : (k) => wildcardCounts[k]! > 0);
        if (problem !== undefined) throw new CodecError("decode", "invalid", path, problem);
      }
    }
    if (type.arrayItem !== undefined) {
      return (values[type.arrayItem] as unknown[] | undefined) ?? [];
    }
    const result: Record<string, unknown> = {};
    if (attributeReaders.length !== 0) readAttributes(attributeReaders, el, path, ctx, result);
    for (let i = 0; i < particles.length; i++) {
      if (counts[i]! > 0) setMember(result, properties[i]!, values[i]);
    }
    if (wildcard !== undefined) {
      for (const [k, w] of (wildcards ?? [wildcard]).entries()) {
        const n = wildcardCounts?.[k] ?? matched?.length ?? 0;
        if (n < w.minOccurs || n > w.maxOccurs) {
          const which = wildcards === undefined ? "xs:any" : `xs:any number ${k + 1} (before member ${w.position})`;
          throw new CodecError("decode", n < w.minOccurs ? "missing" : "too-many", `${path}.${WILDCARD_MEMBER}`, `${which} must match ${w.minOccurs} to ${w.maxOccurs} elements, found ${n}`);
        }
      }
      if (matched !== undefined) result[WILDCARD_MEMBER] = matched;
    }
    if (anyAttributes !== undefined) result[ANY_ATTRIBUTES_MEMBER] = anyAttributes;
    if (texts !== undefined) {
      texts.push(segment);
      if (texts.some((t) => t !== "")) result[MIXED_TEXT_MEMBER] = texts;
    }
    return result;
  };
}

/**
 * An element where a substitution group's head is referenced: the head itself (refused when
 * abstract), or a substitute, whose value names it in `$element`: on the value when that is an
 * object, else as `{ $element, $value }` (a nil substitute too).
 */
function readSubstitute(child: XmlElement, head: ElementMeta, substitutes: ReadonlyMap<string, SubstituteMeta>, path: string, ctx: Context, headReader: Reader): unknown {
  if (child.ns === head.ns && child.local === head.name) {
    if (head.abstract === true) {
      const allowed = [...substitutes.values()].map((s) => label(s.element.ns, s.element.name)).join(", ");
      throw new CodecError("decode", "invalid", path, `${label(head.ns, head.name)} is abstract and cannot stand itself (line ${child.line}); one of ${allowed} stands in its place`);
    }
    return readElementValue(child, head, path, ctx, headReader);
  }
  const chosen = substitutes.get(`${child.ns} ${child.local}`)!;
  const value = readElementValue(child, chosen.element, path, ctx);
  if (value !== null && isObjectValue(chosen.element.type())) {
    (value as Record<string, unknown>)[ELEMENT_MEMBER] = chosen.name;
    return value;
  }
  return { [ELEMENT_MEMBER]: chosen.name, [SIMPLE_CONTENT_MEMBER]: value };
}

/** Whether values of a type are objects that carry `$element` themselves. */
function isObjectValue(type: TypeMeta): boolean {
  return type.kind === "complex" && type.arrayItem === undefined;
}

/**
 * Members that share an element name (a later member with an earlier one's name), by
 * `namespace local name`, each name's members in schema order; `undefined` when there are none,
 * so that a type without them reads as before, at no cost.
 */
function sameNamedMembers(particles: readonly ElementMeta[]): ReadonlyMap<string, readonly number[]> | undefined {
  const byName = new Map<string, number[]>();
  particles.forEach((p, i) => {
    if (p.group === true) return;
    const key = `${p.ns} ${p.name}`;
    const list = byName.get(key);
    if (list === undefined) byName.set(key, [i]);
    else list.push(i);
  });
  for (const [key, list] of byName) if (list.length < 2) byName.delete(key);
  return byName.size === 0 ? undefined : byName;
}

/**
 * Which of the members sharing a child's name it is: in order, the first one at the reader's
 * position with room left or after it (Unique Particle Attribution makes that the only one
 * that fits); in unordered content, the first with room left. When none fits, the last one (an
 * out-of-order or too-many error follows).
 */
function memberByPosition(list: readonly number[], particles: readonly ElementMeta[], position: number, counts: readonly number[], unordered: boolean): number {
  for (const j of list) {
    if (unordered ? counts[j]! < particles[j]!.maxOccurs : j > position || (j === position && counts[j]! < particles[j]!.maxOccurs)) return j;
  }
  return list[list.length - 1]!;
}

/** Stands for a repeated group in the in-order scan of a type's members: no element has this name. */
const NO_ELEMENT: ElementMeta = { kind: "element", name: "", ns: "", type: () => ({ kind: "any", label: "" }), minOccurs: 0, maxOccurs: 0, nillable: false };

/** The `[namespace, local name]` of every element an occurrence of a repeated group may hold (through nested groups; substitutes too). */
function groupElementNames(group: ElementMeta): [string, string][] {
  const type = group.type();
  if (type.kind !== "complex") return [];
  return type.content.flatMap((p): [string, string][] => (p.group === true ? groupElementNames(p) : [[p.ns, p.name], ...(p.substitutes?.() ?? []).map((s): [string, string] => [s.element.ns, s.element.name])]));
}

/**
 * The children of a repeated group, split into occurrences: a new one starts where a child's
 * member comes before the previous child's in the group, or repeats a member that has all its
 * occurrences already (a sequence reads left to right, so this is the only split that fits).
 */
function splitOccurrences(group: ElementMeta, held: readonly XmlElement[]): XmlElement[][] {
  const type = group.type() as ComplexTypeMeta;
  // Every member an element name may be (several when members share a name), in member order.
  const membersOf = new Map<string, number[]>();
  const add = (key: string, i: number) => {
    const list = membersOf.get(key);
    if (list === undefined) membersOf.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  type.content.forEach((p, i) => {
    if (p.group === true) for (const [ns, local] of groupElementNames(p)) add(`${ns} ${local}`, i);
    else {
      add(`${p.ns} ${p.name}`, i);
      for (const s of p.substitutes?.() ?? []) add(`${s.element.ns} ${s.element.name}`, i);
    }
  });
  const occurrences: XmlElement[][] = [];
  let current: XmlElement[] = [];
  let counts = new Map<number, number>();
  let last = -1;
  const full = (i: number) => {
    const p = type.content[i];
    return p !== undefined && p.group !== true && (counts.get(i) ?? 0) >= p.maxOccurs;
  };
  for (const child of held) {
    const list = membersOf.get(`${child.ns} ${child.local}`);
    // The first member of that name the occurrence can still take from where it stands; none: a new occurrence starts.
    let i = list === undefined ? last : type.unordered === true ? (list.find((j) => !full(j)) ?? list[0]!) : list.find((j) => j > last || (j === last && !full(j)));
    if (i === undefined || (current.length > 0 && type.unordered !== true && (i < last || full(i)))) {
      if (current.length > 0) occurrences.push(current);
      current = [];
      counts = new Map();
      i = list?.[0] ?? last;
    }
    current.push(child);
    counts.set(i, (counts.get(i) ?? 0) + 1);
    last = i;
  }
  if (current.length > 0) occurrences.push(current);
  return occurrences;
}

/**
 * Which of a type's several `xs:any`s an element of namespace `ns` belongs to, given where the
 * reader stands (`from`: the first member position not yet passed; -1 in unordered content): the
 * first one allowing the namespace at or after that position that is not full, else the first
 * one allowing it that is not full; `undefined` when none allows it.
 */
function wildcardAt(wildcards: readonly WildcardMeta[], counts: readonly number[], ns: string, from: number): number | undefined {
  let fallback: number | undefined;
  let any: number | undefined;
  for (let k = 0; k < wildcards.length; k++) {
    const w = wildcards[k]!;
    if (!wildcardMatches(w, ns)) continue;
    any ??= k;
    if (counts[k]! >= w.maxOccurs) continue;
    if (w.position >= from) return k;
    fallback ??= k;
  }
  return fallback ?? any;
}

/** Whether an `xs:any` matches an element of namespace `ns`. */
export function wildcardMatches(wildcard: WildcardMeta, ns: string): boolean {
  return namespaceAllowed(wildcard.namespaces, ns);
}

function requireCount(p: ElementMeta, count: number, path: string, property: string): void {
  if (count < p.minOccurs) {
    throw new CodecError(
      "decode",
      "missing",
      `${path}.${property}`,
      p.minOccurs === 1 ? `missing required member ${p.name}` : `${p.name} must occur at least ${p.minOccurs} times, found ${count}`,
    );
  }
}

/** Sets a member as an own data property, so that a schema member named `__proto__` cannot touch the prototype. */
export function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === "__proto__") Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
