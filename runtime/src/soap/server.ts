/**
 * The server side: a `node:http` request listener that turns SOAP 1.1 and SOAP 1.2 requests into
 * typed handler calls, answering each in the version it came in (`text/xml` or
 * `application/soap+xml`), whatever the version of the WSDL's port.
 *
 * Every problem a caller can cause is answered with a SOAP fault that says what is wrong
 * (HTTP 500, `text/xml`, as SOAP 1.1 over HTTP requires; SOAP 1.2: 400 for a `Sender` fault,
 * 500 for the others, Part 2 section 7.5.1.2; 405, 413 and 415 for the method, size and
 * media-type refusals), never with an HTML page, a stack trace or a hang. Errors of
 * the service itself become an internal-error fault with a generic reason, and are reported
 * to `onError` with their details.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OperationMeta, ServiceMeta } from "../meta.ts";
import type { XmlDocument } from "../xml/node.ts";
import { parseXml, XmlParseError } from "../xml/parse.ts";
import { SOAP11_ENV } from "../xml/namespaces.ts";
import { CodecError } from "../errors.ts";
import { decodeElement, type DecodeOptions } from "../xsd/decode.ts";
import { encodeElementToByteString, encodeElementToString } from "../xsd/encode.ts";
import { mustUnderstand, notUnderstoodHeader, readEnvelope, upgradeHeader, writeEnvelope, type ParsedEnvelope, type SoapVersion, SOAP_PARSE_OPTIONS } from "./envelope.ts";
import { declaredDetail, soap12Code, SoapFault, writeFault } from "./fault.ts";
import type { HeaderName, ReceivedMessage, ServerSecurity } from "./security.ts";
import { decodeHeaders, decodeParts, encodeHeaders, encodeParts, headerBlockNames, NO_HEADER_VALUES } from "./headers.ts";
import { serveDocument } from "./documents.ts";
import { compileDirectReader } from "./direct-read.ts";

/**
 * What a handler learns about the request besides its typed input, and where it sets the
 * response's header blocks. `InHeaders` and `OutHeaders` are the operation's declared header
 * blocks (`soap:header` in the binding), keyed by element local name.
 */
export interface RequestContext<InHeaders = Readonly<Record<string, unknown>>, OutHeaders = Record<string, unknown>> {
  /** The operation name, as in the WSDL. */
  readonly operation: string;
  /** The request's declared header blocks that arrived, decoded (an empty object when none did). */
  readonly headers: InHeaders;
  /**
   * The response's declared header blocks: set it in the handler to send them (each optional).
   * Ignored for a fault, and for a one-way operation, which has no response.
   */
  responseHeaders: OutHeaders | undefined;
  /** The HTTP request (headers, socket, TLS peer certificate). */
  readonly request: IncomingMessage;
  /** The exact request bytes, the parsed envelope and its document. */
  readonly message: ReceivedMessage;
  /** What the security layer returned for this request (e.g. the verified signer). */
  readonly security: unknown;
  /** Aborted when the caller disconnects before the answer is sent. */
  readonly signal: AbortSignal;
}

/** A handler for one operation. */
export type OperationHandler<In = never, Out = unknown> = (input: In, context: RequestContext) => Out | Promise<Out>;

/** How the server names the faults it raises itself. */
export interface FaultSettings {
  /** Namespace of contract fault codes (default: the service's target namespace). */
  readonly namespace?: string;
  /** Code for a request that is malformed or breaks the schema (default: SOAP `Client`). */
  readonly invalidRequest?: string;
  /** Code for an error inside the service (default: SOAP `Server`). */
  readonly internalError?: string;
}

export interface ServerOptions {
  /** Largest request body accepted, in bytes (default 1 MiB). */
  readonly maxRequestBytes?: number;
  /** Strict (default) or lenient reading of requests. */
  readonly decode?: DecodeOptions;
  readonly faults?: FaultSettings;
  /** Message security (signatures); without it, no header block is understood. */
  readonly security?: ServerSecurity;
  /** Header blocks the application itself handles, as `{namespace}local`. */
  readonly understoodHeaders?: readonly HeaderName[];
  /**
   * Public URL of the endpoint, used in the served WSDL. By default it is built from the
   * request's `Host` header and the listener's protocol.
   */
  readonly publicUrl?: string;
  /** Receives every error that became an internal-error fault, and other server-side problems. */
  readonly onError?: (error: unknown, operation: string | undefined) => void;
  /**
   * Called once per SOAP request (every POST) after its answer was handed to the socket, with what
   * an operator logs: the operation, status, fault, duration and decoded input. It must not throw
   * (what it throws goes to `onError`). Without it the server measures nothing.
   */
  readonly onExchange?: (summary: ExchangeSummary) => void;
}

/** One SOAP exchange as `onExchange` reports it. */
export interface ExchangeSummary {
  /** The operation the request was routed to; `undefined` when it was refused before routing. */
  readonly operation: string | undefined;
  /** The HTTP status sent. */
  readonly status: number;
  /** The fault sent, if any: its code (local name) and namespace, as the server wrote them. */
  readonly fault: { readonly code: string; readonly namespace: string } | undefined;
  /** From the request's arrival at the listener to its answer being handed to the socket, in milliseconds. */
  readonly durationMs: number;
  /** The decoded input, when the request got that far (the handler's argument). */
  readonly input: unknown;
}

type AnyHandler = (input: never, context: RequestContext) => unknown;

/** How long the rest of a refused upload is read and discarded before the connection is cut. */
const UPLOAD_LINGER_MS = 2_000;
const DEFAULT_MAX_BYTES = 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const XML_CONTENT_TYPE = "text/xml; charset=utf-8";
const SOAP12_CONTENT_TYPE = "application/soap+xml; charset=utf-8";
const NO_BYTES = new Uint8Array(0);

/**
 * The context of one request. A class, so that every context shares one shape and the lazy
 * `signal` getter lives on the prototype: an object literal with its own getter closure gets a
 * fresh hidden class per request, allocated in the old generation (measured: ~7 µs per
 * request, most of it in mark-compact collections).
 */
class HandlerContext implements RequestContext {
  readonly operation: string;
  readonly headers: Readonly<Record<string, unknown>>;
  responseHeaders: Record<string, unknown> | undefined = undefined;
  readonly request: IncomingMessage;
  readonly message: ReceivedMessage;
  readonly security: unknown;
  readonly #response: ServerResponse;
  #controller: AbortController | undefined;
  constructor(operation: string, request: IncomingMessage, response: ServerResponse, message: ReceivedMessage, security: unknown, headers: Readonly<Record<string, unknown>>) {
    this.operation = operation;
    this.headers = headers;
    this.request = request;
    this.message = message;
    this.security = security;
    this.#response = response;
  }
  // Made only for handlers that ask for it: most never do, and an AbortController plus a close
  // listener per request is measurable on the hot path.
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const made = new AbortController();
      this.#controller = made;
      const res = this.#response;
      if (res.closed && !res.writableFinished) made.abort();
      else
        res.once("close", () => {
          if (!res.writableFinished) made.abort();
        });
    }
    return this.#controller.signal;
  }
}

/**
 * A request read by the direct reader: its document and envelope are parsed only when someone
 * (a handler, through `context.message`) asks for them.
 */
class DirectMessage implements ReceivedMessage {
  readonly raw: Uint8Array;
  readonly text: string;
  readonly operation: OperationMeta;
  #document: XmlDocument | undefined = undefined;
  #envelope: ParsedEnvelope | undefined = undefined;
  constructor(raw: Uint8Array, text: string, operation: OperationMeta) {
    this.raw = raw;
    this.text = text;
    this.operation = operation;
  }
  get document(): XmlDocument {
    return (this.#document ??= parseXml(this.text, SOAP_PARSE_OPTIONS));
  }
  get envelope(): ParsedEnvelope {
    return (this.#envelope ??= readEnvelope(this.document, "both"));
  }
}

/** One request in progress: its body as it arrives and what is known about it so far. */
class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Set once the body is complete or refused: later stream events change nothing. */
  settled = false;
  size = 0;
  /** The first body chunk; a request that arrives in one chunk needs no copy. */
  first: Buffer | undefined;
  more: Buffer[] | undefined;
  message: ReceivedMessage | undefined;
  operation: OperationMeta | undefined;
  /** The security layer accepted the request: from then on faults are secured too. */
  verified = false;
  /** The handler's context, once it is called (it holds the response headers the handler set). */
  context: HandlerContext | undefined = undefined;
  /** The SOAP version of the request (by its Content-Type, then its envelope): the answer's. */
  version: SoapVersion = "1.1";
  /** SOAP 1.2: the `action` parameter of the Content-Type, when it has one. */
  contentAction: string | undefined = undefined;
  /** For `onExchange`: when the request arrived (`performance.now()`; -1 when nothing is reported), its decoded input, the fault sent. */
  started = -1;
  input: unknown = undefined;
  fault: SoapFault | undefined = undefined;
  constructor(req: IncomingMessage, res: ServerResponse) {
    this.req = req;
    this.res = res;
  }
}

/** The MustUnderstand fault, with the header block it is about. */
class NotUnderstood extends SoapFault {
  readonly block: { readonly ns: string; readonly local: string };
  constructor(ns: string, local: string) {
    super("MustUnderstand", `header {${ns}}${local} is marked mustUnderstand but this endpoint does not process it`, { namespace: SOAP11_ENV });
    this.block = { ns, local };
  }
}

/** Raised inside the listener for refusals that have their own HTTP status. */
class HttpRefusal extends Error {
  readonly status: number;
  readonly fault: SoapFault;
  /** Extra response headers, as name/value pairs. */
  readonly headers: readonly string[];
  constructor(status: number, fault: SoapFault, headers: readonly string[] = []) {
    super(fault.message);
    this.status = status;
    this.fault = fault;
    this.headers = headers;
  }
}

/**
 * Builds a `node:http` request listener for one port. It answers SOAP 1.1 and SOAP 1.2
 * requests alike, each in its own version; an envelope of neither gets a VersionMismatch fault
 * with an `Upgrade` header listing both (SOAP 1.2 Part 1, section 5.4.7).
 *
 * Routing: by the SOAP action when the request carries one (the `SOAPAction` header; for SOAP 1.2
 * the `action` parameter of the Content-Type), and by the Body's element; when both are present
 * they must agree. An empty Body is routed by the SOAP action alone.
 *
 * A one-way operation is answered HTTP 202 without a body once its handler returned (or its
 * promise resolved), WS-I Basic Profile R2714; if the handler throws, the caller gets the fault
 * (HTTP 500) instead, as for any operation: it is still connected, and learning that its message
 * was refused is worth more than the silence R2714 asks for. `GET ?wsdl` and `GET ?xsd=<name>` serve the contract
 * with import locations pointing back at this endpoint.
 *
 * Without message security (and with strict decoding), the usual request is decoded straight from
 * its text without building a tree (runtime/src/soap/direct-read.ts); anything else takes the full
 * path, which words every fault. A handler reading `context.message.document` or `.envelope` then
 * has the request parsed on first use.
 */
export function createSoapRequestHandler<Ops extends Record<string, OperationMeta>>(
  service: ServiceMeta<Ops>,
  handlers: { readonly [K in keyof Ops]: AnyHandler },
  options: ServerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_BYTES;
  const faultNs = options.faults?.namespace ?? service.namespace;
  const security = options.security;
  const decodeOptions = options.decode;
  const invalid = (reason: string) =>
    options.faults?.invalidRequest === undefined ? new SoapFault("Client", reason, { namespace: SOAP11_ENV }) : new SoapFault(options.faults.invalidRequest, reason, { namespace: faultNs });
  const internal = () =>
    options.faults?.internalError === undefined
      ? new SoapFault("Server", "internal error", { namespace: SOAP11_ENV })
      : new SoapFault(options.faults.internalError, "internal error", { namespace: faultNs, soap12Code: "Receiver" });
  const tooLarge = () => new HttpRefusal(413, invalid(`the request is larger than the ${maxBytes}-byte limit`));
  const understood = new Set<string>([...(security?.understands ?? []), ...(options.understoodHeaders ?? [])]);
  // Header blocks the contract declares are processed (decoded for the handler) when the
  // operation declares them; they count as understood for mustUnderstand whatever the operation.
  // (An abstract block is understood as any member of its substitution group.)
  for (const op of Object.values(service.operations)) for (const h of op.inputHeaders ?? []) for (const name of headerBlockNames(h)) understood.add(name);
  const byAction = new Map<string, OperationMeta>();
  const byElement = new Map<string, OperationMeta>();
  // Namespace → local name → operation: routing builds no strings per request.
  const byNamespace = new Map<string, Map<string, OperationMeta>>();
  /** Operations whose request has an empty Body: routed by SOAP action alone. */
  const emptyBodied: OperationMeta[] = [];
  for (const op of Object.values(service.operations)) {
    if (op.soapAction !== "") byAction.set(op.soapAction, op);
    // (An operation whose Body holds several parts is routed by its first.)
    const input = op.input ?? op.inputParts?.[0]?.element;
    if (input === undefined) {
      emptyBodied.push(op);
      continue;
    }
    // An abstract Body element stands for its substitution group: each member routes to the operation.
    const routes = input.substitutes === undefined ? [input] : [...(input.abstract === true ? [] : [input]), ...input.substitutes().map((s) => s.element)];
    for (const e of routes) {
      byElement.set(`{${e.ns}}${e.name}`, op);
      let locals = byNamespace.get(e.ns);
      if (locals === undefined) byNamespace.set(e.ns, (locals = new Map()));
      locals.set(e.name, op);
    }
  }
  const onError =
    options.onError ??
    ((error: unknown, operation: string | undefined) => {
      const text = error instanceof Error ? error.message : String(error);
      process.emitWarning(`${service.name}${operation === undefined ? "" : `.${operation}`}: ${text}`, "SoapServerError");
    });

  // The usual request names its operation twice, by the Body's element and by the quoted
  // SOAPAction: that case is routed by plain comparison (no trimming, slicing or hashing), when
  // every operation has its own element and its own action. Anything else takes route().
  const operationList = Object.values(service.operations);
  const quotedActions = operationList.map((op) => `"${op.soapAction}"`);
  const routedByComparison =
    operationList.every((op) => op.soapAction !== "" && op.input !== undefined && op.input.substitutes === undefined) &&
    new Set(operationList.map((op) => op.soapAction)).size === operationList.length &&
    byElement.size === operationList.length;
  const routeUsual = (header: string | string[] | undefined, envelope: ParsedEnvelope): OperationMeta | undefined => {
    const payload = envelope.payload;
    if (!routedByComparison || payload === undefined || typeof header !== "string") return undefined;
    for (let i = 0; i < operationList.length; i++) {
      const op = operationList[i]!;
      // (Every operation has an input element when routedByComparison holds.)
      if (op.input!.name === payload.local && op.input!.ns === payload.ns) return quotedActions[i] === header ? op : undefined;
    }
    return undefined;
  };

  // Without message security nothing needs the request's tree: the everyday request is read
  // straight from its text (strict reading only: lenient reading reports what it skips).
  const directReader = security === undefined && (decodeOptions?.strict ?? true) ? compileDirectReader(service, routedByComparison) : undefined;

  /** An empty Body names no operation: the SOAP action must, among the operations whose request is empty. */
  const routeEmpty = (action: string | undefined): OperationMeta => {
    const candidates = action === undefined || action === "" ? emptyBodied : emptyBodied.filter((op) => op.soapAction === action);
    if (candidates.length === 1) return candidates[0]!;
    if (emptyBodied.length === 0) throw invalid("the Body is empty; expected one operation element");
    const names = emptyBodied.map((op) => `${op.name} (SOAPAction "${op.soapAction}")`).join(", ");
    if (candidates.length === 0) {
      throw invalid(
        action === undefined || action === ""
          ? `the Body is empty and the request has no SOAPAction; operations with an empty request: ${names}`
          : `the Body is empty and SOAPAction "${action}" names no operation whose request is empty; those are: ${names}`,
      );
    }
    throw invalid(`the Body is empty and the SOAP action${action === undefined || action === "" ? " is missing, so it" : ` "${action}"`} fits several operations whose request is empty: ${candidates.map((op) => op.name).join(", ")}; send the SOAPAction of one`);
  };

  const route = (action: string | undefined, envelope: ParsedEnvelope): OperationMeta => {
    const payload = envelope.payload;
    if (payload === undefined) return routeEmpty(action);
    const byBody = byNamespace.get(payload.ns)?.get(payload.local);
    if (action !== undefined && action !== "") {
      const op = byAction.get(action);
      if (op === undefined) throw invalid(`unknown SOAPAction "${action}"; this endpoint accepts: ${[...byAction.keys()].join(", ")}`);
      if (op !== byBody) throw invalid(`SOAPAction "${action}" is for ${op.name}, but the Body holds {${payload.ns}}${payload.local}`);
      return op;
    }
    if (byBody !== undefined) return byBody;
    const key = `{${payload.ns}}${payload.local}`;
    const sameLocal = [...byElement.keys()].find((k) => k.endsWith(`}${payload.local}`));
    throw invalid(
      sameLocal !== undefined
        ? `no operation takes ${key}: the namespace is wrong, expected ${sameLocal}`
        : `no operation takes ${key}; expected one of ${[...byElement.keys()].join(", ")}`,
    );
  };

  /** The body as text: it must be UTF-8. */
  const decodeText = (raw: Uint8Array): string => {
    try {
      return utf8.decode(raw);
    } catch {
      throw invalid("the request is not valid UTF-8");
    }
  };

  /** Text → checked, routed message. Throws a SoapFault for everything the caller got wrong. */
  const receive = (x: Exchange, raw: Uint8Array, text: string): ReceivedMessage => {
    let document: XmlDocument;
    try {
      document = parseXml(text, SOAP_PARSE_OPTIONS);
    } catch (error) {
      if (error instanceof XmlParseError) throw invalid(`the request is not well-formed XML: ${error.message}`);
      throw error;
    }
    let envelope: ParsedEnvelope;
    try {
      envelope = readEnvelope(document, "both");
    } catch (error) {
      // A malformed envelope is a malformed request: the contract's code, as for malformed XML
      // (VersionMismatch stays SOAP's own).
      if (error instanceof SoapFault && error.code === "Client" && error.namespace === SOAP11_ENV) throw invalid(error.reason);
      throw error;
    }
    const version = envelope.version;
    if (version !== x.version) {
      // The answer follows the envelope; the media type has to agree with it (SOAP 1.2 Part 2, section 7.1.4).
      x.version = version;
      throw invalid(version === "1.2" ? "the request is a SOAP 1.2 envelope sent as text/xml; SOAP 1.2 requests are application/soap+xml" : "the request is a SOAP 1.1 envelope sent as application/soap+xml; SOAP 1.1 requests are text/xml");
    }
    for (const block of envelope.headers) {
      if (mustUnderstand(block, version) && !understood.has(`{${block.ns}}${block.local}`)) {
        throw new NotUnderstood(block.ns, block.local);
      }
    }
    const req = x.req;
    const header = req.headers.soapaction;
    const operation =
      version === "1.1" ? (routeUsual(header, envelope) ?? route(soapAction(header), envelope)) : route(x.contentAction ?? soapAction(header), envelope);
    return { raw, text, document, envelope, operation };
  };

  /** Decodes the input and calls the operation's handler; returns what it returned. */
  const invoke = (x: Exchange, message: ReceivedMessage, operation: OperationMeta, verified: unknown): unknown => {
    let input: unknown;
    let headers = NO_HEADER_VALUES;
    try {
      // (Routing put an element in the Body exactly when the operation has an input element or parts.)
      const envelope = message.envelope;
      if (operation.input !== undefined) {
        if (envelope.payloads !== undefined) throw invalid(`the Body holds ${envelope.payloads.length} elements; ${operation.name} takes one`);
        input = decodeElement(envelope.payload!, operation.input, decodeOptions);
      } else if (operation.inputParts !== undefined) input = decodeParts(operation.inputParts, envelope.payloads ?? [envelope.payload!], decodeOptions, operation.name);
      if (operation.inputHeaders !== undefined) headers = decodeHeaders(operation.inputHeaders, message.envelope.headers, decodeOptions, operation.name);
    } catch (error) {
      if (error instanceof CodecError) throw invalid(`invalid ${operation.name} request: ${error.message}`);
      throw error;
    }
    return call(x, message, operation, input, headers, verified);
  };

  /** Calls the operation's handler with its decoded input; returns what it returned. */
  const call = (x: Exchange, message: ReceivedMessage, operation: OperationMeta, input: unknown, headers: Readonly<Record<string, unknown>>, verified: unknown): unknown => {
    x.input = input;
    const handler = handlers[operation.name as keyof Ops] as unknown as (this: unknown, input: unknown, context: RequestContext) => unknown;
    const context = new HandlerContext(operation.name, x.req, x.res, message, verified, headers);
    x.context = context;
    // Called as a method, so that a class instance can serve as the handlers object.
    return handler.call(handlers, input, context);
  };

  /**
   * The answer's envelope, as text or (`bytes`) as a byte string of its UTF-8 (see
   * encodeElementToByteString). Data the handler's own contract does not allow is a bug on this side.
   */
  const responseEnvelope = (x: Exchange, operation: OperationMeta, output: unknown, bytes: boolean): string => {
    const encode = bytes ? encodeElementToByteString : encodeElementToString;
    try {
      const payload =
        operation.output !== undefined ? encode(operation.output, output) : operation.outputParts !== undefined ? encodeParts(operation.outputParts, output, encode, operation.name) : "";
      if (operation.outputHeaders === undefined) return writeEnvelope(payload, "", x.version);
      return writeEnvelope(payload, encodeHeaders(operation.outputHeaders, x.context?.responseHeaders, encode, operation.name), x.version);
    } catch (error) {
      onError(error, operation.name);
      throw internal();
    }
  };

  /** Sends an answer: `body` is text, or with `bytes` a byte string (one char per UTF-8 byte). */
  const send = (x: Exchange, status: number, body: string, headers?: readonly string[], bytes = false): void => {
    const { req, res } = x;
    if (res.headersSent || res.destroyed) return;
    // A flat list of header pairs is node:http's cheapest form. The string goes to the socket as
    // it is, together with the header block: Node encodes text while writing, and copies a byte
    // string as it is (no flattening, no counting: its length is the byte count).
    const length = bytes ? body.length : Buffer.byteLength(body, "utf8");
    const type = x.version === "1.1" ? XML_CONTENT_TYPE : SOAP12_CONTENT_TYPE;
    res.writeHead(status, headers === undefined || headers.length === 0 ? ["content-type", type, "content-length", length] : ["content-type", type, "content-length", length, ...headers]);
    if (req.method === "HEAD") res.end();
    else res.end(body, bytes ? "latin1" : "utf8");
    if (x.started >= 0) report(x, status);
    // A refused upload may still be streaming in. Closing the socket at once, with unread data,
    // makes the kernel reset the connection, and the client may lose the answer it has not read
    // yet: discard the rest for a moment (a lingering close), then cut what is still coming.
    // (An answer given before the request's end was parsed, e.g. to a GET, finds it complete.)
    if (!req.complete)
      res.once("finish", () => {
        if (req.complete) return;
        req.resume();
        const cut = setTimeout(() => {
          if (!req.complete) req.destroy();
        }, UPLOAD_LINGER_MS);
        cut.unref();
        req.once("end", () => clearTimeout(cut));
      });
  };

  const onExchange = options.onExchange;
  /** Tells `onExchange` about an answered request (once: `started` is cleared). */
  const report = (x: Exchange, status: number): void => {
    const started = x.started;
    x.started = -1;
    const fault = x.fault;
    try {
      onExchange!({
        operation: x.operation?.name,
        status,
        fault: fault === undefined ? undefined : { code: fault.code, namespace: fault.namespace ?? faultNs },
        durationMs: performance.now() - started,
        input: x.input,
      });
    } catch (error) {
      onError(error, x.operation?.name);
    }
  };

  /** Answers with the fault an error stands for (secured once the request passed verification). */
  const fail = (x: Exchange, error: unknown): void => {
    let status = 500;
    let fault: SoapFault;
    let headers: readonly string[] | undefined;
    if (error instanceof HttpRefusal) {
      status = error.status;
      fault = error.fault;
      headers = error.headers;
    } else if (error instanceof SoapFault) {
      fault = error;
    } else {
      onError(error, x.operation?.name);
      fault = internal();
    }
    // A declared fault (wsdl:fault) carries its typed detail; one the contract does not allow is a bug on this side.
    let detail = "";
    if (fault.declared !== undefined) {
      try {
        detail = declaredDetail(x.operation, fault);
      } catch (detailError) {
        onError(detailError, x.operation?.name);
        fault = internal();
      }
    }
    x.fault = fault;
    const versionMismatch = fault.code === "VersionMismatch" && fault.namespace === SOAP11_ENV;
    // SOAP 1.2 over HTTP: a Sender fault is 400 Bad Request, the others 500 (Part 2, section 7.5.1.2).
    if (x.version === "1.2" && status === 500 && soap12Code(fault, faultNs).value === "Sender") status = 400;
    // SOAP 1.2 names the header it did not understand in a NotUnderstood block (Part 1, section 5.4.8).
    const headerBlocks = versionMismatch ? upgradeHeader() : x.version === "1.2" && fault instanceof NotUnderstood ? notUnderstoodHeader(fault.block) : "";
    const body = writeEnvelope(writeFault(fault, faultNs, x.version, detail), headerBlocks, x.version);
    const message = x.message;
    // Faults are secured too once the request itself passed verification; a refusal before that
    // is not: signing it would hand any caller a private-key operation and signed text on demand.
    if (security === undefined || message === undefined || !x.verified) {
      send(x, status, body, headers);
      return;
    }
    const secured = (async () => {
      try {
        return await security.secureResponse(body, message);
      } catch (secureError) {
        onError(secureError, x.operation?.name);
        return body;
      }
    })();
    secured.then((text) => send(x, status, text, headers), (unexpected: unknown) => lastResort(x, unexpected));
  };

  /** Something failed while answering: a generic fault, if the answer has not started. */
  const lastResort = (x: Exchange, error: unknown): void => {
    onError(error, undefined);
    const { res } = x;
    if (res.destroyed) return;
    if (!res.headersSent) res.writeHead(500, ["content-type", x.version === "1.1" ? XML_CONTENT_TYPE : SOAP12_CONTENT_TYPE]);
    const fault = internal();
    res.end(writeEnvelope(writeFault(fault, faultNs, x.version), "", x.version));
    if (x.started >= 0) {
      x.fault = fault;
      report(x, 500);
    }
  };

  /** A one-way operation's answer: 202 and no body (WS-I Basic Profile 1.1, R2714). */
  const accept = (x: Exchange): void => {
    const { req, res } = x;
    if (res.headersSent || res.destroyed) return;
    res.writeHead(202, ["content-length", 0]);
    res.end();
    if (!req.complete) req.resume();
    if (x.started >= 0) report(x, 202);
  };

  const answer = (x: Exchange, operation: OperationMeta, output: unknown): void => {
    if (operation.oneWay === true) {
      accept(x);
      return;
    }
    let body: string;
    try {
      body = responseEnvelope(x, operation, output, true);
    } catch (error) {
      fail(x, error);
      return;
    }
    send(x, 200, body, undefined, true);
  };

  /** With message security every step may be asynchronous. */
  const serveSecured = async (x: Exchange, layer: ServerSecurity, message: ReceivedMessage, operation: OperationMeta): Promise<void> => {
    let body: string;
    let bytes = true;
    try {
      // (A synchronous layer, as WS-Security is, is not awaited: each await costs a turn of the microtask queue.)
      const checked = layer.verifyRequest(message);
      const verified = checked instanceof Promise ? await checked : checked;
      x.verified = true;
      const result = invoke(x, message, operation, verified);
      const output = result instanceof Promise ? await result : result;
      if (operation.oneWay === true) {
        accept(x);
        return;
      }
      // A layer that takes the answer as UTF-8 bytes gets it as the unsigned path sends it; others read and rewrite text.
      let secured: string | Promise<string>;
      if (layer.secureResponseUtf8 !== undefined) secured = layer.secureResponseUtf8(responseEnvelope(x, operation, output, true), message);
      else {
        secured = layer.secureResponse(responseEnvelope(x, operation, output, false), message);
        bytes = false;
      }
      body = secured instanceof Promise ? await secured : secured;
    } catch (error) {
      fail(x, error);
      return;
    }
    send(x, 200, body, undefined, bytes);
  };

  /**
   * The whole body is in: answer it. Without message security and with a synchronous handler
   * this runs start to end in this one call, with no promise and no further turn of the event
   * loop.
   */
  const serve = (x: Exchange, raw: Uint8Array): void => {
    try {
      const text = decodeText(raw);
      // The everyday request, read straight from the text when nothing needs its tree.
      const direct = directReader !== undefined && x.version === "1.1" ? directReader(text, x.req.headers.soapaction) : undefined;
      let result: unknown;
      let operation: OperationMeta;
      if (direct !== undefined) {
        operation = direct.operation;
        const message = new DirectMessage(raw, text, operation);
        x.message = message;
        x.operation = operation;
        result = call(x, message, operation, direct.input, NO_HEADER_VALUES, undefined);
      } else {
        const message = receive(x, raw, text);
        operation = message.operation!;
        x.message = message;
        x.operation = operation;
        if (security !== undefined) {
          serveSecured(x, security, message, operation).catch((error: unknown) => lastResort(x, error));
          return;
        }
        result = invoke(x, message, operation, undefined);
      }
      if (result instanceof Promise) {
        result
          .then(
            (output: unknown) => answer(x, operation, output),
            (error: unknown) => fail(x, error),
          )
          .catch((error: unknown) => lastResort(x, error));
        return;
      }
      answer(x, operation, result);
    } catch (error) {
      fail(x, error);
    }
  };

  /** GET and HEAD of the contract's documents; every other method but POST is refused. */
  const serveOther = (x: Exchange, method: string): void => {
    if (method === "GET" || method === "HEAD") {
      let served: string | undefined;
      try {
        served = serveDocument(service, x.req, options.publicUrl);
      } catch (error) {
        fail(x, error);
        return;
      }
      if (served !== undefined) {
        send(x, 200, served);
        return;
      }
    }
    fail(x, new HttpRefusal(405, invalid(`method ${method} is not allowed; SOAP requests are POSTed (the WSDL is at ?wsdl)`), ["allow", "POST, GET"]));
  };

  return (req, res) => {
    const x = new Exchange(req, res);
    try {
      const method = req.method ?? "GET";
      // Only SOAP requests are reported (not WSDL downloads), and only when someone listens.
      if (onExchange !== undefined && method === "POST") x.started = performance.now();
      if (method !== "POST") {
        serveOther(x, method);
        return;
      }
      checkContentType(x, req.headers["content-type"], invalid);
      const declared = Number(req.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
    } catch (error) {
      try {
        fail(x, error);
      } catch (unexpected) {
        lastResort(x, unexpected);
      }
      return;
    }
    // Plain stream events: an async iterator, or a promise per body, costs microseconds per request.
    const onData = (chunk: Buffer) => {
      if (x.settled) return;
      const size = x.size + chunk.length;
      if (size > maxBytes) {
        x.settled = true;
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", onStreamError);
        req.pause();
        try {
          fail(x, tooLarge());
        } catch (unexpected) {
          lastResort(x, unexpected);
        }
        return;
      }
      x.size = size;
      if (x.first === undefined) x.first = chunk;
      else (x.more ??= [x.first]).push(chunk);
    };
    const onEnd = () => {
      if (x.settled) return;
      x.settled = true;
      try {
        serve(x, x.more !== undefined ? Buffer.concat(x.more, x.size) : (x.first ?? NO_BYTES));
      } catch (error) {
        lastResort(x, error);
      }
    };
    const onStreamError = (error: Error) => {
      if (x.settled) return;
      x.settled = true;
      try {
        fail(x, error);
      } catch (unexpected) {
        lastResort(x, unexpected);
      }
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onStreamError);
  };
}

function soapAction(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] ?? "" : header).trim();
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * Checks the media type: `text/xml` is SOAP 1.1, `application/soap+xml` SOAP 1.2 (whose `action`
 * parameter is the SOAP action); UTF-8 only. Sets the exchange's version and action.
 */
function checkContentType(x: Exchange, header: string | undefined, invalid: (reason: string) => SoapFault): void {
  if (header === "text/xml; charset=utf-8" || header === "text/xml") return;
  if (header === undefined) throw new HttpRefusal(415, invalid("the request has no Content-Type; SOAP 1.1 requests are text/xml, SOAP 1.2 ones application/soap+xml"));
  const [type = "", ...params] = header.split(";").map((p) => p.trim());
  const mediaType = type.toLowerCase();
  if (mediaType === "application/soap+xml") x.version = "1.2";
  else if (mediaType !== "text/xml") throw new HttpRefusal(415, invalid(`Content-Type ${type} is not accepted; SOAP 1.1 requests are text/xml, SOAP 1.2 ones application/soap+xml`));
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = p.slice(eq + 1).trim().replace(/^"|"$/g, "");
    if (name === "charset") {
      const charset = value.toLowerCase();
      if (charset !== "utf-8" && charset !== "utf8") throw new HttpRefusal(415, invalid(`charset ${charset} is not accepted; send UTF-8`));
    } else if (name === "action" && x.version === "1.2") x.contentAction = value;
  }
}
