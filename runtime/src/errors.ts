/**
 * Errors the runtime raises. Each names what it is about (a member path, an operation) and
 * never carries a stack trace or a value's content onto the wire.
 */

/** What went wrong with one value while reading or writing XML. */
export type CodecProblem =
  | "missing" // a required member is absent
  | "unexpected" // an element, attribute or text the schema does not allow here
  | "order" // a member stands out of schema order
  | "too-many" // more occurrences than maxOccurs
  | "nil" // xsi:nil / null where the element is not nillable
  | "invalid"; // a value that breaks its type or a facet

/**
 * A value did not fit its schema. `path` names the member as in the TypeScript value
 * (`confirmation.Lines[0].Amount`), so the same message serves the XML and the code.
 */
export class CodecError extends Error {
  override readonly name = "CodecError";
  readonly direction: "decode" | "encode";
  readonly problem: CodecProblem;
  readonly path: string;
  readonly detail: string;
  constructor(direction: "decode" | "encode", problem: CodecProblem, path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.direction = direction;
    this.problem = problem;
    this.path = path;
    this.detail = detail;
  }
}

/**
 * Why a call got no usable answer.
 *
 * `connect-timeout`, `tls` and most `network` failures happen before the request leaves this
 * process, so the service cannot have acted on it; after a `timeout` it may have.
 */
export type TransportProblem =
  | "timeout" // no complete answer within the call's time limit
  | "connect-timeout" // the connection (TCP and TLS handshake) was not set up in time
  | "tls" // the TLS handshake failed: the server's certificate is not trusted, or the server refused ours
  | "aborted" // the caller's signal aborted the call
  | "network" // the connection could not be made or broke
  | "http" // an HTTP answer that is not a SOAP answer
  | "protocol"; // a SOAP answer this client cannot accept

/** A SOAP call got no usable answer: nothing arrived in time, or what arrived is not a SOAP response. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  readonly problem: TransportProblem;
  /** HTTP status, when an HTTP answer arrived. */
  readonly status: number | undefined;
  constructor(problem: TransportProblem, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.problem = problem;
    this.status = options.status;
  }
}
