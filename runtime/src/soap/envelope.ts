/**
 * SOAP 1.1 and SOAP 1.2 envelopes: reading (by namespace, whatever the prefixes) and writing.
 *
 * Problems the sender caused are raised as `SoapFault("Client", ..., { namespace: SOAP 1.1 })`
 * whatever the version (the server turns them into its invalid-request fault, which a SOAP 1.2
 * answer writes as `env:Sender`).
 */
import type { XmlDocument, XmlElement } from "../xml/node.ts";
import type { ParseOptions } from "../xml/parse.ts";
import { SOAP11_ENV, SOAP12_ENV } from "../xml/namespaces.ts";
import { SoapFault } from "./fault.ts";
import { escapeAttribute } from "../xml/write.ts";

/** A SOAP version: 1.1 (`text/xml`) or 1.2 (`application/soap+xml`, W3C Recommendation 2007). */
export type SoapVersion = "1.1" | "1.2";

/** The envelope namespace of a SOAP version. */
export function envelopeNamespace(version: SoapVersion): string {
  return version === "1.1" ? SOAP11_ENV : SOAP12_ENV;
}

/** The parts of a received envelope. Elements are nodes of the parsed tree, not copies. */
export interface ParsedEnvelope {
  /** The SOAP version of the envelope (by its namespace). */
  readonly version: SoapVersion;
  readonly envelope: XmlElement;
  readonly header: XmlElement | undefined;
  /** The header blocks: element children of `soap:Header`. */
  readonly headers: readonly XmlElement[];
  readonly body: XmlElement;
  /** The first element child of the Body (the payload or a `soap:Fault`); `undefined` for an empty Body. */
  readonly payload: XmlElement | undefined;
  /**
   * Every element child of the Body, only when there are several (a message of several parts);
   * `undefined` for one or none. Whether the operation takes several is the reader's to check.
   */
  readonly payloads: readonly XmlElement[] | undefined;
}

function elementChildren(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.kind === "element");
}

function isBlank(value: string): boolean {
  return value.trim() === "";
}

/**
 * Splits a parsed document into Envelope, Header blocks and Body payload.
 * @param accept - the versions read: SOAP 1.1 only (the default), 1.2 only, or both.
 * @throws SoapFault `VersionMismatch` for an envelope of another version, `Client` for a malformed one.
 */
export function readEnvelope(doc: XmlDocument, accept: SoapVersion | "both" = "1.1"): ParsedEnvelope {
  const envelope = doc.root;
  let version: SoapVersion;
  if (envelope.local === "Envelope" && envelope.ns === SOAP11_ENV && accept !== "1.2") version = "1.1";
  else if (envelope.local === "Envelope" && envelope.ns === SOAP12_ENV && accept !== "1.1") version = "1.2";
  else {
    const wanted = accept === "both" ? `the SOAP 1.1 namespace ${SOAP11_ENV} or the SOAP 1.2 namespace ${SOAP12_ENV}` : `the SOAP ${accept} namespace ${envelopeNamespace(accept)}`;
    if (envelope.local === "Envelope" && (envelope.ns === SOAP12_ENV || envelope.ns === SOAP11_ENV)) {
      const other = envelope.ns === SOAP12_ENV ? "1.2" : "1.1";
      throw new SoapFault("VersionMismatch", `this endpoint speaks SOAP ${accept}; the message is a SOAP ${other} envelope`, { namespace: SOAP11_ENV });
    }
    if (envelope.local === "Envelope") {
      throw new SoapFault("VersionMismatch", `the Envelope is in namespace "${envelope.ns}", not ${wanted}`, { namespace: SOAP11_ENV });
    }
    throw new SoapFault("Client", `the message is not a SOAP envelope: its root element is {${envelope.ns}}${envelope.local}`, { namespace: SOAP11_ENV });
  }
  const ns = version === "1.1" ? SOAP11_ENV : SOAP12_ENV;
  // One pass over the Envelope's children: an optional Header, then the Body, nothing after it,
  // and no text but whitespace anywhere.
  let header: XmlElement | undefined;
  let body: XmlElement | undefined;
  let extra: XmlElement | undefined;
  let elements = 0;
  // (Index loops: see runtime/src/security/tree.ts on for-of over the parser's arrays.)
  const envelopeChildren = envelope.children;
  for (let i = 0; i < envelopeChildren.length; i++) {
    const c = envelopeChildren[i]!;
    if (c.kind === "text") {
      if (!isBlank(c.value)) throw new SoapFault("Client", "the Envelope contains text outside Header and Body", { namespace: SOAP11_ENV });
      continue;
    }
    elements++;
    if (elements === 1 && c.ns === ns && c.local === "Header") header = c;
    else if (body === undefined) body = c;
    else extra ??= c;
  }
  if (body === undefined || body.ns !== ns || body.local !== "Body") {
    throw new SoapFault("Client", "the Envelope has no Body (expected an optional Header followed by the Body)", { namespace: SOAP11_ENV });
  }
  if (extra !== undefined) throw new SoapFault("Client", `unexpected element {${extra.ns}}${extra.local} after the Body`, { namespace: SOAP11_ENV });
  let payload: XmlElement | undefined;
  let payloads = 0;
  let bodyText = false;
  const bodyChildren = body.children;
  for (let i = 0; i < bodyChildren.length; i++) {
    const c = bodyChildren[i]!;
    if (c.kind === "text") {
      if (!isBlank(c.value)) bodyText = true;
      continue;
    }
    payloads++;
    payload ??= c;
  }
  if (bodyText) throw new SoapFault("Client", "the Body contains text outside its element", { namespace: SOAP11_ENV });
  return { version, envelope, header, headers: header === undefined ? NO_HEADERS : elementChildren(header), body, payload, payloads: payloads > 1 ? elementChildren(body) : undefined };
}

const NO_HEADERS: readonly XmlElement[] = Object.freeze([]);

/** The roles a SOAP 1.1 actor / SOAP 1.2 role names that this endpoint plays: the next node, and (1.2) the ultimate receiver. */
const OUR_ROLES = new Set(["http://schemas.xmlsoap.org/soap/actor/next", `${SOAP12_ENV}/role/next`, `${SOAP12_ENV}/role/ultimateReceiver`]);

/**
 * Whether a header block says `soap:mustUnderstand="1"` (or `"true"`), in the envelope namespace
 * of its version, and is meant for this endpoint: a block targeted at another node (SOAP 1.1
 * `actor`, SOAP 1.2 `role`, other than "next" or the ultimate receiver) is not this endpoint's to
 * understand (SOAP 1.1 section 4.2.2, SOAP 1.2 Part 1 section 5.2.3).
 */
export function mustUnderstand(block: XmlElement, version: SoapVersion = "1.1"): boolean {
  const ns = version === "1.1" ? SOAP11_ENV : SOAP12_ENV;
  let must = false;
  let role: string | undefined;
  for (const a of block.attributes) {
    if (a.ns !== ns) continue;
    if (a.local === "mustUnderstand") {
      const v = a.value.trim();
      must = v === "1" || v === "true";
    } else if (a.local === (version === "1.1" ? "actor" : "role")) role = a.value.trim();
  }
  return must && (role === undefined || role === "" || OUR_ROLES.has(role));
}

/** Wraps already-serialized header blocks and a Body payload in a SOAP 1.1 (default) or 1.2 envelope. */
export function writeEnvelope(payload: string, headerBlocks = "", version: SoapVersion = "1.1"): string {
  const header = headerBlocks === "" ? "" : `<s:Header>${headerBlocks}</s:Header>`;
  return `<s:Envelope xmlns:s="${version === "1.1" ? SOAP11_ENV : SOAP12_ENV}">${header}<s:Body>${payload}</s:Body></s:Envelope>`;
}

/** The `NotUnderstood` header block a SOAP 1.2 MustUnderstand fault carries (Part 1, section 5.4.8). */
export function notUnderstoodHeader(block: { readonly ns: string; readonly local: string }): string {
  const qname = block.ns === "" ? escapeAttribute(block.local) : `n:${escapeAttribute(block.local)}`;
  const declaration = block.ns === "" ? "" : ` xmlns:n="${escapeAttribute(block.ns)}"`;
  return `<u:NotUnderstood xmlns:u="${SOAP12_ENV}"${declaration} qname="${qname}"/>`;
}

/**
 * The `Upgrade` header block a VersionMismatch fault carries (SOAP 1.2 Part 1, section 5.4.7):
 * the envelopes this endpoint reads, SOAP 1.2 first.
 */
export function upgradeHeader(): string {
  return `<u:Upgrade xmlns:u="${SOAP12_ENV}"><u:SupportedEnvelope xmlns:a="${SOAP12_ENV}" qname="a:Envelope"/><u:SupportedEnvelope xmlns:b="${SOAP11_ENV}" qname="b:Envelope"/></u:Upgrade>`;
}

/**
 * How SOAP messages are parsed, received by the server and by the client alike: a SOAP message
 * carries no processing instructions (SOAP 1.1 §3), and one inside a signed Body would not be
 * digested by our canonicalizer (the tree drops it) while staying in the archived bytes.
 */
export const SOAP_PARSE_OPTIONS: ParseOptions = { processingInstructions: "refuse" };
