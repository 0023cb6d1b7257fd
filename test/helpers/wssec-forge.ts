/**
 * Forging WS-Security messages for hostile-input tests: find elements of a signed envelope by
 * namespace and name, splice its text (the rest stays byte for byte), and, where an attack needs a
 * signature that is cryptographically valid over a hostile SignedInfo (a signature over the
 * Timestamp only, an XSLT transform, ...), recompute Reference digests and the SignatureValue with
 * a key the test holds. A verifier that refuses such a message therefore refuses it on policy,
 * not because the arithmetic failed.
 */
import type { KeyObject } from "node:crypto";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import type { XmlDocument, XmlElement } from "../../runtime/src/xml/node.ts";
import { canonicalize } from "../../runtime/src/security/c14n.ts";
import { digestBase64, signBytes } from "../../runtime/src/security/rsa.ts";
import { ALGORITHMS, DS_NS, EXC_C14N, type SignatureAlgorithm, WSSE_NS, WSU_NS } from "../../runtime/src/security/algorithms.ts";
import { attributeValue, childrenNamed, elementChildren, startTagEnd } from "../../runtime/src/security/tree.ts";
import type { XmlElement as TreeElement } from "../../runtime/src/xml/node.ts";

/** Every element of the tree under (and including) `root`, in document order. */
function* descendants(root: TreeElement): Generator<TreeElement> {
  const stack: TreeElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    yield el;
    for (let i = el.children.length - 1; i >= 0; i--) {
      const c = el.children[i]!;
      if (c.kind === "element") stack.push(c);
    }
  }
}

export const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export { DS_NS, EXC_C14N, WSSE_NS, WSU_NS };

/** Every element named `{ns}local` in document order. */
export function findAll(doc: XmlDocument, ns: string, local: string): XmlElement[] {
  return [...descendants(doc.root)].filter((el) => el.ns === ns && el.local === local);
}

/** The `index`-th element named `{ns}local` of `text` (parsed afresh); throws when there is none. */
export function find(text: string, ns: string, local: string, index = 0): XmlElement {
  const el = findAll(parseXml(text), ns, local)[index];
  if (el === undefined) throw new Error(`no {${ns}}${local} #${index} in the message`);
  return el;
}

/** The Envelope's own soap:Body (not a Body an attacker wrapped somewhere else). */
export function envelopeBody(text: string): XmlElement {
  const body = childrenNamed(parseXml(text).root, SOAP_NS, "Body")[0];
  if (body === undefined) throw new Error("the Envelope has no soap:Body child");
  return body;
}

/** The element carrying `wsu:Id` or `Id` equal to `id`; throws when there is none. */
export function byId(text: string, id: string): XmlElement {
  for (const el of descendants(parseXml(text).root)) {
    if (attributeValue(el, WSU_NS, "Id") === id || attributeValue(el, "", "Id") === id) return el;
  }
  throw new Error(`no element has the Id ${id}`);
}

/** The exact source text of `el`. */
export function sourceOf(text: string, el: XmlElement): string {
  return text.slice(el.start, el.end);
}

/** `text` with `el` replaced by `replacement`. */
export function replaceElement(text: string, el: XmlElement, replacement: string): string {
  return text.slice(0, el.start) + replacement + text.slice(el.end);
}

/** `text` without `el`. */
export function removeElement(text: string, el: XmlElement): string {
  return replaceElement(text, el, "");
}

/** `text` with `insert` placed just before `el`. */
export function insertBefore(text: string, el: XmlElement, insert: string): string {
  return text.slice(0, el.start) + insert + text.slice(el.start);
}

/** `text` with `insert` placed just after `el`. */
export function insertAfter(text: string, el: XmlElement, insert: string): string {
  return text.slice(0, el.end) + insert + text.slice(el.end);
}

/** `text` with `insert` as the first content of `el` (which must not be an empty-element tag). */
export function prependChild(text: string, el: XmlElement, insert: string): string {
  const at = startTagEnd(text, el);
  if (at === el.end) throw new Error("prependChild: the element is an empty-element tag");
  return text.slice(0, at) + insert + text.slice(at);
}

/** `text` with `insert` as the last content of `el` (which must not be an empty-element tag). */
export function appendChild(text: string, el: XmlElement, insert: string): string {
  const at = text.lastIndexOf("</", el.end - 1);
  if (at < el.start || startTagEnd(text, el) === el.end) throw new Error("appendChild: the element is an empty-element tag");
  return text.slice(0, at) + insert + text.slice(at);
}

/** `text` with `attributes` (already serialized, e.g. ` a="1"`) added to the start tag of `el`. */
export function addAttributes(text: string, el: XmlElement, attributes: string): string {
  const end = startTagEnd(text, el);
  const at = text.charCodeAt(end - 2) === 0x2f && end === el.end ? end - 2 : end - 1;
  return text.slice(0, at) + attributes + text.slice(at);
}

/** The ds:Reference of the message's signature whose URI is `uri`. */
export function referenceTo(text: string, uri: string): XmlElement {
  const signedInfo = childrenNamed(signatureOf(text), DS_NS, "SignedInfo")[0]!;
  const reference = childrenNamed(signedInfo, DS_NS, "Reference").find((r) => attributeValue(r, "", "URI") === uri);
  if (reference === undefined) throw new Error(`no ds:Reference with URI ${uri}`);
  return reference;
}

/** The `wsu:Id` of the message's soap:Body. */
export function bodyIdOf(text: string): string {
  const id = attributeValue(find(text, SOAP_NS, "Body"), WSU_NS, "Id");
  if (id === undefined) throw new Error("the soap:Body has no wsu:Id");
  return id;
}

/** The `wsu:Id` of the message's wsu:Timestamp. */
export function timestampIdOf(text: string): string {
  const id = attributeValue(find(text, WSU_NS, "Timestamp"), WSU_NS, "Id");
  if (id === undefined) throw new Error("the wsu:Timestamp has no wsu:Id");
  return id;
}

/** `text` with the content of `el` (written with a start and an end tag) replaced by `content`. */
export function setContent(text: string, el: XmlElement, content: string): string {
  const open = startTagEnd(text, el);
  if (open === el.end) throw new Error("setContent: the element is an empty-element tag");
  return text.slice(0, open) + content + text.slice(text.lastIndexOf("</", el.end - 1));
}

/** The ds:Signature of the message's wsse:Security header. */
export function signatureOf(text: string): XmlElement {
  const security = find(text, WSSE_NS, "Security");
  const signature = childrenNamed(security, DS_NS, "Signature")[0];
  if (signature === undefined) throw new Error("the wsse:Security header has no ds:Signature");
  return signature;
}

const DIGEST_FAMILY = new Map<string, SignatureAlgorithm>((Object.keys(ALGORITHMS) as SignatureAlgorithm[]).map((a) => [ALGORITHMS[a].digest, a]));
const SIGNATURE_FAMILY = new Map<string, SignatureAlgorithm>((Object.keys(ALGORITHMS) as SignatureAlgorithm[]).map((a) => [ALGORITHMS[a].signature, a]));

/** The PrefixList of an exclusive-C14N method or transform element, if it has one. */
function prefixListOf(method: XmlElement | undefined): string[] | undefined {
  const inclusive = method === undefined ? undefined : childrenNamed(method, EXC_C14N, "InclusiveNamespaces")[0];
  if (inclusive === undefined) return undefined;
  return (attributeValue(inclusive, "", "PrefixList") ?? "").split(/\s+/).filter((p) => p !== "");
}

/**
 * Recomputes the DigestValue of every same-document Reference (`#id`) from its target as the
 * message now stands, with exclusive C14N (and the Reference's PrefixList, if any) and the
 * Reference's digest algorithm; other References are left alone.
 */
export function redigest(text: string): string {
  let out = text;
  const count = childrenNamed(childrenNamed(signatureOf(out), DS_NS, "SignedInfo")[0]!, DS_NS, "Reference").length;
  for (let i = 0; i < count; i++) {
    const reference = childrenNamed(childrenNamed(signatureOf(out), DS_NS, "SignedInfo")[0]!, DS_NS, "Reference")[i]!;
    const uri = attributeValue(reference, "", "URI") ?? "";
    if (!uri.startsWith("#")) continue;
    const target = byId(out, uri.slice(1));
    const transforms = childrenNamed(reference, DS_NS, "Transforms")[0];
    const transform = transforms === undefined ? undefined : elementChildren(transforms).find((t) => attributeValue(t, "", "Algorithm") === EXC_C14N);
    const prefixes = prefixListOf(transform);
    const digestMethod = childrenNamed(reference, DS_NS, "DigestMethod")[0];
    const family = DIGEST_FAMILY.get(digestMethod === undefined ? "" : attributeValue(digestMethod, "", "Algorithm") ?? "") ?? "rsa-sha1";
    const digest = digestBase64(family, canonicalize(target, prefixes === undefined ? {} : { inclusivePrefixes: prefixes }));
    out = setContent(out, childrenNamed(reference, DS_NS, "DigestValue")[0]!, digest);
  }
  return out;
}

/**
 * Recomputes the SignatureValue over SignedInfo as it now stands (exclusive C14N with the
 * CanonicalizationMethod's PrefixList), with `privateKey` and the RSA algorithm the
 * SignatureMethod names (`fallback` when it names something else, e.g. an HMAC).
 */
export function resign(text: string, privateKey: KeyObject, fallback: SignatureAlgorithm = "rsa-sha1"): string {
  const signature = signatureOf(text);
  const signedInfo = childrenNamed(signature, DS_NS, "SignedInfo")[0]!;
  const method = childrenNamed(signedInfo, DS_NS, "SignatureMethod")[0];
  const algorithm = SIGNATURE_FAMILY.get(method === undefined ? "" : attributeValue(method, "", "Algorithm") ?? "") ?? fallback;
  const prefixes = prefixListOf(childrenNamed(signedInfo, DS_NS, "CanonicalizationMethod")[0]);
  const value = signBytes(algorithm, privateKey, canonicalize(signedInfo, prefixes === undefined ? {} : { inclusivePrefixes: prefixes })).toString("base64");
  return setContent(text, childrenNamed(signature, DS_NS, "SignatureValue")[0]!, value);
}

/** Digests first, then the signature: a message whose hostile SignedInfo is validly signed by `privateKey`. */
export function redigestAndResign(text: string, privateKey: KeyObject): string {
  return resign(redigest(text), privateKey);
}
