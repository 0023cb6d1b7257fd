/**
 * Verifying a received SOAP 1.1 envelope signed with WS-Security 1.0 and an X.509 key.
 *
 * The verifier works on the very tree the codec will decode, and demands that the signature
 * covers *those* nodes: the Envelope's one Body (the node `readEnvelope` found, compared by
 * identity) and the one `wsu:Timestamp` of the one `wsse:Security` header. References are
 * resolved by Id over the whole document, and any Id carried twice fails the message, so none
 * of the signature-wrapping tricks (a second Body, the signed Body moved into a header or
 * wrapped, duplicate Ids) can make a signature over one element vouch for another.
 *
 * Everything fails closed: anything the verifier does not understand or the policy does not
 * allow (another transform, an external or empty URI, another algorithm) rejects the message.
 */
import type { KeyObject, X509Certificate } from "node:crypto";
import { X509Certificate as Certificate, timingSafeEqual } from "node:crypto";
import type { XmlDocument, XmlElement } from "../xml/node.ts";
import type { ParsedEnvelope } from "../soap/envelope.ts";
import {
  ALGORITHMS,
  BASE64_BINARY,
  DS_NS,
  EXC_C14N,
  type KeyInfoForm,
  KEY_INFO_FORMS,
  type SignatureAlgorithm,
  WSSE_NS,
  WSU_NS,
  X509_SKI,
  X509V3_TOKEN,
} from "./algorithms.ts";
import { canonicalize } from "./c14n.ts";
import { digestBase64, verifyBytes } from "./rsa.ts";
import { attributeValue, childrenNamed, elementChildren, textOf } from "./tree.ts";
import type { ReplayCache } from "./replay.ts";

/** Why a message was refused. */
export type RejectionReason =
  | "unsigned"
  | "malformed"
  | "not-allowed"
  | "not-covered"
  | "digest"
  | "signature"
  | "unknown-key"
  | "untrusted"
  | "timestamp"
  | "replay";

/** A refused signature: `reason` is the category, the message says exactly what was wrong. */
export class SignatureRejected extends Error {
  override readonly name = "SignatureRejected";
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * What the verifier needs to know about certificates: a `TrustStore` fits. `check` decides
 * whether a signer is trusted now (chain, validity, key usage, pins); the two lookups resolve
 * KeyInfo forms that carry no certificate.
 */
export interface SignerTrust {
  check(cert: X509Certificate, options: { readonly at: Date; readonly presentedChain?: readonly X509Certificate[] }): { readonly ok: true; readonly chain: readonly X509Certificate[] } | { readonly ok: false; readonly reason: string };
  findBySubjectKeyIdentifier(ski: Uint8Array): X509Certificate | undefined;
  findByIssuerSerial(issuerName: string, serialNumber: string): X509Certificate | undefined;
}

/** Freshness rules for the `wsu:Timestamp` (defaults as WSS4J's). */
export interface TimestampRules {
  /** Largest accepted age of `Created`, in seconds (default 300). */
  readonly maxAgeSeconds?: number;
  /** How far `Created` may lie in the future (clock skew), in seconds (default 60). */
  readonly futureSkewSeconds?: number;
  /** Whether a message without a Timestamp is refused (default true). */
  readonly required?: boolean;
}

export interface VerificationOptions {
  readonly trust: SignerTrust;
  /** Accepted algorithm families (default both). */
  readonly algorithms?: readonly SignatureAlgorithm[];
  /** Accepted KeyInfo forms (default all four). */
  readonly keyInfo?: readonly KeyInfoForm[];
  readonly timestamp?: TimestampRules;
  /** Signature values seen recently; a repeat is a replay. Omit to disable replay detection. */
  readonly replay?: ReplayCache;
  readonly now?: () => Date;
}

/** What a successful verification established. */
export interface VerifiedSignature {
  /** The certificate whose key made the signature, trusted by the configured anchors. */
  readonly signer: X509Certificate;
  /** The path from the signer to its trust anchor. */
  readonly chain: readonly X509Certificate[];
  readonly algorithm: SignatureAlgorithm;
  readonly keyInfo: KeyInfoForm;
  /** The signed Timestamp, as written (absent only when the rules allow no Timestamp). */
  readonly timestamp: { readonly created: string; readonly expires: string | undefined } | undefined;
  /** The elements the signature covers, by identity (the Body, the Timestamp, possibly others). */
  readonly covered: readonly XmlElement[];
}

const MAX_REFERENCES = 16;

const reject = (reason: RejectionReason, message: string) => new SignatureRejected(reason, message);

const ALGORITHM_BY_SIGNATURE_URI = new Map<string, SignatureAlgorithm>(
  (Object.keys(ALGORITHMS) as SignatureAlgorithm[]).map((a) => [ALGORITHMS[a].signature, a]),
);
const ALGORITHM_BY_DIGEST_URI = new Map<string, SignatureAlgorithm>(
  (Object.keys(ALGORITHMS) as SignatureAlgorithm[]).map((a) => [ALGORITHMS[a].digest, a]),
);
/** The SKI ValueType as the token profile spells it, and as MPay's guide misspells it. */
const SKI_VALUE_TYPES = new Set([X509_SKI, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3SubjectKeyIdentifier"]);

/**
 * Verifies the WS-Security signature of a parsed SOAP 1.1 envelope.
 * @param document the parsed message (Ids are looked up over all of it)
 * @param envelope its `readEnvelope` split: the Body and headers the codec will read
 * @throws SignatureRejected with the reason when anything is wrong
 */
export function verifyEnvelope(document: XmlDocument, envelope: ParsedEnvelope, options: VerificationOptions): VerifiedSignature {
  const now = options.now?.() ?? new Date();
  const allowedAlgorithms = options.algorithms ?? (Object.keys(ALGORITHMS) as SignatureAlgorithm[]);
  const allowedKeyInfo = options.keyInfo ?? KEY_INFO_FORMS;
  const timestampRequired = options.timestamp?.required ?? true;

  // The one Security header, its one Signature and (at most) one Timestamp.
  const securities = envelope.headers.filter((h) => h.ns === WSSE_NS && h.local === "Security");
  if (securities.length === 0) throw reject("unsigned", "the message has no wsse:Security header");
  if (securities.length > 1) throw reject("malformed", "the message has more than one wsse:Security header");
  const security = securities[0]!;
  const signatures = childrenNamed(security, DS_NS, "Signature");
  if (signatures.length === 0) throw reject("unsigned", "the wsse:Security header holds no ds:Signature");
  if (signatures.length > 1) throw reject("malformed", "the wsse:Security header holds more than one ds:Signature");
  const signature = signatures[0]!;
  const timestamps = childrenNamed(security, WSU_NS, "Timestamp");
  if (timestamps.length > 1) throw reject("malformed", "the wsse:Security header holds more than one wsu:Timestamp");
  const timestamp = timestamps[0];
  if (timestamp === undefined && timestampRequired) throw reject("timestamp", "the wsse:Security header holds no wsu:Timestamp");

  // Every Id in the document, each at most once.
  const byId = new Map<string, XmlElement>();
  const pending: XmlElement[] = [document.root];
  // (Index loops: iterating the parser's frozen shared empty arrays with for-of is slow.)
  while (pending.length > 0) {
    const el = pending.pop()!;
    const attributes = el.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i]!;
      if (a.local !== "Id" || (a.ns !== WSU_NS && a.ns !== "")) continue;
      if (byId.has(a.value)) throw reject("malformed", `the Id "${a.value}" is carried by more than one element`);
      byId.set(a.value, el);
    }
    const children = el.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (c.kind === "element") pending.push(c);
    }
  }

  // SignedInfo: exclusive C14N, an allowed algorithm, References by Id with exclusive C14N only.
  const [signedInfo, signatureValueEl, keyInfoEl, ...rest] = elementChildren(signature);
  if (signedInfo?.ns !== DS_NS || signedInfo.local !== "SignedInfo") throw reject("malformed", "ds:Signature does not start with ds:SignedInfo");
  if (signatureValueEl?.ns !== DS_NS || signatureValueEl.local !== "SignatureValue") throw reject("malformed", "ds:SignedInfo is not followed by ds:SignatureValue");
  if (keyInfoEl === undefined || keyInfoEl.ns !== DS_NS || keyInfoEl.local !== "KeyInfo") throw reject("unknown-key", "ds:Signature has no ds:KeyInfo");
  if (rest.length > 0) throw reject("not-allowed", "ds:Signature carries ds:Object or other content after ds:KeyInfo");
  const [c14nMethod, signatureMethod, ...referenceEls] = elementChildren(signedInfo);
  if (c14nMethod?.ns !== DS_NS || c14nMethod.local !== "CanonicalizationMethod") throw reject("malformed", "ds:SignedInfo has no ds:CanonicalizationMethod");
  const signedInfoPrefixes = exclusiveC14nPrefixes(c14nMethod, "ds:CanonicalizationMethod");
  if (signatureMethod?.ns !== DS_NS || signatureMethod.local !== "SignatureMethod") throw reject("malformed", "ds:SignedInfo has no ds:SignatureMethod");
  const signatureUri = attributeValue(signatureMethod, "", "Algorithm") ?? "";
  const algorithm = ALGORITHM_BY_SIGNATURE_URI.get(signatureUri);
  if (algorithm === undefined || !allowedAlgorithms.includes(algorithm)) throw reject("not-allowed", `signature algorithm ${signatureUri} is not accepted (accepted: ${allowedAlgorithms.map((a) => ALGORITHMS[a].signature).join(", ")})`);
  if (elementChildren(signatureMethod).length > 0) throw reject("not-allowed", "ds:SignatureMethod has parameters (e.g. HMACOutputLength), which are not accepted");
  if (referenceEls.length === 0) throw reject("not-covered", "ds:SignedInfo has no ds:Reference");
  // Each Reference costs a canonicalization: a message cannot make the verifier do unbounded work.
  if (referenceEls.length > MAX_REFERENCES) throw reject("not-allowed", `ds:SignedInfo has ${referenceEls.length} references; at most ${MAX_REFERENCES} are accepted`);

  const covered: XmlElement[] = [];
  const digestChecks: (() => void)[] = [];
  for (const ref of referenceEls) {
    if (ref.ns !== DS_NS || ref.local !== "Reference") throw reject("malformed", `unexpected {${ref.ns}}${ref.local} in ds:SignedInfo`);
    const uri = attributeValue(ref, "", "URI");
    if (uri === undefined || !uri.startsWith("#") || uri.length < 2) throw reject("not-allowed", `a ds:Reference has URI ${uri === undefined ? "(none)" : `"${uri}"`}; only same-document references "#id" are accepted`);
    const id = uri.slice(1);
    const target = byId.get(id);
    if (target === undefined) throw reject("not-covered", `ds:Reference "${uri}" points at no element of the message`);
    const parts = elementChildren(ref);
    const [transforms, digestMethod, digestValue, ...extra] = parts[0]?.local === "Transforms" && parts[0].ns === DS_NS ? parts : [undefined, ...parts];
    if (extra.length > 0) throw reject("malformed", `ds:Reference "${uri}" has unexpected content`);
    if (transforms === undefined) throw reject("not-allowed", `ds:Reference "${uri}" has no exclusive C14N transform`);
    const transformEls = elementChildren(transforms);
    if (transformEls.length !== 1) throw reject("not-allowed", `ds:Reference "${uri}" has ${transformEls.length} transforms; exactly one, exclusive C14N, is accepted`);
    const transform = transformEls[0]!;
    if (transform.ns !== DS_NS || transform.local !== "Transform") throw reject("malformed", `ds:Reference "${uri}" has malformed ds:Transforms`);
    const prefixes = exclusiveC14nPrefixes(transform, `the transform of ds:Reference "${uri}"`);
    if (digestMethod?.ns !== DS_NS || digestMethod.local !== "DigestMethod") throw reject("malformed", `ds:Reference "${uri}" has no ds:DigestMethod`);
    const digestUri = attributeValue(digestMethod, "", "Algorithm") ?? "";
    const digestFamily = ALGORITHM_BY_DIGEST_URI.get(digestUri);
    if (digestFamily === undefined || !allowedAlgorithms.includes(digestFamily)) throw reject("not-allowed", `digest algorithm ${digestUri} of ds:Reference "${uri}" is not accepted`);
    if (digestValue?.ns !== DS_NS || digestValue.local !== "DigestValue") throw reject("malformed", `ds:Reference "${uri}" has no ds:DigestValue`);
    const expected = textOf(digestValue);
    covered.push(target);
    digestChecks.push(() => {
      const actual = digestBase64(digestFamily, canonicalize(target, prefixes === undefined ? {} : { inclusivePrefixes: prefixes }));
      if (!sameBase64(expected, actual)) throw reject("digest", `the digest of ds:Reference "${uri}" (${describe(target)}) does not match: the element changed after signing`);
    });
  }
  // The signature must vouch for the nodes the codec reads, not for look-alikes elsewhere.
  if (!covered.includes(envelope.body)) throw reject("not-covered", "the signature does not cover the Envelope's soap:Body");
  if (timestamp !== undefined && !covered.includes(timestamp)) throw reject("not-covered", "the signature does not cover the wsu:Timestamp of the wsse:Security header");

  // Freshness before any expensive work.
  const times = timestamp === undefined ? undefined : checkTimestamp(timestamp, now, options.timestamp);

  // The key: the certificate named by KeyInfo, trusted now.
  const { certificate, form, presented } = resolveKey(keyInfoEl, security, byId, options.trust);
  if (!allowedKeyInfo.includes(form)) throw reject("not-allowed", `KeyInfo form "${form}" is not accepted (accepted: ${allowedKeyInfo.join(", ")})`);
  const trusted = options.trust.check(certificate, { at: now, presentedChain: presented });
  if (!trusted.ok) throw reject("untrusted", trusted.reason);

  for (const check of digestChecks) check();
  const signatureBytes = Buffer.from(textOf(signatureValueEl), "base64");
  const canonicalSignedInfo = canonicalize(signedInfo, signedInfoPrefixes === undefined ? {} : { inclusivePrefixes: signedInfoPrefixes });
  if (!verifyBytes(algorithm, publicKeyOf(certificate), canonicalSignedInfo, signatureBytes)) {
    throw reject("signature", "the SignatureValue does not match the signer's key: SignedInfo was changed or signed with another key");
  }

  if (options.replay !== undefined) {
    const until = times?.expires ?? new Date(now.getTime() + (options.timestamp?.maxAgeSeconds ?? 300) * 1000);
    // Keyed by the signature's bytes, in their canonical base64: another spelling of the same value
    // (whitespace, non-zero padding bits, which decoders ignore) is the same signature. A fresh
    // string, too: the text as parsed is a slice that would keep the whole request alive for as
    // long as the cache remembers it.
    if (!options.replay.remember(signatureBytes.toString("base64"), until, now)) throw reject("replay", "this signature was already accepted once: the message is a replay");
  }
  return {
    signer: certificate,
    chain: trusted.chain,
    algorithm,
    keyInfo: form,
    timestamp: times === undefined ? undefined : { created: times.createdText, expires: times.expiresText },
    covered,
  };
}

function describe(el: XmlElement): string {
  return el.prefix === "" ? el.local : `${el.prefix}:${el.local}`;
}

/** The PrefixList of an exclusive-C14N method or transform; refuses every other algorithm. */
function exclusiveC14nPrefixes(method: XmlElement, what: string): string[] | undefined {
  const algorithm = attributeValue(method, "", "Algorithm");
  if (algorithm !== EXC_C14N) throw reject("not-allowed", `${what} is ${algorithm ?? "(no Algorithm)"}; only exclusive C14N without comments (${EXC_C14N}) is accepted`);
  const params = elementChildren(method);
  if (params.length === 0) return undefined;
  const inclusive = params[0]!;
  if (params.length > 1 || inclusive.ns !== EXC_C14N || inclusive.local !== "InclusiveNamespaces") throw reject("not-allowed", `${what} has parameters other than one ec:InclusiveNamespaces`);
  const list = attributeValue(inclusive, "", "PrefixList") ?? "";
  return list.split(/[ \t\r\n]+/).filter((p) => p !== "");
}

const UTC_DATE_TIME = /^(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** The value of the `count` ASCII digits at `at`, or -1 if one is not a digit. */
function digitsAt(t: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = t.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The fields of `YYYY-MM-DDThh:mm:ss[.fff…]Z`, the form every WS-Security stack writes, read
 * without a regular expression (this runs twice per request); undefined for any other form.
 */
function utcFields(t: string): [year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number] | undefined {
  const n = t.length;
  if (n < 20 || t.charCodeAt(n - 1) !== 0x5a || t.charCodeAt(4) !== 0x2d || t.charCodeAt(7) !== 0x2d || t.charCodeAt(10) !== 0x54 || t.charCodeAt(13) !== 0x3a || t.charCodeAt(16) !== 0x3a) return undefined;
  const year = digitsAt(t, 0, 4);
  const month = digitsAt(t, 5, 2);
  const day = digitsAt(t, 8, 2);
  const hour = digitsAt(t, 11, 2);
  const minute = digitsAt(t, 14, 2);
  const second = digitsAt(t, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let ms = 0;
  if (n > 20) {
    // A fraction: at least one digit; milliseconds are its first three, the rest truncated.
    if (t.charCodeAt(19) !== 0x2e || n === 21 || digitsAt(t, 20, n - 21) < 0) return undefined;
    for (let i = 20; i < 23; i++) ms = ms * 10 + (i < n - 1 ? t.charCodeAt(i) - 0x30 : 0);
  }
  return [year, month, day, hour, minute, second, ms];
}

function parseInstant(text: string, what: string): Date {
  const t = text.trim();
  let fields = utcFields(t);
  let offsetMinutes = 0;
  if (fields === undefined) {
    const m = UTC_DATE_TIME.exec(t);
    if (m === null) throw reject("timestamp", `wsu:${what} "${t}" is not a dateTime with a time zone (WS-Security timestamps are UTC)`);
    // From the fields the pattern checked (Date.parse costs microseconds per call).
    const [, y, mo, d, h, mi, sec, fraction, zone] = m;
    if (zone !== "Z") {
      const oh = Number(zone!.slice(1, 3));
      const om = Number(zone!.slice(4, 6));
      if (oh > 14 || om > 59 || (oh === 14 && om > 0)) throw reject("timestamp", `wsu:${what} "${t}" is not a valid instant`);
      offsetMinutes = (zone!.startsWith("-") ? -1 : 1) * (oh * 60 + om);
    }
    // Milliseconds: the fraction's first three digits, the rest truncated (as the fast path reads them).
    const ms = fraction === undefined ? 0 : Number(`${fraction.slice(1, 4)}00`.slice(0, 3));
    fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec), ms];
  }
  const [year, month, day, hour, minute, second, ms] = fields;
  // Every field in range, the day within its month.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || year > 275_000) {
    throw reject("timestamp", `wsu:${what} "${t}" is not a valid instant`);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute - offsetMinutes, second, ms);
  return utc;
}

function checkTimestamp(timestamp: XmlElement, now: Date, rules: TimestampRules | undefined) {
  const [createdEl, expiresEl, ...rest] = elementChildren(timestamp);
  if (createdEl?.ns !== WSU_NS || createdEl.local !== "Created") throw reject("timestamp", "wsu:Timestamp has no wsu:Created");
  if (expiresEl !== undefined && (expiresEl.ns !== WSU_NS || expiresEl.local !== "Expires")) throw reject("timestamp", "wsu:Timestamp holds something other than Created and Expires");
  if (rest.length > 0) throw reject("timestamp", "wsu:Timestamp holds more than Created and Expires");
  const createdText = textOf(createdEl).trim();
  const created = parseInstant(createdText, "Created");
  const maxAge = (rules?.maxAgeSeconds ?? 300) * 1000;
  const futureSkew = (rules?.futureSkewSeconds ?? 60) * 1000;
  if (created.getTime() > now.getTime() + futureSkew) throw reject("timestamp", `the message was created in the future (${createdText}; now ${now.toISOString()})`);
  if (now.getTime() - created.getTime() > maxAge) throw reject("timestamp", `the message is too old (created ${createdText}; older than ${maxAge / 1000} s)`);
  let expires: Date | undefined;
  let expiresText: string | undefined;
  if (expiresEl !== undefined) {
    expiresText = textOf(expiresEl).trim();
    expires = parseInstant(expiresText, "Expires");
    if (expires.getTime() <= created.getTime()) throw reject("timestamp", "wsu:Expires is not after wsu:Created");
    if (expires.getTime() <= now.getTime() - futureSkew) throw reject("timestamp", `the message expired at ${expiresText} (now ${now.toISOString()})`);
  }
  return { createdText, expiresText, expires };
}

/**
 * Certificates decoded from messages, by their base64 text: a peer sends the same certificate
 * with every message, and decoding one costs more than canonicalizing a Body. Bounded; the
 * oldest entry goes first.
 */
const decodedCertificates = new Map<string, X509Certificate>();
const DECODED_CERTIFICATES_KEPT = 64;

/** The last certificate text decoded and its certificate: a peer sends the same text every time, and comparing it costs less than cleaning and hashing it. */
let lastCertificate: { readonly text: string; readonly certificate: X509Certificate } | undefined;

function certificateFromBase64(text: string, where: string): X509Certificate {
  if (lastCertificate !== undefined && lastCertificate.text === text) return lastCertificate.certificate;
  const certificate = decodeCertificate(text, where);
  lastCertificate = { text, certificate };
  return certificate;
}

function decodeCertificate(text: string, where: string): X509Certificate {
  const base64 = text.replace(/\s+/g, "");
  const known = decodedCertificates.get(base64);
  if (known !== undefined) return known;
  let certificate: X509Certificate;
  try {
    certificate = new Certificate(Buffer.from(base64, "base64"));
  } catch {
    throw reject("unknown-key", `${where} is not a valid X.509 certificate`);
  }
  if (decodedCertificates.size >= DECODED_CERTIFICATES_KEPT) decodedCertificates.delete(decodedCertificates.keys().next().value!);
  decodedCertificates.set(base64, certificate);
  return certificate;
}

/** `X509Certificate.publicKey` makes a new KeyObject on every access; one per certificate is enough. */
const publicKeys = new WeakMap<X509Certificate, KeyObject>();

function publicKeyOf(certificate: X509Certificate): KeyObject {
  let key = publicKeys.get(certificate);
  if (key === undefined) publicKeys.set(certificate, (key = certificate.publicKey));
  return key;
}

/** Resolves `ds:KeyInfo` to the signer's certificate, in any of the four forms. */
function resolveKey(keyInfo: XmlElement, security: XmlElement, byId: Map<string, XmlElement>, trust: SignerTrust): { certificate: X509Certificate; form: KeyInfoForm; presented: X509Certificate[] } {
  const items = elementChildren(keyInfo);
  if (items.length !== 1) throw reject("unknown-key", `ds:KeyInfo holds ${items.length} items; exactly one key reference is accepted`);
  const item = items[0]!;
  if (item.ns === DS_NS && item.local === "X509Data") return fromX509Data(item);
  if (item.ns !== WSSE_NS || item.local !== "SecurityTokenReference") throw reject("unknown-key", `ds:KeyInfo holds {${item.ns}}${item.local}, which is not a supported key reference`);
  const refs = elementChildren(item);
  if (refs.length !== 1) throw reject("unknown-key", "wsse:SecurityTokenReference must hold exactly one reference");
  const ref = refs[0]!;
  if (ref.ns === WSSE_NS && ref.local === "Reference") {
    const uri = attributeValue(ref, "", "URI") ?? "";
    if (!uri.startsWith("#")) throw reject("not-allowed", `wsse:Reference URI "${uri}" is not a reference into this message`);
    const token = byId.get(uri.slice(1));
    if (token === undefined || token.ns !== WSSE_NS || token.local !== "BinarySecurityToken") throw reject("unknown-key", `wsse:Reference "${uri}" does not point at a wsse:BinarySecurityToken`);
    if (token.parent !== security) throw reject("unknown-key", "the referenced wsse:BinarySecurityToken is not in the wsse:Security header");
    const valueType = attributeValue(token, "", "ValueType");
    if (valueType !== X509V3_TOKEN) throw reject("unknown-key", `wsse:BinarySecurityToken has ValueType ${valueType ?? "(none)"}; only X509v3 is accepted`);
    const encoding = attributeValue(token, "", "EncodingType");
    if (encoding !== undefined && encoding !== BASE64_BINARY) throw reject("unknown-key", `wsse:BinarySecurityToken has EncodingType ${encoding}; only Base64Binary is accepted`);
    const certificate = certificateFromBase64(textOf(token), "the wsse:BinarySecurityToken");
    return { certificate, form: "bst", presented: [] };
  }
  if (ref.ns === WSSE_NS && ref.local === "KeyIdentifier") {
    const valueType = attributeValue(ref, "", "ValueType") ?? "";
    if (!SKI_VALUE_TYPES.has(valueType)) throw reject("unknown-key", `wsse:KeyIdentifier ValueType ${valueType} is not supported (only X509SubjectKeyIdentifier)`);
    const encoding = attributeValue(ref, "", "EncodingType");
    if (encoding !== undefined && encoding !== BASE64_BINARY) throw reject("unknown-key", `wsse:KeyIdentifier EncodingType ${encoding} is not supported`);
    const ski = Buffer.from(textOf(ref).replace(/\s+/g, ""), "base64");
    const certificate = trust.findBySubjectKeyIdentifier(ski);
    if (certificate === undefined) throw reject("unknown-key", `no configured certificate has the SubjectKeyIdentifier ${ski.toString("base64")}`);
    return { certificate, form: "ski", presented: [] };
  }
  if (ref.ns === DS_NS && ref.local === "X509Data") return fromX509Data(ref);
  throw reject("unknown-key", `wsse:SecurityTokenReference holds {${ref.ns}}${ref.local}, which is not supported`);

  function fromX509Data(data: XmlElement) {
    const certs = childrenNamed(data, DS_NS, "X509Certificate");
    const issuerSerials = childrenNamed(data, DS_NS, "X509IssuerSerial");
    if (certs.length > 0) {
      const all = certs.map((c, i) => certificateFromBase64(textOf(c), `ds:X509Certificate #${i + 1}`));
      // The first certificate is the signer; more are a presented chain, as WCF may send.
      const [certificate, ...presented] = all;
      if (issuerSerials.length > 0) {
        const [issuer, serial] = issuerSerialText(issuerSerials[0]!);
        const named = trust.findByIssuerSerial(issuer, serial);
        if (named !== undefined && !Buffer.from(named.raw).equals(Buffer.from(certificate!.raw))) {
          throw reject("unknown-key", "ds:X509IssuerSerial and ds:X509Certificate name different certificates");
        }
      }
      return { certificate: certificate!, form: "x509" as const, presented };
    }
    if (issuerSerials.length === 1) {
      const [issuer, serial] = issuerSerialText(issuerSerials[0]!);
      const certificate = trust.findByIssuerSerial(issuer, serial);
      if (certificate === undefined) throw reject("unknown-key", `no configured certificate is issued by "${issuer}" with serial number ${serial}`);
      return { certificate, form: "issuer-serial" as const, presented: [] };
    }
    throw reject("unknown-key", "ds:X509Data holds neither one ds:X509Certificate nor one ds:X509IssuerSerial");
  }
}

function issuerSerialText(el: XmlElement): [string, string] {
  const name = childrenNamed(el, DS_NS, "X509IssuerName")[0];
  const serial = childrenNamed(el, DS_NS, "X509SerialNumber")[0];
  if (name === undefined || serial === undefined) throw reject("unknown-key", "ds:X509IssuerSerial lacks X509IssuerName or X509SerialNumber");
  return [textOf(name).trim(), textOf(serial).trim()];
}

function sameBase64(a: string, b: string): boolean {
  const x = Buffer.from(a.replace(/\s+/g, ""), "base64");
  const y = Buffer.from(b, "base64");
  return x.length === y.length && timingSafeEqual(x, y);
}
