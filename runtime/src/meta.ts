/**
 * Runtime metadata: what generated code tells the runtime about a contract.
 *
 * Generated packages are thin: TypeScript types for the user, plus one descriptor per type,
 * element, operation and service built from these interfaces. The codec (`xsd/encode.ts`,
 * `xsd/decode.ts`) reads descriptors and compiles them to reader and writer closures the first
 * time they are used. Descriptors are plain readonly data with a `kind` discriminator; type
 * references are thunks so that recursive and forward-referenced types need no special order.
 */
import type { SecurityPolicy } from "./security/policy.ts";

/** The XSD built-in simple types the codec knows, by their local name in the XSD namespace. */
export type BuiltinTypeName =
  | "anySimpleType"
  | "string"
  | "normalizedString"
  | "token"
  | "language"
  | "Name"
  | "NCName"
  | "NMTOKEN"
  | "NMTOKENS"
  | "ID"
  | "IDREF"
  | "IDREFS"
  | "ENTITY"
  | "ENTITIES"
  | "anyURI"
  | "boolean"
  | "decimal"
  | "integer"
  | "nonPositiveInteger"
  | "negativeInteger"
  | "nonNegativeInteger"
  | "positiveInteger"
  | "long"
  | "unsignedLong"
  | "int"
  | "unsignedInt"
  | "short"
  | "unsignedShort"
  | "byte"
  | "unsignedByte"
  | "float"
  | "double"
  | "dateTime"
  | "date"
  | "time"
  | "duration"
  | "gYear"
  | "gYearMonth"
  | "gMonth"
  | "gMonthDay"
  | "gDay"
  | "base64Binary"
  | "hexBinary"
  | "QName"
  | "NOTATION";

/** Constraining facets of a simple type (XSD 1.0 Part 2, section 4.3). Bounds are kept lexical. */
export interface Facets {
  readonly enumeration?: readonly string[];
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** XSD regular expressions; each `pattern` facet step must match (they are ANDed across derivation steps). */
  readonly patterns?: readonly string[];
  readonly minInclusive?: string;
  readonly maxInclusive?: string;
  readonly minExclusive?: string;
  readonly maxExclusive?: string;
  readonly totalDigits?: number;
  readonly fractionDigits?: number;
  readonly whiteSpace?: "preserve" | "replace" | "collapse";
}

/** A simple type: a built-in value space narrowed by facets. */
export interface SimpleTypeMeta {
  readonly kind: "simple";
  /** Label for diagnostics, e.g. `{https://mpay.gov.md}CurrencyCode` or `xs:string`. */
  readonly label: string;
  /** The built-in type whose value space and lexical rules apply (`anySimpleType` for a list). */
  readonly builtin: BuiltinTypeName;
  /**
   * Facets; for a list, `length`/`minLength`/`maxLength` count items, and `enumeration`/`patterns`
   * apply to the whole (whitespace-collapsed) text.
   */
  readonly facets: Facets;
  /** `xs:list`: the value is an array of values of this type, written separated by spaces. */
  readonly itemType?: () => SimpleTypeMeta;
  /**
   * `xs:union`: the value is a value of the first member type that accepts it (its text, when
   * reading; its JavaScript value, when writing). `facets` then apply to the text.
   */
  readonly memberTypes?: () => readonly SimpleTypeMeta[];
}

/** An element particle or a global element declaration. */
export interface ElementMeta {
  readonly kind: "element";
  /** Local name on the wire; also the property name in the TypeScript value, unchanged (but see {@link member}). */
  readonly name: string;
  /** Namespace URI of the element on the wire; `""` for an unqualified local element. */
  readonly ns: string;
  /**
   * The property of the parent's value that holds this member, set only when it is not
   * {@link name}: a later member with the name of an earlier member of the same type (`a`, `b`,
   * `a` in one sequence are `a`, `b`, `a_2`). Such members are told apart on the wire by their
   * position, which Unique Particle Attribution makes unambiguous.
   */
  readonly member?: string;
  readonly type: () => TypeMeta;
  readonly minOccurs: number;
  /** `Infinity` for `unbounded`. */
  readonly maxOccurs: number;
  /** `nillable="true"`: the value may be `null`, written as `xsi:nil="true"`. */
  readonly nillable: boolean;
  readonly default?: string;
  readonly fixed?: string;
  /** Documentation, for diagnostics and tooling. */
  readonly documentation?: string;
  /**
   * Not an element but a model group that repeats (an `xs:sequence` or `xs:group` with
   * maxOccurs > 1): `type` is the complex type of one occurrence, whose elements stand directly
   * in the parent, one occurrence after another, without an element of their own; `name` is the
   * member of the parent's value that holds the occurrences (an array when they may repeat).
   */
  readonly group?: boolean;
  /**
   * A reference to the head of a substitution group (XSD Part 1, 3.3.6): the elements that may
   * stand where it is referenced instead of it (transitively, the abstract ones and those the
   * head's `block` excludes left out). A value names the element that carries it in
   * {@link ELEMENT_MEMBER}: on the value itself when that is an object (a complex type's value),
   * else as `{ $element, $value }`; without it the value is the head's own.
   */
  readonly substitutes?: () => readonly SubstituteMeta[];
  /** The referenced head element is abstract: it never stands itself, only one of its {@link substitutes}. */
  readonly abstract?: boolean;
  /**
   * Set only where the element's `block` (or its type's) leaves out some of the types derived
   * from its type (XSD Part 1, 3.3.4 clause 4.3): the derived types `$type` / `xsi:type` may
   * still name here, in place of the type's own {@link ComplexTypeMeta.derived}.
   */
  readonly derived?: () => readonly ComplexTypeMeta[];
}

/** An element that may stand in for the head of its substitution group. */
export interface SubstituteMeta {
  /** What {@link ELEMENT_MEMBER} says for it: its local name, or `{ns}local` when another substitute shares the local name. */
  readonly name: string;
  /** Its global declaration (occurrences are the referencing particle's). */
  readonly element: ElementMeta;
}

/** The member that names the element carrying a value where a substitution group's head is referenced (`{ $element: "Message", ... }`). */
export const ELEMENT_MEMBER = "$element";

/** An attribute use. */
export interface AttributeMeta {
  readonly kind: "attribute";
  readonly name: string;
  readonly ns: string;
  /** The property that holds the value, set only when it is not {@link name} (an attribute named like an element of its type: `name_2`). */
  readonly member?: string;
  readonly type: () => SimpleTypeMeta;
  readonly required: boolean;
  readonly default?: string;
  readonly fixed?: string;
}

/**
 * A complex type with element-only content, or with simple content (text plus attributes).
 *
 * `content` is the sequence of element particles in schema order. When `arrayItem` is set the
 * type is a wrapper around one repeated element (WCF's `ArrayOfX`): users see a plain array of
 * items, and the wire keeps the wrapper element with one child per item.
 */
export interface ComplexTypeMeta {
  readonly kind: "complex";
  readonly label: string;
  readonly content: readonly ElementMeta[];
  readonly attributes: readonly AttributeMeta[];
  /** Index into `content` of the repeated item when this type is an array wrapper. */
  readonly arrayItem?: number;
  /**
   * `xs:simpleContent`: the type of the element's text. `content` is then empty, and the value is
   * an object holding the text's value under {@link SIMPLE_CONTENT_MEMBER} next to the attributes.
   */
  readonly simpleContent?: () => SimpleTypeMeta;
  /**
   * Type derivation (`xsi:type` polymorphism), set on the named types of a derivation family: the
   * type's name on the wire (the value of `xsi:type`) and in TypeScript (the value of `$type`).
   * `content` and `attributes` are always complete (a base's particles first), so the codec never
   * walks the derivation chain.
   */
  readonly typeName?: { readonly ns: string; readonly local: string; readonly ts: string };
  /** `abstract="true"`: a value must be one of the `derived` types, named by `$type`. */
  readonly abstract?: boolean;
  /** Every known type derived from this one, directly or not: what `$type` / `xsi:type` may name where this type is declared. */
  readonly derived?: () => readonly ComplexTypeMeta[];
  /**
   * The children may come in any order (`xs:all`, or an `xs:choice` that repeats, whose
   * alternatives interleave); they are still written in `content` order.
   */
  readonly unordered?: boolean;
  /**
   * `xs:choice` groups over members of `content` (which are all optional there): at most one
   * branch may be present, and one must be when `required`.
   */
  readonly choices?: readonly ChoiceMeta[];
  /** `xs:any`: elements no member declares, kept as parsed XML under {@link WILDCARD_MEMBER}. */
  readonly wildcard?: WildcardMeta;
  /**
   * The type's further `xs:any`s (after {@link wildcard}, in schema order, each at its own
   * position). Their elements share {@link WILDCARD_MEMBER} with the first's, in document order:
   * the reader gives each element to the wildcard where it stands, the writer hands them out in
   * order (each wildcard takes the elements its namespaces allow, up to its maxOccurs, leaving
   * enough for the minOccurs of those after it; one that is an alternative of an `xs:choice`
   * takes none when another alternative of that choice has members). A choice's alternative
   * holding one is chosen by the elements that wildcard took.
   */
  readonly moreWildcards?: readonly WildcardMeta[];
  /** `xs:anyAttribute`: attributes no attribute use declares, kept under {@link ANY_ATTRIBUTES_MEMBER}. */
  readonly anyAttribute?: AttributeWildcardMeta;
  /**
   * `mixed="true"`: text may stand between the child elements. The value keeps it under
   * {@link MIXED_TEXT_MEMBER}: `text[k]` is the text before the k-th child element (members and
   * wildcard elements alike, in document order) and the last entry the text after the last one.
   */
  readonly mixed?: boolean;
}

/** Which namespaces a wildcard matches: every one, every one but `ns` and no namespace (`##other`), or a list (`""` for no namespace). */
export type WildcardNamespacesMeta = { readonly kind: "any" } | { readonly kind: "other"; readonly ns: string } | { readonly kind: "list"; readonly list: readonly string[] };

/** The member that holds the attributes an `xs:anyAttribute` wildcard matched, in document order. */
export const ANY_ATTRIBUTES_MEMBER = "$anyAttributes";

/** An attribute an `xs:anyAttribute` wildcard matched: its namespace (`""` for none), local name and value as written. */
export interface AnyAttribute {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

/** The member that holds the text of a mixed-content value (`mixed="true"`): see {@link ComplexTypeMeta.mixed}. */
export const MIXED_TEXT_MEMBER = "$text";

/** An `xs:anyAttribute` attribute wildcard. */
export interface AttributeWildcardMeta {
  readonly namespaces: WildcardNamespacesMeta;
  /**
   * `strict`: each attribute needs a global declaration among `declared`, and its value must be
   * valid for it; `lax`: a value is checked when there is a declaration; `skip`: never checked.
   */
  readonly processContents: "strict" | "lax" | "skip";
  /** The contract's global attribute declarations in the namespaces the wildcard allows (strict and lax). */
  readonly declared?: () => readonly AttributeMeta[];
}


/** The member that holds the elements an `xs:any` wildcard matched, as parsed XML (`XmlElement[]`). */
export const WILDCARD_MEMBER = "$any";

/** An `xs:any` element wildcard. */
export interface WildcardMeta {
  /** Written before `content[position]` (after every member when it equals the length). */
  readonly position: number;
  readonly minOccurs: number;
  readonly maxOccurs: number;
  readonly namespaces: WildcardNamespacesMeta;
  /** As the schema says; the codec keeps the elements as XML in every case, and never checks them. */
  readonly processContents: "strict" | "lax" | "skip";
}

/** One `xs:choice` (occurring at most once) of a complex type, by indexes into its `content`. */
export interface ChoiceMeta {
  /** Whether a branch must be present (the choice is required and no branch can be empty). */
  readonly required: boolean;
  /**
   * A choice that repeats (maxOccurs > 1): its alternatives interleave, so any number of branches
   * may be present; `required` then says that at least one element of one of them must be.
   */
  readonly repeated?: boolean;
  readonly branches: readonly {
    /** Every member of the branch. */
    readonly members: readonly number[];
    /** The members the branch requires once it is chosen. */
    readonly required: readonly number[];
    /** The branch holds one of the type's `xs:any` wildcards (the first, {@link ComplexTypeMeta.wildcard}, unless {@link wildcardIndex} says): elements it takes from `$any` choose it. */
    readonly wildcard?: boolean;
    /** Which wildcard the branch holds when it is not the first: its index in `[wildcard, ...moreWildcards]`. */
    readonly wildcardIndex?: number;
  }[];
}

/** The member that names the derived type of a value (`{ $type: "Dog", ... }` where `Animal` is declared). */
export const TYPE_MEMBER = "$type";

/**
 * The member that holds the text of a simple-content value (`{ $value: "12.50", currency: "MDL" }`).
 * XSD names are NCNames, which never contain `$`: no attribute can take this name.
 */
export const SIMPLE_CONTENT_MEMBER = "$value";

/** `xs:anyType`: content is kept as raw XML. */
export interface AnyTypeMeta {
  readonly kind: "any";
  readonly label: string;
}

export type TypeMeta = SimpleTypeMeta | ComplexTypeMeta | AnyTypeMeta;

/**
 * How a message travels in the SOAP Body: document/literal (one element per part, usually one
 * wrapper element), or rpc/literal (one wrapper element named after the operation, its parts as
 * unqualified accessors), which the generator describes as a wrapper element too, so the codec
 * treats both alike.
 */
export type OperationStyle = "document-literal-wrapped" | "rpc-literal";

/** One part of a message whose Body holds several elements: the member of the value named `part` is the element's value. */
export interface BodyPartMeta {
  readonly part: string;
  readonly element: ElementMeta;
}

/** A fault the portType declares for an operation (`wsdl:fault`): its name and the element its detail carries. */
export interface FaultMeta {
  readonly name: string;
  readonly element: ElementMeta;
}

/**
 * One operation of a SOAP binding. `In` and `Out` are phantom: they type the generic client, as
 * `InHeaders` and `OutHeaders` type the header blocks the binding declares (`soap:header`), and
 * `Faults` the details of its declared faults, by fault name.
 */
export interface OperationMeta<In = unknown, Out = unknown, InHeaders = unknown, OutHeaders = unknown, Faults = unknown> {
  readonly kind: "operation";
  readonly name: string;
  /** The `soapAction` of the binding operation; `""` when the binding declares none. */
  readonly soapAction: string;
  readonly style: OperationStyle;
  /**
   * The request's Body element (the wrapper element in document/literal wrapped style). Absent:
   * the request's Body is empty (a message without a body part, WS-I Basic Profile R2210), and
   * the server routes it by its SOAP action.
   */
  readonly input?: ElementMeta;
  /** The response's Body element. Absent: the response's Body is empty, or there is none ({@link oneWay}). */
  readonly output?: ElementMeta;
  /**
   * Set instead of `input` when the request's Body holds several elements, one per message part
   * (WSDL 1.1 section 3.5, document style): the value is an object with one member per part,
   * named after it, and the elements travel in this order. Routing goes by the first one.
   */
  readonly inputParts?: readonly BodyPartMeta[];
  /** The same for the response. */
  readonly outputParts?: readonly BodyPartMeta[];
  /**
   * A one-way operation (a `wsdl:input` without `wsdl:output`): the server answers HTTP 202 with
   * no body once the handler is done (WS-I Basic Profile R2714), and the client resolves with
   * nothing.
   */
  readonly oneWay?: boolean;
  /**
   * The header blocks the binding declares for requests (`soap:header` of `wsdl:input`), each a
   * global element; their values travel keyed by the element's local name. Every one is
   * optional (WSDL 1.1 cannot say that a header is required), and every one counts as
   * understood for `mustUnderstand`.
   */
  readonly inputHeaders?: readonly ElementMeta[];
  /** The same for responses (`soap:header` of `wsdl:output`). */
  readonly outputHeaders?: readonly ElementMeta[];
  /**
   * The faults the portType declares (`wsdl:fault`), each with the element of its detail: the
   * server writes a declared fault's typed detail, the client decodes it (`SoapFault.declared`,
   * `SoapFault.detailValue`).
   */
  readonly faults?: readonly FaultMeta[];
  /** WS-Addressing actions, when the WSDL declares them (`wsaw:Action`). */
  readonly inputAction?: string;
  readonly outputAction?: string;
  readonly documentation?: string;
  /**
   * The WS-SecurityPolicy in effect for this operation's requests, when the operation's or the
   * input message's policy adds to the service's (typically `sp:SignedParts`). It is complete:
   * already merged with {@link ServiceMeta.security}. Absent: `ServiceMeta.security` applies.
   */
  readonly inputSecurity?: SecurityPolicy;
  /** The same for this operation's responses (the output message's policy). */
  readonly outputSecurity?: SecurityPolicy;
  /** Phantom members, never set: they carry the value types for `call()`. */
  readonly $in?: In;
  readonly $out?: Out;
  readonly $inHeaders?: InHeaders;
  readonly $outHeaders?: OutHeaders;
  readonly $faults?: Faults;
}

/** A document served by the server at `?wsdl` / `?xsd=...`, with its import locations marked. */
export interface ServedDocument {
  /** The query that serves it: `wsdl` for the main WSDL, `xsd=Name.xsd` or `wsdl=Name.wsdl` for imports. */
  readonly key: string;
  readonly text: string;
  /**
   * Ranges of `text` (attribute values of `schemaLocation` / `location` / `soap:address`) that the
   * server replaces when it serves the document: with `<endpoint>?<target>` for a link, or with the
   * endpoint URL itself when `target` is `""` (the port's address).
   */
  readonly links: readonly { readonly start: number; readonly end: number; readonly target: string }[];
}

/** A SOAP port: one binding of a port type at one address. */
export interface ServiceMeta<Ops extends Record<string, OperationMeta> = Record<string, OperationMeta>> {
  readonly kind: "service";
  readonly name: string;
  readonly port: string;
  /** Target namespace of the WSDL; fault codes of the contract are qualified with it. */
  readonly namespace: string;
  /**
   * The SOAP version of the binding: the client sends in it; the server answers every request in
   * the version the request came in.
   */
  readonly soapVersion: "1.1" | "1.2";
  /** The address the WSDL declares (often a placeholder). */
  readonly address: string;
  readonly operations: Ops;
  /** The WSDL and its schemas, as served at `?wsdl`. */
  readonly documents: readonly ServedDocument[];
  /**
   * The WS-SecurityPolicy of the port (the policy attached to the port, its binding and portType),
   * for every message in both directions unless an operation carries `inputSecurity` /
   * `outputSecurity`. Absent when the WSDL asks for no message security: then none is applied
   * unless the user configures it.
   */
  readonly security?: SecurityPolicy;
}
