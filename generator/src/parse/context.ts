/**
 * Shared helpers of the parse pass: QName resolution by namespace, occurrence and boolean
 * attributes, documentation, and one reporting entry point.
 */
import type { XmlElement } from "@mpay-kit/runtime";
import type { Diagnostics, SourceLocation } from "../diagnostics.ts";
import type { LoadedContract, SourceDocument } from "../load/load.ts";
import { attr, children, textContent, writtenName } from "../load/xml.ts";
import type { QName, Ref, RefTarget } from "../ir/model.ts";
import { XSD } from "../ir/ns.ts";

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
export function resolveQName(el: XmlElement, value: string): QName | { error: string } {
  const v = value.trim();
  const colon = v.indexOf(":");
  const prefix = colon < 0 ? "" : v.slice(0, colon);
  const local = colon < 0 ? v : v.slice(colon + 1);
  if (local === "" || local.includes(":")) return { error: `${JSON.stringify(value)} is not a valid QName` };
  if (prefix === "xml") return { ns: XML_NS, local };
  for (let e: XmlElement | undefined = el; e !== undefined; e = e.parent) {
    for (const d of e.namespaces) if (d.prefix === prefix) return { ns: d.uri, local };
  }
  if (prefix === "") return { ns: "", local };
  return { error: `the prefix ${JSON.stringify(prefix)} of ${JSON.stringify(value)} is not declared` };
}

/** A reference from a QName attribute; `undefined` (with a diagnostic) when the QName is malformed. */
export function refFrom<K extends keyof RefTarget>(ctx: ParseContext, el: XmlElement, attribute: string, to: K): Ref<K> | undefined {
  const value = attr(el, attribute);
  if (value === undefined) return undefined;
  const q = resolveQName(el, value);
  const source = at(ctx, el, attribute);
  if ("error" in q) {
    ctx.diagnostics.error(source, q.error, `declare the prefix with xmlns:${value.split(":")[0]}="<namespace>"`);
    return undefined;
  }
  // Chameleon include: the included schema's unqualified names belong to the includer's namespace.
  const name = q.ns === "" && ctx.chameleon !== undefined ? { ns: ctx.chameleon, local: q.local } : q;
  const ref: Ref<K> = { kind: "ref", to, name, source, target: undefined };
  ctx.refs.push(ref as Ref<keyof RefTarget>);
  return ref;
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
