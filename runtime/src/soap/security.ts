/**
 * The seam where message security (WS-Security signatures, in a later layer) plugs into the
 * client and the server. The runtime hands over the exact bytes it received and the parsed
 * envelope whose nodes the codec will read, so that a verifier can check that what was signed
 * is exactly what is decoded, and it lets the layer rewrite every envelope it sends.
 */
import type { XmlDocument } from "../xml/node.ts";
import type { OperationMeta } from "../meta.ts";
import type { ParsedEnvelope } from "./envelope.ts";

/** A header block name, as `{namespace}local`. */
export type HeaderName = `{${string}}${string}`;

/** What a security layer sees of a received message. */
export interface ReceivedMessage {
  /** The exact bytes of the HTTP body. */
  readonly raw: Uint8Array;
  /** The body decoded as UTF-8 (offsets of parsed nodes index this string). */
  readonly text: string;
  readonly document: XmlDocument;
  readonly envelope: ParsedEnvelope;
  /** The operation the message belongs to (absent for a fault the client receives before routing). */
  readonly operation: OperationMeta | undefined;
}

/** A message-security layer for the server side. */
export interface ServerSecurity {
  /** Header blocks this layer processes (they may carry `mustUnderstand="1"`). */
  readonly understands: readonly HeaderName[];
  /**
   * Checks a request before its handler runs. Throw a `SoapFault` to refuse it; the value
   * returned reaches the handler as `context.security`.
   */
  verifyRequest(message: ReceivedMessage): unknown | Promise<unknown>;
  /**
   * Rewrites an outgoing envelope (response or fault), e.g. to sign it. Called only for requests
   * that `verifyRequest` accepted: a fault refusing an unverified request goes out as it is
   * (signing it would let anyone make the server spend a private-key operation per request).
   */
  secureResponse(envelope: string, request: ReceivedMessage | undefined): string | Promise<string>;
  /**
   * Optional: {@link secureResponse} for an answer given as a byte string of its UTF-8 (one char
   * per byte, `Buffer.from(envelope, "latin1")` are its bytes), returning the same form. With it, the
   * server sends a secured answer as it sends an unsigned one, without encoding it again.
   */
  secureResponseUtf8?(envelope: string, request: ReceivedMessage | undefined): string | Promise<string>;
}

/** A message-security layer for the client side. */
export interface ClientSecurity {
  readonly understands: readonly HeaderName[];
  /** Rewrites an outgoing request envelope, e.g. to sign it. */
  secureRequest(envelope: string, operation: OperationMeta): string | Promise<string>;
  /** Checks a response (or fault) before it is decoded; throw to refuse it. */
  verifyResponse(message: ReceivedMessage): void | Promise<void>;
}
