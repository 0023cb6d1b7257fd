/**
 * A development PKI (what `mpay-codegen certs` writes) like the one the official .NET sample ships, so that a
 * provider can run with WS-Security and mutual TLS before it has its STISC certificates: a root CA,
 * a certificate playing MPay and one for the provider, as PEM files and PKCS#12.
 *
 * Keys come from node:crypto (fast, native); node has no API to make X.509 certificates or
 * PKCS#12 files, so node-forge builds those, and node:crypto signs them (see docs/decisions.md).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

type Forge = typeof import("node-forge");
type ForgeCertificate = import("node-forge").pki.Certificate;

/** The files of a development PKI, in the order they are written. */
export const PKI_FILES = [
  "ca.pem",
  "ca-key.pem",
  "mpay.pem",
  "mpay-key.pem",
  "mpay.p12",
  "provider.pem",
  "provider-key.pem",
  "provider.p12",
  "README.txt",
] as const;
export type PkiFileName = (typeof PKI_FILES)[number];

export interface DevelopmentPkiOptions {
  /** Validity of every certificate in days from now (default 825, the most TLS clients accept for a leaf). */
  readonly days?: number;
  /** Password of the two .p12 files (default `test`); printable ASCII, see {@link checkPkcs12Password}. */
  readonly password?: string;
  /** "Now", for tests; certificates start an hour before it to allow for clock skew. */
  readonly now?: Date;
}

export interface PkiFile {
  readonly name: PkiFileName;
  readonly contents: string | Buffer;
  /** A private key (written readable by the owner only). */
  readonly secret: boolean;
}

export interface DevelopmentPki {
  readonly files: readonly PkiFile[];
  readonly password: string;
  readonly notAfter: Date;
}

export const DEFAULT_DAYS = 825;
export const DEFAULT_PASSWORD = "test";

const ORGANIZATION = "mpay-kit development";
const SUBJECTS = {
  ca: "mpay-kit Development Root CA",
  mpay: "MPay (development)",
  provider: "Service Provider (development)",
} as const;

/**
 * Why a PKCS#12 password cannot be used, or undefined. Only printable ASCII: OpenSSL 3 and .NET
 * read a PBES2-encrypted PKCS#12 password as UTF-8, node-forge (which writes the file) as UTF-16
 * code units, and the two agree only on ASCII.
 */
export function checkPkcs12Password(password: string): string | undefined {
  if (password.length === 0) return "the PKCS#12 password must not be empty";
  if (!/^[\x20-\x7e]+$/.test(password)) return "the PKCS#12 password must be printable ASCII (other characters are read differently by different PKCS#12 readers)";
  return undefined;
}

interface Party {
  readonly key: KeyObject;
  readonly cert: ForgeCertificate;
  readonly ski: Buffer;
}

function loadForge(): Forge {
  return createRequire(import.meta.url)("node-forge") as Forge;
}

/** A positive 128-bit serial number whose DER needs no leading zero byte. */
function serialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes.toString("hex");
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING (the RSAPublicKey DER). */
function keyIdentifier(key: KeyObject): Buffer {
  return createHash("sha1").update(key.export({ type: "pkcs1", format: "der" })).digest();
}

/** Makes a development PKI in memory; {@link writeDevelopmentPki} writes it. */
export function createDevelopmentPki(options: DevelopmentPkiOptions = {}): DevelopmentPki {
  const days = options.days ?? DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new RangeError(`days must be a whole number from 1 to 36500, not ${days}`);
  const password = options.password ?? DEFAULT_PASSWORD;
  const problem = checkPkcs12Password(password);
  if (problem !== undefined) throw new RangeError(problem);
  const forge = loadForge();
  const now = options.now ?? new Date();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 3_600_000);
  const notAfter = new Date(Math.floor(now.getTime() / 1000) * 1000 + days * 86_400_000);
  const name = (commonName: string) => [
    { shortName: "C", value: "MD" },
    { shortName: "O", value: ORGANIZATION },
    { shortName: "CN", value: commonName },
  ];

  const issue = (commonName: string, issuer: Party | undefined, extensions: (self: Buffer) => object[]): Party => {
    const { privateKey: key, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const ski = keyIdentifier(publicKey);
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
    cert.serialNumber = serialHex();
    cert.validity.notBefore = notBefore;
    cert.validity.notAfter = notAfter;
    cert.setSubject(name(commonName));
    cert.setIssuer(issuer === undefined ? name(commonName) : issuer.cert.subject.attributes);
    cert.setExtensions([
      ...extensions(ski),
      { name: "subjectKeyIdentifier", subjectKeyIdentifier: ski.toString("hex") },
      { name: "authorityKeyIdentifier", keyIdentifier: (issuer?.ski ?? ski).toString("binary") },
    ]);
    // What forge's cert.sign() does, with node:crypto's native RSA instead of forge's JavaScript one.
    cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
    const tbs = (forge.pki as unknown as { getTBSCertificate(c: ForgeCertificate): import("node-forge").asn1.Asn1 }).getTBSCertificate(cert);
    cert.tbsCertificate = tbs;
    const tbsDer = Buffer.from(forge.asn1.toDer(tbs).getBytes(), "binary");
    cert.signature = sign("sha256", tbsDer, issuer?.key ?? key).toString("binary");
    return { key, cert, ski };
  };

  const ca = issue(SUBJECTS.ca, undefined, () => [
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const leafExtensions = () => [
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true, clientAuth: true },
    { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] },
  ];
  const mpay = issue(SUBJECTS.mpay, ca, leafExtensions);
  const provider = issue(SUBJECTS.provider, ca, leafExtensions);

  const pem = (party: Party) => forge.pki.certificateToPem(party.cert).replace(/\r\n/g, "\n");
  const keyPem = (party: Party) => party.key.export({ type: "pkcs8", format: "pem" }).toString();
  const pkcs12 = (party: Party, friendlyName: string) => {
    const forgeKey = forge.pki.privateKeyFromPem(keyPem(party));
    // AES-256-CBC with PBKDF2 (PBES2), as OpenSSL 3 writes by default (forge's MAC stays SHA-1).
    const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, [party.cert, ca.cert], password, { algorithm: "aes256", friendlyName, count: 2048 });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
  };

  const files: PkiFile[] = [
    { name: "ca.pem", contents: pem(ca), secret: false },
    { name: "ca-key.pem", contents: keyPem(ca), secret: true },
    { name: "mpay.pem", contents: pem(mpay), secret: false },
    { name: "mpay-key.pem", contents: keyPem(mpay), secret: true },
    { name: "mpay.p12", contents: pkcs12(mpay, "mpay"), secret: true },
    { name: "provider.pem", contents: pem(provider), secret: false },
    { name: "provider-key.pem", contents: keyPem(provider), secret: true },
    { name: "provider.p12", contents: pkcs12(provider, "provider"), secret: true },
    { name: "README.txt", contents: readme(password, notAfter), secret: false },
  ];
  return { files, password, notAfter };
}

function readme(password: string, notAfter: Date): string {
  return `Development PKI made by \`mpay-codegen certs\`. FOR DEVELOPMENT AND TESTS ONLY.

The keys are not protected (the .p12 password is printed here), and anyone who has this folder
can sign as "MPay" or as the provider. Never use these certificates in production or register
them with MPay: real ones are issued by the state PKI (STISC).

  ca.pem             root CA "${SUBJECTS.ca}": the trust anchor of both sides
  ca-key.pem         the CA's private key (to issue more certificates; keep it out of services)
  mpay.pem           a certificate playing MPay (the caller): trust it, or pin it, in the provider
  mpay-key.pem       its private key, for tests that play MPay
  mpay.p12           the same key and certificate with the CA, PKCS#12, password "${password}"
  provider.pem       the provider's certificate: it signs responses and serves TLS
  provider-key.pem   its private key
  provider.p12       the same key and certificate with the CA, PKCS#12, password "${password}"

Leaf certificates: RSA 2048, SHA-256, KeyUsage digitalSignature and keyEncipherment, extended key
usage serverAuth and clientAuth, subjectAltName localhost and 127.0.0.1, SubjectKeyIdentifier.
Every certificate is valid until ${notAfter.toISOString().replace(".000Z", "Z")}.

Remake the folder with: mpay-codegen certs <dir> --force
`;
}

/** Refusal to overwrite an existing PKI. */
export class PkiExistsError extends Error {
  override readonly name = "PkiExistsError";
  readonly existing: readonly string[];
  constructor(dir: string, existing: readonly string[]) {
    const named = existing.length > 3 ? `${existing.slice(0, 3).join(", ")} and ${existing.length - 3} more` : existing.join(", ");
    super(`${dir} already holds a PKI (${named}); pass --force to overwrite it`);
    this.existing = existing;
  }
}

/**
 * Makes a development PKI and writes it to `dir` (created if needed). Refuses with
 * {@link PkiExistsError} when any of its files exists, unless `force`; other files are left alone.
 * Private keys and .p12 files are written readable by their owner only.
 */
export function writeDevelopmentPki(dir: string, options: DevelopmentPkiOptions & { readonly force?: boolean; readonly displayDir?: string } = {}): DevelopmentPki {
  const existing = PKI_FILES.filter((name) => existsSync(join(dir, name)));
  if (existing.length > 0 && options.force !== true) throw new PkiExistsError(options.displayDir ?? dir, existing);
  const pki = createDevelopmentPki(options);
  mkdirSync(dir, { recursive: true });
  for (const file of pki.files) {
    const path = join(dir, file.name);
    writeFileSync(path, file.contents, { mode: file.secret ? 0o600 : 0o644 });
    // `mode` applies only to a new file; an overwritten key keeps no wider permissions than 0600.
    chmodSync(path, file.secret ? 0o600 : 0o644);
  }
  return pki;
}
