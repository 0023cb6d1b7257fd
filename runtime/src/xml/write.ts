/**
 * A small, deterministic XML writer for the codec and the envelope builder.
 *
 * Callers speak in expanded names (`ns`, `local`); the writer owns prefixes. The first time a
 * namespace is needed in a scope it is declared on the element that needs it (with a
 * caller-declared prefix if one is in scope, otherwise `ns1`, `ns2`, ... in call order), and
 * the in-scope prefix is reused below it. Output depends only on the sequence of calls.
 */

import { XML_NAMESPACE, XMLNS_NAMESPACE, describeCodePoint, isNCName, isValidNamespaceName } from "./names.ts";

// Fast-path guards: one native regex test per string; the slow path runs only when something
// must be escaped or rejected. Both include every code unit that is not an XML 1.0 Char, so
// the writer never emits a document that a conforming parser (including ours) would reject.
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

function escape(s: string, attribute: boolean): string {
  let out = "";
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    switch (c) {
      case 0x26: rep = "&amp;"; break;
      case 0x3c: rep = "&lt;"; break;
      // '>' only matters in text (the sequence ']]>' is forbidden there); attributes keep it.
      case 0x3e: rep = attribute ? undefined : "&gt;"; break;
      case 0x22: rep = attribute ? "&quot;" : undefined; break;
      // As character references these survive attribute-value normalization and, for CR,
      // end-of-line normalization; a literal one would be read back as a space or LF.
      case 0x09: rep = attribute ? "&#9;" : undefined; break;
      case 0x0a: rep = attribute ? "&#10;" : undefined; break;
      case 0x0d: rep = "&#13;"; break;
      default:
        if (c < 0x20 || c === 0xfffe || c === 0xffff) {
          throw new RangeError(`character ${describeCodePoint(s, i)} cannot be represented in XML 1.0`);
        }
        if (c >= 0xd800 && c <= 0xdfff) {
          const d = s.charCodeAt(i + 1);
          if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
            i++;
            continue;
          }
          throw new RangeError(`lone surrogate ${describeCodePoint(s, i)} cannot be represented in XML`);
        }
    }
    if (rep !== undefined) {
      out += s.slice(runStart, i) + rep;
      runStart = i + 1;
    }
  }
  return out + s.slice(runStart);
}

/**
 * Escapes character data: `&`, `<`, `>` as entity references and CR as `&#13;` (a literal CR
 * would be normalized to LF by the reader). Throws a `RangeError` for characters XML 1.0 cannot
 * carry at all (C0 controls other than TAB/LF/CR, U+FFFE, U+FFFF, lone surrogates).
 */
export function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? escape(s, false) : s;
}

/**
 * Escapes an attribute value for double quotes: `&`, `<`, `"` as entity references and TAB, LF,
 * CR as character references so that they survive attribute-value normalization. Throws a
 * `RangeError` for characters XML 1.0 cannot carry.
 */
export function escapeAttribute(s: string): string {
  return ATTRIBUTE_SPECIAL.test(s) ? escape(s, true) : s;
}

/** Options for {@link XmlWriter}. */
export interface XmlWriterOptions {
  /** Start the output with `<?xml version="1.0" encoding="UTF-8"?>`. Default `false`. */
  readonly xmlDeclaration?: boolean;
}

/** Per-element options for {@link XmlWriter.startElement}. */
export interface StartElementOptions {
  /**
   * Put the element in its namespace through the default namespace (`xmlns="..."`, declared
   * here unless already the in-scope default) instead of a prefix.
   */
  readonly defaultNamespace?: boolean;
  /**
   * Declarations to make on this element, `prefix -> uri` (`""` for the default namespace), in
   * insertion order; same effect as `declare()` right after `startElement()`.
   */
  readonly namespaces?: Readonly<Record<string, string>>;
}

/**
 * Builds an XML string. Usage: `startElement` / `attribute`* / (`text` | `raw` | child
 * elements)* / `endElement`, then `toString()`. A start tag stays open until content, a child or
 * the end arrives, so `declare` and `attribute` may be called any time before that; an element
 * without content is written `<a/>`. Several top-level nodes may be written (fragments for
 * `raw`); producing exactly one root is the caller's business.
 */
export class XmlWriter {
  private out: string;
  // Scope chain of (prefix, uri) bindings, innermost last; prefix "" is the default namespace
  // (uri "" = none). Entries from `marks[k]` up belong to the k-th open element.
  private readonly bindPrefix: string[] = ["xml"];
  private readonly bindUri: string[] = [XML_NAMESPACE];
  private bindCount = 1;
  private readonly qnames: string[] = [];
  private readonly marks: number[] = [];
  private nextPrefix = 1;
  private readonly generated = new Map<string, string>();
  /** Declarations requested before the next `startElement`. */
  private upcoming: [string, string][] = [];

  // The open (not yet written) start tag, if `tagOpen`.
  private tagOpen = false;
  private tagNs = "";
  private tagLocal = "";
  private tagDefault = false;
  private tagAttributes: [string, string, string][] = [];

  constructor(options?: XmlWriterOptions) {
    this.out = options?.xmlDeclaration === true ? '<?xml version="1.0" encoding="UTF-8"?>' : "";
  }

  /**
   * Declares `prefix` (or the default namespace, for `""`) for `uri` on the open start tag, or,
   * when no start tag is open, on the next element started. Redundant declarations (the same
   * binding already in scope) are not written. Elements and attributes in `uri` then use it.
   */
  declare(prefix: string, uri: string): this {
    if (prefix !== "" && !isNCName(prefix)) throw new Error(`invalid namespace prefix ${JSON.stringify(prefix)}`);
    if (prefix === "xmlns" || uri === XMLNS_NAMESPACE) throw new Error("the xmlns prefix and namespace cannot be declared");
    if ((prefix === "xml") !== (uri === XML_NAMESPACE)) {
      throw new Error(`the xml prefix is bound to ${XML_NAMESPACE} and nothing else is`);
    }
    if (uri === "" && prefix !== "") throw new Error(`prefix ${prefix} cannot be undeclared in XML 1.0 namespaces`);
    if (!this.tagOpen) {
      this.upcoming.push([prefix, uri]);
      return this;
    }
    this.bindOnOpenTag(prefix, uri);
    return this;
  }

  private bindOnOpenTag(prefix: string, uri: string): void {
    const mark = this.marks[this.marks.length - 1]!;
    for (let b = mark; b < this.bindCount; b++) {
      if (this.bindPrefix[b] === prefix) {
        if (this.bindUri[b] === uri) return;
        throw new Error(`prefix ${JSON.stringify(prefix)} is already declared on this element for ${this.bindUri[b]}`);
      }
    }
    // Already in effect (no default namespace counts as xmlns=""): nothing to write.
    if ((this.lookup(prefix) ?? (prefix === "" ? "" : undefined)) === uri) return;
    this.bind(prefix, uri);
  }

  /** Opens an element in namespace `ns` (`""` for none) with local name `local`. */
  startElement(ns: string, local: string, options?: StartElementOptions): this {
    if (!isNCName(local)) throw new Error(`invalid element local name ${JSON.stringify(local)}`);
    if (ns === XMLNS_NAMESPACE) throw new Error("no element may be in the xmlns namespace");
    const defaultNamespace = options?.defaultNamespace === true;
    if (defaultNamespace && (ns === "" || ns === XML_NAMESPACE)) {
      throw new Error(`${ns === "" ? "an element in no namespace" : "the xml namespace"} cannot be the default namespace`);
    }
    if (this.tagOpen) this.writeStartTag(false);
    this.marks.push(this.bindCount);
    this.qnames.push("");
    this.tagOpen = true;
    this.tagNs = ns;
    this.tagLocal = local;
    this.tagDefault = defaultNamespace;
    this.tagAttributes = [];
    const upcoming = this.upcoming;
    if (upcoming.length > 0) {
      this.upcoming = [];
      for (const [p, u] of upcoming) this.bindOnOpenTag(p, u);
    }
    const namespaces = options?.namespaces;
    if (namespaces !== undefined) for (const p of Object.keys(namespaces)) this.declare(p, namespaces[p]!);
    return this;
  }

  /** Adds an attribute to the open start tag; `ns` `""` means no namespace (attributes never use the default namespace). */
  attribute(ns: string, local: string, value: string): this {
    if (!this.tagOpen) throw new Error("attribute() must follow startElement() before any content");
    if (!isNCName(local)) throw new Error(`invalid attribute local name ${JSON.stringify(local)}`);
    if (ns === XMLNS_NAMESPACE || (ns === "" && local === "xmlns")) {
      throw new Error("namespace declarations are made with declare(), not attribute()");
    }
    for (const [n, l] of this.tagAttributes) {
      if (n === ns && l === local) throw new Error(`duplicate attribute {${ns}}${local}`);
    }
    this.tagAttributes.push([ns, local, value]);
    return this;
  }

  /**
   * The prefix to use for `ns` in QName-valued content (e.g. `xsi:type`) of the element whose
   * start tag is open, declaring one on it when none is in scope. Returns `""` when `ns` is the
   * in-scope default namespace (or `""` itself with no default namespace in scope).
   */
  prefixFor(ns: string): string {
    if (ns === "") {
      if ((this.lookup("") ?? "") !== "") throw new Error("a name in no namespace cannot be written while a default namespace is in scope");
      return "";
    }
    const found = this.findPrefix(ns, true);
    if (found !== undefined) return found;
    if (!this.tagOpen) throw new Error(`namespace ${ns} is not in scope and no start tag is open to declare it on`);
    return this.generatePrefix(ns);
  }

  /** Writes character data (escaped). An empty string writes nothing, so `<a/>` stays possible. */
  text(value: string): this {
    if (value === "") return this;
    if (this.tagOpen) this.writeStartTag(false);
    this.out += escapeText(value);
    return this;
  }

  /** Inserts an already-serialized fragment verbatim; it must carry its own namespace declarations. */
  raw(xml: string): this {
    if (this.tagOpen) this.writeStartTag(false);
    this.out += xml;
    return this;
  }

  /** Closes the innermost open element (`<a/>` when it has no content). */
  endElement(): this {
    if (this.qnames.length === 0) throw new Error("endElement() without an open element");
    if (this.tagOpen) this.writeStartTag(true);
    else this.out += "</" + this.qnames[this.qnames.length - 1]! + ">";
    this.qnames.pop();
    this.bindCount = this.marks.pop()!;
    return this;
  }

  /** Convenience: an element with optional text content. */
  element(ns: string, local: string, text?: string, options?: StartElementOptions): this {
    this.startElement(ns, local, options);
    if (text !== undefined) this.text(text);
    return this.endElement();
  }

  /** The document written so far; throws while elements are still open. */
  toString(): string {
    if (this.qnames.length > 0) throw new Error(`${this.qnames.length} element(s) still open`);
    return this.out;
  }

  private lookup(prefix: string): string | undefined {
    for (let b = this.bindCount - 1; b >= 0; b--) {
      if (this.bindPrefix[b] === prefix) return this.bindUri[b];
    }
    return undefined;
  }

  private bind(prefix: string, uri: string): void {
    // The parser refuses such names, so the writer must not produce them.
    if (uri !== "" && !isValidNamespaceName(uri)) throw new Error(`namespace name ${JSON.stringify(uri)} is not a valid URI reference`);
    const b = this.bindCount++;
    this.bindPrefix[b] = prefix;
    this.bindUri[b] = uri;
  }

  /** Innermost in-scope prefix bound to `ns` and not shadowed; `""` (default) only if allowed. */
  private findPrefix(ns: string, allowDefault: boolean): string | undefined {
    for (let b = this.bindCount - 1; b >= 0; b--) {
      if (this.bindUri[b] !== ns) continue;
      const p = this.bindPrefix[b]!;
      if (p === "" && !allowDefault) continue;
      let shadowed = false;
      for (let c = b + 1; c < this.bindCount; c++) {
        if (this.bindPrefix[c] === p) {
          shadowed = true;
          break;
        }
      }
      if (!shadowed) return p;
    }
    return undefined;
  }

  /**
   * Declares a generated prefix for `ns` on the open element. A namespace keeps the `nsN` it was
   * first given whenever that name is free in scope, so sibling subtrees read alike.
   */
  private generatePrefix(ns: string): string {
    let p = this.generated.get(ns);
    if (p === undefined || this.lookup(p) !== undefined) {
      do p = "ns" + this.nextPrefix++;
      while (this.lookup(p) !== undefined);
      this.generated.set(ns, p);
    }
    this.bind(p, ns);
    return p;
  }

  private writeStartTag(empty: boolean): void {
    this.tagOpen = false;
    const mark = this.marks[this.marks.length - 1]!;
    const ns = this.tagNs;
    let qname = this.tagLocal;
    if (ns === "") {
      // An unqualified element inside a default-namespace scope must undeclare it.
      if ((this.lookup("") ?? "") !== "") this.bindOnOpenTag("", "");
    } else if (this.tagDefault) {
      this.bindOnOpenTag("", ns);
    } else {
      const p = this.findPrefix(ns, true) ?? this.generatePrefix(ns);
      if (p !== "") qname = p + ":" + qname;
    }
    let attributes = "";
    for (const [ans, local, value] of this.tagAttributes) {
      let name = local;
      if (ans !== "") name = (this.findPrefix(ans, false) ?? this.generatePrefix(ans)) + ":" + local;
      attributes += " " + name + '="' + escapeAttribute(value) + '"';
    }
    let out = "<" + qname;
    for (let b = mark; b < this.bindCount; b++) {
      const p = this.bindPrefix[b]!;
      out += (p === "" ? ' xmlns="' : " xmlns:" + p + '="') + escapeAttribute(this.bindUri[b]!) + '"';
    }
    this.out += out + attributes + (empty ? "/>" : ">");
    this.qnames[this.qnames.length - 1] = qname;
    this.tagAttributes = [];
  }
}
