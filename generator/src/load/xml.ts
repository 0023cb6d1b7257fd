/**
 * XML input for the generator: the runtime's namespace-aware parser (the same one that reads
 * SOAP messages: no DTDs, no entities, no network), plus the source positions diagnostics and
 * served-document links need.
 *
 * The parser gives each element its start offset, line and column. Attribute positions are found
 * here by re-scanning the (already well-formed) start tag, so that a diagnostic can point at the
 * exact `type="..."` that names a missing type, and so that `documents.ts` can mark the exact
 * range of every import location.
 */
import { parseXml, XmlParseError, type XmlElement } from "@mpay-kit/runtime";
import type { SourceLocation } from "../diagnostics.ts";
import { XSD } from "../ir/ns.ts";

/**
 * Something the loader assumed to read a document that is not namespace-well-formed or uses a
 * pre-Recommendation namespace. Each becomes a warning: a tolerated contract is never read
 * silently differently from what it says.
 */
export interface Assumption {
  readonly at: SourceLocation;
  readonly message: string;
  readonly hint?: string;
}

/** The range of one attribute in the source text. Offsets index the text; `valueEnd` is exclusive. */
export interface AttributeRange {
  readonly nameStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** A parsed XML file with its text, for positions. */
export class XmlSource {
  /** Path shown in diagnostics. */
  readonly display: string;
  /** The text as parsed (a leading byte order mark removed). */
  readonly text: string;
  readonly root: XmlElement;
  /** What the lenient reading assumed (see {@link parseSource}); empty for a well-formed document. */
  readonly assumptions: readonly Assumption[];
  readonly #lineStarts: number[];

  constructor(display: string, text: string, root: XmlElement, assumptions: readonly Assumption[] = []) {
    this.display = display;
    this.text = text;
    this.root = root;
    this.assumptions = assumptions;
    this.#lineStarts = lineStarts(text);
  }

  /** The 1-based line and column of an offset (LF, CRLF and CR each end a line, as in the parser). */
  locate(offset: number): SourceLocation {
    const starts = this.#lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.display, line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The offset of a 1-based line and column (the inverse of {@link locate}). */
  offsetOf(line: number, column: number): number {
    return (this.#lineStarts[line - 1] ?? this.text.length) + column - 1;
  }

  /** The attribute whose name starts at `offset` (as a diagnostic's location gives it), if one does. */
  attributeAt(offset: number): (AttributeRange & { readonly name: string }) | undefined {
    const m = /^([^\s=<>"'/]+)\s*=\s*(["'])/.exec(this.text.slice(offset, offset + 1000));
    if (m === null) return undefined;
    const valueStart = offset + m[0].length;
    const valueEnd = this.text.indexOf(m[2]!, valueStart);
    return valueEnd < 0 ? undefined : { name: m[1]!, nameStart: offset, valueStart, valueEnd };
  }

  /** Where an element starts, or where one of its (unprefixed or prefixed-as-written) attributes starts. */
  at(el: XmlElement, attribute?: string): SourceLocation {
    if (attribute !== undefined) {
      const range = findAttribute(this.text, el, attribute);
      if (range !== undefined) return this.locate(range.nameStart);
    }
    return { file: this.display, line: el.line, column: el.column };
  }

  /** The raw range of an attribute value in {@link text}. */
  attributeRange(el: XmlElement, attribute: string): AttributeRange | undefined {
    return findAttribute(this.text, el, attribute);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * Namespaces that WSDLs use under their usual prefix without declaring it (node-soap's parser
 * does not check prefixes, so such files circulate). Only these, and a prefix the same file
 * declares elsewhere, are ever assumed.
 */
export const CONVENTIONAL_PREFIXES: Readonly<Record<string, string>> = {
  xs: XSD,
  xsd: XSD,
  s: XSD,
  wsdl: "http://schemas.xmlsoap.org/wsdl/",
  soap: "http://schemas.xmlsoap.org/wsdl/soap/",
  soap12: "http://schemas.xmlsoap.org/wsdl/soap12/",
  http: "http://schemas.xmlsoap.org/wsdl/http/",
  mime: "http://schemas.xmlsoap.org/wsdl/mime/",
  soapenc: "http://schemas.xmlsoap.org/soap/encoding/",
  "SOAP-ENC": "http://schemas.xmlsoap.org/soap/encoding/",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
  wsp: "http://schemas.xmlsoap.org/ws/2004/09/policy",
  wsaw: "http://www.w3.org/2006/05/addressing/wsdl",
  wsam: "http://www.w3.org/2007/05/addressing/metadata",
  wsu: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
  wsse: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
  xmime: "http://www.w3.org/2005/05/xmlmime",
};

/** XML Schema drafts from before the 1.0 Recommendation, read as the Recommendation's namespace. */
const DRAFT_XSD = /\bxmlns(?::[^\s=:]+)?\s*=\s*(["'])(http:\/\/www\.w3\.org\/(?:1999|2000\/10)\/XMLSchema)\1/g;

/** Undeclared prefixes a document may use before the lenient reading gives up. */
const MAX_ASSUMED_PREFIXES = 32;

/**
 * Parses XML text; a well-formedness error becomes a located message.
 *
 * Two departures from strict reading, each recorded as an {@link Assumption} (a warning), as
 * other SOAP tools read such files:
 * - a declaration of a draft XML Schema namespace (`http://www.w3.org/2000/10/XMLSchema`,
 *   `http://www.w3.org/1999/XMLSchema`) is read as `http://www.w3.org/2001/XMLSchema`;
 * - an element or attribute prefix that is never declared in scope is bound, on the root element,
 *   to the one namespace the same file binds it to elsewhere, else to its conventional namespace
 *   ({@link CONVENTIONAL_PREFIXES}); any other undeclared prefix stays an error.
 *
 * Both edits are made to the text, so {@link XmlSource.text} (what the server serves) is the
 * namespace-well-formed reading. The draft URI is replaced in place, padded with spaces after
 * its closing quote, so no offset moves; a bound prefix is declared at the end of the root's
 * start tag, so lines never move and columns move only after that point on the root tag's line.
 */
export function parseSource(display: string, text: string): XmlSource | { readonly error: SourceLocation & { readonly message: string } } {
  const original = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const assumptions: Assumption[] = [];
  let body = original.replace(DRAFT_XSD, (match: string, quote: string, uri: string, offset: number) => {
    assumptions.push({
      at: { file: display, ...position(original, offset) },
      message: `${uri} is a draft of XML Schema from before the 1.0 Recommendation; read as ${XSD}`,
      hint: `write ${XSD}`,
    });
    const replaced = match.replace(`${quote}${uri}${quote}`, `${quote}${XSD}${quote}`);
    return replaced + " ".repeat(match.length - replaced.length);
  });
  const normalized = body;
  const bound: string[] = [];
  for (;;) {
    try {
      return new XmlSource(display, body, parseXml(body, { keepWhitespaceText: false }).root, assumptions);
    } catch (e) {
      if (!(e instanceof XmlParseError)) throw e;
      const located = { file: display, line: e.line, column: e.column, message: `malformed XML: ${e.reason}` };
      const undeclared = /^undeclared namespace prefix '([^']+)' on (element|attribute) /.exec(e.reason);
      const insertAt = undeclared === null || bound.length >= MAX_ASSUMED_PREFIXES ? undefined : rootStartTagEnd(body);
      if (undeclared === null || insertAt === undefined) return { error: located };
      const prefix = undeclared[1]!;
      const elsewhere = declarationsOf(normalized, prefix);
      const conventional = Object.hasOwn(CONVENTIONAL_PREFIXES, prefix) ? CONVENTIONAL_PREFIXES[prefix] : undefined;
      let uri: string;
      let why: string;
      if (elsewhere.size === 1) {
        const [only] = elsewhere;
        uri = only![0];
        why = `the namespace this file binds it to elsewhere (line ${only![1]})`;
      } else if (elsewhere.size === 0 && conventional !== undefined) {
        uri = conventional;
        why = "its conventional namespace";
      } else {
        const declared = elsewhere.size > 1 ? `; this file binds it to ${elsewhere.size} different namespaces, so which one is meant is ambiguous` : "";
        return { error: { ...located, message: `${located.message}${declared}` } };
      }
      bound.push(prefix);
      assumptions.push({
        at: { file: display, line: e.line, column: e.column },
        message: `the prefix ${prefix} is used on an ${undeclared[2]} but never declared in scope; assumed xmlns:${prefix}="${uri}", ${why}`,
        hint: `declare xmlns:${prefix}="${uri}" on the root element`,
      });
      body = `${body.slice(0, insertAt)} xmlns:${prefix}="${uri}"${body.slice(insertAt)}`;
    }
  }
}

/** Line and column of an offset, counted as the parser counts them. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * The namespaces a file binds `prefix` to anywhere in its text, each with the first line that
 * does (values with references are skipped: never guessed from).
 */
function declarationsOf(text: string, prefix: string): Map<string, number> {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
  const found = new Map<string, number>();
  for (const m of text.matchAll(new RegExp(`\\sxmlns:${escaped}\\s*=\\s*(["'])([^"'<&]*)\\1`, "g"))) {
    if (!found.has(m[2]!)) found.set(m[2]!, position(text, m.index).line);
  }
  return found;
}

/**
 * The offset of the `>` (or `/>`) that ends the root element's start tag, skipping the XML
 * declaration, comments and processing instructions before it; `undefined` when there is none.
 */
function rootStartTagEnd(text: string): number | undefined {
  let i = 0;
  for (;;) {
    const lt = text.indexOf("<", i);
    if (lt < 0) return undefined;
    if (text.startsWith("<?", lt) || text.startsWith("<!--", lt)) {
      const close = text.startsWith("<?", lt) ? "?>" : "-->";
      const end = text.indexOf(close, lt);
      if (end < 0) return undefined;
      i = end + close.length;
      continue;
    }
    if (text.startsWith("<!", lt)) return undefined;
    let quote = "";
    for (let k = lt + 1; k < text.length; k++) {
      const c = text[k]!;
      if (quote !== "") {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ">") return text[k - 1] === "/" ? k - 1 : k;
    }
    return undefined;
  }
}

/** The offset just past the start tag that begins at `start` (quotes respected). */
export function startTagEnd(text: string, start: number): number {
  let quote = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== "") {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return i + 1;
  }
  return text.length;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Finds an attribute in the start tag of `el` by its qualified name as written. The tag is known
 * to be well-formed (the parser accepted it), so a simple scan is exact.
 */
export function findAttribute(text: string, el: XmlElement, qname: string): AttributeRange | undefined {
  let i = el.start + 1;
  while (i < text.length && !isSpace(text.charCodeAt(i)) && text[i] !== ">" && text[i] !== "/") i++;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length || text[i] === ">" || text[i] === "/") return undefined;
    const nameStart = i;
    while (i < text.length && !isSpace(text.charCodeAt(i)) && text[i] !== "=") i++;
    const name = text.slice(nameStart, i);
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    i++; // '='
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const quote = text[i];
    const valueStart = i + 1;
    const valueEnd = quote === undefined ? -1 : text.indexOf(quote, valueStart);
    if (valueEnd < 0) return undefined;
    if (name === qname) return { nameStart, valueStart, valueEnd };
    i = valueEnd + 1;
  }
}

/** The value of an attribute in no namespace. */
export function attr(el: XmlElement, local: string): string | undefined {
  for (const a of el.attributes) if (a.ns === "" && a.local === local) return a.value;
  return undefined;
}

/** The value of a namespaced attribute. */
export function attrNS(el: XmlElement, ns: string, local: string): string | undefined {
  for (const a of el.attributes) if (a.ns === ns && a.local === local) return a.value;
  return undefined;
}

/** Child elements, in document order. */
export function children(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.kind === "element") out.push(c);
  return out;
}

/** The text content of an element and its descendants. */
export function textContent(el: XmlElement): string {
  let s = "";
  for (const c of el.children) s += c.kind === "text" ? c.value : textContent(c);
  return s;
}

/** `prefix:local` as written, for messages. */
export function writtenName(el: XmlElement): string {
  return el.prefix === "" ? el.local : `${el.prefix}:${el.local}`;
}
