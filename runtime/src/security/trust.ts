/**
 * Which signers are trusted: a set of trust anchors (the CAs, or certificates trusted as they
 * are), intermediate CA certificates, known peer certificates (so that a signature naming its key
 * by SubjectKeyIdentifier or issuer and serial can be checked), and optional pins that narrow the
 * accepted signers to particular certificates (a provider must accept only MPay's).
 *
 * The check fails closed: anything it cannot establish (a path to an anchor, validity at the
 * message time, CA status of issuers, signing usage of the key, a pin) is a refusal with a short
 * reason that names the certificate.
 */
import type { X509Certificate } from "node:crypto";
import {
  basicConstraints,
  CertificateFormatError,
  describeSubject,
  distinguishedNameMatches,
  issuerName,
  keyUsage,
  keyUsageAllowsSigning,
  matchesIssuerSerial,
  parseDistinguishedName,
  sameDistinguishedName,
  subjectKeyIdentifier,
  subjectName,
  unsupportedCriticalExtensions,
} from "./certificates.ts";

/**
 * A pinned signer: the SHA-256 fingerprint of its certificate's DER (hex, colons and case
 * ignored, as `openssl x509 -fingerprint -sha256` or `X509Certificate.fingerprint256` print it),
 * and/or its subject distinguished name (compared structurally, not as a string). When both are
 * given, both must match. A pin may also be the certificate itself (same DER).
 */
export interface CertificatePin {
  readonly fingerprint256?: string;
  readonly subject?: string;
}

/** The outcome of {@link TrustStore.check}: the path from the signer to an anchor, or why not. */
export type TrustResult = { readonly ok: true; readonly chain: readonly X509Certificate[] } | { readonly ok: false; readonly reason: string };

export interface TrustStoreOptions {
  /** Trusted certificates: CAs whose certificates are trusted, or signer certificates trusted directly (same DER). */
  readonly anchors: readonly X509Certificate[];
  /** Intermediate CA certificates that may complete a path; never trusted by themselves. */
  readonly intermediates?: readonly X509Certificate[];
  /** Known signer certificates, found by SubjectKeyIdentifier or issuer and serial; never trusted by themselves. */
  readonly peers?: readonly X509Certificate[];
  /** When given, a signer must also match one of these. */
  readonly pins?: readonly (CertificatePin | X509Certificate)[];
}

/** How many CA certificates a path may have above the signer; real PKIs use one to three. */
const MAX_PATH_LENGTH = 8;

interface NormalizedPin {
  readonly der?: Buffer;
  readonly fingerprint256?: string;
  readonly subject?: string;
}

function isCertificate(value: CertificatePin | X509Certificate): value is X509Certificate {
  return "raw" in value && Buffer.isBuffer((value as X509Certificate).raw);
}

function hexFingerprint(text: string): string {
  return text.replace(/[\s:]/g, "").toUpperCase();
}

function normalizePin(pin: CertificatePin | X509Certificate): NormalizedPin {
  if (isCertificate(pin)) return { der: pin.raw };
  if (pin.fingerprint256 === undefined && pin.subject === undefined) {
    throw new TypeError("a certificate pin needs fingerprint256 or subject (or is a certificate)");
  }
  let fingerprint256: string | undefined;
  if (pin.fingerprint256 !== undefined) {
    fingerprint256 = hexFingerprint(pin.fingerprint256);
    if (!/^[0-9A-F]{64}$/.test(fingerprint256)) throw new TypeError(`the pinned fingerprint ${JSON.stringify(pin.fingerprint256)} is not a SHA-256 fingerprint (64 hex digits)`);
  }
  // A typo in a pinned subject must not silently turn into "no signer ever matches".
  if (pin.subject !== undefined && parseDistinguishedName(pin.subject) === undefined) {
    throw new TypeError(`the pinned subject ${JSON.stringify(pin.subject)} is not a distinguished name (e.g. "CN=MPay,O=STISC,C=MD")`);
  }
  return { ...(fingerprint256 === undefined ? {} : { fingerprint256 }), ...(pin.subject === undefined ? {} : { subject: pin.subject }) };
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

/** Why a certificate is not usable at `at`, or undefined. */
function validityProblem(cert: X509Certificate, role: string, at: Date): string | undefined {
  if (at < cert.validFromDate) return `${role} certificate ${describeSubject(cert)} is not valid before ${iso(cert.validFromDate)}`;
  if (at > cert.validToDate) return `${role} certificate ${describeSubject(cert)} expired on ${iso(cert.validToDate)}`;
  const unsupported = unsupportedCriticalExtensions(cert);
  if (unsupported.length > 0) return `${role} certificate ${describeSubject(cert)} has an unsupported critical extension (${unsupported.join(", ")})`;
  return undefined;
}

/** The trusted signers of received messages; see the module comment. */
export class TrustStore {
  readonly #anchors: readonly X509Certificate[];
  readonly #intermediates: readonly X509Certificate[];
  readonly #peers: readonly X509Certificate[];
  readonly #pins: readonly NormalizedPin[];

  constructor(options: TrustStoreOptions) {
    if (options.anchors.length === 0) throw new TypeError("a trust store needs at least one trust anchor");
    this.#anchors = [...options.anchors];
    this.#intermediates = [...(options.intermediates ?? [])];
    this.#peers = [...(options.peers ?? [])];
    this.#pins = (options.pins ?? []).map(normalizePin);
  }

  /** Every certificate the store knows, peers first (the usual signers), then intermediates and anchors. */
  #known(): X509Certificate[] {
    return [...this.#peers, ...this.#intermediates, ...this.#anchors];
  }

  /** The known certificate (peer, intermediate or anchor) with this SubjectKeyIdentifier. */
  findBySubjectKeyIdentifier(ski: Uint8Array): X509Certificate | undefined {
    const wanted = Buffer.from(ski.buffer, ski.byteOffset, ski.byteLength);
    return this.#known().find((cert) => {
      try {
        return subjectKeyIdentifier(cert)?.equals(wanted) ?? false;
      } catch {
        return false;
      }
    });
  }

  /** The known certificate (peer, intermediate or anchor) with this issuer (compared structurally) and decimal serial number. */
  findByIssuerSerial(issuer: string, serialNumber: string): X509Certificate | undefined {
    return this.#known().find((cert) => {
      try {
        return matchesIssuerSerial(cert, issuer, serialNumber);
      } catch {
        return false;
      }
    });
  }

  /**
   * Decides whether `cert` may sign a message made at `at`: it is valid then and its key may sign
   * (KeyUsage); it matches a pin when pins are configured; and either it is one of the anchors
   * (same DER), or a path leads from it through intermediates (configured or `presentedChain`) to
   * an anchor, each certificate's signature verifying with its issuer's key, every issuer a CA
   * allowed to sign certificates, every certificate valid at `at`. A self-signed certificate that
   * is not an anchor is refused, whatever its name.
   */
  check(cert: X509Certificate, options: { readonly at: Date; readonly presentedChain?: readonly X509Certificate[] }): TrustResult {
    // A verified signer is the same certificate object message after message (the verifier caches
    // what it decodes), and the store never changes: a success is reused while every certificate
    // of its chain is still valid. Path building costs an RSA verify per link.
    const presented = options.presentedChain === undefined || options.presentedChain.length === 0;
    if (presented) {
      const cached = this.#accepted.get(cert);
      const t = options.at instanceof Date ? options.at.getTime() : Number.NaN;
      if (cached !== undefined && t >= cached.from && t < cached.until) return cached.result;
    }
    const result = this.#check(cert, options);
    if (presented && result.ok) {
      let from = -Infinity;
      let until = Infinity;
      for (const c of result.chain) {
        from = Math.max(from, new Date(c.validFrom).getTime());
        until = Math.min(until, new Date(c.validTo).getTime());
      }
      this.#accepted.set(cert, { result, from, until });
    }
    return result;
  }

  readonly #accepted = new WeakMap<X509Certificate, { readonly result: TrustResult; readonly from: number; readonly until: number }>();

  #check(cert: X509Certificate, options: { readonly at: Date; readonly presentedChain?: readonly X509Certificate[] }): TrustResult {
    const at = options.at;
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) return { ok: false, reason: "no valid time to check the signer certificate at" };
    const signer = describeSubject(cert);
    try {
      const invalid = validityProblem(cert, "signer", at);
      if (invalid !== undefined) return { ok: false, reason: invalid };
      if (!keyUsageAllowsSigning(cert)) return { ok: false, reason: `signer certificate ${signer} does not allow digital signatures (KeyUsage)` };
      if (this.#pins.length > 0 && !this.#pins.some((pin) => pinMatches(pin, cert))) {
        return { ok: false, reason: `signer certificate ${signer} is not ${this.#pins.length === 1 ? "the pinned certificate" : "one of the pinned certificates"} (SHA-256 ${hexFingerprint(cert.fingerprint256)})` };
      }
      if (this.#anchors.some((a) => a.raw.equals(cert.raw))) return { ok: true, chain: [cert] };
      if (sameDistinguishedName(issuerName(cert), subjectName(cert)) && verifies(cert, cert)) {
        return { ok: false, reason: `signer certificate ${signer} is self-signed and is not a trusted certificate` };
      }
      const pool = uniqueCertificates([...this.#intermediates, ...(options.presentedChain ?? []), ...this.#anchors]);
      const found = this.#buildPath([cert], pool, at);
      if ("chain" in found) return { ok: true, chain: found.chain };
      return { ok: false, reason: found.problem ?? `signer certificate ${signer} is not issued by a trusted authority` };
    } catch (e) {
      if (e instanceof CertificateFormatError) return { ok: false, reason: `a certificate on the path of ${signer} cannot be read (${e.message})` };
      throw e;
    }
  }

  /**
   * Depth-first search from the last certificate of `path` to an anchor. Returns the chain, or the
   * most specific problem met (a candidate issuer that matched by name but failed a check).
   */
  #buildPath(path: readonly X509Certificate[], pool: readonly X509Certificate[], at: Date): { chain: X509Certificate[] } | { problem: string | undefined } {
    const current = path[path.length - 1]!;
    const signer = describeSubject(path[0]!);
    let problem: string | undefined;
    const candidates = pool.filter((c) => !path.some((p) => p.raw.equals(c.raw)) && sameDistinguishedName(subjectName(c), issuerName(current)));
    if (candidates.length === 0 && path.length > 1) {
      problem = `signer certificate ${signer} is not issued by a trusted authority (no trusted issuer for ${describeSubject(current)})`;
    }
    for (const issuer of candidates) {
      const name = describeSubject(issuer);
      if (!verifies(current, issuer)) {
        problem ??= `signer certificate ${signer} is not issued by a trusted authority (the signature of ${describeSubject(current)} does not verify with the key of ${name})`;
        continue;
      }
      const issuerProblem = validityProblem(issuer, "issuer", at) ?? authorityProblem(issuer, path.length - 1);
      if (issuerProblem !== undefined) {
        problem = issuerProblem;
        continue;
      }
      const chain = [...path, issuer];
      if (this.#anchors.some((a) => a.raw.equals(issuer.raw))) return { chain };
      if (path.length >= MAX_PATH_LENGTH) {
        problem ??= `signer certificate ${signer} has no path to a trusted authority within ${MAX_PATH_LENGTH} certificates`;
        continue;
      }
      const deeper = this.#buildPath(chain, pool, at);
      if ("chain" in deeper) return deeper;
      problem = deeper.problem ?? problem;
    }
    return { problem };
  }
}

/** Why `issuer` may not have issued a certificate with `below` intermediate CAs under it, or undefined. */
function authorityProblem(issuer: X509Certificate, below: number): string | undefined {
  const constraints = basicConstraints(issuer);
  if (constraints?.ca !== true) return `issuer certificate ${describeSubject(issuer)} is not a certificate authority (BasicConstraints)`;
  const usage = keyUsage(issuer);
  if (usage !== undefined && !usage.has("keyCertSign")) return `issuer certificate ${describeSubject(issuer)} may not sign certificates (KeyUsage)`;
  if (constraints.pathLength !== undefined && below > constraints.pathLength) {
    return `issuer certificate ${describeSubject(issuer)} allows ${constraints.pathLength} intermediate certificate${constraints.pathLength === 1 ? "" : "s"} below it, the path has ${below}`;
  }
  return undefined;
}

function verifies(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function pinMatches(pin: NormalizedPin, cert: X509Certificate): boolean {
  if (pin.der !== undefined) return pin.der.equals(cert.raw);
  if (pin.fingerprint256 !== undefined && pin.fingerprint256 !== hexFingerprint(cert.fingerprint256)) return false;
  if (pin.subject !== undefined && !distinguishedNameMatches(subjectName(cert), pin.subject)) return false;
  return true;
}

function uniqueCertificates(list: readonly X509Certificate[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const cert of list) if (!out.some((c) => c.raw.equals(cert.raw))) out.push(cert);
  return out;
}
