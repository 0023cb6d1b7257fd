/**
 * WS-Policy in a WSDL 1.1 document → IR: policy expressions as written, where they are attached,
 * and the policies a reference can name. Both WS-Policy namespaces (1.2, 2004/09, WCF's; 1.5,
 * W3C) are read the same way; nothing is interpreted here (that is `ir/policy.ts`).
 *
 * Attachment (WS-PolicyAttachment 1.2 / 1.5, section 4.1): a `wsp:Policy` or
 * `wsp:PolicyReference` child of a WSDL element, or a `wsp:PolicyURIs` attribute on it (the only
 * way allowed on elements whose schema has no extensibility, like `wsdl:portType`).
 *
 * References are resolved as URIs against the document they are written in: `#id` names a
 * `wsp:Policy` with that `wsu:Id` or `xml:id` in the same document; `other.wsdl#id` (or an
 * absolute URL a catalog mapped) one in another loaded document; any other URI a policy whose
 * `Name` is that URI. External policy files are never loaded.
 */
import { dirname, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import type { XmlElement } from "@mpay-kit/runtime";
import type { SourceDocument } from "../load/load.ts";
import { attr, attrNS, children, writtenName } from "../load/xml.ts";
import type { PolicyAttribute, PolicyDefinition, PolicyExpression, PolicyOperator, PolicyParameter, PolicyReference } from "../ir/model.ts";
import { WSDL, WSP12, WSP15, WSU, XSD } from "../ir/ns.ts";
import { at, type ParseContext } from "./context.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** Whether a namespace is one of the two WS-Policy namespaces. */
export function isPolicyNamespace(ns: string): boolean {
  return ns === WSP12 || ns === WSP15;
}

/**
 * Whether an extension element of a WSDL component is WS-Policy that the parser understands:
 * `wsp:Policy`, `wsp:PolicyReference`, and `wsp:UsingPolicy` (which only says that policy is used,
 * and may be `wsdl:required`).
 */
export function isPolicyExtension(el: XmlElement): boolean {
  return isPolicyNamespace(el.ns) && (el.local === "Policy" || el.local === "PolicyReference" || el.local === "UsingPolicy");
}

/** The policy attached to a WSDL element: its `wsp:Policy` / `wsp:PolicyReference` children and `wsp:PolicyURIs`, in document order. */
export function policyAttachments(ctx: ParseContext, el: XmlElement): PolicyExpression[] {
  const out: PolicyExpression[] = [];
  for (const a of el.attributes) {
    if (!isPolicyNamespace(a.ns) || a.local !== "PolicyURIs") continue;
    for (const uri of a.value.trim().split(/\s+/)) {
      if (uri !== "") out.push(reference(ctx, el, uri, `${a.prefix === "" ? "" : `${a.prefix}:`}PolicyURIs`));
    }
  }
  for (const c of children(el)) {
    if (!isPolicyNamespace(c.ns)) continue;
    if (c.local === "Policy") out.push(readOperator(ctx, c, "all"));
    else if (c.local === "PolicyReference") {
      const r = readReference(ctx, c);
      if (r !== undefined) out.push(r);
    }
  }
  return out;
}

/**
 * Every `wsp:Policy` of a WSDL document that has a `wsu:Id`, an `xml:id` or a `Name`, at any depth
 * outside `wsdl:types` (WCF writes them first in `wsdl:definitions`; others inline them in bindings).
 */
export function policyDefinitions(ctx: ParseContext, root: XmlElement): PolicyDefinition[] {
  const out: PolicyDefinition[] = [];
  const visit = (el: XmlElement): void => {
    for (const c of children(el)) {
      if ((c.ns === WSDL && c.local === "types") || c.ns === XSD) continue;
      if (isPolicyNamespace(c.ns) && c.local === "Policy") {
        const id = attrNS(c, WSU, "Id") ?? attrNS(c, XML_NS, "id");
        const name = attr(c, "Name");
        const keys: string[] = [];
        if (id !== undefined && id.trim() !== "") keys.push(documentKey(ctx.doc, id.trim()));
        if (name !== undefined && name.trim() !== "") keys.push(name.trim());
        if (keys.length > 0) out.push({ kind: "policy", keys, label: id?.trim() || name!.trim(), body: readOperator(ctx, c, "all"), source: at(ctx, c) });
      }
      visit(c);
    }
  };
  visit(root);
  return out;
}

/** The key of the policy with id `id` in a loaded document. */
function documentKey(doc: SourceDocument, id: string): string {
  return `${doc.path}#${id}`;
}

function readReference(ctx: ParseContext, el: XmlElement): PolicyReference | undefined {
  const uri = attr(el, "URI")?.trim();
  if (uri === undefined || uri === "") {
    ctx.diagnostics.error(at(ctx, el), `${writtenName(el)} has no URI attribute`, 'write URI="#<wsu:Id of the policy>"');
    return undefined;
  }
  return reference(ctx, el, uri, "URI");
}

function reference(ctx: ParseContext, el: XmlElement, uri: string, attribute: string): PolicyReference {
  return { kind: "policyReference", uri, key: referenceKey(ctx, uri), source: at(ctx, el, attribute) };
}

/** Resolves a reference URI against the document it is written in (see the module comment). */
function referenceKey(ctx: ParseContext, uri: string): string {
  const hash = uri.indexOf("#");
  if (hash < 0) return uri;
  const documentPart = uri.slice(0, hash);
  const fragment = uri.slice(hash + 1);
  if (documentPart === "") return documentKey(ctx.doc, fragment);
  const target = ctx.loaded.documents.find((d) => sameDocument(ctx.doc, documentPart, d));
  return target === undefined ? uri : documentKey(target, fragment);
}

/** Whether `location`, written in `from`, names the loaded document `d`. */
function sameDocument(from: SourceDocument, location: string, d: SourceDocument): boolean {
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(location);
  if (d.base.kind === "url") {
    try {
      const base = from.base.kind === "url" ? from.base.url : undefined;
      if (absolute) return new URL(location).href === new URL(d.base.url).href;
      return base !== undefined && new URL(location, base).href === new URL(d.base.url).href;
    } catch {
      return false;
    }
  }
  if (absolute) return location.startsWith("file:") && safeFilePath(location) === d.path;
  const relative = safeDecode(location);
  return from.base.kind === "file" && relative !== undefined && resolvePath(dirname(from.base.path), relative) === d.path;
}

/** `decodeURIComponent`, or `undefined` for a malformed escape (a reference that names nothing, not a crash). */
function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function safeFilePath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

/** `wsp:Policy` / `wsp:All` / `wsp:ExactlyOne` and their terms. `kind` is the operator the element means. */
function readOperator(ctx: ParseContext, el: XmlElement, kind: PolicyOperator["kind"]): PolicyOperator {
  const terms: PolicyExpression[] = [];
  for (const c of children(el)) {
    if (isPolicyNamespace(c.ns)) {
      switch (c.local) {
        case "Policy":
        case "All":
          terms.push(readOperator(ctx, c, "all"));
          continue;
        case "ExactlyOne":
          terms.push(readOperator(ctx, c, "exactlyOne"));
          continue;
        case "PolicyReference": {
          const r = readReference(ctx, c);
          if (r !== undefined) terms.push(r);
          continue;
        }
        default:
          ctx.diagnostics.error(at(ctx, c), `unexpected element ${writtenName(c)} in ${writtenName(el)}`, "a policy holds wsp:Policy, wsp:All, wsp:ExactlyOne, wsp:PolicyReference and assertions");
          continue;
      }
    }
    terms.push(readAssertion(ctx, c));
  }
  return { kind, terms, source: at(ctx, el) };
}

function readAssertion(ctx: ParseContext, el: XmlElement): PolicyExpression {
  let optional = false;
  let ignorable = false;
  const attributes: PolicyAttribute[] = [];
  for (const a of el.attributes) {
    if (isPolicyNamespace(a.ns) && (a.local === "Optional" || a.local === "Ignorable")) {
      const v = a.value.trim();
      const on = v === "true" || v === "1";
      if (!on && v !== "false" && v !== "0") {
        ctx.diagnostics.error(at(ctx, el, writtenAttribute(a)), `${writtenAttribute(a)} must be true or false, not ${JSON.stringify(a.value)}`);
      }
      if (a.local === "Optional") optional = on;
      else ignorable = on;
      continue;
    }
    attributes.push({ ns: a.ns, local: a.local, value: a.value });
  }
  let nested: PolicyOperator | undefined;
  const parameters: PolicyParameter[] = [];
  for (const c of children(el)) {
    if (isPolicyNamespace(c.ns) && c.local === "Policy") {
      if (nested !== undefined) {
        ctx.diagnostics.error(at(ctx, c), `${writtenName(el)} has a second nested wsp:Policy`, "an assertion has at most one nested policy");
        continue;
      }
      nested = readOperator(ctx, c, "all");
    } else {
      parameters.push({ name: { ns: c.ns, local: c.local }, attributes: c.attributes.map((a) => ({ ns: a.ns, local: a.local, value: a.value })), source: at(ctx, c) });
    }
  }
  return { kind: "assertion", name: { ns: el.ns, local: el.local }, optional, ignorable, attributes, nested, parameters, source: at(ctx, el) };
}

function writtenAttribute(a: { prefix: string; local: string }): string {
  return a.prefix === "" ? a.local : `${a.prefix}:${a.local}`;
}
