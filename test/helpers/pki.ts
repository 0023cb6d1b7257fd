/**
 * A throwaway test PKI made by the independent harness (`../shared/harness/certs.sh`, openssl):
 * a CA, `mpay` and `provider` certificates issued by it, and a self-signed `rogue` with mpay's
 * subject. Made once per test process, in a temporary folder.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "./provider.ts";

export const harnessDir = resolve(repoRoot, "../shared/harness");

export interface TestParty {
  readonly name: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
}

export interface TestPki {
  readonly dir: string;
  readonly caPath: string;
  readonly ca: X509Certificate;
  readonly mpay: TestParty;
  readonly provider: TestParty;
  readonly rogue: TestParty;
}

let made: TestPki | undefined;

export function testPki(): TestPki {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), "mpay-kit-pki-"));
  execFileSync("bash", [join(harnessDir, "certs.sh"), dir], { stdio: ["ignore", "ignore", "pipe"] });
  const party = (name: string): TestParty => {
    const certPath = join(dir, `${name}.crt`);
    const keyPath = join(dir, `${name}.key`);
    return { name, certPath, keyPath, certificate: new X509Certificate(readFileSync(certPath)), privateKey: createPrivateKey(readFileSync(keyPath)) };
  };
  const caPath = join(dir, "ca.crt");
  made = { dir, caPath, ca: new X509Certificate(readFileSync(caPath)), mpay: party("mpay"), provider: party("provider"), rogue: party("rogue") };
  return made;
}
