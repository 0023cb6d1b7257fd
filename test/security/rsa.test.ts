/**
 * RSA PKCS#1 v1.5 signatures and digests (runtime/src/security/rsa.ts): both algorithm families,
 * interop with the openssl command line, the key checks, and the SHA-1 fallback for hosts whose
 * OpenSSL refuses SHA-1 signatures (RHEL 9's DEFAULT crypto policy), exercised by injecting the
 * refusal and, where the local OpenSSL can be configured that way, for real in a child process.
 */
import { spawnSync } from "node:child_process";
import {
  constants,
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
  type privateEncrypt,
  type publicDecrypt,
} from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SignatureAlgorithm } from "../../runtime/src/security/algorithms.ts";
import { mulberry32 } from "../helpers/xml-mutations.ts";
import {
  digestBase64,
  MIN_RSA_MODULUS_BITS,
  setCryptoCallsForTesting,
  sha1FallbackInUse,
  signBytes,
  verifyBytes,
} from "../../runtime/src/security/rsa.ts";

const FAMILIES: readonly { algorithm: SignatureAlgorithm; hash: "sha1" | "sha256" }[] = [
  { algorithm: "rsa-sha1", hash: "sha1" },
  { algorithm: "rsa-sha256", hash: "sha256" },
];
const RSA_MODULE = new URL("../../runtime/src/security/rsa.ts", import.meta.url).pathname;

let privateKey: KeyObject;
let publicKey: KeyObject;
let otherPublicKey: KeyObject;
let dir: string;

beforeAll(() => {
  ({ privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 }));
  otherPublicKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
  dir = mkdtempSync(join(tmpdir(), "mpay-rsa-"));
  writeFileSync(join(dir, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(join(dir, "pub.pem"), publicKey.export({ type: "spki", format: "pem" }));
});
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => setCryptoCallsForTesting());

/** Node's own PKCS#1 v1.5 signature: the reference every path must reproduce byte for byte. */
const nodeSign = (hash: string, data: string | Uint8Array): Buffer =>
  sign(hash, typeof data === "string" ? Buffer.from(data, "utf8") : data, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
const nodeVerify = (hash: string, data: string | Uint8Array, signature: Uint8Array): boolean =>
  verify(hash, typeof data === "string" ? Buffer.from(data, "utf8") : data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);

/** Deterministic inputs: empty, ASCII, non-ASCII text, and random bytes of assorted lengths. */
function inputs(): (string | Uint8Array)[] {
  const random = mulberry32(0x5eed);
  const out: (string | Uint8Array)[] = ["", "abc", '<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">Agenția Moldsilva 💳</ds:SignedInfo>'];
  for (let i = 0; i < 20; i++) out.push(Uint8Array.from({ length: Math.floor(random() * 3000) }, () => Math.floor(random() * 256)));
  return out;
}

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

describe("digests", () => {
  it("match the FIPS 180 test vectors, in base64", () => {
    expect(digestBase64("rsa-sha1", "abc")).toBe("qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
    expect(digestBase64("rsa-sha256", "abc")).toBe("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    expect(digestBase64("rsa-sha1", "")).toBe("2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  });

  it("hash strings as UTF-8", () => {
    const text = "Descrierea plății — ț ș 💳";
    for (const { algorithm, hash } of FAMILIES) {
      expect(digestBase64(algorithm, text)).toBe(createHash(hash).update(Buffer.from(text, "utf8")).digest("base64"));
      expect(digestBase64(algorithm, new TextEncoder().encode(text))).toBe(digestBase64(algorithm, text));
    }
  });

  it("agree with openssl dgst", () => {
    const text = "<Body>Agenția Moldsilva</Body>";
    writeFileSync(join(dir, "digest.txt"), text);
    for (const { algorithm, hash } of FAMILIES) {
      const run = spawnSync("openssl", ["dgst", `-${hash}`, "-binary", join(dir, "digest.txt")]);
      expect(run.status).toBe(0);
      expect(digestBase64(algorithm, text)).toBe(run.stdout.toString("base64"));
    }
  });
});

describe("signatures", () => {
  for (const { algorithm, hash } of FAMILIES) {
    it(`${algorithm}: signs like crypto.sign and verifies its own and Node's signatures`, () => {
      for (const data of inputs()) {
        const signature = signBytes(algorithm, privateKey, data);
        expect(signature.equals(nodeSign(hash, data))).toBe(true);
        expect(verifyBytes(algorithm, publicKey, data, signature)).toBe(true);
      }
      expect(signBytes(algorithm, privateKey, "ț").equals(signBytes(algorithm, privateKey, Buffer.from("ț", "utf8")))).toBe(true);
    });

    it(`${algorithm}: refuses tampered data, tampered or resized signatures, another key and the other family`, () => {
      const data = "<ds:SignedInfo>…</ds:SignedInfo>";
      const signature = signBytes(algorithm, privateKey, data);
      expect(verifyBytes(algorithm, publicKey, data + " ", signature)).toBe(false);
      expect(verifyBytes(algorithm, publicKey, data.replace("S", "s"), signature)).toBe(false);
      for (const bit of [0, 7, 1000, 2047]) expect(verifyBytes(algorithm, publicKey, data, flipBit(signature, bit))).toBe(false);
      expect(verifyBytes(algorithm, publicKey, data, signature.subarray(1))).toBe(false);
      expect(verifyBytes(algorithm, publicKey, data, Buffer.concat([Buffer.alloc(1), signature]))).toBe(false);
      expect(verifyBytes(algorithm, publicKey, data, Buffer.alloc(0))).toBe(false);
      expect(verifyBytes(algorithm, otherPublicKey, data, signature)).toBe(false);
      const other: SignatureAlgorithm = algorithm === "rsa-sha1" ? "rsa-sha256" : "rsa-sha1";
      expect(verifyBytes(other, publicKey, data, signature)).toBe(false);
    });

    it(`${algorithm}: interoperates with openssl dgst -sign / -verify`, () => {
      const data = '<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">plății</SignedInfo>';
      writeFileSync(join(dir, "data.txt"), data);
      const signed = spawnSync("openssl", ["dgst", `-${hash}`, "-sign", join(dir, "key.pem"), "-out", join(dir, "openssl.sig"), join(dir, "data.txt")]);
      expect(signed.status, signed.stderr.toString()).toBe(0);
      const opensslSignature = spawnSync("cat", [join(dir, "openssl.sig")]).stdout;
      expect(signBytes(algorithm, privateKey, data).equals(opensslSignature)).toBe(true);
      expect(verifyBytes(algorithm, publicKey, data, opensslSignature)).toBe(true);

      writeFileSync(join(dir, "ours.sig"), signBytes(algorithm, privateKey, data));
      const verified = spawnSync("openssl", ["dgst", `-${hash}`, "-verify", join(dir, "pub.pem"), "-signature", join(dir, "ours.sig"), join(dir, "data.txt")]);
      expect(verified.stdout.toString().trim()).toBe("Verified OK");
      expect(verified.status).toBe(0);

      writeFileSync(join(dir, "data.txt"), data + "\n");
      const tampered = spawnSync("openssl", ["dgst", `-${hash}`, "-verify", join(dir, "pub.pem"), "-signature", join(dir, "ours.sig"), join(dir, "data.txt")]);
      expect(tampered.stdout.toString().trim()).toBe("Verification failure");
      expect(tampered.status).toBe(1);
    });
  }
});

describe("keys", () => {
  it("refuses non-RSA keys, RSA-PSS-restricted keys and keys of the wrong type", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const ed = generateKeyPairSync("ed25519");
    const pss = generateKeyPairSync("rsa-pss", { modulusLength: 2048 });
    expect(() => signBytes("rsa-sha1", ec.privateKey, "x")).toThrow(/needs an RSA key .* got a ec key/);
    expect(() => verifyBytes("rsa-sha256", ed.publicKey, "x", Buffer.alloc(256))).toThrow(/needs an RSA key .* got a ed25519 key/);
    expect(() => signBytes("rsa-sha256", pss.privateKey, "x")).toThrow(/restricted to RSA-PSS/);
    expect(() => signBytes("rsa-sha1", publicKey, "x")).toThrow(/needs an RSA private key, got a public key/);
    expect(() => verifyBytes("rsa-sha1", privateKey, "x", Buffer.alloc(256))).toThrow(/needs an RSA public key, got a private key/);
    expect(() => signBytes("rsa-sha1", "-----BEGIN PRIVATE KEY-----" as unknown as KeyObject, "x")).toThrow(/needs a KeyObject/);
  });

  it(`refuses RSA keys under ${MIN_RSA_MODULUS_BITS} bits and accepts ${MIN_RSA_MODULUS_BITS}`, () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1016 });
    expect(() => signBytes("rsa-sha256", small.privateKey, "x")).toThrow(/RSA key of 1016 bits: the minimum is 1024/);
    expect(() => verifyBytes("rsa-sha256", small.publicKey, "x", Buffer.alloc(127))).toThrow(/RSA key of 1016 bits/);
    const legacy = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const signature = signBytes("rsa-sha1", legacy.privateKey, "x");
    expect(signature.length).toBe(128);
    expect(verifyBytes("rsa-sha1", legacy.publicKey, "x", signature)).toBe(true);
  });
});

/** What RHEL 9's OpenSSL does to a signature operation that names SHA-1 (see docs/security.md). */
function refuseSha1<F extends (...args: never[]) => unknown>(real: F, counter: { calls: number }): F {
  return ((...args: Parameters<F>) => {
    counter.calls++;
    if (String(args[0]).toLowerCase().replace("-", "") === "sha1") {
      throw Object.assign(new Error("error:03000098:digital envelope routines::invalid digest"), { code: "ERR_OSSL_EVP_INVALID_DIGEST" });
    }
    return real(...args);
  }) as F;
}

/** What a FIPS-mode host might do to the raw RSA operation as well. */
function refuseAll(name: string): () => never {
  return () => {
    throw Object.assign(new Error(`error:1C8000AE:Provider routines::${name} not allowed`), { code: "ERR_OSSL_PROV_NOT_ALLOWED" });
  };
}

describe("SHA-1 where OpenSSL forbids it (refusal injected)", () => {
  it("signs with the DigestInfo construction, byte-identical to crypto.sign, and stops asking once refused", () => {
    const signCalls = { calls: 0 };
    setCryptoCallsForTesting({ sign: refuseSha1(sign, signCalls) });
    for (const data of inputs()) expect(signBytes("rsa-sha1", privateKey, data).equals(nodeSign("sha1", data))).toBe(true);
    expect(sha1FallbackInUse()).toEqual({ sign: true, verify: false });
    expect(signCalls.calls).toBe(1);
    // rsa-sha256 is untouched by the policy and still uses the one-shot call.
    expect(signBytes("rsa-sha256", privateKey, "x").equals(nodeSign("sha256", "x"))).toBe(true);
    expect(signCalls.calls).toBe(2);
  });

  it("verifies with the DigestInfo construction, accepting and refusing exactly what crypto.verify does", () => {
    const verifyCalls = { calls: 0 };
    setCryptoCallsForTesting({ verify: refuseSha1(verify, verifyCalls) });
    const data = inputs();
    const sha256Signature = nodeSign("sha256", "x");
    const candidates: [string | Uint8Array, Uint8Array][] = [];
    for (const d of data) {
      const good = nodeSign("sha1", d);
      candidates.push([d, good], [d, flipBit(good, 5)], [d, flipBit(good, 2040)], [typeof d === "string" ? d + "!" : Buffer.concat([d, Buffer.from("!")]), good]);
    }
    candidates.push(
      ["x", sha256Signature], // a valid RSA block whose DigestInfo names SHA-256
      ["x", randomBytes(256)], // almost surely not a PKCS#1 type 1 block
      ["x", Buffer.alloc(256)], // zero
      ["x", Buffer.alloc(256, 0xff)], // larger than the modulus
      ["x", nodeSign("sha1", "x").subarray(0, 255)], // wrong length
    );
    let accepted = 0;
    for (const [d, signature] of candidates) {
      const expected = nodeVerify("sha1", d, signature);
      expect(verifyBytes("rsa-sha1", publicKey, d, signature)).toBe(expected);
      if (expected) accepted++;
    }
    expect(accepted).toBe(data.length);
    expect(sha1FallbackInUse()).toEqual({ sign: false, verify: true });
    expect(verifyCalls.calls).toBe(1);
  });

  it("leaves rsa-sha256 errors alone: no fallback for a refusal that is not about SHA-1", () => {
    setCryptoCallsForTesting({ sign: refuseAll("signing") as unknown as typeof sign });
    expect(() => signBytes("rsa-sha256", privateKey, "x")).toThrow(/signing not allowed/);
  });

  it("when the raw RSA operation is refused too, says what to change", () => {
    setCryptoCallsForTesting({
      sign: refuseSha1(sign, { calls: 0 }),
      verify: refuseSha1(verify, { calls: 0 }),
      privateEncrypt: refuseAll("private encrypt") as unknown as typeof privateEncrypt,
      publicDecrypt: refuseAll("public decrypt") as unknown as typeof publicDecrypt,
    });
    const advice = [/update-crypto-policies --set DEFAULT:SHA1/, /OPENSSL_ENABLE_SHA1_SIGNATURES=1/, /rh-allow-sha1-signatures = yes/, /FIPS mode/, /invalid digest/];
    for (const attempt of [() => signBytes("rsa-sha1", privateKey, "x"), () => verifyBytes("rsa-sha1", publicKey, "x", nodeSign("sha1", "x"))]) {
      let message = "";
      try {
        attempt();
      } catch (e) {
        message = (e as Error).message;
      }
      for (const pattern of advice) expect(message).toMatch(pattern);
    }
    expect(sha1FallbackInUse()).toEqual({ sign: false, verify: false });
  });

  it("an RSA padding error from the raw operation is a bad signature, not a refusal", () => {
    setCryptoCallsForTesting({ verify: refuseSha1(verify, { calls: 0 }) });
    expect(verifyBytes("rsa-sha1", publicKey, "x", Buffer.alloc(256))).toBe(false);
    expect(verifyBytes("rsa-sha1", publicKey, "x", nodeSign("sha1", "x"))).toBe(true);
  });
});

describe("SHA-1 where OpenSSL forbids it (a real OpenSSL configuration, in a child process)", () => {
  /**
   * RHEL's OpenSSL reads `rh-allow-sha1-signatures = no` from the algorithm section of its
   * configuration. Node from nodejs.org bundles upstream OpenSSL, which does not know that
   * option and refuses to start; a Node linked against a distribution OpenSSL that has the patch
   * honours it, and then this test runs the real fallback.
   */
  it("refuses SHA-1 signatures for real, or shows why this Node cannot be configured to", () => {
    const config = join(dir, "no-sha1.cnf");
    writeFileSync(
      config,
      "nodejs_conf = openssl_init\nopenssl_conf = openssl_init\n[openssl_init]\nalg_section = evp_properties\n[evp_properties]\nrh-allow-sha1-signatures = no\n",
    );
    const child = `
      const { createPrivateKey, createPublicKey, sign } = await import("node:crypto");
      const { signBytes, verifyBytes, sha1FallbackInUse } = await import(${JSON.stringify(RSA_MODULE)});
      const key = createPrivateKey(process.env.TEST_KEY);
      let oneShot = "allowed";
      try { sign("sha1", Buffer.from("x"), key); } catch (e) { oneShot = e.message; }
      const signature = signBytes("rsa-sha1", key, "plății");
      const verified = verifyBytes("rsa-sha1", createPublicKey(key), "plății", signature);
      console.log(JSON.stringify({ oneShot, signature: signature.toString("base64"), verified, fallback: sha1FallbackInUse() }));
    `;
    const env: NodeJS.ProcessEnv = { ...process.env, OPENSSL_CONF: config, TEST_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
    delete env.OPENSSL_ENABLE_SHA1_SIGNATURES;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", child], { env, encoding: "utf8", timeout: 30_000 });
    if (run.status !== 0 && /unknown option.*rh-allow-sha1-signatures/s.test(run.stderr)) {
      console.log(`OpenSSL ${process.versions.openssl} bundled with Node ${process.version} refuses rh-allow-sha1-signatures at startup: the RHEL policy cannot be reproduced here; the fallback is tested by injection`);
      expect((process.config.variables as { node_shared_openssl?: unknown }).node_shared_openssl).not.toBe(true);
      return;
    }
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { oneShot: string; signature: string; verified: boolean; fallback: { sign: boolean; verify: boolean } };
    expect(result.oneShot).toMatch(/invalid digest/);
    expect(result.fallback).toEqual({ sign: true, verify: true });
    expect(Buffer.from(result.signature, "base64").equals(nodeSign("sha1", "plății"))).toBe(true);
    expect(result.verified).toBe(true);
  });
});
