/**
 * What WS-Security needs from an X.509 certificate beyond what node:crypto's `X509Certificate`
 * exposes: the SubjectKeyIdentifier (for `wsse:KeyIdentifier`), the issuer and serial number as
 * `ds:X509IssuerSerial` writes them, structural comparison of distinguished names, KeyUsage and
 * BasicConstraints.
 *
 * `X509Certificate` gives no access to extensions and only a display form of names, so this module
 * reads the certificate's DER with a small TLV walker (see docs/decisions.md, "Certificates"). The
 * DER has already been accepted by OpenSSL when the `X509Certificate` was made; the walker still
 * checks every length against its container and throws {@link CertificateFormatError} on anything
 * it does not understand, and callers that decide trust treat that as a refusal.
 */
import type { X509Certificate } from "node:crypto";

/** The certificate's DER could not be read by the extension/name reader. */
export class CertificateFormatError extends Error {
  override readonly name = "CertificateFormatError";
}

// ---------------------------------------------------------------------------------------------
// DER walker

/** One DER element: tag byte, and where its header and content lie in the buffer. */
interface Tlv {
  /** The identifier octet (class, constructed bit and tag number; only low tag numbers occur). */
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
const BOOLEAN = 0x01;

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new CertificateFormatError("truncated DER element");
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new CertificateFormatError("DER high tag numbers are not used in certificates");
  let length = der[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // 0 is BER's indefinite length (not DER); more than 4 length bytes never fit a certificate.
    if (count === 0 || count > 4 || contentStart + count > limit) throw new CertificateFormatError("bad DER length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new CertificateFormatError("DER element runs past its container");
  return { tag, start: offset, contentStart, end };
}

function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readTlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined || tlv.tag !== tag) throw new CertificateFormatError(`expected ${what}`);
  return tlv;
}

function content(der: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart);
}

function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new CertificateFormatError("empty OID");
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    value = (value << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    } else if (i === bytes.length - 1) throw new CertificateFormatError("truncated OID");
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join(".");
}

/** A DER INTEGER's two's-complement content as a bigint. */
function decodeInteger(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new CertificateFormatError("empty INTEGER");
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  if (bytes[0]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Names

/** One attribute of a relative distinguished name, e.g. `CN=MPay`. */
export interface NameAttribute {
  /** The attribute type's OID, e.g. `2.5.4.3`. */
  readonly oid: string;
  /** The value as text when it is one of the directory string types; undefined otherwise. */
  readonly text: string | undefined;
  /** The whole DER of the value (tag, length, content), for `#hex` forms. */
  readonly der: Buffer;
}

/** A distinguished name as a certificate holds it: RDNs in ASN.1 order (most significant first). */
export type DistinguishedName = readonly (readonly NameAttribute[])[];

const STRING_DECODERS: { readonly [tag: number]: (bytes: Buffer) => string } = {
  0x0c: (b) => b.toString("utf8"), // UTF8String
  0x12: (b) => b.toString("latin1"), // NumericString
  0x13: (b) => b.toString("latin1"), // PrintableString
  0x14: (b) => b.toString("latin1"), // TeletexString (T.61; in practice Latin-1)
  0x16: (b) => b.toString("latin1"), // IA5String
  0x1a: (b) => b.toString("latin1"), // VisibleString
  0x1e: (b) => Buffer.from(b).swap16().toString("utf16le"), // BMPString (UTF-16BE)
  0x1c: (b) => {
    // UniversalString (UTF-32BE)
    let s = "";
    for (let i = 0; i + 3 < b.length; i += 4) s += String.fromCodePoint(b.readUInt32BE(i));
    return s;
  },
};

function readName(der: Uint8Array, name: Tlv): DistinguishedName {
  return childrenOf(der, expectTag(name, SEQUENCE, "a Name")).map((rdn) =>
    childrenOf(der, expectTag(rdn, SET, "a RelativeDistinguishedName")).map((atv) => {
      const [type, value] = childrenOf(der, expectTag(atv, SEQUENCE, "an AttributeTypeAndValue"));
      const oid = decodeOid(content(der, expectTag(type, OID, "an attribute type")));
      if (value === undefined) throw new CertificateFormatError("attribute without a value");
      const decode = STRING_DECODERS[value.tag];
      return { oid, text: decode?.(content(der, value)), der: Buffer.from(der.subarray(value.start, value.end)) };
    }),
  );
}

/**
 * Short names for attribute types: RFC 4514's own (CN, L, ST, O, OU, C, STREET, DC, UID) and
 * those OpenSSL (hence xmlsec) writes for the others. The first name is the one written.
 */
const ATTRIBUTE_NAMES: readonly (readonly [oid: string, ...names: string[]])[] = [
  ["2.5.4.3", "CN", "COMMONNAME"],
  ["2.5.4.7", "L", "LOCALITYNAME"],
  ["2.5.4.8", "ST", "S", "STATEORPROVINCENAME"],
  ["2.5.4.10", "O", "ORGANIZATIONNAME"],
  ["2.5.4.11", "OU", "ORGANIZATIONALUNITNAME"],
  ["2.5.4.6", "C", "COUNTRYNAME"],
  ["2.5.4.9", "STREET", "STREETADDRESS"],
  ["0.9.2342.19200300.100.1.25", "DC", "DOMAINCOMPONENT"],
  ["0.9.2342.19200300.100.1.1", "UID", "USERID"],
  // OpenSSL's RFC 2253 output writes emailAddress; .NET and Windows write E (and accept EMAIL).
  ["1.2.840.113549.1.9.1", "emailAddress", "E", "EMAIL"],
  ["2.5.4.5", "serialNumber"],
  ["2.5.4.4", "SN", "SURNAME"],
  ["2.5.4.42", "GN", "G", "GIVENNAME"],
  ["2.5.4.43", "initials", "I"],
  ["2.5.4.44", "generationQualifier"],
  ["2.5.4.12", "title", "T"],
  ["2.5.4.13", "description"],
  ["2.5.4.15", "businessCategory"],
  ["2.5.4.17", "postalCode"],
  ["2.5.4.46", "dnQualifier"],
  ["2.5.4.65", "pseudonym"],
  ["2.5.4.97", "organizationIdentifier"],
];
const NAME_OF_OID = new Map(ATTRIBUTE_NAMES.map(([oid, name]) => [oid, name!]));
const OID_OF_NAME = new Map(ATTRIBUTE_NAMES.flatMap(([oid, ...names]) => names.map((n) => [n.toUpperCase(), oid] as const)));

/** Escapes an attribute value for RFC 4514. */
function escapeValue(value: string): string {
  const chars = [...value];
  return chars
    .map((c, i) => {
      if (c === "\0") return "\\00";
      if ('\\"+,;<>'.includes(c)) return `\\${c}`;
      if ((i === 0 && (c === " " || c === "#")) || (i === chars.length - 1 && c === " ")) return `\\${c}`;
      return c;
    })
    .join("");
}

/**
 * A distinguished name in RFC 4514 form: RDNs from the last (most specific) to the first,
 * separated by `,`, multi-valued RDNs joined by `+`, e.g. `CN=MPay Test Client,O=MPay Harness,C=MD`.
 * This is how xmlsec writes `ds:X509IssuerName`; WCF writes the same with `, ` separators.
 */
export function formatDistinguishedName(name: DistinguishedName): string {
  // Reversed as one flat list, as OpenSSL's RFC 2253 printer does (attributes of a multi-valued
  // RDN too), so that xmlsec's ds:X509IssuerName and ours are the same string.
  return [...name]
    .reverse()
    .map((rdn) =>
      [...rdn]
        .reverse()
        .map((a) => {
          const type = NAME_OF_OID.get(a.oid) ?? a.oid;
          return `${type}=${a.text === undefined ? `#${a.der.toString("hex")}` : escapeValue(a.text)}`;
        })
        .join("+"),
    )
    .join(",");
}

/** A parsed string attribute: the type's OID, and either text or the DER of a `#hex` value. */
interface ParsedAttribute {
  readonly oid: string;
  readonly text: string | undefined;
  readonly der: Buffer | undefined;
}

/**
 * Reads a distinguished name written as text (RFC 4514, and the looser forms of RFC 2253/1779 and
 * .NET: `;` separators, spaces around separators and `=`, quoted values, `OID.` prefixes, `E=`).
 * Returns RDNs in ASN.1 order (the text's last RDN first), or undefined when the text is malformed.
 */
export function parseDistinguishedName(text: string): (readonly ParsedAttribute[])[] | undefined {
  const rdns: ParsedAttribute[][] = [];
  let rdn: ParsedAttribute[] = [];
  let i = 0;
  const skipSpaces = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  skipSpaces();
  if (i === text.length) return undefined;
  for (;;) {
    skipSpaces();
    const typeMatch = /^(?:(?:[Oo][Ii][Dd]\.)?[0-9]+(?:\.[0-9]+)+|[A-Za-z][A-Za-z0-9-]*)/.exec(text.slice(i));
    if (typeMatch === null) return undefined;
    i += typeMatch[0].length;
    const type = typeMatch[0].replace(/^oid\./i, "");
    const oid = /^[0-9]/.test(type) ? type : OID_OF_NAME.get(type.toUpperCase());
    if (oid === undefined) return undefined;
    skipSpaces();
    if (text[i] !== "=") return undefined;
    i++;
    skipSpaces();
    let attribute: ParsedAttribute;
    if (text[i] === "#") {
      const hex = /^#((?:[0-9A-Fa-f]{2})+)/.exec(text.slice(i));
      if (hex === null) return undefined;
      i += hex[0].length;
      const der = Buffer.from(hex[1]!, "hex");
      // The value must be exactly one DER element (RFC 4514 2.4: the BER encoding of the value).
      try {
        if (readTlv(der, 0, der.length).end !== der.length) return undefined;
      } catch {
        return undefined;
      }
      attribute = { oid, text: undefined, der };
    } else if (text[i] === '"') {
      i++;
      const bytes: number[] = [];
      for (;;) {
        if (i >= text.length) return undefined;
        const c = text[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === "\\") {
          const consumed = readEscape(text, i + 1, bytes);
          if (consumed === 0) return undefined;
          i += 1 + consumed;
        } else {
          bytes.push(...Buffer.from(c, "utf8"));
          i++;
        }
      }
      attribute = { oid, text: Buffer.from(bytes).toString("utf8"), der: undefined };
    } else {
      const bytes: number[] = [];
      while (i < text.length && !",;+".includes(text[i]!)) {
        const c = text[i]!;
        if (c === "\\") {
          const consumed = readEscape(text, i + 1, bytes);
          if (consumed === 0) return undefined;
          i += 1 + consumed;
        } else {
          const cp = text.codePointAt(i)!;
          const ch = String.fromCodePoint(cp);
          bytes.push(...Buffer.from(ch, "utf8"));
          i += ch.length;
        }
      }
      // Unescaped trailing spaces are not part of the value (escaped ones are; the comparison
      // below ignores both, as RFC 4518's insignificant space handling does).
      attribute = { oid, text: Buffer.from(bytes).toString("utf8").replace(/\s+$/, ""), der: undefined };
    }
    rdn.push(attribute);
    skipSpaces();
    if (i === text.length) break;
    const separator = text[i]!;
    i++;
    if (separator === "+") continue;
    if (separator !== "," && separator !== ";") return undefined;
    rdns.push(rdn);
    rdn = [];
  }
  rdns.push(rdn);
  return rdns.reverse();
}

/** Reads the escape after a backslash into bytes; returns the characters consumed (0: invalid). */
function readEscape(text: string, at: number, bytes: number[]): number {
  const pair = /^[0-9A-Fa-f]{2}/.exec(text.slice(at, at + 2));
  if (pair !== null) {
    bytes.push(parseInt(pair[0], 16));
    return 2;
  }
  const c = text[at];
  if (c === undefined) return 0;
  bytes.push(...Buffer.from(c, "utf8"));
  return 1;
}

/**
 * RFC 4518 basics for caseIgnoreMatch: compatibility normalization, case folding, characters
 * mapped to nothing removed, every run of white space one space, none at the ends.
 */
function normalizeValue(value: string): string {
  return value
    .normalize("NFKC")
    .replace(/[\u00AD\u1806\u034F\u180B-\u180D\uFE00-\uFE0F\uFFFC\u200B\u200C\u200D\u2060\uFEFF]/g, "")
    .replace(/[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g, " ")
    .trim()
    .toLowerCase();
}

function attributeEquals(cert: NameAttribute, given: ParsedAttribute): boolean {
  if (cert.oid !== given.oid) return false;
  if (given.der !== undefined) {
    if (cert.der.equals(given.der)) return true;
    // `#hex` of a string type against a decoded value: compare the text.
    if (cert.text === undefined) return false;
    try {
      const tlv = readTlv(given.der, 0, given.der.length);
      const decode = STRING_DECODERS[tlv.tag];
      if (decode === undefined || tlv.end !== given.der.length) return false;
      return normalizeValue(decode(content(given.der, tlv))) === normalizeValue(cert.text);
    } catch {
      return false;
    }
  }
  return cert.text !== undefined && given.text !== undefined && normalizeValue(cert.text) === normalizeValue(given.text);
}

/** Whether two names from certificates are the same distinguished name, compared as {@link distinguishedNameMatches} does. */
export function sameDistinguishedName(a: DistinguishedName, b: DistinguishedName): boolean {
  return namesEqual(
    a,
    b.map((rdn) => rdn.map((x) => (x.text === undefined ? { oid: x.oid, text: undefined, der: x.der } : { oid: x.oid, text: x.text, der: undefined }))),
  );
}

/**
 * Whether a certificate's name and a name written as text are the same distinguished name:
 * the same RDNs in the same order, each with the same attributes (in any order within the RDN),
 * types compared by OID and values after RFC 4518 normalization. Never a string comparison.
 */
export function distinguishedNameMatches(name: DistinguishedName, text: string): boolean {
  const given = parseDistinguishedName(text);
  return given !== undefined && namesEqual(name, given);
}

function namesEqual(name: DistinguishedName, given: readonly (readonly ParsedAttribute[])[]): boolean {
  if (given.length !== name.length) return false;
  return name.every((rdn, i) => {
    const other = given[i]!;
    if (other.length !== rdn.length) return false;
    const used = new Set<number>();
    return rdn.every((a) => {
      const j = other.findIndex((b, k) => !used.has(k) && attributeEquals(a, b));
      if (j < 0) return false;
      used.add(j);
      return true;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Certificate fields

/** An extension as the certificate carries it. */
export interface CertificateExtension {
  readonly critical: boolean;
  /** The content of `extnValue` (the DER of the extension's own value). */
  readonly value: Buffer;
}

interface CertificateFields {
  readonly serialNumber: bigint;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly extensions: ReadonlyMap<string, CertificateExtension>;
}

const fieldsCache = new WeakMap<X509Certificate, CertificateFields>();

function fieldsOf(cert: X509Certificate): CertificateFields {
  let fields = fieldsCache.get(cert);
  if (fields === undefined) {
    fields = readFields(cert.raw);
    fieldsCache.set(cert, fields);
  }
  return fields;
}

function readFields(der: Buffer): CertificateFields {
  const certificate = expectTag(readTlv(der, 0, der.length), SEQUENCE, "a Certificate");
  const tbs = childrenOf(der, expectTag(childrenOf(der, certificate)[0], SEQUENCE, "a TBSCertificate"));
  let at = 0;
  if (tbs[0]?.tag === 0xa0) at++; // [0] EXPLICIT version
  const serialNumber = decodeInteger(content(der, expectTag(tbs[at], INTEGER, "a serial number")));
  const issuer = readName(der, expectTag(tbs[at + 2], SEQUENCE, "an issuer Name"));
  const subject = readName(der, expectTag(tbs[at + 4], SEQUENCE, "a subject Name"));
  const extensions = new Map<string, CertificateExtension>();
  const wrapper = tbs.slice(at + 6).find((t) => t.tag === 0xa3); // [3] EXPLICIT Extensions
  if (wrapper !== undefined) {
    const list = expectTag(childrenOf(der, wrapper)[0], SEQUENCE, "Extensions");
    for (const ext of childrenOf(der, list)) {
      const parts = childrenOf(der, expectTag(ext, SEQUENCE, "an Extension"));
      const oid = decodeOid(content(der, expectTag(parts[0], OID, "an extension OID")));
      let critical = false;
      let valueAt = 1;
      if (parts[1]?.tag === BOOLEAN) {
        critical = content(der, parts[1])[0] !== 0;
        valueAt = 2;
      }
      const value = content(der, expectTag(parts[valueAt], OCTET_STRING, "an extension value"));
      // RFC 5280 4.2: a certificate must not carry an extension twice; which one would count?
      if (extensions.has(oid)) throw new CertificateFormatError(`extension ${oid} appears twice`);
      extensions.set(oid, { critical, value: Buffer.from(value) });
    }
  }
  return { serialNumber, issuer, subject, extensions };
}

export const EXTENSION_OIDS = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  issuerAltName: "2.5.29.18",
  basicConstraints: "2.5.29.19",
  certificatePolicies: "2.5.29.32",
  authorityKeyIdentifier: "2.5.29.35",
  extendedKeyUsage: "2.5.29.37",
} as const;

/** The certificate's extensions by OID. Throws {@link CertificateFormatError} on a malformed certificate. */
export function certificateExtensions(cert: X509Certificate): ReadonlyMap<string, CertificateExtension> {
  return fieldsOf(cert).extensions;
}

/** The issuer's distinguished name, RDNs in ASN.1 order. */
export function issuerName(cert: X509Certificate): DistinguishedName {
  return fieldsOf(cert).issuer;
}

/** The subject's distinguished name, RDNs in ASN.1 order. */
export function subjectName(cert: X509Certificate): DistinguishedName {
  return fieldsOf(cert).subject;
}

/** The subject in RFC 4514 form, for messages (`CN=MPay Test Client,O=MPay Harness,C=MD`). */
export function describeSubject(cert: X509Certificate): string {
  try {
    return formatDistinguishedName(fieldsOf(cert).subject);
  } catch {
    return cert.subject.split("\n").reverse().join(",");
  }
}

/** The serial number as a (non-negative, in any sane certificate) integer. */
export function serialNumber(cert: X509Certificate): bigint {
  return fieldsOf(cert).serialNumber;
}

/**
 * The SubjectKeyIdentifier extension's key identifier: the bytes a
 * `wsse:KeyIdentifier ValueType="…#X509SubjectKeyIdentifier"` carries in base64.
 * Undefined when the certificate has no such extension.
 */
export function subjectKeyIdentifier(cert: X509Certificate): Buffer | undefined {
  const ext = fieldsOf(cert).extensions.get(EXTENSION_OIDS.subjectKeyIdentifier);
  if (ext === undefined) return undefined;
  return Buffer.from(content(ext.value, expectTag(readTlv(ext.value, 0, ext.value.length), OCTET_STRING, "a KeyIdentifier")));
}

/**
 * The issuer and serial number as `ds:X509IssuerSerial` holds them: the issuer in RFC 4514 form,
 * the serial number in decimal.
 */
export function issuerSerial(cert: X509Certificate): { readonly issuerName: string; readonly serialNumber: string } {
  const fields = fieldsOf(cert);
  return { issuerName: formatDistinguishedName(fields.issuer), serialNumber: fields.serialNumber.toString(10) };
}

/**
 * Whether a `ds:X509IssuerSerial` names this certificate: the serial number as a decimal integer
 * (surrounding white space ignored), the issuer compared structurally with
 * {@link distinguishedNameMatches}. Malformed input never matches.
 */
export function matchesIssuerSerial(cert: X509Certificate, issuer: string, serial: string): boolean {
  const digits = serial.trim();
  if (!/^-?[0-9]+$/.test(digits)) return false;
  const fields = fieldsOf(cert);
  return BigInt(digits) === fields.serialNumber && distinguishedNameMatches(fields.issuer, issuer);
}

/** The KeyUsage bits by their RFC 5280 names, in bit order. */
export const KEY_USAGES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

/** The KeyUsage extension's bits, or undefined when the certificate has no KeyUsage extension. */
export function keyUsage(cert: X509Certificate): ReadonlySet<KeyUsage> | undefined {
  const ext = fieldsOf(cert).extensions.get(EXTENSION_OIDS.keyUsage);
  if (ext === undefined) return undefined;
  const bits = content(ext.value, expectTag(readTlv(ext.value, 0, ext.value.length), BIT_STRING, "a KeyUsage BIT STRING"));
  const set = new Set<KeyUsage>();
  KEY_USAGES.forEach((name, bit) => {
    const byte = bits[1 + (bit >> 3)];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) set.add(name);
  });
  return set;
}

/** Whether the key may make signatures: no KeyUsage extension, or one with digitalSignature or nonRepudiation. */
export function keyUsageAllowsSigning(cert: X509Certificate): boolean {
  const usage = keyUsage(cert);
  return usage === undefined || usage.has("digitalSignature") || usage.has("nonRepudiation");
}

/** The BasicConstraints extension, or undefined when absent. */
export function basicConstraints(cert: X509Certificate): { readonly ca: boolean; readonly pathLength: number | undefined } | undefined {
  const ext = fieldsOf(cert).extensions.get(EXTENSION_OIDS.basicConstraints);
  if (ext === undefined) return undefined;
  const parts = childrenOf(ext.value, expectTag(readTlv(ext.value, 0, ext.value.length), SEQUENCE, "BasicConstraints"));
  let ca = false;
  let at = 0;
  if (parts[0]?.tag === BOOLEAN) {
    ca = content(ext.value, parts[0])[0] !== 0;
    at = 1;
  }
  const length = parts[at];
  const pathLength = length?.tag === INTEGER ? Number(decodeInteger(content(ext.value, length))) : undefined;
  return { ca, pathLength };
}

/** Whether the certificate may issue certificates: BasicConstraints with cA true (RFC 5280 4.2.1.9). */
export function isCertificateAuthority(cert: X509Certificate): boolean {
  return basicConstraints(cert)?.ca === true;
}

const UNDERSTOOD = new Set<string>(Object.values(EXTENSION_OIDS));

/**
 * Critical extensions this module does not understand. RFC 5280 says a certificate with an
 * unrecognized critical extension must be rejected; the trust check does.
 */
export function unsupportedCriticalExtensions(cert: X509Certificate): string[] {
  return [...fieldsOf(cert).extensions].filter(([oid, ext]) => ext.critical && !UNDERSTOOD.has(oid)).map(([oid]) => oid);
}
