/**
 * The contract model: what the emitters print, built from the resolved IR by `build.ts` (after
 * `binding.ts` has picked the port). Declarations are kind-discriminated like the IR; their
 * TypeScript names are allocated once, in `build.ts`, for the whole package.
 */
import type { BuiltinTypeName, Facets } from "@mpay-kit/runtime";
import type { SecurityPolicy } from "@mpay-kit/runtime/codegen/v1";
import type { SourceLocation } from "../diagnostics.ts";
import type { FaultOptions } from "../options.ts";
import { BUILTINS } from "../ir/builtins.ts";
import { propertyKey } from "../ir/names.ts";
import type { ElementWildcard, EnumerationValue, TypeDefinition, WildcardNamespaces } from "../ir/model.ts";

// ---------------------------------------------------------------------------------------------
// The model

/** How a member or element refers to its type. */
export type TypeUse =
  | { readonly kind: "builtin"; readonly name: BuiltinTypeName | "anyType" }
  | {
      readonly kind: "decl";
      readonly decl: Decl;
      /**
       * The `block` of the element declaring a complex type here (its `extension` and `restriction`,
       * `blockDefault` and `#all` spelt out): with the type's own `block`, the derivation methods
       * whose types may not stand here (see {@link narrowedDerived}).
       */
      readonly block?: readonly ("extension" | "restriction")[];
    };

/** An element or attribute member of a complex type: elements in schema order, then attributes. */
export interface Member {
  readonly kind: "element" | "attribute";
  /** The XSD local name: also the TypeScript property name, unchanged (but see {@link property}). */
  readonly name: string;
  /**
   * The TypeScript property, set only when it is not {@link name}: a later member of the type with
   * the name of an earlier one (base members first, then own elements, then attributes) is
   * `<name>_2`, `<name>_3`, ... (the first free one), as the package scope names a taken name.
   */
  readonly property?: string;
  readonly ns: string;
  readonly type: TypeUse;
  readonly minOccurs: number;
  readonly maxOccurs: number;
  readonly nillable: boolean;
  readonly default: string | undefined;
  readonly fixed: string | undefined;
  readonly documentation: string | undefined;
  readonly source: SourceLocation;
  /**
   * A model group that repeats (`xs:sequence` or `xs:group ref` with maxOccurs > 1, or a group
   * alternative of a repeated `xs:choice`), not an element: `type` is the complex type of one
   * occurrence (an anonymous one holding the group's particles), and the items' elements stand
   * directly in the parent.
   */
  readonly group?: boolean;
  /**
   * A reference to the head of a substitution group: the elements that may stand for it, each
   * named in `$element` (on the value when it is an object, else `{ $element, $value }`).
   */
  readonly substitutes?: readonly SubstituteModel[];
  /** The referenced head is abstract: only one of {@link substitutes} may stand. */
  readonly abstract?: boolean;
}

/** An element that may stand where the head of its substitution group is referenced. */
export interface SubstituteModel {
  /** The value of `$element` for it: its local name, or `{ns}local` when another substitute shares it. */
  readonly name: string;
  readonly element: ElementConst;
}

/** The property that names the element carrying a substitution group member's value (the runtime's `ELEMENT_MEMBER`). */
export const ELEMENT_PROPERTY = "$element";

export interface DeclBase {
  /** TypeScript name of the declaration (allocated). For `inline` types, unused. */
  name: string;
  /** Name of the descriptor constant (allocated). */
  metaName: string;
  /** Label of the descriptor (runtime diagnostics): `{ns}Name` or `anonymous type of {ns}Owner/child`. */
  readonly label: string;
  readonly node: TypeDefinition;
  readonly documentation: string | undefined;
}

/** A complex type shown as an interface. */
export interface ComplexDecl extends DeclBase {
  readonly kind: "complex";
  readonly members: readonly Member[];
  /** `xs:simpleContent`: the type of the text, a `$value` member before the attributes (`members` then holds attributes only). */
  readonly simpleContent: TypeUse | undefined;
  /** `complexContent/extension` of a type shown as an interface: `interface X extends Base`, which declares only the members `Base` lacks. */
  readonly base: ComplexDecl | undefined;
  readonly abstract: boolean;
  /** Every reached named type derived from this one, directly or not, in name order (set when the model is complete). */
  readonly derived: readonly ComplexDecl[];
  /**
   * Whether the type belongs to a derivation family (it has a base or derived types, or is
   * abstract): its descriptor then carries its `xsi:type` name, and its interface a `$type`.
   */
  readonly family: boolean;
  /** `xs:choice` groups over the element members (which are optional one by one), by member name. */
  readonly choices: readonly ChoiceModel[];
  /** The children may come in any order (`xs:all`, a repeated `xs:choice`). */
  readonly unordered: boolean;
  /** `xs:any`: elements kept as XML in `$any`, written before the element member at `position`. */
  readonly wildcard: WildcardModel | undefined;
  /** The further `xs:any`s (none in an `xs:choice`), each at its position; their elements share `$any` with the first's. */
  readonly moreWildcards: readonly WildcardModel[];
  /** `xs:anyAttribute` (the type's complete attribute wildcard): attributes kept in `$anyAttributes`. */
  readonly anyAttribute: AttributeWildcardModel | undefined;
  /** `mixed="true"`: text between the child elements, kept in `$text`. */
  readonly mixed: boolean;
}

/** The property that holds a mixed-content value's text (the runtime's `MIXED_TEXT_MEMBER`). */
export const MIXED_TEXT_PROPERTY = "$text";

/** A complex type's complete attribute wildcard (XSD Part 1, 3.4.2: its own, its attribute groups', its base's). */
export interface AttributeWildcardModel {
  readonly namespaces: WildcardNamespaces;
  readonly processContents: "strict" | "lax" | "skip";
  /** The contract's global attributes in the namespaces it allows (strict and lax check values against them; none for skip). */
  readonly declared: readonly Member[];
}

/** The property that holds the attributes an `xs:anyAttribute` matched (the runtime's `ANY_ATTRIBUTES_MEMBER`). */
export const ANY_ATTRIBUTES_PROPERTY = "$anyAttributes";

/** The TypeScript type of `$anyAttributes` (the runtime's `AnyAttribute[]`, written out). */
export const ANY_ATTRIBUTES_TS_TYPE = "{ ns: string; local: string; value: string }[]";

export interface WildcardModel {
  readonly position: number;
  readonly minOccurs: number;
  readonly maxOccurs: number;
  readonly namespaces: ElementWildcard["namespaces"];
  readonly processContents: ElementWildcard["processContents"];
}

/** The property that holds the elements an `xs:any` matched (the runtime's `WILDCARD_MEMBER`). */
export const WILDCARD_PROPERTY = "$any";

/** One `xs:choice` occurring at most once: at most one branch present, one required when `required`. */
/** The TypeScript property that holds a member's value. */
export function propertyOf(m: Member): string {
  return m.property ?? m.name;
}

export interface ChoiceModel {
  readonly required: boolean;
  /** A repeated choice: any branches may be present; `required`: at least one element (the TypeScript type does not say it). */
  readonly repeated?: boolean;
  /** Members by {@link propertyOf}; `wildcard`: the alternative holds an `xs:any` of the type (the first, else the `wildcardIndex`-th of `[wildcard, ...moreWildcards]`), chosen by the elements it takes. */
  readonly branches: readonly { readonly members: readonly string[]; readonly required: readonly string[]; readonly wildcard?: boolean; readonly wildcardIndex?: number }[];
}

/** The property that names the derived type of a value (the runtime's `TYPE_MEMBER`). */
export const TYPE_PROPERTY = "$type";

/**
 * The derived types whose values may stand where `use` declares a complex type, when the
 * element's `block` or the type's leaves some out (XSD Part 1, 3.3.4 clause 4.3: a type derived
 * by a blocked method at any step of its chain may not stand); `undefined` when none is left out.
 */
export function narrowedDerived(use: TypeUse): readonly ComplexDecl[] | undefined {
  if (use.kind !== "decl" || use.decl.kind !== "complex" || use.decl.derived.length === 0) return undefined;
  const d = use.decl;
  const blocked = new Set<string>([...(use.block ?? []), ...(d.node.kind === "complexType" ? (d.node.block ?? []) : [])]);
  if (blocked.size === 0) return undefined;
  const allowed = d.derived.filter((t) => !derivationMethods(t.node, d.node).some((m) => blocked.has(m)));
  return allowed.length === d.derived.length ? undefined : allowed;
}

/** Whether `use` declares an abstract type whose derived types a `block` leaves out entirely: no value may stand there. */
export function blocksEveryType(use: TypeUse): boolean {
  return use.kind === "decl" && narrowedDerived(use) !== undefined && standingTypes(use)?.names.length === 0;
}

/** The methods (`extension`, `restriction`) of each step from `derived` up to `base`. */
function derivationMethods(derived: TypeDefinition, base: TypeDefinition): string[] {
  const methods: string[] = [];
  const seen = new Set<TypeDefinition>();
  for (let t: TypeDefinition | undefined = derived; t !== undefined && t !== base && t.kind === "complexType" && !seen.has(t); ) {
    seen.add(t);
    if (t.content.kind !== "extension" && t.content.kind !== "restriction") break;
    methods.push(t.content.kind);
    const next: TypeDefinition | { readonly kind: "builtin" } | undefined = t.content.base.target;
    t = next === undefined || next.kind === "builtin" ? undefined : next;
  }
  return methods;
}

/**
 * The TypeScript types listed where `use` declares a complex type with derived types: the
 * concrete ones among it and the derived types that may stand there (`undefined` for a type
 * without derived types, which is itself).
 */
function standingTypes(use: TypeUse & { readonly kind: "decl" }): { readonly names: string[]; readonly narrowed: boolean } | undefined {
  const d = use.decl;
  if (d.kind !== "complex" || d.derived.length === 0) return undefined;
  const narrowed = narrowedDerived(use);
  if (narrowed === undefined) {
    const names = concreteTypes(d).map((t) => t.name);
    return names.length === 0 ? undefined : { names, narrowed: false };
  }
  return { names: [d, ...narrowed].filter((t) => !t.abstract).map((t) => t.name), narrowed: true };
}

/** The types a value may have where `d` is declared: itself unless abstract, then every concrete derived type. */
export function concreteTypes(d: ComplexDecl): ComplexDecl[] {
  return [d, ...d.derived].filter((t) => !t.abstract);
}

/** The property that holds the text of a simple-content value (the runtime's `SIMPLE_CONTENT_MEMBER`). */
export const SIMPLE_CONTENT_PROPERTY = "$value";

/** A WCF-style array wrapper (`ArrayOfX`): shown as a plain array, described with `arrayItem: 0`. */
export interface ArrayDecl extends DeclBase {
  readonly kind: "array";
  readonly item: Member;
}

/** A string simple type with an enumeration: a value list and a union of its literals. */
export interface EnumDecl extends DeclBase {
  readonly kind: "enum";
  valuesName: string;
  readonly builtin: BuiltinTypeName;
  readonly facets: Facets;
  readonly values: readonly EnumerationValue[];
}

/** A named simple type without an enumeration (or with one on a non-string base): a type alias. */
export interface AliasDecl extends DeclBase {
  readonly kind: "alias";
  readonly builtin: BuiltinTypeName;
  readonly facets: Facets;
  /** `xs:list`: the item type (the value is an array of it). */
  readonly item: TypeUse | undefined;
  /** `xs:union`: the member types (the value is one of theirs). */
  readonly members: readonly TypeUse[] | undefined;
  /**
   * A union restricted by an enumeration: the TypeScript types of its values, its type instead of
   * the members': a literal type's text, or the member type that reads a value no literal can say.
   */
  readonly literals?: readonly (string | TypeUse)[];
}

/** An anonymous simple type without an enumeration: a private descriptor, its base's TS type. */
export interface InlineDecl extends DeclBase {
  readonly kind: "inline";
  readonly builtin: BuiltinTypeName;
  readonly facets: Facets;
  /** `xs:list`: the item type (the value is an array of it). */
  readonly item: TypeUse | undefined;
  /** `xs:union`: the member types (the value is one of theirs). */
  readonly members: readonly TypeUse[] | undefined;
  /** A union restricted by an enumeration: the TypeScript types of its values (see {@link AliasDecl.literals}). */
  readonly literals?: readonly (string | TypeUse)[];
}

export type Decl = ComplexDecl | ArrayDecl | EnumDecl | AliasDecl | InlineDecl;

/** A global element: an operation's request or response Body element, or one declared with a type the package describes. */
export interface ElementConst {
  /** Name of the descriptor constant (allocated): `<Element>Element`. */
  constName: string;
  readonly name: string;
  readonly ns: string;
  readonly type: TypeUse;
  readonly nillable: boolean;
  readonly documentation: string | undefined;
  /**
   * An abstract element that a message part names: the members of its substitution group that
   * may stand in the Body instead, each named in `$element` (as where such a head is referenced
   * in a type; {@link abstract} is then set).
   */
  readonly substitutes?: readonly SubstituteModel[];
  /** The element is abstract: only one of {@link substitutes} stands. */
  readonly abstract?: boolean;
}

/** One part of a message whose Body holds several. */
export interface PartModel {
  readonly name: string;
  readonly element: ElementConst;
}

export interface OperationModel {
  readonly name: string;
  /** How its messages travel in the Body (document/literal, or rpc/literal with a synthesized wrapper element). */
  readonly style: "document-literal" | "rpc-literal";
  readonly soapAction: string;
  readonly inputAction: string | undefined;
  readonly outputAction: string | undefined;
  readonly documentation: string | undefined;
  /** The request's Body element; `undefined`: an empty Body. */
  readonly input: ElementConst | undefined;
  /** The response's Body element; `undefined`: an empty Body, or no response when `oneWay`. */
  readonly output: ElementConst | undefined;
  /** Set instead of `input` when the request's Body holds several parts: each part's element, in order. */
  readonly inputParts: readonly PartModel[] | undefined;
  readonly outputParts: readonly PartModel[] | undefined;
  /** No response (a `wsdl:input` without `wsdl:output`). */
  readonly oneWay: boolean;
  /** The declared header blocks (`soap:header`), keyed by element local name in values. */
  readonly inputHeaders: readonly ElementConst[];
  readonly outputHeaders: readonly ElementConst[];
  /** Faults the portType declares (not typed yet; they arrive as SoapFault). */
  readonly faults: readonly string[];
  /** The declared faults whose detail is typed: the element their detail carries, by fault name. */
  readonly typedFaults: readonly PartModel[];
  /**
   * The effective WS-SecurityPolicy of the requests (endpoint, operation and input message policy
   * merged), only when it differs from the service's {@link ContractModel.service} `security`.
   */
  readonly inputSecurity: SecurityPolicy | undefined;
  /** The same for the responses (output message policy). */
  readonly outputSecurity: SecurityPolicy | undefined;
}

/**
 * One distinct security policy of the package: a private constant of `meta.ts` that the service
 * and the operations refer to. Policies equal in value are one object in the model.
 */
export interface SecurityConst {
  /** Identifier (allocated after every other name, so adding a policy renames nothing). */
  name: string;
  readonly policy: SecurityPolicy;
  /** Whether it is the endpoint's policy ({@link ContractModel.service} `security`). */
  readonly port: boolean;
  /** The operation messages it applies to (none for the port's own), for its doc comment. */
  readonly usedBy: readonly { readonly operation: string; readonly direction: "requests" | "responses" }[];
}

export interface DocumentModel {
  readonly key: string;
  readonly text: string;
  readonly links: readonly { readonly start: number; readonly end: number; readonly target: string }[];
}

/** Identifiers of the fixed API of a generated package. */
export interface ApiNames {
  readonly service: string;
  readonly client: string;
  readonly handlers: string;
  readonly createHandler: string;
  readonly operations: string;
  readonly documents: string;
  readonly faultCodes: string;
  readonly faultCode: string;
  readonly fault: string;
  readonly isFault: string;
  readonly contractTimeZone: string;
  readonly toDate: string;
  readonly fromDate: string;
}

export interface ContractModel {
  /** The main WSDL's path relative to the config file (for preambles). */
  readonly wsdlPath: string;
  readonly packageName: string;
  /** Target namespace of the main WSDL: fault codes are qualified with it. */
  readonly namespace: string;
  readonly service: {
    readonly name: string;
    readonly port: string;
    readonly address: string;
    /** The binding's SOAP version: the client's default; the server answers both. */
    readonly soapVersion: "1.1" | "1.2";
    readonly documentation: string | undefined;
    /** The endpoint's WS-SecurityPolicy (port, binding, portType); `undefined` when the WSDL asks for no message security. */
    readonly security: SecurityPolicy | undefined;
  };
  readonly names: ApiNames;
  readonly operations: readonly OperationModel[];
  /** Sorted by TypeScript name; `inline` ones by descriptor name, after the others. */
  readonly decls: readonly Decl[];
  /** Sorted by constant name. */
  readonly elements: readonly ElementConst[];
  readonly documents: readonly DocumentModel[];
  /** The distinct security policies, the endpoint's first, then in operation order. */
  readonly security: readonly SecurityConst[];
  readonly faults: FaultOptions | undefined;
  /** The IANA time zone of the contract's offset-less date-times (config `timeZone`): `src/time.ts` is generated when set. */
  readonly timeZone: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// TypeScript type expressions

/** The TypeScript type of a type use (the value of one occurrence, without null). */
export function tsType(use: TypeUse): string {
  if (use.kind === "builtin") return BUILTINS[use.name].ts;
  const d = use.decl;
  switch (d.kind) {
    case "complex": {
      // Where a type with derived types is declared, a value of any of them may stand (but those
      // the element's or the type's block leaves out, which `$type` may then not name either).
      const standing = standingTypes(use);
      if (standing === undefined) return d.name;
      if (!standing.narrowed) return standing.names.join(" | ");
      if (standing.names.length === 0) return "never";
      return `(${standing.names.join(" | ")}) & { ${TYPE_PROPERTY}?: ${standing.names.map((n) => JSON.stringify(n)).join(" | ")} }`;
    }
    case "enum":
    case "alias":
      return d.name;
    case "inline": {
      if (d.literals !== undefined) return literalsTsType(d.literals);
      if (d.members !== undefined) return [...new Set(d.members.map(tsType))].join(" | ");
      if (d.item === undefined) return BUILTINS[d.builtin].ts;
      const item = tsType(d.item);
      return needsParens(item) ? `(${item})[]` : `${item}[]`;
    }
    case "array": {
      const item = tsType(d.item.type);
      return d.item.nillable ? `(${item} | null)[]` : `${item}[]`;
    }
  }
}

/** Whether values of a type are objects that can carry `$element` themselves (a complex type's, not an array wrapper's). */
export function isObjectValue(use: TypeUse): boolean {
  return use.kind === "decl" && use.decl.kind === "complex";
}

/**
 * The TypeScript type of one occurrence where a substitution group's head is referenced: the
 * head's value (unless abstract; `$element` may name it), and each substitute's, named by
 * `$element`: on the value when it is an object, else `{ $element, $value }`; a nil substitute is
 * `{ $element, $value: null }`.
 */
function substitutionTsType(m: Pick<Member, "name" | "type" | "abstract">, substitutes: readonly SubstituteModel[]): string {
  const tag = (name: string, optional: boolean) => `{ ${ELEMENT_PROPERTY}${optional ? "?" : ""}: ${JSON.stringify(name)} }`;
  const alternatives: string[] = [];
  if (m.abstract !== true) {
    const head = tsType(m.type);
    alternatives.push(isObjectValue(m.type) ? `(${head}) & ${tag(m.name, true)}` : head);
  }
  for (const s of substitutes) {
    const t = tsType(s.element.type);
    const name = JSON.stringify(s.name);
    if (isObjectValue(s.element.type)) {
      alternatives.push(`(${t}) & ${tag(s.name, false)}`);
      if (s.element.nillable) alternatives.push(`{ ${ELEMENT_PROPERTY}: ${name}; ${SIMPLE_CONTENT_PROPERTY}: null }`);
    } else {
      alternatives.push(`{ ${ELEMENT_PROPERTY}: ${name}; ${SIMPLE_CONTENT_PROPERTY}: ${t}${s.element.nillable ? " | null" : ""} }`);
    }
  }
  return alternatives.join(" | ");
}

/** The TypeScript type of a union restricted by an enumeration: its values' literal types (and member types where a value has none). */
export function literalsTsType(literals: readonly (string | TypeUse)[]): string {
  return [...new Set(literals.map((l) => (typeof l === "string" ? l : tsType(l))))].join(" | ") || "never";
}

/** The TypeScript type of a member's property (arrays for repeated members, `| null` for nillable ones). */
export function memberTsType(m: Member): string {
  const t = m.substitutes === undefined ? tsType(m.type) : substitutionTsType(m, m.substitutes);
  if (m.maxOccurs > 1) return m.nillable ? `(${t} | null)[]` : `${needsParens(t) ? `(${t})` : t}[]`;
  return m.nillable ? `${t} | null` : t;
}

/** The TypeScript type of a Body element's value (`void` for an empty Body or no response). */
export function elementTsType(e: ElementConst | undefined): string {
  if (e === undefined) return "void";
  const t = e.substitutes === undefined ? tsType(e.type) : substitutionTsType(e, e.substitutes);
  return e.nillable ? `${t} | null` : t;
}

/** The TypeScript type of a message's value: its Body element's, an object of its parts', or `void` for an empty Body. */
export function messageTsType(element: ElementConst | undefined, parts: readonly PartModel[] | undefined): string {
  if (parts === undefined) return elementTsType(element);
  return `{ ${parts.map((p) => `${propertyKey(p.name)}: ${elementTsType(p.element)}`).join("; ")} }`;
}

/** The TypeScript type of an operation's request value. */
export function inputTsType(op: OperationModel): string {
  return messageTsType(op.input, op.inputParts);
}

/** The TypeScript type of an operation's response value. */
export function outputTsType(op: OperationModel): string {
  return messageTsType(op.output, op.outputParts);
}

/** Whether the operation's request has a Body element (or several): the client method and handler take an `input`. */
export function hasInput(op: OperationModel): boolean {
  return op.input !== undefined || op.inputParts !== undefined;
}

/** The TypeScript type of an operation's typed fault details, by fault name (`undefined` when it has none). */
export function faultsTsType(op: OperationModel): string | undefined {
  if (op.typedFaults.length === 0) return undefined;
  return `{ ${op.typedFaults.map((f) => `${propertyKey(f.name)}: ${elementTsType(f.element)}`).join("; ")} }`;
}

/** The TypeScript type of an operation's header values: `{ Auth?: AuthHeader; ... }`, each optional (`undefined` when it declares none). */
export function headersTsType(headers: readonly ElementConst[]): string | undefined {
  if (headers.length === 0) return undefined;
  return `{ ${headers.map((h) => `readonly ${propertyKey(h.name)}?: ${elementTsType(h)}`).join("; ")} }`;
}

/** The names a type expression of {@link tsType} refers to: declarations of `types.ts` and runtime value types. */
export function referencedNames(use: TypeUse): { readonly local: string[]; readonly runtime: string[] } {
  const local: string[] = [];
  const runtime: string[] = [];
  const visit = (u: TypeUse): void => {
    if (u.kind === "builtin") {
      const ts = BUILTINS[u.name].ts;
      if (RUNTIME_VALUE_TYPES.has(ts)) runtime.push(ts);
      return;
    }
    const d = u.decl;
    if (d.kind === "array") visit(d.item.type);
    else if (d.kind === "inline" && d.literals !== undefined) d.literals.forEach((l) => typeof l !== "string" && visit(l));
    else if (d.kind === "inline" && d.members !== undefined) d.members.forEach(visit);
    else if (d.kind === "inline") visit(d.item ?? { kind: "builtin", name: d.builtin });
    else if (d.kind === "complex" && standingTypes(u) !== undefined) local.push(...standingTypes(u)!.names);
    else local.push(d.name);
  };
  visit(use);
  return { local, runtime };
}

const RUNTIME_VALUE_TYPES: ReadonlySet<string> = new Set(["Decimal", "BigInteger", "DateTime", "XsdDate", "XsdTime", "Duration", "QName", "XmlElement"]);

function needsParens(t: string): boolean {
  return t.includes("|") || t.includes("=>");
}

/** Whether a member may be left out of the value (`X?: T`). */
export function isOptional(m: Member): boolean {
  return m.minOccurs === 0;
}

/** How the contract's operations carry their messages, for the generated docs: "document/literal", "rpc/literal", or both. */
export function bodyStyles(model: ContractModel): string {
  const rpc = model.operations.filter((op) => op.style === "rpc-literal").length;
  return rpc === 0 ? "document/literal" : rpc === model.operations.length ? "rpc/literal" : "document/literal and rpc/literal";
}
