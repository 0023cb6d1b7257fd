/**
 * Certificates the harness's certs.sh does not make, for hostile-input tests, all made by
 * `openssl ca` and all carrying MPay's subject DN (so that only a real check can refuse them):
 * one expired and one without the digitalSignature key usage, both issued by a second root that
 * the provider trusts; and one issued by a root the provider does not trust. Also the trust
 * bundle (the harness CA plus the second root) to start the provider with.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OpenSslCa } from "../security/fixtures/openssl-pki.ts";
import type { TestParty, TestPki } from "./pki.ts";

export interface HostilePki {
  /** PEM file with the harness CA and the second trusted root: give it to `--trust`. */
  readonly trustBundlePath: string;
  /** Issued by a trusted root, MPay's DN, validity ended an hour ago. */
  readonly expired: TestParty;
  /** Issued by a trusted root, MPay's DN, KeyUsage keyEncipherment only. */
  readonly noDigitalSignature: TestParty;
  /** MPay's DN, issued by a root nobody trusts. */
  readonly untrustedIssuer: TestParty;
}

/** The subject of certs.sh's mpay certificate, in openssl's -subj syntax. */
const MPAY_SUBJECT = "/C=MD/O=MPay Harness/CN=MPay Test Client";

function stamp(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

function party(name: string, paths: { readonly certPath: string; readonly keyPath: string }): TestParty {
  return {
    name,
    certPath: paths.certPath,
    keyPath: paths.keyPath,
    certificate: new X509Certificate(readFileSync(paths.certPath)),
    privateKey: createPrivateKey(readFileSync(paths.keyPath)),
  };
}

/** Makes the certificates in `pki.dir` (a few openssl runs, about a second). */
export function hostilePki(pki: TestPki): HostilePki {
  const trustedRoot = new OpenSslCa(pki.dir, "second-root", "/C=MD/O=Hostile Tests/CN=Second Trusted Root");
  const untrustedRoot = new OpenSslCa(pki.dir, "untrusted-root", "/C=MD/O=MPay Harness/CN=MPay Harness Test Root CA");
  const now = Date.now();
  const expired = trustedRoot.issue("expired", MPAY_SUBJECT, { startDate: stamp(new Date(now - 30 * 86_400_000)), endDate: stamp(new Date(now - 3_600_000)) });
  const noDigitalSignature = trustedRoot.issue("no-digital-signature", MPAY_SUBJECT, {
    extensions: "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, keyEncipherment\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n",
  });
  const untrusted = untrustedRoot.issue("untrusted-issuer", MPAY_SUBJECT);
  const trustBundlePath = join(pki.dir, "trust-bundle.pem");
  writeFileSync(trustBundlePath, readFileSync(pki.caPath, "utf8") + readFileSync(trustedRoot.certPath, "utf8"));
  return {
    trustBundlePath,
    expired: party("expired", expired),
    noDigitalSignature: party("no-digital-signature", noDigitalSignature),
    untrustedIssuer: party("untrusted-issuer", untrusted),
  };
}
