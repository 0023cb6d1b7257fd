/**
 * The client side: typed SOAP 1.1 and 1.2 calls over HTTP(S), with a client certificate for mutual TLS
 * when configured.
 *
 * A call either resolves with the decoded response, or rejects with a `SoapFault` (the
 * service answered with a fault) or a `TransportError` (no usable answer: timeout, abort,
 * network failure, or an HTTP answer that is not a SOAP envelope).
 */
import type { OperationMeta, ServiceMeta } from "../meta.ts";
import type { XmlDocument } from "../xml/node.ts";
import { parseXml, XmlParseError } from "../xml/parse.ts";
import { CodecError, TransportError } from "../errors.ts";
import { decodeElement, type DecodeOptions } from "../xsd/decode.ts";
import { encodeElementToString } from "../xsd/encode.ts";
import { decodeHeaders, decodeParts, encodeHeaders, encodeParts, headerBlockNames } from "./headers.ts";
import { mustUnderstand, readEnvelope, writeEnvelope, SOAP_PARSE_OPTIONS } from "./envelope.ts";
import { readFault, SoapFault, withDeclaredDetail } from "./fault.ts";
import { SOAP11_ENV, SOAP12_ENV } from "../xml/namespaces.ts";
import type { ClientSecurity, ReceivedMessage } from "./security.ts";
import { describeFailure, HttpTransport, type ClientTlsOptions } from "../transport/http-client.ts";

export interface ClientOptions {
  /** The service URL (the port address). */
  readonly endpoint: string | URL;
  /**
   * The response timeout: time allowed for one call, from connecting to the last byte of the
   * answer, in milliseconds (default 30 000). After it the service may still have acted on the call.
   */
  readonly timeoutMs?: number;
  /**
   * Time allowed to set up a connection, TCP and TLS handshake together, in milliseconds (default
   * 10 000; the call's `timeoutMs` still bounds it). Failing here, nothing was sent.
   */
  readonly connectTimeoutMs?: number;
  /**
   * HTTPS settings: the client certificate and key presented to the server (mutual TLS) and the
   * anchors the server certificate must chain to. The server is always verified unless
   * `rejectUnauthorized: false` says otherwise.
   */
  readonly tls?: ClientTlsOptions;
  /** Most connections open at once to the endpoint (default: no limit; idle ones are kept for reuse). */
  readonly maxConnections?: number;
  /** Largest response body accepted, in bytes (default 10 MiB). */
  readonly maxResponseBytes?: number;
  /** Extra HTTP headers for every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Strict (default) or lenient reading of responses. */
  readonly decode?: DecodeOptions;
  /** Message security (signatures). */
  readonly security?: ClientSecurity;
  /**
   * The SOAP version to send in (default: the port's, `service.soapVersion`). A service whose
   * WSDL binds one portType in both versions can be called in either.
   */
  readonly soapVersion?: "1.1" | "1.2";
  /**
   * A `fetch` implementation to send requests through instead of the built-in transport (e.g. one
   * bound to a proxy). It cannot be combined with `tls`, `connectTimeoutMs` or `maxConnections`,
   * which configure the built-in transport: give them to that `fetch` instead.
   */
  readonly fetch?: typeof globalThis.fetch;
}

export interface CallOptions {
  /** Cancels the call. */
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Call options of an operation whose binding declares request header blocks (`soap:header`). */
export interface HeaderCallOptions<Headers = unknown> extends CallOptions {
  /** The request's header blocks, keyed by element local name (each optional). */
  readonly soapHeaders?: Headers;
}

/** What {@link SoapClient.callWithHeaders} resolves with: the response Body's value and the declared header blocks received. */
export interface ResponseWithHeaders<Out, Headers> {
  readonly output: Out;
  /** The declared response header blocks that arrived, keyed by element local name. */
  readonly headers: Headers;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A client for one SOAP port; generated client classes wrap it with one method per operation. */
export class SoapClient<Ops extends Record<string, OperationMeta> = Record<string, OperationMeta>> {
  readonly service: ServiceMeta<Ops>;
  readonly #options: ClientOptions;
  readonly #endpoint: string;
  readonly #transport: HttpTransport | undefined;

  /** @throws TypeError for an endpoint that is not an http(s) URL, or TLS settings that cannot work. */
  constructor(service: ServiceMeta<Ops>, options: ClientOptions) {
    this.service = service;
    this.#options = options;
    this.#endpoint = String(options.endpoint);
    if (!/^https?:\/\//i.test(this.#endpoint)) throw new TypeError(`endpoint must be an http(s) URL, got ${JSON.stringify(this.#endpoint)}`);
    if (options.fetch !== undefined) {
      const builtIn = (["tls", "connectTimeoutMs", "maxConnections"] as const).filter((name) => options[name] !== undefined);
      // Fails closed: a certificate that would silently not be presented is an error.
      if (builtIn.length > 0) throw new TypeError(`${builtIn.join(", ")} configure the built-in transport and cannot be combined with a custom fetch`);
      this.#transport = undefined;
    } else {
      if (options.tls !== undefined && !/^https:\/\//i.test(this.#endpoint)) throw new TypeError(`tls is set but the endpoint ${this.#endpoint} is not an https URL`);
      this.#transport = new HttpTransport({
        ...(options.tls === undefined ? {} : { tls: options.tls }),
        ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
        ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      });
    }
  }

  /** Closes the connections kept open for reuse, once calls in progress end. Later calls fail. */
  async close(): Promise<void> {
    await this.#transport?.close();
  }

  /**
   * Calls one operation.
   * @throws SoapFault when the service answers with a fault.
   * @throws TransportError when no usable answer arrives.
   * @throws CodecError when `input` does not fit the schema (nothing is sent) or the response does not.
   */
  async call<In, Out, InHeaders>(operation: OperationMeta<In, Out, InHeaders>, input: In, options: HeaderCallOptions<InHeaders> = {}): Promise<Out> {
    return (await this.#exchange(operation, input, options, false)).output as Out;
  }

  /**
   * Calls one operation and returns the response's declared header blocks (`soap:header` of the
   * binding's output) with its Body.
   * @throws the same as {@link call}.
   */
  async callWithHeaders<In, Out, InHeaders, OutHeaders>(
    operation: OperationMeta<In, Out, InHeaders, OutHeaders>,
    input: In,
    options: HeaderCallOptions<InHeaders> = {},
  ): Promise<ResponseWithHeaders<Out, OutHeaders>> {
    return (await this.#exchange(operation, input, options, true)) as ResponseWithHeaders<Out, OutHeaders>;
  }

  async #exchange(operation: OperationMeta, input: unknown, options: HeaderCallOptions, withHeaders: boolean): Promise<ResponseWithHeaders<unknown, unknown>> {
    // An operation without a Body element sends an empty Body (its input is ignored).
    const payload =
      operation.input !== undefined
        ? encodeElementToString(operation.input, input)
        : operation.inputParts !== undefined
          ? encodeParts(operation.inputParts, input, encodeElementToString, operation.name)
          : "";
    const headerBlocks = encodeHeaders(operation.inputHeaders, options.soapHeaders, encodeElementToString, operation.name);
    const version = this.#options.soapVersion ?? this.service.soapVersion;
    let envelope = writeEnvelope(payload, headerBlocks, version);
    const security = this.#options.security;
    if (security !== undefined) envelope = await security.secureRequest(envelope, operation);

    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    // SOAP 1.2 carries the action as a parameter of the media type (RFC 3902), with no SOAPAction header.
    const headers: Record<string, string> =
      version === "1.1"
        ? { ...this.#options.headers, ...options.headers, "content-type": "text/xml; charset=utf-8", soapaction: `"${operation.soapAction}"` }
        : {
            ...this.#options.headers,
            ...options.headers,
            "content-type": operation.soapAction === "" ? "application/soap+xml; charset=utf-8" : `application/soap+xml; charset=utf-8; action="${operation.soapAction.replace(/["\\]/g, "\\$&")}"`,
          };
    const maxBytes = this.#options.maxResponseBytes ?? 10 * 1024 * 1024;
    let status: number;
    let raw: Uint8Array;
    try {
      if (this.#transport !== undefined) {
        ({ status, body: raw } = await this.#transport.post(this.#endpoint, headers, envelope, signal, maxBytes));
      } else {
        const response = await this.#options.fetch!(this.#endpoint, { method: "POST", headers, body: envelope, signal });
        status = response.status;
        raw = await readLimited(response, maxBytes);
      }
    } catch (error) {
      if (timeout.aborted) throw new TransportError("timeout", `${operation.name}: no answer within ${timeoutMs} ms from ${this.#endpoint}`, { cause: error });
      if (options.signal?.aborted) throw new TransportError("aborted", `${operation.name}: the call was aborted`, { cause: error });
      if (error instanceof TransportError) throw error;
      const { problem, detail } = describeFailure(error, this.#endpoint);
      throw new TransportError(problem, `${operation.name}: ${detail}`, { cause: error });
    }

    const notSoap = (why: string) =>
      new TransportError("http", `${operation.name}: HTTP ${status} from ${this.#endpoint} is not a SOAP answer (${why})`, { status });
    // A one-way operation's answer is 202 (or 200) without a body (WS-I Basic Profile R2714, R2750).
    if (operation.oneWay === true && (status === 202 || status === 200) && isEmpty(raw)) return { output: undefined, headers: withHeaders ? {} : undefined };
    if (status === 202 && isEmpty(raw)) throw new TransportError("protocol", `${operation.name}: HTTP 202 without a response; the operation is not one-way`, { status });
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      throw notSoap("the body is not UTF-8");
    }
    let document: XmlDocument;
    try {
      document = parseXml(text, SOAP_PARSE_OPTIONS);
    } catch (error) {
      throw notSoap(error instanceof XmlParseError ? `not XML: ${error.message}` : "not XML");
    }
    let parsed;
    try {
      parsed = readEnvelope(document, "both");
    } catch (error) {
      throw notSoap(error instanceof SoapFault ? error.reason : "not a SOAP envelope");
    }
    const understood = new Set<string>(security?.understands ?? []);
    for (const h of operation.outputHeaders ?? []) {
      if (h.substitutes === undefined) understood.add(`{${h.ns}}${h.name}`);
      else for (const name of headerBlockNames(h)) understood.add(name);
    }
    const payloadEl = parsed.payload;
    const isFault = payloadEl !== undefined && payloadEl.ns === (parsed.version === "1.1" ? SOAP11_ENV : SOAP12_ENV) && payloadEl.local === "Fault";
    const message: ReceivedMessage = { raw, text, document, envelope: parsed, operation };
    // Faults go through the security layer too: it lets an unsigned fault through (a server often
    // cannot sign a fault about a request it could not read), but a fault whose signature is
    // forged is refused like any other forged answer.
    if (security !== undefined) await security.verifyResponse(message);
    // A fault in the other version is still an answer (a VersionMismatch, typically).
    if (isFault) throw withDeclaredDetail(readFault(payloadEl, status), operation, this.#options.decode);
    if (parsed.version !== version) throw notSoap(`a SOAP ${parsed.version} envelope answering a SOAP ${version} request`);
    for (const block of parsed.headers) {
      if (mustUnderstand(block, version) && !understood.has(`{${block.ns}}${block.local}`)) {
        throw new TransportError("protocol", `${operation.name}: the response carries header {${block.ns}}${block.local} marked mustUnderstand, which this client does not process`, { status });
      }
    }
    if (operation.oneWay === true) {
      // A one-way operation answered with an envelope anyway (R2750 allows it): nothing to return.
      if (status !== 200 && status !== 202) throw notSoap("a status other than 200 and 202 without a fault");
      return { output: undefined, headers: withHeaders ? {} : undefined };
    }
    if (status !== 200) throw notSoap("a non-200 status without a fault");
    const parts = operation.outputParts;
    if (operation.output === undefined && parts === undefined) {
      if (payloadEl !== undefined) throw new TransportError("protocol", `${operation.name}: the response Body holds {${payloadEl.ns}}${payloadEl.local}; the operation's response has an empty Body`, { status });
    } else if (payloadEl === undefined) throw new TransportError("protocol", `${operation.name}: the response Body is empty`, { status });
    else if (parts === undefined && parsed.payloads !== undefined) throw new TransportError("protocol", `${operation.name}: the response Body holds ${parsed.payloads.length} elements; the operation's response has one`, { status });
    try {
      const output =
        operation.output !== undefined
          ? decodeElement(payloadEl!, operation.output, this.#options.decode)
          : parts !== undefined
            ? decodeParts(parts, parsed.payloads ?? [payloadEl!], this.#options.decode, operation.name)
            : undefined;
      const headers = withHeaders ? decodeHeaders(operation.outputHeaders ?? [], parsed.headers, this.#options.decode, operation.name) : undefined;
      return { output, headers };
    } catch (error) {
      if (error instanceof CodecError) throw new CodecError("decode", error.problem, error.path, `${error.detail} (in the ${operation.name} response)`);
      throw error;
    }
  }
}

/** Whether an HTTP body is empty or only whitespace. */
function isEmpty(raw: Uint8Array): boolean {
  for (const byte of raw) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  return true;
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new TransportError("protocol", `the response is larger than the ${maxBytes}-byte limit`, { status: response.status });
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TransportError("protocol", `the response is larger than the ${maxBytes}-byte limit`, { status: response.status });
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
