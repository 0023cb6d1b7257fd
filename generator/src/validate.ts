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
 * locations pointing at the other temporary files, so libxml2 never has to resolve a URL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseXml, readEnvelope, XmlParseError, type XmlElement } from "@mpay-kit/runtime";
import { Diagnostics, DiagnosticError } from "./diagnostics.ts";
import { WSDL, XSD } from "./ir/ns.ts";
import { nodeFileHost, type FileHost } from "./load/host.ts";
import { loadContract, type LoadedContract, type SourceDocument } from "./load/load.ts";

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
function standalone(text: string, el: XmlElement, rewrites: readonly { start: number; end: number; value: string }[]): string {
  let body = "";
  let at = el.start;
  for (const r of [...rewrites].sort((a, b) => a.start - b.start)) {
    if (r.start < el.start || r.end > el.end) continue;
    body += text.slice(at, r.start) + r.value;
    at = r.end;
  }
  body += text.slice(at, el.end);
  const declared = new Set(el.namespaces.map((d) => d.prefix));
  let extra = "";
  for (let e = el.parent; e !== undefined; e = e.parent) {
    for (const d of e.namespaces) {
      if (declared.has(d.prefix)) continue;
      declared.add(d.prefix);
      extra += d.prefix === "" ? ` xmlns="${escape(d.uri)}"` : ` xmlns:${d.prefix}="${escape(d.uri)}"`;
    }
  }
  // Insert after the element's written name in its start tag.
  const nameEnd = el.start + 1 + (el.prefix === "" ? el.local.length : el.prefix.length + 1 + el.local.length);
  return body.slice(0, nameEnd - el.start) + extra + body.slice(nameEnd - el.start);
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

/** Writes every schema of the contract into `dir`; returns the path of a root schema importing them all. */
function writeSchemas(contract: LoadedContract, dir: string): string {
  const fileOf = new Map<SourceDocument, string>();
  contract.documents.forEach((d, i) => {
    if (d.kind === "xsd") fileOf.set(d, join(dir, `schema-${i}.xsd`));
  });
  const imports: { namespace: string; file: string }[] = [];
  contract.documents.forEach((doc, i) => {
    const rewrites = contract.edges
      .filter((e) => e.from === doc && e.location !== undefined && e.target !== undefined && fileOf.has(e.target))
      .map((e) => ({ start: e.location!.start, end: e.location!.end, value: escape(fileOf.get(e.target!)!) }));
    schemaElements(doc).forEach((schema, k) => {
      const file = doc.kind === "xsd" ? fileOf.get(doc)! : join(dir, `inline-${i}-${k}.xsd`);
      writeFileSync(file, standalone(doc.source.text, schema, rewrites));
      const tns = schema.attributes.find((a) => a.ns === "" && a.local === "targetNamespace")?.value ?? "";
      if (!imports.some((m) => m.namespace === tns)) imports.push({ namespace: tns, file });
    });
  });
  const root = join(dir, "contract.xsd");
  writeFileSync(
    root,
    `<xs:schema xmlns:xs="${XSD}">${imports
      .map((m) => (m.namespace === "" ? `<xs:import schemaLocation="${escape(m.file)}"/>` : `<xs:import namespace="${escape(m.namespace)}" schemaLocation="${escape(m.file)}"/>`))
      .join("")}</xs:schema>`,
  );
  return root;
}

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
    const rootPath = writeSchemas(contract, dir);
    const schemaDoc = libxml.parseXml(readFileSync(rootPath, "utf8"), { baseUrl: rootPath, nonet: true });
    return messages.map(({ file, text }) => ({ file, errors: validateOne(libxml, schemaDoc, text) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function validateOne(libxml: LibXml, schema: LibXmlDocument, text: string): string[] {
  let payload: XmlElement;
  try {
    const doc = parseXml(text);
    payload = doc.root.local === "Envelope" ? (readEnvelope(doc).payload ?? doc.root) : doc.root;
  } catch (error) {
    if (error instanceof XmlParseError) return [`${error.line}: not well-formed XML: ${error.reason}`];
    return [`1: not a SOAP 1.1 envelope: ${(error as Error).message}`];
  }
  const lineOffset = payload.line - 1;
  // Keep the payload on its own line numbers: pad with the line breaks that preceded it.
  const standaloneText = "\n".repeat(lineOffset) + standalone(text, payload, []);
  const doc = libxml.parseXml(standaloneText, { nonet: true });
  if (doc.validate(schema)) return [];
  return doc.validationErrors.map((e) => `${e.line ?? 0}: ${e.message.trim()}`);
}
