/**
 * Message-security requirements as a WSDL declares them with WS-SecurityPolicy, reduced to what
 * decides how a message is signed and what a verifier demands. The generator reads the
 * assertions attached to a binding and its operations into this shape and emits it with the
 * service descriptor; the WS-Security layer turns it into settings. A WSDL without policy
 * yields no `SecurityPolicy`, and then no security is applied unless the user configures it.
 */
import type { SignatureAlgorithm } from "./algorithms.ts";

/**
 * `sp:IncludeToken` of an X509Token, by its last path segment:
 * `Always`, `AlwaysToRecipient`, `AlwaysToInitiator`, `Once`, `Never`.
 */
export type TokenInclusion = "always" | "alwaysToRecipient" | "alwaysToInitiator" | "once" | "never";

/** `sp:Layout`. */
export type SecurityHeaderLayout = "strict" | "lax" | "laxTimestampFirst" | "laxTimestampLast";

/** A header that `sp:SignedParts` requires to be signed (`sp:Header`; `local` absent: every header of `ns`). */
export interface SignedHeader {
  readonly ns: string;
  readonly local?: string;
}

/** The signing requirements of one message direction or of a whole binding. */
export interface SecurityPolicy {
  /** Only the asymmetric binding (each side signs with its own X.509 key) is represented. */
  readonly binding: "asymmetric";
  /** Inclusion of the initiator's (client's) token in requests. */
  readonly initiatorToken: TokenInclusion;
  /** Inclusion of the recipient's (server's) token in responses. */
  readonly recipientToken: TokenInclusion;
  /** The `sp:AlgorithmSuite` name as written, e.g. `Basic256`, `Basic256Sha256`. */
  readonly algorithmSuite: string;
  /** The signature and digest family that suite means (`Basic256` → RSA-SHA1 with SHA-1 digests). */
  readonly signature: SignatureAlgorithm;
  readonly layout: SecurityHeaderLayout;
  /** `sp:IncludeTimestamp`: a signed `wsu:Timestamp` is required. */
  readonly includeTimestamp: boolean;
  /** `sp:OnlySignEntireHeadersAndBody`. */
  readonly onlySignEntireHeadersAndBody: boolean;
  /** `sp:SignedParts`: whether the Body must be signed, and which headers. */
  readonly signedParts: { readonly body: boolean; readonly headers: readonly SignedHeader[] };
}
