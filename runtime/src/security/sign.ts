/**
 * Signing an outgoing SOAP 1.1 envelope with WS-Security 1.0 and an X.509 key: a
 * `wsse:Security` header (mustUnderstand) with an optional BinarySecurityToken, a
 * `wsu:Timestamp` and a `ds:Signature` whose References cover the Body and the Timestamp,
 * exclusive C14N throughout.
 *
 * The canonical forms are computed from our own parse of the envelope as it will be sent, so
 * that what is digested is exactly what a verifier will canonicalize: the envelope text is
 * spliced (never re-serialized), parsed, and the canonical forms taken from that tree.
 */
import type { KeyObject, X509Certificate } from "node:crypto";
import { randomUUID } from "node:crypto";
import { parseXml } from "../xml/parse.ts";
import type { XmlElement } from "../xml/node.ts";
import { escapeAttribute, escapeText } from "../xml/write.ts";
import { SOAP11_ENV } from "../xml/namespaces.ts";
import { readEnvelope } from "../soap/envelope.ts";
import {
  ALGORITHMS,
  BASE64_BINARY,
  DS_NS,
  EXC_C14N,
  type KeyInfoForm,
  type SignatureAlgorithm,
  WSSE_NS,
  WSU_NS,
  X509_SKI,
  X509V3_TOKEN,
} from "./algorithms.ts";
import { canonicalize } from "./c14n.ts";
import { digestBase64, signBytes } from "./rsa.ts";
import { issuerSerial, subjectKeyIdentifier } from "./certificates.ts";
import { attributeValue, childrenNamed, inclusivePrefixesFor, startTagEnd } from "./tree.ts";

/** The key and certificate a party signs with (`Credentials` from `loadCredentials` fits). */
export interface SigningIdentity {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
}

/** How {@link signEnvelope} signs. */
export interface SigningOptions {
  readonly identity: SigningIdentity;
  /** Default `rsa-sha256`; MPay's published messages use `rsa-sha1`. */
  readonly algorithm?: SignatureAlgorithm;
  /** How the signature names its key (default `bst`). */
  readonly keyInfo?: KeyInfoForm;
  /**
   * Write an `InclusiveNamespaces PrefixList` on SignedInfo's CanonicalizationMethod and on
   * every Reference's Transform, as WSS4J (and MPay's GetOrderDetails example) does.
   */
  readonly inclusivePrefixes?: boolean;
  /** Lifetime of the `wsu:Timestamp`, in seconds (default 300). */
  readonly timestampSeconds?: number;
  /** The clock (default `new Date()`). */
  readonly now?: () => Date;
}

/** The parts of a signing identity that never change: encoded once per identity. */
interface IdentityText {
  readonly certificateBase64: string;
  readonly skiBase64: string | undefined;
  readonly issuerName: string;
  readonly serialNumber: string;
}

const identityText = new WeakMap<X509Certificate, IdentityText>();

function textFor(cert: X509Certificate): IdentityText {
  let t = identityText.get(cert);
  if (t === undefined) {
    const ski = subjectKeyIdentifier(cert);
    const is = issuerSerial(cert);
    t = { certificateBase64: cert.raw.toString("base64"), skiBase64: ski === undefined ? undefined : Buffer.from(ski).toString("base64"), issuerName: is.issuerName, serialNumber: is.serialNumber };
    identityText.set(cert, t);
  }
  return t;
}

/** Thrown when an envelope cannot be signed as asked (not a SOAP 1.1 envelope, already signed, no SKI). */
export class SigningError extends Error {
  override readonly name = "SigningError";
}

function newId(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll("-", "").toUpperCase()}`;
}

/**
 * Signs a serialized SOAP 1.1 envelope and returns the signed envelope text. The original text is
 * kept byte for byte except for three insertions: the `wsse:Security` header block (and a
 * `Header` when there is none), and a `wsu:Id` (with its namespace declaration) on the Body
 * when it has none.
 * @throws SigningError when the input is not a SOAP 1.1 envelope or already carries a Security header.
 */
export function signEnvelope(envelopeText: string, options: SigningOptions): string {
  const algorithm = options.algorithm ?? "rsa-sha256";
  const uris = ALGORITHMS[algorithm];
  const keyInfo = options.keyInfo ?? "bst";
  const identity = textFor(options.identity.certificate);
  if (keyInfo === "ski" && identity.skiBase64 === undefined) {
    throw new SigningError("the signing certificate has no SubjectKeyIdentifier extension, so KeyInfo form \"ski\" cannot name it; use \"bst\", \"x509\" or \"issuer-serial\"");
  }
  const now = options.now?.() ?? new Date();
  const lifetime = options.timestampSeconds ?? 300;

  const original = parseEnvelope(envelopeText);
  const { envelope, header, body } = original;
  for (const block of original.headers) {
    if (block.ns === WSSE_NS && block.local === "Security") throw new SigningError("the envelope already has a wsse:Security header");
  }

  // 1. The Body gets a wsu:Id (unless it has one), the Header gets the Security block without
  //    its Signature; both are splices into the original text.
  const existingBodyId = attributeValue(body, WSU_NS, "Id");
  const bodyId = existingBodyId ?? newId("id");
  const tokenId = newId("X509");
  const timestampId = newId("TS");
  // The prefix bound to the SOAP envelope namespace where the Security block goes.
  const scopeElement = header ?? envelope;
  const soapPrefix = scopeElement.ns === SOAP11_ENV && scopeElement.prefix !== "" ? scopeElement.prefix : undefined;
  const mustUnderstand = soapPrefix === undefined ? `xmlns:soapenv="${SOAP11_ENV}" soapenv:mustUnderstand="1"` : `${soapPrefix}:mustUnderstand="1"`;
  const token =
    keyInfo === "bst"
      ? `<wsse:BinarySecurityToken EncodingType="${BASE64_BINARY}" ValueType="${X509V3_TOKEN}" wsu:Id="${tokenId}">${identity.certificateBase64}</wsse:BinarySecurityToken>`
      : "";
  const created = now.toISOString();
  const expires = new Date(now.getTime() + lifetime * 1000).toISOString();
  const timestamp = `<wsu:Timestamp wsu:Id="${timestampId}"><wsu:Created>${created}</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wsu:Timestamp>`;
  const securityOpen = `<wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}" ${mustUnderstand}>`;
  const SIGNATURE_SLOT = "</wsse:Security>";

  const edits: { at: number; remove: number; text: string }[] = [];
  const block = `${securityOpen}${token}${timestamp}${SIGNATURE_SLOT}`;
  if (header === undefined) {
    const p = envelope.prefix === "" ? "" : `${envelope.prefix}:`;
    edits.push({ at: startTagEnd(envelopeText, envelope), remove: 0, text: `<${p}Header>${block}</${p}Header>` });
  } else {
    const tagEnd = startTagEnd(envelopeText, header);
    if (tagEnd === header.end) {
      // `<s:Header/>`: opened up so that it can hold the block.
      const qname = header.prefix === "" ? "Header" : `${header.prefix}:Header`;
      edits.push({ at: tagEnd - 2, remove: 2, text: `>${block}</${qname}>` });
    } else edits.push({ at: tagEnd, remove: 0, text: block });
  }
  if (existingBodyId === undefined) {
    const tagEnd = startTagEnd(envelopeText, body);
    const selfClosing = envelopeText.charCodeAt(tagEnd - 2) === 0x2f;
    const at = selfClosing ? tagEnd - 2 : tagEnd - 1;
    // The Body may already declare `wsu` (for this or, unusually, another namespace).
    const declared = body.namespaces.find((d) => d.prefix === "wsu");
    const idAttribute = declared === undefined ? ` xmlns:wsu="${WSU_NS}" wsu:Id="${bodyId}"` : declared.uri === WSU_NS ? ` wsu:Id="${bodyId}"` : ` xmlns:wsu0="${WSU_NS}" wsu0:Id="${bodyId}"`;
    edits.push({ at, remove: 0, text: idAttribute });
  }
  const unsigned = applyEdits(envelopeText, edits);

  // 2. Digests of the Body and the Timestamp, canonicalized from the tree of the text as sent.
  const stage = parseEnvelope(unsigned);
  const security = stage.headers.find((h) => h.ns === WSSE_NS && h.local === "Security")!;
  const timestampEl = childrenNamed(security, WSU_NS, "Timestamp")[0]!;
  const references = [reference(timestampEl, timestampId, uris.digest, algorithm, options.inclusivePrefixes), reference(stage.body, bodyId, uris.digest, algorithm, options.inclusivePrefixes)];

  // 3. SignedInfo goes in, its canonical form is signed, the value goes in.
  const signedInfoPrefixes = options.inclusivePrefixes === true ? inclusivePrefixesFor(security).filter((p) => p !== "ds") : undefined;
  const c14nMethod =
    signedInfoPrefixes === undefined
      ? `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"></ds:CanonicalizationMethod>`
      : `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}">${inclusiveNamespaces(signedInfoPrefixes)}</ds:CanonicalizationMethod>`;
  const signedInfo = `<ds:SignedInfo>${c14nMethod}<ds:SignatureMethod Algorithm="${uris.signature}"></ds:SignatureMethod>${references.join("")}</ds:SignedInfo>`;
  const signatureOpen = `<ds:Signature xmlns:ds="${DS_NS}">${signedInfo}<ds:SignatureValue>`;
  const signatureClose = `</ds:SignatureValue>${keyInfoXml(keyInfo, identity, tokenId)}</ds:Signature>`;
  const slot = unsigned.indexOf(SIGNATURE_SLOT, security.start);
  const withSignature = unsigned.slice(0, slot) + signatureOpen + signatureClose + unsigned.slice(slot);
  const final = parseEnvelope(withSignature);
  const finalSecurity = final.headers.find((h) => h.ns === WSSE_NS && h.local === "Security")!;
  const signedInfoEl = childrenNamed(childrenNamed(finalSecurity, DS_NS, "Signature")[0]!, DS_NS, "SignedInfo")[0]!;
  const canonicalSignedInfo = canonicalize(signedInfoEl, signedInfoPrefixes === undefined ? {} : { inclusivePrefixes: signedInfoPrefixes });
  const value = signBytes(algorithm, options.identity.privateKey, canonicalSignedInfo).toString("base64");
  const valueAt = slot + signatureOpen.length;
  return withSignature.slice(0, valueAt) + value + withSignature.slice(valueAt);
}

function parseEnvelope(text: string) {
  try {
    return readEnvelope(parseXml(text));
  } catch (error) {
    throw new SigningError(`cannot sign: not a SOAP 1.1 envelope: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function applyEdits(text: string, edits: { at: number; remove: number; text: string }[]): string {
  edits.sort((a, b) => b.at - a.at);
  let out = text;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.remove);
  return out;
}

function inclusiveNamespaces(prefixes: readonly string[]): string {
  return `<ec:InclusiveNamespaces xmlns:ec="${EXC_C14N}" PrefixList="${escapeAttribute(prefixes.join(" "))}"></ec:InclusiveNamespaces>`;
}

function reference(el: XmlElement, id: string, digestUri: string, algorithm: SignatureAlgorithm, withPrefixes: boolean | undefined): string {
  const prefixes = withPrefixes === true ? inclusivePrefixesFor(el) : undefined;
  const digest = digestBase64(algorithm, canonicalize(el, prefixes === undefined ? {} : { inclusivePrefixes: prefixes }));
  const transform =
    prefixes === undefined
      ? `<ds:Transform Algorithm="${EXC_C14N}"></ds:Transform>`
      : `<ds:Transform Algorithm="${EXC_C14N}">${inclusiveNamespaces(prefixes)}</ds:Transform>`;
  return `<ds:Reference URI="#${escapeAttribute(id)}"><ds:Transforms>${transform}</ds:Transforms><ds:DigestMethod Algorithm="${digestUri}"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
}

function keyInfoXml(form: KeyInfoForm, identity: IdentityText, tokenId: string): string {
  switch (form) {
    case "bst":
      return `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#${tokenId}" ValueType="${X509V3_TOKEN}"></wsse:Reference></wsse:SecurityTokenReference></ds:KeyInfo>`;
    case "ski":
      return `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:KeyIdentifier EncodingType="${BASE64_BINARY}" ValueType="${X509_SKI}">${identity.skiBase64}</wsse:KeyIdentifier></wsse:SecurityTokenReference></ds:KeyInfo>`;
    case "x509":
      return `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${identity.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
    case "issuer-serial":
      return `<ds:KeyInfo><wsse:SecurityTokenReference><ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>${escapeText(identity.issuerName)}</ds:X509IssuerName><ds:X509SerialNumber>${identity.serialNumber}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></wsse:SecurityTokenReference></ds:KeyInfo>`;
  }
}
