/**
 * Signing identities: a certificate, its private key and the certificates of its chain, read from
 * PEM/DER files or from a PKCS#12 (.pfx/.p12) file, and checked once at start-up so that a wrong
 * password, a key of another certificate or an expired certificate stops the service with a
 * message naming the file instead of failing on the first signed message.
 *
 * node:crypto reads PEM and DER keys (encrypted ones too) and certificates, but not PKCS#12; that
 * is node-forge's job, loaded only when a PKCS#12 file is given (see docs/decisions.md).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describeSubject } from "./certificates.ts";

/** A signing identity, ready for use. */
export interface Credentials {
  /** The certificate of the private key (the leaf). */
  readonly certificate: X509Certificate;
  /** The other certificates that came with it (intermediates, root), in the order found. */
  readonly chain: readonly X509Certificate[];
  readonly privateKey: KeyObject;
  /** The certificate's public key. */
  readonly publicKey: KeyObject;
}

/**
 * Where credentials come from. A string is a file path; a Uint8Array is the file's contents
 * (PEM or DER).
 * - `cert` + `key`: a certificate file (PEM, possibly a bundle with the chain, or DER) and a
 *   private key file (PKCS#8, PKCS#1 or SEC1; PEM or DER; encrypted with `passphrase` or not).
 * - `pfx` + `password`: a PKCS#12 file, as the state PKI (STISC) issues them.
 */
export type CredentialSource =
  | { readonly cert: string | Uint8Array; readonly key: string | Uint8Array; readonly passphrase?: string }
  | { readonly pfx: string | Uint8Array; readonly password: string };

/** Why credentials could not be loaded. */
export type CredentialProblem =
  | "unreadable"
  | "needs-password"
  | "wrong-password"
  | "key-mismatch"
  | "expired"
  | "not-yet-valid"
  | "not-rsa"
  | "no-certificate"
  | "no-key";

/** Credentials could not be loaded; the message names the file and says what to do. */
export class CredentialError extends Error {
  override readonly name = "CredentialError";
  readonly code: CredentialProblem;
  /** The file concerned, when the source was a path. */
  readonly file: string | undefined;
  constructor(code: CredentialProblem, message: string, file?: string) {
    super(message);
    this.code = code;
    this.file = file;
  }
}

interface Input {
  readonly bytes: Buffer;
  readonly file: string | undefined;
  /** How messages name it: the path, or a description of the contents. */
  readonly label: string;
}

function readInput(source: string | Uint8Array, what: string): Input {
  if (typeof source !== "string") return { bytes: Buffer.from(source.buffer, source.byteOffset, source.byteLength), file: undefined, label: what };
  try {
    return { bytes: readFileSync(source), file: source, label: source };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a folder" : (e as Error).message;
    throw new CredentialError("unreadable", `cannot read ${what} ${source}: ${why}`, source);
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string): { readonly type: string; readonly pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ type: m[1]!, pem: m[0] }));
}

function isPem(bytes: Buffer): boolean {
  return bytes.includes("-----BEGIN ");
}

function parseCertificates(input: Input): X509Certificate[] {
  if (isPem(input.bytes)) {
    const blocks = pemBlocks(input.bytes.toString("latin1")).filter((b) => b.type === "CERTIFICATE" || b.type === "X509 CERTIFICATE");
    if (blocks.length === 0) throw new CredentialError("no-certificate", `${input.label} holds no PEM certificate (no "BEGIN CERTIFICATE" block)`, input.file);
    return blocks.map((b, i) => {
      try {
        return new X509Certificate(b.pem);
      } catch (e) {
        throw new CredentialError("unreadable", `${input.label}: certificate ${i + 1} is not a valid X.509 certificate (${(e as Error).message})`, input.file);
      }
    });
  }
  try {
    return [new X509Certificate(input.bytes)];
  } catch (e) {
    throw new CredentialError("no-certificate", `${input.label} is neither a PEM file with certificates nor a DER certificate (${(e as Error).message})`, input.file);
  }
}

/**
 * Reads certificates: every certificate of a PEM file (a bundle such as a CA chain), or the one
 * certificate of a DER file (`.cer`). A string is a path.
 * @throws CredentialError when the file cannot be read or holds no certificate.
 */
export function loadCertificates(source: string | Uint8Array): X509Certificate[] {
  return parseCertificates(readInput(source, "the certificate file"));
}

const PRIVATE_KEY_TYPES = new Set(["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]);

function parsePrivateKey(input: Input, passphrase: string | undefined): KeyObject {
  let key: string | Buffer = input.bytes;
  let encrypted = false;
  if (isPem(input.bytes)) {
    const block = pemBlocks(input.bytes.toString("latin1")).find((b) => PRIVATE_KEY_TYPES.has(b.type));
    if (block === undefined) throw new CredentialError("no-key", `${input.label} holds no PEM private key (no "BEGIN PRIVATE KEY" block)`, input.file);
    key = block.pem;
    encrypted = block.type === "ENCRYPTED PRIVATE KEY" || /^Proc-Type:\s*4,ENCRYPTED/m.test(block.pem);
  }
  const attempts =
    typeof key === "string"
      ? [{ key, format: "pem" as const }]
      : // DER carries no label: PKCS#8 (plain or encrypted) is the usual form, then PKCS#1 and SEC1.
        (["pkcs8", "pkcs1", "sec1"] as const).map((type) => ({ key, format: "der" as const, type }));
  let failure: Error | undefined;
  for (const attempt of attempts) {
    try {
      return createPrivateKey({ ...attempt, ...(passphrase === undefined ? {} : { passphrase }) });
    } catch (e) {
      failure ??= e as Error;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED" || code === "ERR_MISSING_PASSPHRASE") {
        throw new CredentialError("needs-password", `the private key in ${input.label} is encrypted: give its passphrase`, input.file);
      }
      if (code === "ERR_OSSL_BAD_DECRYPT") encrypted = true;
    }
  }
  if (encrypted && passphrase !== undefined) {
    throw new CredentialError("wrong-password", `wrong passphrase for the private key in ${input.label}`, input.file);
  }
  throw new CredentialError("unreadable", `${input.label} is not a readable private key (${failure?.message ?? "unknown format"})`, input.file);
}

/** The node-forge module, loaded on first use: only PKCS#12 needs it. */
type Forge = typeof import("node-forge");
let forgeModule: Forge | undefined;
function forge(): Forge {
  // A synchronous require keeps loadCredentials synchronous; node-forge is CommonJS.
  forgeModule ??= createRequire(import.meta.url)("node-forge") as Forge;
  return forgeModule;
}

/** Bags of a PKCS#12 file, as DER. */
interface Pkcs12Contents {
  readonly keys: Buffer[];
  readonly certificates: Buffer[];
}

function readPkcs12(input: Input, password: string): Pkcs12Contents {
  const f = forge();
  const parse = (pass: string, dropMac: boolean) => {
    const asn1 = f.asn1.fromDer(f.util.createBuffer(input.bytes.toString("binary")), false);
    // Only for the second attempt below, after the MAC was verified with the password as given.
    if (dropMac && Array.isArray(asn1.value)) asn1.value.length = Math.min(asn1.value.length, 2);
    return f.pkcs12.pkcs12FromAsn1(asn1, false, pass);
  };
  const decryptFailure = (e: unknown) => /decrypt/i.test((e as Error).message) && !/MAC/.test((e as Error).message);
  let p12;
  try {
    p12 = parse(password, false);
  } catch (e) {
    const message = (e as Error).message;
    if (/MAC could not be verified/.test(message)) {
      throw new CredentialError("wrong-password", `wrong password for ${input.label}`, input.file);
    }
    // OpenSSL 3 encrypts with PBES2, whose password is UTF-8, while the MAC's key derivation
    // takes the password as BMPString; node-forge gives PBES2 the UTF-16 code units. For a
    // non-ASCII password, try again with its UTF-8 bytes (the MAC has already matched).
    if (decryptFailure(e) && /[^\x00-\x7f]/.test(password)) {
      try {
        p12 = parse(f.util.encodeUtf8(password), true);
      } catch {
        throw new CredentialError("wrong-password", `wrong password for ${input.label}`, input.file);
      }
    } else if (decryptFailure(e)) {
      throw new CredentialError("wrong-password", `wrong password for ${input.label}`, input.file);
    } else {
      throw new CredentialError("unreadable", `${input.label} is not a readable PKCS#12 file (${message})`, input.file);
    }
  }
  const der = (asn1: import("node-forge").asn1.Asn1) => Buffer.from(f.asn1.toDer(asn1).getBytes(), "binary");
  const keys: Buffer[] = [];
  const certificates: Buffer[] = [];
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      const raw = (bag as { asn1?: import("node-forge").asn1.Asn1 }).asn1;
      if (bag.type === f.pki.oids.keyBag || bag.type === f.pki.oids.pkcs8ShroudedKeyBag) {
        // node-forge decodes RSA keys into its own form; anything else stays ASN.1.
        if (bag.key) keys.push(der(f.pki.wrapRsaPrivateKey(f.pki.privateKeyToAsn1(bag.key))));
        else if (raw !== undefined) keys.push(der(raw));
      } else if (bag.type === f.pki.oids.certBag) {
        if (bag.cert) certificates.push(der(f.pki.certificateToAsn1(bag.cert)));
        else if (raw !== undefined) certificates.push(der(raw));
      }
    }
  }
  return { keys, certificates };
}

function loadPkcs12(input: Input, password: string): { certificates: X509Certificate[]; keys: KeyObject[] } {
  const contents = readPkcs12(input, password);
  const certificates = contents.certificates.map((der) => {
    try {
      return new X509Certificate(der);
    } catch (e) {
      throw new CredentialError("unreadable", `${input.label} holds a certificate that cannot be read (${(e as Error).message})`, input.file);
    }
  });
  const keys = contents.keys.map((der) => {
    try {
      return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    } catch (e) {
      throw new CredentialError("unreadable", `${input.label} holds a private key that cannot be read (${(e as Error).message})`, input.file);
    }
  });
  if (keys.length === 0) throw new CredentialError("no-key", `${input.label} holds no private key`, input.file);
  if (certificates.length === 0) throw new CredentialError("no-certificate", `${input.label} holds no certificate`, input.file);
  return { certificates, keys };
}

function sameKey(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/**
 * Loads and checks a signing identity: the key must be RSA (MPay signs with RSA PKCS#1 v1.5), the
 * certificate must be the key's, and it must be valid now (`options.now`, default the clock).
 * With a bundle or a PKCS#12 file holding several certificates, the one whose public key is the
 * private key's is the certificate; the others are the chain.
 * @throws CredentialError naming the file: unreadable, needs-password, wrong-password, no-key,
 *   no-certificate, not-rsa, key-mismatch, expired, not-yet-valid.
 */
export function loadCredentials(source: CredentialSource, options: { readonly now?: Date } = {}): Credentials {
  let certificates: X509Certificate[];
  let privateKey: KeyObject;
  let certLabel: string;
  let certFile: string | undefined;
  let keyLabel: string;
  let keyFile: string | undefined;
  if ("pfx" in source) {
    const input = readInput(source.pfx, "the PKCS#12 file");
    const contents = loadPkcs12(input, source.password);
    certificates = contents.certificates;
    // Several keys: take the one that has its certificate in the file.
    privateKey = contents.keys.find((k) => certificates.some((c) => sameKey(c, k))) ?? contents.keys[0]!;
    certLabel = keyLabel = input.label;
    certFile = keyFile = input.file;
  } else {
    const certInput = readInput(source.cert, "the certificate file");
    const keyInput = readInput(source.key, "the private key file");
    certificates = parseCertificates(certInput);
    privateKey = parsePrivateKey(keyInput, source.passphrase);
    certLabel = certInput.label;
    certFile = certInput.file;
    keyLabel = keyInput.label;
    keyFile = keyInput.file;
  }
  if (privateKey.asymmetricKeyType !== "rsa") {
    throw new CredentialError(
      "not-rsa",
      `the private key in ${keyLabel} is ${privateKey.asymmetricKeyType?.toUpperCase() ?? "of an unknown type"}, not RSA: WS-Security signatures for MPay are RSA (rsa-sha1 or rsa-sha256)`,
      keyFile,
    );
  }
  const certificate = certificates.find((c) => sameKey(c, privateKey));
  if (certificate === undefined) {
    const names = certificates.map(describeSubject).join("; ");
    throw new CredentialError(
      "key-mismatch",
      certLabel === keyLabel
        ? `the private key in ${keyLabel} belongs to none of its certificates (${names})`
        : `the private key in ${keyLabel} does not belong to the certificate in ${certLabel} (${names})`,
      keyFile,
    );
  }
  const now = options.now ?? new Date();
  if (now < certificate.validFromDate) {
    throw new CredentialError(
      "not-yet-valid",
      `the certificate ${describeSubject(certificate)} in ${certLabel} is not valid before ${certificate.validFromDate.toISOString()}`,
      certFile,
    );
  }
  if (now > certificate.validToDate) {
    throw new CredentialError(
      "expired",
      `the certificate ${describeSubject(certificate)} in ${certLabel} expired on ${certificate.validToDate.toISOString()}`,
      certFile,
    );
  }
  const chain = certificates.filter((c) => c !== certificate && !c.raw.equals(certificate.raw));
  return { certificate, chain, privateKey, publicKey: certificate.publicKey };
}
