/**
 * The resolve pass: indexes every global component by `{namespace}name` and points each
 * {@link Ref} at its target. Lookups are by namespace URI, never by prefix (prefixes were
 * resolved where each QName was written, in `parse/context.ts`).
 *
 * Order (as zeep's `Definition.resolve_imports`): schema components first, then messages,
 * portTypes, bindings, and the services' ports.
 *
 * A reference that names nothing is read as other SOAP tools read it when exactly one reading
 * finds something (each such reading is a warning at the attribute that wrote it), see
 * {@link lenientReadings}. When none does, a type reference stands for `xs:anyType`
 * (`xs:anySimpleType` where only a simple type fits) and an element or attribute reference for
 * a declaration of that name with such a type, again with a warning: the rest of the contract
 * stays usable, and values there are raw XML. Anything else is an error at the attribute, with
 * the names that exist in that namespace and, when one is close, a "did you mean".
 */
import type { Diagnostics, SourceLocation } from "../diagnostics.ts";
import { compareStrings } from "../diagnostics.ts";
import { CONVENTIONAL_PREFIXES } from "../load/xml.ts";
import { BUILTINS, isBuiltinName } from "./builtins.ts";
import type { AttributeDeclaration, BuiltinType, ContractIR, ElementDeclaration, Message, QName, Ref, RefTarget, Schema } from "./model.ts";
import { qkey } from "./model.ts";
import { WSDL, XML_NS, XSD } from "./ns.ts";


/** The words diagnostics use for each kind of component. */
const NOUNS: Record<keyof RefTarget, [string, string]> = {
  type: ["type", "types"],
  element: ["element", "elements"],
  attribute: ["attribute", "attributes"],
  group: ["group", "groups"],
  attributeGroup: ["attributeGroup", "attributeGroups"],
  message: ["message", "messages"],
  portType: ["portType", "portTypes"],
  binding: ["binding", "bindings"],
};

const builtinNodes = new Map<string, BuiltinType>();

/** The shared node of an XSD built-in type. */
export function builtinType(name: BuiltinType["name"]): BuiltinType {
  let node = builtinNodes.get(name);
  if (node === undefined) {
    node = { kind: "builtin", name };
    builtinNodes.set(name, node);
  }
  return node;
}

/** The types the XML namespace's own schema (xml.xsd) gives its attributes (`xml:space` is an NCName enumeration there: kept a string). */
export const XML_ATTRIBUTE_TYPES: Readonly<Record<string, "language" | "string" | "anyURI" | "ID">> = { lang: "language", space: "string", base: "anyURI", id: "ID" };

/** `xml:lang`, `xml:space`, `xml:base`, `xml:id`: declared by the XML namespace's own schema. */
function xmlAttribute(local: string): AttributeDeclaration | undefined {
  const type = Object.hasOwn(XML_ATTRIBUTE_TYPES, local) ? XML_ATTRIBUTE_TYPES[local]! : undefined;
  if (type === undefined) return undefined;
  return {
    kind: "attribute",
    name: local,
    ns: XML_NS,
    scope: "global",
    type: {
      kind: "ref",
      to: "type",
      name: { ns: XSD, local: type },
      source: { file: "", line: 0, column: 0 },
      written: `xs:${type}`,
      reading: "declared",
      targetNamespace: XML_NS,
      prefixElsewhere: [],
      content: "simple",
      target: builtinType(type),
    },
    use: "optional",
    default: undefined,
    fixed: undefined,
    documentation: undefined,
    source: { file: "", line: 0, column: 0 },
  };
}

interface Component {
  readonly source: SourceLocation;
}

/** The component tables of a contract. */
export class ComponentIndex {
  readonly #tables = new Map<keyof RefTarget, Map<string, Component>>();
  readonly #namespaces = new Set<string>();

  // `diagnostics` is kept for callers; duplicates are the parse pass's to report.
  constructor(ir: ContractIR, _diagnostics: Diagnostics) {
    for (const kind of Object.keys(NOUNS) as (keyof RefTarget)[]) this.#tables.set(kind, new Map());
    const add = (kind: keyof RefTarget, ns: string, name: string | undefined, node: Component) => {
      if (name === undefined) return;
      this.#namespaces.add(ns);
      const table = this.#tables.get(kind)!;
      const key = qkey({ ns, local: name });
      // Duplicates were reported (or dropped, when equal) by the parse pass: the first one is used.
      // The original of an xs:redefine is found only through its redefinition (parse/xsd.ts).
      if (!table.has(key) && (node as { redefined?: true }).redefined !== true) table.set(key, node);
    };
    for (const s of ir.schemas) {
      this.#namespaces.add(s.targetNamespace);
      for (const t of s.types) add("type", t.ns, t.name, t);
      for (const e of s.elements) add("element", e.ns, e.name, e);
      for (const a of s.attributes) add("attribute", a.ns, a.name, a);
      for (const g of s.groups) add("group", g.ns, g.name, g);
      for (const g of s.attributeGroups) add("attributeGroup", g.ns, g.name, g);
    }
    for (const d of ir.definitions) {
      this.#namespaces.add(d.targetNamespace);
      for (const m of d.messages) add("message", m.ns, m.name, m);
      for (const p of d.portTypes) add("portType", p.ns, p.name, p);
      for (const b of d.bindings) add("binding", b.ns, b.name, b);
    }
  }

  lookup<K extends keyof RefTarget>(kind: K, name: QName): RefTarget[K] | undefined {
    if (kind === "type" && name.ns === XSD) {
      return (isBuiltinName(name.local) ? builtinType(name.local) : undefined) as RefTarget[K] | undefined;
    }
    if (kind === "attribute" && name.ns === XML_NS) return xmlAttribute(name.local) as RefTarget[K] | undefined;
    return this.#tables.get(kind)!.get(qkey(name)) as RefTarget[K] | undefined;
  }

  /** Local names of one kind of component in one namespace, sorted. */
  namesIn(kind: keyof RefTarget, ns: string): string[] {
    const prefix = `{${ns}}`;
    const names: string[] = [];
    for (const key of this.#tables.get(kind)!.keys()) if (key.startsWith(prefix)) names.push(key.slice(prefix.length));
    return names.sort(compareStrings);
  }

  /** Every component of one kind, by name, sorted. */
  all(kind: keyof RefTarget): QName[] {
    return [...this.#tables.get(kind)!.keys()].sort(compareStrings).map((key) => {
      const close = key.lastIndexOf("}");
      return { ns: key.slice(1, close), local: key.slice(close + 1) };
    });
  }

  /** Namespaces that declare a component of this kind with this local name, sorted. */
  namespacesWith(kind: keyof RefTarget, local: string): string[] {
    const out: string[] = [];
    for (const key of this.#tables.get(kind)!.keys()) {
      const close = key.lastIndexOf("}");
      if (key.slice(close + 1) === local) out.push(key.slice(1, close));
    }
    return out.sort(compareStrings);
  }

  hasNamespace(ns: string): boolean {
    return this.#namespaces.has(ns);
  }

  namespaces(): string[] {
    return [...this.#namespaces].sort(compareStrings);
  }
}

/**
 * Resolves every reference. One that names nothing is read leniently, or stands for an untyped
 * component, with a warning; otherwise it is an error (see the module comment).
 */
export function resolveRefs(refs: readonly Ref<keyof RefTarget>[], index: ComponentIndex, diagnostics: Diagnostics): void {
  const order: (keyof RefTarget)[] = ["type", "element", "attribute", "group", "attributeGroup", "message", "portType", "binding"];
  const standIns = new StandIns();
  for (const kind of order) {
    for (const ref of refs) {
      // Resolved already: a redefinition's reference to the component it redefines (parse/xsd.ts).
      if (ref.to !== kind || ref.target !== undefined) continue;
      if (ref.reading === "declared" || ref.reading === "no-default") {
        const target = index.lookup(kind, ref.name);
        if (target !== undefined) {
          ref.target = target;
          continue;
        }
      }
      const lenient = lenientReading(ref, index);
      if (lenient !== undefined) {
        ref.target = lenient.target;
        ref.readAs = lenient.name;
        diagnostics.warning(ref.source, lenient.message, lenient.hint);
        continue;
      }
      const problem = ref.reading === "undeclared" ? describeUndeclared(ref) : ref.reading === "absent" ? describeAbsent(ref, index) : describeMissing(kind, ref.name, index);
      const standIn = standIns.for(ref);
      if (standIn === undefined) {
        diagnostics.error(ref.source, problem.message, problem.hint);
        continue;
      }
      ref.target = standIn.target;
      ref.readAs = "stand-in";
      diagnostics.warning(ref.source, `${problem.message}; ${standIn.reading}`, problem.hint);
    }
  }
}

/** The readings tried for a reference that names nothing, in order, each with why it is plausible. */
function lenientReadings(ref: Ref<keyof RefTarget>, index: ComponentIndex): { name: QName; why: string }[] {
  const [one] = NOUNS[ref.to];
  const local = ref.name.local;
  const inTns = { name: { ns: ref.targetNamespace, local }, why: "in the target namespace of the document it is written in" };
  const wsdlKind = ref.to === "message" || ref.to === "portType" || ref.to === "binding";
  switch (ref.reading) {
    case "no-default": {
      // node-soap reads an unprefixed name without a default namespace in the target namespace, then as a built-in.
      const out = ref.targetNamespace === "" ? [] : [inTns];
      if (ref.to === "type" && isBuiltinName(local)) out.push({ name: { ns: XSD, local }, why: "the XML Schema built-in" });
      return out;
    }
    case "declared": {
      // An unprefixed name in the default namespace, when that is XML Schema's or WSDL's own
      // namespace (which hold no component of the contract): the author meant the target namespace.
      const own = wsdlKind ? WSDL : XSD;
      if (ref.written.includes(":") || ref.name.ns !== own || ref.targetNamespace === own) return [];
      return [{ ...inTns, why: `${inTns.why} (the unprefixed name takes the default namespace, ${own}, which holds no ${one} of a contract)` }];
    }
    case "absent": {
      const all = index.all(ref.to);
      return all.length === 1 ? [{ name: all[0]!, why: `the only ${one} in the contract` }] : [];
    }
    case "undeclared": {
      const prefix = ref.written.slice(0, ref.written.indexOf(":"));
      const out: { name: QName; why: string }[] = [];
      const conventional = Object.hasOwn(CONVENTIONAL_PREFIXES, prefix) ? CONVENTIONAL_PREFIXES[prefix] : undefined;
      if (conventional !== undefined) out.push({ name: { ns: conventional, local }, why: `the conventional namespace of the prefix ${prefix}` });
      if (ref.prefixElsewhere.length === 1) {
        out.push({ name: { ns: ref.prefixElsewhere[0]!, local }, why: `the namespace other elements of the contract bind the prefix ${prefix} to` });
      }
      const namespaces = index.namespacesWith(ref.to, local);
      if (namespaces.length === 1) out.push({ name: { ns: namespaces[0]!, local }, why: `the only ${one} named ${local} in the contract` });
      return out;
    }
  }
}

function lenientReading(ref: Ref<keyof RefTarget>, index: ComponentIndex): { name: QName; target: RefTarget[keyof RefTarget]; message: string; hint: string } | undefined {
  const [one] = NOUNS[ref.to];
  const written = JSON.stringify(ref.written);
  for (const { name, why } of lenientReadings(ref, index)) {
    const target = index.lookup(ref.to, name);
    if (target === undefined) continue;
    const prefix = ref.written.slice(0, Math.max(0, ref.written.indexOf(":")));
    const problem =
      ref.reading === "absent"
        ? `${ref.written} has no ${ABSENT_ATTRIBUTE[ref.to]} attribute`
        : ref.reading === "undeclared"
        ? `the prefix ${JSON.stringify(prefix)} of ${written} is not declared`
        : ref.reading === "no-default"
          ? `${written} is unprefixed and no default namespace is declared, so it names a ${one} in no namespace, and there is none`
          : `${written} names a ${one} in ${ref.name.ns}, and there is none`;
    return {
      name,
      target,
      message: `${problem}; read as ${qkey(name)}, ${why}`,
      hint:
        ref.reading === "absent"
          ? `write ${ABSENT_ATTRIBUTE[ref.to]}="<prefix>:${name.local}"`
          : name.ns === ""
          ? "write the name without a prefix (it is in no namespace)"
          : ref.reading === "undeclared"
            ? `declare the prefix (xmlns:${prefix}="${name.ns}")`
            : `write a prefix bound to ${name.ns}`,
    };
  }
  return undefined;
}

/**
 * What stands in for a type, element or attribute that no file defines: `xs:anyType` (raw XML),
 * or `xs:anySimpleType` (text) where only a simple type fits; a global element or attribute of the
 * name as written, of such a type, shared by every reference to that name.
 */
class StandIns {
  readonly #declarations = new Map<string, ElementDeclaration | AttributeDeclaration>();

  for(ref: Ref<keyof RefTarget>): { target: RefTarget[keyof RefTarget]; reading: string } | undefined {
    if (ref.to === "type") {
      return ref.content === "simple"
        ? { target: builtinType("anySimpleType"), reading: "read as xs:anySimpleType: its values are kept as text, unchecked" }
        : { target: builtinType("anyType"), reading: "read as xs:anyType: its values are kept as raw XML, untyped" };
    }
    if (ref.to === "message" && ref.content === "fault") {
      const message: Message = { kind: "message", name: ref.name.local, ns: ref.name.ns, parts: [], policy: [], source: ref.source };
      return { target: message, reading: "the fault stays untyped: it reaches callers as a SoapFault with its detail as raw XML" };
    }
    if (ref.to === "message" && ref.content === "header") {
      const message: Message = { kind: "message", name: ref.name.local, ns: ref.name.ns, parts: [], policy: [], source: ref.source };
      return { target: message, reading: "the soap:header is left out: its block is neither typed, sent nor read (node-soap and zeep ignore it too)" };
    }
    // The name an element or attribute has on the wire must be known.
    if ((ref.to !== "element" && ref.to !== "attribute") || ref.reading === "undeclared" || ref.reading === "absent") return undefined;
    const key = `${ref.to} ${qkey(ref.name)}`;
    let declaration = this.#declarations.get(key);
    if (declaration === undefined) {
      declaration = ref.to === "element" ? standInElement(ref.name, ref.source) : standInAttribute(ref.name, ref.source);
      this.#declarations.set(key, declaration);
    }
    return {
      target: declaration,
      reading:
        ref.to === "element"
          ? `read as an element ${qkey(ref.name)} of type xs:anyType: its value is kept as raw XML, untyped`
          : `read as an attribute ${qkey(ref.name)} of type xs:anySimpleType: its value is kept as text, unchecked`,
    };
  }
}

const NOT_DEFINED = "Not defined by any file of the contract: kept untyped.";

function standInSchema(ns: string, source: SourceLocation): Schema {
  return { kind: "schema", targetNamespace: ns, elementFormDefault: "qualified", attributeFormDefault: "unqualified", source, types: [], elements: [], attributes: [], groups: [], attributeGroups: [] };
}

function standInElement(name: QName, source: SourceLocation): ElementDeclaration {
  return {
    kind: "element",
    name: name.local,
    ns: name.ns,
    scope: "global",
    parent: standInSchema(name.ns, source),
    type: undefined,
    minOccurs: 1,
    maxOccurs: 1,
    nillable: false,
    abstract: false,
    substitutionGroup: undefined,
    default: undefined,
    fixed: undefined,
    documentation: NOT_DEFINED,
    source,
  };
}

function standInAttribute(name: QName, source: SourceLocation): AttributeDeclaration {
  return { kind: "attribute", name: name.local, ns: name.ns, scope: "global", type: undefined, use: "optional", default: undefined, fixed: undefined, documentation: NOT_DEFINED, source };
}

/** The attribute an `absent` reference stands for, by what it names. */
const ABSENT_ATTRIBUTE: Partial<Record<keyof RefTarget, string>> = { portType: "type", binding: "binding" };

function describeAbsent(ref: Ref<keyof RefTarget>, index: ComponentIndex): { message: string; hint?: string } {
  const [one, many] = NOUNS[ref.to];
  const count = index.all(ref.to).length;
  return {
    message: `${ref.written} has no ${ABSENT_ATTRIBUTE[ref.to]} attribute${ref.to === "portType" ? " (its portType)" : ""}`,
    ...(count === 0 ? {} : { hint: `the contract has ${count} ${many}, so which ${one} is meant is ambiguous` }),
  };
}

function describeUndeclared(ref: Ref<keyof RefTarget>): { message: string; hint: string } {
  const prefix = ref.written.slice(0, ref.written.indexOf(":"));
  const [one] = NOUNS[ref.to];
  const elsewhere = ref.prefixElsewhere.length > 1 ? `; the contract binds ${prefix} to ${ref.prefixElsewhere.length} different namespaces elsewhere` : "";
  return {
    message: `the prefix ${JSON.stringify(prefix)} of ${JSON.stringify(ref.written)} is not declared, and no ${one} named ${ref.name.local} exists in the contract${elsewhere}`,
    hint: `declare the prefix with xmlns:${prefix}="<namespace>"`,
  };
}

const MAX_LISTED = 40;

function describeMissing(kind: keyof RefTarget, name: QName, index: ComponentIndex): { message: string; hint?: string } {
  const [one, many] = NOUNS[kind];
  if (kind === "type" && name.ns === XSD) {
    const known = Object.keys(BUILTINS).sort(compareStrings);
    const close = closest(name.local, known);
    return {
      message: `no built-in type xs:${name.local} in the XML Schema namespace`,
      hint: close !== undefined ? `did you mean xs:${close}?` : "XSD 1.1 types are not supported",
    };
  }
  const names = index.namesIn(kind, name.ns);
  const key = qkey(name);
  const elsewhere = index.namespacesWith(kind, name.local).filter((ns) => ns !== name.ns);
  const elsewhereHint =
    elsewhere.length === 0
      ? undefined
      : `${elsewhere.map((ns) => qkey({ ns, local: name.local })).join(" and ")} exists; write a prefix bound to ${elsewhere.length === 1 ? "that namespace" : "one of those namespaces"}${name.ns === "" ? " (an unprefixed name takes the default namespace, xmlns=\"...\", and is in no namespace without one)" : ""}`;
  if (names.length === 0) {
    if (elsewhereHint !== undefined) {
      return { message: `no ${one} ${key}; ${name.ns === "" ? "no schema without a target namespace declares it" : `namespace ${name.ns} declares no ${one} named ${name.local}`}`, hint: elsewhereHint };
    }
    if (!index.hasNamespace(name.ns)) {
      const loaded = index.namespaces().filter((n) => n !== "");
      return {
        message: `no ${one} ${key}: no schema or WSDL for namespace ${name.ns === "" ? "(none)" : name.ns} was loaded`,
        hint:
          name.ns === ""
            ? `an unprefixed name takes the default namespace (xmlns="..."), and none is declared here; write a prefix, e.g. tns:${name.local}`
            : `import it (xs:import with a schemaLocation, or wsdl:import); loaded namespaces: ${loaded.join(", ") || "none"}`,
      };
    }
    return { message: `no ${one} ${key}; ${name.ns === "" ? "schemas without a target namespace" : `namespace ${name.ns}`} declare${name.ns === "" ? "" : "s"} no ${many}` };
  }
  const listed = names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(", ")}, … (${names.length - MAX_LISTED} more)` : names.join(", ");
  const close = closest(name.local, names);
  const hint = close !== undefined ? `did you mean ${close}?` : elsewhereHint;
  return {
    message: `no ${one} ${key}; ${many} in that namespace: ${listed}`,
    ...(hint === undefined ? {} : { hint }),
  };
}

/** A name that differs only by case or by at most two edits, if exactly one is closest. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = candidates.filter((c) => c.toLowerCase() === lower);
  if (sameCase.length === 1) return sameCase[0];
  const LIMIT = 3;
  let best: string | undefined;
  let bestDistance = LIMIT;
  let tie = false;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase(), LIMIT);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && d < LIMIT) tie = true;
  }
  return tie ? undefined : best;
}

/** Levenshtein distance, giving up past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[b.length]!;
}
