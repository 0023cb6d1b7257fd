/**
 * From the resolved IR to what the emitters print: the contract model.
 *
 * This is where the generator decides what it supports. It picks one service and one SOAP 1.1/1.2
 * document/literal port, walks the operations' Body elements to every type they reach, turns
 * each reached type into a declaration (interface, string-literal union, alias, or array
 * wrapper), flattens its content into members, and allocates every top-level identifier.
 * Constructs outside this round's scope are reported here, at the construct, and only when an
 * operation reaches them: an unsupported type that nothing uses does not stop generation.
 *
 * Ordering, for byte-stable output: operations keep the portType's order; declarations and
 * element constants are sorted by their TypeScript name (code-unit order), so neither the order
 * of files nor the order of components in them changes the output, and adding a type adds only
 * its own lines. Served documents keep load order (depth-first, document order).
 */
import { CodecError, decodeElement, parseXml, type BuiltinTypeName, type Facets, type SimpleTypeMeta } from "@mpay-kit/runtime";
import { builtin, element, listType, simpleType, unionType, type SecurityPolicy } from "@mpay-kit/runtime/codegen/v1";
import { compareStrings, type Diagnostics, type SourceLocation } from "../diagnostics.ts";
import type { LoadedContract } from "../load/load.ts";
import { children } from "../load/xml.ts";
import type { FaultOptions } from "../options.ts";
import { BUILTINS } from "../ir/builtins.ts";
import type {
  AttributeDeclaration,
  AttributeGroupDefinition,
  AttributeParticle,
  AttributeWildcard,
  BuiltinType,
  ComplexType,
  ContractIR,
  DerivationMethod,
  ElementDeclaration,
  EnumerationValue,
  GroupReference,
  IrNode,
  ModelGroup,
  ModelGroupDefinition,
  Particle,
  Ref,
  Schema,
  SimpleList,
  SimpleType,
  SimpleUnion,
  TypeDefinition,
  WildcardNamespaces,
} from "../ir/model.ts";
import { deref, label } from "../ir/model.ts";
import { NameScope } from "../ir/names.ts";
import { PolicyReader } from "../ir/policy.ts";
import { SOAP11_BINDING, SOAP12_BINDING, WSDL } from "../ir/ns.ts";
import { selectPort } from "./binding.ts";
import type {
  ApiNames,
  AttributeWildcardModel,
  ArrayDecl,
  ChoiceModel,
  WildcardModel,
  ComplexDecl,
  ContractModel,
  Decl,
  DeclBase,
  DocumentModel,
  ElementConst,
  InlineDecl,
  Member,
  OperationModel,
  SecurityConst,
  SubstituteModel,
  TypeUse,
} from "./model.ts";
import { blocksEveryType, propertyOf } from "./model.ts";
import { RUNTIME_SYMBOL_NAMES } from "./symbols.ts";

export interface ModelOptions {
  readonly wsdlPath: string;
  readonly packageName: string;
  readonly faults: FaultOptions | undefined;
  readonly service: string | undefined;
  readonly port: string | undefined;
  readonly timeZone: string | undefined;
}

/** Hints for constructs outside this round, by construct. */
const UNSUPPORTED_HINTS: Record<string, string> = {
  "xs:choice": "write the alternatives as optional elements of an xs:sequence until choice is supported",
  "xs:all": "use an xs:sequence (the runtime reads members in schema order)",
  "xs:any": "declare the expected elements explicitly",
  "xs:group": "inline the group's elements into the type",
  "xs:attributeGroup": "inline the group's attributes into the type",
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What flattening a content model collects besides members; `optional` when the enclosing group may be absent. */
interface ContentModel {
  /** Shared by the nested models of one type. */
  readonly choices: ChoiceModel[];
  readonly order: { unordered: boolean; wildcard?: WildcardModel; moreWildcards?: WildcardModel[] };
  readonly optional: boolean;
  /** The TypeScript properties the type's members took so far (shared by the nested models of one type). */
  readonly taken: Set<string>;
  /** Inside an alternative of a choice, where members go to a branch list first. */
  readonly inChoice?: boolean;
}

/** A complex decl while it is built: registered first, flattened later, and turned into an ArrayDecl in place when it is an array wrapper. */
type ComplexDeclInProgress = {
  kind: "complex" | "array";
  members?: Member[];
  item?: Member;
  simpleContent?: TypeUse | undefined;
  base?: ComplexDecl | undefined;
  abstract?: boolean;
  derived?: ComplexDecl[];
  family?: boolean;
  choices?: ChoiceModel[];
  unordered?: boolean;
  wildcard?: WildcardModel | undefined;
  moreWildcards?: readonly WildcardModel[];
  anyAttribute?: AttributeWildcardModel | undefined;
  mixed?: boolean;
} & DeclBase;

class ModelBuilder {
  readonly #ir: ContractIR;
  readonly #loaded: LoadedContract;
  readonly #d: Diagnostics;
  readonly #decls = new Map<TypeDefinition, Decl>();
  readonly #elements = new Map<ElementDeclaration, ElementConst>();
  readonly #flattening = new Set<ComplexType>();
  /**
   * Complex decls registered but not flattened yet, in the order they were reached. Member types
   * are completed from here, not by recursion: a chain of N types each referring to the next would
   * otherwise nest N flattenings deep (a stack overflow at ~1,600 types), and a member whose type
   * derives from the type being flattened would meet it half-done.
   */
  readonly #pending = new Map<Decl, () => void>();
  /** Desired names and priorities, for allocation. */
  readonly #wanted = new Map<Decl, { priority: number; name: string; ns: string }>();

  constructor(ir: ContractIR, loaded: LoadedContract, diagnostics: Diagnostics) {
    this.#ir = ir;
    this.#loaded = loaded;
    this.#d = diagnostics;
  }

  unsupported(at: SourceLocation, construct: string, where: IrNode | undefined, hint?: string): void {
    const h = hint ?? UNSUPPORTED_HINTS[construct];
    this.#d.error(at, `${construct} is not supported yet${where === undefined ? "" : ` (in ${label(where)})`}`, h);
  }

  /**
   * A member with its TypeScript property: its XSD name, unless an earlier member of the type
   * took it, then `<name>_2`, `<name>_3`, ... (the first free one). XSD allows two particles of
   * one name in a content model (with one type: Element Declarations Consistent) when Unique
   * Particle Attribution holds, so the position of an element tells which one it is.
   */
  #named(m: Member, model: ContentModel): Member {
    if (!model.taken.has(m.name)) {
      model.taken.add(m.name);
      return m;
    }
    let k = 2;
    while (model.taken.has(`${m.name}_${k}`)) k++;
    const property = `${m.name}_${k}`;
    model.taken.add(property);
    return { ...m, property };
  }

  build(options: ModelOptions): ContractModel | undefined {
    const main = this.#ir.definitions[0]!;
    const selected = selectPort(this.#ir, this.#d, options);
    if (selected === undefined) return undefined;
    const { service, port, binding, soapVersion, operations: ops } = selected;

    // Message security from WS-Policy: the endpoint's policy for every message, and per operation
    // the policy merged with the operation's and the message's when that adds to it.
    const policies = new PolicyReader(this.#ir, this.#d);
    const portType = deref(binding.portType);
    const endpoint = [port.policy, binding.policy, portType.policy];
    const constants = new Map<string, SecurityConst>();
    /** The model's one object for a policy value, noting where it applies. */
    const shared = (policy: SecurityPolicy | undefined, usedBy: SecurityConst["usedBy"][number] | undefined): SecurityPolicy | undefined => {
      if (policy === undefined) return undefined;
      const key = JSON.stringify(policy);
      let c = constants.get(key);
      if (c === undefined) {
        c = { name: "", policy, port: usedBy === undefined, usedBy: [] };
        constants.set(key, c);
      }
      if (usedBy !== undefined) (c.usedBy as SecurityConst["usedBy"][number][]).push(usedBy);
      return c.policy;
    };
    const security = shared(policies.security(endpoint), undefined);
    const differs = (s: SecurityPolicy | undefined, usedBy: SecurityConst["usedBy"][number]) => (JSON.stringify(s) === JSON.stringify(security) ? undefined : shared(s, usedBy));

    const operations: OperationModel[] = [];
    for (const op of ops) {
      const body = `a message part of operation ${op.operation.name}`;
      const input = op.inputElement === undefined ? undefined : this.#elementConst(op.inputElement, body);
      const output = op.outputElement === undefined ? undefined : this.#elementConst(op.outputElement, body);
      const bop = op.bindingOperation;
      const operation = [bop.policy, op.operation.policy];
      const message = (m: typeof op.operation.input, b: typeof bop.input) => [b?.policy ?? [], m?.policy ?? [], m === undefined ? [] : deref(m.message).policy];
      operations.push({
        name: op.operation.name,
        style: op.style,
        soapAction: op.soapAction,
        inputAction: op.operation.input?.action,
        outputAction: op.operation.output?.action,
        documentation: op.operation.documentation,
        input,
        output,
        inputParts: op.inputParts?.map((p) => ({ name: p.name, element: this.#elementConst(p.element, body) })),
        outputParts: op.outputParts?.map((p) => ({ name: p.name, element: this.#elementConst(p.element, body) })),
        oneWay: op.oneWay,
        inputHeaders: op.inputHeaders.map((h) => this.#elementConst(h, `a request header block of operation ${op.operation.name}`)),
        outputHeaders: op.outputHeaders.map((h) => this.#elementConst(h, `a response header block of operation ${op.operation.name}`)),
        faults: op.operation.faults.map((f) => f.name ?? deref(f.message).name),
        typedFaults: op.faults.map((f) => ({ name: f.name, element: this.#elementConst(f.element, `the detail of fault ${f.name} of operation ${op.operation.name}`) })),
        inputSecurity: differs(policies.security([...endpoint, ...operation, ...message(op.operation.input, bop.input)]), { operation: op.operation.name, direction: "requests" }),
        outputSecurity: differs(policies.security([...endpoint, ...operation, ...message(op.operation.output, bop.output)]), { operation: op.operation.name, direction: "responses" }),
      });
    }
    this.#checkBodyRouting(ops, operations);

    this.#completeAll();
    // WCF declares a global element for every type; each one whose type the package describes
    // gets a descriptor too, so that a value can be encoded or decoded on its own.
    for (const schema of this.#ir.schemas) {
      for (const el of schema.elements) {
        // An abstract element never stands on its own: no descriptor.
        if (el.abstract || el.type === undefined || el.type.kind !== "ref") continue;
        const t = el.type.target;
        const decl = t === undefined || t.kind === "builtin" ? undefined : this.#decls.get(t);
        if (decl !== undefined && decl.kind !== "inline") this.#elementConst(el);
      }
    }
    this.#completeAll();
    this.#linkDerivations();
    for (const d of this.#decls.values()) {
      if (d.kind !== "complex") continue;
      for (const m of d.members) {
        if (m.kind === "element" && m.type.kind === "decl" && blocksEveryType(m.type)) {
          this.#d.warning(m.source, `${m.type.decl.label} is abstract and the block in force at element ${m.name} leaves out every type derived from it; no value may stand there${m.nillable ? " (only nil)" : ""}`);
        }
      }
    }
    const names = this.#allocate(service.name, [...constants.values()]);
    for (const d of this.#decls.values()) if (d.kind === "complex") (d.derived as ComplexDecl[]).sort((a, b) => compareStrings(a.name, b.name));
    const decls = [...this.#decls.values()];
    const publicDecls = decls.filter((d) => d.kind !== "inline").sort((a, b) => compareStrings(a.name, b.name));
    const inlineDecls = decls.filter((d) => d.kind === "inline").sort((a, b) => compareStrings(a.metaName, b.metaName));
    return {
      wsdlPath: options.wsdlPath,
      packageName: options.packageName,
      namespace: main.targetNamespace,
      service: {
        name: service.name,
        port: port.name,
        address: port.address?.location ?? "",
        soapVersion,
        documentation: service.documentation,
        security,
      },
      names,
      operations,
      decls: [...publicDecls, ...inlineDecls],
      elements: [...this.#elements.values()].sort((a, b) => compareStrings(a.constName, b.constName)),
      documents: this.#documents(),
      security: [...constants.values()],
      faults: options.faults,
      timeZone: options.timeZone,
    };
  }

  // -- elements and types ----------------------------------------------------------------------

  /**
   * The descriptor constant of a global element. An abstract one (a message's Body part, header
   * block or fault detail: `use` says which, for messages) stands for its substitution group: the
   * value is one of its members, named in `$element`, as where such a head is referenced in a type.
   */
  #elementConst(el: ElementDeclaration, use?: string): ElementConst {
    let e = this.#elements.get(el);
    if (e === undefined) {
      const substitutes = el.abstract ? this.#substituteModels(el) : undefined;
      if (substitutes !== undefined && substitutes.length === 0) {
        this.#d.error(
          el.source,
          `${label(el)} is abstract and no element of its substitution group may stand for it (${use ?? "?"})`,
          "declare a non-abstract element with substitutionGroup naming it (and a type derived from its type), or name a concrete element in the message",
        );
      }
      e = {
        constName: "",
        name: el.name,
        ns: el.ns,
        type: this.#typeUse(elementType(el), el),
        nillable: el.abstract ? false : el.nillable,
        documentation: el.documentation,
        ...(substitutes === undefined || substitutes.length === 0 ? {} : { substitutes, abstract: true }),
      };
      this.#elements.set(el, e);
    }
    return e;
  }

  /**
   * The server routes a request by its Body's (first) element: an abstract one routes by each
   * element that may stand for it, so no two operations may then share one (the Body would not
   * say which was called).
   */
  #checkBodyRouting(ops: readonly { readonly operation: { readonly source: SourceLocation } }[], operations: readonly OperationModel[]): void {
    const routes = new Map<string, { readonly operation: string; readonly via: string | undefined }>();
    operations.forEach((op, i) => {
      const body = op.input ?? op.inputParts?.[0]?.element;
      if (body === undefined) return;
      const keys = body.substitutes === undefined ? [{ key: `{${body.ns}}${body.name}`, via: undefined }] : body.substitutes.map((s) => ({ key: `{${s.element.ns}}${s.element.name}`, via: `{${body.ns}}${body.name}` }));
      for (const { key, via } of keys) {
        const other = routes.get(key);
        if (other === undefined) {
          routes.set(key, { operation: op.name, via });
          continue;
        }
        // Two operations on one concrete element are not new here: only a substitution group's making is refused.
        if (via === undefined && other.via === undefined) continue;
        const side = (name: string, v: string | undefined) => (v === undefined ? `${name} names it` : `${name} names abstract ${v}`);
        this.#d.error(
          ops[i]!.operation.source,
          `operations ${other.operation} and ${op.name} both take ${key} in the request Body (${side(other.operation, other.via)}; ${side(op.name, via)}): the server could not tell them apart`,
          "name a concrete element in one of the messages, or give the operations disjoint substitution groups",
        );
      }
    });
  }

  /** The elements that may stand for `head`, each named for `$element`: by its local name, or by {ns}local where two share one (the head keeps its local name). */
  #substituteModels(head: ElementDeclaration): SubstituteModel[] {
    const substitutes = this.#substitutes(head);
    const localCount = new Map<string, number>([[head.name, 1]]);
    for (const e of substitutes) localCount.set(e.name, (localCount.get(e.name) ?? 0) + 1);
    return substitutes.map((e) => ({ name: localCount.get(e.name) === 1 ? e.name : `{${e.ns}}${e.name}`, element: this.#elementConst(e) }));
  }

  #typeUse(t: Ref<"type"> | TypeDefinition | undefined, owner: ElementDeclaration | AttributeDeclaration): TypeUse {
    if (t === undefined) return { kind: "builtin", name: owner.kind === "attribute" ? "anySimpleType" : "anyType" };
    const node = t.kind === "ref" ? deref(t) : t;
    if (node.kind === "builtin") return { kind: "builtin", name: node.name };
    const decl = this.#decl(node, owner);
    if (node.kind !== "complexType") return { kind: "decl", decl };
    this.#reachDerived(node);
    // The element's block narrows the derived types that may stand here (xsi:type); substitution is the head's business.
    const block = owner.kind === "element" ? owner.block?.filter((m): m is "extension" | "restriction" => m !== "substitution") : undefined;
    return block === undefined || block.length === 0 ? { kind: "decl", decl } : { kind: "decl", decl, block };
  }

  /** Named complex types by the type they extend or restrict (directly), over every schema; built on first use. */
  #derivedIndex: Map<ComplexType, ComplexType[]> | undefined;
  readonly #derivedReached = new Set<ComplexType>();

  /** Declares every named type derived from `node` (a value of one may stand where `node` is declared, named by `xsi:type`). */
  #reachDerived(node: ComplexType): void {
    if (this.#derivedReached.has(node)) return;
    this.#derivedReached.add(node);
    if (this.#derivedIndex === undefined) {
      this.#derivedIndex = new Map();
      for (const schema of this.#ir.schemas) {
        for (const t of schema.types) {
          if (t.kind !== "complexType" || (t.content.kind !== "extension" && t.content.kind !== "restriction")) continue;
          const base = t.content.base.target;
          if (base === undefined || base.kind !== "complexType") continue;
          let list = this.#derivedIndex.get(base);
          if (list === undefined) this.#derivedIndex.set(base, (list = []));
          list.push(t);
        }
      }
    }
    for (const d of this.#derivedIndex.get(node) ?? []) {
      this.#decl(d, d);
      this.#reachDerived(d);
    }
  }

  /** Once every type is declared: each complex decl's derived decls, and who belongs to a family. */
  #linkDerivations(): void {
    for (const decl of this.#decls.values()) {
      if (decl.kind !== "complex" || decl.node.kind !== "complexType" || decl.node.name === undefined) continue;
      const seen = new Set<ComplexType>();
      for (let t: ComplexType = decl.node; t.content.kind === "extension" || t.content.kind === "restriction"; ) {
        const base = deref(t.content.base);
        if (base.kind !== "complexType" || seen.has(base)) break;
        seen.add(base);
        // Where the base is declared as an element's type, a derived value may stand in for it
        // (#reachDerived declares them there). A base that has a $type itself for another reason
        // (it is abstract, or derives from such a base) lists them too: the $type of each interface
        // extending it narrows its own.
        const baseDecl = this.#withTypeMember(base) ? this.#decls.get(base) : undefined;
        if (baseDecl !== undefined && baseDecl.kind === "complex") {
          (baseDecl.derived as ComplexDecl[]).push(decl);
          (baseDecl as { family: boolean }).family = baseDecl.node.name !== undefined;
          (decl as { family: boolean }).family = true;
        }
        t = base;
      }
      if (decl.abstract) (decl as { family: boolean }).family = true;
    }
  }

  /** Whether a type belongs to a derivation family: it, or a type it derives from, is abstract or declared as an element's type. */
  #withTypeMember(node: ComplexType): boolean {
    const seen = new Set<ComplexType>();
    for (let t: ComplexType = node; !seen.has(t); ) {
      if (this.#derivedReached.has(t) || t.abstract) return true;
      seen.add(t);
      if (t.content.kind !== "extension" && t.content.kind !== "restriction") return false;
      const base = deref(t.content.base);
      if (base.kind !== "complexType") return false;
      t = base;
    }
    return false;
  }

  /**
   * The simple type of a simple-content type's text, followed through simple-content bases
   * (`undefined`, reported, when a base has element content or the chain loops).
   */
  #textType(node: ComplexType): SimpleType | BuiltinType | undefined {
    const seen = new Set<ComplexType>();
    for (let t: ComplexType = node; ; ) {
      const content = t.content;
      if (content.kind !== "simpleContent") {
        this.#d.error(node.source, `${label(node)} takes its text from ${label(t)}, which has no simple content`, "xs:simpleContent derives from a simple type or from a complex type with xs:simpleContent");
        return undefined;
      }
      if (seen.has(t)) {
        this.#d.error(t.source, `${label(t)} is derived from itself`);
        return undefined;
      }
      seen.add(t);
      if (content.derivation === "restriction") return content.value;
      const base = deref(content.base);
      if (base.kind !== "complexType") {
        if (base.kind === "builtin" && base.name === "anyType") {
          // Not a simple type (XSD Part 1, 3.4.6, src-ct.2); what a text of any type can only mean is xs:anySimpleType.
          this.#d.warning(content.source, `${label(t)} extends xs:anyType in xs:simpleContent, which is not a simple type; its text is read as xs:anySimpleType`);
          return { kind: "builtin", name: "anySimpleType" };
        }
        return base;
      }
      t = base;
    }
  }

  /** The type use of a simple-content type's text. */
  #simpleContentUse(node: ComplexType): TypeUse | undefined {
    const text = this.#textType(node);
    if (text === undefined) return undefined;
    if (text.kind === "builtin") return { kind: "builtin", name: text.name };
    return { kind: "decl", decl: this.#decl(text, node) };
  }

  #decl(node: TypeDefinition, owner: ElementDeclaration | AttributeDeclaration | ComplexType): Decl {
    const existing = this.#decls.get(node);
    if (existing !== undefined) return existing;
    return node.kind === "complexType" ? this.#complexDecl(node, owner) : this.#simpleDecl(node, owner);
  }

  #complexDecl(node: ComplexType, owner: ElementDeclaration | AttributeDeclaration | ComplexType): Decl {
    // Register before flattening: the members of a recursive type refer to the type itself.
    // The object becomes an ArrayDecl in place when the content turns out to be an array wrapper.
    const decl: ComplexDeclInProgress = {
      kind: "complex",
      name: "",
      metaName: "",
      label: typeLabel(node),
      node,
      documentation: joinDocs(node.name === undefined ? owner.documentation : undefined, node.documentation),
      members: [],
      simpleContent: undefined,
      base: undefined,
      abstract: node.abstract,
      derived: [],
      family: false,
      choices: [],
      unordered: false,
      wildcard: undefined,
      moreWildcards: [],
      anyAttribute: undefined,
      mixed: node.mixed,
    };
    this.#decls.set(node, decl as ComplexDecl);
    this.#want(decl as ComplexDecl, node);
    this.#pending.set(decl as ComplexDecl, () => this.#completeComplex(node, decl));
    return decl as ComplexDecl;
  }

  /** Flattens a registered complex decl now, if it is still pending (a base, or an array's item). */
  #complete(decl: Decl): void {
    const run = this.#pending.get(decl);
    if (run === undefined) return;
    this.#pending.delete(decl);
    run();
  }

  /** Flattens every pending decl, and those their members reach, in the order they were reached. */
  #completeAll(): void {
    for (let next = this.#pending.keys().next(); next.done !== true; next = this.#pending.keys().next()) this.#complete(next.value);
  }

  #completeComplex(
    node: ComplexType,
    decl: ComplexDeclInProgress,
  ): void {
    if (node.content.kind === "simpleContent") decl.simpleContent = this.#simpleContentUse(node);
    if (node.content.kind === "extension") {
      // The base is declared too, and extended: `interface X extends Base`.
      const base = deref(node.content.base);
      if (base.kind === "complexType" && base.content.kind === "simpleContent") {
        // complexContent extending a simple-content type without adding elements keeps its text (libxml2 reads it so).
        if (node.content.particle === undefined) decl.simpleContent = this.#simpleContentUse(base);
        else this.#d.error(node.content.source, `${label(node)} adds elements to ${label(base)}, which has simple content`, "a type with text content cannot have child elements (mixed content is not supported)");
      }
      if (base.kind === "complexType" && base.content.kind !== "simpleContent") {
        const baseDecl = this.#decl(base, node);
        // The base's model decides whether it can be extended: it is flattened first.
        this.#complete(baseDecl);
        // A type with choices is a type alias (an intersection with a union), which no interface can extend.
        if (baseDecl.kind === "complex" && !baseDecl.choices.some((c) => c.repeated !== true)) decl.base = baseDecl;
      }
    }
    const model = this.#flattenModel(node);
    const members = model.members;
    decl.choices = model.choices;
    decl.unordered = model.unordered;
    decl.wildcard = model.wildcard;
    decl.moreWildcards = model.moreWildcards;
    decl.anyAttribute = model.anyAttribute;
    // A type with choices is a type alias with every member (an interface could not express the union).
    if (decl.choices.some((c) => c.repeated !== true)) decl.base = undefined;
    const array = node.name !== undefined ? arrayItem(node, members) : undefined;
    // Whether the items lead back to this type is known once the item type is flattened (an array wrapper or not).
    if (array !== undefined && array.type.kind === "decl") this.#complete(array.type.decl);
    if (array !== undefined && !leadsTo(array.type, decl as ComplexDecl)) {
      decl.kind = "array";
      decl.item = array;
      delete decl.members;
      delete decl.simpleContent;
      delete decl.base;
      delete decl.abstract;
      delete decl.derived;
      delete decl.family;
      delete decl.choices;
      delete decl.unordered;
      delete decl.wildcard;
      delete decl.moreWildcards;
      delete decl.anyAttribute;
      delete decl.mixed;
    } else {
      decl.members = members;
    }
  }

  #simpleDecl(node: SimpleType, owner: ElementDeclaration | AttributeDeclaration | ComplexType): Decl {
    if (node.derivation.kind === "list") return this.#listDecl(node, node.derivation, owner);
    if (node.derivation.kind === "union") return this.#unionDecl(node, node.derivation, owner);
    const restricted = this.#restrictedListOrUnion(node);
    if (restricted !== undefined) return this.#restrictionOfListOrUnion(node, restricted.base, restricted.steps, owner);
    const resolved = this.#resolveSimple(node);
    const common = {
      name: "",
      metaName: "",
      label: typeLabel(node),
      node,
      documentation: joinDocs(node.name === undefined ? owner.documentation : undefined, node.documentation),
    };
    const builtin = resolved?.builtin ?? "string";
    const facets = resolved?.facets ?? {};
    let decl: Decl;
    if (resolved?.enumeration !== undefined && BUILTINS[builtin].stringFamily) {
      decl = { kind: "enum", ...common, valuesName: "", builtin, facets, values: resolved.enumeration };
    } else if (node.name !== undefined) {
      decl = { kind: "alias", ...common, builtin, facets, item: undefined, members: undefined };
    } else {
      decl = { kind: "inline", ...common, builtin, facets, item: undefined, members: undefined };
    }
    this.#decls.set(node, decl);
    if (decl.kind !== "inline") this.#want(decl, node);
    return decl;
  }

  /**
   * The list or union type that a chain of restrictions starting at `node` restricts, with the
   * restriction steps (`node` first); `undefined` when the chain ends at a built-in (or loops, or
   * meets a complex type: `#resolveSimple` reports those).
   */
  #restrictedListOrUnion(node: SimpleType): { base: SimpleType; steps: SimpleType[] } | undefined {
    const steps: SimpleType[] = [];
    for (let t: SimpleType = node; ; ) {
      if (t.derivation.kind !== "restriction") return steps.length === 0 ? undefined : { base: t, steps };
      if (steps.includes(t)) return undefined;
      steps.push(t);
      const base = t.derivation.base.kind === "ref" ? deref(t.derivation.base) : t.derivation.base;
      if (base.kind !== "simpleType") return undefined;
      t = base;
    }
  }

  /**
   * A restriction of a list or union type (XSD Part 2, 4.1.2: a list's length facets count items,
   * its enumeration and patterns apply to the whole text; a union takes pattern and enumeration):
   * the value is the list's or union's, and the descriptor adds the facets of the steps.
   */
  #restrictionOfListOrUnion(node: SimpleType, base: SimpleType, steps: readonly SimpleType[], owner: ElementDeclaration | AttributeDeclaration | ComplexType): Decl {
    const baseDecl = this.#decl(base, owner);
    const facets: { -readonly [K in keyof Facets]: Facets[K] } = {};
    for (const step of [...steps].reverse()) {
      const { patterns, ...rest } = (step.derivation as Extract<SimpleType["derivation"], { kind: "restriction" }>).facets;
      Object.assign(facets, rest);
      if (patterns !== undefined) facets.patterns = [...(facets.patterns ?? []), ...patterns];
    }
    const isList = base.derivation.kind === "list";
    const allowed = isList ? ["length", "minLength", "maxLength", "enumeration", "patterns", "whiteSpace"] : ["enumeration", "patterns"];
    for (const name of Object.keys(facets)) {
      if (!allowed.includes(name)) this.#d.error(node.source, `${label(node)} restricts the ${isList ? "list" : "union"} ${label(base)} with ${name === "patterns" ? "pattern" : name}, which a ${isList ? "list" : "union"} does not take`, `a ${isList ? "list" : "union"} takes ${allowed.map((f) => (f === "patterns" ? "pattern" : f)).join(", ")}`);
    }
    const decl: Decl = {
      kind: node.name !== undefined ? "alias" : "inline",
      name: "",
      metaName: "",
      label: typeLabel(node),
      node,
      documentation: joinDocs(node.name === undefined ? owner.documentation : undefined, node.documentation),
      builtin: "anySimpleType",
      facets,
      item: baseDecl.kind === "alias" || baseDecl.kind === "inline" ? baseDecl.item : undefined,
      members: baseDecl.kind === "alias" || baseDecl.kind === "inline" ? baseDecl.members : undefined,
    };
    const unionMembers = baseDecl.kind === "alias" || baseDecl.kind === "inline" ? baseDecl.members : undefined;
    if (!isList && facets.enumeration !== undefined && unionMembers !== undefined) {
      (decl as { literals?: readonly (string | TypeUse)[] }).literals = this.#unionLiterals(node, unionMembers, facets);
    }
    this.#decls.set(node, decl);
    if (decl.kind !== "inline") this.#want(decl, node);
    return decl;
  }

  /**
   * The TypeScript types of the values of a union restricted by an enumeration: each value as the
   * runtime reads it (the first member type that accepts its text), as a literal type when it is
   * a string, a finite number or a boolean, else the accepting member's type (a `Decimal`, a
   * date, ...). A value no member type accepts is an error.
   */
  #unionLiterals(node: SimpleType, members: readonly TypeUse[], facets: Facets): (string | TypeUse)[] {
    const metas = members.map(runtimeSimpleType);
    const literals: (string | TypeUse)[] = [];
    for (const value of facets.enumeration ?? []) {
      let literal: string | TypeUse | undefined;
      for (const [k, meta] of metas.entries()) {
        if (meta === undefined) {
          // A member the generator cannot judge here: the value may be its.
          literal = members[k]!;
          break;
        }
        let read: unknown;
        try {
          read = decodeElement(parseXml(`<v>${value.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</v>`).root, element("v", "", () => meta));
        } catch (error) {
          if (error instanceof CodecError) continue;
          throw error;
        }
        literal = typeof read === "string" || typeof read === "boolean" || (typeof read === "number" && Number.isFinite(read) && !Object.is(read, -0)) ? JSON.stringify(read) : members[k]!;
        break;
      }
      if (literal === undefined) {
        this.#d.error(node.source, `the enumeration value ${JSON.stringify(value)} of ${label(node)} is a value of none of its union's member types`);
        continue;
      }
      if (!literals.includes(literal)) literals.push(literal);
    }
    return literals;
  }

  /** `xs:union`: an alias (named) or inline descriptor whose value is one of its member types'. */
  #unionDecl(node: SimpleType, union: SimpleUnion, owner: ElementDeclaration | AttributeDeclaration | ComplexType): Decl {
    const common = {
      name: "",
      metaName: "",
      label: typeLabel(node),
      node,
      documentation: joinDocs(node.name === undefined ? owner.documentation : undefined, node.documentation),
      builtin: "anySimpleType" as const,
      facets: {},
      item: undefined,
    };
    const decl: Decl = node.name !== undefined ? { kind: "alias", ...common, members: [] } : { kind: "inline", ...common, members: [] };
    this.#decls.set(node, decl);
    if (decl.kind !== "inline") this.#want(decl, node);
    const members: TypeUse[] = [];
    for (const m of union.memberTypes) {
      const memberNode = m.kind === "ref" ? deref(m) : m;
      if (memberNode.kind === "builtin") {
        if (memberNode.name === "anyType") this.#d.error(union.source, `${label(node)} has xs:anyType as a member type, which is not a simple type`);
        else members.push({ kind: "builtin", name: memberNode.name });
      } else if (memberNode.kind === "complexType") {
        this.#d.error(union.source, `${label(node)} has ${label(memberNode)} as a member type, which is not a simple type`);
      } else {
        members.push({ kind: "decl", decl: this.#decl(memberNode, owner) });
      }
    }
    (decl as { members: readonly TypeUse[] }).members = members;
    return decl;
  }

  /** `xs:list`: an alias (named) or inline descriptor whose value is an array of the item type. */
  #listDecl(node: SimpleType, list: SimpleList, owner: ElementDeclaration | AttributeDeclaration | ComplexType): Decl {
    const common = {
      name: "",
      metaName: "",
      label: typeLabel(node),
      node,
      documentation: joinDocs(node.name === undefined ? owner.documentation : undefined, node.documentation),
      builtin: "anySimpleType" as const,
      facets: {},
    };
    const decl: Decl = node.name !== undefined ? { kind: "alias", ...common, item: undefined, members: undefined } : { kind: "inline", ...common, item: undefined, members: undefined };
    this.#decls.set(node, decl);
    if (decl.kind !== "inline") this.#want(decl, node);
    const itemNode = list.itemType === undefined ? undefined : list.itemType.kind === "ref" ? deref(list.itemType) : list.itemType;
    let item: TypeUse | undefined;
    if (itemNode === undefined) item = { kind: "builtin", name: "anySimpleType" };
    else if (itemNode.kind === "builtin") item = itemNode.name === "anyType" ? undefined : { kind: "builtin", name: itemNode.name };
    else if (itemNode.kind === "simpleType") {
      const itemDecl = this.#decl(itemNode, owner);
      item = (itemDecl.kind === "alias" || itemDecl.kind === "inline") && itemDecl.item !== undefined ? undefined : { kind: "decl", decl: itemDecl };
    }
    if (item === undefined) this.#d.error(list.source, `the items of ${label(node)} are not of an atomic simple type`, "a list's items have an atomic simple type");
    (decl as { item: TypeUse | undefined }).item = item ?? { kind: "builtin", name: "anySimpleType" };
    return decl;
  }

  /** Follows a simple type's restriction chain down to its built-in, merging facets (base first). */
  #resolveSimple(node: SimpleType): { builtin: BuiltinTypeName; facets: Facets; enumeration: readonly EnumerationValue[] | undefined } | undefined {
    const chain: SimpleType[] = [];
    let t: SimpleType = node;
    let builtin: BuiltinTypeName | undefined;
    for (;;) {
      if (chain.includes(t)) {
        this.#d.error(t.source, `${label(t)} is derived from itself`);
        return undefined;
      }
      chain.push(t);
      const d = t.derivation;
      if (d.kind !== "restriction") {
        if (d.kind === "list") this.unsupported(d.source, "a restriction of an xs:list type", node, "restrict the list's item type instead");
        else this.unsupported(d.source, "xs:union", t, "use the member type that covers the values, or xs:string");
        return undefined;
      }
      const base = d.base.kind === "ref" ? deref(d.base) : d.base;
      if (base.kind === "builtin") {
        if (base.name === "anyType") {
          this.#d.error(d.source, `${label(t)} restricts xs:anyType, which is not a simple type`);
          return undefined;
        }
        builtin = base.name;
        break;
      }
      if (base.kind === "complexType") {
        // xs:simpleContent/xs:restriction: the base's text is what this step restricts.
        const text = base.content.kind === "simpleContent" ? this.#textType(base) : undefined;
        if (text === undefined) {
          this.#d.error(d.source, `${label(t)} restricts ${label(base)}, which is not a simple type`);
          return undefined;
        }
        if (text.kind === "builtin") {
          if (text.name === "anyType") return undefined;
          builtin = text.name;
          break;
        }
        t = text;
        continue;
      }
      t = base;
    }
    const facets: { -readonly [K in keyof Facets]: Facets[K] } = {};
    let enumeration: readonly EnumerationValue[] | undefined;
    for (const step of chain.reverse()) {
      const r = step.derivation as Extract<SimpleType["derivation"], { kind: "restriction" }>;
      const { patterns, enumeration: e, ...rest } = r.facets;
      Object.assign(facets, rest);
      if (patterns !== undefined) facets.patterns = [...(facets.patterns ?? []), ...patterns];
      if (e !== undefined) {
        facets.enumeration = e;
        enumeration = r.enumeration;
      }
    }
    return { builtin: builtin!, facets, enumeration };
  }

  #want(decl: Decl, node: TypeDefinition): void {
    if (node.name !== undefined) {
      // A type an xs:redefine replaced yields its name to the redefinition (which every reference means): `T_2`.
      this.#wanted.set(decl, { priority: node.redefined === true ? 0.5 : 0, name: node.name, ns: node.ns });
    } else if (node.parent.kind === "element" && [...this.#groupItems.values()].includes(node.parent)) {
      // One occurrence of a repeated group: a named group's name, else <Type>_<member>.
      const holder = node.parent;
      this.#wanted.set(decl, { priority: 2, name: holder.parent.kind === "groupDefinition" ? holder.parent.name : ownerPath(node).join("_"), ns: node.ns });
    } else if (node.parent.kind === "complexType") {
      // The text of a simple-content restriction: named after its complex type.
      this.#wanted.set(decl, { priority: 2, name: `${ownerPath(node.parent).join("_")}Value`, ns: node.ns });
    } else {
      const owner = node.parent as ElementDeclaration | AttributeDeclaration;
      this.#wanted.set(decl, { priority: owner.scope === "global" ? 1 : 2, name: owner.name, ns: owner.ns });
    }
  }

  // -- content ---------------------------------------------------------------------------------

  /** The members of a complex type: base members first (extension), then its own; attributes after. */
  #flatten(node: ComplexType): Member[] {
    return this.#flattenModel(node).members;
  }

  /** The members, and the choices and ordering of the content model, of a complex type. */
  #flattenModel(node: ComplexType): FlatModel {
    const model: ContentModel = { choices: [], order: { unordered: false }, optional: false, taken: new Set() };
    if (this.#flattening.has(node)) {
      this.#d.error(node.source, `${label(node)} is derived from itself`);
      return { members: [], choices: [], unordered: false, wildcard: undefined, moreWildcards: [], anyAttribute: undefined };
    }
    this.#flattening.add(node);
    try {
      const elements: Member[] = [];
      const attributes: Member[] = [];
      /** The base's complete attribute wildcard, for an extension (a restriction states its own). */
      let inheritedWildcard: AttributeWildcardModel | undefined;
      const content = node.content;
      if (content.kind === "unsupported") {
        this.unsupported(content.source, content.construct, node);
      } else if (content.kind === "simpleContent") {
        // The text is the decl's simpleContent; the attributes come from a complex base first.
        const base = deref(content.base);
        if (base.kind === "complexType") {
          const inherited = this.#flattenModel(base);
          for (const m of inherited.members) if (m.kind === "attribute") attributes.push(m);
          if (content.derivation === "extension") inheritedWildcard = inherited.anyAttribute;
        }
      } else if (content.kind === "restriction") {
        // The content is restated in full; the attributes are the base's, replaced below.
        const base = deref(content.base);
        if (base.kind === "complexType") {
          for (const m of this.#flatten(base)) if (m.kind === "attribute") attributes.push(m);
        }
        if (content.particle !== undefined) this.#particle(content.particle, node, elements, true, model);
      } else if (content.kind === "extension") {
        const base = deref(content.base);
        if (base.kind === "complexType") {
          const inherited = this.#flattenModel(base);
          for (const m of inherited.members) (m.kind === "element" ? elements : attributes).push(m);
          // The base's properties stay as they are (the extension's interface extends the base's).
          for (const m of inherited.members) model.taken.add(propertyOf(m));
          model.choices.push(...inherited.choices);
          if (inherited.unordered) model.order.unordered = true;
          if (inherited.wildcard !== undefined) model.order.wildcard = inherited.wildcard;
          if (inherited.moreWildcards.length > 0) model.order.moreWildcards = [...inherited.moreWildcards];
          inheritedWildcard = inherited.anyAttribute;
        } else if (!(base.kind === "builtin" && base.name === "anyType")) {
          this.#d.error(content.source, `${label(node)} extends ${label(base)} in xs:complexContent, but that is a simple type`, "use xs:simpleContent for text content (not supported yet)");
        }
        if (content.particle !== undefined) this.#particle(content.particle, node, elements, true, model);
      } else if (content.particle !== undefined) {
        this.#particle(content.particle, node, elements, true, model);
      }
      const own: Member[] = [];
      const groupWildcards: AttributeWildcard[] = [];
      for (const a of node.attributes) this.#attribute(a, node, own, groupWildcards);
      if (content.kind === "restriction" || (content.kind === "simpleContent" && content.derivation === "restriction")) {
        // A restriction's attribute uses replace the base's of the same name; prohibited ones remove it.
        const replaced = new Set(own.map((m) => m.name));
        for (const a of node.attributes) {
          if (a.kind !== "attributeGroupRef" && a.use === "prohibited") replaced.add(a.kind === "attributeRef" ? deref(a.ref).name : a.name);
        }
        attributes.splice(0, attributes.length, ...attributes.filter((m) => !replaced.has(m.name)));
      }
      // Attributes take their properties after the elements; an extension's inherited ones keep the base's.
      const extension = content.kind === "extension" || (content.kind === "simpleContent" && content.derivation === "extension");
      if (extension) for (const m of attributes) model.taken.add(propertyOf(m));
      const restated = extension ? attributes : attributes.map(({ property: _, ...m }) => this.#named(m, model));
      attributes.splice(0, attributes.length, ...restated, ...own.map((m) => this.#named(m, model)));
      // Element Declarations Consistent (XSD Part 1, 3.8.6): elements of one name in one content
      // model have one type; what tells them apart is only their position.
      const byName = new Map<string, Member>();
      for (const m of elements) {
        if (m.group === true) continue;
        const key = `{${m.ns}}${m.name}`;
        const first = byName.get(key);
        if (first === undefined) byName.set(key, m);
        else if (!sameType(first.type, m.type)) {
          this.#d.error(
            m.source,
            `${label(node)} has two elements named ${m.name} of different types (the other at ${first.source.line}:${first.source.column})`,
            "elements of one name in one content model must have the same type (XSD Part 1, 3.8.6, Element Declarations Consistent)",
          );
        }
      }
      const all = [...elements, ...attributes];
      const anyAttribute = this.#attributeWildcard(node.anyAttribute, groupWildcards, inheritedWildcard);
      return { members: all, choices: model.choices, unordered: model.order.unordered, wildcard: model.order.wildcard, moreWildcards: model.order.moreWildcards ?? [], anyAttribute };
    } finally {
      this.#flattening.delete(node);
    }
  }

  /**
   * Flattens a particle into element members. Nested sequences and xs:all become members
   * (optional when their group is); xs:all and a repeated xs:choice make the content unordered;
   * a choice that occurs once becomes a {@link ChoiceModel} over its members (each optional in the
   * descriptor); group references are read as their group with the reference's occurrences.
   */
  #particle(p: Particle, owner: ComplexType, out: Member[], top: boolean, model: ContentModel): void {
    const optional = model.optional;
    switch (p.kind) {
      case "element":
        if (p.abstract) this.unsupported(p.source, "an abstract element", owner);
        out.push(this.#named(this.#elementMember(p, p, optional ? 0 : p.minOccurs, p.maxOccurs), model));
        return;
      case "elementRef":
        out.push(this.#named(this.#referenceMember(deref(p.ref), p, optional ? 0 : p.minOccurs, p.maxOccurs, owner), model));
        return;
      case "sequence":
      case "all":
        if (p.maxOccurs > 1) {
          this.#repeatedGroup(p, p.particles, owner, out, optional ? 0 : p.minOccurs, p.maxOccurs, model);
          return;
        }
        if (p.kind === "all") model.order.unordered = true;
        for (const c of p.particles) this.#particle(c, owner, out, false, { ...model, optional: optional || p.minOccurs === 0 });
        return;
      case "choice":
        this.#choice(p, owner, out, model);
        return;
      case "groupRef": {
        const def = deref(p.ref);
        if (def.particle === undefined) return;
        if (this.#expandingGroups.has(def)) {
          this.#d.error(p.source, `${label(def)} contains itself`);
          return;
        }
        if (p.maxOccurs > 1 && def.particle.kind !== "choice") {
          this.#repeatedGroup(p, def.particle.particles, owner, out, optional ? 0 : p.minOccurs, p.maxOccurs, model);
          return;
        }
        this.#expandingGroups.add(def);
        try {
          this.#particle({ ...def.particle, minOccurs: p.minOccurs, maxOccurs: p.maxOccurs }, owner, out, top, model);
        } finally {
          this.#expandingGroups.delete(def);
        }
        return;
      }
      case "any":
        if (model.order.wildcard !== undefined) {
          // A further xs:any shares $any with the first, each element going to the one where it
          // stands; in a choice (position within the alternative until #choice places it) the
          // elements it takes choose its alternative.
          (model.order.moreWildcards ??= []).push({ position: out.length, minOccurs: optional || model.inChoice === true ? 0 : p.minOccurs, maxOccurs: p.maxOccurs, namespaces: p.namespaces, processContents: p.processContents });
          return;
        }
        // In a choice, `position` is within the alternative until #choice places it; the
        // alternative's wildcard is optional there, like its members, and the choice's rules say when.
        model.order.wildcard = {
          position: out.length,
          minOccurs: optional || model.inChoice === true ? 0 : p.minOccurs,
          maxOccurs: p.maxOccurs,
          namespaces: p.namespaces,
          processContents: p.processContents,
        };
        return;
    }
  }

  /**
   * A model group that repeats. One element that repeats is the same content as the element with
   * the occurrences multiplied (`(a){2,5}` is `a{2,5}`, `(a{0,3}){1,2}` is `a{0,6}`): it stays a
   * plain member. Otherwise the group is one member, an array of occurrences, each an object of
   * the group's members: named after a named group (`xs:group ref`), else after its elements
   * joined by `And` (`kAndV`), as JAXB names such a property.
   */
  #repeatedGroup(p: ModelGroup | GroupReference, particles: readonly Particle[], owner: ComplexType, out: Member[], minOccurs: number, maxOccurs: number, model: ContentModel): void {
    const only = particles.length === 1 ? particles[0]! : undefined;
    if (only !== undefined && (only.kind === "element" || only.kind === "elementRef")) {
      const max = maxOccurs === Infinity || only.maxOccurs === Infinity ? Infinity : maxOccurs * only.maxOccurs;
      if (only.kind === "elementRef") {
        out.push(this.#named(this.#referenceMember(deref(only.ref), only, minOccurs * only.minOccurs, max, owner), model));
        return;
      }
      if (only.abstract) this.unsupported(only.source, "an abstract element", owner);
      out.push(this.#named(this.#elementMember(only, only, minOccurs * only.minOccurs, max), model));
      return;
    }
    // One occurrence type per named group, shared by every type that repeats it; one per anonymous group.
    const key = p.kind === "groupRef" ? deref(p.ref) : p;
    let holder = this.#groupItems.get(key);
    if (holder === undefined) {
      const particle = p.kind === "groupRef" ? deref(p.ref).particle : p;
      if (particle === undefined) return;
      const names = particles.map((c) => (c.kind === "element" ? c.name : c.kind === "elementRef" ? c.ref.name.local : c.kind === "groupRef" ? c.ref.name.local : c.kind === "any" ? "any" : c.kind));
      const joined = names.slice(0, 3).map((n, i) => (i === 0 ? n : n.charAt(0).toUpperCase() + n.slice(1)));
      const name = p.kind === "groupRef" ? p.ref.name.local : names.length === 0 ? "sequence" : `${joined.join("And")}${names.length > 3 ? "AndMore" : ""}`;
      const element: Mutable<ElementDeclaration> = {
        kind: "element",
        name,
        ns: "",
        scope: "local",
        parent: p.kind === "groupRef" ? deref(p.ref) : owner,
        type: undefined,
        minOccurs,
        maxOccurs,
        nillable: false,
        abstract: false,
        substitutionGroup: undefined,
        default: undefined,
        fixed: undefined,
        documentation: `One occurrence of the ${p.kind === "groupRef" ? `group ${name}` : `xs:${p.kind}`} that repeats: its elements stand directly in the parent element, one occurrence after another.`,
        source: p.source,
      };
      element.type = {
        kind: "complexType",
        name: undefined,
        ns: owner.ns,
        parent: element,
        abstract: false,
        mixed: false,
        content: { kind: "particle", particle: { ...particle, minOccurs: 1, maxOccurs: 1 } },
        attributes: [],
        anyAttribute: undefined,
        documentation: undefined,
        source: p.source,
      };
      holder = element;
      this.#groupItems.set(key, holder);
    }
    out.push(this.#named({ ...this.#elementMember(holder, p, minOccurs, maxOccurs), group: true }, model));
  }

  /** The element that stands for one occurrence of a repeated group, by the group. */
  readonly #groupItems = new Map<ModelGroup | ModelGroupDefinition, ElementDeclaration>();

  readonly #expandingGroups = new Set<ModelGroupDefinition>();
  readonly #expandingAttributeGroups = new Set<AttributeGroupDefinition>();

  #choice(p: ModelGroup, owner: ComplexType, out: Member[], model: ContentModel): void {
    const optional = model.optional || p.minOccurs === 0;
    if (p.maxOccurs > 1) {
      // Alternatives that repeat interleave: each element becomes a repeated optional member, read in any order.
      model.order.unordered = true;
      const branch: Member[] = [];
      const before = this.#wildcardMark(model);
      for (const c of this.#alternatives(p)) {
        // A group alternative repeats with the choice: an array of its occurrences.
        if (c.kind === "sequence" || c.kind === "all") this.#repeatedGroup(c, c.particles, owner, branch, 0, c.maxOccurs, model);
        else if (c.kind === "groupRef") {
          const def = deref(c.ref);
          if (def.particle !== undefined && def.particle.kind !== "choice") this.#repeatedGroup(c, def.particle.particles, owner, branch, 0, c.maxOccurs, model);
          else this.#particle(c, owner, branch, false, { ...model, optional: true, inChoice: true });
        } else this.#particle(c, owner, branch, false, { ...model, optional: true, inChoice: true });
      }
      // An xs:any alternative repeats with the choice, among the other alternatives' elements.
      const added = this.#placeWildcards(model, before, out.length, p.maxOccurs);
      for (const m of branch) out.push({ ...m, minOccurs: 0, maxOccurs: p.maxOccurs === Infinity || m.maxOccurs === Infinity ? Infinity : p.maxOccurs * m.maxOccurs });
      // A required repeated choice needs one element of some alternative (minOccurs > 1 is checked as 1; libxml2 judges the rest).
      if (!optional && model.inChoice !== true && !p.particles.some((c) => this.#canBeEmpty(c))) {
        const wildcardBranch = added.map((k) => ({ members: [], required: [], wildcard: true, ...(k === 0 ? {} : { wildcardIndex: k }) }));
        model.choices.push({ required: true, repeated: true, branches: [...branch.map((m) => ({ members: [propertyOf(m)], required: [] })), ...wildcardBranch] });
      }
      return;
    }
    const branches: ChoiceModel["branches"][number][] = [];
    for (const c of p.particles) {
      const branch: Member[] = [];
      const before = this.#wildcardMark(model);
      this.#particle(c, owner, branch, false, { ...model, optional: false, inChoice: true });
      // The alternative holds an xs:any of the type: placed among the members, and chosen when it took elements.
      const added = this.#placeWildcards(model, before, out.length, 1);
      if (added.length > 1) this.unsupported(c.source, "an alternative of an xs:choice holding two xs:any", owner, "one xs:any per alternative is supported");
      const k = added[0];
      branches.push({ members: branch.map(propertyOf), required: branch.filter((m) => m.minOccurs > 0).map(propertyOf), ...(k === undefined ? {} : { wildcard: true, ...(k === 0 ? {} : { wildcardIndex: k }) }) });
      for (const m of branch) out.push({ ...m, minOccurs: 0 });
    }
    // A choice inside another's alternative is required only when that alternative is chosen, which
    // the flat rules cannot say: it is checked as optional (and libxml2 still judges the whole).
    // An alternative that is an xs:any needing an element cannot be empty either.
    const nonEmpty = (b: ChoiceModel["branches"][number], k: number) => b.required.length > 0 || (b.wildcard === true && p.particles[k]?.kind === "any" && p.particles[k].minOccurs > 0);
    model.choices.push({ required: !optional && model.inChoice !== true && branches.every(nonEmpty), branches });
  }

  /** Which wildcards the type has so far: the first, and how many more. */
  #wildcardMark(model: ContentModel): { readonly first: WildcardModel | undefined; readonly more: number } {
    return { first: model.order.wildcard, more: model.order.moreWildcards?.length ?? 0 };
  }

  /**
   * Places the wildcards an alternative of a choice added since `before` (their positions were
   * within the alternative) at `offset` among the type's members, their maxOccurs multiplied by
   * the choice's; returns their indexes in `[wildcard, ...moreWildcards]`.
   */
  #placeWildcards(model: ContentModel, before: { readonly first: WildcardModel | undefined; readonly more: number }, offset: number, factor: number): number[] {
    const times = (n: number) => (factor === Infinity || n === Infinity ? Infinity : factor * n);
    const added: number[] = [];
    const w = model.order.wildcard;
    if (w !== undefined && w !== before.first) {
      model.order.wildcard = { ...w, position: offset + w.position, maxOccurs: times(w.maxOccurs) };
      added.push(0);
    }
    const more = model.order.moreWildcards ?? [];
    for (let k = before.more; k < more.length; k++) {
      const m = more[k]!;
      more[k] = { ...m, position: offset + m.position, maxOccurs: times(m.maxOccurs) };
      added.push(k + 1);
    }
    return added;
  }

  /**
   * The alternatives of a repeated choice, with those of a choice among them spliced in (also
   * through `xs:group ref`), their occurrences multiplied by the inner choice's: each occurrence
   * of the outer choice picks one alternative of the inner one, so `(x | (y | z))*` holds the
   * same element sequences as `(x | y | z)*`, and `(x | (y | z){0,2})*` as `(x | y{0,2} | z{0,2})*`
   * (with a finite outer maxOccurs the multiplied counts are an upper bound; libxml2 judges the rest).
   */
  #alternatives(p: ModelGroup): Particle[] {
    const out: Particle[] = [];
    for (const c of p.particles) {
      const def = c.kind === "groupRef" ? deref(c.ref) : undefined;
      const inner = c.kind === "choice" ? c : def?.particle?.kind === "choice" ? { ...def.particle, minOccurs: c.minOccurs, maxOccurs: c.maxOccurs } : undefined;
      if (inner === undefined) {
        out.push(c);
        continue;
      }
      if (def !== undefined) {
        if (this.#expandingGroups.has(def)) {
          this.#d.error(c.source, `${label(def)} contains itself`);
          continue;
        }
        this.#expandingGroups.add(def);
      }
      try {
        for (const a of this.#alternatives(inner)) out.push({ ...a, maxOccurs: inner.maxOccurs === Infinity || a.maxOccurs === Infinity ? Infinity : inner.maxOccurs * a.maxOccurs });
      } finally {
        if (def !== undefined) this.#expandingGroups.delete(def);
      }
    }
    return out;
  }

  /** Whether a particle can match nothing (XSD Part 1, 3.9.6, emptiable). */
  #canBeEmpty(p: Particle): boolean {
    if (p.minOccurs === 0) return true;
    switch (p.kind) {
      case "element":
      case "elementRef":
      case "any":
        return false;
      case "sequence":
      case "all":
        return p.particles.every((c) => this.#canBeEmpty(c));
      case "choice":
        return p.particles.some((c) => this.#canBeEmpty(c));
      case "groupRef": {
        const def = deref(p.ref);
        return def.particle === undefined || this.#expandingGroups.has(def) || this.#canBeEmpty(def.particle);
      }
    }
  }

  #elementMember(decl: ElementDeclaration, at: { source: SourceLocation }, minOccurs: number, maxOccurs: number): Member {
    return {
      kind: "element",
      name: decl.name,
      ns: decl.ns,
      type: this.#typeUse(elementType(decl), decl),
      minOccurs,
      maxOccurs,
      nillable: decl.nillable,
      default: decl.default,
      fixed: decl.fixed,
      documentation: decl.documentation,
      source: at.source,
    };
  }

  /**
   * A reference to a global element: when it heads a substitution group, the elements that may
   * stand for it come with it (`substitutes`), each named for `$element`; an abstract head never
   * stands itself (and is never nil).
   */
  #referenceMember(head: ElementDeclaration, at: { source: SourceLocation }, minOccurs: number, maxOccurs: number, owner: ComplexType): Member {
    const member = this.#elementMember(head, at, minOccurs, maxOccurs);
    const substitutes = this.#substituteModels(head);
    if (substitutes.length === 0) {
      if (head.abstract) {
        this.#d.error(
          at.source,
          `${label(head)} is abstract and no element of its substitution group may stand for it (in ${label(owner)})`,
          "declare a non-abstract element with substitutionGroup naming it (and a type derived from its type), or refer to a concrete element",
        );
      }
      return member;
    }
    return {
      ...member,
      nillable: head.abstract ? false : head.nillable,
      substitutes,
      ...(head.abstract ? { abstract: true } : {}),
    };
  }

  /** Global elements by the head their `substitutionGroup` names (directly), over every schema; built on first use. */
  #substitutionIndex: Map<ElementDeclaration, ElementDeclaration[]> | undefined;
  readonly #substitutesOf = new Map<ElementDeclaration, ElementDeclaration[]>();

  /**
   * The elements that may stand where `head` is referenced (XSD Part 1, 3.3.6, Substitution Group
   * OK (Transitive)): every member of its substitution group, directly or through other members,
   * that is not abstract, unless the head blocks substitution, or the member's type derives from
   * the head's by a method the head's `block` (or its type's) names. A member whose type does not
   * derive from the head's, or by a method the head's `final` names, is not a member (a warning).
   * In name order, then by namespace.
   */
  #substitutes(head: ElementDeclaration): ElementDeclaration[] {
    const known = this.#substitutesOf.get(head);
    if (known !== undefined) return known;
    if (this.#substitutionIndex === undefined) {
      this.#substitutionIndex = new Map();
      for (const schema of this.#ir.schemas) {
        for (const el of schema.elements) {
          const h = el.substitutionGroup?.target;
          if (h === undefined || h.kind !== "element") continue;
          let list = this.#substitutionIndex.get(h);
          if (list === undefined) this.#substitutionIndex.set(h, (list = []));
          list.push(el);
        }
      }
    }
    const result: ElementDeclaration[] = [];
    this.#substitutesOf.set(head, result);
    if (head.block?.includes("substitution")) return result;
    const headType = resolvedType(elementType(head));
    const blocked = new Set<string>([...(head.block ?? []), ...(headType?.kind === "complexType" ? (headType.block ?? []) : [])]);
    const seen = new Set<ElementDeclaration>([head]);
    const queue = [...(this.#substitutionIndex.get(head) ?? [])];
    while (queue.length > 0) {
      const el = queue.shift()!;
      if (seen.has(el)) continue;
      seen.add(el);
      const methods = derivationMethods(resolvedType(elementType(el)), headType);
      if (methods === undefined) {
        this.#d.warning(el.source, `${label(el)} names ${label(head)} as its substitution group, but its type does not derive from the head's type; it may not stand for ${head.name}`);
        continue;
      }
      const excluded = methods.find((m) => head.final?.includes(m));
      if (excluded !== undefined) {
        this.#d.warning(el.source, `${label(el)} derives its type by ${excluded}, which ${label(head)} excludes from its substitution group (final); it may not stand for ${head.name}`);
        continue;
      }
      // A blocked member still passes its own members on: they are judged by their own derivation.
      queue.push(...(this.#substitutionIndex.get(el) ?? []));
      if (el.abstract || methods.some((m) => blocked.has(m))) continue;
      result.push(el);
    }
    result.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.ns, b.ns));
    return result;
  }

  /**
   * The complete attribute wildcard of a type (XSD Part 1, 3.4.2, {attribute wildcard}): its own
   * `xs:anyAttribute` intersected with its attribute groups' (processContents from its own, else
   * the first group's), then for an extension the union with the base's.
   */
  #attributeWildcard(own: AttributeWildcard | undefined, groups: readonly AttributeWildcard[], inherited: AttributeWildcardModel | undefined): AttributeWildcardModel | undefined {
    const local = [...(own === undefined ? [] : [own]), ...groups];
    let namespaces: WildcardNamespaces | undefined;
    for (const w of local) namespaces = namespaces === undefined ? w.namespaces : intersectNamespaces(namespaces, w.namespaces);
    let processContents = local[0]?.processContents;
    if (inherited !== undefined) {
      namespaces = namespaces === undefined ? inherited.namespaces : unionNamespaces(namespaces, inherited.namespaces);
      processContents ??= inherited.processContents;
    }
    if (namespaces === undefined || processContents === undefined) return undefined;
    if (inherited !== undefined && own === undefined && groups.length === 0) return inherited;
    const allowed = namespaces;
    // What strict and lax check values against: every global attribute of an allowed namespace.
    const declared: Member[] = [];
    if (processContents !== "skip") {
      for (const schema of this.#ir.schemas) {
        for (const a of schema.attributes) {
          if (!namespaceAllows(allowed, a.ns)) continue;
          const type = this.#typeUse(a.type, a);
          if (type.kind === "decl" && (type.decl.kind === "complex" || type.decl.kind === "array")) continue;
          if (type.kind === "builtin" && type.name === "anyType") continue;
          declared.push({ kind: "attribute", name: a.name, ns: a.ns, type, minOccurs: 0, maxOccurs: 1, nillable: false, default: undefined, fixed: a.fixed, documentation: undefined, source: a.source });
        }
      }
    }
    return { namespaces, processContents, declared };
  }

  #attribute(a: AttributeParticle, owner: ComplexType, out: Member[], wildcards: AttributeWildcard[]): void {
    if (a.kind === "attributeGroupRef") {
      const def = deref(a.ref);
      if (this.#expandingAttributeGroups.has(def)) {
        this.#d.error(a.source, `${label(def)} contains itself`);
        return;
      }
      this.#expandingAttributeGroups.add(def);
      if (def.anyAttribute !== undefined) wildcards.push(def.anyAttribute);
      try {
        for (const inner of def.attributes) this.#attribute(inner, owner, out, wildcards);
      } finally {
        this.#expandingAttributeGroups.delete(def);
      }
      return;
    }
    const decl = a.kind === "attributeRef" ? deref(a.ref) : a;
    const use = a.use;
    if (use === "prohibited") return;
    const type = this.#typeUse(decl.type, decl);
    if (type.kind === "decl" && (type.decl.kind === "complex" || type.decl.kind === "array")) {
      this.#d.error(a.source, `attribute ${decl.name} has a complex type`, "attributes take simple types");
      return;
    }
    if (type.kind === "builtin" && type.name === "anyType") {
      this.#d.error(a.source, `attribute ${decl.name} has type xs:anyType`, "attributes take simple types");
      return;
    }
    out.push({
      kind: "attribute",
      name: decl.name,
      ns: decl.ns,
      type,
      minOccurs: use === "required" ? 1 : 0,
      maxOccurs: 1,
      nillable: false,
      default: a.default ?? decl.default,
      fixed: a.fixed ?? decl.fixed,
      documentation: decl.documentation,
      source: a.source,
    });
  }

  // -- names -----------------------------------------------------------------------------------

  /**
   * Allocates every top-level identifier of the package, in this order:
   * 1. the fixed API (`<Service>Client`, `<Service>Handlers`, `create<Service>Handler`,
   *    `<Service>Service`, `operations`, `documents`, the fault helpers, the date-time helpers);
   * 2. type names: named types, then anonymous types of global elements, then anonymous types of
   *    local elements, each group sorted by (XSD name, namespace, label);
   * 3. derived names in the order of (2): `<Type>Meta`, `<Type>Values`; then `<Element>Element`
   *    sorted by (element name, namespace); then the private descriptors of anonymous simple types;
   * 4. the private security policy constants: `portSecurity` for the endpoint's, `messageSecurity`
   *    for the others, in model order.
   * A name that is taken gets the first free `_2`, `_3`, ... suffix.
   */
  #allocate(serviceName: string, security: readonly SecurityConst[]): ApiNames {
    const scope = new NameScope(RUNTIME_SYMBOL_NAMES);
    const base = scope.has(serviceName) ? `${serviceName}_` : serviceName;
    const names: ApiNames = {
      service: scope.allocate(`${base}Service`),
      client: scope.allocate(`${base}Client`),
      handlers: scope.allocate(`${base}Handlers`),
      createHandler: scope.allocate(`create${base}Handler`),
      operations: scope.allocate("operations"),
      documents: scope.allocate("documents"),
      faultCodes: scope.allocate("FaultCodes"),
      faultCode: scope.allocate("FaultCode"),
      fault: scope.allocate("fault"),
      isFault: scope.allocate("isFault"),
      // Reserved whether or not the contract sets a time zone, so setting one renames nothing.
      contractTimeZone: scope.allocate("contractTimeZone"),
      toDate: scope.allocate("toDate"),
      fromDate: scope.allocate("fromDate"),
    };
    const wanted = [...this.#wanted.entries()].sort(
      ([a, wa], [b, wb]) =>
        wa.priority - wb.priority || compareStrings(wa.name, wb.name) || compareStrings(wa.ns, wb.ns) || compareStrings(a.label, b.label),
    );
    for (const [decl] of wanted) decl.name = scope.allocate(this.#wanted.get(decl)!.name);
    for (const [decl] of wanted) {
      decl.metaName = scope.allocate(`${decl.name}Meta`);
      if (decl.kind === "enum") decl.valuesName = scope.allocate(`${decl.name}Values`);
    }
    const elements = [...this.#elements.entries()].sort(([a], [b]) => compareStrings(a.name, b.name) || compareStrings(a.ns, b.ns));
    for (const [, e] of elements) e.constName = scope.allocate(`${e.name}Element`);
    const inline = [...this.#decls.values()]
      .filter((d): d is InlineDecl => d.kind === "inline")
      .map((d) => ({ d, wanted: `${ownerPath(d.node).join("_")}Meta` }))
      .sort((a, b) => compareStrings(a.wanted, b.wanted) || compareStrings(a.d.label, b.d.label));
    for (const { d, wanted: w } of inline) {
      d.metaName = scope.allocate(w);
      d.name = d.metaName;
    }
    for (const c of security) c.name = scope.allocate(c.port ? "portSecurity" : "messageSecurity");
    return names;
  }

  // -- documents -------------------------------------------------------------------------------

  #documents(): DocumentModel[] {
    const out: DocumentModel[] = [];
    for (const doc of this.#loaded.documents) {
      const links: { start: number; end: number; target: string }[] = [];
      for (const e of this.#loaded.edges) {
        if (e.from === doc && e.location !== undefined && e.target !== undefined) links.push({ start: e.location.start, end: e.location.end, target: e.target.key });
      }
      if (doc === this.#loaded.main) {
        for (const svc of children(doc.source.root)) {
          if (svc.ns !== WSDL || svc.local !== "service") continue;
          for (const port of children(svc)) {
            if (port.ns !== WSDL || port.local !== "port") continue;
            for (const address of children(port)) {
              if ((address.ns !== SOAP11_BINDING && address.ns !== SOAP12_BINDING) || address.local !== "address") continue;
              const range = doc.source.attributeRange(address, "location");
              if (range !== undefined) links.push({ start: range.valueStart, end: range.valueEnd, target: "" });
            }
          }
        }
      }
      links.sort((a, b) => a.start - b.start);
      out.push({ key: doc.key, text: doc.source.text, links });
    }
    return out;
  }
}

/** What flattening a complex type's content gives. */
interface FlatModel {
  members: Member[];
  choices: ChoiceModel[];
  unordered: boolean;
  wildcard: WildcardModel | undefined;
  moreWildcards: WildcardModel[];
  anyAttribute: AttributeWildcardModel | undefined;
}

/** Whether a wildcard's namespace constraint allows `ns`. */
function namespaceAllows(n: WildcardNamespaces, ns: string): boolean {
  return n.kind === "any" || (n.kind === "other" ? ns !== n.ns && ns !== "" : n.list.includes(ns));
}

/**
 * The intersection of two namespace constraints (XSD Part 1, 3.10.6, Attribute Wildcard
 * Intersection). Two `##other`s of different namespaces have no XSD 1.0 form short of
 * "not absent": the first is kept, which allows less, never more.
 */
function intersectNamespaces(a: WildcardNamespaces, b: WildcardNamespaces): WildcardNamespaces {
  if (a.kind === "any") return b;
  if (b.kind === "any") return a;
  if (a.kind === "list") return { kind: "list", list: a.list.filter((ns) => namespaceAllows(b, ns)) };
  if (b.kind === "list") return { kind: "list", list: b.list.filter((ns) => namespaceAllows(a, ns)) };
  return a;
}

/**
 * The union of two namespace constraints (XSD Part 1, 3.10.6, Attribute Wildcard Union). Where
 * XSD 1.0 has no form for the result (`##other` with a list holding no namespace but not the
 * excluded one), the `##other` is kept.
 */
function unionNamespaces(a: WildcardNamespaces, b: WildcardNamespaces): WildcardNamespaces {
  if (a.kind === "any" || b.kind === "any") return { kind: "any" };
  if (a.kind === "list" && b.kind === "list") return { kind: "list", list: [...new Set([...a.list, ...b.list])] };
  if (a.kind === "other" && b.kind === "other") return a.ns === b.ns ? a : { kind: "any" };
  const other = (a.kind === "other" ? a : b) as Extract<WildcardNamespaces, { kind: "other" }>;
  const list = (a.kind === "list" ? a : b) as Extract<WildcardNamespaces, { kind: "list" }>;
  return list.list.includes(other.ns) && list.list.includes("") ? { kind: "any" } : other;
}

/**
 * The type of an element: its own, else (XSD Part 1, 3.3.2) its substitution group head's, else
 * `undefined` for `xs:anyType`.
 */
function elementType(el: ElementDeclaration): Ref<"type"> | TypeDefinition | undefined {
  const seen = new Set<ElementDeclaration>();
  for (let e: ElementDeclaration | undefined = el; e !== undefined && !seen.has(e); e = e.substitutionGroup?.target) {
    if (e.type !== undefined) return e.type;
    seen.add(e);
  }
  return undefined;
}

function resolvedType(t: Ref<"type"> | TypeDefinition | undefined): TypeDefinition | BuiltinType {
  if (t === undefined) return { kind: "builtin", name: "anyType" };
  return t.kind === "ref" ? deref(t) : t;
}

/**
 * The derivation methods on the way from type `from` up to type `to` (XSD Part 1, 3.4.6 and
 * 3.14.6, Type Derivation OK); `undefined` when `from` does not derive from `to`. Every type
 * derives from `xs:anyType`; built-in simple types are taken as deriving from each other by
 * restriction (their own hierarchy is not modelled here).
 */
function derivationMethods(from: TypeDefinition | BuiltinType, to: TypeDefinition | BuiltinType): DerivationMethod[] | undefined {
  const methods: DerivationMethod[] = [];
  const seen = new Set<TypeDefinition | BuiltinType>();
  for (let t: TypeDefinition | BuiltinType = from; ; ) {
    if (t === to || (t.kind === "builtin" && to.kind === "builtin" && t.name === to.name)) return methods;
    if (to.kind === "builtin" && to.name === "anyType") return [...methods, "restriction"];
    if (seen.has(t)) return undefined;
    seen.add(t);
    let next: Ref<"type"> | TypeDefinition | undefined;
    if (t.kind === "builtin") return to.kind === "builtin" && to.name !== "anyType" && t.name !== "anyType" ? [...methods, "restriction"] : undefined;
    if (t.kind === "complexType") {
      const c = t.content;
      if (c.kind === "extension" || c.kind === "restriction") methods.push(c.kind);
      else if (c.kind === "simpleContent") methods.push(c.derivation);
      else return undefined;
      next = c.base;
    } else {
      methods.push("restriction");
      if (t.derivation.kind !== "restriction") return to.kind === "builtin" && to.name === "anySimpleType" ? methods : undefined;
      next = t.derivation.base;
    }
    t = next.kind === "ref" ? deref(next) : next;
  }
}

/** The runtime descriptor of a simple type use, as the generated package builds it (`undefined` for `xs:anyType` or a complex type). */
function runtimeSimpleType(use: TypeUse): SimpleTypeMeta | undefined {
  if (use.kind === "builtin") return use.name === "anyType" ? undefined : builtin(use.name);
  const d = use.decl;
  if (d.kind === "enum") return simpleType(d.label, d.builtin, d.facets);
  if (d.kind !== "alias" && d.kind !== "inline") return undefined;
  if (d.members !== undefined) {
    const members = d.members.map(runtimeSimpleType);
    return members.every((m) => m !== undefined) ? unionType(d.label, () => members as SimpleTypeMeta[], d.facets) : undefined;
  }
  if (d.item !== undefined) {
    const item = runtimeSimpleType(d.item);
    return item === undefined ? undefined : listType(d.label, () => item, d.facets);
  }
  return simpleType(d.label, d.builtin, d.facets);
}

/** The path of names from a top-level component down to an anonymous type's owner. */
function ownerPath(node: TypeDefinition): string[] {
  if (node.name !== undefined) return [node.name];
  const owner = node.parent;
  if (owner.kind === "schema") return ["anonymous"];
  if (owner.kind === "simpleType") return [...ownerPath(owner), "base"];
  if (owner.kind === "complexType") return [...ownerPath(owner), "value"];
  if (owner.kind === "attribute") return [owner.name];
  if (owner.scope === "global") return [owner.name];
  const parent = owner.parent;
  if (parent.kind === "complexType") return [...ownerPath(parent), owner.name];
  if (parent.kind === "groupDefinition") return [parent.name, owner.name];
  return [owner.name];
}

/** `{ns}Name` for named types; `anonymous type of {ns}Owner/child` for anonymous ones. */
function typeLabel(node: TypeDefinition): string {
  if (node.name !== undefined) return `{${node.ns}}${node.name}${node.redefined === true ? " (before xs:redefine)" : ""}`;
  let top: TypeDefinition | ElementDeclaration | AttributeDeclaration = node;
  const path: string[] = [];
  for (;;) {
    if (top.kind === "simpleType" || top.kind === "complexType") {
      if (top.name !== undefined) {
        path.unshift(`{${top.ns}}${top.name}`);
        break;
      }
      const p: TypeDefinition["parent"] = top.parent;
      if (p.kind === "schema") break;
      top = p;
      continue;
    }
    if (top.scope === "global") {
      path.unshift(`{${top.ns}}${top.name}`);
      break;
    }
    path.unshift(top.name);
    if (top.kind === "attribute") break;
    const p: Schema | ComplexType | ModelGroupDefinition = top.parent;
    if (p.kind === "schema") break;
    if (p.kind === "groupDefinition") {
      path.unshift(`{${p.ns}}${p.name}`);
      break;
    }
    top = p;
  }
  return `anonymous type of ${path.join("/")}`;
}

/** The repeated item when a named complex type is an array wrapper (one repeated element, nothing else). */
/** Whether two members are of the same type definition (builtins by name, declarations by identity). */
function sameType(a: TypeUse, b: TypeUse): boolean {
  return a.kind === "builtin" ? b.kind === "builtin" && a.name === b.name : b.kind === "decl" && a.decl === b.decl;
}

function arrayItem(node: ComplexType, members: readonly Member[]): Member | undefined {
  if (node.content.kind !== "particle") return undefined;
  const p = node.content.particle;
  if (p === undefined || p.kind !== "sequence" || p.minOccurs !== 1 || p.maxOccurs !== 1 || p.particles.length !== 1) return undefined;
  if (node.attributes.length > 0 || node.anyAttribute !== undefined || node.mixed || node.abstract) return undefined;
  const only = members[0];
  if (members.length !== 1 || only === undefined || only.kind !== "element" || only.maxOccurs <= 1 || only.group === true) return undefined;
  return only;
}

/** Whether an array's item type is `target` itself, or an array wrapper whose items lead back to it (no array of itself). */
function leadsTo(use: TypeUse, target: Decl): boolean {
  for (let u = use; u.kind === "decl"; ) {
    if (u.decl === target) return true;
    if (u.decl.kind !== "array") return false;
    u = u.decl.item.type;
  }
  return false;
}

function joinDocs(...docs: (string | undefined)[]): string | undefined {
  const parts = docs.filter((d): d is string => d !== undefined && d !== "");
  return parts.length === 0 ? undefined : [...new Set(parts)].join("\n\n");
}

/** Builds the contract model; reports to `diagnostics` and returns `undefined` when something is unsupported. */
export function buildModel(ir: ContractIR, loaded: LoadedContract, diagnostics: Diagnostics, options: ModelOptions): ContractModel | undefined {
  const model = new ModelBuilder(ir, loaded, diagnostics).build(options);
  return diagnostics.hasErrors() ? undefined : model;
}
