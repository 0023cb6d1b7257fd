/**
 * The direct reader: a SOAP 1.1 request's input decoded straight from its text, without the
 * tree, for the everyday request of a service without message security.
 *
 * Why: building the tree (`parseXml`), splitting the envelope and walking the tree to decode
 * cost most of the server's own time per request, and without a security layer nothing needs
 * the tree. This reader walks the text once, guided by the operation's descriptors, and makes
 * only the values.
 *
 * It reads a deliberately small part of XML and of the schema language, and says "not sure"
 * (returns `undefined`) for everything else: then the server takes the full path (parser,
 * `readEnvelope`, `decodeElement`), which accepts or refuses the request and words the fault.
 * So the direct reader never refuses anything and never words an error: it only ever accepts
 * what the full path accepts, with the same value (test/runtime/direct-read.test.ts checks
 * both against the full path over the shared messages and thousands of mutations of them).
 *
 * What it reads: an optional XML declaration of the usual forms; start tags whose only
 * attributes are namespace declarations (checked as the parser checks them); ASCII names;
 * character data without references, CR, `]]>`, or characters from U+D800 on; whitespace
 * between elements; `Envelope` (SOAP 1.1) > `Body` > one payload element, no `Header`; the
 * payload routed as the listener's `routeUsual` does (its element and the quoted SOAPAction
 * agree). Types: plain sequences of elements (array wrappers included) down to simple types
 * that need only their text (no lists, unions or QNames); strict reading. Anything else
 * (attributes such as `xsi:nil` or `xsi:type`, comments, CDATA, entity references, choices,
 * wildcards, mixed content, substitution groups, abstract types, xs:all) is "not sure".
 */
import type { ComplexTypeMeta, ElementMeta, OperationMeta, ServiceMeta, TypeMeta } from "../meta.ts";
import { CodecError } from "../errors.ts";
import { SOAP11_ENV } from "../xml/namespaces.ts";
import { ASCII_NAME, XML_NAMESPACE, XMLNS_NAMESPACE } from "../xml/names.ts";
import { isValidNamespace } from "../xml/parse.ts";
import { setMember, simpleTextReader } from "../xsd/decode.ts";
import { compiledFor } from "../xsd/compiled.ts";

/** A request the direct reader read: its operation and decoded input. */
export interface DirectRead {
  readonly operation: OperationMeta;
  readonly input: unknown;
}

/** Reads a request's text, given its SOAPAction header; `undefined` when the full path must decide. */
export type DirectReader = (text: string, soapAction: string | string[] | undefined) => DirectRead | undefined;

/** Thrown inside the reader for "not sure"; never leaves it. */
const UNSURE = Symbol("unsure");

// Character codes.
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOT = 0x22;
const AMP = 0x26;
const APOS = 0x27;
const SLASH = 0x2f;
const COLON = 0x3a;
const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const RBRACKET = 0x5d;

/** Deeper than this is not sure (the parser's own limit is 256). */
const MAX_DEPTH = 128;
/** More namespace declarations on one tag than this is not sure. */
const MAX_DECLARATIONS = 16;

/** The XML declarations read here; any other form is the parser's to judge. */
const XML_DECLARATIONS = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?xml version="1.0"?>',
  "<?xml version='1.0' encoding='utf-8'?>",
  "<?xml version='1.0' encoding='UTF-8'?>",
  "<?xml version='1.0'?>",
];

/**
 * The start of an envelope as most SOAP 1.1 stacks write it (WCF `s:`, node-soap `soap:`, Axis
 * and others `soapenv:` or `SOAP-ENV:`, zeep `soap-env:`): matched as a whole instead of tag by tag.
 */
const USUAL_PROLOGUES = ["s", "soap", "soapenv", "SOAP-ENV", "soap-env", "env"].map((prefix) => {
  const envelope = `<${prefix}:Envelope xmlns:${prefix}="${SOAP11_ENV}">`;
  return { prefix, text: `${envelope}<${prefix}:Body>`, bodyAt: envelope.length };
});

function usualPrologue(text: string, at: number): (typeof USUAL_PROLOGUES)[number] | undefined {
  if (text.charCodeAt(at) !== LT) return undefined;
  for (let k = 0; k < USUAL_PROLOGUES.length; k++) {
    const prologue = USUAL_PROLOGUES[k]!;
    if (text.startsWith(prologue.text, at)) return prologue;
  }
  return undefined;
}

/** Reads one element's content (after its start tag) and its end tag; returns its value. The caller leaves the element. */
type ContentReader = (r: Cursor, empty: boolean, qnameStart: number, localStart: number, local: string) => unknown;

/** Where the reader stands in the text, and the namespace bindings in scope. */
class Cursor {
  s = "";
  i = 0;
  depth = 0;
  /** Bindings in scope, innermost last. */
  readonly prefixes: string[] = [];
  readonly uris: string[] = [];
  bound = 0;
  /** Most bindings in scope at once in this text: what start() clears. */
  highest = 0;
  // What the last start tag was: its qualified name's offsets, local name start, namespace, whether empty.
  qnameStart = 0;
  qnameEnd = 0;
  localStart = 0;
  ns = "";
  empty = false;
  /** The namespaces the descriptors name (see knownNamespaces): a declaration of one binds that very string, so comparisons are by reference. */
  readonly known: readonly string[];
  constructor(known: readonly string[]) {
    this.known = known;
  }

  /** Starts on a new text. (One cursor serves one reader: reading is synchronous and calls out to nothing that reads.) */
  start(s: string): void {
    this.s = s;
    this.i = 0;
    this.depth = 0;
    for (let b = 0; b < this.highest; b++) this.uris[b] = "";
    this.highest = 0;
    this.bound = 0;
  }

  /** Skips whitespace. */
  skipSpace(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === LF || c === TAB || c === CR) i++;
      else break;
    }
    this.i = i;
  }

  /** The namespace bound to the prefix written at `start..end` (`""` for the default), or `undefined`. */
  lookup(start: number, end: number): string | undefined {
    const s = this.s;
    const length = end - start;
    const prefixes = this.prefixes;
    for (let b = this.bound - 1; b >= 0; b--) {
      const p = prefixes[b]!;
      if (p.length === length && (length === 0 || s.startsWith(p, start))) return this.uris[b];
    }
    return length === 0 ? "" : undefined;
  }

  /**
   * Reads the start tag at `i` (a `<` followed by a name) and binds its declarations; sets
   * qnameStart/qnameEnd/localStart/ns/empty and moves past the tag.
   */
  startTag(): void {
    const s = this.s;
    if (++this.depth > MAX_DEPTH) throw UNSURE;
    const qnameStart = this.i + 1;
    let k = qnameStart;
    let c = s.charCodeAt(k);
    if (c >= 0x80 || (ASCII_NAME[c]! & 1) === 0) throw UNSURE;
    let colon = -1;
    for (;;) {
      c = s.charCodeAt(++k);
      if (c < 0x80 && (ASCII_NAME[c]! & 2) !== 0) continue;
      if (c === COLON && colon < 0) {
        const next = s.charCodeAt(k + 1);
        if (next >= 0x80 || (ASCII_NAME[next]! & 1) === 0) throw UNSURE;
        colon = k;
        continue;
      }
      break;
    }
    const qnameEnd = k;
    const firstBinding = this.bound;
    // Attributes: namespace declarations only.
    for (;;) {
      const before = k;
      while (c === SPACE || c === LF || c === TAB || c === CR) c = s.charCodeAt(++k);
      if (c === GT) {
        this.empty = false;
        k++;
        break;
      }
      if (c === SLASH) {
        if (s.charCodeAt(k + 1) !== GT) throw UNSURE;
        this.empty = true;
        k += 2;
        break;
      }
      if (k === before || !s.startsWith("xmlns", k)) throw UNSURE;
      k += 5;
      c = s.charCodeAt(k);
      let prefix = "";
      if (c === COLON) {
        const prefixStart = ++k;
        c = s.charCodeAt(k);
        if (c >= 0x80 || (ASCII_NAME[c]! & 1) === 0) throw UNSURE;
        do c = s.charCodeAt(++k);
        while (c < 0x80 && (ASCII_NAME[c]! & 2) !== 0);
        prefix = s.slice(prefixStart, k);
        if (prefix === "xml" || prefix === "xmlns") throw UNSURE;
      }
      while (c === SPACE || c === LF || c === TAB || c === CR) c = s.charCodeAt(++k);
      if (c !== EQUALS) throw UNSURE;
      do c = s.charCodeAt(++k);
      while (c === SPACE || c === LF || c === TAB || c === CR);
      if (c !== QUOT && c !== APOS) throw UNSURE;
      const quote = c;
      const valueStart = k + 1;
      // A namespace the descriptors name, written as it is (the usual case): that very string, no scan.
      let uri: string | undefined;
      const known = this.known;
      for (let n = 0; n < known.length; n++) {
        const name = known[n]!;
        if (s.startsWith(name, valueStart) && s.charCodeAt(valueStart + name.length) === quote) {
          uri = name;
          k = valueStart + name.length;
          break;
        }
      }
      if (uri === undefined) {
        for (;;) {
          c = s.charCodeAt(++k);
          if (c === quote) break;
          // Controls (attribute-value normalization), '<', '&', surrogates and U+FFFE/F, the end of input (NaN).
          if (!(c >= SPACE && c < 0xd800) || c === LT || c === AMP) throw UNSURE;
        }
        uri = s.slice(valueStart, k);
        if (uri === XML_NAMESPACE || uri === XMLNS_NAMESPACE || (uri === "" && prefix !== "") || !isValidNamespace(uri)) throw UNSURE;
      }
      c = s.charCodeAt(++k);
      // The same declaration twice on one tag is the parser's to refuse.
      for (let b = firstBinding; b < this.bound; b++) if (this.prefixes[b] === prefix) throw UNSURE;
      if (this.bound - firstBinding >= MAX_DECLARATIONS) throw UNSURE;
      this.prefixes[this.bound] = prefix;
      this.uris[this.bound] = uri;
      this.bound++;
      if (this.bound > this.highest) this.highest = this.bound;
    }
    const ns = colon < 0 ? this.lookup(qnameStart, qnameStart) : this.lookup(qnameStart, colon);
    // (The xml and xmlns prefixes are never bound here: an element using them is not sure.)
    if (ns === undefined) throw UNSURE;
    this.i = k;
    this.qnameStart = qnameStart;
    this.qnameEnd = qnameEnd;
    this.localStart = colon < 0 ? qnameStart : colon + 1;
    this.ns = ns;
  }

  /**
   * The usual start tag, tried first: `<local>` or `<local/>` exactly, unprefixed and without
   * attributes, where the default namespace in scope (`defaultNs`) is `ns`. Reads it and returns
   * true (as startTag would), or changes nothing and returns false.
   */
  plainStartTag(local: string, ns: string, defaultNs: string): boolean {
    const s = this.s;
    const nameStart = this.i + 1;
    if (ns !== defaultNs || !s.startsWith(local, nameStart)) return false;
    const end = nameStart + local.length;
    const c = s.charCodeAt(end);
    let empty: boolean;
    if (c === GT) empty = false;
    else if (c === SLASH && s.charCodeAt(end + 1) === GT) empty = true;
    else return false;
    if (++this.depth > MAX_DEPTH) throw UNSURE;
    this.qnameStart = nameStart;
    this.qnameEnd = end;
    this.localStart = nameStart;
    this.ns = ns;
    this.empty = empty;
    this.i = empty ? end + 2 : end + 1;
    return true;
  }

  /** Whether the last start tag's element is `{ns}local`. */
  is(ns: string, local: string): boolean {
    const start = this.localStart;
    if (this.ns !== ns || local.length !== this.qnameEnd - start) return false;
    const s = this.s;
    for (let k = 0; k < local.length; k++) if (s.charCodeAt(start + k) !== local.charCodeAt(k)) return false;
    return true;
  }

  /**
   * Reads the end tag at `i` (`</`), which must repeat the start tag's name: the prefix and colon
   * written at `qnameStart..localStart`, then `local` (which the start tag's local name is).
   */
  endTag(qnameStart: number, localStart: number, local: string): void {
    const s = this.s;
    let k = this.i + 2;
    for (let q = qnameStart; q < localStart; q++, k++) if (s.charCodeAt(k) !== s.charCodeAt(q)) throw UNSURE;
    if (!s.startsWith(local, k)) throw UNSURE;
    k += local.length;
    let c = s.charCodeAt(k);
    while (c === SPACE || c === LF || c === TAB || c === CR) c = s.charCodeAt(++k);
    if (c !== GT) throw UNSURE;
    this.i = k + 1;
  }

  /** Leaves an element: its declarations go out of scope. */
  leave(outer: number): void {
    this.bound = outer;
    this.depth--;
  }

  /** Character data up to the next `<`, which must start an end tag: a simple element's text. */
  text(): string {
    const s = this.s;
    const start = this.i;
    let k = start;
    for (;;) {
      const c = s.charCodeAt(k);
      if (c === LT) break;
      if (c >= SPACE) {
        if (c === AMP || c >= 0xd800) throw UNSURE;
        if (c === RBRACKET && s.charCodeAt(k + 1) === RBRACKET && s.charCodeAt(k + 2) === GT) throw UNSURE;
      } else if (c !== TAB && c !== LF) throw UNSURE; // CR (end-of-line handling), controls, the end of input (NaN)
      k++;
    }
    if (s.charCodeAt(k + 1) !== SLASH) throw UNSURE;
    this.i = k;
    return s.slice(start, k);
  }

  /** Whitespace, then a `<` that is not a comment, CDATA or processing instruction; returns whether it starts an end tag. */
  nextTag(): boolean {
    this.skipSpace();
    const s = this.s;
    if (s.charCodeAt(this.i) !== LT) throw UNSURE;
    const c = s.charCodeAt(this.i + 1);
    if (c === SLASH) return true;
    if (c === 0x21 /* ! */ || c === 0x3f /* ? */) throw UNSURE;
    return false;
  }
}

/** Whether the direct reader can read an element declared so (and everything below it). */
function readableElement(meta: ElementMeta, seen: Set<TypeMeta>): boolean {
  if (meta.abstract === true || meta.substitutes !== undefined || meta.group === true) return false;
  return readableType(meta.type(), seen);
}

function readableType(type: TypeMeta, seen: Set<TypeMeta>): boolean {
  if (seen.has(type)) return true;
  seen.add(type);
  if (type.kind === "any") return false;
  if (type.kind === "simple") return simpleTextReader(type) !== undefined;
  if (type.simpleContent !== undefined || type.attributes.length > 0 || type.anyAttribute !== undefined || type.wildcard !== undefined) return false;
  if (type.mixed === true || type.choices !== undefined || type.unordered === true || type.abstract === true) return false;
  const names = new Set<string>();
  for (const p of type.content) {
    // Members sharing a name are told apart by position: the full path's to do.
    const key = `${p.ns} ${p.name}`;
    if (names.has(key)) return false;
    names.add(key);
    if (!readableElement(p, seen)) return false;
  }
  return true;
}

/** Every namespace the elements below these declare (and SOAP 1.1's), that a declaration may bind as the parser would. */
function knownNamespaces(elements: readonly ElementMeta[]): string[] {
  const names = new Set<string>([SOAP11_ENV]);
  const types = new Set<TypeMeta>();
  const visit = (e: ElementMeta) => {
    names.add(e.ns);
    const type = e.type();
    if (types.has(type)) return;
    types.add(type);
    if (type.kind === "complex") for (const p of type.content) visit(p);
  };
  elements.forEach(visit);
  // Each is matched against the text as written, so only names that an attribute value carries
  // literally: printable ASCII without a quote, '&' or '<' (which it would write otherwise or not at all).
  return [...names].filter((n) => n !== "" && n !== XML_NAMESPACE && n !== XMLNS_NAMESPACE && /^[\x21-\x7e]+$/.test(n) && !/["'&<]/.test(n) && isValidNamespace(n));
}

const contentReaders = new WeakMap<TypeMeta, ContentReader>();

function contentReader(type: TypeMeta): ContentReader {
  return compiledFor(contentReaders, type, (t) => (t.kind === "simple" ? simpleContent(t) : complexContent(t as ComplexTypeMeta)));
}

function simpleContent(type: TypeMeta & { kind: "simple" }): ContentReader {
  const readText = simpleTextReader(type)!;
  return (r, empty, qs, ls, local) => {
    if (empty) return readText("", "");
    const text = r.text();
    r.endTag(qs, ls, local);
    return readText(text, "");
  };
}

/** A plain sequence, read as decode.ts reads it in strict mode: members in schema order, counts checked. */
function complexContent(type: ComplexTypeMeta): ContentReader {
  const particles = type.content;
  const count = particles.length;
  const properties = particles.map((p) => p.member ?? p.name);
  const readers: (ContentReader | undefined)[] = new Array(count).fill(undefined);
  const arrayItem = type.arrayItem;
  return (r, empty, qs, ls, local) => {
    // A member's count: its list's length when it repeats, else whether it has a value (a read value is never undefined).
    const values = new Array<unknown>(count);
    if (!empty) {
      let position = 0;
      // (Siblings' declarations go out of scope with them: the default namespace stays this one.)
      const defaultNs = r.lookup(0, 0)!;
      while (!r.nextTag()) {
        const outer = r.bound;
        let i = position;
        while (i < count && !r.plainStartTag(particles[i]!.name, particles[i]!.ns, defaultNs)) i++;
        if (i === count) {
          // A prefix, a declaration: the whole start tag read and resolved.
          r.startTag();
          i = position;
          while (i < count && !r.is(particles[i]!.ns, particles[i]!.name)) i++;
        }
        // Unknown, out of order (an earlier member), or one too many: the full path words it.
        if (i === count) throw UNSURE;
        const p = particles[i]!;
        const held = values[i];
        if (p.maxOccurs > 1 ? held !== undefined && (held as unknown[]).length >= p.maxOccurs : held !== undefined) throw UNSURE;
        position = i;
        const read = (readers[i] ??= contentReader(p.type()));
        const value = read(r, r.empty, r.qnameStart, r.localStart, p.name);
        r.leave(outer);
        if (p.maxOccurs > 1) {
          if (held === undefined) values[i] = [value];
          else (held as unknown[]).push(value);
        } else values[i] = value;
      }
      r.endTag(qs, ls, local);
    }
    for (let i = 0; i < count; i++) {
      const p = particles[i]!;
      const held = values[i];
      if (p.minOccurs > 0 && (held === undefined || (p.maxOccurs > 1 && (held as unknown[]).length < p.minOccurs))) throw UNSURE;
    }
    if (arrayItem !== undefined) return (values[arrayItem] as unknown[] | undefined) ?? [];
    const result: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const held = values[i];
      if (held !== undefined) setMember(result, properties[i]!, held);
    }
    return result;
  };
}

/**
 * The direct reader of a service's requests, or `undefined` when none of its operations can be
 * read directly. Only operations routed by comparison (their Body element and quoted SOAPAction
 * agree, every operation having its own of each: `routable`) with one input element, no
 * declared header blocks and readable types are read; for the others, and for anything unsure,
 * the reader returns `undefined`.
 */
export function compileDirectReader(service: ServiceMeta<Record<string, OperationMeta>>, routable: boolean): DirectReader | undefined {
  if (!routable) return undefined;
  const routes: { readonly operation: OperationMeta; readonly element: ElementMeta; readonly action: string; readonly read: ContentReader }[] = [];
  for (const operation of Object.values(service.operations)) {
    const element = operation.input;
    if (element === undefined || operation.inputParts !== undefined || operation.inputHeaders !== undefined || operation.soapAction === "") continue;
    if (!readableElement(element, new Set())) continue;
    routes.push({ operation, element, action: `"${operation.soapAction}"`, read: contentReader(element.type()) });
  }
  if (routes.length === 0) return undefined;
  const r = new Cursor(knownNamespaces(routes.map((route) => route.element)));
  return (text, soapAction) => {
    if (typeof soapAction !== "string") return undefined;
    r.start(text);
    try {
      if (text.charCodeAt(0) === LT && text.charCodeAt(1) === 0x3f /* ? */) {
        const declaration = XML_DECLARATIONS.find((d) => text.startsWith(d));
        if (declaration === undefined) throw UNSURE;
        r.i = declaration.length;
      }
      if (r.nextTag()) throw UNSURE;
      let envelopeStart: number;
      let envelopeLocal: number;
      let bodyStart: number;
      let bodyLocal: number;
      let outerBody: number;
      const prologue = usualPrologue(text, r.i);
      if (prologue !== undefined) {
        // `<p:Envelope xmlns:p="...SOAP 1.1..."><p:Body>` as most stacks write it: read at once.
        const at = r.i;
        envelopeStart = at + 1;
        envelopeLocal = envelopeStart + prologue.prefix.length + 1;
        bodyStart = at + prologue.bodyAt + 1;
        bodyLocal = bodyStart + prologue.prefix.length + 1;
        r.prefixes[0] = prologue.prefix;
        r.uris[0] = SOAP11_ENV;
        r.bound = r.highest = 1;
        outerBody = 1;
        r.depth = 2;
        r.i = at + prologue.text.length;
      } else {
        r.startTag();
        if (r.empty || !r.is(SOAP11_ENV, "Envelope")) throw UNSURE;
        envelopeStart = r.qnameStart;
        envelopeLocal = r.localStart;
        if (r.nextTag()) throw UNSURE;
        outerBody = r.bound;
        r.startTag();
        if (r.empty || !r.is(SOAP11_ENV, "Body")) throw UNSURE;
        bodyStart = r.qnameStart;
        bodyLocal = r.localStart;
      }
      if (r.nextTag()) throw UNSURE;
      const outerPayload = r.bound;
      r.startTag();
      let route;
      for (let k = 0; k < routes.length; k++) {
        const candidate = routes[k]!;
        if (r.is(candidate.element.ns, candidate.element.name)) {
          route = candidate;
          break;
        }
      }
      if (route === undefined || route.action !== soapAction) throw UNSURE;
      const input = route.read(r, r.empty, r.qnameStart, r.localStart, route.element.name);
      r.leave(outerPayload);
      if (!r.nextTag()) throw UNSURE;
      r.endTag(bodyStart, bodyLocal, "Body");
      r.leave(outerBody);
      if (!r.nextTag()) throw UNSURE;
      r.endTag(envelopeStart, envelopeLocal, "Envelope");
      r.skipSpace();
      if (r.i !== text.length) throw UNSURE;
      return { operation: route.operation, input };
    } catch (error) {
      if (error === UNSURE || error instanceof CodecError) return undefined;
      throw error;
    } finally {
      r.start(""); // keeps no request's text alive
    }
  };
}
