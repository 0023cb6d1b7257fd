/**
 * A client for MPay's invoice REST endpoints (CONTRACT.md):
 * - `GET {api}/api/invoices?serviceID=..&orderKey=..` → the order's InvoiceIDs (a JSON array);
 * - `GET {api}/api/Invoices/DownloadInvoicePdf?serviceID=..&orderKey=..` → the file
 *   `Nota de plata {invoiceID}.pdf`;
 * - `GET {api}/api/Invoices/GetPdfInvoiceBytes?serviceID=..&orderKey=..&pageFormat=A5` → the PDF
 *   bytes (A4 by default).
 *
 * Built on undici rather than global `fetch` because `fetch` can neither present a client
 * certificate nor bound the connection set-up on its own (the same reason as the runtime's SOAP
 * client). Every failure is an {@link InvoiceApiError} that says what went wrong (HTTP status,
 * content type, timeout, TLS) and never carries key material or the raw error objects of the TLS
 * stack.
 */
import { createPrivateKey } from "node:crypto";
import type { Agent } from "undici";
import { parse as parseContentDisposition } from "content-disposition";
import { clientTlsConnectOptions, type ClientTlsOptions } from "@mpay-kit/runtime";
import { endpointsOf, type MPayEnvironment } from "./endpoints.ts";

/** Why an invoice request failed. */
export type InvoiceApiProblem =
  | "http-status" // MPay answered with a status other than 2xx
  | "content-type" // the answer is not of the documented kind (JSON, PDF)
  | "malformed" // the answer has the right type but not the documented shape
  | "too-large" // the answer is larger than maxResponseBytes
  | "timeout" // no complete answer within responseTimeoutMs
  | "connect-timeout" // no connection (TCP and TLS) within connectTimeoutMs
  | "tls" // the TLS handshake failed: MPay's certificate is not trusted, or MPay refused ours
  | "network" // the connection could not be made or broke
  | "aborted"; // the caller's signal aborted the request

/** A failed invoice request. `url` is the request's URL; no header, body or key material is kept. */
export class InvoiceApiError extends Error {
  override readonly name = "InvoiceApiError";
  readonly problem: InvoiceApiProblem;
  readonly url: string;
  /** HTTP status, when an answer arrived. */
  readonly status: number | undefined;
  /** The error code of the network or TLS failure (e.g. `ECONNREFUSED`, `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`). */
  readonly code: string | undefined;
  constructor(problem: InvoiceApiProblem, url: string, message: string, details: { status?: number; code?: string } = {}) {
    super(message);
    this.problem = problem;
    this.url = url;
    this.status = details.status;
    this.code = details.code;
  }
}

export interface InvoiceClientOptions {
  /** Which MPay: `"staging"`, `"production"`, or the endpoints of another installation; its `invoiceApi` is used. */
  readonly environment: MPayEnvironment;
  /** The client certificate to present, and how to check MPay's (same shape as the SOAP client's). */
  readonly tls?: ClientTlsOptions;
  /** Time to set up a connection, TCP and TLS handshake together (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Time from sending a request to the last byte of its answer (default 30 000 ms). */
  readonly responseTimeoutMs?: number;
  /** Largest answer accepted, in bytes (default 20 MiB). */
  readonly maxResponseBytes?: number;
}

export interface RequestOptions {
  /** Aborts the request (an {@link InvoiceApiError} with problem `aborted`). */
  readonly signal?: AbortSignal;
}

/** The page size of a PDF invoice (CONTRACT.md: A4 by default, A5 on request). */
export type PageFormat = "A4" | "A5";

/** A downloaded invoice PDF. */
export interface InvoicePdf {
  readonly bytes: Uint8Array;
  /**
   * The file name from Content-Disposition (`filename*` of RFC 8187 first, else `filename`), cut to
   * its last path segment and without control characters so it is safe to save; undefined when the
   * answer names none.
   */
  readonly fileName: string | undefined;
  /** The InvoiceID read from a file name of the documented form `Nota de plata {invoiceID}.pdf`. */
  readonly invoiceId: string | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
/** How much of an error answer's body is quoted in the error message. */
const ERROR_BODY_QUOTE = 200;
const PDF_MAGIC = "%PDF-";
const INVOICE_FILE_NAME = /^Nota de plata (.+)\.pdf$/i;

type Undici = typeof import("undici");
let undici: Promise<Undici> | undefined;
/** undici takes a while to load: only processes that call the invoice API pay for it. */
const loadUndici = () => (undici ??= import("undici"));

/** MPay's invoice REST endpoints, over one pool of connections. Close it when done. */
export class MPayInvoiceClient {
  readonly #api: string;
  readonly #responseTimeoutMs: number;
  readonly #maxBytes: number;
  readonly #connect: Record<string, unknown>;
  #agent: Promise<Agent> | undefined;
  #closed = false;

  /**
   * @throws TypeError for unusable settings: a certificate without its key, a key that cannot be
   * read (wrong passphrase), a non-positive timeout. The message never quotes the key.
   */
  constructor(options: InvoiceClientOptions) {
    const api = new URL(endpointsOf(options.environment).invoiceApi);
    if (api.protocol !== "https:" && api.protocol !== "http:") throw new TypeError(`the invoice API is an http(s) URL, got ${api.protocol}`);
    this.#api = api.href.replace(/\/+$/, "");
    this.#responseTimeoutMs = positive("responseTimeoutMs", options.responseTimeoutMs, DEFAULT_RESPONSE_TIMEOUT_MS);
    this.#maxBytes = positive("maxResponseBytes", options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
    this.#connect = { timeout: positive("connectTimeoutMs", options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS), ...(options.tls === undefined ? {} : tlsConnectOptions(options.tls)) };
  }

  /** The InvoiceIDs MPay holds for an order; empty when it has none. */
  async invoiceIds(serviceId: string, orderKey: string, options: RequestOptions = {}): Promise<string[]> {
    const url = this.#url("/api/invoices", { serviceID: serviceId, orderKey });
    const answer = await this.#get(url, "application/json", options.signal);
    if (!isJson(answer.contentType)) throw wrongType(url, answer, "JSON");
    let ids: unknown;
    try {
      // Numbers are read from their source text: an id such as 00069002233014 must keep its digits.
      ids = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(answer.body), (_key, value: unknown, context?: { source?: string }) =>
        typeof value === "number" && context?.source !== undefined ? new JsonNumber(context.source) : value,
      );
    } catch {
      throw new InvoiceApiError("malformed", url, `${url} answered with JSON that cannot be read`, { status: answer.status });
    }
    if (!Array.isArray(ids)) throw new InvoiceApiError("malformed", url, `${url} answered with JSON that is not an array of invoice ids`, { status: answer.status });
    return ids.map((id, i) => {
      if (typeof id === "string" && id !== "") return id;
      if (id instanceof JsonNumber && /^\d+$/.test(id.source)) return id.source;
      throw new InvoiceApiError("malformed", url, `${url} answered with an invoice id at [${i}] that is neither a non-empty string nor a whole number`, { status: answer.status });
    });
  }

  /** The invoice PDF of an order as MPay offers it for download, with its file name. */
  async downloadInvoicePdf(serviceId: string, orderKey: string, options: RequestOptions = {}): Promise<InvoicePdf> {
    const url = this.#url("/api/Invoices/DownloadInvoicePdf", { serviceID: serviceId, orderKey });
    const answer = await this.#get(url, "application/pdf", options.signal);
    if (!isPdfType(answer.contentType)) throw wrongType(url, answer, "a PDF");
    const bytes = checkPdf(url, answer, answer.body);
    const fileName = fileNameOf(answer.contentDisposition);
    const invoiceId = fileName === undefined ? undefined : INVOICE_FILE_NAME.exec(fileName)?.[1];
    return { bytes, fileName, invoiceId };
  }

  /**
   * The invoice PDF of an order, in A4 unless asked for A5. The contract says "PDF bytes" without
   * saying how they are sent: a PDF body (`application/pdf` or `application/octet-stream`) and a
   * JSON string of base64 (how ASP.NET writes a byte array) are both read; either way the result
   * must start like a PDF.
   */
  async invoicePdfBytes(serviceId: string, orderKey: string, options: RequestOptions & { readonly pageFormat?: PageFormat } = {}): Promise<Uint8Array> {
    const query: Record<string, string> = { serviceID: serviceId, orderKey };
    if (options.pageFormat !== undefined) {
      if (options.pageFormat !== "A4" && options.pageFormat !== "A5") throw new TypeError(`pageFormat is A4 or A5, got ${String(options.pageFormat)}`);
      query.pageFormat = options.pageFormat;
    }
    const url = this.#url("/api/Invoices/GetPdfInvoiceBytes", query);
    const answer = await this.#get(url, "application/pdf, application/json;q=0.9", options.signal);
    if (isPdfType(answer.contentType)) return checkPdf(url, answer, answer.body);
    if (!isJson(answer.contentType)) throw wrongType(url, answer, "a PDF or JSON");
    let base64: unknown;
    try {
      base64 = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(answer.body));
    } catch {
      base64 = undefined;
    }
    if (typeof base64 !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
      throw new InvoiceApiError("malformed", url, `${url} answered with JSON that is not a base64 string of PDF bytes`, { status: answer.status });
    }
    return checkPdf(url, answer, new Uint8Array(Buffer.from(base64, "base64")));
  }

  /** Closes the pooled connections once requests in progress end. */
  async close(): Promise<void> {
    this.#closed = true;
    const agent = this.#agent;
    if (agent !== undefined) await (await agent).close();
  }

  #url(path: string, query: Record<string, string>): string {
    for (const [name, value] of Object.entries(query)) if (value === "") throw new RangeError(`${name} is empty`);
    return `${this.#api}${path}?${new URLSearchParams(query).toString()}`;
  }

  #dispatcher(): Promise<Agent> {
    return (this.#agent ??= loadUndici().then(({ Agent }) => new Agent({ connect: this.#connect, headersTimeout: 0, bodyTimeout: 0 })));
  }

  async #get(url: string, accept: string, signal: AbortSignal | undefined): Promise<Answer> {
    if (this.#closed) throw new InvoiceApiError("network", url, "the invoice client is closed");
    const deadline = AbortSignal.timeout(this.#responseTimeoutMs);
    const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    const failure = (error: unknown) => this.#failure(url, error, signal, deadline);
    let response: Awaited<ReturnType<Undici["request"]>>;
    try {
      const [{ request }, dispatcher] = await Promise.all([loadUndici(), this.#dispatcher()]);
      response = await request(url, { method: "GET", headers: { accept }, signal: combined, dispatcher });
    } catch (error) {
      throw failure(error);
    }
    const status = response.statusCode;
    const header = (name: string) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const ok = status >= 200 && status < 300;
    // An error answer is read only far enough to quote its start.
    const limit = ok ? this.#maxBytes : ERROR_BODY_QUOTE * 4;
    let body: Uint8Array;
    try {
      body = await readBody(response.body, limit, ok);
    } catch (error) {
      if (error instanceof TooLarge) throw new InvoiceApiError("too-large", url, `${url} answered with more than the ${this.#maxBytes}-byte limit`, { status });
      throw failure(error);
    }
    if (!ok) {
      const quoted = quoteBody(body);
      throw new InvoiceApiError("http-status", url, `${url} answered HTTP ${status}${quoted === "" ? "" : `: ${quoted}`}`, { status });
    }
    return { status, contentType: header("content-type"), contentDisposition: header("content-disposition"), body };
  }

  #failure(url: string, error: unknown, signal: AbortSignal | undefined, deadline: AbortSignal): InvoiceApiError {
    if (signal?.aborted === true) return new InvoiceApiError("aborted", url, `the request to ${url} was aborted`);
    if (deadline.aborted) return new InvoiceApiError("timeout", url, `no complete answer from ${url} within ${this.#responseTimeoutMs} ms`);
    const code = errorCode(error);
    if (code === "UND_ERR_CONNECT_TIMEOUT") return new InvoiceApiError("connect-timeout", url, `no connection to ${url} within ${String(this.#connect.timeout)} ms`, { code });
    if (code !== undefined && isTlsCode(code)) return new InvoiceApiError("tls", url, `the TLS handshake with ${url} failed: ${code}`, { code });
    const reason = code ?? plainMessage(error);
    if (url.startsWith("https:") && (code === undefined || code === "ECONNRESET" || code === "EPIPE") && hasCode(error, ["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"])) {
      // With TLS 1.3 the handshake ends before the server has checked our certificate; a server
      // that refuses it then just closes the connection.
      const hint = "; a server that requires client certificates does this when we present none or one it does not trust";
      return new InvoiceApiError("network", url, `${url} closed the connection without an answer (${reason})${hint}`, code === undefined ? {} : { code });
    }
    return new InvoiceApiError("network", url, `cannot reach ${url}: ${reason}`, code === undefined ? {} : { code });
  }
}

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly contentDisposition: string | undefined;
  readonly body: Uint8Array;
}

/** A JSON number's source text. */
class JsonNumber {
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
}

class TooLarge extends Error {}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function isJson(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === "application/json" || type === "text/json" || /^application\/[\w.+-]+\+json$/.test(type);
}

function isPdfType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === "application/pdf" || type === "application/octet-stream";
}

function wrongType(url: string, answer: Answer, expected: string): InvoiceApiError {
  return new InvoiceApiError("content-type", url, `${url} answered with ${answer.contentType === undefined ? "no content type" : `content type ${JSON.stringify(answer.contentType.slice(0, 80))}`}, not ${expected}`, { status: answer.status });
}

function checkPdf(url: string, answer: Answer, bytes: Uint8Array): Uint8Array {
  if (Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PDF_MAGIC.length)).toString("latin1") !== PDF_MAGIC) {
    throw new InvoiceApiError("malformed", url, `${url} answered with ${bytes.byteLength} bytes that are not a PDF`, { status: answer.status });
  }
  return bytes;
}

/** The file name of a Content-Disposition value, safe to save: last path segment, no control characters. */
export function fileNameOf(contentDisposition: string | undefined): string | undefined {
  if (contentDisposition === undefined) return undefined;
  let name: string | undefined;
  try {
    name = parseContentDisposition(contentDisposition).parameters.filename;
  } catch {
    return undefined;
  }
  if (name === undefined) return undefined;
  const last = name.split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return last === "" || /^\.+$/.test(last) ? undefined : last;
}

async function readBody(stream: AsyncIterable<Buffer> & { destroy(): void; once(event: "error", listener: () => void): unknown }, limit: number, failWhenOver: boolean): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      size = limit;
      // The rest is not wanted; undici reports the destruction as an error event, which needs a listener.
      stream.once("error", () => undefined);
      stream.destroy();
      if (failWhenOver) throw new TooLarge();
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

/** The start of an error answer's body as one line of printable text. */
function quoteBody(body: Uint8Array): string {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  const line = text.replace(/[\u0000-\u001f\u007f\ufffd]+/g, " ").replace(/\s+/g, " ").trim();
  return line.length > ERROR_BODY_QUOTE ? `${line.slice(0, ERROR_BODY_QUOTE)}…` : line;
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
  }
  return undefined;
}

function hasCode(error: unknown, codes: readonly string[]): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && codes.includes(code)) return true;
  }
  return false;
}

/** Only the message of a failure without a code, never the object (which may hold the TLS context). */
function plainMessage(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : "unknown error";
}

const CERTIFICATE_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|INVALID_CA$|INVALID_PURPOSE$|PATH_LENGTH_EXCEEDED$|ERROR_IN_CERT_|ERR_TLS_|ERR_SSL_|EPROTO$)/;
function isTlsCode(code: string): boolean {
  return CERTIFICATE_CODES.test(code);
}

/** Node's TLS options for the runtime's {@link ClientTlsOptions} (the runtime's conversion); checks the key can be read, without quoting it. */
function tlsConnectOptions(tls: ClientTlsOptions): Record<string, unknown> {
  const out = clientTlsConnectOptions(tls);
  if (out.key !== undefined) {
    try {
      createPrivateKey(out.passphrase === undefined ? { key: out.key } : { key: out.key, passphrase: out.passphrase });
    } catch {
      throw new TypeError("tls: the private key cannot be read (not a PEM key, or a wrong or missing passphrase)");
    }
  }
  return out;
}
