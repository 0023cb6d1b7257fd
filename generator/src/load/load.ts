/**
 * Loading: the main WSDL and, transitively, every document it imports.
 *
 * Followed: `wsdl:import/@location`, and `xs:import` / `xs:include` / `xs:redefine`
 * `@schemaLocation` in schemas (inline in `wsdl:types` or in XSD files). Relative locations
 * resolve against the importing document; absolute `http(s)` URLs only through the catalog:
 * nothing is ever fetched over the network. Every document is loaded once (by local path), in a
 * depth-first walk in document order, which also fixes the key under which it is served.
 */
import { basename, dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { XmlElement } from "@mpay-kit/runtime";
import { Diagnostics, fileLocation, type SourceLocation } from "../diagnostics.ts";
import { WSDL, WSDL20, XSD } from "../ir/ns.ts";
import { lookupCatalog, parseCatalog, type Catalog } from "./catalog.ts";
import { bundledDisplay, bundledSchemaPath, withBundledSchemas } from "./bundled.ts";
import type { FileHost } from "./host.ts";
import { attr, children, parseSource, writtenName, type XmlSource } from "./xml.ts";

/** One loaded file. */
export interface SourceDocument {
  readonly source: XmlSource;
  /** Absolute local path. */
  readonly path: string;
  /** Base for relative locations inside it: the URL it was imported as (through the catalog), else its path. */
  readonly base: { readonly kind: "file"; readonly path: string } | { readonly kind: "url"; readonly url: string };
  readonly kind: "wsdl" | "xsd";
  /** Query under which the server publishes it: `wsdl` for the main WSDL, `xsd=<file>` / `wsdl=<file>` for imports. */
  readonly key: string;
}

export type ImportKind = "wsdl:import" | "xsd:import" | "xsd:include" | "xsd:redefine";

/** One import-like element and what it loaded. */
export interface ImportEdge {
  readonly kind: ImportKind;
  readonly from: SourceDocument;
  readonly element: XmlElement;
  readonly namespace: string | undefined;
  /** The raw location attribute value and its range in `from`'s text. */
  readonly location: { readonly value: string; readonly start: number; readonly end: number } | undefined;
  /** The loaded document, or `undefined` when there is no location or it could not be loaded. */
  readonly target: SourceDocument | undefined;
}

export interface LoadedContract {
  readonly main: SourceDocument;
  /** Every document, main first, in load order. */
  readonly documents: readonly SourceDocument[];
  readonly edges: readonly ImportEdge[];
  /** The edge of an import-like element. */
  readonly edgeOf: ReadonlyMap<XmlElement, ImportEdge>;
}

export interface LoadOptions {
  /** Absolute path of the main WSDL. */
  readonly wsdl: string;
  /** Absolute path of a catalog file. */
  readonly catalog?: string;
  /** Folder that display paths are relative to. */
  readonly baseDir: string;
  readonly host: FileHost;
}

/** Display path of an absolute path: relative to `baseDir`, with `/` separators. */
export function displayPath(baseDir: string, path: string): string {
  const bundled = bundledDisplay(path);
  if (bundled !== undefined) return bundled;
  const rel = relative(baseDir, path);
  return (rel === "" ? basename(path) : rel).split(sep).join("/");
}

/**
 * Loads a contract. Problems are reported to `diagnostics`; returns `undefined` when the main
 * WSDL itself cannot be read.
 */
export function loadContract(options: LoadOptions, diagnostics: Diagnostics): LoadedContract | undefined {
  const { baseDir } = options;
  const host = withBundledSchemas(options.host);
  let catalog: Catalog | undefined;
  if (options.catalog !== undefined) {
    const display = displayPath(baseDir, options.catalog);
    const text = read(host, options.catalog, display, fileLocation(display), "cannot read the catalog", diagnostics);
    if (text === undefined) return undefined;
    const parsed = parseCatalog(text, options.catalog, display);
    if ("error" in parsed) {
      diagnostics.error(fileLocation(display), parsed.error);
      return undefined;
    }
    catalog = parsed;
  }

  const documents: SourceDocument[] = [];
  const byPath = new Map<string, SourceDocument>();
  const edges: ImportEdge[] = [];
  const edgeOf = new Map<XmlElement, ImportEdge>();
  const keys = new Set<string>();

  const mainDisplay = displayPath(baseDir, options.wsdl);
  const mainText = read(host, options.wsdl, mainDisplay, fileLocation(mainDisplay), "cannot read the WSDL", diagnostics);
  if (mainText === undefined) return undefined;
  const mainSource = parse(mainDisplay, mainText, diagnostics);
  if (mainSource === undefined) return undefined;
  const mainKind = rootKind(mainSource.root);
  if (mainKind !== "wsdl") {
    diagnostics.error(
      mainSource.at(mainSource.root),
      mainKind === "xsd" ? "this is an XML Schema, not a WSDL" : `not a WSDL 1.1 document: the root element is ${describeRoot(mainSource.root)}`,
      mainSource.root.ns === WSDL20 ? "WSDL 2.0 is not supported yet; give a WSDL 1.1 (wsdl:definitions) contract" : "give the contract's WSDL 1.1 file (root wsdl:definitions)",
    );
    return undefined;
  }
  const main: SourceDocument = { source: mainSource, path: options.wsdl, base: { kind: "file", path: options.wsdl }, kind: "wsdl", key: "wsdl" };
  documents.push(main);
  byPath.set(main.path, main);
  keys.add("wsdl");

  const visit = (doc: SourceDocument): void => {
    for (const found of importsOf(doc)) {
      const { element, kind, attribute } = found;
      if (found.bareInTypes === true) {
        const namespace = attr(element, "namespace");
        const location = attr(element, attribute);
        const imported = `${namespace === undefined ? "no namespace" : namespace}${location === undefined ? " (no schemaLocation: nothing is loaded)" : ` from ${JSON.stringify(location)}`}`;
        diagnostics.warning(
          doc.source.at(element),
          `${writtenName(element)} is written directly in wsdl:types, which holds only xs:schema elements; read as an xs:schema that imports ${imported}, so that the WSDL can name its components`,
          "wrap it in <xs:schema> (WS-I Basic Profile R2003)",
        );
      }
      const value = attr(element, attribute);
      const range = value === undefined ? undefined : doc.source.attributeRange(element, attribute);
      const location = value === undefined || range === undefined ? undefined : { value, start: range.valueStart, end: range.valueEnd };
      let target: SourceDocument | undefined;
      if (value !== undefined) {
        const at = doc.source.at(element, attribute);
        const where = resolveLocation(value, doc, catalog);
        if ("error" in where) {
          diagnostics.error(at, where.error, where.hint);
        } else {
          target = byPath.get(where.path);
          if (target === undefined) {
            const display = displayPath(baseDir, where.path);
            const text = read(host, where.path, display, at, `cannot import ${JSON.stringify(value)}`, diagnostics, hintFor(value, doc, where));
            const source = text === undefined ? undefined : parse(display, text, diagnostics);
            if (source !== undefined) {
              const docKind = rootKind(source.root);
              const expected = kind === "wsdl:import" ? undefined : "xsd";
              if (docKind === undefined || (expected !== undefined && docKind !== expected)) {
                diagnostics.error(
                  at,
                  `${JSON.stringify(value)} is not ${expected === "xsd" ? "an XML Schema" : "a WSDL 1.1 document or an XML Schema"}: its root element is ${describeRoot(source.root)}`,
                );
              } else {
                target = {
                  source,
                  path: where.path,
                  base: where.base,
                  kind: docKind,
                  key: uniqueKey(`${docKind}=${basename(where.path)}`, keys),
                };
                byPath.set(target.path, target);
                documents.push(target);
                visit(target);
              }
            }
          }
        }
      }
      if (value === undefined && (kind === "xsd:include" || kind === "xsd:redefine")) {
        // An import may name only a namespace; an include without a location includes nothing.
        diagnostics.warning(doc.source.at(element), `${kind.replace("xsd:", "xs:")} has no schemaLocation, so it includes nothing; it is ignored`, "write schemaLocation=\"<file>\"");
      }
      const edge: ImportEdge = { kind, from: doc, element, namespace: attr(element, "namespace"), location, target };
      edges.push(edge);
      edgeOf.set(element, edge);
    }
  };
  visit(main);
  return { main, documents, edges, edgeOf };
}

function read(
  host: FileHost,
  path: string,
  display: string,
  at: SourceLocation,
  what: string,
  diagnostics: Diagnostics,
  hint?: string,
): string | undefined {
  try {
    const text = host.readFile(path);
    if (text === undefined) diagnostics.error(at, `${what}: ${display} does not exist`, hint);
    return text;
  } catch (e) {
    diagnostics.error(at, `${what}: ${display}: ${(e as Error).message}`, hint);
    return undefined;
  }
}

function parse(display: string, text: string, diagnostics: Diagnostics): XmlSource | undefined {
  const parsed = parseSource(display, text);
  if ("error" in parsed) {
    diagnostics.error(parsed.error, parsed.error.message);
    return undefined;
  }
  for (const a of parsed.assumptions) diagnostics.warning(a.at, a.message, a.hint);
  return parsed;
}

function rootKind(root: XmlElement): "wsdl" | "xsd" | undefined {
  if (root.ns === WSDL && root.local === "definitions") return "wsdl";
  if (root.ns === XSD && root.local === "schema") return "xsd";
  return undefined;
}

function describeRoot(root: XmlElement): string {
  return root.ns === "" ? root.local : `{${root.ns}}${root.local}`;
}

/**
 * The import-like elements of a document, in document order. XSD names are matched whatever their
 * case: parse/xsd.ts reads a miscased `xs:Import` as `xs:import` (with a warning there), so the
 * loader must follow what it will be read as, never drop it silently. `bareInTypes`: an
 * `xs:import` written directly in `wsdl:types` (see `isBareTypesImport`).
 */
function importsOf(doc: SourceDocument): { element: XmlElement; kind: ImportKind; attribute: string; bareInTypes?: true }[] {
  const out: { element: XmlElement; kind: ImportKind; attribute: string; bareInTypes?: true }[] = [];
  const schemaImports = (schema: XmlElement) => {
    for (const c of children(schema)) {
      if (c.ns !== XSD) continue;
      const name = c.local.toLowerCase();
      if (name === "import") out.push({ element: c, kind: "xsd:import", attribute: "schemaLocation" });
      else if (name === "include") out.push({ element: c, kind: "xsd:include", attribute: "schemaLocation" });
      else if (name === "redefine") out.push({ element: c, kind: "xsd:redefine", attribute: "schemaLocation" });
    }
  };
  const root = doc.source.root;
  if (doc.kind === "xsd") {
    schemaImports(root);
    return out;
  }
  for (const c of children(root)) {
    if (c.ns !== WSDL) continue;
    if (c.local === "import") out.push({ element: c, kind: "wsdl:import", attribute: "location" });
    else if (c.local === "types") {
      for (const s of children(c)) {
        if (s.ns === XSD && s.local === "schema") schemaImports(s);
        else if (isBareTypesImport(s)) out.push({ element: s, kind: "xsd:import", attribute: "schemaLocation", bareInTypes: true });
      }
    }
  }
  return out;
}

/**
 * An `xs:import` written directly in `wsdl:types`, outside any `xs:schema` (WS-I Basic Profile
 * R2003 forbids it; XML Schema gives it no meaning there). It has one possible meaning: the WSDL's
 * references may name the components of that namespace, loaded from that location, as an
 * `xs:schema` holding only this import would say. The loader follows it with a warning; parse/xsd.ts
 * skips it; validate.ts hands libxml2 the imported schema like any other.
 */
export function isBareTypesImport(el: XmlElement): boolean {
  return el.ns === XSD && el.local.toLowerCase() === "import" && el.parent?.ns === WSDL && el.parent.local === "types";
}

type Resolved = { path: string; base: SourceDocument["base"] } | { error: string; hint?: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** Resolves an import location to a local file. */
function resolveLocation(location: string, from: SourceDocument, catalog: Catalog | undefined): Resolved {
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme.length > 1) return resolveAbsolute(location, scheme, catalog);
  const cleaned = location.replace(/#.*$/, "");
  if (from.base.kind === "url") {
    // Inside a document imported by URL, a relative location is relative to that URL.
    let url: string;
    try {
      url = new URL(cleaned, from.base.url).href;
    } catch {
      return { error: `cannot resolve ${JSON.stringify(location)} against ${from.base.url}` };
    }
    const mapped = lookupCatalog(catalog, url);
    if (mapped !== undefined) return { path: mapped, base: { kind: "url", url } };
    // Not in the catalog: the file beside the local copy, as downloaded WSDL bundles keep them.
    return { path: resolve(dirname(from.path), decodePath(cleaned)), base: { kind: "file", path: resolve(dirname(from.path), decodePath(cleaned)) } };
  }
  const path = resolve(dirname(from.path), decodePath(cleaned));
  return { path, base: { kind: "file", path } };
}

function resolveAbsolute(location: string, scheme: string, catalog: Catalog | undefined): Resolved {
  const mapped = lookupCatalog(catalog, location) ?? bundledSchemaPath(location);
  if (mapped !== undefined) return { path: mapped, base: { kind: "url", url: location } };
  if (scheme === "file") {
    try {
      const path = fileURLToPath(location);
      return { path, base: { kind: "file", path } };
    } catch {
      return { error: `cannot use ${location}: not a valid file URL` };
    }
  }
  if (scheme === "http" || scheme === "https") {
    return {
      error: `cannot load ${location}: the generator never fetches over the network, and no catalog entry maps this URL`,
      hint:
        catalog === undefined
          ? `save the file locally and add a catalog ("catalog" in the config, or --catalog) with an entry like {"map": {${JSON.stringify(location)}: "./${lastSegment(location)}"}}`
          : `add an entry to ${catalog.display}, like {"map": {${JSON.stringify(location)}: "./${lastSegment(location)}"}}, or a "rewrite" prefix that covers it`,
    };
  }
  return { error: `cannot load ${location}: the ${scheme}: scheme is not supported`, hint: "use a relative path, or map the URL in a catalog" };
}

function lastSegment(url: string): string {
  const path = url.replace(/[?#].*$/, "");
  return path.slice(path.lastIndexOf("/") + 1) || "file.xsd";
}

function decodePath(location: string): string {
  try {
    return decodeURIComponent(location);
  } catch {
    return location;
  }
}

function hintFor(value: string, from: SourceDocument, where: { path: string; base: SourceDocument["base"] }): string {
  if (where.base.kind === "url") return `the catalog maps ${where.base.url} to that file`;
  return SCHEME.test(value) ? "check the location" : `locations are relative to the importing file, ${from.source.display}`;
}

/** A served-document key that is a safe URL query, unique among `taken` (`xsd=a.xsd`, `xsd=a-2.xsd`, ...). */
function uniqueKey(wanted: string, taken: Set<string>): string {
  const safe = wanted.replace(/[^A-Za-z0-9._=-]/g, "_");
  let key = safe;
  const dot = safe.lastIndexOf(".");
  const stem = dot > safe.indexOf("=") ? safe.slice(0, dot) : safe;
  const ext = dot > safe.indexOf("=") ? safe.slice(dot) : "";
  for (let n = 2; taken.has(key); n++) key = `${stem}-${n}${ext}`;
  taken.add(key);
  return key;
}
