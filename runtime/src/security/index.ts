/**
 * `@mpay-kit/runtime/security`: WS-Security X.509 signatures for SOAP 1.1 (sign and verify,
 * both sides), keys and certificates, trust, and the policy shape generated packages carry.
 *
 * Most users pass `wsSecurity: { identity, trust }` to a generated server or client; the rest
 * is here for those who build their own.
 */
export * from "./algorithms.ts";
export type * from "./policy.ts";
export { signEnvelope, signEnvelopeUtf8, SigningError, type SigningIdentity, type SigningOptions } from "./sign.ts";
export { verifyEnvelope, SignatureRejected, type RejectionReason, type SignerTrust, type TimestampRules, type VerificationOptions, type VerifiedSignature } from "./verify.ts";
export { MemoryReplayCache, type ReplayCache } from "./replay.ts";
export { wsSecurityServer, wsSecurityClient, type WsSecuritySettings, type WsSecurityServerSettings, type WsSecurityClientSettings, type VerifiedRequest } from "./ws-security.ts";
export { canonicalize, type CanonicalizeOptions } from "./c14n.ts";
export { loadCredentials, loadCertificates, CredentialError, type Credentials, type CredentialSource } from "./credentials.ts";
export { TrustStore, type CertificatePin } from "./trust.ts";
export { subjectKeyIdentifier, issuerSerial } from "./certificates.ts";
