/**
 * The vocabulary of WS-Security 1.0 with X.509 signatures as MPay uses it: namespaces, the
 * two algorithm families, and the KeyInfo forms. One place for every URI, so that signing,
 * verifying, the policy reader and the tests all spell them the same way.
 */

export const WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
export const WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
export const DS_NS = "http://www.w3.org/2000/09/xmldsig#";
/** Exclusive XML Canonicalization 1.0 without comments: both the C14N and the Transform URI. */
export const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const X509V3_TOKEN = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
export const X509_SKI = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier";
export const BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/** A signature algorithm family: RSA PKCS#1 v1.5 with its matching digest for References. */
export type SignatureAlgorithm = "rsa-sha1" | "rsa-sha256";

export interface AlgorithmUris {
  /** `ds:SignatureMethod/@Algorithm`. */
  readonly signature: string;
  /** `ds:DigestMethod/@Algorithm` of every Reference. */
  readonly digest: string;
  /** The node:crypto hash name. */
  readonly hash: "sha1" | "sha256";
}

export const ALGORITHMS: { readonly [A in SignatureAlgorithm]: AlgorithmUris } = {
  "rsa-sha1": { signature: "http://www.w3.org/2000/09/xmldsig#rsa-sha1", digest: "http://www.w3.org/2000/09/xmldsig#sha1", hash: "sha1" },
  "rsa-sha256": { signature: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", digest: "http://www.w3.org/2001/04/xmlenc#sha256", hash: "sha256" },
};

/**
 * How a signature names its key in `ds:KeyInfo`:
 * - `bst`: `wsse:SecurityTokenReference/wsse:Reference` to a `wsse:BinarySecurityToken` in the
 *   same header (what MPay sends in its requests);
 * - `ski`: `wsse:SecurityTokenReference/wsse:KeyIdentifier` with the X509 SubjectKeyIdentifier;
 * - `x509`: `ds:X509Data/ds:X509Certificate`, the certificate embedded (MPay's responses in the guide);
 * - `issuer-serial`: `ds:X509Data/ds:X509IssuerSerial` (what WCF peers use), inside a
 *   `wsse:SecurityTokenReference`.
 */
export type KeyInfoForm = "bst" | "ski" | "x509" | "issuer-serial";

export const KEY_INFO_FORMS: readonly KeyInfoForm[] = ["bst", "ski", "x509", "issuer-serial"];
