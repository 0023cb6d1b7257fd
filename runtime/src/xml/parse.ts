/**
 * A hand-written, single-pass, namespace-aware XML 1.0 parser for untrusted input.
 *
 * Why not a general-purpose library: the SOAP request path parses attacker-controlled bytes on
 * every call, so the parser must be fast (one pass, `charCodeAt`/`indexOf`, slices instead of
 * per-character concatenation) and safe by construction. There is no DTD support at all — any
 * `<!DOCTYPE` is rejected — so entity expansion attacks (billion laughs) and external entities
 * (XXE) cannot happen; only the five predefined entities and character references are expanded.
 *
 * Conformance: XML 1.0 Fifth Edition well-formedness plus Namespaces in XML 1.0 (namespace
 * well-formedness and the QName / NCName rules). Everything else is an error: the parser never
 * "recovers". Deliberate restrictions beyond the specs: only `version="1.0"` and UTF-8 (or no)
 * encoding declarations are accepted, and documents larger than the configured limits
 * (depth, attributes per element, name length) are rejected.
 *
 * Input is a JavaScript string, i.e. the caller has already decoded the bytes (as UTF-8: that is
 * why any other declared encoding is refused rather than silently misread).
 */

import type {
  XmlAttribute,
  XmlDocument,
  XmlElement,
  XmlNamespaceDeclaration,
  XmlNode,
  XmlText,
} from "./node.ts";
import {
  ASCII_NAME,
  XML_NAMESPACE,
  XMLNS_NAMESPACE,
  describeCodePoint,
  findInvalidChar,
  isNameCode,
  isValidNamespaceName,
  scanNCName,
} from "./names.ts";

/** Limits and text handling for {@link parseXml}. */
export interface ParseOptions {
  /** Maximum element nesting depth (the root is depth 1). Default 256. */
  readonly maxDepth?: number;
  /** Maximum attribute specifications per start tag, namespace declarations included. Default 256. */
  readonly maxAttributes?: number;
  /** Maximum length of an element or attribute qualified name, in UTF-16 code units. Default: no limit. */
  readonly maxNameLength?: number;
  /**
   * Keep whitespace-only text nodes. Default `true`: every character of content is kept, which
   * the codec needs (a simple element's value may legitimately be `" "`). With `false`,
   * whitespace-only text is dropped only from elements that also have element children (i.e.
   * indentation between tags); a whitespace-only value of a text-only element is still kept.
   */
  readonly keepWhitespaceText?: boolean;
  /**
   * Processing instructions: `"drop"` (default) skips them after checking their syntax;
   * `"refuse"` makes any of them an error, as for SOAP messages, which carry none (SOAP 1.1 §3).
   * Refusing matters under a signature: exclusive C14N digests a PI inside a signed element, the
   * tree does not keep it, so dropping one would let it ride along unsigned in archived bytes.
   */
  readonly processingInstructions?: "drop" | "refuse";
}

/**
 * A well-formedness or namespace error. `offset` indexes the parsed string; `line` and `column`
 * are 1-based (line ends are LF, CRLF or CR; columns count UTF-16 code units).
 */
export class XmlParseError extends Error {
  override readonly name = "XmlParseError";
  /** 1-based line of the error. */
  readonly line: number;
  /** 1-based column of the error, in UTF-16 code units. */
  readonly column: number;
  /** Offset of the error in the parsed string. */
  readonly offset: number;
  /** The message without the `line L, column C: ` prefix. */
  readonly reason: string;

  constructor(reason: string, offset: number, line: number, column: number) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.reason = reason;
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

/** Element as built by the parser; the public interface exposes it read-only. */
interface BuildElement {
  readonly kind: "element";
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly attributes: readonly XmlAttribute[];
  readonly namespaces: readonly XmlNamespaceDeclaration[];
  children: readonly XmlNode[];
  readonly parent: XmlElement | undefined;
  readonly start: number;
  end: number;
  readonly line: number;
  readonly column: number;
}

// Shared empty arrays keep attribute-less, childless elements allocation-free; frozen so that a
// consumer casting away `readonly` cannot corrupt every other element.
const NO_NODES: readonly XmlNode[] = Object.freeze([]);
const NO_ATTRIBUTES: readonly XmlAttribute[] = Object.freeze([]);
const NO_NAMESPACES: readonly XmlNamespaceDeclaration[] = Object.freeze([]);

const LT = 0x3c;
/**
 * Characters of a text run that need no handling: everything but `<`, `&`, `]`, CR, the
 * control characters XML forbids, surrogates (checked in pairs by the loop) and U+FFFE/U+FFFF.
 * Sticky; it always matches (possibly empty), leaving `lastIndex` at the next character to look at.
 */
const PLAIN_TEXT_RUN = /[^<&\]\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*/y;
/**
 * The same for attribute values in double and single quotes: everything but the quote, `<`, `&`,
 * TAB/LF/CR (normalized), the other control characters, surrogates and U+FFFE/U+FFFF.
 */
const PLAIN_ATTRIBUTE_RUN_QUOT = /[^"<&\x00-\x1f\ud800-\udfff\ufffe\uffff]*/y;
const PLAIN_ATTRIBUTE_RUN_APOS = /[^'<&\x00-\x1f\ud800-\udfff\ufffe\uffff]*/y;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const EQUALS = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const SPACE = 0x20;

// Namespace names already found valid. A peer declares the same few namespaces on every
// message; checking one costs regular-expression scans. Bounded in count and length, so that
// hostile input can only make the memo useless, never large.
const validNamespaceNames = new Set<string>();
const MEMO_NAMESPACES = 64;
const MEMO_NAMESPACE_LENGTH = 256;

// The last few found valid, compared as strings first: cheaper than hashing a new slice.
const recentNamespaceNames: string[] = [];

/** Whether a namespace name is a URI reference, as {@link isValidNamespaceName} says (remembering the few a peer sends every time). */
export function isValidNamespace(uri: string): boolean {
  for (let i = 0; i < recentNamespaceNames.length; i++) if (recentNamespaceNames[i] === uri) return true;
  if (validNamespaceNames.has(uri)) {
    if (recentNamespaceNames.length < 4) recentNamespaceNames.push(uri);
    return true;
  }
  if (!isValidNamespaceName(uri)) return false;
  if (validNamespaceNames.size < MEMO_NAMESPACES && uri.length <= MEMO_NAMESPACE_LENGTH) validNamespaceNames.add(uri);
  return true;
}

function isS(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

/** XML 1.0 Char production for a code point (used for character references). */
function isXmlChar(cp: number): boolean {
  return cp >= 0x20
    ? cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
    : cp === TAB || cp === LF || cp === CR;
}

/** 1-based line and column of `offset`, counting LF, CRLF and lone CR as one line end each. */
function lineColumnAt(s: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = Math.min(offset, s.length);
  for (let i = lineStart; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) {
      line++;
      lineStart = i + 1;
    } else if (c === CR) {
      if (s.charCodeAt(i + 1) === LF && i + 1 < end) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Working storage of a parse: the namespace undo log, the attributes of the start tag at hand
 * and the stack of open elements. Handed from one parse to the next (parsing is synchronous and
 * calls out to nothing), so that a parse allocates little besides its tree (4.7 -> 2.8 KB for
 * the benchmark request); written by index, never shrunk by pop(), so that the arrays keep their
 * capacity. (The scope map itself is made anew: a reused one slows down with deleted entries.)
 */
class Scratch {
  readonly undoPrefix: string[] = [];
  readonly undoUri: (string | undefined)[] = [];
  readonly attQName: string[] = [];
  readonly attColon: number[] = [];
  readonly attValue: string[] = [];
  readonly attOffset: number[] = [];
  /** Open elements, and the offsets of their qualified names and undo-log heights, by depth. */
  readonly open: BuildElement[] = [];
  readonly nameStart: number[] = [];
  readonly nameEnd: number[] = [];
  readonly marks: number[] = [];

  /** Forgets the last document: no string or node of it stays reachable from here. */
  reset(bindings: number, attributes: number, depth: number): void {
    const { undoPrefix, undoUri, attQName, attValue, open } = this;
    for (let i = 0; i < bindings; i++) {
      undoPrefix[i] = "";
      undoUri[i] = undefined;
    }
    for (let i = 0; i < attributes; i++) {
      attQName[i] = "";
      attValue[i] = "";
    }
    for (let i = 0; i < depth; i++) open[i] = EMPTY_ELEMENT;
  }
}

/** Stands in the open-element stack between parses (keeps the array's element kind). */
const EMPTY_ELEMENT: BuildElement = { kind: "element", ns: "", local: "", prefix: "", attributes: [], namespaces: [], children: [], parent: undefined, start: 0, end: 0, line: 0, column: 0 };

let spareScratch: Scratch | undefined;
const SCRATCH_KEPT = 1024;

class Parser {
  private readonly s: string;
  private readonly n: number;
  private readonly maxDepth: number;
  private readonly maxAttributes: number;
  private readonly maxNameLength: number;
  private readonly refusePIs: boolean;
  private readonly keepWhitespace: boolean;

  /** Position after the construct most recently parsed by a helper that returns a value. */
  private pos = 0;
  /** Offset where the document starts (1 when a BOM is present). */
  private docStart = 0;
  /** Index of the ':' in the qualified name last scanned by scanQName, or -1. */
  private colon = -1;

  // Namespace scope: a map of the bindings in effect plus an undo log. Each open element
  // remembers the log height at its start; closing it unwinds back, restoring what its
  // declarations shadowed. A map (rather than walking a chain) keeps lookups O(1) even when
  // hostile input piles up thousands of declarations over its ancestors.
  private readonly scope: Map<string, string>;
  // (The scope starts with the one binding every document has.)
  private readonly undoPrefix: string[];
  private readonly undoUri: (string | undefined)[];
  private bindCount = 0;
  /** Most bindings in effect at once, most attributes on one tag, deepest nesting: what Scratch.reset clears. */
  maxBindings = 0;
  maxAttributesSeen = 0;
  maxDepthSeen = 0;

  // Storage for the attributes of the start tag being parsed (reused across tags).
  private readonly attQName: string[];
  private readonly attColon: number[];
  private readonly attValue: string[];
  private readonly attOffset: number[];
  private readonly scratch: Scratch;

  // Incremental line tracking for element positions. Element starts only move forward, so
  // the total work is one pass; `nextNewline` caches the next LF so single-line documents
  // (the usual shape of a SOAP message on the wire) do not rescan.
  private readonly hasCR: boolean;
  private line = 1;
  private lineStart = 0;
  private linePos = 0;
  private nextNewline: number;

  constructor(s: string, options: ParseOptions | undefined, scratch: Scratch) {
    this.scratch = scratch;
    this.scope = new Map<string, string>().set("xml", XML_NAMESPACE);
    this.undoPrefix = scratch.undoPrefix;
    this.undoUri = scratch.undoUri;
    this.attQName = scratch.attQName;
    this.attColon = scratch.attColon;
    this.attValue = scratch.attValue;
    this.attOffset = scratch.attOffset;
    this.s = s;
    this.n = s.length;
    this.maxDepth = options?.maxDepth ?? 256;
    this.maxAttributes = options?.maxAttributes ?? 256;
    this.maxNameLength = options?.maxNameLength ?? Infinity;
    this.keepWhitespace = options?.keepWhitespaceText ?? true;
    this.refusePIs = options?.processingInstructions === "refuse";
    this.hasCR = s.indexOf("\r") !== -1;
    const nl = s.indexOf("\n");
    this.nextNewline = nl === -1 ? this.n : nl;
  }

  private fail(reason: string, offset: number): never {
    const { line, column } = lineColumnAt(this.s, offset);
    throw new XmlParseError(reason, offset, line, column);
  }

  parseDocument(): XmlDocument {
    const s = this.s;
    let i = 0;
    if (s.charCodeAt(0) === 0xfeff) {
      i = 1;
      this.docStart = 1;
      this.lineStart = 1;
      this.linePos = 1;
    }
    if (s.startsWith("<?xml", i) && isS(s.charCodeAt(i + 5))) i = this.parseXmlDeclaration(i);
    i = this.skipMisc(i, true);
    const root = this.parseElementTree(i);
    this.skipMisc(this.pos, false);
    return { root };
  }

  /** Parses `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` at `i`; returns the position after it. */
  private parseXmlDeclaration(i: number): number {
    const s = this.s;
    let k = this.skipS(i + 5);
    if (!s.startsWith("version", k)) this.fail("the XML declaration must start with version=\"1.0\"", k);
    k = this.parseEq(k + 7);
    const version = this.declValue(k);
    if (version !== "1.0") this.fail(`XML version ${JSON.stringify(version)} is not supported; only 1.0 is`, k);
    k = this.pos;
    let ws = this.skipS(k);
    if (ws > k && s.startsWith("encoding", ws)) {
      k = this.parseEq(ws + 8);
      const encoding = this.declValue(k);
      if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(encoding)) this.fail(`malformed encoding name ${JSON.stringify(encoding)}`, k);
      if (encoding.toLowerCase() !== "utf-8") this.fail(`encoding ${encoding} is not supported; send UTF-8`, k);
      k = this.pos;
      ws = this.skipS(k);
    }
    if (ws > k && s.startsWith("standalone", ws)) {
      k = this.parseEq(ws + 10);
      const standalone = this.declValue(k);
      if (standalone !== "yes" && standalone !== "no") this.fail(`standalone must be "yes" or "no", not ${JSON.stringify(standalone)}`, k);
      k = this.pos;
      ws = this.skipS(k);
    }
    if (!s.startsWith("?>", ws)) this.fail("malformed XML declaration: expected '?>'", ws);
    return ws + 2;
  }

  private parseEq(k: number): number {
    k = this.skipS(k);
    if (this.s.charCodeAt(k) !== EQUALS) this.fail("expected '='", k);
    return this.skipS(k + 1);
  }

  /** A quoted pseudo-attribute value of the XML declaration (no references allowed there). */
  private declValue(k: number): string {
    const q = this.s.charCodeAt(k);
    if (q !== QUOT && q !== APOS) this.fail("expected a quoted value", k);
    const end = this.s.indexOf(q === QUOT ? '"' : "'", k + 1);
    if (end === -1) this.fail("unterminated value in the XML declaration", k);
    this.pos = end + 1;
    return this.s.slice(k + 1, end);
  }

  private skipS(k: number): number {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(k);
      if (c === SPACE || c === LF || c === TAB || c === CR) k++;
      else return k;
    }
  }

  /**
   * Skips Misc (whitespace, comments, PIs) before or after the root. Before the root, returns
   * the offset of the root's `<`; after it, requires the end of input.
   */
  private skipMisc(i: number, beforeRoot: boolean): number {
    const s = this.s;
    const n = this.n;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === LF || c === TAB || c === CR) {
        i++;
        continue;
      }
      if (c === LT) {
        const c2 = s.charCodeAt(i + 1);
        if (c2 === QUESTION) {
          i = this.skipPI(i);
          continue;
        }
        if (c2 === BANG) {
          if (s.startsWith("<!--", i)) {
            i = this.skipComment(i);
            continue;
          }
          if (s.startsWith("<!DOCTYPE", i)) {
            this.fail("DOCTYPE is not allowed: this parser accepts no DTDs and no entity declarations", i);
          }
          if (s.startsWith("<![CDATA[", i)) this.fail("CDATA section outside the root element", i);
          this.fail("malformed markup declaration", i);
        }
        if (c2 === SLASH) this.fail("end tag without a matching start tag", i);
        if (beforeRoot) return i;
        this.fail("only one root element is allowed", i);
      }
      if (c === AMP) this.fail("reference outside the root element", i);
      this.fail(beforeRoot ? "text is not allowed before the root element" : "text is not allowed after the root element", i);
    }
    if (beforeRoot) this.fail("no root element", i);
    return i;
  }

  private skipComment(i: number): number {
    const s = this.s;
    const end = s.indexOf("--", i + 4);
    if (end === -1) this.fail("unterminated comment", i);
    if (s.charCodeAt(end + 2) !== GT) this.fail("'--' is not allowed inside a comment", end);
    const bad = findInvalidChar(s, i + 4, end);
    if (bad !== -1) this.fail(`character ${describeCodePoint(s, bad)} is not allowed in XML`, bad);
    return end + 3;
  }

  private skipPI(i: number): number {
    const s = this.s;
    const len = scanNCName(s, i + 2);
    if (len === 0) this.fail("expected a processing instruction target", i + 2);
    const k = i + 2 + len;
    if (s.charCodeAt(k) === COLON) this.fail("colons are not allowed in processing instruction targets", k);
    const target = s.slice(i + 2, k);
    if (len === 3 && target.toLowerCase() === "xml") {
      this.fail(
        target === "xml"
          ? i === this.docStart
            ? "malformed XML declaration: expected whitespace and version=\"1.0\""
            : "the XML declaration is allowed only at the very start of the document"
          : `processing instruction target '${target}' is reserved`,
        i,
      );
    }
    if (this.refusePIs) this.fail(`processing instruction <?${target} ...?> is not allowed: a SOAP message carries none (SOAP 1.1 section 3)`, i);
    if (s.charCodeAt(k) === QUESTION && s.charCodeAt(k + 1) === GT) return k + 2;
    if (!isS(s.charCodeAt(k))) this.fail("expected whitespace after the processing instruction target", k);
    const end = s.indexOf("?>", k);
    if (end === -1) this.fail("unterminated processing instruction", i);
    const bad = findInvalidChar(s, k, end);
    if (bad !== -1) this.fail(`character ${describeCodePoint(s, bad)} is not allowed in XML`, bad);
    return end + 2;
  }

  /**
   * Scans a QName at `j` and returns its end; sets `this.colon`. Enforces the Namespaces rules:
   * at most one colon, non-empty prefix and local part, both NCNames.
   */
  private scanQName(j: number, what: string): number {
    const s = this.s;
    // Fast path for all-ASCII names, which is nearly every name in practice. Anything unusual
    // (non-ASCII, a misplaced colon, end of input) falls through to the general path below,
    // which also produces the error messages.
    let c = s.charCodeAt(j);
    if (c < 0x80 && (ASCII_NAME[c]! & 1) !== 0) {
      let k = j + 1;
      let colon = -1;
      for (;;) {
        c = s.charCodeAt(k);
        if (c < 0x80 && (ASCII_NAME[c]! & 2) !== 0) {
          k++;
        } else if (c === COLON && colon < 0 && (ASCII_NAME[s.charCodeAt(k + 1)]! & 1) !== 0) {
          colon = k;
          k += 2;
        } else {
          break;
        }
      }
      if (c < 0x80 && c !== COLON && k - j <= this.maxNameLength) {
        this.colon = colon;
        return k;
      }
    }
    const len1 = scanNCName(s, j);
    if (len1 === 0) {
      if (s.charCodeAt(j) === COLON) this.fail(`${what} name has an empty namespace prefix`, j);
      this.fail(`expected ${what} name`, j);
    }
    let k = j + len1;
    if (s.charCodeAt(k) === COLON) {
      const len2 = scanNCName(s, k + 1);
      if (len2 === 0) {
        const c = s.charCodeAt(k + 1);
        if (c === COLON) this.fail(`${what} name has more than one colon`, k + 1);
        this.fail(`${what} name '${s.slice(j, k + 1)}' has an empty or invalid local part`, k + 1);
      }
      this.colon = k;
      k += 1 + len2;
      if (s.charCodeAt(k) === COLON) this.fail(`${what} name has more than one colon`, k);
    } else {
      this.colon = -1;
    }
    if (k - j > this.maxNameLength) this.fail(`${what} name is longer than ${this.maxNameLength} characters`, j);
    return k;
  }

  private lookup(prefix: string): string | undefined {
    return this.scope.get(prefix);
  }

  private bind(prefix: string, uri: string): void {
    const b = this.bindCount++;
    if (b >= this.maxBindings) this.maxBindings = b + 1;
    this.undoPrefix[b] = prefix;
    this.undoUri[b] = this.scope.get(prefix);
    this.scope.set(prefix, uri);
  }

  /** Removes the bindings made since the undo log had height `mark`. */
  private unwind(mark: number): void {
    const scope = this.scope;
    for (let b = this.bindCount - 1; b >= mark; b--) {
      const prefix = this.undoPrefix[b]!;
      const previous = this.undoUri[b];
      if (previous === undefined) scope.delete(prefix);
      else scope.set(prefix, previous);
    }
    this.bindCount = mark;
  }

  /** Advances the incremental line tracker to `offset` (never backwards). */
  private trackLines(offset: number): void {
    if (!this.hasCR) {
      let nl = this.nextNewline;
      if (nl >= offset) return;
      const s = this.s;
      let line = this.line;
      let lineStart = this.lineStart;
      while (nl < offset) {
        line++;
        lineStart = nl + 1;
        nl = s.indexOf("\n", lineStart);
        if (nl === -1) nl = this.n;
      }
      this.line = line;
      this.lineStart = lineStart;
      this.nextNewline = nl;
      return;
    }
    const s = this.s;
    for (let p = this.linePos; p < offset; p++) {
      const c = s.charCodeAt(p);
      if (c === LF) {
        this.line++;
        this.lineStart = p + 1;
      } else if (c === CR) {
        if (s.charCodeAt(p + 1) === LF) p++;
        this.line++;
        this.lineStart = p + 1;
      }
    }
    this.linePos = offset;
  }

  /** Parses a character or entity reference at `i` (the `&`); sets `this.pos` past the `;`. */
  private parseReference(i: number): string {
    const s = this.s;
    const c = s.charCodeAt(i + 1);
    if (c === 0x23 /* # */) {
      const hex = s.charCodeAt(i + 2) === 0x78; /* x */
      let j = hex ? i + 3 : i + 2;
      const digitsStart = j;
      let cp = 0;
      for (;;) {
        const d = s.charCodeAt(j);
        let v: number;
        if (d >= 0x30 && d <= 0x39) v = d - 0x30;
        else if (hex && d >= 0x61 && d <= 0x66) v = d - 0x57;
        else if (hex && d >= 0x41 && d <= 0x46) v = d - 0x37;
        else break;
        // Saturate instead of overflowing so that huge references are still rejected below.
        cp = cp > 0x10ffff ? cp : cp * (hex ? 16 : 10) + v;
        j++;
      }
      if (j === digitsStart || s.charCodeAt(j) !== 0x3b /* ; */) this.fail("malformed character reference", i);
      if (!isXmlChar(cp)) this.fail(`character reference ${s.slice(i, j + 1)} is not an allowed XML character`, i);
      this.pos = j + 1;
      return String.fromCodePoint(cp);
    }
    const len = scanNCName(s, i + 1);
    if (len === 0) this.fail("'&' must start an entity or character reference (write it as &amp;)", i);
    const j = i + 1 + len;
    if (s.charCodeAt(j) !== 0x3b /* ; */) this.fail("malformed entity reference: expected ';'", j);
    this.pos = j + 1;
    switch (s.slice(i + 1, j)) {
      case "lt": return "<";
      case "gt": return ">";
      case "amp": return "&";
      case "quot": return '"';
      case "apos": return "'";
      default: return this.fail(`undeclared entity ${s.slice(i, j + 1)} (only the five predefined entities are allowed)`, i);
    }
  }

  /** Parses an attribute value whose opening quote is at `k - 1`; sets `this.pos` past the closing quote. */
  private parseAttributeValue(k: number, quote: number): string {
    const s = this.s;
    const n = this.n;
    let runStart = k;
    let buf = "";
    for (;;) {
      if (k >= n) this.fail("unterminated attribute value", runStart);
      const c = s.charCodeAt(k);
      if (c === quote) break;
      if (c >= SPACE) {
        if (c === LT) this.fail("'<' is not allowed in an attribute value (write it as &lt;)", k);
        if (c === AMP) {
          buf += s.slice(runStart, k) + this.parseReference(k);
          k = runStart = this.pos;
          continue;
        }
        if (c >= 0xd800) {
          if (c <= 0xdbff) {
            const d = s.charCodeAt(k + 1);
            if (!(d >= 0xdc00 && d <= 0xdfff)) this.fail(`character ${describeCodePoint(s, k)} is not allowed in XML`, k);
            k += 2;
            continue;
          }
          if (c <= 0xdfff || c >= 0xfffe) this.fail(`character ${describeCodePoint(s, k)} is not allowed in XML`, k);
        }
        k++;
        // A long value (a URI of WS-Security): let the regex engine cross what needs no attention.
        if (k - runStart === 24) {
          const run = quote === QUOT ? PLAIN_ATTRIBUTE_RUN_QUOT : PLAIN_ATTRIBUTE_RUN_APOS;
          run.lastIndex = k;
          run.test(s);
          k = run.lastIndex;
        }
        continue;
      }
      // Attribute-value normalization (XML 1.0 §3.3.3): literal TAB, LF, CR and CRLF become one space.
      if (c === TAB || c === LF) {
        buf += s.slice(runStart, k) + " ";
        runStart = ++k;
      } else if (c === CR) {
        buf += s.slice(runStart, k) + " ";
        k++;
        if (s.charCodeAt(k) === LF) k++;
        runStart = k;
      } else {
        this.fail(`character ${describeCodePoint(s, k)} is not allowed in XML`, k);
      }
    }
    this.pos = k + 1;
    // References and normalization never produce "", so an empty buffer means a plain slice.
    return buf === "" ? s.slice(runStart, k) : buf + s.slice(runStart, k);
  }

  /** Whether the start tag last parsed was an empty-element tag (`<a/>`). */
  private emptyTag = false;
  /** End offset of the qualified name of the start tag last parsed. */
  private nameEnd = 0;

  /**
   * Parses a start tag at `i` (the `<`) and pushes its namespace bindings. Returns the element;
   * sets `this.pos` past the `>`, `this.emptyTag` and `this.nameEnd`.
   */
  private parseStartTag(i: number, parent: BuildElement | undefined): BuildElement {
    const s = this.s;
    const nameEnd = this.scanQName(i + 1, "element");
    this.nameEnd = nameEnd;
    const elColon = this.colon;
    let k = nameEnd;
    let count = 0;
    const attQName = this.attQName;
    const attColon = this.attColon;
    const attValue = this.attValue;
    const attOffset = this.attOffset;
    let hasDecl = false;
    for (;;) {
      const before = k;
      k = this.skipS(k);
      const c = s.charCodeAt(k);
      if (c === GT) {
        this.emptyTag = false;
        k++;
        break;
      }
      if (c === SLASH) {
        if (s.charCodeAt(k + 1) !== GT) this.fail("expected '>' after '/' in a start tag", k + 1);
        this.emptyTag = true;
        k += 2;
        break;
      }
      if (k >= this.n) this.fail("unexpected end of input inside a start tag", k);
      if (k === before) this.fail("expected whitespace, '>' or '/>' in a start tag", k);
      const attEnd = this.scanQName(k, "attribute");
      if (count >= this.maxAttributes) this.fail(`too many attributes (the limit is ${this.maxAttributes})`, k);
      const qname = s.slice(k, attEnd);
      attQName[count] = qname;
      attColon[count] = this.colon < 0 ? -1 : this.colon - k;
      attOffset[count] = k;
      if (qname.charCodeAt(0) === 0x78 /* x */ && qname.startsWith("xmlns") && (qname.length === 5 || this.colon - k === 5)) {
        hasDecl = true;
      }
      k = this.parseEq(attEnd);
      const q = s.charCodeAt(k);
      if (q !== QUOT && q !== APOS) this.fail("expected a quoted attribute value", k);
      attValue[count] = this.parseAttributeValue(k + 1, q);
      k = this.pos;
      count++;
    }
    this.pos = k;
    if (count > this.maxAttributesSeen) this.maxAttributesSeen = count;

    // Namespace declarations first: they apply to the element's own name and attributes.
    let namespaces = NO_NAMESPACES;
    if (hasDecl) {
      const decls: XmlNamespaceDeclaration[] = [];
      for (let a = 0; a < count; a++) {
        const qname = attQName[a]!;
        const colon = attColon[a]!;
        let prefix: string;
        if (qname === "xmlns") prefix = "";
        else if (colon === 5 && qname.startsWith("xmlns")) prefix = qname.slice(6);
        else continue;
        const uri = attValue[a]!;
        const at = attOffset[a]!;
        if (prefix === "xmlns") this.fail("the xmlns prefix must not be declared", at);
        if (prefix === "xml") {
          if (uri !== XML_NAMESPACE) this.fail(`the xml prefix must not be bound to any namespace other than ${XML_NAMESPACE}`, at);
        } else {
          if (uri === XML_NAMESPACE) this.fail(`the namespace ${XML_NAMESPACE} must not be bound to any prefix other than xml`, at);
          if (uri === "" && prefix !== "") this.fail(`xmlns:${prefix}="" is not allowed: Namespaces in XML 1.0 cannot undeclare a prefix`, at);
        }
        if (uri === XMLNS_NAMESPACE) this.fail(`the namespace ${XMLNS_NAMESPACE} must not be declared`, at);
        if (!isValidNamespace(uri)) this.fail(`namespace name ${JSON.stringify(uri)} is not a valid URI reference`, at);
        this.bind(prefix, uri);
        decls.push({ prefix, uri });
      }
      namespaces = decls;
    }

    let prefix = "";
    let local: string;
    let ns: string;
    if (elColon < 0) {
      local = s.slice(i + 1, nameEnd);
      ns = this.lookup("") ?? "";
    } else {
      prefix = s.slice(i + 1, elColon);
      local = s.slice(elColon + 1, nameEnd);
      if (prefix === "xmlns") this.fail("element names must not use the xmlns prefix", i + 1);
      const uri = this.lookup(prefix);
      if (uri === undefined) this.fail(`undeclared namespace prefix '${prefix}' on element <${prefix}:${local}>`, i + 1);
      ns = uri;
    }

    let attributes = NO_ATTRIBUTES;
    if (count > 0) {
      // Unique Att Spec (XML 1.0 §3.1): no attribute name, declarations included, appears twice.
      if (count <= 16) {
        for (let a = 1; a < count; a++) {
          const qa = attQName[a]!;
          for (let b = 0; b < a; b++) {
            if (attQName[b] === qa) this.fail(`duplicate attribute ${qa}`, attOffset[a]!);
          }
        }
      } else {
        const seen = new Set<string>();
        for (let a = 0; a < count; a++) {
          const qa = attQName[a]!;
          if (seen.has(qa)) this.fail(`duplicate attribute ${qa}`, attOffset[a]!);
          seen.add(qa);
        }
      }
      const list: XmlAttribute[] = [];
      let prefixed = 0;
      for (let a = 0; a < count; a++) {
        const qname = attQName[a]!;
        const colon = attColon[a]!;
        if (colon < 0) {
          if (qname === "xmlns") continue;
          list.push({ ns: "", local: qname, prefix: "", value: attValue[a]! });
          continue;
        }
        const p = qname.slice(0, colon);
        if (p === "xmlns") continue;
        const uri = this.lookup(p);
        if (uri === undefined) this.fail(`undeclared namespace prefix '${p}' on attribute ${qname}`, attOffset[a]!);
        list.push({ ns: uri, local: qname.slice(colon + 1), prefix: p, value: attValue[a]! });
        prefixed++;
      }
      // Namespaces in XML 1.0 §6.3: no two attributes with the same expanded name. Only
      // prefixed pairs can collide here, since equal unprefixed names were caught above.
      if (prefixed > 16) {
        const seen = new Set<string>();
        for (const x of list) {
          if (x.prefix === "") continue;
          const key = x.local + " " + x.ns;
          if (seen.has(key)) {
            const first = list.find((y) => y.prefix !== "" && y.local === x.local && y.ns === x.ns)!;
            this.fail(`duplicate attribute {${x.ns}}${x.local} (written as ${first.prefix}:${first.local} and ${x.prefix}:${x.local})`, i);
          }
          seen.add(key);
        }
      } else if (prefixed > 1) {
        for (let a = 1; a < list.length; a++) {
          const x = list[a]!;
          if (x.prefix === "") continue;
          for (let b = 0; b < a; b++) {
            const y = list[b]!;
            if (y.prefix !== "" && y.local === x.local && y.ns === x.ns) {
              this.fail(`duplicate attribute {${x.ns}}${x.local} (written as ${y.prefix}:${y.local} and ${x.prefix}:${x.local})`, i);
            }
          }
        }
      }
      if (list.length > 0) attributes = list;
    }

    this.trackLines(i);
    return {
      kind: "element",
      ns,
      local,
      prefix,
      attributes,
      namespaces,
      children: NO_NODES,
      parent: parent as XmlElement | undefined,
      start: i,
      end: -1,
      line: this.line,
      column: i - this.lineStart + 1,
    };
  }

  /** Parses the root element at `i` and everything inside it; sets `this.pos` past its end. */
  private parseElementTree(i: number): XmlElement {
    const s = this.s;
    const n = this.n;
    if (this.maxDepth < 1) this.fail(`maximum element depth ${this.maxDepth} exceeded`, i);
    const root = this.parseStartTag(i, undefined);
    if (this.emptyTag) {
      root.end = this.pos;
      return root;
    }
    // Open elements by depth (root at 0). Start-tag names are kept as offsets into `s`: end tags
    // are compared in place, so no name string is materialized just for matching.
    const { open, nameStart, nameEnd: nameEnds, marks } = this.scratch;
    let depth = 0;
    open[0] = root;
    nameStart[0] = i + 1;
    nameEnds[0] = this.nameEnd;
    marks[0] = 0;
    this.maxDepthSeen = 1;
    let cur = root;
    // Character data since the last tag: `pending` holds text already materialized (from
    // references, CR normalization, CDATA), merged across comments and PIs.
    let pending = "";
    i = this.pos;

    for (;;) {
      let runStart = i;
      // Text run: stop at '<'; expand references; normalize CR; validate characters.
      for (;;) {
        if (i >= n) {
          const qname = s.slice(nameStart[depth], nameEnds[depth]);
          this.fail(`unexpected end of input: element <${qname}> (line ${cur.line}, column ${cur.column}) is not closed`, n);
        }
        const c = s.charCodeAt(i);
        if (c === LT) break;
        if (c >= SPACE) {
          if (c === AMP) {
            pending += s.slice(runStart, i) + this.parseReference(i);
            i = runStart = this.pos;
            continue;
          }
          if (c === RBRACKET) {
            if (s.charCodeAt(i + 1) === RBRACKET && s.charCodeAt(i + 2) === GT) this.fail("']]>' is not allowed in text", i);
          } else if (c >= 0xd800) {
            if (c <= 0xdbff) {
              const d = s.charCodeAt(i + 1);
              if (!(d >= 0xdc00 && d <= 0xdfff)) this.fail(`character ${describeCodePoint(s, i)} is not allowed in XML`, i);
              i += 2;
              continue;
            }
            if (c <= 0xdfff || c >= 0xfffe) this.fail(`character ${describeCodePoint(s, i)} is not allowed in XML`, i);
          }
          i++;
          // A long run (base64 of a certificate or a signature): let the regex engine cross the
          // characters that need no attention, up to the next one the loop must look at.
          if (i - runStart === 32) {
            PLAIN_TEXT_RUN.lastIndex = i;
            PLAIN_TEXT_RUN.test(s);
            i = PLAIN_TEXT_RUN.lastIndex;
          }
          continue;
        }
        if (c === LF || c === TAB) {
          i++;
        } else if (c === CR) {
          // End-of-line handling (XML 1.0 §2.11): CRLF and lone CR become LF.
          pending += s.slice(runStart, i) + "\n";
          i++;
          if (s.charCodeAt(i) === LF) i++;
          runStart = i;
        } else {
          this.fail(`character ${describeCodePoint(s, i)} is not allowed in XML`, i);
        }
      }
      if (i > runStart) pending = pending === "" ? s.slice(runStart, i) : pending + s.slice(runStart, i);

      // Markup at i.
      const c2 = s.charCodeAt(i + 1);
      if (c2 === BANG) {
        if (s.startsWith("<!--", i)) {
          i = this.skipComment(i);
          continue;
        }
        if (s.startsWith("<![CDATA[", i)) {
          const end = s.indexOf("]]>", i + 9);
          if (end === -1) this.fail("unterminated CDATA section", i);
          const bad = findInvalidChar(s, i + 9, end);
          if (bad !== -1) this.fail(`character ${describeCodePoint(s, bad)} is not allowed in XML`, bad);
          let data = s.slice(i + 9, end);
          if (data.indexOf("\r") !== -1) data = data.replace(/\r\n?/g, "\n");
          pending += data;
          i = end + 3;
          continue;
        }
        if (s.startsWith("<!DOCTYPE", i)) {
          this.fail("DOCTYPE is not allowed: this parser accepts no DTDs and no entity declarations", i);
        }
        this.fail("malformed markup declaration", i);
      }
      if (c2 === QUESTION) {
        i = this.skipPI(i);
        continue;
      }

      if (pending !== "") {
        const t: XmlText = { kind: "text", value: pending };
        if (cur.children === NO_NODES) cur.children = [t];
        else (cur.children as XmlNode[]).push(t);
        pending = "";
      }

      if (c2 === SLASH) {
        // End tag: must repeat the start tag's qualified name exactly.
        // Compare in place with the start tag's name; the name must end right there.
        const startEnd = nameEnds[depth]!;
        const startBegin = nameStart[depth]!;
        let a = startBegin;
        let b = i + 2;
        while (a < startEnd && s.charCodeAt(a) === s.charCodeAt(b)) {
          a++;
          b++;
        }
        let c = s.charCodeAt(b);
        const nameGoesOn = c < 0x80 ? (ASCII_NAME[c]! & 2) !== 0 || c === COLON : c >= 0x80 && (isNameCode(c) || (c >= 0xd800 && c <= 0xdb7f));
        if (a !== startEnd || nameGoesOn) {
          const nameEnd = this.scanQName(i + 2, "end tag");
          this.fail(`end tag </${s.slice(i + 2, nameEnd)}> does not match start tag <${s.slice(startBegin, startEnd)}>`, i);
        }
        const k = c === GT ? b : this.skipS(b);
        c = s.charCodeAt(k);
        if (c !== GT) this.fail(`expected '>' to close end tag </${s.slice(startBegin, startEnd)}>`, k);
        i = k + 1;
        cur.end = i;
        if (!this.keepWhitespace) dropIndentation(cur);
        this.unwind(marks[depth]!);
        if (depth === 0) {
          this.pos = i;
          return root;
        }
        depth--;
        cur = open[depth]!;
        continue;
      }

      if (depth + 1 >= this.maxDepth) this.fail(`maximum element depth ${this.maxDepth} exceeded`, i);
      const mark = this.bindCount;
      const el = this.parseStartTag(i, cur);
      if (cur.children === NO_NODES) cur.children = [el];
      else (cur.children as XmlNode[]).push(el);
      if (this.emptyTag) {
        el.end = this.pos;
        this.unwind(mark);
      } else {
        depth++;
        open[depth] = el;
        nameStart[depth] = i + 1;
        nameEnds[depth] = this.nameEnd;
        marks[depth] = mark;
        if (depth >= this.maxDepthSeen) this.maxDepthSeen = depth + 1;
        cur = el;
      }
      i = this.pos;
    }
  }
}

/** With keepWhitespaceText: false, drops whitespace-only text from elements that have element children. */
function dropIndentation(el: BuildElement): void {
  const children = el.children;
  if (children.length < 2) return;
  let hasElement = false;
  for (const c of children) {
    if (c.kind === "element") {
      hasElement = true;
      break;
    }
  }
  if (!hasElement) return;
  el.children = children.filter((c) => c.kind === "element" || !/^[ \t\n\r]*$/.test(c.value));
}

/**
 * Parses an XML 1.0 document (with namespaces) into an {@link XmlDocument}.
 *
 * Rejects, with an {@link XmlParseError}, anything not well-formed or not namespace-well-formed,
 * any DOCTYPE, entities other than the five predefined ones, declared encodings other than UTF-8
 * and documents exceeding the limits in `options`. Comments and processing instructions are
 * dropped; CDATA sections are merged into the surrounding text.
 */
export function parseXml(text: string, options?: ParseOptions): XmlDocument {
  const scratch = spareScratch ?? new Scratch();
  spareScratch = undefined;
  const parser = new Parser(text, options, scratch);
  try {
    return parser.parseDocument();
  } finally {
    // Storage grown by an unusual document is left to the collector rather than kept.
    if (parser.maxBindings <= SCRATCH_KEPT && parser.maxAttributesSeen <= SCRATCH_KEPT && parser.maxDepthSeen <= SCRATCH_KEPT) {
      scratch.reset(parser.maxBindings, parser.maxAttributesSeen, parser.maxDepthSeen);
      spareScratch = scratch;
    }
  }
}
