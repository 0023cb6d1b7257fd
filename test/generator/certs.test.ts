/**
 * `mpay-codegen certs`: the development PKI is what openssl accepts (chain, purposes, PKCS#12),
 * carries the extensions WS-Security and TLS need, loads through loadCredentials and passes
 * TrustStore.check; the command refuses to overwrite and reports usage errors with exit code 2.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../generator/src/cli.ts";
import { PKI_FILES } from "@mpay-kit/runtime/dev-pki";
import { loadCredentials } from "../../runtime/src/security/credentials.ts";
import { TrustStore } from "../../runtime/src/security/trust.ts";
import { keyUsage, subjectKeyIdentifier } from "../../runtime/src/security/certificates.ts";
import { tempDir } from "../security/fixtures/openssl-pki.ts";

let cwd: string;
let cleanup: () => void;
let first: { code: number; stdout: string[]; stderr: string[] };
const file = (name: string) => join(cwd, "pki", name);
const cert = (name: string) => new X509Certificate(readFileSync(file(name)));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, { cwd, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

function opensslStatus(args: string[]): { status: number | null; output: string } {
  const run = spawnSync("openssl", args, { encoding: "utf8", cwd: join(cwd, "pki") });
  return { status: run.status, output: run.stdout + run.stderr };
}

beforeAll(async () => {
  ({ dir: cwd, cleanup } = tempDir("mpay-kit-certs-"));
  first = await cli("certs", "pki");
}, 60_000);
afterAll(() => cleanup?.());

describe("mpay-codegen certs", () => {
  it("writes the PKI's files, prints where and the password, keeps keys private", () => {
    expect(first).toMatchObject({ code: 0, stderr: [] });
    expect(first.stdout[0]).toBe("development PKI written to pki (for development and tests only; see pki/README.txt):");
    expect(first.stdout[1]).toBe("  ca.pem ca-key.pem mpay.pem mpay-key.pem mpay.p12 provider.pem provider-key.pem provider.p12");
    expect(first.stdout[2]).toMatch(/^ {2}PKCS#12 password: test; certificates valid until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const name of PKI_FILES) expect(existsSync(file(name)), name).toBe(true);
    for (const name of ["ca-key.pem", "mpay-key.pem", "provider-key.pem", "mpay.p12", "provider.p12"]) expect(statSync(file(name)).mode & 0o777, name).toBe(0o600);
    expect(statSync(file("ca.pem")).mode & 0o777).toBe(0o644);
    const readme = readFileSync(file("README.txt"), "utf8");
    expect(readme).toContain("FOR DEVELOPMENT AND TESTS ONLY");
    for (const name of PKI_FILES.filter((n) => n !== "README.txt")) expect(readme, name).toMatch(new RegExp(`^ {2}${name.replace(".", "\\.")} `, "m"));
    expect(readme).toContain('password "test"');
  });

  it("makes certificates that openssl verifies against the CA, for TLS server and client use", () => {
    expect(opensslStatus(["verify", "-CAfile", "ca.pem", "mpay.pem", "provider.pem"])).toEqual({ status: 0, output: "mpay.pem: OK\nprovider.pem: OK\n" });
    expect(opensslStatus(["verify", "-CAfile", "ca.pem", "-purpose", "sslserver", "provider.pem"]).status).toBe(0);
    expect(opensslStatus(["verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "mpay.pem"]).status).toBe(0);
    // And not against another PKI's CA.
    const other = join(cwd, "other");
    mkdirSync(other);
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(other, "ca.key"), "-subj", "/CN=mpay-kit Development Root CA", "-days", "1", "-out", join(other, "ca.pem")], { stdio: "ignore" });
    expect(opensslStatus(["verify", "-CAfile", join(other, "ca.pem"), "mpay.pem"]).status).not.toBe(0);
  });

  it("makes PKCS#12 files that openssl opens with the password, and only with it", () => {
    for (const name of ["provider.p12", "mpay.p12"]) {
      expect(opensslStatus(["pkcs12", "-in", name, "-passin", "pass:test", "-noout"]).status, name).toBe(0);
      expect(opensslStatus(["pkcs12", "-in", name, "-passin", "pass:wrong", "-noout"]).status, name).not.toBe(0);
      expect(opensslStatus(["pkcs12", "-in", name, "-passin", "pass:test", "-noout", "-info"]).output).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    }
    // The key inside is the one in the PEM file.
    const fromP12 = execFileSync("openssl", ["pkcs12", "-in", file("provider.p12"), "-passin", "pass:test", "-nocerts", "-nodes"], { encoding: "utf8" });
    const modulus = (pem: string) => execFileSync("openssl", ["rsa", "-noout", "-modulus"], { input: pem, encoding: "utf8" });
    expect(modulus(fromP12)).toBe(modulus(readFileSync(file("provider-key.pem"), "utf8")));
  });

  it("puts the extensions WS-Security and TLS need in the certificates, as openssl reads them", () => {
    const ext = (name: string, extension: string) =>
      execFileSync("openssl", ["x509", "-in", file(name), "-noout", "-ext", extension], { encoding: "utf8" }).split("\n").slice(1).join(" ").replace(/\s+/g, " ").trim();
    const caSki = subjectKeyIdentifier(cert("ca.pem"))!;
    expect(ext("ca.pem", "basicConstraints")).toBe("CA:TRUE, pathlen:0");
    expect(ext("ca.pem", "keyUsage")).toBe("Certificate Sign, CRL Sign");
    for (const name of ["mpay.pem", "provider.pem"]) {
      const leaf = cert(name);
      const ski = subjectKeyIdentifier(leaf);
      expect(ski?.length, name).toBe(20);
      expect(ext(name, "subjectKeyIdentifier").replace(/:/g, "")).toBe(ski!.toString("hex").toUpperCase());
      expect(ext(name, "authorityKeyIdentifier").replace(/:/g, "").replace(/^keyid/, "")).toBe(caSki.toString("hex").toUpperCase());
      expect(ext(name, "basicConstraints")).toBe("CA:FALSE");
      expect(ext(name, "keyUsage")).toBe("Digital Signature, Key Encipherment");
      expect(ext(name, "extendedKeyUsage")).toBe("TLS Web Server Authentication, TLS Web Client Authentication");
      expect(ext(name, "subjectAltName")).toBe("DNS:localhost, IP Address:127.0.0.1");
      expect([...keyUsage(leaf)!]).toEqual(["digitalSignature", "keyEncipherment"]);
      expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(execFileSync("openssl", ["x509", "-in", file(name), "-noout", "-text"], { encoding: "utf8" })).toContain("Signature Algorithm: sha256WithRSAEncryption");
      expect(leaf.checkIssued(cert("ca.pem"))).toBe(true);
    }
    expect(cert("mpay.pem").serialNumber).not.toBe(cert("provider.pem").serialNumber);
  });

  it("makes credentials that loadCredentials reads and TrustStore accepts", () => {
    const anchors = [cert("ca.pem")];
    const provider = loadCredentials({ pfx: file("provider.p12"), password: "test" });
    const mpay = loadCredentials({ cert: file("mpay.pem"), key: file("mpay-key.pem") });
    expect(provider.certificate.raw.equals(cert("provider.pem").raw)).toBe(true);
    expect(provider.chain.map((c) => c.raw.equals(anchors[0]!.raw))).toEqual([true]);
    const store = new TrustStore({ anchors, peers: [mpay.certificate], pins: [mpay.certificate] });
    expect(store.check(mpay.certificate, { at: new Date() }).ok).toBe(true);
    expect(store.check(provider.certificate, { at: new Date() })).toMatchObject({ ok: false });
    expect(new TrustStore({ anchors }).check(provider.certificate, { at: new Date() }).ok).toBe(true);
    expect(store.findBySubjectKeyIdentifier(subjectKeyIdentifier(mpay.certificate)!)).toBe(mpay.certificate);
  });

  it("refuses to overwrite an existing PKI (exit 2) and replaces it with --force", async () => {
    const before = readFileSync(file("ca.pem"), "utf8");
    const again = await cli("certs", "pki");
    expect(again).toEqual({
      code: 2,
      stdout: [],
      stderr: ["mpay-codegen: pki already holds a PKI (ca.pem, ca-key.pem, mpay.pem and 6 more); pass --force to overwrite it"],
    });
    expect(readFileSync(file("ca.pem"), "utf8")).toBe(before);
    // One file of a PKI is enough to refuse.
    mkdirSync(join(cwd, "partial"));
    writeFileSync(join(cwd, "partial/mpay-key.pem"), "mine\n");
    expect((await cli("certs", "partial")).stderr).toEqual(["mpay-codegen: partial already holds a PKI (mpay-key.pem); pass --force to overwrite it"]);
    expect(readFileSync(join(cwd, "partial/mpay-key.pem"), "utf8")).toBe("mine\n");

    const forced = await cli("certs", "pki", "--force", "--days", "30", "--password", "s3cret!");
    expect(forced.code).toBe(0);
    expect(forced.stdout[2]).toMatch(/PKCS#12 password: s3cret!;/);
    expect(readFileSync(file("ca.pem"), "utf8")).not.toBe(before);
    const days = (cert("mpay.pem").validToDate.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    expect(opensslStatus(["pkcs12", "-in", "mpay.p12", "-passin", "pass:s3cret!", "-noout"]).status).toBe(0);
    expect(opensslStatus(["verify", "-CAfile", "ca.pem", "mpay.pem", "provider.pem"]).status).toBe(0);
    expect(statSync(file("mpay-key.pem")).mode & 0o777).toBe(0o600);
  });

  it.each([
    [["certs"], "mpay-codegen: certs needs one folder: mpay-codegen certs <dir>"],
    [["certs", "a", "b"], "mpay-codegen: certs needs one folder: mpay-codegen certs <dir>"],
    [["certs", "x", "--days", "0"], 'mpay-codegen: --days must be a whole number from 1 to 36500, not "0"'],
    [["certs", "x", "--days", "1.5"], 'mpay-codegen: --days must be a whole number from 1 to 36500, not "1.5"'],
    [["certs", "x", "--password", ""], "mpay-codegen: --password: the PKCS#12 password must not be empty"],
    [["certs", "x", "--password", "parolă"], "mpay-codegen: --password: the PKCS#12 password must be printable ASCII"],
    [["certs", "x", "--wsdl", "a.wsdl"], "mpay-codegen: --wsdl does not apply to certs"],
    [["generate", "--config", "c.json", "--force"], "mpay-codegen: --force applies only to certs"],
  ])("usage error %j exits 2 and writes nothing", async (argv, message) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr[0]).toContain(message);
    expect(existsSync(join(cwd, "x"))).toBe(false);
  });

  it("is listed in --help", async () => {
    const { stdout } = await cli("--help");
    expect(stdout[0]).toContain("  mpay-codegen certs <dir> [--force] [--days <n>] [--password <p>]\n");
  });
});
