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
  readonly #lineStarts: number[];

  constructor(display: string, text: string, root: XmlElement) {
    this.display = display;
    this.text = text;
    this.root = root;
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

/** Parses XML text; a well-formedness error becomes a located message. */
export function parseSource(display: string, text: string): XmlSource | { readonly error: SourceLocation & { readonly message: string } } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return new XmlSource(display, body, parseXml(body, { keepWhitespaceText: false }).root);
  } catch (e) {
    if (e instanceof XmlParseError) {
      return { error: { file: display, line: e.line, column: e.column, message: `malformed XML: ${e.reason}` } };
    }
    throw e;
  }
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
