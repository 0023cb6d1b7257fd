/**
 * Exclusive XML Canonicalization 1.0 without comments (http://www.w3.org/2001/10/xml-exc-c14n#),
 * written over the runtime's own parsed tree.
 *
 * Why hand-written and why over this tree: a verifier must digest exactly the element nodes the
 * codec will read. Canonicalizing a second DOM built from the same bytes is what makes signature
 * wrapping possible (the digest is checked on one tree, the data read from another); here the
 * signed node and the decoded node are the same object. It is also fast: xml-crypto with xmldom
 * verifies ~135 messages/s, while the whole budget of a signed round trip is ~150 µs.
 *
 * The input is a document subset whose apex is `element`: the element and all its descendants.
 * Ancestors are not output, but they give the namespace context: a prefix used inside the subset
 * resolves to what the tree says (every element and attribute carries its resolved namespace URI;
 * `namespaces` up the `parent` chain give the in-scope declarations for the PrefixList).
 *
 * What the parser does not keep, C14N cannot output: comments (dropped by this algorithm anyway)
 * and processing instructions (C14N would keep those inside the subset). A signer that signs a
 * PI inside a referenced element therefore gets a different digest from ours and the signature
 * fails to verify: the failure is closed, and the codec never reads PIs, so nothing unsigned is
 * ever accepted because of them. See docs/security.md.
 */
import type { XmlAttribute, XmlElement, XmlNode } from "../xml/node.ts";

/** Options of {@link canonicalize}. */
export interface CanonicalizeOptions {
  /**
   * The `ec:InclusiveNamespaces/@PrefixList` of the transform, split on whitespace: prefixes
   * whose in-scope declarations are rendered by the rules of inclusive C14N (wherever they are in
   * scope, not only where they are used). `"#default"` means the default namespace.
   */
  readonly inclusivePrefixes?: readonly string[];
}

const NO_STRINGS: readonly string[] = Object.freeze([]);

/**
 * The exclusive canonical form (without comments) of `element` and its descendants: a document
 * subset whose apex is `element`, with its namespace context taken from its ancestors.
 *
 * The result is a JavaScript string; its UTF-8 encoding is the canonical octet stream to digest.
 * @throws Error if a namespace node of the subset (declared inside it or inherited by the apex)
 *   has a relative URI, which C14N 1.0 requires an implementation to refuse.
 */
export function canonicalize(element: XmlElement, options?: CanonicalizeOptions): string {
  return canonicalizer.run(element, options?.inclusivePrefixes ?? NO_STRINGS);
}

/**
 * The canonicalizer keeps its scratch state (the rendered-prefix map and its undo log) between
 * calls, which saves allocations on the per-message path; a run is synchronous, so one instance
 * serves every caller.
 */
class ExclusiveCanonicalizer {
  private out = "";

  /**
   * Non-default prefixes as rendered by output ancestors (prefix → namespace URI), with an undo
   * log so that leaving an element restores what it shadowed (the map is empty between runs).
   * The default namespace is tracked separately, passed down the recursion, because nearly every
   * element of a SOAP body uses it.
   */
  private readonly rendered = new Map<string, string | undefined>();
  private readonly undoPrefix: string[] = [];
  private readonly undoUri: (string | undefined)[] = [];

  /** `#default` is in the PrefixList. */
  private inclusiveDefault = false;
  /** Non-default PrefixList entries (never `xml`, which is never declared in the output). */
  private readonly inclusive = new Set<string>();
  /** In-scope bindings of PrefixList prefixes at the apex, gathered by `start` (reused scratch). */
  private readonly apexInclusive: string[] = [];

  run(apex: XmlElement, prefixList: readonly string[]): string {
    this.inclusiveDefault = false;
    for (const p of prefixList) {
      if (p === "#default") this.inclusiveDefault = true;
      else if (p !== "" && p !== "xml") this.inclusive.add(p);
    }
    try {
      this.start(apex);
      return this.out;
    } finally {
      this.out = "";
      if (this.undoPrefix.length > 0) this.unwind(0);
      if (this.rendered.size > 64) this.rendered.clear();
      this.inclusive.clear();
      this.apexInclusive.length = 0;
    }
  }

  private start(apex: XmlElement): void {
    // The subset's namespace nodes include those the apex inherits: none may be relative. The
    // common case (every ancestor declaration absolute) needs no bookkeeping.
    let allAbsolute = true;
    // (Index loops over the parser's arrays: see tree.ts.)
    for (let a = apex.parent; a !== undefined && allAbsolute; a = a.parent) {
      const declarations = a.namespaces;
      for (let i = 0; i < declarations.length; i++) {
        const d = declarations[i]!;
        if (d.uri !== "" && !hasScheme(d.uri)) allAbsolute = false;
      }
    }
    const inclusive = this.inclusive;
    let scopeDefault = "";
    if (!allAbsolute || this.inclusiveDefault || inclusive.size > 0) {
      // Namespace context of the apex: the nearest declaration of each prefix wins (the apex's
      // own declarations are handled by `element`).
      const seen = new Set<string>();
      for (const d of apex.namespaces) seen.add(d.prefix);
      for (let a = apex.parent; a !== undefined; a = a.parent) {
        for (const d of a.namespaces) {
          if (seen.has(d.prefix)) continue;
          seen.add(d.prefix);
          checkAbsolute(d.prefix, d.uri);
          if (d.prefix === "") scopeDefault = d.uri;
          else if (inclusive.has(d.prefix)) this.apexInclusive.push(d.prefix, d.uri);
        }
      }
    }
    // Nothing is rendered above the apex: the default namespace counts as rendered empty.
    this.element(apex, "", scopeDefault, true);
  }

  /**
   * Renders `el` and its content.
   * @param renderedDefault the default namespace as the nearest output ancestor left it ("" for none)
   * @param scopeDefault the default namespace in scope at the parent (tracked only for `#default`)
   * @param isApex whether `el` is the apex, where every in-scope PrefixList binding is rendered
   */
  private element(el: XmlElement, renderedDefault: string, scopeDefault: string, isApex: boolean): void {
    const qname = el.prefix === "" ? el.local : el.prefix + ":" + el.local;
    let tag = "<" + qname;
    const undoMark = this.undoPrefix.length;

    const namespaces = el.namespaces;
    for (let i = 0; i < namespaces.length; i++) {
      const d = namespaces[i]!;
      checkAbsolute(d.prefix, d.uri);
      if (d.prefix === "") scopeDefault = d.uri;
    }

    // Default namespace: visibly utilized by an unprefixed element; with `#default` in the
    // PrefixList, rendered wherever it is in scope. An empty value renders as xmlns="" when an
    // output ancestor left a non-empty default in force (namespace undeclaration).
    let childDefault = renderedDefault;
    if (this.inclusiveDefault || el.prefix === "") {
      const uri = this.inclusiveDefault ? scopeDefault : el.ns;
      if (uri !== renderedDefault) {
        tag += ' xmlns="' + escapeNamespace(uri) + '"';
        childDefault = uri;
      }
    }

    // Prefixed namespaces: visibly utilized by the element name and attribute names, plus the
    // PrefixList ones in scope; each rendered unless an output ancestor rendered the same binding.
    let declarations: string[] | undefined;
    if (el.prefix !== "" && el.prefix !== "xml") declarations = this.use(el.prefix, el.ns, declarations);
    const attributes = el.attributes;
    for (let a = 0; a < attributes.length; a++) {
      const attr = attributes[a]!;
      if (attr.prefix !== "" && attr.prefix !== "xml") declarations = this.use(attr.prefix, attr.ns, declarations);
    }
    // PrefixList prefixes: all those in scope at the apex; below it, only where a declaration
    // changes one. Every other element finds them already rendered with the value in scope (a
    // binding changes only through a declaration), so nothing is looked at per element: the cost
    // is per declaration, whatever the length of an attacker's PrefixList.
    if (this.inclusive.size > 0) {
      if (isApex) {
        const apexInclusive = this.apexInclusive;
        for (let i = 0; i < apexInclusive.length; i += 2) {
          if (!namespaces.some((d) => d.prefix === apexInclusive[i])) declarations = this.use(apexInclusive[i]!, apexInclusive[i + 1]!, declarations);
        }
      }
      for (let i = 0; i < namespaces.length; i++) {
        const d = namespaces[i]!;
        if (d.prefix !== "" && this.inclusive.has(d.prefix)) declarations = this.use(d.prefix, d.uri, declarations);
      }
    }
    if (declarations !== undefined) {
      if (declarations.length > 2) sortDeclarations(declarations);
      for (let i = 0; i < declarations.length; i += 2) {
        tag += " xmlns:" + declarations[i]! + '="' + escapeNamespace(declarations[i + 1]!) + '"';
      }
    }

    // Attributes (xml:* included, but only the element's own: exclusive C14N inherits none).
    if (attributes.length === 1) {
      tag += renderAttribute(attributes[0]!);
    } else if (attributes.length > 1) {
      const sorted = attributes.slice().sort(compareAttributes);
      for (const attr of sorted) tag += renderAttribute(attr);
    }

    this.out += tag + ">";
    const children = el.children;
    for (let c = 0; c < children.length; c++) {
      const child: XmlNode = children[c]!;
      if (child.kind === "text") this.out += escapeText(child.value);
      else this.element(child, childDefault, scopeDefault, false);
    }
    this.out += "</" + qname + ">";

    if (this.undoPrefix.length > undoMark) this.unwind(undoMark);
  }

  /** Records that the current element utilizes `prefix` bound to `uri`; adds it to `declarations` if it must be rendered. */
  private use(prefix: string, uri: string, declarations: string[] | undefined): string[] | undefined {
    const previous = this.rendered.get(prefix);
    if (previous === uri) return declarations;
    this.rendered.set(prefix, uri);
    this.undoPrefix.push(prefix);
    this.undoUri.push(previous);
    if (declarations === undefined) return [prefix, uri];
    declarations.push(prefix, uri);
    return declarations;
  }

  private unwind(mark: number): void {
    const undoPrefix = this.undoPrefix;
    const undoUri = this.undoUri;
    const rendered = this.rendered;
    for (let i = undoPrefix.length - 1; i >= mark; i--) {
      const previous = undoUri[i];
      // Setting undefined rather than deleting keeps the map's shape (and is faster); `run`
      // clears it if many distinct prefixes have accumulated.
      rendered.set(undoPrefix[i]!, previous);
    }
    undoPrefix.length = mark;
    undoUri.length = mark;
  }
}

/**
 * C14N 1.0 §2.1 (inherited by exclusive C14N): implementations must report failure on documents
 * containing relative namespace URIs, whose meaning the W3C left undefined. Checked on every
 * namespace node of the subset (declarations inside it and those the apex inherits), as libxml2
 * does. An empty URI (`xmlns=""`) is an undeclaration, not a URI.
 */
function checkAbsolute(prefix: string, uri: string): void {
  if (uri === "" || hasScheme(uri)) return;
  const declaration = prefix === "" ? "xmlns" : "xmlns:" + prefix;
  throw new Error(`exclusive C14N: ${declaration}="${uri}" is a relative namespace URI, which C14N must refuse to canonicalize`);
}

/** RFC 3986 `scheme ":"` at the start: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". */
function hasScheme(uri: string): boolean {
  let c = uri.charCodeAt(0) | 0x20;
  if (c < 0x61 || c > 0x7a) return false;
  for (let i = 1; i < uri.length; i++) {
    c = uri.charCodeAt(i);
    if (c === 0x3a) return true;
    const lower = c | 0x20;
    if (!((lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)) return false;
  }
  return false;
}

function renderAttribute(attr: XmlAttribute): string {
  return (attr.prefix === "" ? " " : " " + attr.prefix + ":") + attr.local + '="' + escapeAttribute(attr.value) + '"';
}

/** Attribute order: namespace URI (no namespace first), then local name, by code point. */
function compareAttributes(a: XmlAttribute, b: XmlAttribute): number {
  return a.ns === b.ns ? compareCodePoints(a.local, b.local) : compareCodePoints(a.ns, b.ns);
}

/** Sorts `[prefix, uri, prefix, uri, ...]` by prefix (insertion sort: there are a handful). */
function sortDeclarations(d: string[]): void {
  for (let i = 2; i < d.length; i += 2) {
    const prefix = d[i]!;
    const uri = d[i + 1]!;
    let j = i - 2;
    while (j >= 0 && compareCodePoints(d[j]!, prefix) > 0) {
      d[j + 2] = d[j]!;
      d[j + 3] = d[j + 1]!;
      j -= 2;
    }
    d[j + 2] = prefix;
    d[j + 3] = uri;
  }
}

/**
 * Compares by Unicode code point, as C14N orders names (UTF-16 code-unit order differs when a
 * supplementary character meets one in U+E000..U+FFFF).
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Move surrogates above U+E000..U+FFFF so that code-unit order becomes code-point order.
      if (x >= 0xd800 && y >= 0xd800) {
        x += x < 0xe000 ? 0x2000 : -0x800;
        y += y < 0xe000 ? 0x2000 : -0x800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Text node: `&` `<` `>` and CR escaped (C14N §2.3). */
function escapeText(s: string): string {
  // Short runs (indentation, most values): a loop; longer ones: the regex engine scans faster.
  if (s.length < 24) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x26 || c === 0x3c || c === 0x3e || c === 0x0d) return escapeFrom(s, i, false);
    }
    return s;
  }
  const first = s.search(TEXT_SPECIAL);
  return first === -1 ? s : escapeFrom(s, first, false);
}

const TEXT_SPECIAL = /[&<>\r]/;

/**
 * A namespace URI, rendered like an attribute value. The parser refuses whitespace, `"` and `<`
 * in namespace names, so only `&` can need escaping, and one `indexOf` tells.
 */
function escapeNamespace(uri: string): string {
  return uri.indexOf("&") === -1 ? uri : escapeAttribute(uri);
}

/** Attribute value: `&` `<` `"` TAB LF CR escaped (C14N §2.3). */
function escapeAttribute(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x26 || c === 0x3c || c === 0x22 || c === 0x09 || c === 0x0a || c === 0x0d) return escapeFrom(s, i, true);
  }
  return s;
}

function escapeFrom(s: string, first: number, attribute: boolean): string {
  let out = s.slice(0, first);
  let run = first;
  for (let i = first; i < s.length; i++) {
    let entity: string;
    switch (s.charCodeAt(i)) {
      case 0x26:
        entity = "&amp;";
        break;
      case 0x3c:
        entity = "&lt;";
        break;
      case 0x3e:
        if (attribute) continue;
        entity = "&gt;";
        break;
      case 0x22:
        if (!attribute) continue;
        entity = "&quot;";
        break;
      case 0x09:
        if (!attribute) continue;
        entity = "&#x9;";
        break;
      case 0x0a:
        if (!attribute) continue;
        entity = "&#xA;";
        break;
      case 0x0d:
        entity = "&#xD;";
        break;
      default:
        continue;
    }
    out += s.slice(run, i) + entity;
    run = i + 1;
  }
  return out + s.slice(run);
}

const canonicalizer = new ExclusiveCanonicalizer();
