/**
 * Shared helpers of the parse pass: QName resolution by namespace (and what a QName that the
 * rules cannot resolve carries for the resolve pass's lenient readings), occurrence and boolean
 * attributes, documentation, and duplicate definitions.
 */
import type { XmlElement } from "@mpay-kit/runtime";
import type { Diagnostics, SourceLocation } from "../diagnostics.ts";
import type { LoadedContract, SourceDocument } from "../load/load.ts";
import { attr, children, textContent, writtenName } from "../load/xml.ts";
import type { QName, Ref, RefTarget } from "../ir/model.ts";
import { WSDL, XSD } from "../ir/ns.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** What every visitor needs: the document being read and where to report. */
export interface ParseContext {
  readonly loaded: LoadedContract;
  readonly doc: SourceDocument;
  readonly diagnostics: Diagnostics;
  /**
   * For a chameleon include (an included schema without a target namespace): the includer's
   * namespace, which unqualified references in the included schema take.
   */
  readonly chameleon: string | undefined;
  /** The target namespace of the schema or WSDL being read (for lenient readings of its QNames). */
  readonly targetNamespace: string;
  /** Every reference created, for the resolve pass. */
  readonly refs: Ref<keyof RefTarget>[];
}

export function at(ctx: ParseContext, el: XmlElement, attribute?: string): SourceLocation {
  return ctx.doc.source.at(el, attribute);
}

/**
 * Resolves a QName-valued attribute (`type="tns:Order"`) by the namespace declarations in scope
 * at the element that carries it, never by the prefix alone. An unprefixed name takes the default
 * namespace in scope (XSD 1.0 Part 1, 3.15.3), or no namespace.
 */
export function resolveQName(el: XmlElement, value: string): QName | { error: string; undeclared?: string } {
  const v = value.trim();
  const colon = v.indexOf(":");
  const prefix = colon < 0 ? "" : v.slice(0, colon);
  const local = colon < 0 ? v : v.slice(colon + 1);
  if (local === "" || local.includes(":")) return { error: `${JSON.stringify(value)} is not a valid QName` };
  if (prefix === "xml") return { ns: XML_NS, local };
  const ns = namespaceInScope(el, prefix);
  if (ns !== undefined) return { ns, local };
  if (prefix === "") return { ns: "", local };
  return { error: `the prefix ${JSON.stringify(prefix)} of ${JSON.stringify(value)} is not declared`, undeclared: prefix };
}

/** The namespace a prefix (`""`: the default namespace) is bound to at an element, if any. */
export function namespaceInScope(el: XmlElement, prefix: string): string | undefined {
  for (let e: XmlElement | undefined = el; e !== undefined; e = e.parent) {
    for (const d of e.namespaces) if (d.prefix === prefix) return d.uri === "" ? undefined : d.uri;
  }
  return undefined;
}

/** What a reference is for (see {@link Ref.content}). */
function contentOf(el: XmlElement, attribute: string): Ref<keyof RefTarget>["content"] {
  if (el.ns === WSDL && el.local === "fault") return "fault";
  if (el.ns !== XSD) return "any";
  if (el.local === "attribute" || el.local === "list" || el.local === "union") return "simple";
  if (attribute === "base" && el.local === "restriction" && el.parent?.ns === XSD && el.parent.local === "simpleType") return "simple";
  return "any";
}

/** A reference from a QName attribute; `undefined` (with a diagnostic) when the QName is malformed. */
export function refFrom<K extends keyof RefTarget>(ctx: ParseContext, el: XmlElement, attribute: string, to: K, item?: string): Ref<K> | undefined {
  // `item`: one QName of a list-valued attribute (`xs:union memberTypes`).
  const value = item ?? attr(el, attribute);
  if (value === undefined) return undefined;
  const q = resolveQName(el, value);
  const source = at(ctx, el, attribute);
  const written = value.trim();
  const common = { kind: "ref", to, source, written, targetNamespace: ctx.targetNamespace, content: contentOf(el, attribute), target: undefined } as const;
  let ref: Ref<K>;
  if ("error" in q) {
    if (q.undeclared === undefined) {
      ctx.diagnostics.error(source, q.error);
      return undefined;
    }
    // Resolved leniently (or reported) by the resolve pass, which knows what exists.
    const local = written.slice(written.indexOf(":") + 1);
    ref = { ...common, name: { ns: "", local }, reading: "undeclared", prefixElsewhere: prefixBindings(ctx.loaded, q.undeclared) };
  } else if (q.ns === "" && ctx.chameleon !== undefined) {
    // Chameleon include: the included schema's unqualified names belong to the includer's namespace.
    ref = { ...common, name: { ns: ctx.chameleon, local: q.local }, reading: "declared", prefixElsewhere: [] };
  } else {
    const noDefault = q.ns === "" && !written.includes(":") && namespaceInScope(el, "") === undefined;
    ref = { ...common, name: q, reading: noDefault ? "no-default" : "declared", prefixElsewhere: [] };
  }
  ctx.refs.push(ref as Ref<keyof RefTarget>);
  return ref;
}

/**
 * A reference for a required QName attribute that is missing (`owner` is what lacks it, for
 * messages): the resolve pass takes the only component of that kind, or reports it.
 */
export function absentRef<K extends keyof RefTarget>(ctx: ParseContext, el: XmlElement, owner: string, to: K): Ref<K> {
  const ref: Ref<K> = {
    kind: "ref",
    to,
    name: { ns: "", local: "" },
    source: at(ctx, el),
    written: owner,
    reading: "absent",
    targetNamespace: ctx.targetNamespace,
    prefixElsewhere: [],
    content: "any",
    target: undefined,
  };
  ctx.refs.push(ref as Ref<keyof RefTarget>);
  return ref;
}

const bindingsByContract = new WeakMap<LoadedContract, Map<string, Set<string>>>();

/** The namespaces the contract's documents bind a prefix to anywhere, sorted. */
function prefixBindings(loaded: LoadedContract, prefix: string): string[] {
  let table = bindingsByContract.get(loaded);
  if (table === undefined) {
    table = new Map();
    const visit = (el: XmlElement) => {
      for (const d of el.namespaces) {
        if (d.prefix === "" || d.uri === "") continue;
        let set = table!.get(d.prefix);
        if (set === undefined) table!.set(d.prefix, (set = new Set()));
        set.add(d.uri);
      }
      for (const c of el.children) if (c.kind === "element") visit(c);
    };
    for (const doc of loaded.documents) visit(doc.source.root);
    bindingsByContract.set(loaded, table);
  }
  return [...(table.get(prefix) ?? [])].sort();
}

/** `minOccurs` / `maxOccurs` (`unbounded` → `Infinity`), checked. */
export function occurs(ctx: ParseContext, el: XmlElement): { minOccurs: number; maxOccurs: number } {
  const min = attr(el, "minOccurs");
  const max = attr(el, "maxOccurs");
  let minOccurs = 1;
  let maxOccurs = 1;
  if (min !== undefined) {
    const n = nonNegativeInteger(min);
    if (n === undefined) ctx.diagnostics.error(at(ctx, el, "minOccurs"), `minOccurs must be a non-negative integer, not ${JSON.stringify(min)}`);
    else minOccurs = n;
  }
  if (max !== undefined) {
    const n = max.trim() === "unbounded" ? Infinity : nonNegativeInteger(max);
    if (n === undefined) ctx.diagnostics.error(at(ctx, el, "maxOccurs"), `maxOccurs must be a non-negative integer or "unbounded", not ${JSON.stringify(max)}`);
    else maxOccurs = n;
  }
  if (minOccurs > maxOccurs) {
    ctx.diagnostics.error(at(ctx, el, max !== undefined ? "maxOccurs" : "minOccurs"), `minOccurs (${minOccurs}) is greater than maxOccurs (${maxOccurs})`);
    maxOccurs = minOccurs;
  }
  return { minOccurs, maxOccurs };
}

export function nonNegativeInteger(s: string): number | undefined {
  const t = s.trim();
  if (!/^\+?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** An `xs:boolean` attribute. */
export function booleanAttr(ctx: ParseContext, el: XmlElement, name: string, fallback: boolean): boolean {
  const v = attr(el, name)?.trim();
  if (v === undefined) return fallback;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  ctx.diagnostics.error(at(ctx, el, name), `${name} must be true or false, not ${JSON.stringify(v)}`);
  return fallback;
}

/** A required NCName attribute (`name`), reported when missing. */
export function requiredName(ctx: ParseContext, el: XmlElement, attribute = "name"): string | undefined {
  const v = attr(el, attribute)?.trim();
  if (v === undefined || v === "") {
    ctx.diagnostics.error(at(ctx, el), `${writtenName(el)} has no ${attribute} attribute`);
    return undefined;
  }
  return v;
}

/**
 * The documentation of a component: the text of its `xs:annotation/xs:documentation` (or
 * `wsdl:documentation`) children, dedented, several joined by a blank line.
 */
export function documentation(el: XmlElement, ns: string): string | undefined {
  const texts: string[] = [];
  for (const c of children(el)) {
    if (ns === XSD && c.ns === XSD && c.local === "annotation") {
      for (const d of children(c)) if (d.ns === XSD && d.local === "documentation") texts.push(normalizeDoc(textContent(d)));
    } else if (ns !== XSD && c.ns === ns && c.local === "documentation") {
      texts.push(normalizeDoc(textContent(c)));
    }
  }
  const joined = texts.filter((t) => t !== "").join("\n\n");
  return joined === "" ? undefined : joined;
}

/** Trims, removes the common indentation and blank lines at either end, keeps paragraph breaks. */
export function normalizeDoc(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/\s+$/, ""));
  // Text that starts right after the opening tag has no indentation of its own on its first line.
  const firstOnTagLine = lines[0] !== "";
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) return "";
  const measured = (firstOnTagLine ? lines.slice(1) : lines).filter((l) => l !== "");
  const indent = measured.length === 0 ? 0 : Math.min(...measured.map((l) => /^[ \t]*/.exec(l)![0].length));
  const out = [firstOnTagLine ? lines[0]!.trim() : lines[0]!.slice(indent), ...lines.slice(1).map((l) => l.slice(indent))];
  // Collapse runs of blank lines to one.
  return out.filter((l, i) => !(l === "" && out[i - 1] === "")).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Duplicate definitions

interface Origin {
  readonly element: XmlElement;
  readonly doc: SourceDocument;
  readonly chameleon: string | undefined;
}

/** Where each global component was written, to compare duplicates. */
const origins = new WeakMap<object, Origin>();

/** Records the element a global component was read from. */
export function noteOrigin(ctx: ParseContext, node: object, element: XmlElement): void {
  origins.set(node, { element, doc: ctx.doc, chameleon: ctx.chameleon });
}

/** Attributes whose value is a QName (or a list of them): compared by the names they resolve to. */
const QNAME_ATTRIBUTES = new Set(["type", "base", "ref", "element", "message", "binding", "itemType", "memberTypes", "substitutionGroup", "refer"]);

/**
 * A component's definition in a form that does not depend on how it is written: expanded names,
 * attributes in a fixed order with QName values resolved, whitespace between tags and
 * documentation left out.
 */
function canonical(el: XmlElement, chameleon: string | undefined): string {
  const attrs = el.attributes.map((a) => {
    let value = a.value.trim();
    if (a.ns === "" && QNAME_ATTRIBUTES.has(a.local)) {
      value = value
        .split(/\s+/)
        .map((v) => {
          const q = resolveQName(el, v);
          if ("error" in q) return v;
          return `{${q.ns === "" && chameleon !== undefined && !v.includes(":") ? chameleon : q.ns}}${q.local}`;
        })
        .join(" ");
    }
    return `{${a.ns}}${a.local}=${JSON.stringify(value)}`;
  });
  let out = `<{${el.ns}}${el.local} ${attrs.sort().join(" ")}>`;
  for (const c of el.children) {
    if (c.kind === "text") {
      const t = c.value.replace(/\s+/g, " ").trim();
      if (t !== "") out += JSON.stringify(t);
    } else if (!(c.local === "annotation" && c.ns === XSD) && c.local !== "documentation") {
      out += canonical(c, chameleon);
    }
  }
  return `${out}</>`;
}

/** How two global components of one kind and name compare. */
export function compareDefinitions(first: object, second: object): "same" | "different" | "different, one document" {
  const a = origins.get(first);
  const b = origins.get(second);
  if (a === undefined || b === undefined) return "different";
  if (canonical(a.element, a.chameleon) === canonical(b.element, b.chameleon)) return "same";
  return a.doc === b.doc ? "different, one document" : "different";
}

/**
 * Keeps one of each `{namespace}name` in `list`, in order. A later definition equal to the first
 * (the same schema reached through two files, or copied) is dropped silently. One that differs is
 * a warning when it comes from another document (the first one is used, as strong-soap does;
 * zeep and node-soap keep the last, so the choice is reported), and an error when one document
 * defines the name twice (the document contradicts itself, and nothing says which one it means).
 */
export function dropDuplicates<T extends { readonly name: string | undefined; readonly ns: string; readonly source: SourceLocation; readonly redefined?: true }>(
  list: T[],
  noun: string,
  firsts: Map<string, T>,
  diagnostics: Diagnostics,
): void {
  let kept = 0;
  for (const node of list) {
    // The original of an xs:redefine stays (its redefinition refers to it) but holds no name.
    if (node.name === undefined || node.redefined === true) {
      list[kept++] = node;
      continue;
    }
    const key = `{${node.ns}}${node.name}`;
    const first = firsts.get(key);
    if (first === undefined) {
      firsts.set(key, node);
      list[kept++] = node;
      continue;
    }
    const f = first.source;
    const where = `${f.file}:${f.line}:${f.column}`;
    const comparison = compareDefinitions(first, node);
    if (comparison === "different, one document") {
      diagnostics.error(node.source, `duplicate ${noun} ${key}; it is also declared, differently, at ${where}`, "rename or remove one of them");
      list[kept++] = node;
    } else if (comparison === "different") {
      diagnostics.warning(node.source, `duplicate ${noun} ${key}, different from the one at ${where}; that first one is used and this one is ignored`, "remove one of the two definitions, or make them equal");
    }
  }
  list.length = kept;
}
