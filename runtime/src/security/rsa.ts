/**
 * RSA PKCS#1 v1.5 signatures and the matching digests for the two algorithm families of
 * `algorithms.ts` (rsa-sha1, rsa-sha256), on pre-loaded KeyObjects.
 *
 * SHA-1 where OpenSSL forbids it: RHEL 9 and its rebuilds (and Fedora's TEST policies) patch
 * OpenSSL so that any signature operation that names SHA-1 as its digest fails
 * (`error:03000098:digital envelope routines::invalid digest`) unless the crypto policy allows
 * it. MPay signs with RSA-SHA1, so a provider on such a host could neither answer nor check
 * MPay. The patch only sees digests it is told about: hashing with SHA-1 and the raw RSA
 * private-key operation on a PKCS#1 v1.5 DigestInfo stay allowed. So when Node's one-shot
 * `crypto.sign`/`crypto.verify` throw for SHA-1, this module builds the exact same signature
 * itself (EMSA-PKCS1-v1_5: DigestInfo = fixed DER prefix ‖ SHA-1 hash, then RSA with block type
 * 1 padding via `privateEncrypt`), and verifies by recovering the DigestInfo with
 * `publicDecrypt` and comparing all of it in constant time. The output is byte-identical to
 * `crypto.sign` (PKCS#1 v1.5 is deterministic), which the tests prove. If the raw operation is
 * refused too (FIPS mode), the error says what to change. See docs/security.md.
 */
import {
  constants,
  createHash,
  hash,
  KeyObject,
  privateEncrypt,
  publicDecrypt,
  sign,
  timingSafeEqual,
  verify,
} from "node:crypto";
import { ALGORITHMS, type SignatureAlgorithm } from "./algorithms.ts";

/** Smallest RSA modulus accepted, in bits. MPay's STISC keys are 2048 bits; see docs/security.md. */
export const MIN_RSA_MODULUS_BITS = 1024;

/** DER of DigestInfo up to the hash value (RFC 8017 §9.2, note 1). */
const DIGEST_INFO_PREFIX = {
  sha1: Buffer.from("3021300906052b0e03021a05000414", "hex"),
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
} as const;

type HashName = keyof typeof DIGEST_INFO_PREFIX;

/** The node:crypto calls this module makes; replaceable only through {@link setCryptoCallsForTesting}. */
interface CryptoCalls {
  readonly sign: typeof sign;
  readonly verify: typeof verify;
  readonly privateEncrypt: typeof privateEncrypt;
  readonly publicDecrypt: typeof publicDecrypt;
}

const NODE_CRYPTO: CryptoCalls = { sign, verify, privateEncrypt, publicDecrypt };
let calls: CryptoCalls = NODE_CRYPTO;

/**
 * What this process has learned: the error with which OpenSSL refused a one-shot SHA-1
 * signature (or verification) after the DigestInfo construction worked instead. From then on the
 * construction is used directly, without paying for a refused call on every message.
 */
let sha1SignRefusal: unknown;
let sha1VerifyRefusal: unknown;

/** Keys already checked by {@link checkRsaKey}, with their modulus length in bytes. */
const modulusBytesOf = new WeakMap<KeyObject, number>();
const publicModulusBytesOf = new WeakMap<KeyObject, number>();

/**
 * INTERNAL, FOR TESTS ONLY — not part of the public API. Replaces the node:crypto calls made by
 * this module (to simulate an OpenSSL that refuses SHA-1 signatures, or refuses everything),
 * and forgets what was learned about the policy. Call with no argument to restore node:crypto.
 */
export function setCryptoCallsForTesting(overrides?: Partial<CryptoCalls>): void {
  calls = { ...NODE_CRYPTO, ...overrides };
  sha1SignRefusal = undefined;
  sha1VerifyRefusal = undefined;
}

/** Whether SHA-1 signing or verification is currently done by the DigestInfo construction (for diagnostics). */
export function sha1FallbackInUse(): { readonly sign: boolean; readonly verify: boolean } {
  return { sign: sha1SignRefusal !== undefined, verify: sha1VerifyRefusal !== undefined };
}

/** The base64 digest of `data` (a string is hashed as UTF-8) with the family's digest (SHA-1 or SHA-256). */
export function digestBase64(algorithm: SignatureAlgorithm, data: string | Uint8Array): string {
  return hash(ALGORITHMS[algorithm].hash, data, "base64");
}

/**
 * Signs `data` (a string is signed as UTF-8) with RSA PKCS#1 v1.5 and the family's hash.
 * @param privateKey an RSA private key of at least {@link MIN_RSA_MODULUS_BITS} bits, loaded once
 *   (`crypto.createPrivateKey`), never PEM text per call.
 */
export function signBytes(algorithm: SignatureAlgorithm, privateKey: KeyObject, data: string | Uint8Array): Buffer {
  checkRsaKey(privateKey, "private", "signing");
  const hashName = ALGORITHMS[algorithm].hash;
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (hashName === "sha1" && sha1SignRefusal !== undefined) return signDigestInfo(hashName, privateKey, bytes, sha1SignRefusal);
  try {
    // The KeyObject itself, not `{ key, padding }`: PKCS#1 v1.5 is the default padding of an RSA
    // key (checkRsaKey refuses RSA-PSS keys), and Node recognizes a wrapper object only by
    // throwing and catching inside its key checks, ~15-20 µs per call.
    return calls.sign(hashName, bytes, privateKey);
  } catch (refusal) {
    if (hashName !== "sha1") throw refusal;
    const signature = signDigestInfo(hashName, privateKey, bytes, refusal);
    sha1SignRefusal = refusal ?? new Error("refused");
    return signature;
  }
}

/**
 * Verifies an RSA PKCS#1 v1.5 signature over `data` (a string as UTF-8) with the family's hash.
 * Returns false for any signature that does not verify, including one of the wrong length.
 * @param publicKey an RSA public key (e.g. `new X509Certificate(pem).publicKey`) of at least
 *   {@link MIN_RSA_MODULUS_BITS} bits.
 */
export function verifyBytes(algorithm: SignatureAlgorithm, publicKey: KeyObject, data: string | Uint8Array, signature: Uint8Array): boolean {
  const modulusBytes = checkRsaKey(publicKey, "public", "verifying");
  if (signature.length !== modulusBytes) return false;
  const hashName = ALGORITHMS[algorithm].hash;
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (hashName === "sha1" && sha1VerifyRefusal !== undefined) return verifyDigestInfo(hashName, publicKey, bytes, signature, sha1VerifyRefusal);
  let valid: boolean;
  try {
    valid = calls.verify(hashName, bytes, publicKey, signature);
  } catch (refusal) {
    if (hashName !== "sha1") throw refusal;
    valid = verifyDigestInfo(hashName, publicKey, bytes, signature, refusal);
    sha1VerifyRefusal = refusal ?? new Error("refused");
  }
  return valid;
}

/** EMSA-PKCS1-v1_5 by hand: RSA with block type 1 padding over DigestInfo(hash(data)). */
function signDigestInfo(hashName: HashName, privateKey: KeyObject, data: Uint8Array, refusal: unknown): Buffer {
  const digestInfo = Buffer.concat([DIGEST_INFO_PREFIX[hashName], createHash(hashName).update(data).digest()]);
  try {
    return calls.privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
  } catch (fallbackRefusal) {
    throw sha1Refused("signing", refusal, fallbackRefusal);
  }
}

/** Recovers the DigestInfo from the signature and compares all of it with the expected one, in constant time. */
function verifyDigestInfo(hashName: HashName, publicKey: KeyObject, data: Uint8Array, signature: Uint8Array, refusal: unknown): boolean {
  let recovered: Buffer;
  try {
    recovered = calls.publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch (error) {
    // RSA-level errors (bad block type, bad padding, value ≥ modulus) mean the signature is not
    // valid; anything else is OpenSSL refusing the operation itself.
    if (isRsaPaddingError(error)) return false;
    throw sha1Refused("verifying", refusal, error);
  }
  const expected = Buffer.concat([DIGEST_INFO_PREFIX[hashName], createHash(hashName).update(data).digest()]);
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}

function isRsaPaddingError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_OSSL_RSA_");
}

/** The error for a host where neither the one-shot call nor the DigestInfo construction may use SHA-1. */
function sha1Refused(operation: "signing" | "verifying", refusal: unknown, fallbackRefusal: unknown): Error {
  const openssl = process.versions.openssl ?? "unknown";
  const shared = (process.config.variables as { node_shared_openssl?: unknown }).node_shared_openssl === true;
  const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  return new Error(
    `RSA-SHA1 ${operation} is refused by this process's OpenSSL ${openssl} (${shared ? "the system's" : "bundled with Node"}): ` +
      `the one-shot call failed with "${reason(refusal)}" and the plain PKCS#1 v1.5 RSA operation used instead failed with "${reason(fallbackRefusal)}". ` +
      "MPay signs with RSA-SHA1, so this host must allow SHA-1 signatures for this process. " +
      "On RHEL 9 and its rebuilds (AlmaLinux, Rocky, CentOS Stream, Oracle Linux) and on Fedora: run `update-crypto-policies --set DEFAULT:SHA1` as root, " +
      "or start Node with the environment variable OPENSSL_ENABLE_SHA1_SIGNATURES=1, " +
      "or with OPENSSL_CONF pointing at a copy of /etc/pki/tls/openssl.cnf whose [evp_properties] section sets `rh-allow-sha1-signatures = yes` " +
      "(that option exists only in the distribution's OpenSSL: Node from nodejs.org refuses to start with it). " +
      "A host in FIPS mode cannot make SHA-1 signatures at all: run the service outside FIPS mode, or agree rsa-sha256 with MPay. " +
      "See docs/security.md, \"SHA-1 where OpenSSL forbids it\".",
    { cause: fallbackRefusal },
  );
}

/**
 * Refuses anything but an RSA (rsaEncryption) key of the expected type and size; returns the
 * modulus length in bytes. Keys are checked once and remembered.
 */
function checkRsaKey(key: KeyObject, type: "private" | "public", use: "signing" | "verifying"): number {
  if (!(key instanceof KeyObject)) {
    throw new TypeError(`${use} needs a KeyObject loaded once (crypto.createPrivateKey / createPublicKey / X509Certificate.publicKey), not ${typeof key}`);
  }
  // Remembered per key and use: even `key.type` is a call into the crypto binding.
  const known = (type === "private" ? modulusBytesOf : publicModulusBytesOf).get(key);
  if (known !== undefined) return known;
  if (key.type !== type) throw new TypeError(`${use} needs an RSA ${type} key, got a ${key.type} key`);
  const keyType = key.asymmetricKeyType;
  if (keyType !== "rsa") {
    throw new TypeError(
      keyType === "rsa-pss"
        ? `${use} needs a plain RSA key: this one is restricted to RSA-PSS (id-RSASSA-PSS), which cannot make the PKCS#1 v1.5 signatures of rsa-sha1/rsa-sha256`
        : `${use} needs an RSA key (rsa-sha1/rsa-sha256 are RSA PKCS#1 v1.5), got a ${keyType ?? "non-asymmetric"} key`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) {
    throw new RangeError(`${use} refuses an RSA key of ${bits} bits: the minimum is ${MIN_RSA_MODULUS_BITS} (MPay's STISC keys are 2048 bits)`);
  }
  const bytes = Math.ceil(bits / 8);
  (type === "private" ? modulusBytesOf : publicModulusBytesOf).set(key, bytes);
  return bytes;
}
