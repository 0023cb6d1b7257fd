/**
 * SOAP 1.1 envelopes: reading (by namespace, whatever the prefixes) and writing.
 */
import type { XmlDocument, XmlElement } from "../xml/node.ts";
import type { ParseOptions } from "../xml/parse.ts";
import { SOAP11_ENV, SOAP12_ENV } from "../xml/namespaces.ts";
import { SoapFault } from "./fault.ts";

/** The parts of a received envelope. Elements are nodes of the parsed tree, not copies. */
export interface ParsedEnvelope {
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
 * @throws SoapFault `VersionMismatch` for a non-SOAP-1.1 envelope, `Client` for a malformed one.
 */
export function readEnvelope(doc: XmlDocument): ParsedEnvelope {
  const envelope = doc.root;
  if (envelope.local !== "Envelope" || envelope.ns !== SOAP11_ENV) {
    if (envelope.local === "Envelope" && envelope.ns === SOAP12_ENV) {
      throw new SoapFault("VersionMismatch", "this endpoint speaks SOAP 1.1; the message is a SOAP 1.2 envelope", { namespace: SOAP11_ENV });
    }
    if (envelope.local === "Envelope") {
      throw new SoapFault("VersionMismatch", `the Envelope is in namespace "${envelope.ns}", not the SOAP 1.1 namespace ${SOAP11_ENV}`, { namespace: SOAP11_ENV });
    }
    throw new SoapFault("Client", `the message is not a SOAP envelope: its root element is {${envelope.ns}}${envelope.local}`, { namespace: SOAP11_ENV });
  }
  // One pass over the Envelope's children: an optional Header, then the Body, nothing after it,
  // and no text but whitespace anywhere.
  let header: XmlElement | undefined;
  let body: XmlElement | undefined;
  let extra: XmlElement | undefined;
  let elements = 0;
  for (const c of envelope.children) {
    if (c.kind === "text") {
      if (!isBlank(c.value)) throw new SoapFault("Client", "the Envelope contains text outside Header and Body", { namespace: SOAP11_ENV });
      continue;
    }
    elements++;
    if (elements === 1 && c.ns === SOAP11_ENV && c.local === "Header") header = c;
    else if (body === undefined) body = c;
    else extra ??= c;
  }
  if (body === undefined || body.ns !== SOAP11_ENV || body.local !== "Body") {
    throw new SoapFault("Client", "the Envelope has no Body (expected an optional Header followed by the Body)", { namespace: SOAP11_ENV });
  }
  if (extra !== undefined) throw new SoapFault("Client", `unexpected element {${extra.ns}}${extra.local} after the Body`, { namespace: SOAP11_ENV });
  let payload: XmlElement | undefined;
  let payloads = 0;
  let bodyText = false;
  for (const c of body.children) {
    if (c.kind === "text") {
      if (!isBlank(c.value)) bodyText = true;
      continue;
    }
    payloads++;
    payload ??= c;
  }
  if (bodyText) throw new SoapFault("Client", "the Body contains text outside its element", { namespace: SOAP11_ENV });
  return { envelope, header, headers: header === undefined ? NO_HEADERS : elementChildren(header), body, payload, payloads: payloads > 1 ? elementChildren(body) : undefined };
}

const NO_HEADERS: readonly XmlElement[] = Object.freeze([]);

/** Whether a header block says `soap:mustUnderstand="1"`. */
export function mustUnderstand(block: XmlElement): boolean {
  for (const a of block.attributes) {
    if (a.ns === SOAP11_ENV && a.local === "mustUnderstand") {
      const v = a.value.trim();
      return v === "1" || v === "true";
    }
  }
  return false;
}

/** Wraps already-serialized header blocks and a Body payload in a SOAP 1.1 envelope. */
export function writeEnvelope(payload: string, headerBlocks = ""): string {
  const header = headerBlocks === "" ? "" : `<s:Header>${headerBlocks}</s:Header>`;
  return `<s:Envelope xmlns:s="${SOAP11_ENV}">${header}<s:Body>${payload}</s:Body></s:Envelope>`;
}

/**
 * How SOAP messages are parsed, received by the server and by the client alike: a SOAP message
 * carries no processing instructions (SOAP 1.1 §3), and one inside a signed Body would not be
 * digested by our canonicalizer (the tree drops it) while staying in the archived bytes.
 */
export const SOAP_PARSE_OPTIONS: ParseOptions = { processingInstructions: "refuse" };
