/**
 * WS-Security for the SOAP server and client: the {@link ServerSecurity} and
 * {@link ClientSecurity} layers built from a policy (as the generator read it from the WSDL)
 * and the user's keys and trust anchors. The user supplies certificates; the policy decides
 * the algorithm, the Timestamp and the token inclusion; every setting can be overridden.
 */
import type { ReceivedMessage, ServerSecurity, ClientSecurity, HeaderName } from "../soap/security.ts";
import { SoapFault } from "../soap/fault.ts";
import { type KeyInfoForm, type SignatureAlgorithm, WSSE_NS } from "./algorithms.ts";
import type { SecurityPolicy } from "./policy.ts";
import { signEnvelope, signEnvelopeUtf8, type SigningIdentity, type SigningOptions } from "./sign.ts";
import { SignatureRejected, verifyEnvelope, type RejectionReason, type SignerTrust, type TimestampRules, type VerificationOptions, type VerifiedSignature } from "./verify.ts";
import { MemoryReplayCache, type ReplayCache } from "./replay.ts";

/** Settings shared by both sides. Anything left out comes from the policy, then from defaults. */
export interface WsSecuritySettings {
  /** This side's key and certificate, used to sign what it sends. */
  readonly identity: SigningIdentity;
  /** Decides which signers of received messages are trusted (a `TrustStore`). */
  readonly trust: SignerTrust;
  /** The WSDL's policy for this port (generated packages pass it for you). */
  readonly policy?: SecurityPolicy | undefined;
  /** Algorithm for signing (default: the policy's, else `rsa-sha256`). */
  readonly algorithm?: SignatureAlgorithm;
  /** Algorithms accepted from the peer (default both families). */
  readonly acceptAlgorithms?: readonly SignatureAlgorithm[];
  /** KeyInfo form of this side's signatures (see the side's default). */
  readonly keyInfo?: KeyInfoForm;
  /** KeyInfo forms accepted from the peer (default all four). */
  readonly acceptKeyInfo?: readonly KeyInfoForm[];
  /** Write InclusiveNamespaces PrefixLists, as WSS4J does (default false). */
  readonly inclusivePrefixes?: boolean;
  /** Lifetime of the Timestamp this side writes, in seconds (default 300). */
  readonly timestampSeconds?: number;
  /** Freshness rules for received Timestamps (defaults as WSS4J: 300 s age, 60 s future skew). */
  readonly timestampRules?: TimestampRules;
  /** The clock (default the system clock). */
  readonly now?: () => Date;
}

/** What a handler finds in `context.security` when the request passed verification. */
export interface VerifiedRequest extends VerifiedSignature {
  /** The exact bytes of the signed request, as received: the evidence to archive. */
  readonly raw: Uint8Array;
}

export interface WsSecurityServerSettings extends WsSecuritySettings {
  /** Signatures seen recently (default: an in-memory cache per handler); `false` disables replay detection. */
  readonly replay?: ReplayCache | false;
  /** The fault that refuses a request (default `wsse:FailedAuthentication`, the WS-Security 1.0 code). */
  readonly fault?: { readonly code: string; readonly namespace?: string };
  /** Told about every refused request, with the precise reason (the fault says less). */
  readonly onRejected?: (error: SignatureRejected, message: ReceivedMessage) => void;
}

export interface WsSecurityClientSettings extends WsSecuritySettings {
  /**
   * Accept an unsigned SOAP fault, so that it reaches the caller as a `SoapFault` (servers often
   * cannot sign a fault about a request they could not read). Default true. A signed fault is
   * always verified.
   */
  readonly acceptUnsignedFaults?: boolean;
}

/** What a refused caller is told, by reason. */
const REFUSALS: { readonly [R in RejectionReason]: string } = {
  unsigned: "the request is not signed (no wsse:Security header with a ds:Signature)",
  malformed: "the wsse:Security header or the signature is malformed (duplicated elements or Ids)",
  "not-allowed": "the signature uses an algorithm, transform, reference or KeyInfo form that is not accepted",
  "not-covered": "the signature does not cover the soap:Body and the wsu:Timestamp of the message",
  digest: "the signed content was changed after signing",
  signature: "the SignatureValue does not verify",
  "unknown-key": "the signing certificate cannot be found from ds:KeyInfo",
  untrusted: "the signer's certificate is not trusted for this service",
  timestamp: "the wsu:Timestamp is missing, expired or not yet valid",
  replay: "the message was already received once",
};

const SECURITY_HEADER: HeaderName = `{${WSSE_NS}}Security`;

/** How this side signs: the settings over the policy over the defaults (`keyInfo` is the side's default). */
function signingOptions(settings: WsSecuritySettings, keyInfo: KeyInfoForm): SigningOptions {
  return {
    identity: settings.identity,
    algorithm: settings.algorithm ?? settings.policy?.signature ?? "rsa-sha256",
    keyInfo: settings.keyInfo ?? keyInfo,
    ...(settings.inclusivePrefixes === undefined ? {} : { inclusivePrefixes: settings.inclusivePrefixes }),
    ...(settings.timestampSeconds === undefined ? {} : { timestampSeconds: settings.timestampSeconds }),
    ...(settings.now === undefined ? {} : { now: settings.now }),
  };
}

/** What this side demands of the peer's signatures. */
function verificationOptions(settings: WsSecuritySettings, replay: ReplayCache | undefined): VerificationOptions {
  return {
    trust: settings.trust,
    ...(settings.acceptAlgorithms === undefined ? {} : { algorithms: settings.acceptAlgorithms }),
    ...(settings.acceptKeyInfo === undefined ? {} : { keyInfo: settings.acceptKeyInfo }),
    timestamp: { required: settings.policy?.includeTimestamp ?? true, ...settings.timestampRules },
    ...(replay === undefined ? {} : { replay }),
    ...(settings.now === undefined ? {} : { now: settings.now }),
  };
}

/**
 * The server side: verifies every request before its handler runs (refusing it with a fault
 * otherwise) and signs every answer, faults included, once the request was verified.
 *
 * Responses name the key with an embedded `ds:X509Data` certificate by default: the form MPay's
 * published responses use and one every verifier can resolve without configuration.
 */
export function wsSecurityServer(settings: WsSecurityServerSettings): ServerSecurity {
  const fault = settings.fault ?? { code: "FailedAuthentication", namespace: WSSE_NS };
  const signing = signingOptions(settings, "x509");
  const verification = verificationOptions(settings, settings.replay === false ? undefined : settings.replay ?? new MemoryReplayCache());
  return {
    understands: [SECURITY_HEADER],
    verifyRequest(message: ReceivedMessage): VerifiedRequest {
      try {
        const verified = verifyEnvelope(message.document, message.envelope, verification);
        return { ...verified, raw: message.raw };
      } catch (error) {
        if (!(error instanceof SignatureRejected)) throw error;
        settings.onRejected?.(error, message);
        // The caller learns the kind of problem, not the details (which certificate is pinned, which
        // digest failed): enough to fix an honest integration, little to probe with. `onRejected`
        // gets everything.
        throw new SoapFault(fault.code, `the request's WS-Security signature was refused: ${REFUSALS[error.reason]}`, fault.namespace === undefined ? {} : { namespace: fault.namespace });
      }
    },
    secureResponse(envelope: string): string {
      return signEnvelope(envelope, signing);
    },
    secureResponseUtf8(envelope: string): string {
      return signEnvelopeUtf8(envelope, signing);
    },
  };
}

/**
 * The client side: signs every request and verifies every response before it is decoded.
 * Requests carry the certificate as a BinarySecurityToken by default, as MPay's own requests
 * do (WS-SecurityPolicy: initiator token included).
 */
export function wsSecurityClient(settings: WsSecurityClientSettings): ClientSecurity {
  const signing = signingOptions(settings, settings.policy?.initiatorToken === "never" ? "ski" : "bst");
  const verification = verificationOptions(settings, undefined);
  const acceptUnsignedFaults = settings.acceptUnsignedFaults ?? true;
  return {
    understands: [SECURITY_HEADER],
    secureRequest(envelope: string): string {
      return signEnvelope(envelope, signing);
    },
    verifyResponse(message: ReceivedMessage): void {
      const payload = message.envelope.payload;
      const isFault = payload !== undefined && payload.local === "Fault" && payload.ns === message.envelope.envelope.ns;
      const signed = message.envelope.headers.some((h) => h.ns === WSSE_NS && h.local === "Security");
      if (isFault && !signed && acceptUnsignedFaults) return;
      verifyEnvelope(message.document, message.envelope, verification);
    },
  };
}
