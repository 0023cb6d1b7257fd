/**
 * XSD 1.0 → IR: one `visitXxx` per schema element, each documented with the element's content
 * model from the spec (XML Schema Part 1: Structures, Second Edition; Part 2: Datatypes).
 *
 * The visitors build the IR of everything they understand, including constructs the emitter
 * does not support yet (choice, groups, wildcards, list/union types, ...): whether those are a
 * problem depends on whether an operation reaches them, which only the emitter knows. What the
 * visitors report themselves is input that is wrong or that nothing here can represent
 * (`xs:redefine`, a missing `name`, bad occurrence values, an unknown child element).
 */
import type { XmlElement } from "@mpay-kit/runtime";
import type { Facets } from "@mpay-kit/runtime";
import type { Diagnostics } from "../diagnostics.ts";
import { isBareTypesImport, type LoadedContract, type SourceDocument } from "../load/load.ts";
import { attr, children, startTagEnd, writtenName } from "../load/xml.ts";
import type {
  AttributeDeclaration,
  AttributeGroupDefinition,
  AttributeParticle,
  AttributeWildcard,
  ComplexContent,
  ComplexType,
  DerivationMethod,
  ElementDeclaration,
  EnumerationValue,
  GroupReference,
  ModelGroup,
  ModelGroupDefinition,
  Particle,
  Ref,
  RefTarget,
  Schema,
  SimpleList,
  SimpleType,
  TypeDefinition,
  TypeOwner,
  WildcardNamespaces,
} from "../ir/model.ts";
import { WSDL, XSD } from "../ir/ns.ts";
import {
  at,
  booleanAttr,
  documentation,
  dropDuplicates,
  noteOrigin,
  nonNegativeInteger,
  occurs,
  refFrom,
  requiredName,
  type ParseContext,
} from "./context.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Per-schema settings the visitors need. */
interface SchemaScope {
  readonly ctx: ParseContext;
  readonly schema: Schema;
  readonly tns: string;
  readonly elementFormDefault: "qualified" | "unqualified";
  readonly attributeFormDefault: "qualified" | "unqualified";
  /** `blockDefault` / `finalDefault` as written (`undefined` when absent). */
  readonly blockDefault: string | undefined;
  readonly finalDefault: string | undefined;
}

/**
 * Parses every schema of a loaded contract: the inline schemas of each WSDL, and each XSD file
 * reached by an import. Files reached by `xs:include` are parsed as part of their includer (in
 * its target namespace, which a chameleon include takes on).
 */
export function parseSchemas(loaded: LoadedContract, diagnostics: Diagnostics, refs: Ref<keyof RefTarget>[]): Schema[] {
  const schemas: Schema[] = [];
  const done = new Set<string>();
  const importedXsd = new Set<SourceDocument>();
  for (const e of loaded.edges) {
    if (e.target !== undefined && e.target.kind === "xsd" && (e.kind === "xsd:import" || e.kind === "wsdl:import")) importedXsd.add(e.target);
  }
  for (const doc of loaded.documents) {
    const ctx: ParseContext = { loaded, doc, diagnostics, chameleon: undefined, targetNamespace: "", refs };
    if (doc.kind === "wsdl") {
      for (const c of children(doc.source.root)) {
        if (c.ns !== WSDL || c.local !== "types") continue;
        for (const s of children(c)) {
          if (s.ns === XSD && s.local === "schema") visitSchema(ctx, s, undefined, schemas, done);
          else if (s.ns === WSDL && s.local === "documentation") continue;
          // Followed by the loader, with its warning: the imported document is parsed below.
          else if (isBareTypesImport(s)) continue;
          else if (s.local === "schema" && /^http:\/\/www\.w3\.org\/(1999|2000\/10)\/XMLSchema$/.test(s.ns)) {
            ctx.diagnostics.error(at(ctx, s), `${writtenName(s)} is in ${s.ns}, a draft namespace from before XML Schema 1.0`, `use ${XSD}`);
          } else ctx.diagnostics.error(at(ctx, s), `unexpected ${writtenName(s)} in wsdl:types`, "wsdl:types holds xs:schema elements");
        }
      }
    } else if (importedXsd.has(doc)) {
      visitSchema(ctx, doc.source.root, undefined, schemas, done);
    }
  }
  // One definition per name and kind, across every schema of the contract (load order: the first wins).
  const tables = { types: new Map(), elements: new Map(), attributes: new Map(), groups: new Map(), attributeGroups: new Map() };
  for (const schema of schemas) {
    const s = schema as Mutable<Schema>;
    dropDuplicates(s.types as TypeDefinition[], "type", tables.types, diagnostics);
    dropDuplicates(s.elements as ElementDeclaration[], "element", tables.elements, diagnostics);
    dropDuplicates(s.attributes as AttributeDeclaration[], "attribute", tables.attributes, diagnostics);
    dropDuplicates(s.groups as ModelGroupDefinition[], "group", tables.groups, diagnostics);
    dropDuplicates(s.attributeGroups as AttributeGroupDefinition[], "attributeGroup", tables.attributeGroups, diagnostics);
  }
  return schemas;
}

/**
 * The attributes XML Schema does not allow where `el` is written and that the generator does not
 * read, so ignores: `name` on an anonymous type, `minOccurs` on a global element, `nillable` on a
 * complex type, `schemalocation` misspelt on an import... The visitors warn about each one where
 * they read the element (`warnIgnoredAttributes`); `validate.ts` drops the same ones, so that
 * libxml2 compiles the schemas as the generator read them. Attributes in a namespace are allowed
 * anywhere; `xs:include` is not listed (one without `schemaLocation` is ignored as a whole, with a
 * warning of the loader).
 */
export function ignoredAttributes(el: XmlElement): { readonly name: string; readonly problem: string; readonly reading: string }[] {
  if (el.ns !== XSD) return [];
  const global = el.parent !== undefined && el.parent.ns === XSD && (el.parent.local === "schema" || el.parent.local === "redefine");
  // What XML Schema 1.0 allows (Part 1, the XML representations), plus what the visitors read anyway.
  let allowed: readonly string[];
  let where = `xs:${el.local}`;
  if (el.local === "element") {
    allowed = global
      ? ["id", "name", "type", "substitutionGroup", "default", "fixed", "nillable", "abstract", "final", "block"]
      : ["id", "name", "ref", "type", "minOccurs", "maxOccurs", "default", "fixed", "nillable", "block", "form", "abstract", "substitutionGroup"];
    where = global ? "a global xs:element" : "a local xs:element";
  } else if (el.local === "complexType") {
    allowed = global ? ["id", "name", "abstract", "mixed", "block", "final"] : ["id", "mixed", "abstract"];
    if (!global) where = "an anonymous xs:complexType";
  } else if (el.local === "simpleType") {
    allowed = global ? ["id", "name", "final"] : ["id"];
    if (!global) where = "an anonymous xs:simpleType";
  } else if (el.local === "import") allowed = ["id", "namespace", "schemaLocation"];
  else return [];
  const out: { name: string; problem: string; reading: string }[] = [];
  for (const a of el.attributes) {
    if (a.ns !== "" || allowed.includes(a.local)) continue;
    const spelt = allowed.find((n) => n.toLowerCase() === a.local.toLowerCase());
    const problem = `${where} has no attribute ${a.local}${spelt === undefined ? "" : ` (XML Schema names are case-sensitive: ${spelt})`}`;
    let reading = `${a.local}="${a.value}" is ignored`;
    if (a.local === "minOccurs" || a.local === "maxOccurs") reading += ": a global element occurs once where it is referenced";
    else if (el.local === "import" && spelt === "schemaLocation") reading += ": the namespace is imported without a location";
    else if (a.local === "name" && !global) reading += ": the type stays anonymous";
    out.push({ name: a.local, problem, reading });
  }
  return out;
}

/**
 * Character data where XML Schema allows only elements (anywhere in a schema's XSD elements but
 * `xs:documentation` and `xs:appinfo`), which the generator ignores, as ranges of `text` (the
 * schema document's text; comments in such a range go with it). `visitSchema` warns about each;
 * `validate.ts` drops them for libxml2.
 */
export function ignoredText(schema: XmlElement, text: string): { readonly start: number; readonly end: number; readonly value: string }[] {
  const out: { start: number; end: number; value: string }[] = [];
  const visit = (el: XmlElement) => {
    // Not inside documentation, nor inside an element of another vocabulary (which XSD does not judge).
    if (el.ns !== XSD || el.local === "documentation" || el.local === "appinfo") return;
    const open = startTagEnd(text, el.start);
    if (text[open - 2] === "/") return;
    let from = open;
    const gap = (to: number) => {
      const value = text.slice(from, to).replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g, "").trim();
      if (value !== "") out.push({ start: from, end: to, value });
    };
    for (const c of children(el)) {
      gap(c.start);
      visit(c);
      from = c.end;
    }
    gap(text.lastIndexOf("</", el.end - 1));
  };
  if (schema.ns === XSD) visit(schema);
  return out;
}

/** Every element XML Schema 1.0 defines in its namespace (Part 1 and Part 2); no two differ only in case. */
const XSD_ELEMENT_NAMES = new Map(
  [
    "all", "annotation", "any", "anyAttribute", "appinfo", "attribute", "attributeGroup", "choice", "complexContent",
    "complexType", "documentation", "element", "enumeration", "extension", "field", "fractionDigits", "group", "import",
    "include", "key", "keyref", "length", "list", "maxExclusive", "maxInclusive", "maxLength", "minExclusive",
    "minInclusive", "minLength", "notation", "pattern", "redefine", "restriction", "schema", "selector", "sequence",
    "simpleContent", "simpleType", "totalDigits", "union", "unique", "whiteSpace",
  ].map((n) => [n.toLowerCase(), n]),
);

/**
 * Reads the XSD elements below `schema` whose name is one of XML Schema's in another case
 * (`xs:simpletype`) as that element. XML is case-sensitive, so such an element is none of XML
 * Schema's; but no two XSD names differ only in case, so the one meant is unambiguous. The
 * reading is recorded on the parsed tree (its `local` becomes the XSD name), so that every visitor
 * reads it as that element; `validate.ts` rewrites the tags whose written name differs from the
 * name read. Returns what was read so, with the name as written (for the warnings).
 */
export function readMiscasedNames(schema: XmlElement): { readonly el: XmlElement; readonly written: string }[] {
  const out: { el: XmlElement; written: string }[] = [];
  const visit = (el: XmlElement) => {
    for (const c of children(el)) {
      if (c.ns !== XSD) continue;
      const name = XSD_ELEMENT_NAMES.get(c.local.toLowerCase());
      if (name !== undefined && name !== c.local) {
        out.push({ el: c, written: writtenName(c) });
        (c as Mutable<XmlElement>).local = name;
      }
      if (c.local !== "documentation" && c.local !== "appinfo") visit(c);
    }
  };
  if (schema.ns === XSD) visit(schema);
  return out;
}

const MODEL_GROUPS = new Set(["sequence", "choice", "all", "group"]);

/**
 * The model group written directly in an `xs:element` (`<xs:element name="A"><xs:sequence>`),
 * which XML Schema allows only inside an `xs:complexType`: read as the element's anonymous
 * complex type holding that group, as node-soap and zeep read it. Only when it is the element's
 * only content (no `type`, no anonymous type, one group); otherwise `undefined` (and an error of
 * `visitElement` where the group stands). `validate.ts` wraps the group in an `xs:complexType`.
 */
export function bareContentModel(el: XmlElement): XmlElement | undefined {
  if (el.ns !== XSD || el.local !== "element" || attr(el, "type") !== undefined || attr(el, "ref") !== undefined) return undefined;
  const content = children(el).filter((c) => c.ns === XSD && c.local !== "annotation" && c.local !== "unique" && c.local !== "key" && c.local !== "keyref");
  return content.length === 1 && MODEL_GROUPS.has(content[0]!.local) ? content[0] : undefined;
}

/**
 * How the content model of an `xs:complexType` written against XML Schema's order is read:
 * `xs:element`s directly in the type (no model group around them) as an `xs:sequence` of them in
 * document order (`sequence: true`), or a model group written after attribute declarations as if
 * written before them (attributes have no order). `particle`: the elements that make the content
 * model, in document order. `undefined` when the type is written as XML Schema wants, or when its
 * content is ambiguous (loose elements beside a model group, or beside simple or complex
 * content: an error of `visitComplexType`). `validate.ts` moves `particle` before the attributes
 * (wrapped in an `xs:sequence` when loose).
 */
export function complexTypeContentReading(el: XmlElement): { readonly particle: readonly XmlElement[]; readonly sequence: boolean } | undefined {
  if (el.ns !== XSD || el.local !== "complexType") return undefined;
  const content = children(el).filter((c) => c.ns === XSD && c.local !== "annotation");
  const groups = content.filter((c) => MODEL_GROUPS.has(c.local));
  const loose = content.filter((c) => c.local === "element");
  if (content.some((c) => c.local === "simpleContent" || c.local === "complexContent")) return undefined;
  if (loose.length > 0) return groups.length === 0 ? { particle: loose, sequence: true } : undefined;
  if (groups.length !== 1 || content.indexOf(groups[0]!) === 0) return undefined;
  return { particle: groups, sequence: false };
}

/**
 * The `xs:extension` written as the content of an `xs:simpleType` (XML Schema allows restriction,
 * list or union there; an extension only in a complex type's content), with whether it declares
 * attributes. With attributes it can only mean a complex type with simple content (text of the
 * base plus those attributes), and is read so where a complex type may stand (a global type, an
 * element's anonymous type); without, an extension that adds nothing is its base, read as a
 * restriction without facets. `validate.ts` rewrites it to the same reading.
 */
export function simpleTypeExtension(el: XmlElement): { readonly extension: XmlElement; readonly attributes: boolean } | undefined {
  if (el.ns !== XSD || el.local !== "simpleType") return undefined;
  const content = children(el).filter((c) => c.ns === XSD && c.local !== "annotation");
  if (content.length !== 1 || content[0]!.local !== "extension") return undefined;
  const extension = content[0]!;
  const attributes = children(extension).some((c) => c.ns === XSD && (c.local === "attribute" || c.local === "attributeGroup" || c.local === "anyAttribute"));
  return { extension, attributes };
}

/** Warns about each attribute of `el` the generator ignores (see `ignoredAttributes`). */
function warnIgnoredAttributes(ctx: ParseContext, el: XmlElement): void {
  for (const a of ignoredAttributes(el)) ctx.diagnostics.warning(at(ctx, el, a.name), `${a.problem}; ${a.reading}`);
}

/** Records where a global component was written (see `dropDuplicates`), and returns it. */
function noted<T extends object>(ctx: ParseContext, node: T, el: XmlElement): T {
  noteOrigin(ctx, node, el);
  return node;
}

/**
 * `xs:schema` (Part 1, 3.15.2):
 * ```
 * <schema targetNamespace? elementFormDefault? attributeFormDefault? ...>
 *   Content: ((include | import | redefine | annotation)*,
 *             (((simpleType | complexType | group | attributeGroup) | element | attribute | notation), annotation*)*)
 * </schema>
 * ```
 */
function visitSchema(ctx: ParseContext, el: XmlElement, includer: SchemaScope | undefined, out: Schema[], done: Set<string>): void {
  const own = attr(el, "targetNamespace");
  if (includer !== undefined && own !== undefined && own !== includer.tns) {
    ctx.diagnostics.error(
      at(ctx, el, "targetNamespace"),
      `an included schema must have the including schema's target namespace (${includer.tns || "none"}), not ${own}`,
      "use xs:import for a schema of another namespace",
    );
    return;
  }
  const tns = own ?? includer?.tns ?? "";
  const key = `${ctx.doc.path}#${el.start}|${tns}`;
  if (done.has(key)) return;
  done.add(key);
  const chameleon = includer !== undefined && own === undefined && tns !== "" ? tns : undefined;
  const scopedCtx: ParseContext = { ...ctx, chameleon, targetNamespace: tns };
  const form = (name: string): "qualified" | "unqualified" => {
    const v = attr(el, name);
    if (v === undefined || v === "unqualified") return "unqualified";
    if (v === "qualified") return "qualified";
    ctx.diagnostics.error(at(ctx, el, name), `${name} must be qualified or unqualified, not ${JSON.stringify(v)}`);
    return "unqualified";
  };
  const schema: Mutable<Schema> = {
    kind: "schema",
    targetNamespace: tns,
    elementFormDefault: form("elementFormDefault"),
    attributeFormDefault: form("attributeFormDefault"),
    source: at(ctx, el),
    types: [],
    elements: [],
    attributes: [],
    groups: [],
    attributeGroups: [],
  };
  const types = schema.types as TypeDefinition[];
  const elements = schema.elements as ElementDeclaration[];
  const attributes = schema.attributes as AttributeDeclaration[];
  const groups = schema.groups as ModelGroupDefinition[];
  const attributeGroups = schema.attributeGroups as AttributeGroupDefinition[];
  const scope: SchemaScope = {
    ctx: scopedCtx,
    schema,
    tns,
    elementFormDefault: schema.elementFormDefault,
    attributeFormDefault: schema.attributeFormDefault,
    blockDefault: attr(el, "blockDefault"),
    finalDefault: attr(el, "finalDefault"),
  };
  out.push(schema);
  for (const { el: named, written } of readMiscasedNames(el)) {
    scopedCtx.diagnostics.warning(at(scopedCtx, named), `${written} is not an element of XML Schema (its names are case-sensitive); read as xs:${named.local}, the only XML Schema element of that name but for case`);
  }
  for (const t of ignoredText(el, ctx.doc.source.text)) {
    const shown = t.value.length > 20 ? `${t.value.slice(0, 20)}...` : t.value;
    ctx.diagnostics.warning(ctx.doc.source.locate(t.start + (ctx.doc.source.text.slice(t.start, t.end).search(/\S/))), `text ${JSON.stringify(shown)} where XML Schema allows only elements; it is ignored`);
  }

  for (const c of children(el)) {
    if (c.ns !== XSD) {
      scopedCtx.diagnostics.error(at(scopedCtx, c), `unexpected element ${writtenName(c)} in xs:schema`);
      continue;
    }
    switch (c.local) {
      case "annotation":
      case "notation":
        break;
      case "import":
        warnIgnoredAttributes(scopedCtx, c);
        break;
      case "include": {
        const target = ctx.loaded.edgeOf.get(c)?.target;
        if (target !== undefined) {
          visitSchema({ ...ctx, doc: target, chameleon: undefined }, target.source.root, scope, out, done);
        }
        break;
      }
      case "redefine":
        visitRedefine(ctx, scope, c, out, done);
        break;
      case "element": {
        const e = visitElement(scope, c, "global", schema);
        if (e !== undefined && e.kind === "element") elements.push(noted(scopedCtx, e, c));
        break;
      }
      case "complexType": {
        const t = visitComplexType(scope, c, schema);
        if (t !== undefined) types.push(noted(scopedCtx, t, c));
        break;
      }
      case "simpleType": {
        const t = simpleTypeExtension(c)?.attributes === true ? visitExtendedSimpleType(scope, c, schema) : visitSimpleType(scope, c, schema);
        if (t !== undefined) types.push(noted(scopedCtx, t, c));
        break;
      }
      case "attribute": {
        const a = visitAttribute(scope, c, "global");
        if (a !== undefined && a.kind === "attribute") attributes.push(noted(scopedCtx, a, c));
        break;
      }
      case "group": {
        const g = visitGroupDefinition(scope, c);
        if (g !== undefined) groups.push(noted(scopedCtx, g, c));
        break;
      }
      case "attributeGroup": {
        const g = visitAttributeGroupDefinition(scope, c);
        if (g !== undefined) attributeGroups.push(noted(scopedCtx, g, c));
        break;
      }
      default:
        scopedCtx.diagnostics.error(at(scopedCtx, c), `unexpected element xs:${c.local} in xs:schema`);
    }
  }
}

/**
 * `xs:redefine` (Part 1, 4.2.2):
 * ```
 * <redefine schemaLocation id?>
 *   Content: (annotation | (simpleType | complexType | group | attributeGroup))*
 * </redefine>
 * ```
 * The schema at `schemaLocation` is included (same target namespace, or none: it takes the
 * redefining schema's), and each redefinition replaces the component of its name for the whole
 * contract: every reference names the redefinition. The original stays only where the
 * redefinition refers to itself (a type's derivation base, which must be its own name; a group's
 * or attribute group's reference to its own name), which is resolved here to the original.
 */
function visitRedefine(ctx: ParseContext, scope: SchemaScope, el: XmlElement, out: Schema[], done: Set<string>): void {
  const sctx = scope.ctx;
  const target = ctx.loaded.edgeOf.get(el)?.target;
  if (target === undefined) return; // without schemaLocation: the loader warned, it includes nothing
  const first = out.length;
  visitSchema({ ...ctx, doc: target, chameleon: undefined }, target.source.root, scope, out, done);
  // The redefined schema (and what it includes); when it was read before, wherever it was.
  const redefined = out.length > first ? out.slice(first) : out.filter((s) => s !== scope.schema);
  const own = (q: Ref<keyof RefTarget>, name: string) => q.name.ns === scope.tns && q.name.local === name;
  /**
   * Puts a redefinition in the place of its original (read so far, in a schema the redefine
   * reached): the original stays in its schema's list, marked `redefined` (no reference finds it
   * by name, and duplicates ignore it), with the redefinition right after it. Returns the
   * original, or `undefined` when there is none.
   */
  const replace = <T extends { readonly name: string | undefined; readonly ns: string; readonly redefined?: true }>(list: (s: Schema) => readonly T[], redefinition: T & { readonly name: string }): T | undefined => {
    for (const s of redefined) {
      const all = list(s) as T[];
      const k = all.findIndex((t) => t.name === redefinition.name && t.ns === scope.tns && t.redefined !== true);
      if (k < 0) continue;
      const o = all[k]!;
      (o as { redefined?: true }).redefined = true;
      all.splice(k + 1, 0, redefinition);
      return o;
    }
    return undefined;
  };
  const missing = (c: XmlElement, noun: string, name: string) =>
    sctx.diagnostics.error(at(sctx, c, "name"), `xs:redefine of ${noun} {${scope.tns}}${name}, which the redefined schema does not define`, "a redefinition replaces a component of the schema it names");
  for (const c of children(el)) {
    if (c.ns !== XSD || c.local === "annotation") continue;
    switch (c.local) {
      case "complexType":
      case "simpleType": {
        const t = c.local === "complexType" ? visitComplexType(scope, c, scope.schema) : visitSimpleType(scope, c, scope.schema);
        if (t === undefined || t.name === undefined) break;
        const base = t.kind === "complexType" ? (t.content.kind === "particle" || t.content.kind === "unsupported" ? undefined : t.content.base) : t.derivation.kind === "restriction" && t.derivation.base.kind === "ref" ? t.derivation.base : undefined;
        if (base === undefined || !own(base, t.name)) {
          sctx.diagnostics.error(at(sctx, c, "name"), `the redefinition of type {${scope.tns}}${t.name} must derive from the type it redefines (xs:restriction or xs:extension base="${t.name}")`, "XSD Part 1, 4.2.2: a redefined type is derived from its original");
          break;
        }
        const o = replace((s) => s.types, noted(sctx, t as TypeDefinition & { name: string }, c));
        if (o === undefined) missing(c, "type", t.name);
        else (base as { target: unknown }).target = o;
        break;
      }
      case "group": {
        const g = visitGroupDefinition(scope, c);
        if (g === undefined) break;
        const o = replace((s) => s.groups, noted(sctx, g, c));
        if (o === undefined) missing(c, "group", g.name);
        else for (const r of groupRefsIn(g.particle)) if (own(r.ref, g.name)) (r.ref as { target: unknown }).target = o;
        break;
      }
      case "attributeGroup": {
        const g = visitAttributeGroupDefinition(scope, c);
        if (g === undefined) break;
        const o = replace((s) => s.attributeGroups, noted(sctx, g, c));
        if (o === undefined) missing(c, "attributeGroup", g.name);
        else for (const a of g.attributes) if (a.kind === "attributeGroupRef" && own(a.ref, g.name)) (a.ref as { target: unknown }).target = o;
        break;
      }
      default:
        sctx.diagnostics.error(at(sctx, c), `unexpected element xs:${c.local} in xs:redefine`, "it holds simpleType, complexType, group and attributeGroup redefinitions");
    }
  }
}

/** The group references in a particle, at any depth. */
function groupRefsIn(p: Particle | undefined): GroupReference[] {
  if (p === undefined) return [];
  if (p.kind === "groupRef") return [p];
  if (p.kind === "sequence" || p.kind === "choice" || p.kind === "all") return p.particles.flatMap(groupRefsIn);
  return [];
}

/**
 * `xs:element` (Part 1, 3.3.2):
 * ```
 * <element name? ref? type? default? fixed? form? minOccurs? maxOccurs? nillable? abstract? substitutionGroup? ...>
 *   Content: (annotation?, ((simpleType | complexType)?, (unique | key | keyref)*))
 * </element>
 * ```
 * Identity constraints (unique, key, keyref) do not shape values and are ignored.
 */
function visitElement(
  scope: SchemaScope,
  el: XmlElement,
  where: "global" | "local",
  parent: Schema | ComplexType | ModelGroupDefinition,
): ElementDeclaration | Particle | undefined {
  const { ctx } = scope;
  warnIgnoredAttributes(ctx, el);
  const o = where === "local" ? occurs(ctx, el) : { minOccurs: 1, maxOccurs: 1 };
  if (where === "local" && attr(el, "ref") !== undefined) {
    const ref = refFrom(ctx, el, "ref", "element");
    if (ref === undefined) return undefined;
    return { kind: "elementRef", ref, ...o, source: at(ctx, el) };
  }
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  const formAttr = attr(el, "form");
  const qualified = where === "global" || (formAttr ?? scope.elementFormDefault) === "qualified";
  const decl: Mutable<ElementDeclaration> = {
    kind: "element",
    name,
    ns: qualified ? scope.tns : "",
    scope: where,
    parent,
    type: refFrom(ctx, el, "type", "type"),
    ...o,
    nillable: booleanAttr(ctx, el, "nillable", false),
    abstract: booleanAttr(ctx, el, "abstract", false),
    substitutionGroup: refFrom(ctx, el, "substitutionGroup", "element"),
    ...derivationSet(ctx, el, "block", scope.blockDefault, ["extension", "restriction", "substitution"]),
    ...(where === "global" ? derivationSet(ctx, el, "final", scope.finalDefault, ["extension", "restriction"]) : {}),
    default: attr(el, "default"),
    fixed: attr(el, "fixed"),
    documentation: documentation(el, XSD),
    source: at(ctx, el),
  };
  const bare = bareContentModel(el);
  for (const c of children(el)) {
    if (c.ns !== XSD) continue;
    if (c.local === "complexType" || c.local === "simpleType") {
      if (decl.type !== undefined) {
        ctx.diagnostics.error(at(ctx, c), `element ${name} has both a type attribute and an anonymous xs:${c.local}`);
        continue;
      }
      if (c.local === "complexType") decl.type = visitComplexType(scope, c, decl);
      else decl.type = simpleTypeExtension(c)?.attributes === true ? visitExtendedSimpleType(scope, c, decl) : visitSimpleType(scope, c, decl);
    } else if (c === bare) {
      ctx.diagnostics.warning(
        at(ctx, c),
        `xs:${c.local} directly in xs:element (XML Schema allows a model group only inside an xs:complexType); read as the anonymous xs:complexType of element ${name}, holding that xs:${c.local}`,
      );
      const type = newComplexType(scope, undefined, decl, c);
      const particle = visitParticle(scope, c, type);
      if (particle !== undefined) type.content = { kind: "particle", particle };
      decl.type = type;
    } else if (c.local !== "annotation" && c.local !== "unique" && c.local !== "key" && c.local !== "keyref") {
      ctx.diagnostics.error(at(ctx, c), `unexpected element xs:${c.local} in xs:element`);
    }
  }
  return decl;
}

/**
 * A `block` or `final` attribute (else the schema's default for it, as far as it applies here):
 * `#all` or a list of the methods `allowed`; an empty result is left out.
 */
function derivationSet<N extends "block" | "final">(ctx: ParseContext, el: XmlElement, name: N, schemaDefault: string | undefined, allowed: readonly DerivationMethod[]): { [K in N]?: readonly DerivationMethod[] } {
  const own = attr(el, name);
  const written = own ?? schemaDefault;
  if (written === undefined) return {};
  const tokens = written.trim().split(/\s+/).filter((t) => t !== "");
  let methods: DerivationMethod[];
  if (tokens.length === 1 && tokens[0] === "#all") methods = [...allowed];
  else {
    methods = [];
    for (const t of tokens) {
      if ((allowed as readonly string[]).includes(t)) methods.push(t as DerivationMethod);
      // The schema's default may name methods that do not apply to this component (XSD Part 1, 3.3.2).
      else if (own !== undefined) ctx.diagnostics.error(at(ctx, el, name), `${name} must be #all or a list of ${allowed.join(", ")}, not ${JSON.stringify(written)}`);
    }
  }
  return methods.length === 0 ? {} : ({ [name]: methods } as unknown as { [K in N]?: readonly DerivationMethod[] });
}

/**
 * `xs:complexType` (Part 1, 3.4.2):
 * ```
 * <complexType name? abstract? mixed? ...>
 *   Content: (annotation?, (simpleContent | complexContent |
 *             ((group | all | choice | sequence)?, ((attribute | attributeGroup)*, anyAttribute?))))
 * </complexType>
 * ```
 */
function visitComplexType(scope: SchemaScope, el: XmlElement, parent: Schema | ElementDeclaration): ComplexType | undefined {
  const { ctx } = scope;
  warnIgnoredAttributes(ctx, el);
  let name: string | undefined;
  if (parent.kind === "schema") {
    name = requiredName(ctx, el);
    if (name === undefined) return undefined;
  }
  const type = newComplexType(scope, name, parent, el);
  const attributes: AttributeParticle[] = [];
  let content: ComplexContent = { kind: "particle", particle: undefined };
  const reading = complexTypeContentReading(el);
  if (reading !== undefined) {
    const first = reading.particle[0]!;
    if (reading.sequence) {
      ctx.diagnostics.warning(
        at(ctx, first),
        `xs:element directly in xs:complexType (XML Schema allows elements only inside a model group); read as an xs:sequence of the ${reading.particle.length === 1 ? "xs:element" : `${reading.particle.length} xs:elements`} written there, in document order`,
      );
    } else {
      ctx.diagnostics.warning(
        at(ctx, first),
        `xs:${first.local} after attribute declarations in xs:complexType (XML Schema wants the content model first); read as written before them (attributes have no order)`,
      );
    }
  }
  const loose: Particle[] = [];
  for (const c of children(el)) {
    if (c.ns !== XSD) continue;
    switch (c.local) {
      case "annotation":
        break;
      case "sequence":
      case "choice":
      case "all":
      case "group": {
        const p = visitParticle(scope, c, type);
        if (p !== undefined) content = { kind: "particle", particle: p };
        break;
      }
      case "element":
        if (reading?.sequence === true) {
          const p = visitElement(scope, c, "local", type);
          if (p !== undefined) loose.push(p);
        } else {
          ctx.diagnostics.error(at(ctx, c), "unexpected element xs:element in xs:complexType", "beside a model group or simple or complex content, which one it belongs to is ambiguous: put it inside the model group");
        }
        break;
      case "attribute":
      case "attributeGroup":
      case "anyAttribute":
        visitAttributeParticle(scope, c, attributes, type);
        break;
      case "complexContent": {
        if (booleanAttr(ctx, c, "mixed", false)) type.mixed = true;
        content = visitComplexContent(scope, c, type, attributes);
        break;
      }
      case "simpleContent":
        content = visitSimpleContent(scope, c, type, attributes);
        break;
      default:
        ctx.diagnostics.error(at(ctx, c), `unexpected element xs:${c.local} in xs:complexType`);
    }
  }
  if (reading?.sequence === true) content = { kind: "particle", particle: { kind: "sequence", minOccurs: 1, maxOccurs: 1, particles: loose, source: at(ctx, reading.particle[0]!) } };
  type.content = content;
  type.attributes = attributes;
  return type;
}

/**
 * A complex type before its content is read. `el` is the element it is read from: an
 * `xs:complexType` (whose `abstract`, `mixed`, `block` and documentation it takes), or what is read
 * as one (its location only).
 */
function newComplexType(scope: SchemaScope, name: string | undefined, parent: Schema | ElementDeclaration, el: XmlElement): Mutable<ComplexType> {
  const { ctx } = scope;
  const written = el.local === "complexType";
  return {
    kind: "complexType",
    name,
    ns: scope.tns,
    parent,
    abstract: written && booleanAttr(ctx, el, "abstract", false),
    mixed: written && booleanAttr(ctx, el, "mixed", false),
    ...(written && parent.kind === "schema" ? derivationSet(ctx, el, "block", scope.blockDefault, ["extension", "restriction"]) : {}),
    content: { kind: "particle", particle: undefined },
    attributes: [],
    anyAttribute: undefined,
    // A model group read as a type documents itself, not the type.
    documentation: written || el.local === "simpleType" ? documentation(el, XSD) : undefined,
    source: at(ctx, el),
  };
}

/**
 * An `xs:simpleType` whose content is an `xs:extension` that declares attributes (see
 * `simpleTypeExtension`): read, with a warning, as the complex type with simple content that such
 * an extension means (`<xs:complexType><xs:simpleContent><xs:extension ...>`).
 */
function visitExtendedSimpleType(scope: SchemaScope, el: XmlElement, parent: Schema | ElementDeclaration): ComplexType | undefined {
  const { ctx } = scope;
  warnIgnoredAttributes(ctx, el);
  let name: string | undefined;
  if (parent.kind === "schema") {
    name = requiredName(ctx, el);
    if (name === undefined) return undefined;
  }
  const extension = simpleTypeExtension(el)!.extension;
  ctx.diagnostics.warning(
    at(ctx, extension),
    `xs:extension in xs:simpleType (XML Schema allows it only in a complex type's content) declares attributes; read as an xs:complexType with xs:simpleContent: text of ${attr(extension, "base") ?? "its base"} with those attributes`,
  );
  const type = newComplexType(scope, name, parent, el);
  const attributes: AttributeParticle[] = [];
  // The simple type's own children are what xs:simpleContent would hold.
  type.content = visitSimpleContent(scope, el, type, attributes);
  type.attributes = attributes;
  return type;
}

/**
 * `xs:complexContent` (Part 1, 3.4.2):
 * ```
 * <complexContent mixed?>
 *   Content: (annotation?, (restriction | extension))
 * </complexContent>
 * <extension base=QName>  (and <restriction base=QName>, whose particle restates the whole content)
 *   Content: (annotation?, ((group | all | choice | sequence)?, ((attribute | attributeGroup)*, anyAttribute?)))
 * </extension>
 * ```
 */
function visitComplexContent(scope: SchemaScope, el: XmlElement, type: Mutable<ComplexType>, attributes: AttributeParticle[]): ComplexContent {
  const { ctx } = scope;
  for (const c of children(el)) {
    if (c.ns !== XSD || c.local === "annotation") continue;
    if (c.local === "extension" || c.local === "restriction") {
      const base = refFrom(ctx, c, "base", "type");
      if (base === undefined) {
        ctx.diagnostics.error(at(ctx, c), `xs:${c.local} has no base attribute`);
        return { kind: "particle", particle: undefined };
      }
      let particle: Particle | undefined;
      for (const d of children(c)) {
        if (d.ns !== XSD || d.local === "annotation") continue;
        if (d.local === "sequence" || d.local === "choice" || d.local === "all" || d.local === "group") particle = visitParticle(scope, d, type);
        else if (d.local === "attribute" || d.local === "attributeGroup" || d.local === "anyAttribute") visitAttributeParticle(scope, d, attributes, type);
        else ctx.diagnostics.error(at(ctx, d), `unexpected element xs:${d.local} in xs:${c.local}`);
      }
      return { kind: c.local, base, particle, source: at(ctx, c) };
    }
    ctx.diagnostics.error(at(ctx, c), `unexpected element xs:${c.local} in xs:complexContent`);
  }
  ctx.diagnostics.error(at(ctx, el), "xs:complexContent needs an xs:extension or xs:restriction");
  return { kind: "particle", particle: undefined };
}

/**
 * `xs:simpleContent` (Part 1, 3.4.2):
 * ```
 * <simpleContent>
 *   Content: (annotation?, (restriction | extension))
 * </simpleContent>
 * <restriction base=QName>
 *   Content: (annotation?, (simpleType?, (minExclusive | ... | pattern)*)?, ((attribute | attributeGroup)*, anyAttribute?))
 * </restriction>
 * <extension base=QName>
 *   Content: (annotation?, ((attribute | attributeGroup)*, anyAttribute?))
 * </extension>
 * ```
 */
function visitSimpleContent(scope: SchemaScope, el: XmlElement, type: Mutable<ComplexType>, attributes: AttributeParticle[]): ComplexContent {
  const { ctx } = scope;
  for (const c of children(el)) {
    if (c.ns !== XSD || c.local === "annotation") continue;
    if (c.local !== "extension" && c.local !== "restriction") {
      ctx.diagnostics.error(at(ctx, c), `unexpected element xs:${c.local} in xs:simpleContent`);
      continue;
    }
    const base = refFrom(ctx, c, "base", "type");
    if (base === undefined) {
      ctx.diagnostics.error(at(ctx, c), `xs:${c.local} has no base attribute`);
      return { kind: "particle", particle: undefined };
    }
    for (const d of children(c)) {
      if (d.ns === XSD && (d.local === "attribute" || d.local === "attributeGroup" || d.local === "anyAttribute")) visitAttributeParticle(scope, d, attributes, type);
      else if (c.local === "extension" && d.ns === XSD && d.local !== "annotation") ctx.diagnostics.error(at(ctx, d), `unexpected element xs:${d.local} in xs:extension of xs:simpleContent`);
    }
    if (c.local === "extension") return { kind: "simpleContent", derivation: "extension", base, source: at(ctx, c) };
    // The restriction's facets make an anonymous simple type of the base's text.
    const value: Mutable<SimpleType> = {
      kind: "simpleType",
      name: undefined,
      ns: scope.tns,
      parent: type,
      derivation: { kind: "union", memberTypes: [], source: at(ctx, c) },
      documentation: undefined,
      source: at(ctx, c),
    };
    const restriction = visitRestriction(scope, c, value, true);
    if (restriction === undefined) return { kind: "particle", particle: undefined };
    value.derivation = restriction;
    return { kind: "simpleContent", derivation: "restriction", base, value, source: at(ctx, c) };
  }
  ctx.diagnostics.error(at(ctx, el), "xs:simpleContent needs an xs:extension or xs:restriction");
  return { kind: "particle", particle: undefined };
}

/**
 * Model groups and particles (Part 1, 3.8.2 and 3.7.2):
 * ```
 * <sequence minOccurs? maxOccurs?>  Content: (annotation?, (element | group | choice | sequence | any)*)
 * <choice minOccurs? maxOccurs?>    Content: (annotation?, (element | group | choice | sequence | any)*)
 * <all minOccurs? maxOccurs?>       Content: (annotation?, element*)
 * <group ref=QName minOccurs? maxOccurs?>
 * <any namespace? processContents? minOccurs? maxOccurs?>
 * ```
 */
function visitParticle(scope: SchemaScope, el: XmlElement, parent: ComplexType | ModelGroupDefinition): Particle | undefined {
  const { ctx } = scope;
  switch (el.local) {
    case "element":
      return visitElement(scope, el, "local", parent);
    case "group": {
      const ref = refFrom(ctx, el, "ref", "group");
      if (ref === undefined) {
        ctx.diagnostics.error(at(ctx, el), "a group inside a content model needs a ref attribute");
        return undefined;
      }
      return { kind: "groupRef", ref, ...occurs(ctx, el), source: at(ctx, el) };
    }
    case "any":
      return { kind: "any", ...occurs(ctx, el), ...wildcardConstraint(scope, el), source: at(ctx, el) };
    case "sequence":
    case "choice":
    case "all": {
      const particles: Particle[] = [];
      for (const c of children(el)) {
        if (c.ns !== XSD || c.local === "annotation") continue;
        if (c.local === "element" || c.local === "group" || c.local === "any" || c.local === "sequence" || c.local === "choice" || c.local === "all") {
          const p = visitParticle(scope, c, parent);
          if (p !== undefined) particles.push(p);
        } else {
          ctx.diagnostics.error(at(ctx, c), `unexpected element xs:${c.local} in xs:${el.local}`);
        }
      }
      const group: ModelGroup = { kind: el.local, ...occurs(ctx, el), particles, source: at(ctx, el) };
      return group;
    }
    default:
      ctx.diagnostics.error(at(ctx, el), `unexpected element xs:${el.local} in a content model`);
      return undefined;
  }
}

/**
 * The `namespace` and `processContents` of `xs:any` / `xs:anyAttribute` (Part 1, 3.10.2):
 * `namespace = ((##any | ##other) | List of (anyURI | (##targetNamespace | ##local)))`, default
 * `##any`; `processContents = (lax | skip | strict)`, default `strict`.
 */
function wildcardConstraint(scope: SchemaScope, el: XmlElement): { namespaces: WildcardNamespaces; processContents: "strict" | "lax" | "skip" } {
  const written = (attr(el, "namespace") ?? "##any").trim();
  const namespaces: WildcardNamespaces =
    written === "##any"
      ? { kind: "any" }
      : written === "##other"
        ? { kind: "other", ns: scope.tns }
        : { kind: "list", list: written.split(/\s+/).filter((n) => n !== "").map((n) => (n === "##local" ? "" : n === "##targetNamespace" ? scope.tns : n)) };
  const pc = attr(el, "processContents") ?? "strict";
  const processContents = pc === "lax" || pc === "skip" ? pc : "strict";
  if (pc !== processContents) scope.ctx.diagnostics.error(at(scope.ctx, el, "processContents"), `processContents must be strict, lax or skip, not ${JSON.stringify(pc)}`);
  return { namespaces, processContents };
}

/**
 * `xs:group name=` (Part 1, 3.7.2):
 * ```
 * <group name=NCName>  Content: (annotation?, (all | choice | sequence))
 * ```
 */
function visitGroupDefinition(scope: SchemaScope, el: XmlElement): ModelGroupDefinition | undefined {
  const { ctx } = scope;
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  const def: Mutable<ModelGroupDefinition> = { kind: "groupDefinition", name, ns: scope.tns, particle: undefined, source: at(ctx, el) };
  for (const c of children(el)) {
    if (c.ns === XSD && (c.local === "sequence" || c.local === "choice" || c.local === "all")) {
      const p = visitParticle(scope, c, def);
      if (p !== undefined && (p.kind === "sequence" || p.kind === "choice" || p.kind === "all")) def.particle = p;
    }
  }
  return def;
}

/**
 * `xs:attribute` (Part 1, 3.2.2):
 * ```
 * <attribute name? ref? type? use? default? fixed? form?>
 *   Content: (annotation?, simpleType?)
 * </attribute>
 * ```
 */
function visitAttribute(scope: SchemaScope, el: XmlElement, where: "global" | "local"): AttributeDeclaration | AttributeParticle | undefined {
  const { ctx } = scope;
  const useAttr = attr(el, "use") ?? "optional";
  let use: "optional" | "required" | "prohibited" = "optional";
  if (useAttr === "required" || useAttr === "prohibited" || useAttr === "optional") use = useAttr;
  else ctx.diagnostics.error(at(ctx, el, "use"), `use must be optional, required or prohibited, not ${JSON.stringify(useAttr)}`);
  if (where === "local" && attr(el, "ref") !== undefined) {
    const ref = refFrom(ctx, el, "ref", "attribute");
    if (ref === undefined) return undefined;
    return { kind: "attributeRef", ref, use, default: attr(el, "default"), fixed: attr(el, "fixed"), source: at(ctx, el) };
  }
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  const qualified = where === "global" || (attr(el, "form") ?? scope.attributeFormDefault) === "qualified";
  const decl: Mutable<AttributeDeclaration> = {
    kind: "attribute",
    name,
    ns: qualified ? scope.tns : "",
    scope: where,
    type: refFrom(ctx, el, "type", "type"),
    use,
    default: attr(el, "default"),
    fixed: attr(el, "fixed"),
    documentation: documentation(el, XSD),
    source: at(ctx, el),
  };
  for (const c of children(el)) {
    if (c.ns === XSD && c.local === "simpleType") {
      if (decl.type !== undefined) ctx.diagnostics.error(at(ctx, c), `attribute ${name} has both a type attribute and an anonymous xs:simpleType`);
      else decl.type = visitSimpleType(scope, c, decl);
    }
  }
  return decl;
}

function visitAttributeParticle(scope: SchemaScope, el: XmlElement, out: AttributeParticle[], owner: { anyAttribute: AttributeWildcard | undefined }): void {
  const { ctx } = scope;
  if (el.local === "attribute") {
    const a = visitAttribute(scope, el, "local");
    if (a !== undefined) out.push(a);
  } else if (el.local === "attributeGroup") {
    const ref = refFrom(ctx, el, "ref", "attributeGroup");
    if (ref === undefined) ctx.diagnostics.error(at(ctx, el), "an attributeGroup inside a type needs a ref attribute");
    else out.push({ kind: "attributeGroupRef", ref, source: at(ctx, el) });
  } else if (el.local === "anyAttribute") {
    owner.anyAttribute = { kind: "anyAttribute", ...wildcardConstraint(scope, el), source: at(ctx, el) };
  }
}

/**
 * `xs:attributeGroup name=` (Part 1, 3.6.2):
 * ```
 * <attributeGroup name=NCName>  Content: (annotation?, ((attribute | attributeGroup)*, anyAttribute?))
 * ```
 */
function visitAttributeGroupDefinition(scope: SchemaScope, el: XmlElement): AttributeGroupDefinition | undefined {
  const name = requiredName(scope.ctx, el);
  if (name === undefined) return undefined;
  const attributes: AttributeParticle[] = [];
  const wildcard: { anyAttribute: AttributeWildcard | undefined } = { anyAttribute: undefined };
  for (const c of children(el)) {
    if (c.ns === XSD && (c.local === "attribute" || c.local === "attributeGroup" || c.local === "anyAttribute")) {
      visitAttributeParticle(scope, c, attributes, wildcard);
    }
  }
  return { kind: "attributeGroupDefinition", name, ns: scope.tns, attributes, anyAttribute: wildcard.anyAttribute, source: at(scope.ctx, el) };
}

const FACET_NAMES = new Set([
  "enumeration",
  "length",
  "minLength",
  "maxLength",
  "pattern",
  "minInclusive",
  "maxInclusive",
  "minExclusive",
  "maxExclusive",
  "totalDigits",
  "fractionDigits",
  "whiteSpace",
]);

/**
 * `xs:simpleType` (Part 2, 4.1.2):
 * ```
 * <simpleType name? final?>
 *   Content: (annotation?, (restriction | list | union))
 * </simpleType>
 * <restriction base?>
 *   Content: (annotation?, (simpleType?, (minExclusive | minInclusive | maxExclusive | maxInclusive |
 *             totalDigits | fractionDigits | length | minLength | maxLength | enumeration | whiteSpace | pattern)*))
 * </restriction>
 * ```
 * Facets of one step: several `pattern`s are alternatives (ORed) within the step; steps AND.
 */
function visitSimpleType(scope: SchemaScope, el: XmlElement, parent: TypeOwner): SimpleType | undefined {
  const { ctx } = scope;
  warnIgnoredAttributes(ctx, el);
  let name: string | undefined;
  if (parent.kind === "schema") {
    name = requiredName(ctx, el);
    if (name === undefined) return undefined;
  }
  const type: Mutable<SimpleType> = {
    kind: "simpleType",
    name,
    ns: scope.tns,
    parent,
    derivation: { kind: "union", memberTypes: [], source: at(ctx, el) },
    documentation: documentation(el, XSD),
    source: at(ctx, el),
  };
  let derived = false;
  for (const c of children(el)) {
    if (c.ns !== XSD || c.local === "annotation") continue;
    if (c.local === "union") {
      const memberTypes: (Ref<"type"> | SimpleType)[] = [];
      for (const name of (attr(c, "memberTypes") ?? "").split(/\s+/).filter((n) => n !== "")) {
        const ref = refFrom(ctx, c, "memberTypes", "type", name);
        if (ref !== undefined) memberTypes.push(ref);
      }
      for (const d of children(c)) {
        if (d.ns !== XSD || d.local !== "simpleType") continue;
        const member = visitSimpleType(scope, d, type);
        if (member !== undefined) memberTypes.push(member);
      }
      if (memberTypes.length === 0) ctx.diagnostics.error(at(ctx, c), "xs:union needs memberTypes or anonymous xs:simpleType members");
      type.derivation = { kind: "union", memberTypes, source: at(ctx, c) };
      derived = true;
    } else if (c.local === "list") {
      let itemType: SimpleList["itemType"] = refFrom(ctx, c, "itemType", "type");
      for (const d of children(c)) {
        if (d.ns === XSD && d.local === "simpleType") {
          if (itemType !== undefined) ctx.diagnostics.error(at(ctx, d), "xs:list has both an itemType attribute and an anonymous xs:simpleType");
          else itemType = visitSimpleType(scope, d, type);
        }
      }
      if (itemType === undefined) ctx.diagnostics.error(at(ctx, c), "xs:list needs an itemType attribute or an anonymous xs:simpleType");
      type.derivation = { kind: "list", itemType, source: at(ctx, c) };
      derived = true;
    } else if (c.local === "restriction" || (c.local === "extension" && simpleTypeExtension(el)?.attributes === false)) {
      if (c.local === "extension") {
        ctx.diagnostics.warning(
          at(ctx, c),
          `xs:extension in xs:simpleType (XML Schema allows it only in a complex type's content) adds no attribute, so it is its base; read as xs:restriction base="${attr(c, "base") ?? ""}" without facets`,
        );
      }
      const restriction = visitRestriction(scope, c, type);
      if (restriction === undefined) return undefined;
      type.derivation = restriction;
      derived = true;
    } else {
      ctx.diagnostics.error(at(ctx, c), `unexpected element xs:${c.local} in xs:simpleType`);
    }
  }
  if (!derived) {
    ctx.diagnostics.error(at(ctx, el), "xs:simpleType needs an xs:restriction, xs:list or xs:union");
    return undefined;
  }
  return type;
}

/** `inComplexType`: an `xs:simpleContent/xs:restriction`, whose attribute uses belong to the complex type. */
function visitRestriction(scope: SchemaScope, el: XmlElement, owner: SimpleType, inComplexType = false): SimpleType["derivation"] | undefined {
  const { ctx } = scope;
  let base: SimpleType | ReturnType<typeof refFrom<"type">> = refFrom(ctx, el, "base", "type");
  const facets: Mutable<Facets> = {};
  const enumeration: EnumerationValue[] = [];
  const patterns: string[] = [];
  for (const c of children(el)) {
    if (c.ns !== XSD || c.local === "annotation") continue;
    if (c.local === "simpleType") {
      // In simple content the base names the complex type, and a local simple type restricts its text.
      if (base !== undefined && !inComplexType) ctx.diagnostics.error(at(ctx, c), "xs:restriction has both a base attribute and an anonymous xs:simpleType");
      else base = visitSimpleType(scope, c, owner);
      continue;
    }
    if (inComplexType && (c.local === "attribute" || c.local === "attributeGroup" || c.local === "anyAttribute")) continue;
    if (!FACET_NAMES.has(c.local)) {
      ctx.diagnostics.error(at(ctx, c), `xs:${c.local} is not supported in a simple type restriction`);
      continue;
    }
    const value = attr(c, "value");
    if (value === undefined) {
      ctx.diagnostics.error(at(ctx, c), `xs:${c.local} has no value attribute`);
      continue;
    }
    switch (c.local) {
      case "enumeration":
        enumeration.push({ value, documentation: documentation(c, XSD) });
        break;
      case "pattern":
        patterns.push(value);
        break;
      case "length":
      case "minLength":
      case "maxLength":
      case "totalDigits":
      case "fractionDigits": {
        const n = nonNegativeInteger(value);
        if (n === undefined) ctx.diagnostics.error(at(ctx, c, "value"), `xs:${c.local} must be a non-negative integer, not ${JSON.stringify(value)}`);
        else facets[c.local] = n;
        break;
      }
      case "minInclusive":
      case "maxInclusive":
      case "minExclusive":
      case "maxExclusive":
        facets[c.local] = value.trim();
        break;
      case "whiteSpace": {
        const v = value.trim();
        if (v === "preserve" || v === "replace" || v === "collapse") facets.whiteSpace = v;
        else ctx.diagnostics.error(at(ctx, c, "value"), `xs:whiteSpace must be preserve, replace or collapse, not ${JSON.stringify(value)}`);
        break;
      }
    }
  }
  if (base === undefined) {
    ctx.diagnostics.error(at(ctx, el), "xs:restriction needs a base attribute or an anonymous xs:simpleType");
    return undefined;
  }
  if (enumeration.length > 0) facets.enumeration = enumeration.map((e) => e.value);
  if (patterns.length === 1) facets.patterns = patterns;
  // Patterns of one step are alternatives: one XSD regular expression (anchored as a whole).
  else if (patterns.length > 1) facets.patterns = [patterns.map((p) => `(${p})`).join("|")];
  return { kind: "restriction", base, facets, enumeration: enumeration.length > 0 ? enumeration : undefined, source: at(ctx, el) };
}
