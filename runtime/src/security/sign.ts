/**
 * Signing an outgoing SOAP 1.1 or 1.2 envelope with WS-Security 1.0 and an X.509 key: a
 * `wsse:Security` header (mustUnderstand) with an optional BinarySecurityToken, a
 * `wsu:Timestamp` and a `ds:Signature` whose References cover the Body and the Timestamp,
 * exclusive C14N throughout.
 *
 * The envelope text is spliced, never re-serialized. The canonical forms are computed with the
 * same canonicalizer the verifier uses, over nodes that stand exactly where they will stand in
 * the sent message: the parsed Body with the Id it will carry, and the Timestamp and SignedInfo
 * the signer writes, hung under the Security block they go into. (The interop tests check the
 * result against libxmlsec1 and xmlsec1 in every form.)
 */
import type { KeyObject, X509Certificate } from "node:crypto";
import { randomUUID } from "node:crypto";
import { parseXml } from "../xml/parse.ts";
import type { XmlAttribute, XmlElement, XmlNamespaceDeclaration, XmlNode } from "../xml/node.ts";
import { escapeAttribute, escapeText } from "../xml/write.ts";
import { envelopeNamespace, readEnvelope } from "../soap/envelope.ts";
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
import { attributeValue, inclusivePrefixesFor, startTagEnd } from "./tree.ts";

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

/** Thrown when an envelope cannot be signed as asked (not a SOAP envelope, already signed, no SKI). */
export class SigningError extends Error {
  override readonly name = "SigningError";
}

/**
 * The random part of a message's Ids: 122 random bits (a UUID's) as 32 hex digits. One per
 * message is enough: its Ids differ by their prefixes, and a random value costs more than the
 * string work around it.
 */
function newIdSuffix(): string {
  return randomUUID().replaceAll("-", "").toUpperCase();
}

/** An Id the signer writes, or one of the message, that needs no escaping in an attribute (so its canonical form is its text). */
const PLAIN_ID = /^[^&<"\t\n\r]*$/;

/**
 * Signs a serialized SOAP 1.1 or 1.2 envelope and returns the signed envelope text. The original text is
 * kept byte for byte except for three insertions: the `wsse:Security` header block (and a
 * `Header` when there is none), and a `wsu:Id` (with its namespace declaration) on the Body
 * when it has none.
 * @throws SigningError when the input is not a SOAP envelope or already carries a Security header.
 */
export function signEnvelope(envelopeText: string, options: SigningOptions): string {
  return sign(envelopeText, options, false);
}

/** Raised in byte-string mode when the envelope holds what a byte string cannot stand for: the text path takes over. */
class NotAByteString extends Error {}

/**
 * {@link signEnvelope} for an envelope given as a byte string of its UTF-8, one char per byte (as
 * the runtime's `encodeElementToByteString` and `writeEnvelope` write it), returning the signed
 * envelope in the same form: what a server sends as it is, with no encoding pass over the text and
 * no count of its UTF-8 length.
 *
 * The work is done on the bytes themselves: markup is ASCII, so parsing, canonicalizing (which only
 * copies names and escapes ASCII characters) and splicing bytes give the bytes of what the same
 * steps give on the text, and canonical bytes are what the digests cover. An envelope the byte
 * reading cannot take (a non-ASCII name, or a character reference to a character above U+00FF in
 * the Body) is decoded and signed as text instead, with the same result.
 */
export function signEnvelopeUtf8(envelopeBytes: string, options: SigningOptions): string {
  try {
    return sign(envelopeBytes, options, true);
  } catch (error) {
    if (!(error instanceof NotAByteString)) throw error;
    return Buffer.from(sign(Buffer.from(envelopeBytes, "latin1").toString("utf8"), options, false), "utf8").toString("latin1");
  }
}

/** Characters a byte string cannot hold. */
const ABOVE_LATIN1 = /[^\x00-\xff]/;

function sign(envelopeText: string, options: SigningOptions, bytes: boolean): string {
  const algorithm = options.algorithm ?? "rsa-sha256";
  const uris = ALGORITHMS[algorithm];
  const keyInfo = options.keyInfo ?? "bst";
  const identity = textFor(options.identity.certificate);
  if (keyInfo === "ski" && identity.skiBase64 === undefined) {
    throw new SigningError("the signing certificate has no SubjectKeyIdentifier extension, so KeyInfo form \"ski\" cannot name it; use \"bst\", \"x509\" or \"issuer-serial\"");
  }
  const now = options.now?.() ?? new Date();
  const lifetime = options.timestampSeconds ?? 300;

  const original = parseEnvelope(envelopeText, bytes);
  const { envelope, header, body } = original;
  for (const block of original.headers) {
    if (block.ns === WSSE_NS && block.local === "Security") throw new SigningError("the envelope already has a wsse:Security header");
  }

  // 1. The Body gets a wsu:Id (unless it has one), the Header gets the Security block; both are
  //    splices into the original text, made once everything is known.
  const existingBodyId = attributeValue(body, WSU_NS, "Id");
  // (SignedInfo names the Body by its Id: it must be bytes too.)
  if (bytes && existingBodyId !== undefined && ABOVE_LATIN1.test(existingBodyId)) throw new NotAByteString();
  const suffix = newIdSuffix();
  const bodyId = existingBodyId ?? `id-${suffix}`;
  const tokenId = `X509-${suffix}`;
  const timestampId = `TS-${suffix}`;
  // The prefix bound to the SOAP envelope namespace where the Security block goes.
  const scopeElement = header ?? envelope;
  const soapPrefix = scopeElement.prefix !== "" ? scopeElement.prefix : undefined;
  // The envelope's own namespace: mustUnderstand is an attribute of the SOAP version in use ("1" is a boolean in both).
  const soapNs = envelopeNamespace(original.version);
  const mustUnderstand = soapPrefix === undefined ? `xmlns:soapenv="${soapNs}" soapenv:mustUnderstand="1"` : `${soapPrefix}:mustUnderstand="1"`;
  const token =
    keyInfo === "bst"
      ? `<wsse:BinarySecurityToken EncodingType="${BASE64_BINARY}" ValueType="${X509V3_TOKEN}" wsu:Id="${tokenId}">${identity.certificateBase64}</wsse:BinarySecurityToken>`
      : "";
  const created = now.toISOString();
  const expires = new Date(now.getTime() + lifetime * 1000).toISOString();
  // The Timestamp after its element name: as written, and (declaring wsu) as canonicalized below.
  const timestampRest = `wsu:Id="${timestampId}"><wsu:Created>${created}</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wsu:Timestamp>`;
  const timestamp = `<wsu:Timestamp ${timestampRest}`;
  const securityOpen = `<wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}" ${mustUnderstand}>`;
  // The Body may already declare `wsu` (for this or, unusually, another namespace).
  const declaredWsu = body.namespaces.find((d) => d.prefix === "wsu");
  const bodyIdPrefix = declaredWsu === undefined || declaredWsu.uri === WSU_NS ? "wsu" : "wsu0";

  // 2. Digests of the Body and the Timestamp, taken from nodes placed exactly where they will be
  //    in the sent message (same ancestors, same declarations), so no second parse of the whole
  //    envelope is needed: the Body is the parsed Body with the Id it will carry.
  const bodyAsSent: XmlElement =
    existingBodyId !== undefined
      ? body
      : {
          ...body,
          attributes: [...body.attributes, { ns: WSU_NS, local: "Id", prefix: bodyIdPrefix, value: bodyId }],
          namespaces: declaredWsu !== undefined && declaredWsu.uri === WSU_NS ? body.namespaces : [...body.namespaces, { prefix: bodyIdPrefix, uri: WSU_NS }],
        };
  // Without PrefixLists, the canonical forms of what the signer writes itself are known text
  // (exclusive C14N renders only the wsu and ds declarations they use). With them, they are
  // canonicalized from virtual nodes hung under a Security block where it will stand.
  const security = options.inclusivePrefixes !== true && PLAIN_ID.test(bodyId) ? undefined : virtualSecurity(envelope, header, soapNs, soapPrefix);
  const references = [
    security === undefined
      ? referenceXml(timestampId, uris.digest, digestBase64(algorithm, `<wsu:Timestamp xmlns:wsu="${WSU_NS}" ${timestampRest}`), undefined)
      : reference(virtualTimestamp(security, timestampId, created, expires), timestampId, uris.digest, algorithm, options.inclusivePrefixes, bytes),
    reference(bodyAsSent, bodyId, uris.digest, algorithm, options.inclusivePrefixes, bytes),
  ];

  // 3. SignedInfo, canonicalized (as known text, or parsed on its own and hung under a Signature
  //    in the Security block so that its namespace context is the real one) and signed.
  const signedInfoPrefixes = security !== undefined && options.inclusivePrefixes === true ? inclusivePrefixesFor(security).filter((p) => p !== "ds") : undefined;
  const c14nMethod =
    signedInfoPrefixes === undefined
      ? `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"></ds:CanonicalizationMethod>`
      : `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}">${inclusiveNamespaces(signedInfoPrefixes)}</ds:CanonicalizationMethod>`;
  const signedInfoInner = `${c14nMethod}<ds:SignatureMethod Algorithm="${uris.signature}"></ds:SignatureMethod>${references.join("")}`;
  let canonicalSignedInfo: string;
  if (security === undefined) canonicalSignedInfo = `<ds:SignedInfo xmlns:ds="${DS_NS}">${signedInfoInner}</ds:SignedInfo>`;
  else {
    const signature = virtualElement(DS_NS, "Signature", "ds", [], [{ prefix: "ds", uri: DS_NS }], security);
    const signedInfoEl = parseXml(`<ds:SignedInfo xmlns:ds="${DS_NS}">${signedInfoInner}</ds:SignedInfo>`).root;
    (signedInfoEl as { parent: XmlElement | undefined }).parent = signature;
    canonicalSignedInfo = canonicalize(signedInfoEl, signedInfoPrefixes === undefined ? {} : { inclusivePrefixes: signedInfoPrefixes });
  }
  const value = signBytes(algorithm, options.identity.privateKey, bytes ? Buffer.from(canonicalSignedInfo, "latin1") : canonicalSignedInfo).toString("base64");

  // 4. The splices.
  const block = `${securityOpen}${token}${timestamp}<ds:Signature xmlns:ds="${DS_NS}"><ds:SignedInfo>${signedInfoInner}</ds:SignedInfo><ds:SignatureValue>${value}</ds:SignatureValue>${keyInfoXml(keyInfo, identity, tokenId, bytes)}</ds:Signature></wsse:Security>`;
  const edits: { at: number; remove: number; text: string }[] = [];
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
    const idAttribute =
      declaredWsu === undefined ? ` xmlns:wsu="${WSU_NS}" wsu:Id="${bodyId}"` : declaredWsu.uri === WSU_NS ? ` wsu:Id="${bodyId}"` : ` xmlns:wsu0="${WSU_NS}" wsu0:Id="${bodyId}"`;
    edits.push({ at, remove: 0, text: idAttribute });
  }
  return applyEdits(envelopeText, edits);
}

/** The Security block as it will stand in the Header (a virtual Header when there is none), for canonicalizing what goes in it. */
function virtualSecurity(envelope: XmlElement, header: XmlElement | undefined, soapNs: string, soapPrefix: string | undefined): XmlElement {
  return virtualElement(
    WSSE_NS,
    "Security",
    "wsse",
    [{ ns: soapNs, local: "mustUnderstand", prefix: soapPrefix ?? "soapenv", value: "1" }],
    [{ prefix: "wsse", uri: WSSE_NS }, { prefix: "wsu", uri: WSU_NS }, ...(soapPrefix === undefined ? [{ prefix: "soapenv", uri: soapNs }] : [])],
    header ?? virtualElement(soapNs, "Header", envelope.prefix, [], [], envelope),
  );
}

/** The Timestamp the signer writes, as a node under `security`. */
function virtualTimestamp(security: XmlElement, id: string, created: string, expires: string): XmlElement {
  const timestamp = virtualElement(WSU_NS, "Timestamp", "wsu", [{ ns: WSU_NS, local: "Id", prefix: "wsu", value: id }], [], security);
  setChildren(timestamp, [withText(virtualElement(WSU_NS, "Created", "wsu", [], [], timestamp), created), withText(virtualElement(WSU_NS, "Expires", "wsu", [], [], timestamp), expires)]);
  return timestamp;
}

/** An element that is not (yet) in any parsed text: for canonicalizing what the signer writes. */
function virtualElement(ns: string, local: string, prefix: string, attributes: XmlAttribute[], namespaces: XmlNamespaceDeclaration[], parent: XmlElement): XmlElement {
  return { kind: "element", ns, local, prefix, attributes, namespaces, children: [], parent, start: 0, end: 0, line: 0, column: 0 };
}

function setChildren(el: XmlElement, children: XmlElement[]): void {
  (el as { children: readonly XmlNode[] }).children = children;
}

function withText(el: XmlElement, text: string): XmlElement {
  (el as { children: readonly XmlNode[] }).children = [{ kind: "text", value: text }];
  return el;
}

function parseEnvelope(text: string, bytes: boolean) {
  try {
    return readEnvelope(parseXml(text), "both");
  } catch (error) {
    // Bytes of a non-ASCII name are no name characters when read one by one: the text path decides.
    if (bytes) throw new NotAByteString();
    throw new SigningError(`cannot sign: not a SOAP 1.1 or 1.2 envelope: ${error instanceof Error ? error.message : String(error)}`);
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

function reference(el: XmlElement, id: string, digestUri: string, algorithm: SignatureAlgorithm, withPrefixes: boolean | undefined, bytes: boolean): string {
  const prefixes = withPrefixes === true ? inclusivePrefixesFor(el) : undefined;
  const canonical = canonicalize(el, prefixes === undefined ? {} : { inclusivePrefixes: prefixes });
  // A character reference may have put a character above U+00FF into a byte string's tree.
  if (bytes && ABOVE_LATIN1.test(canonical)) throw new NotAByteString();
  return referenceXml(id, digestUri, digestBase64(algorithm, bytes ? Buffer.from(canonical, "latin1") : canonical), prefixes);
}

/** A ds:Reference as the signer writes it (its canonical form too, when it has no PrefixList and a plain Id). */
function referenceXml(id: string, digestUri: string, digest: string, prefixes: readonly string[] | undefined): string {
  const transform =
    prefixes === undefined
      ? `<ds:Transform Algorithm="${EXC_C14N}"></ds:Transform>`
      : `<ds:Transform Algorithm="${EXC_C14N}">${inclusiveNamespaces(prefixes)}</ds:Transform>`;
  return `<ds:Reference URI="#${escapeAttribute(id)}"><ds:Transforms>${transform}</ds:Transforms><ds:DigestMethod Algorithm="${digestUri}"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
}

function keyInfoXml(form: KeyInfoForm, identity: IdentityText, tokenId: string, bytes: boolean): string {
  switch (form) {
    case "bst":
      return `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#${tokenId}" ValueType="${X509V3_TOKEN}"></wsse:Reference></wsse:SecurityTokenReference></ds:KeyInfo>`;
    case "ski":
      return `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:KeyIdentifier EncodingType="${BASE64_BINARY}" ValueType="${X509_SKI}">${identity.skiBase64}</wsse:KeyIdentifier></wsse:SecurityTokenReference></ds:KeyInfo>`;
    case "x509":
      return `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${identity.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
    case "issuer-serial":
      return `<ds:KeyInfo><wsse:SecurityTokenReference><ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>${bytes ? Buffer.from(escapeText(identity.issuerName), "utf8").toString("latin1") : escapeText(identity.issuerName)}</ds:X509IssuerName><ds:X509SerialNumber>${identity.serialNumber}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></wsse:SecurityTokenReference></ds:KeyInfo>`;
  }
}
