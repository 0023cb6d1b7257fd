/**
 * `mpay-codegen validate`: checks saved messages against a contract's schemas with libxml2.
 *
 * An independent oracle for "is this payload what the contract says?", for a message captured
 * from a peer or written by hand. It is optional: libxml2 comes through the native addon
 * libxmljs2, which compiles on install, so it is a peer dependency that only this command needs
 * (the runtime never uses it on the request path).
 *
 * The contract is loaded with the generator's own loader (relative imports, catalog, no network).
 * Every schema document, inline ones included, is written to a temporary folder with its import
 * locations pointing at the other temporary files, so libxml2 never has to resolve a URL. The
 * schemas are given to libxml2 as the generator read them: its lenient readings of QNames and its
 * stand-ins for what no file defines are applied, and what it ignored (attributes and text XML
 * Schema does not allow, includes without a location, the losers of duplicate definitions) is left
 * out (see `writeSchemas` and `readingsOf`). Never more: libxml2 judges by every other rule.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseXml, readEnvelope, XmlParseError, type XmlElement } from "@mpay-kit/runtime";
import { Diagnostics, DiagnosticError } from "./diagnostics.ts";
import { WSDL, XML_NS, XSD } from "./ir/ns.ts";
import { nodeFileHost, type FileHost } from "./load/host.ts";
import { loadContract, type LoadedContract, type SourceDocument } from "./load/load.ts";
import type { ContractIR, QName, Ref, RefTarget } from "./ir/model.ts";
import { ComponentIndex, resolveRefs, XML_ATTRIBUTE_TYPES } from "./ir/resolve.ts";
import { parseDefinitions } from "./parse/wsdl.ts";
import { bareContentModel, complexTypeContentReading, ignoredAttributes, ignoredText, parseSchemas, simpleTypeExtension } from "./parse/xsd.ts";
import { children, startTagEnd } from "./load/xml.ts";
import { rpcWrapperElements } from "./emit/binding.ts";

/** The outcome for one message. */
export interface MessageVerdict {
  readonly file: string;
  /** `valid`, or the problems: `line: message` (lines of the message file). */
  readonly errors: readonly string[];
}

export interface ValidateOptions {
  /** Absolute path of the WSDL. */
  readonly wsdl: string;
  readonly catalog?: string;
  readonly baseDir: string;
  readonly host?: FileHost;
}

interface LibXml {
  parseXml(text: string, options?: Record<string, unknown>): LibXmlDocument;
}
interface LibXmlDocument {
  validate(schema: LibXmlDocument): boolean;
  readonly validationErrors: readonly { message: string; line?: number }[];
  readonly errors: readonly { message: string; line?: number }[];
}

/** Thrown when libxmljs2 is not installed. */
export class MissingValidatorError extends Error {
  override readonly name = "MissingValidatorError";
}

function loadLibxml(): LibXml {
  try {
    return createRequire(import.meta.url)("libxmljs2") as LibXml;
  } catch {
    throw new MissingValidatorError("validate needs libxml2 through the libxmljs2 package: npm install --save-dev libxmljs2");
  }
}

/** A schema element with the namespace declarations in scope made explicit, as standalone text. */
function standalone(text: string, el: XmlElement, rewrites: readonly Rewrite[], declarations = "", imports = ""): string {
  let body = applyRewrites(text, el.start, el.end, rewrites).text;
  const declared = new Set(el.namespaces.map((d) => d.prefix));
  let extra = declarations;
  for (let e = el.parent; e !== undefined; e = e.parent) {
    for (const d of e.namespaces) {
      if (declared.has(d.prefix)) continue;
      declared.add(d.prefix);
      extra += d.prefix === "" ? ` xmlns="${escape(d.uri)}"` : ` xmlns:${d.prefix}="${escape(d.uri)}"`;
    }
  }
  // Insert after the element's written name in its start tag; the imports after the start tag.
  const nameEnd = el.start + 1 + (el.prefix === "" ? el.local.length : el.prefix.length + 1 + el.local.length);
  const tagEnd = startTagEnd(body, 0);
  if (imports !== "" && body[tagEnd - 2] !== "/") body = body.slice(0, tagEnd) + imports + body.slice(tagEnd);
  return body.slice(0, nameEnd - el.start) + extra + body.slice(nameEnd - el.start);
}

/**
 * `text` from `start` to `end` with the rewrites in that range applied; returns the rewrites it
 * used. One inside a range already replaced (a dropped definition's own QNames) is skipped; an
 * insertion (an empty range) goes before a replacement that starts where it stands.
 */
function applyRewrites(text: string, start: number, end: number, rewrites: readonly Rewrite[]): { text: string; used: Set<Rewrite> } {
  let out = "";
  let at = start;
  const used = new Set<Rewrite>();
  const inserts = (r: Rewrite) => Number(r.start === r.end);
  for (const r of [...rewrites].sort((a, b) => a.start - b.start || inserts(b) - inserts(a) || b.end - a.end)) {
    if (r.start < start || r.end > end || r.start < at) continue;
    out += text.slice(at, r.start) + r.value;
    at = r.end;
    used.add(r);
  }
  return { text: out + text.slice(at, end), used };
}

interface Rewrite {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/**
 * The generator's reading of a contract whose references it had to read leniently (see
 * `ir/resolve.ts`), for libxml2 to compile the schemas as the generator read them: QNames to
 * rewrite to the name they were read as, declarations standing for what no file defines, and
 * ranges to drop (an empty rewrite) where the generator ignored what XML Schema does not allow.
 */
interface Readings {
  readonly rewrites: ReadonlyMap<SourceDocument, readonly Rewrite[]>;
  /** Namespace declarations for the prefixes the rewrites use (added to every schema). */
  readonly declarations: string;
  /** Stand-in declarations (schema content), by namespace. */
  readonly standIns: ReadonlyMap<string, readonly string[]>;
}

function readingsOf(contract: LoadedContract): Readings {
  const refs: Ref<keyof RefTarget>[] = [];
  const quiet = new Diagnostics();
  const ir: ContractIR = { schemas: parseSchemas(contract, quiet, refs), definitions: parseDefinitions(contract, quiet, refs) };
  resolveRefs(refs, new ComponentIndex(ir, quiet), quiet);
  const docByFile = new Map(contract.documents.map((d) => [d.source.display, d]));
  const prefixes = new Map<string, string>();
  const rewrites = new Map<SourceDocument, Rewrite[]>();
  const standIns = new Map<string, Map<string, string>>();
  const standIn = (ns: string, key: string, declaration: string, replaces?: string) => {
    let m = standIns.get(ns);
    if (m === undefined) standIns.set(ns, (m = new Map()));
    if (!m.has(key) || m.get(key) === replaces) m.set(key, declaration);
  };
  const rewrite = (doc: SourceDocument, at: { valueStart: number; valueEnd: number }, to: QName) => {
    let prefix = prefixes.get(to.ns);
    if (prefix === undefined) prefixes.set(to.ns, (prefix = `mpay-read${prefixes.size}`));
    let list = rewrites.get(doc);
    if (list === undefined) rewrites.set(doc, (list = []));
    list.push({ start: at.valueStart, end: at.valueEnd, value: `${prefix}:${to.local}` });
  };
  for (const ref of refs) {
    if (ref.readAs === undefined) continue;
    const doc = docByFile.get(ref.source.file);
    const attribute = doc?.source.attributeAt(doc.source.offsetOf(ref.source.line, ref.source.column));
    if (ref.readAs !== "stand-in") {
      if (doc !== undefined && attribute !== undefined && ref.readAs.ns !== "") rewrite(doc, attribute, ref.readAs);
      continue;
    }
    let { ns, local } = ref.name;
    // A name libxml2 cannot resolve (its prefix is undeclared) or cannot define (a "built-in" XML
    // Schema lacks) gets a private namespace, so that the stand-in can be declared there.
    if (ref.reading === "undeclared" || ns === XSD) {
      if (doc === undefined || attribute === undefined) continue;
      ns = ref.reading === "undeclared" ? `urn:mpay-kit:undeclared-prefix:${ref.written.slice(0, ref.written.indexOf(":"))}` : "urn:mpay-kit:not-built-in";
      rewrite(doc, attribute, { ns, local });
    }
    const name = escape(local);
    if (ref.to === "element") standIn(ns, `element ${local}`, `<xs:element name="${name}"/>`);
    else if (ref.to === "attribute") standIn(ns, `attribute ${local}`, `<xs:attribute name="${name}" type="xs:string"/>`);
    else if (ref.to === "type" && ref.content === "simple") standIn(ns, `type ${local}`, `<xs:simpleType name="${name}"><xs:restriction base="xs:string"/></xs:simpleType>`);
    else if (ref.to === "type") {
      // xs:anyType, as a named type; as a complexContent base it adds nothing (the generator drops it),
      // and a wildcard there would make the derived type's content ambiguous for libxml2.
      const any = `<xs:complexType name="${name}" mixed="true"><xs:sequence><xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute processContents="lax"/></xs:complexType>`;
      const empty = `<xs:complexType name="${name}"><xs:anyAttribute processContents="lax"/></xs:complexType>`;
      if (attribute?.name === "base") standIn(ns, `type ${local}`, empty, any);
      else standIn(ns, `type ${local}`, any);
    }
  }
  const kept = keptDefinitions(ir);
  /** A QName as the value of a stand-in's `type` or `ref`; another namespace's through a declaration written after it. */
  const qnameValue = (name: QName) =>
    name.ns === XSD ? `xs:${escape(name.local)}` : name.ns === "" ? escape(name.local) : `mpay-part:${escape(name.local)}" xmlns:mpay-part="${escape(name.ns)}`;
  // An rpc/literal message is one wrapper element the generator synthesizes (emit/binding.ts):
  // named after the operation, in soap:body's namespace, one unqualified accessor per typed part
  // (a part that names an element: that element). Declared so, unless the contract declares an
  // element of that name itself (the generator refuses the operation then).
  const rpcParts = new Set<object>();
  for (const { element, parts } of rpcWrapperElements(ir)) {
    for (const p of parts) rpcParts.add(p);
    if (kept.first.has(`element{${element.ns}}${element.name}`)) continue;
    const accessors = parts.map((p) => {
      if (p.element !== undefined) return `<xs:element ref="${qnameValue(p.element.readAs === undefined || p.element.readAs === "stand-in" ? p.element.name : p.element.readAs)}"/>`;
      const type = p.type === undefined || p.type.readAs === "stand-in" ? { ns: XSD, local: "anyType" } : (p.type.readAs ?? p.type.name);
      return `<xs:element name="${escape(p.name)}" type="${qnameValue(type)}"/>`;
    });
    const content = accessors.length === 0 ? "<xs:complexType/>" : `<xs:complexType><xs:sequence>${accessors.join("")}</xs:sequence></xs:complexType>`;
    standIn(element.ns, `element ${element.name}`, `<xs:element name="${escape(element.name)}">${content}</xs:element>`);
  }
  // A document-style part that names a type is read as an element named after the part, in no
  // namespace, of that type (emit/binding.ts, with a warning): declared so, unless parts of one
  // name disagree on the type or the contract declares such an element itself.
  const typedParts = new Map<string, QName | undefined>();
  for (const part of ir.definitions.flatMap((d) => d.messages.flatMap((m) => m.parts))) {
    if (part.element !== undefined || part.type === undefined || part.type.readAs === "stand-in" || rpcParts.has(part)) continue;
    const type = part.type.readAs ?? part.type.name;
    const seen = typedParts.get(part.name);
    typedParts.set(part.name, !typedParts.has(part.name) || (seen !== undefined && seen.ns === type.ns && seen.local === type.local) ? type : undefined);
  }
  for (const [name, type] of typedParts) {
    if (type === undefined || kept.first.has(`element{}${name}`)) continue;
    standIn("", `element ${name}`, `<xs:element name="${escape(name)}" type="${qnameValue(type)}"/>`);
  }
  // The XML namespace's attributes (xml:lang, ...) where no schema of the contract is that
  // namespace's (it is imported without a location, or not at all): the generator reads them with
  // the types xml.xsd gives them (ir/resolve.ts), and libxml2 has no xml.xsd of its own.
  const declaresXml = contract.documents.some((d) => schemaElements(d).some((schema) => attrOf(schema, "targetNamespace") === XML_NS));
  if (!declaresXml && refs.some((r) => r.to === "attribute" && r.name.ns === XML_NS)) {
    for (const [local, type] of Object.entries(XML_ATTRIBUTE_TYPES)) standIn(XML_NS, `attribute ${local}`, `<xs:attribute name="${local}" type="xs:${type}"/>`);
  }
  // The effective name of each QName the generator resolved, by where it is written.
  const readAt = new Map(refs.map((r) => [`${r.source.file}:${r.source.line}:${r.source.column}`, typeof r.readAs === "object" ? r.readAs : r.name]));
  for (const doc of contract.documents) {
    const drop = (start: number, end: number) => {
      let list = rewrites.get(doc);
      if (list === undefined) rewrites.set(doc, (list = []));
      list.push({ start, end, value: "" });
    };
    const dropAttribute = (el: XmlElement, name: string) => {
      const range = doc.source.attributeRange(el, name);
      if (range !== undefined) drop(range.nameStart, range.valueEnd + 1);
    };
    for (const schema of schemaElements(doc)) {
      const tnss = kept.readIn.get(locationKey(doc.source.at(schema))) ?? [];
      // Text where only elements are allowed (a stray character; parse/xsd.ts warns).
      for (const t of ignoredText(schema, doc.source.text)) drop(t.start, t.end);
      for (const el of descendants(schema)) {
        // Attributes XML Schema does not allow there and the generator ignored (each a warning of parse/xsd.ts).
        for (const a of ignoredAttributes(el)) dropAttribute(el, a.name);
        if (el.ns !== XSD) continue;
        // An include or redefine without schemaLocation includes nothing (the loader warns and ignores it).
        if ((el.local === "include" || el.local === "redefine") && el.parent === schema && !el.attributes.some((a) => a.ns === "" && a.local === "schemaLocation")) drop(el.start, el.end);
        // simpleContent extending xs:anyType: its text is read as xs:anySimpleType (emit/build.ts warns).
        if (el.local === "extension" && el.parent?.ns === XSD && el.parent.local === "simpleContent") {
          const base = readAt.get(locationKey(doc.source.at(el, "base")));
          const range = doc.source.attributeRange(el, "base");
          if (base !== undefined && base.ns === XSD && base.local === "anyType" && range !== undefined) {
            // Instead of a lenient QName's rewrite of the same value (`base="anyType"` without a default namespace).
            const list = (rewrites.get(doc) ?? []).filter((r) => r.start !== range.valueStart);
            rewrites.set(doc, [...list, { start: range.valueStart, end: range.valueEnd, value: "mpay-xs:anySimpleType" }]);
          }
        }
        // A limitation of the oracle, not a tolerance: libxml2 holds at most 24 digits of an
        // xs:decimal and refuses to compile a schema whose default has more (.NET writes
        // Decimal.MinValue, 29 digits). Without its default an empty element must be valid as it
        // is, so validation only gets stricter.
        if ((el.local === "element" || el.local === "attribute") && significantDigits(attrOf(el, "default")) > LIBXML2_DECIMAL_DIGITS) dropAttribute(el, "default");
      }
      structuralReadings(doc, schema, rewrites);
      // A global definition the generator dropped as a duplicate of one read first (equal, or in another file).
      for (const c of children(schema)) {
        const kind = DEFINITION_KINDS[c.local];
        const name = attrOf(c, "name");
        if (c.ns !== XSD || kind === undefined || name === undefined || tnss.length === 0) continue;
        const here = locationKey(doc.source.at(c));
        if (tnss.every((tns) => { const first = kept.first.get(`${kind}{${tns}}${name}`); return first !== undefined && first !== here; })) drop(c.start, c.end);
      }
    }
  }
  return {
    rewrites,
    declarations: [...prefixes].map(([ns, prefix]) => ` xmlns:${prefix}="${escape(ns)}"`).join(""),
    standIns: new Map([...standIns].map(([ns, m]) => [ns, [...m.values()]])),
  };
}

/** The name in the start tag at `lastIndex`. */
const TAG_NAME = /<([^\s/>]+)/y;

/**
 * The rewrites that give libxml2 the generator's reading of XSD elements written where, or as,
 * XML Schema does not allow (parse/xsd.ts warns about each, and exports the predicates used
 * here): a name in the wrong case gets XML Schema's; a model group directly in `xs:element` is
 * wrapped in an `xs:complexType`; `xs:element`s directly in `xs:complexType` are wrapped in an
 * `xs:sequence`, and a model group after the attributes is moved before them; an `xs:extension`
 * in `xs:simpleType` becomes the complex type with simple content it means (with attributes) or
 * an `xs:restriction` (without). Call after every other rewrite of `doc`: a moved range carries
 * the rewrites inside it.
 */
function structuralReadings(doc: SourceDocument, schema: XmlElement, rewrites: Map<SourceDocument, Rewrite[]>): void {
  const text = doc.source.text;
  let list = rewrites.get(doc);
  if (list === undefined) rewrites.set(doc, (list = []));
  const edits = list;
  const insert = (at: number, value: string) => edits.push({ start: at, end: at, value });
  /** The element's name as written in its start tag. */
  const writtenAt = (el: XmlElement) => {
    TAG_NAME.lastIndex = el.start;
    return TAG_NAME.exec(text)![1]!;
  };
  /** Renames the start and end tags of `el` (`name` is written as is: a QName of a prefix in scope). */
  const rename = (el: XmlElement, name: string) => {
    const written = writtenAt(el);
    edits.push({ start: el.start + 1, end: el.start + 1 + written.length, value: name });
    if (text.slice(el.end - 2, el.end) === "/>") return;
    const close = text.lastIndexOf("</", el.end - 1) + 2;
    edits.push({ start: close, end: close + written.length, value: name });
  };
  const moves: { owner: XmlElement; particle: readonly XmlElement[]; sequence: boolean }[] = [];
  for (const el of [schema, ...descendants(schema)]) {
    if (el.ns !== XSD) continue;
    const extension = simpleTypeExtension(el);
    if (extension?.attributes === true) {
      rename(el, "mpay-xs:complexType");
      insert(extension.extension.start, "<mpay-xs:simpleContent>");
      insert(extension.extension.end, "</mpay-xs:simpleContent>");
      continue;
    }
    if (extension !== undefined) rename(extension.extension, "mpay-xs:restriction");
    // A name read in XML Schema's case (readMiscasedNames): the written one differs.
    const written = writtenAt(el);
    if (written.slice(written.indexOf(":") + 1) !== el.local) rename(el, `${el.prefix === "" ? "" : `${el.prefix}:`}${el.local}`);
    const bare = bareContentModel(el);
    if (bare !== undefined) {
      insert(bare.start, "<mpay-xs:complexType>");
      insert(bare.end, "</mpay-xs:complexType>");
    }
    const reading = complexTypeContentReading(el);
    if (reading !== undefined) moves.push({ owner: el, ...reading });
  }
  // Inner types first, so that an outer move carries an inner one's result.
  moves.sort((a, b) => a.owner.end - a.owner.start - (b.owner.end - b.owner.start));
  for (const { owner, particle, sequence } of moves) {
    const first = children(owner).find((c) => c.ns === XSD && c.local !== "annotation")!;
    let moved = "";
    for (const p of particle) {
      const { text: value, used } = applyRewrites(text, p.start, p.end, edits);
      moved += value;
      for (let i = edits.length - 1; i >= 0; i--) if (used.has(edits[i]!)) edits.splice(i, 1);
      edits.push({ start: p.start, end: p.end, value: "" });
    }
    insert(first.start, sequence ? `<mpay-xs:sequence>${moved}</mpay-xs:sequence>` : moved);
  }
}

/** libxml2 2.9's xs:decimal: at most 24 digits (xmlschemastypes.c). */
const LIBXML2_DECIMAL_DIGITS = 24;

/** The digits of a decimal numeral without leading and trailing zeros; 0 when `text` is not one. */
function significantDigits(text: string | undefined): number {
  const m = text === undefined ? null : /^\s*[+-]?(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (m === null) return 0;
  return (m[1]!.replace(/^0+/, "") + (m[2] ?? "").replace(/0+$/, "")).length;
}

const DEFINITION_KINDS: Record<string, string | undefined> = {
  complexType: "type",
  simpleType: "type",
  element: "element",
  attribute: "attribute",
  group: "group",
  attributeGroup: "attributeGroup",
};

function locationKey(at: { file: string; line: number; column: number }): string {
  return `${at.file}:${at.line}:${at.column}`;
}

function attrOf(el: XmlElement, name: string): string | undefined {
  return el.attributes.find((a) => a.ns === "" && a.local === name)?.value;
}

function* descendants(el: XmlElement): Generator<XmlElement> {
  for (const c of children(el)) {
    yield c;
    yield* descendants(c);
  }
}

/**
 * The global definitions the generator kept (the first of duplicates, see `dropDuplicates`), by
 * kind and name, and the target namespaces each schema element was read in (a chameleon include
 * takes its includer's).
 */
function keptDefinitions(ir: ContractIR): { first: Map<string, string>; readIn: Map<string, string[]> } {
  const first = new Map<string, string>();
  const readIn = new Map<string, string[]>();
  for (const schema of ir.schemas) {
    const key = locationKey(schema.source);
    readIn.set(key, [...(readIn.get(key) ?? []), schema.targetNamespace]);
    const lists: [string, readonly { name: string | undefined; ns: string; source: { file: string; line: number; column: number } }[]][] = [
      ["type", schema.types],
      ["element", schema.elements],
      ["attribute", schema.attributes],
      ["group", schema.groups],
      ["attributeGroup", schema.attributeGroups],
    ];
    for (const [kind, list] of lists) for (const d of list) if (d.name !== undefined && !first.has(`${kind}{${d.ns}}${d.name}`)) first.set(`${kind}{${d.ns}}${d.name}`, locationKey(d.source));
  }
  return { first, readIn };
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

function schemaElements(doc: SourceDocument): XmlElement[] {
  const root = doc.source.root;
  if (root.ns === XSD && root.local === "schema") return [root];
  if (root.ns !== WSDL) return [];
  const out: XmlElement[] = [];
  for (const types of root.children) {
    if (types.kind !== "element" || types.ns !== WSDL || types.local !== "types") continue;
    for (const s of types.children) if (s.kind === "element" && s.ns === XSD && s.local === "schema") out.push(s);
  }
  return out;
}

/**
 * Writes every schema of the contract into `dir`; returns the path of a root schema that pulls
 * them all in.
 *
 * libxml2 takes one schema document per namespace from `xs:import` (later imports of a namespace
 * it has seen are skipped), and refuses an `xs:import` of a schema without a target namespace
 * into one without. So each namespace gets a wrapper schema that `xs:include`s every schema
 * document of that namespace (inline ones too), every `xs:import` with a location (the root's and
 * the schemas' own) points at the wrapper of the imported namespace, and the root, which has no
 * target namespace, includes the wrapper of no namespace and imports the others. Documents that
 * only `xs:include` / `xs:redefine` reaches are left to their includer (a chameleon include takes
 * the includer's namespace).
 */
function writeSchemas(contract: LoadedContract, dir: string, readings: Readings): string {
  const fileOf = new Map<SourceDocument, string>();
  contract.documents.forEach((d, i) => {
    if (d.kind === "xsd") fileOf.set(d, join(dir, `schema-${i}.xsd`));
  });
  const tnsOf = (schema: XmlElement) => schema.attributes.find((a) => a.ns === "" && a.local === "targetNamespace")?.value ?? "";
  const imported = new Set(contract.edges.filter((e) => e.kind !== "xsd:include" && e.kind !== "xsd:redefine").map((e) => e.target));
  const members = contract.documents.flatMap((doc, i) =>
    schemaElements(doc).map((schema, k) => ({
      doc,
      schema,
      file: doc.kind === "xsd" ? fileOf.get(doc)! : join(dir, `inline-${i}-${k}.xsd`),
      // Documents only xs:include reaches belong to their includer.
      listed: doc.kind === "wsdl" || imported.has(doc),
    })),
  );
  // The XML namespace first: libxml2 loads one schema per namespace, at its first import, and the
  // contract's own imports of it have no location.
  const listedNamespaces = members.filter((m) => m.listed).map((m) => tnsOf(m.schema));
  const namespaces = [...new Set<string>([...(readings.standIns.has(XML_NS) ? [XML_NS] : []), ...listedNamespaces, ...readings.standIns.keys()])];
  const wrappers = new Map(namespaces.map((ns, i) => [ns, { file: join(dir, `namespace-${i}.xsd`), members: [] as string[] }]));
  const wrapperOf = (ns: string) => wrappers.get(ns);
  // The generator resolves a reference anywhere in the contract, imported or not: so may libxml2.
  const importsFor = (tns: string) =>
    namespaces
      .filter((ns) => ns !== tns)
      .map((ns) => (ns === "" ? "<mpay-xs:import/>" : `<mpay-xs:import namespace="${escape(ns)}"/>`))
      .join("");
  const declarations = `${readings.declarations} xmlns:mpay-xs="${XSD}"`;
  for (const { doc, schema, file, listed } of members) {
    const rewrites = contract.edges
      .filter((e) => e.from === doc && e.location !== undefined && e.target !== undefined && fileOf.has(e.target))
      .map((e) => {
        const target = (e.kind === "xsd:import" ? wrapperOf(tnsOf(e.target!.source.root))?.file : undefined) ?? fileOf.get(e.target!)!;
        return { start: e.location!.start, end: e.location!.end, value: escape(target) };
      })
      .concat(readings.rewrites.get(doc) ?? []);
    writeFileSync(file, standalone(doc.source.text, schema, rewrites, declarations, listed ? importsFor(tnsOf(schema)) : ""));
    if (listed) wrapperOf(tnsOf(schema))!.members.push(file);
  }
  [...readings.standIns].forEach(([namespace, content], i) => {
    const file = join(dir, `stand-ins-${i}.xsd`);
    const tns = namespace === "" ? "" : ` targetNamespace="${escape(namespace)}"`;
    // Stand-ins may name types of other namespaces (a typed part's), which libxml2 resolves only through an import.
    writeFileSync(file, `<xs:schema xmlns:xs="${XSD}" xmlns:mpay-xs="${XSD}"${tns}>${importsFor(namespace)}${content.join("")}</xs:schema>`);
    wrapperOf(namespace)!.members.push(file);
  });
  const includes = (files: readonly string[]) => files.map((f) => `<xs:include schemaLocation="${escape(f)}"/>`).join("");
  for (const [namespace, w] of wrappers) {
    const tns = namespace === "" ? "" : ` targetNamespace="${escape(namespace)}"`;
    writeFileSync(w.file, `<xs:schema xmlns:xs="${XSD}"${tns}>${includes(w.members)}</xs:schema>`);
  }
  // The element that holds a batch of messages (see validateAll), in a namespace of its own.
  const batch = join(dir, "batch.xsd");
  writeFileSync(
    batch,
    `<xs:schema xmlns:xs="${XSD}" targetNamespace="${BATCH_NS}"><xs:element name="messages"><xs:complexType><xs:sequence><xs:any namespace="##any" processContents="strict" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element></xs:schema>`,
  );
  const root = join(dir, "contract.xsd");
  writeFileSync(
    root,
    `<xs:schema xmlns:xs="${XSD}">${[...wrappers]
      .map(([namespace, w]) => (namespace === "" ? includes([w.file]) : `<xs:import namespace="${escape(namespace)}" schemaLocation="${escape(w.file)}"/>`))
      .join("")}<xs:import namespace="${BATCH_NS}" schemaLocation="${escape(batch)}"/></xs:schema>`,
  );
  return root;
}

/** The namespace of the element that holds a batch of messages; no contract declares it. */
const BATCH_NS = "urn:mpay-kit:validate:batch";

/**
 * Validates messages against the contract: a SOAP envelope's Body payload, or a bare payload
 * element. Returns one verdict per message.
 * @throws DiagnosticError when the contract cannot be loaded; MissingValidatorError without libxmljs2.
 */
export function validateMessages(options: ValidateOptions, messages: readonly { file: string; text: string }[]): MessageVerdict[] {
  const libxml = loadLibxml();
  const diagnostics = new Diagnostics();
  const contract = loadContract({ wsdl: options.wsdl, baseDir: options.baseDir, host: options.host ?? nodeFileHost, ...(options.catalog === undefined ? {} : { catalog: options.catalog }) }, diagnostics);
  diagnostics.check();
  if (contract === undefined) throw new DiagnosticError(diagnostics.list);
  const dir = mkdtempSync(join(tmpdir(), "mpay-codegen-validate-"));
  try {
    const rootPath = writeSchemas(contract, dir, readingsOf(contract));
    const schemaDoc = libxml.parseXml(readFileSync(rootPath, "utf8"), { baseUrl: rootPath, nonet: true });
    return validateAll(libxml, schemaDoc, messages);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The verdicts of all messages. libxmljs2 compiles the schema anew on every `validate` call (a
 * large contract's schema set takes a fifth of a second), so the payloads are first validated
 * together, each a child of one batch element whose strict wildcard validates it against its
 * global declaration as it would be validated alone. Only a batch that is valid as a whole is
 * taken as is; otherwise every message is validated alone, for its own verdict and line numbers.
 * (What one message could do to another in a batch: the same ID twice, which fails the batch and
 * sends every message to its own validation; an IDREF naming another message's ID, which changes
 * nothing, since libxml2's schema validation does not resolve IDREFs, tested.)
 */
function validateAll(libxml: LibXml, schema: LibXmlDocument, messages: readonly { file: string; text: string }[]): MessageVerdict[] {
  const payloads = messages.map(({ text }) => payloadOf(text));
  if (messages.length > 1 && payloads.every((p) => "text" in p)) {
    const batch = `<mpay-batch:messages xmlns:mpay-batch="${BATCH_NS}">${payloads.map((p) => ("text" in p ? p.text : "")).join("")}</mpay-batch:messages>`;
    if (libxml.parseXml(batch, { nonet: true }).validate(schema)) return messages.map(({ file }) => ({ file, errors: [] }));
  }
  return messages.map(({ file }, i) => {
    const p = payloads[i]!;
    if ("errors" in p) return { file, errors: p.errors };
    // Keep the payload on its own line numbers: pad with the line breaks that preceded it.
    const doc = libxml.parseXml("\n".repeat(p.line - 1) + p.text, { nonet: true });
    return { file, errors: doc.validate(schema) ? [] : doc.validationErrors.map((e) => `${e.line ?? 0}: ${e.message.trim()}`) };
  });
}

/** A message's payload (a SOAP envelope's Body element, or the document's element) as a document of its own, and the line it starts on. */
function payloadOf(text: string): { text: string; line: number } | { errors: string[] } {
  let payload: XmlElement;
  try {
    const doc = parseXml(text);
    payload = doc.root.local === "Envelope" ? (readEnvelope(doc).payload ?? doc.root) : doc.root;
  } catch (error) {
    if (error instanceof XmlParseError) return { errors: [`${error.line}: not well-formed XML: ${error.reason}`] };
    return { errors: [`1: not a SOAP 1.1 envelope: ${(error as Error).message}`] };
  }
  return { text: standalone(text, payload, []), line: payload.line };
}
