/**
 * The client's HTTP exchange: one POST, the answer's status and bytes. Built on undici (Node's
 * own HTTP client) with a connection pool per client, because global `fetch` can neither present
 * a client certificate nor bound the connect phase, and costs 3-4 times the CPU per call.
 */
import type { Agent } from "undici";
import { TransportError } from "../errors.ts";
import { certificatePem, credentialOptions, type CertificateSource, type TlsCredentials } from "./tls.ts";

/** TLS settings of the client: the certificate it presents and how it checks the server's. */
export interface ClientTlsOptions extends TlsCredentials {
  /**
   * Trust anchors for the server certificate (e.g. the CA of the service's certificate). Default:
   * Node's bundled public roots.
   */
  readonly ca?: CertificateSource;
  /** Host name the server certificate must carry, when it differs from the endpoint's host. */
  readonly servername?: string;
  /** Check the server certificate and its name (default true). Turning it off is for tests only. */
  readonly rejectUnauthorized?: boolean;
  /** Oldest TLS version accepted (default TLS 1.2). */
  readonly minVersion?: "TLSv1.2" | "TLSv1.3";
}

export interface HttpTransportOptions {
  readonly tls?: ClientTlsOptions;
  /** Time to set up a connection, TCP and TLS handshake together (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Most connections open at once to the endpoint (default: no limit). */
  readonly maxConnections?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: Uint8Array;
}

type Undici = typeof import("undici");
let undici: Promise<Undici> | undefined;
/** undici takes a few hundred milliseconds to load: only processes that call a service pay for it. */
const loadUndici = () => (undici ??= import("undici"));

/** A pool of connections to one endpoint. */
/**
 * Node's TLS connect options for {@link ClientTlsOptions}: the client certificate and key (or
 * PKCS#12), the anchors, the server name; the server is verified unless said otherwise, TLS 1.2 at
 * least. For other HTTPS clients that take the same settings as the SOAP client.
 * @throws TypeError for a certificate without its key, or pfx together with cert/key.
 */
export function clientTlsConnectOptions(tls: ClientTlsOptions): {
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  pfx?: Buffer;
  ca?: string | Buffer;
  servername?: string;
  rejectUnauthorized: boolean;
  minVersion: "TLSv1.2" | "TLSv1.3";
} {
  return {
    ...credentialOptions(tls, "tls"),
    ...(tls.ca === undefined ? {} : { ca: certificatePem(tls.ca) }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    minVersion: tls.minVersion ?? "TLSv1.2",
  };
}

export class HttpTransport {
  readonly #options: HttpTransportOptions;
  #agent: Promise<Agent> | undefined;
  #closed = false;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    // Fails now, not at the first call, on a certificate without its key and the like.
    if (options.tls !== undefined) credentialOptions(options.tls, "tls");
    const connect = options.connectTimeoutMs;
    if (connect !== undefined && !(connect > 0)) throw new TypeError(`connectTimeoutMs must be a positive number of milliseconds, got ${connect}`);
    void loadUndici().catch(() => undefined);
  }

  #dispatcher(): Promise<Agent> {
    return (this.#agent ??= loadUndici().then(({ Agent, buildConnector }) => {
      const tls = this.#options.tls;
      const connector = buildConnector({
        timeout: this.#options.connectTimeoutMs ?? 10_000,
        ...(tls === undefined ? {} : clientTlsConnectOptions(tls)),
      });
      return new Agent({
        connect: (options, callback) =>
          connector(options, (error, socket) => {
            // A TLS 1.3 server refuses our certificate after our side of the handshake is done, with
            // an alert that arrives while the request is out. undici would report the end of the
            // socket that follows instead ("other side closed"): closing the socket at the alert
            // keeps the alert as the reason of the failed call.
            socket?.prependListener("error", (socketError: Error) => {
              const code = (socketError as { code?: unknown }).code;
              if (typeof code === "string" && code.startsWith("ERR_SSL_")) socket.destroy();
            });
            if (error === null) callback(null, socket!);
            else callback(error, null);
          }),
        // The caller's deadline (an AbortSignal) bounds the whole exchange; no second clock.
        headersTimeout: 0,
        bodyTimeout: 0,
        ...(this.#options.maxConnections === undefined ? {} : { connections: this.#options.maxConnections }),
      });
    }));
  }

  /**
   * POSTs `body` and reads the whole answer, up to `maxBytes`.
   * @throws TransportError (`protocol`) for an answer over the size limit; other failures as undici reports them.
   */
  async post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal, maxBytes: number): Promise<HttpAnswer> {
    if (this.#closed) throw new TransportError("network", "the client is closed");
    const [{ request }, dispatcher] = await Promise.all([loadUndici(), this.#dispatcher()]);
    const answer = await request(url, { method: "POST", headers, body, signal, dispatcher });
    const status = answer.statusCode;
    const tooLarge = () => new TransportError("protocol", `the response is larger than the ${maxBytes}-byte limit`, { status });
    const declared = Number(answer.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      // undici's body reports its destruction as an error event: without a listener, an uncaught exception.
      answer.body.once("error", () => undefined).destroy();
      throw tooLarge();
    }
    // Stream events rather than an async iterator: cheaper per call.
    const stream = answer.body;
    const bytes = await new Promise<Uint8Array>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          stream.destroy();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      stream.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
      stream.once("error", reject);
    });
    return { status, body: bytes };
  }

  /** Closes the pooled connections once calls in progress end. */
  async close(): Promise<void> {
    this.#closed = true;
    const agent = this.#agent;
    if (agent !== undefined) await (await agent).close();
  }
}

/** OpenSSL's certificate verification results, as Node names them in `error.code`. */
const CERTIFICATE_PROBLEMS = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_CRL",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CRL_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "CRL_NOT_YET_VALID",
  "CRL_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "ERROR_IN_CRL_LAST_UPDATE_FIELD",
  "ERROR_IN_CRL_NEXT_UPDATE_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** TLS alerts by which a server refuses the client's certificate (or its absence). */
const REFUSED_BY_SERVER = /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|ACCESS_DENIED|HANDSHAKE_FAILURE)$/;

/** The problem kind and a plain explanation of a failed exchange that is neither our timeout nor an abort. */
export function describeFailure(error: unknown, endpoint: string): { problem: "connect-timeout" | "tls" | "network"; detail: string } {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (code === "UND_ERR_CONNECT_TIMEOUT") return { problem: "connect-timeout", detail: `no connection to ${endpoint} within the connect timeout (${e.message})` };
    if (CERTIFICATE_PROBLEMS.has(code)) return { problem: "tls", detail: `the server certificate of ${endpoint} is not trusted: ${code} (${e.message})` };
    if (REFUSED_BY_SERVER.test(code)) return { problem: "tls", detail: `${endpoint} refused the TLS handshake, likely our client certificate (missing or not trusted there): ${code}` };
    if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_") || code === "EPROTO") return { problem: "tls", detail: `the TLS handshake with ${endpoint} failed: ${code} (${e.message})` };
  }
  const closed = findCode(error, ["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);
  if (closed && /^https:/i.test(endpoint)) {
    // TLS 1.3 ends the handshake before the server has checked our certificate; a Node server
    // then just closes, and the alert of a server that sends one is lost in the closing socket.
    return {
      problem: "network",
      detail: `${endpoint} closed the connection without an answer (${describeCause(error)}); a server that requires client certificates does this when we present none or one it does not trust`,
    };
  }
  return { problem: "network", detail: `cannot reach ${endpoint}: ${describeCause(error)}` };
}

function findCode(error: unknown, codes: readonly string[]): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && codes.includes(code)) return true;
  }
  return false;
}

/** An error's message, with its cause's when it has one (fetch wraps the real reason). */
export function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}
