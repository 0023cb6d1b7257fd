/**
 * Listening for SOAP requests: plain HTTP, HTTPS with client certificates (mutual TLS), or plain
 * HTTP behind a TLS-terminating proxy that forwards the client certificate in a header.
 *
 * It wraps any `node:http` request listener, such as the one `createSoapRequestHandler` or a
 * generated `create…Handler` returns, and tells handlers which client certificate was verified
 * through {@link clientCertificateOf}.
 */
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { X509Certificate } from "node:crypto";
import { SOAP11_ENV } from "../xml/namespaces.ts";
import { writeEnvelope } from "../soap/envelope.ts";
import { SoapFault, writeFault } from "../soap/fault.ts";
import { certificatePem, credentialOptions, readCertificateHeader, type CertificateSource, type CertificateVerifier, type TlsCredentials } from "./tls.ts";

/** HTTPS settings of the server: its own certificate, and the anchors client certificates must chain to. */
export interface ServerTlsOptions extends TlsCredentials {
  /**
   * Trust anchors for client certificates (e.g. the CA that issues MPay's certificate). Only
   * these are used, never Node's public roots. Required unless `requireClientCertificate` is false.
   */
  readonly ca?: CertificateSource;
  /**
   * Refuse, in the TLS handshake, every client that does not present a certificate chained to
   * `ca` (default true). When false, such clients are served and {@link clientCertificateOf}
   * returns `undefined` for them.
   */
  readonly requireClientCertificate?: boolean;
  /** Oldest TLS version accepted (default TLS 1.2). */
  readonly minVersion?: "TLSv1.2" | "TLSv1.3";
}

/**
 * Trust a client certificate forwarded by a TLS-terminating proxy (nginx, HAProxy, a load
 * balancer), on plain HTTP.
 *
 * Only safe when (1) the proxy removes this header from what clients send and sets it itself,
 * and (2) nothing but the proxy can reach this server (bind it to a loopback or private address).
 * Otherwise anyone can claim any certificate by sending the header. With nginx,
 * `proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;` does (1): it replaces whatever
 * the client sent under that name, and sends an empty value when there is no certificate.
 */
export interface ClientCertificateHeaderOptions {
  /** The header name, e.g. `x-ssl-client-cert` (case does not matter). */
  readonly name: string;
  /** Decides whether the forwarded certificate is trusted (the proxy may only have checked that one was sent). */
  readonly verifier: CertificateVerifier;
  /** Fault code of the refusal (default: SOAP `Client`). */
  readonly faultCode?: string;
  /** Namespace of `faultCode` (default: the SOAP envelope namespace). */
  readonly faultNamespace?: string;
}

/** Time limits of the server, in milliseconds. */
export interface ServerTimeouts {
  /** To finish the TLS handshake (default 10 000). */
  readonly handshakeMs?: number;
  /** To receive the request headers (default 20 000). */
  readonly headersMs?: number;
  /** To receive the whole request (default 60 000). */
  readonly requestMs?: number;
  /** An idle kept-alive connection stays open this long (default 5 000). */
  readonly keepAliveMs?: number;
}

/** A client turned away before reaching the SOAP listener. */
export interface ClientRefusal {
  /** `handshake`: the TLS handshake failed (no or untrusted certificate); `header`: the proxy-forwarded certificate was missing or refused. */
  readonly stage: "handshake" | "header";
  /** What was wrong, for logs; not sent to the client. */
  readonly reason: string;
  readonly remoteAddress: string | undefined;
}

export interface SoapServerOptions {
  /** HTTPS with client certificates. Without it the server speaks plain HTTP. */
  readonly tls?: ServerTlsOptions;
  /** Plain HTTP behind a TLS-terminating proxy: where the verified client certificate comes from. */
  readonly clientCertificateHeader?: ClientCertificateHeaderOptions;
  readonly timeouts?: ServerTimeouts;
  /** Told about every refused client (the server itself prints nothing). */
  readonly onRefusal?: (refusal: ClientRefusal) => void;
}

export interface ListenOptions extends SoapServerOptions {
  /** Address to bind (default `127.0.0.1`; `0.0.0.0` or `::` for every interface). */
  readonly host?: string;
  /** Port (default 0: any free port, see `port` of the result). */
  readonly port?: number;
}

/** A listening server. */
export interface RunningSoapServer {
  readonly server: HttpServer | HttpsServer;
  /** The port it listens on. */
  readonly port: number;
  /** `http(s)://host:port/` of the listening address. */
  readonly url: string;
  /**
   * Stops accepting connections, closes idle ones, lets requests in progress finish for
   * `graceMs` (default 5 000), then closes what is left. Resolves when all are closed.
   */
  close(graceMs?: number): Promise<void>;
}

const headerCertificates = new WeakMap<IncomingMessage, X509Certificate>();
const socketCertificates = new WeakMap<Socket, X509Certificate>();

/**
 * The client certificate verified for this request: by the TLS handshake of a server made here
 * (only when it chained to the configured anchors), or by the verifier of the proxy header mode.
 * `undefined` when none was verified, and always on plain HTTP without the header mode: a header
 * is never trusted unless the server was configured to trust it.
 */
export function clientCertificateOf(request: IncomingMessage): X509Certificate | undefined {
  const fromHeader = headerCertificates.get(request);
  if (fromHeader !== undefined) return fromHeader;
  const socket = request.socket;
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  let certificate = socketCertificates.get(socket);
  if (certificate === undefined) {
    certificate = socket.getPeerX509Certificate();
    if (certificate === undefined) return undefined;
    socketCertificates.set(socket, certificate);
  }
  return certificate;
}

/**
 * Makes a server (not yet listening) around a request listener: HTTPS when `tls` is given,
 * otherwise plain HTTP, in the proxy header mode when `clientCertificateHeader` is given.
 * @throws TypeError for settings that would not fail closed (client certificates required but no anchors, a header mode on HTTPS).
 */
export function createSoapServer(listener: RequestListener, options: SoapServerOptions = {}): HttpServer | HttpsServer {
  const timeouts = options.timeouts ?? {};
  const onRefusal = options.onRefusal;
  let server: HttpServer | HttpsServer;
  if (options.tls !== undefined) {
    if (options.clientCertificateHeader !== undefined) {
      throw new TypeError("clientCertificateHeader is for plain HTTP behind a TLS-terminating proxy; with tls the handshake checks the client certificate");
    }
    const tls = options.tls;
    const required = tls.requireClientCertificate ?? true;
    if (required && tls.ca === undefined) throw new TypeError("tls.ca (the trust anchors for client certificates) is required when client certificates are required");
    const credentials = credentialOptions(tls, "tls");
    if (credentials.cert === undefined && credentials.pfx === undefined) throw new TypeError("tls needs the server's certificate and key (cert and key, or pfx)");
    server = createHttpsServer(
      {
        ...credentials,
        ...(tls.ca === undefined ? {} : { ca: certificatePem(tls.ca) }),
        // Asked whenever there are anchors, so that clientCertificateOf can report a trusted one
        // even when it is optional; an untrusted one then leaves `authorized` false.
        requestCert: tls.ca !== undefined,
        rejectUnauthorized: required,
        minVersion: tls.minVersion ?? "TLSv1.2",
        handshakeTimeout: timeouts.handshakeMs ?? 10_000,
      },
      listener,
    );
    if (onRefusal !== undefined) {
      server.on("tlsClientError", (error: Error, socket: TLSSocket) => {
        // Node ends the connection of an untrusted certificate itself, without a TLS alert; the
        // error is then a bare reset, and the verification result is on the socket.
        const verification: unknown = socket.authorizationError;
        const reason = verification ? `client certificate refused: ${String(verification)}` : error.message.trim();
        onRefusal({ stage: "handshake", reason, remoteAddress: socket.remoteAddress });
      });
    }
  } else if (options.clientCertificateHeader !== undefined) {
    server = createHttpServer(withForwardedCertificate(listener, options.clientCertificateHeader, onRefusal));
  } else {
    server = createHttpServer(listener);
  }
  server.headersTimeout = timeouts.headersMs ?? 20_000;
  server.requestTimeout = timeouts.requestMs ?? 60_000;
  server.keepAliveTimeout = timeouts.keepAliveMs ?? 5_000;
  return server;
}

/**
 * Makes a server with {@link createSoapServer} and starts it on `host:port`.
 * @throws Error when the address cannot be bound (in use, not local).
 * @example
 * ```ts
 * const running = await listenSoap(createServiceProviderHandler(handlers), {
 *   host: "0.0.0.0",
 *   port: 8443,
 *   tls: { cert: readFileSync("provider.crt"), key: readFileSync("provider.key"), ca: readFileSync("mpay-ca.crt") },
 * });
 * // in a handler: clientCertificateOf(context.request)?.subject
 * ```
 */
export async function listenSoap(listener: RequestListener, options: ListenOptions = {}): Promise<RunningSoapServer> {
  const server = createSoapServer(listener, options);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls === undefined ? "http" : "https";
  return {
    server,
    port,
    url: `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close((error) => {
          clearTimeout(force);
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeIdleConnections();
      }),
  };
}

/** The proxy header mode: the request reaches `listener` only with a verified certificate. */
function withForwardedCertificate(listener: RequestListener, options: ClientCertificateHeaderOptions, onRefusal: SoapServerOptions["onRefusal"]): RequestListener {
  const name = options.name.toLowerCase();
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new TypeError(`clientCertificateHeader.name ${JSON.stringify(options.name)} is not an HTTP header name`);
  const fault = (reason: string) =>
    writeEnvelope(writeFault(new SoapFault(options.faultCode ?? "Client", reason, { namespace: options.faultNamespace ?? SOAP11_ENV }), SOAP11_ENV));
  const refuse = (request: IncomingMessage, response: ServerResponse, answer: string, reason: string) => {
    onRefusal?.({ stage: "header", reason, remoteAddress: request.socket.remoteAddress });
    const body = fault(answer);
    // The request body is never read: the connection closes after the answer.
    response.writeHead(403, { "content-type": "text/xml; charset=utf-8", "content-length": Buffer.byteLength(body, "utf8"), connection: "close" });
    response.end(body, "utf8");
  };
  const admit = (request: IncomingMessage, response: ServerResponse, certificate: X509Certificate) => {
    headerCertificates.set(request, certificate);
    return listener(request, response);
  };
  return (request, response) => {
    const value = request.headers[name];
    if (value === undefined || value === "") return refuse(request, response, "a client certificate is required", `no ${name} header`);
    if (typeof value !== "string") return refuse(request, response, "the client certificate is not readable", `several ${name} headers`);
    let certificate: X509Certificate;
    try {
      certificate = readCertificateHeader(value);
    } catch (error) {
      return refuse(request, response, "the client certificate is not readable", (error as Error).message);
    }
    let check;
    try {
      check = options.verifier.check(certificate, { at: new Date() });
    } catch (error) {
      return refuse(request, response, "the client certificate is not trusted", `the verifier failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const decide = (result: Awaited<typeof check>) => {
      if (result.ok === true) return admit(request, response, certificate);
      refuse(request, response, "the client certificate is not trusted", `${certificate.subject.replaceAll("\n", ", ")}: ${result.reason}`);
    };
    if (check instanceof Promise) {
      check.then(decide, (error: unknown) =>
        refuse(request, response, "the client certificate is not trusted", `the verifier failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    } else {
      decide(check);
    }
  };
}
