/**
 * Loading signing identities from files made by openssl: PEM and DER, encrypted keys, PKCS#12 in
 * OpenSSL 3's default (AES-256-CBC, PBKDF2) and legacy (3DES, RC2) encryption, and every refusal
 * (wrong password, key of another certificate, expired or not yet valid, EC key, missing parts).
 */
import { execFileSync } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CredentialError, loadCertificates, loadCredentials, type CredentialSource } from "../../runtime/src/security/credentials.ts";
import { harnessPki, newKey, openssl, OpenSslCa, REPO, tempDir } from "./fixtures/openssl-pki.ts";

let dir: string;
let cleanup: () => void;
let pki: string;
const at = (name: string) => join(pki, name);
let mpayDer: Buffer;
let expired: { certPath: string; keyPath: string };
let future: { certPath: string; keyPath: string };
let ec: { certPath: string; keyPath: string };

beforeAll(() => {
  ({ dir, cleanup } = tempDir("mpay-kit-credentials-"));
  pki = harnessPki(join(dir, "harness"));
  mpayDer = readFileSync(at("mpay.cer"));
  // Keys in the other forms openssl writes: encrypted PKCS#8, encrypted PKCS#1 ("traditional"), DER.
  openssl(["pkcs8", "-topk8", "-in", at("mpay.key"), "-v2", "aes-256-cbc", "-passout", "pass:s3cret", "-out", at("mpay.enc8.pem")]);
  openssl(["rsa", "-in", at("mpay.key"), "-aes256", "-traditional", "-passout", "pass:s3cret", "-out", at("mpay.enc1.pem")]);
  openssl(["pkey", "-in", at("mpay.key"), "-outform", "DER", "-out", at("mpay.pkcs1.der")]); // OpenSSL 3.0 writes PKCS#1 here
  openssl(["pkcs8", "-topk8", "-nocrypt", "-in", at("mpay.key"), "-outform", "DER", "-out", at("mpay.pkcs8.der")]);
  openssl(["pkcs8", "-topk8", "-in", at("mpay.key"), "-v2", "aes-256-cbc", "-passout", "pass:s3cret", "-outform", "DER", "-out", at("mpay.enc8.der")]);
  openssl(["rsa", "-in", at("mpay.key"), "-traditional", "-out", at("mpay.pkcs1.pem")]);
  writeFileSync(at("bundle.pem"), readFileSync(at("ca.crt"), "utf8") + readFileSync(at("mpay.crt"), "utf8"));
  writeFileSync(at("combined.pem"), readFileSync(at("mpay.crt"), "utf8") + readFileSync(at("mpay.key"), "utf8"));
  // A non-ASCII password, in both PKCS#12 encryptions.
  openssl(["pkcs12", "-export", "-inkey", at("mpay.key"), "-in", at("mpay.crt"), "-passout", "pass:parolă-ș", "-out", at("diacritics.p12")]);
  openssl(["pkcs12", "-export", "-legacy", "-inkey", at("mpay.key"), "-in", at("mpay.crt"), "-passout", "pass:parolă-ș", "-out", at("diacritics.legacy.p12")]);
  const ca = new OpenSslCa(dir, "dated", "/C=MD/O=Dated Test PKI/CN=Dated CA");
  expired = ca.issue("expired", "/CN=Expired Signer", { startDate: "20200101000000Z", endDate: "20210101000000Z" });
  future = ca.issue("future", "/CN=Future Signer", { startDate: "20700101000000Z", endDate: "20710101000000Z" });
  ec = ca.issue("ec", "/CN=EC Signer", { keyType: "ec" });
  openssl(["pkcs12", "-export", "-inkey", ec.keyPath, "-in", ec.certPath, "-passout", "pass:test", "-out", at("ec.p12")]);
  newKey(at("other.key"), "rsa");
}, 120_000);
afterAll(() => cleanup?.());

function failure(source: CredentialSource, options: { now?: Date } = {}): CredentialError {
  try {
    loadCredentials(source, options);
  } catch (e) {
    if (e instanceof CredentialError) return e;
    throw e;
  }
  throw new Error("the credentials were accepted");
}

describe("loadCredentials", () => {
  it("reads a PEM certificate and key", () => {
    const creds = loadCredentials({ cert: at("mpay.crt"), key: at("mpay.key") });
    expect(creds.certificate.raw.equals(mpayDer)).toBe(true);
    expect(creds.chain).toEqual([]);
    expect(creds.privateKey.type).toBe("private");
    expect(creds.privateKey.asymmetricKeyType).toBe("rsa");
    expect(creds.publicKey.export({ format: "der", type: "spki" }).equals(creds.certificate.publicKey.export({ format: "der", type: "spki" }))).toBe(true);
  });

  it.each([
    ["encrypted PKCS#8 PEM", "mpay.enc8.pem", "s3cret"],
    ["encrypted PKCS#1 PEM", "mpay.enc1.pem", "s3cret"],
    ["PKCS#1 PEM", "mpay.pkcs1.pem", undefined],
    ["PKCS#8 DER", "mpay.pkcs8.der", undefined],
    ["PKCS#1 DER", "mpay.pkcs1.der", undefined],
    ["encrypted PKCS#8 DER", "mpay.enc8.der", "s3cret"],
  ])("reads a %s key", (_, file, passphrase) => {
    const creds = loadCredentials({ cert: at("mpay.cer"), key: at(file), ...(passphrase === undefined ? {} : { passphrase }) });
    expect(creds.certificate.checkPrivateKey(creds.privateKey)).toBe(true);
  });

  it("reads contents given as bytes, PEM or DER", () => {
    const creds = loadCredentials({ cert: new Uint8Array(mpayDer), key: readFileSync(at("mpay.key")) });
    expect(creds.certificate.raw.equals(mpayDer)).toBe(true);
    const fromPfx = loadCredentials({ pfx: new Uint8Array(readFileSync(at("mpay.p12"))), password: "test" });
    expect(fromPfx.certificate.raw.equals(mpayDer)).toBe(true);
  });

  it("takes the key's certificate from a bundle in any order; the rest is the chain", () => {
    const creds = loadCredentials({ cert: at("bundle.pem"), key: at("mpay.key") });
    expect(creds.certificate.raw.equals(mpayDer)).toBe(true);
    expect(creds.chain.map((c) => c.subject)).toEqual([new X509Certificate(readFileSync(at("ca.crt"))).subject]);
    const combined = loadCredentials({ cert: at("combined.pem"), key: at("combined.pem") });
    expect(combined.certificate.raw.equals(mpayDer)).toBe(true);
  });

  it.each(["mpay.p12", "mpay.legacy.p12"])("reads the harness's %s (password test) with its CA as chain", (file) => {
    const creds = loadCredentials({ pfx: at(file), password: "test" });
    expect(creds.certificate.raw.equals(mpayDer)).toBe(true);
    expect(creds.chain.map((c) => c.raw.equals(readFileSync(at("ca.cer"))))).toEqual([true]);
    expect(creds.privateKey.export({ format: "der", type: "pkcs8" }).equals(createPrivateKey(readFileSync(at("mpay.key"))).export({ format: "der", type: "pkcs8" }))).toBe(true);
  });

  it("covers both PKCS#12 encryptions (openssl says which one each file uses)", () => {
    const info = (file: string, legacy: boolean) =>
      execFileSync("sh", ["-c", `openssl pkcs12 -in '${at(file)}' -passin pass:test -noout -info ${legacy ? "-legacy" : ""} 2>&1`], { encoding: "utf8" });
    expect(info("mpay.p12", false)).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    expect(info("mpay.legacy.p12", true)).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(info("mpay.legacy.p12", true)).toMatch(/PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC/);
  });

  it("reads PKCS#12 files protected by a non-ASCII password, in both encryptions", () => {
    for (const file of ["diacritics.p12", "diacritics.legacy.p12"]) {
      expect(loadCredentials({ pfx: at(file), password: "parolă-ș" }).certificate.raw.equals(mpayDer)).toBe(true);
      expect(failure({ pfx: at(file), password: "parola-s" }).code).toBe("wrong-password");
    }
  });

  it("refuses a wrong PKCS#12 password, naming the file", () => {
    for (const file of ["mpay.p12", "mpay.legacy.p12"]) {
      const e = failure({ pfx: at(file), password: "tset" });
      expect(e).toMatchObject({ code: "wrong-password", file: at(file), message: `wrong password for ${at(file)}` });
    }
  });

  it("refuses a wrong or missing key passphrase", () => {
    for (const file of ["mpay.enc8.pem", "mpay.enc1.pem", "mpay.enc8.der"]) {
      expect(failure({ cert: at("mpay.crt"), key: at(file), passphrase: "wrong" })).toMatchObject({
        code: "wrong-password",
        file: at(file),
        message: `wrong passphrase for the private key in ${at(file)}`,
      });
      expect(failure({ cert: at("mpay.crt"), key: at(file) })).toMatchObject({
        code: "needs-password",
        message: `the private key in ${at(file)} is encrypted: give its passphrase`,
      });
    }
  });

  it("refuses a key that belongs to another certificate", () => {
    expect(failure({ cert: at("mpay.crt"), key: at("provider.key") })).toMatchObject({
      code: "key-mismatch",
      file: at("provider.key"),
      message: `the private key in ${at("provider.key")} does not belong to the certificate in ${at("mpay.crt")} (CN=MPay Test Client,O=MPay Harness,C=MD)`,
    });
    expect(failure({ cert: at("bundle.pem"), key: at("other.key") }).code).toBe("key-mismatch");
  });

  it("refuses an expired or not yet valid certificate at start-up, and checks at the given time", () => {
    expect(failure({ cert: expired.certPath, key: expired.keyPath })).toMatchObject({
      code: "expired",
      file: expired.certPath,
      message: `the certificate CN=Expired Signer in ${expired.certPath} expired on 2021-01-01T00:00:00.000Z`,
    });
    expect(failure({ cert: future.certPath, key: future.keyPath })).toMatchObject({
      code: "not-yet-valid",
      message: `the certificate CN=Future Signer in ${future.certPath} is not valid before 2070-01-01T00:00:00.000Z`,
    });
    expect(loadCredentials({ cert: expired.certPath, key: expired.keyPath }, { now: new Date("2020-06-01T00:00:00Z") }).certificate.subject).toBe("CN=Expired Signer");
    expect(failure({ pfx: at("mpay.p12"), password: "test" }, { now: new Date("2100-01-01T00:00:00Z") }).code).toBe("expired");
  });

  it("refuses a key that is not RSA", () => {
    expect(failure({ cert: ec.certPath, key: ec.keyPath })).toMatchObject({
      code: "not-rsa",
      file: ec.keyPath,
      message: `the private key in ${ec.keyPath} is EC, not RSA: WS-Security signatures for MPay are RSA (rsa-sha1 or rsa-sha256)`,
    });
    expect(failure({ pfx: at("ec.p12"), password: "test" }).code).toBe("not-rsa");
  });

  it("refuses files that are missing, or hold something else", () => {
    expect(failure({ cert: at("absent.crt"), key: at("mpay.key") })).toMatchObject({
      code: "unreadable",
      file: at("absent.crt"),
      message: `cannot read the certificate file ${at("absent.crt")}: no such file`,
    });
    expect(failure({ cert: at("mpay.crt"), key: at("absent.key") }).message).toBe(`cannot read the private key file ${at("absent.key")}: no such file`);
    expect(failure({ pfx: dir, password: "x" }).message).toBe(`cannot read the PKCS#12 file ${dir}: it is a folder`);
    expect(failure({ cert: at("mpay.key"), key: at("mpay.key") })).toMatchObject({ code: "no-certificate", file: at("mpay.key") });
    expect(failure({ cert: at("mpay.crt"), key: at("mpay.crt") })).toMatchObject({ code: "no-key", file: at("mpay.crt") });
    expect(failure({ cert: at("mpay.crt"), key: at("mpay.ski") })).toMatchObject({ code: "unreadable", file: at("mpay.ski") });
    expect(failure({ pfx: at("mpay.crt"), password: "test" })).toMatchObject({ code: "unreadable", file: at("mpay.crt") });
    expect(failure({ pfx: at("mpay.crt"), password: "test" }).message).toMatch(/is not a readable PKCS#12 file/);
    expect(failure({ cert: new Uint8Array([1, 2, 3]), key: at("mpay.key") }).message).toMatch(/^the certificate file is neither a PEM file with certificates nor a DER certificate/);
  });

  it("loads the PKCS#12 reader only when a PKCS#12 file is given", () => {
    const script = `
      import { createRequire } from "node:module";
      const { loadCredentials } = await import(${JSON.stringify(join(REPO, "runtime/src/security/credentials.ts"))});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("node-forge"));
      loadCredentials({ cert: ${JSON.stringify(at("mpay.crt"))}, key: ${JSON.stringify(at("mpay.key"))} });
      const before = loaded();
      loadCredentials({ pfx: ${JSON.stringify(at("mpay.p12"))}, password: "test" });
      console.log(JSON.stringify({ before, after: loaded() }));
    `;
    const out = execFileSync(process.execPath, ["--conditions=mpay-kit-source", "--input-type=module", "-e", script], { encoding: "utf8", cwd: REPO });
    expect(JSON.parse(out)).toEqual({ before: false, after: true });
  });
});

describe("loadCertificates", () => {
  it("reads every certificate of a PEM bundle, and the one of a DER file", () => {
    expect(loadCertificates(at("bundle.pem")).map((c) => c.subject.split("\n").at(-1))).toEqual(["CN=MPay Harness Test Root CA", "CN=MPay Test Client"]);
    expect(loadCertificates(at("mpay.cer")).map((c) => c.raw.equals(mpayDer))).toEqual([true]);
    expect(loadCertificates(readFileSync(at("ca.crt")))).toHaveLength(1);
  });

  it("refuses files without certificates", () => {
    expect(() => loadCertificates(at("mpay.key"))).toThrow(CredentialError);
    expect(() => loadCertificates(at("mpay.key"))).toThrow(`${at("mpay.key")} holds no PEM certificate`);
    expect(() => loadCertificates(at("absent.pem"))).toThrow(`cannot read the certificate file ${at("absent.pem")}: no such file`);
  });
});
