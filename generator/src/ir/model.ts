/**
 * The intermediate model (IR): WSDL 1.1 and XSD 1.0 components, shaped like the specs.
 *
 * Nodes are readonly objects discriminated by `kind`, with a `source` location (for
 * diagnostics) and, where the spec has one, a `parent`. Content models are kept as the schema
 * wrote them, sequence / choice / all / group particles with their occurrences: flattening a
 * sequence into TypeScript members is the emitter's business (see `emit/model.ts`), so that
 * supporting `xs:choice` later changes one place and not the parser.
 *
 * Two passes build it (as zeep does):
 * 1. `parse/` reads each document into nodes. Every QName in the input (`type="tns:Order"`,
 *    `message="tns:Request"`) becomes a {@link Ref}: a namespace-resolved name (prefixes are
 *    resolved against the declarations in scope *where the QName was written*, so the same
 *    prefix may mean different namespaces in different files) and an empty target.
 * 2. `ir/resolve.ts` indexes the global components by `{namespace}name` and fills every target,
 *    reporting each reference that names nothing, with the names that do exist.
 *
 * After a successful resolve no node has an unresolved ref; {@link deref} asserts that.
 */
import type { BuiltinTypeName, Facets } from "@mpay-kit/runtime";
import type { SourceLocation } from "../diagnostics.ts";

// ---------------------------------------------------------------------------------------------
// Names and references

/** A namespace-qualified name. `ns` is `""` for no namespace. */
export interface QName {
  readonly ns: string;
  readonly local: string;
}

/** `{ns}local`, the key used for lookups and labels. */
export function qkey(q: QName): string {
  return `{${q.ns}}${q.local}`;
}

/** What a reference can point at, by the kind of component it names. */
export type RefTarget = {
  type: AnyType;
  element: ElementDeclaration;
  attribute: AttributeDeclaration;
  group: ModelGroupDefinition;
  attributeGroup: AttributeGroupDefinition;
  message: Message;
  portType: PortType;
  binding: Binding;
};

/** An unresolved-then-resolved reference to a global component. */
export interface Ref<K extends keyof RefTarget> {
  readonly kind: "ref";
  readonly to: K;
  /**
   * The name the namespace declarations in scope give the QName. With `reading` = `undeclared`
   * its namespace is `""` and means nothing.
   */
  readonly name: QName;
  /** Where the QName was written (the attribute). */
  readonly source: SourceLocation;
  /** The QName as written (`tns:Order`), for messages; for an `absent` one, what lacks it (`binding B`). */
  readonly written: string;
  /**
   * How `name` was read, which decides the lenient readings `ir/resolve.ts` may try when it names
   * nothing (each one used is a warning):
   * - `declared`: by the declarations in scope (a prefixed name, or an unprefixed one with a
   *   default namespace or in a chameleon include);
   * - `no-default`: unprefixed with no default namespace in scope, so in no namespace;
   * - `undeclared`: its prefix is not declared in scope;
   * - `absent`: the required attribute is missing (a binding's `type`, a port's `binding`), and
   *   `name` means nothing: the only component of that kind in the contract is the reading.
   */
  readonly reading: "declared" | "no-default" | "undeclared" | "absent";
  /** The target namespace of the schema or WSDL document the QName is written in. */
  readonly targetNamespace: string;
  /** For an `undeclared` prefix: the namespaces the contract's documents bind that prefix to elsewhere, sorted. */
  readonly prefixElsewhere: readonly string[];
  /**
   * What the reference is for, which decides what stands in when nothing is found: `simple` for
   * a type where only a simple type fits (an attribute's type, a simple type's base), `fault` for
   * the message of a `wsdl:fault` (faults are not typed), `header` for the message of a
   * `soap:header` (set by `parse/wsdl.ts`; a missing one leaves the header undeclared), else `any`.
   */
  readonly content: "simple" | "any" | "fault" | "header";
  /** Set by `ir/resolve.ts`. */
  target: RefTarget[K] | undefined;
  /**
   * Set by `ir/resolve.ts` when `name` named nothing: the name it was read as (a lenient reading),
   * or `stand-in` when nothing was found and `target` stands for it (`xs:anyType`, an untyped
   * element or attribute). Each is a warning; `validate.ts` rewrites the schemas the same way.
   */
  readAs?: QName | "stand-in";
}

/** The target of a resolved reference. Only valid after a resolve pass without errors. */
export function deref<K extends keyof RefTarget>(ref: Ref<K>): RefTarget[K] {
  if (ref.target === undefined) throw new Error(`internal error: unresolved ${ref.to} reference ${qkey(ref.name)}`);
  return ref.target;
}

// ---------------------------------------------------------------------------------------------
// XSD (XML Schema 1.0 Part 1: Structures; Part 2: Datatypes)

/** One `xs:schema` element (inline in `wsdl:types`, a file, or an included file in its includer's namespace). */
export interface Schema {
  readonly kind: "schema";
  readonly targetNamespace: string;
  readonly elementFormDefault: "qualified" | "unqualified";
  readonly attributeFormDefault: "qualified" | "unqualified";
  readonly source: SourceLocation;
  readonly types: readonly TypeDefinition[];
  readonly elements: readonly ElementDeclaration[];
  readonly attributes: readonly AttributeDeclaration[];
  readonly groups: readonly ModelGroupDefinition[];
  readonly attributeGroups: readonly AttributeGroupDefinition[];
}

/** The built-in types of the XSD namespace, `xs:anyType` included. */
export interface BuiltinType {
  readonly kind: "builtin";
  readonly name: BuiltinTypeName | "anyType";
}

export type TypeDefinition = SimpleType | ComplexType;
export type AnyType = TypeDefinition | BuiltinType;

/**
 * What an anonymous type belongs to; named types belong to their schema. A complex type owns the
 * simple type that an `xs:simpleContent/xs:restriction` makes of its base's text.
 */
export type TypeOwner = Schema | ElementDeclaration | AttributeDeclaration | SimpleType | ComplexType;

/** `xs:simpleType` (Part 2, 4.1.2). */
export interface SimpleType {
  readonly kind: "simpleType";
  /** `undefined` for an anonymous type. */
  readonly name: string | undefined;
  /** Target namespace of the schema the type is defined in. */
  readonly ns: string;
  readonly parent: TypeOwner;
  readonly derivation: SimpleRestriction | SimpleList | SimpleUnion;
  readonly documentation: string | undefined;
  readonly source: SourceLocation;
  /** Replaced by an `xs:redefine`: only the redefinition's self-reference names this one (it takes the name after the redefinition's). */
  readonly redefined?: true;
}

/** An enumeration value with its own documentation. */
export interface EnumerationValue {
  readonly value: string;
  readonly documentation: string | undefined;
}

/** `xs:restriction` of a simple type: a base and the facets of this one derivation step. */
export interface SimpleRestriction {
  readonly kind: "restriction";
  readonly base: Ref<"type"> | SimpleType;
  /** Facets of this step; `enumeration` and `patterns` are in document order. */
  readonly facets: Facets;
  readonly enumeration: readonly EnumerationValue[] | undefined;
  readonly source: SourceLocation;
}

/** `xs:list`: whitespace-separated items of `itemType` (`undefined` when the list names none, an error). */
export interface SimpleList {
  readonly kind: "list";
  readonly itemType: Ref<"type"> | SimpleType | undefined;
  readonly source: SourceLocation;
}

/** `xs:union`: the `memberTypes`, then the anonymous member types, in order. */
export interface SimpleUnion {
  readonly kind: "union";
  readonly memberTypes: readonly (Ref<"type"> | SimpleType)[];
  readonly source: SourceLocation;
}

/** `xs:complexType` (Part 1, 3.4.2). */
export interface ComplexType {
  readonly kind: "complexType";
  readonly name: string | undefined;
  readonly ns: string;
  readonly parent: Schema | ElementDeclaration;
  readonly abstract: boolean;
  readonly mixed: boolean;
  /** `block` (else `blockDefault`): derivation methods whose types may not stand in for this one (`xsi:type`, substitution). */
  readonly block?: readonly DerivationMethod[];
  readonly content: ComplexContent;
  readonly attributes: readonly AttributeParticle[];
  /** The type's own `xs:anyAttribute` wildcard (its attribute groups' are on their definitions). */
  readonly anyAttribute: AttributeWildcard | undefined;
  readonly documentation: string | undefined;
  readonly source: SourceLocation;
  /** Replaced by an `xs:redefine`: only the redefinition's self-reference names this one (it takes the name after the redefinition's). */
  readonly redefined?: true;
}

/**
 * The content of a complex type:
 * - `particle`: a model group directly in the type (`<xs:sequence>` ...), or none (empty content);
 * - `extension`: `xs:complexContent/xs:extension`: the base's content followed by `particle`;
 * - `restriction`: `xs:complexContent/xs:restriction`;
 * - `simpleContent`: text plus attributes;
 * - `unsupported`: a construct the generator does not handle yet, kept for the diagnostic.
 */
export type ComplexContent =
  | { readonly kind: "particle"; readonly particle: Particle | undefined }
  | { readonly kind: "extension"; readonly base: Ref<"type">; readonly particle: Particle | undefined; readonly source: SourceLocation }
  /** `xs:complexContent/xs:restriction`: the content is `particle` alone (restated); attribute uses replace the base's. */
  | { readonly kind: "restriction"; readonly base: Ref<"type">; readonly particle: Particle | undefined; readonly source: SourceLocation }
  | SimpleContent
  | { readonly kind: "unsupported"; readonly construct: string; readonly source: SourceLocation };

/**
 * `xs:simpleContent`: text of a simple type, plus attributes.
 * - `extension`: the text is `base`'s (a simple type, or the text of a simple-content complex type);
 *   the attributes are the base's (when complex) and the type's own.
 * - `restriction`: `base` is a simple-content complex type; the text is `value`, an anonymous
 *   simple type restricting the base's text with this step's facets; the type's own attribute
 *   uses replace the base's of the same name (`prohibited` removes one).
 */
export type SimpleContent =
  | { readonly kind: "simpleContent"; readonly derivation: "extension"; readonly base: Ref<"type">; readonly source: SourceLocation }
  | { readonly kind: "simpleContent"; readonly derivation: "restriction"; readonly base: Ref<"type">; readonly value: SimpleType; readonly source: SourceLocation };

/** A derivation method that `block` and `final` name (`#all` is every one they take). */
export type DerivationMethod = "extension" | "restriction" | "substitution";

/** Occurrence bounds; `maxOccurs` is `Infinity` for `unbounded`. */
export interface Occurs {
  readonly minOccurs: number;
  readonly maxOccurs: number;
}

/** `xs:sequence` / `xs:choice` / `xs:all` (Part 1, 3.8). */
export interface ModelGroup extends Occurs {
  readonly kind: "sequence" | "choice" | "all";
  readonly particles: readonly Particle[];
  readonly source: SourceLocation;
}

/** `xs:group ref=` used as a particle. */
export interface GroupReference extends Occurs {
  readonly kind: "groupRef";
  readonly ref: Ref<"group">;
  readonly source: SourceLocation;
}

/** `xs:element ref=` used as a particle. */
export interface ElementReference extends Occurs {
  readonly kind: "elementRef";
  readonly ref: Ref<"element">;
  readonly source: SourceLocation;
}

/**
 * The `namespace` constraint of a wildcard, resolved: `##any`; `##other` (every namespace but the
 * schema's target namespace, and not no namespace); or a list where `##local` is `""` and
 * `##targetNamespace` the schema's.
 */
export type WildcardNamespaces = { readonly kind: "any" } | { readonly kind: "other"; readonly ns: string } | { readonly kind: "list"; readonly list: readonly string[] };

/** `xs:any` (an element wildcard). */
export interface ElementWildcard extends Occurs {
  readonly kind: "any";
  readonly namespaces: WildcardNamespaces;
  readonly processContents: "strict" | "lax" | "skip";
  readonly source: SourceLocation;
}

/** `xs:anyAttribute` (an attribute wildcard), of a complex type or an attribute group. */
export interface AttributeWildcard {
  readonly kind: "anyAttribute";
  readonly namespaces: WildcardNamespaces;
  readonly processContents: "strict" | "lax" | "skip";
  readonly source: SourceLocation;
}

export type Particle = ElementDeclaration | ElementReference | ModelGroup | GroupReference | ElementWildcard;

/** A named model group (`xs:group name=`), global. */
export interface ModelGroupDefinition {
  readonly kind: "groupDefinition";
  readonly name: string;
  readonly ns: string;
  readonly particle: ModelGroup | undefined;
  readonly source: SourceLocation;
  /** Replaced by an `xs:redefine` (see {@link ComplexType.redefined}). */
  readonly redefined?: true;
}

/** `xs:element`: a global declaration or a local particle (Part 1, 3.3). */
export interface ElementDeclaration extends Occurs {
  readonly kind: "element";
  readonly name: string;
  /** Namespace on the wire: the target namespace for globals and qualified locals, `""` for unqualified locals. */
  readonly ns: string;
  readonly scope: "global" | "local";
  /** The schema for globals; the complex type or group whose content holds a local. */
  readonly parent: Schema | ComplexType | ModelGroupDefinition;
  /** A named type, an anonymous one, or `undefined` for the default `xs:anyType`. */
  readonly type: Ref<"type"> | TypeDefinition | undefined;
  readonly nillable: boolean;
  readonly abstract: boolean;
  readonly substitutionGroup: Ref<"element"> | undefined;
  /**
   * `block` (else the schema's `blockDefault`), `#all` spelt out: what may not stand where this
   * element is declared: its substitution group (`substitution`), or elements or `xsi:type`s whose
   * type derives from its type by these methods. Absent: none.
   */
  readonly block?: readonly DerivationMethod[];
  /** `final` (else `finalDefault`): elements whose type derives by these methods may not join its substitution group. */
  readonly final?: readonly DerivationMethod[];
  readonly default: string | undefined;
  readonly fixed: string | undefined;
  readonly documentation: string | undefined;
  readonly source: SourceLocation;
}

/** `xs:attribute` declaration (global, or local inside a complex type or attribute group). */
export interface AttributeDeclaration {
  readonly kind: "attribute";
  readonly name: string;
  readonly ns: string;
  readonly scope: "global" | "local";
  readonly type: Ref<"type"> | SimpleType | undefined;
  readonly use: "optional" | "required" | "prohibited";
  readonly default: string | undefined;
  readonly fixed: string | undefined;
  readonly documentation: string | undefined;
  readonly source: SourceLocation;
}

/** `xs:attribute ref=` inside a complex type. */
export interface AttributeReference {
  readonly kind: "attributeRef";
  readonly ref: Ref<"attribute">;
  readonly use: "optional" | "required" | "prohibited";
  readonly default: string | undefined;
  readonly fixed: string | undefined;
  readonly source: SourceLocation;
}

/** `xs:attributeGroup ref=` inside a complex type. */
export interface AttributeGroupReference {
  readonly kind: "attributeGroupRef";
  readonly ref: Ref<"attributeGroup">;
  readonly source: SourceLocation;
}

export type AttributeParticle = AttributeDeclaration | AttributeReference | AttributeGroupReference;

/** `xs:attributeGroup name=`, global. */
export interface AttributeGroupDefinition {
  readonly kind: "attributeGroupDefinition";
  readonly name: string;
  readonly ns: string;
  readonly attributes: readonly AttributeParticle[];
  readonly anyAttribute: AttributeWildcard | undefined;
  readonly source: SourceLocation;
  /** Replaced by an `xs:redefine` (see {@link ComplexType.redefined}). */
  readonly redefined?: true;
}

// ---------------------------------------------------------------------------------------------
// WSDL 1.1 (with the SOAP 1.1 binding, section 3, and WS-Addressing actions)

/** One `wsdl:definitions` document (the main WSDL, or one reached through `wsdl:import`). */
export interface Definitions {
  readonly kind: "definitions";
  readonly name: string | undefined;
  readonly targetNamespace: string;
  readonly documentation: string | undefined;
  readonly messages: readonly Message[];
  readonly portTypes: readonly PortType[];
  readonly bindings: readonly Binding[];
  readonly services: readonly Service[];
  /** Every `wsp:Policy` of the document that has an id or a Name, wherever it is written. */
  readonly policies: readonly PolicyDefinition[];
  readonly source: SourceLocation;
}

export interface Message {
  readonly kind: "message";
  readonly name: string;
  readonly ns: string;
  readonly parts: readonly Part[];
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

/** `wsdl:part`: a global element (document style) or a type (rpc style). */
export interface Part {
  readonly kind: "part";
  readonly name: string;
  readonly element: Ref<"element"> | undefined;
  readonly type: Ref<"type"> | undefined;
  readonly source: SourceLocation;
}

export interface PortType {
  readonly kind: "portType";
  readonly name: string;
  readonly ns: string;
  readonly operations: readonly Operation[];
  readonly documentation: string | undefined;
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

/** `wsdl:input` / `wsdl:output` / `wsdl:fault` of a portType operation. */
export interface OperationMessage {
  readonly kind: "input" | "output" | "fault";
  readonly name: string | undefined;
  readonly message: Ref<"message">;
  /** `wsaw:Action` / `wsam:Action`. */
  readonly action: string | undefined;
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

/** An abstract operation of a portType. */
export interface Operation {
  readonly kind: "operation";
  readonly name: string;
  readonly portType: string;
  readonly input: OperationMessage | undefined;
  readonly output: OperationMessage | undefined;
  readonly faults: readonly OperationMessage[];
  /** Which of input / output came first: `output` first means notification or solicit-response. */
  readonly outputFirst: boolean;
  readonly documentation: string | undefined;
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

/**
 * The protocol a binding or port address uses, from its extension elements. `transport` is
 * `soap:binding/@transport` (`undefined`: absent, read as SOAP over HTTP), `transportSource` where
 * that attribute is written.
 */
export type BindingProtocol =
  | { readonly kind: "soap11"; readonly style: "document" | "rpc" | undefined; readonly transport: string | undefined; readonly transportSource: SourceLocation | undefined }
  | { readonly kind: "soap12"; readonly style: "document" | "rpc" | undefined; readonly transport: string | undefined; readonly transportSource: SourceLocation | undefined }
  | { readonly kind: "other"; readonly ns: string };

/**
 * The `transport` URIs that mean SOAP over HTTP: WSDL 1.1's (section 3.3, which WCF also writes on
 * `soap12:binding`) and the SOAP 1.2 HTTP binding's (SOAP 1.2 Part 2, 7), each with or without
 * the trailing slash real WSDLs vary in.
 */
const HTTP_TRANSPORTS: ReadonlySet<string> = new Set([
  "http://schemas.xmlsoap.org/soap/http",
  "http://schemas.xmlsoap.org/soap/http/",
  "http://www.w3.org/2003/05/soap/bindings/HTTP",
  "http://www.w3.org/2003/05/soap/bindings/HTTP/",
]);

/**
 * The transport of a SOAP binding that is not SOAP over HTTP (WCF's net.tcp
 * `http://schemas.microsoft.com/soap/tcp`, JMS, ...): such a binding and its ports are skipped,
 * since the generated client and server speak HTTP only. `undefined` for SOAP over HTTP, for an
 * absent `transport` (read as HTTP), and for a binding that is not SOAP (refused for that).
 */
export function nonHttpTransport(protocol: BindingProtocol): string | undefined {
  if (protocol.kind === "other" || protocol.transport === undefined) return undefined;
  return HTTP_TRANSPORTS.has(protocol.transport.trim()) ? undefined : protocol.transport;
}

export interface Binding {
  readonly kind: "binding";
  readonly name: string;
  readonly ns: string;
  readonly portType: Ref<"portType">;
  readonly protocol: BindingProtocol;
  readonly operations: readonly BindingOperation[];
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

/** `soap:body` / `soap:header` and other extensions of a binding operation's input or output. */
export interface BindingMessage {
  readonly kind: "input" | "output" | "fault";
  readonly name: string | undefined;
  readonly body: { readonly use: string; readonly parts: readonly string[] | undefined; readonly namespace: string | undefined; readonly source: SourceLocation } | undefined;
  /** `soap:header message part use`: a header block, one part of a message (often another message than the Body's). */
  readonly headers: readonly BindingHeader[];
  /** Extension elements the generator does not understand (MIME, ...), by label. */
  readonly other: readonly { readonly label: string; readonly source: SourceLocation }[];
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

/** `soap:header` (WSDL 1.1 section 3.7) of a binding operation's input or output. */
export interface BindingHeader {
  /** The message holding the part; `undefined` when the attribute is missing (reported). */
  readonly message: Ref<"message"> | undefined;
  readonly part: string | undefined;
  readonly use: string;
  readonly source: SourceLocation;
}

export interface BindingOperation {
  readonly kind: "bindingOperation";
  readonly name: string;
  readonly soapAction: string | undefined;
  readonly style: "document" | "rpc" | undefined;
  readonly input: BindingMessage | undefined;
  readonly output: BindingMessage | undefined;
  readonly faults: readonly BindingMessage[];
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

export interface Service {
  readonly kind: "service";
  readonly name: string;
  readonly ns: string;
  readonly ports: readonly Port[];
  readonly documentation: string | undefined;
  readonly source: SourceLocation;
}

export interface Port {
  readonly kind: "port";
  readonly name: string;
  readonly binding: Ref<"binding">;
  readonly address: { readonly protocol: "soap11" | "soap12" | "other"; readonly location: string; readonly source: SourceLocation } | undefined;
  /**
   * Policy attached to it (WS-PolicyAttachment, section 4.1): its `wsp:Policy` and
   * `wsp:PolicyReference` children and its `wsp:PolicyURIs`, in document order; their conjunction.
   */
  readonly policy: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

// ---------------------------------------------------------------------------------------------
// WS-Policy 1.2 / 1.5 (policy expressions as written) and their attachment to WSDL 1.1 components

/**
 * A policy expression as the WSDL writes it, before normalization: operators, assertions and
 * references (WS-Policy 1.5, section 4.1; 1.2 has the same grammar in its own namespace).
 * `ir/policy.ts` resolves references, normalizes to alternatives and reads the security
 * assertions; nothing here is interpreted yet.
 */
export type PolicyExpression = PolicyOperator | PolicyAssertion | PolicyReference;

/** `wsp:Policy` and `wsp:All` (every term applies) or `wsp:ExactlyOne` (one of the terms applies). */
export interface PolicyOperator {
  readonly kind: "all" | "exactlyOne";
  readonly terms: readonly PolicyExpression[];
  readonly source: SourceLocation;
}

/** An attribute of an assertion or of one of its parameters, namespace-resolved. */
export interface PolicyAttribute {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

/** A child element of an assertion that is not its nested policy (`sp:Body`, `sp:Header` in `sp:SignedParts`). */
export interface PolicyParameter {
  readonly name: QName;
  readonly attributes: readonly PolicyAttribute[];
  readonly source: SourceLocation;
}

/** A domain assertion (`sp:AsymmetricBinding`, `wsaw:UsingAddressing`, ...). */
export interface PolicyAssertion {
  readonly kind: "assertion";
  readonly name: QName;
  /** `wsp:Optional="true"`: shorthand for a choice between the assertion and nothing. */
  readonly optional: boolean;
  /** `wsp:Ignorable="true"` (WS-Policy 1.5): a requester may ignore it. */
  readonly ignorable: boolean;
  /** Attributes other than `wsp:Optional` / `wsp:Ignorable` (`sp:IncludeToken`, ...). */
  readonly attributes: readonly PolicyAttribute[];
  /** The nested `wsp:Policy` (read as `all`), when the assertion has one. */
  readonly nested: PolicyOperator | undefined;
  readonly parameters: readonly PolicyParameter[];
  readonly source: SourceLocation;
}

/**
 * `wsp:PolicyReference URI=` or one URI of a `wsp:PolicyURIs` attribute. `key` is what it
 * resolves to: `<absolute path of a loaded document>#<id>` for a reference into a document of
 * the contract (`#id`, `other.wsdl#id`, or an absolute URL a catalog mapped), else the URI itself
 * (which may be the `Name` of a policy).
 */
export interface PolicyReference {
  readonly kind: "policyReference";
  /** As written. */
  readonly uri: string;
  readonly key: string;
  readonly source: SourceLocation;
}

/** A `wsp:Policy` a reference can name: by `wsu:Id` or `xml:id` (as `<document>#<id>`), or by its `Name` IRI. */
export interface PolicyDefinition {
  readonly kind: "policy";
  /** Every key that names it (see {@link PolicyReference.key}). */
  readonly keys: readonly string[];
  /** The id or Name as written, for messages. */
  readonly label: string;
  readonly body: PolicyOperator;
  readonly source: SourceLocation;
}

// ---------------------------------------------------------------------------------------------

/** Every node kind, for {@link label}. */
export type IrNode =
  | Schema
  | BuiltinType
  | SimpleType
  | ComplexType
  | ElementDeclaration
  | AttributeDeclaration
  | ModelGroupDefinition
  | AttributeGroupDefinition
  | Definitions
  | Message
  | PortType
  | Operation
  | Binding
  | BindingOperation
  | Service
  | Port;

/**
 * A short human label for diagnostics: `complexType {urn:x}Order`,
 * `anonymous complexType of element {urn:x}GetOrder`, `operation IOrders.GetOrder`.
 */
export function label(node: IrNode): string {
  switch (node.kind) {
    case "schema":
      return `schema ${node.targetNamespace === "" ? "(no namespace)" : node.targetNamespace}`;
    case "builtin":
      return `xs:${node.name}`;
    case "simpleType":
    case "complexType":
      return node.name !== undefined ? `${node.kind} {${node.ns}}${node.name}` : `anonymous ${node.kind} of ${label(node.parent as IrNode)}`;
    case "element":
      return node.scope === "global" ? `element {${node.ns}}${node.name}` : `element ${node.name} in ${label(node.parent as IrNode)}`;
    case "attribute":
      return node.scope === "global" ? `attribute {${node.ns}}${node.name}` : `attribute ${node.name}`;
    case "groupDefinition":
      return `group {${node.ns}}${node.name}`;
    case "attributeGroupDefinition":
      return `attributeGroup {${node.ns}}${node.name}`;
    case "definitions":
      return `definitions ${node.name ?? node.targetNamespace}`;
    case "message":
      return `message {${node.ns}}${node.name}`;
    case "portType":
      return `portType {${node.ns}}${node.name}`;
    case "operation":
      return `operation ${node.portType}.${node.name}`;
    case "binding":
      return `binding {${node.ns}}${node.name}`;
    case "bindingOperation":
      return `binding operation ${node.name}`;
    case "service":
      return `service {${node.ns}}${node.name}`;
    case "port":
      return `port ${node.name}`;
  }
}

/** The loaded and parsed contract: every schema component and every WSDL definition. */
export interface ContractIR {
  readonly schemas: readonly Schema[];
  /** The main WSDL first, then the ones it imports. */
  readonly definitions: readonly Definitions[];
}
