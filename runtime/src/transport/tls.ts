/**
 * Certificates and keys as the TLS settings of the server helper and of the client take them,
 * and the check that stands in for a TLS handshake when a proxy terminates TLS.
 */
import { KeyObject, X509Certificate } from "node:crypto";

/**
 * One certificate or several (a chain, leaf first; or a set of trust anchors): PEM text, PEM
 * bytes, or parsed certificates. A PEM string may hold several certificates.
 */
export type CertificateSource = string | Uint8Array | X509Certificate | readonly (string | Uint8Array | X509Certificate)[];

/** A private key: PEM text, PEM bytes (encrypted ones need a passphrase), or a private `KeyObject`. */
export type PrivateKeySource = string | Uint8Array | KeyObject;

/** The answer of a {@link CertificateVerifier}. */
export type CertificateCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Decides whether a client certificate is trusted, e.g. a trust store holding the anchors it
 * must chain to. Used where no TLS handshake checked the certificate (a TLS-terminating proxy
 * forwards it in a header). A verifier that throws counts as a refusal.
 */
export interface CertificateVerifier {
  check(certificate: X509Certificate, options: { readonly at: Date }): CertificateCheck | Promise<CertificateCheck>;
}

/** The credentials one side presents in a TLS handshake: a certificate and its key, or a PKCS#12 file. */
export interface TlsCredentials {
  /** Our certificate, leaf first, then any intermediates the peer may need. */
  readonly cert?: CertificateSource;
  /** The private key of `cert`. */
  readonly key?: PrivateKeySource;
  /** Decrypts an encrypted PEM `key` or the `pfx` file. */
  readonly passphrase?: string;
  /** A PKCS#12 file (`.p12`/`.pfx`) holding the certificate and key, instead of `cert` and `key`. */
  readonly pfx?: Uint8Array;
}

/** Node's TLS options for a {@link TlsCredentials}: PEM strings and bytes as they are. */
export function credentialOptions(credentials: TlsCredentials, side: string): { cert?: string | Buffer; key?: string | Buffer; passphrase?: string; pfx?: Buffer } {
  const { cert, key, pfx, passphrase } = credentials;
  if (pfx !== undefined) {
    if (cert !== undefined || key !== undefined) throw new TypeError(`${side}: give either pfx or cert and key, not both`);
    return { pfx: Buffer.from(pfx.buffer, pfx.byteOffset, pfx.byteLength), ...(passphrase === undefined ? {} : { passphrase }) };
  }
  if (cert === undefined && key === undefined) return {};
  if (cert === undefined || key === undefined) throw new TypeError(`${side}: a certificate needs its private key (cert and key together)`);
  return { cert: certificatePem(cert), key: privateKeyPem(key), ...(passphrase === undefined ? {} : { passphrase }) };
}

/** PEM text of one or more certificates, in order. */
export function certificatePem(source: CertificateSource): string | Buffer {
  if (typeof source === "string") return source;
  if (source instanceof X509Certificate) return source.toString();
  if (source instanceof Uint8Array) return Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  return (source as readonly (string | Uint8Array | X509Certificate)[])
    .map((one) => {
      const pem = typeof one === "string" ? one : one instanceof X509Certificate ? one.toString() : Buffer.from(one.buffer, one.byteOffset, one.byteLength).toString("latin1");
      return pem.endsWith("\n") ? pem : `${pem}\n`;
    })
    .join("");
}

/** PEM text of a private key; a `KeyObject` is exported as unencrypted PKCS#8. */
export function privateKeyPem(source: PrivateKeySource): string | Buffer {
  if (typeof source === "string") return source;
  if (source instanceof KeyObject) {
    if (source.type !== "private") throw new TypeError(`the TLS key must be a private key, got a ${source.type} key`);
    return source.export({ format: "pem", type: "pkcs8" });
  }
  return Buffer.from(source.buffer, source.byteOffset, source.byteLength);
}

const BEGIN = "-----BEGIN CERTIFICATE-----";
const END = "-----END CERTIFICATE-----";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads the client certificate a TLS-terminating proxy forwards in a header.
 *
 * Accepted forms: PEM (line breaks as sent by the proxy, or replaced by spaces or tabs),
 * URL-encoded PEM (nginx `$ssl_client_escaped_cert`, AWS ALB), and bare base64 DER (HAProxy
 * `ssl_c_der,base64`, Traefik). When the value holds a chain, the first certificate is the
 * client's and the rest is ignored: trust is the verifier's decision.
 * @throws TypeError when the value is not one of these forms or not a certificate.
 */
export function readCertificateHeader(value: string): X509Certificate {
  let text = value.trim();
  if (text.includes("%")) {
    try {
      text = decodeURIComponent(text).trim();
    } catch {
      throw new TypeError("the certificate header is not valid URL encoding");
    }
  }
  let base64: string;
  if (text.startsWith(BEGIN)) {
    const end = text.indexOf(END);
    if (end < 0) throw new TypeError("the certificate header has no END CERTIFICATE line");
    base64 = text.slice(BEGIN.length, end);
    const rest = text.slice(end + END.length).trim();
    if (rest !== "" && !rest.startsWith(BEGIN)) throw new TypeError("the certificate header has text after the certificate");
  } else {
    base64 = text;
  }
  base64 = base64.replace(/[ \t\r\n]+/g, "");
  if (base64 === "" || base64.length % 4 !== 0 || !BASE64.test(base64)) throw new TypeError("the certificate header is neither PEM nor base64 DER");
  try {
    return new X509Certificate(Buffer.from(base64, "base64"));
  } catch {
    throw new TypeError("the certificate header does not hold an X.509 certificate");
  }
}
