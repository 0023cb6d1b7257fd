/**
 * The whole MPay connection on one machine: the example provider on HTTPS requiring a client
 * certificate (mutual TLS) and WS-Security signatures, called by our generated client and by
 * the harness's independent MPay client (zeep + python3-xmlsec) presenting MPay's certificate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { SoapFault, TransportError } from "@mpay-kit/runtime";
import { TrustStore } from "@mpay-kit/runtime/security";
import { ServiceProviderClient } from "@mpay-kit/mpay-service-provider";
import { harnessDir, testPki, type TestPki } from "../helpers/pki.ts";
import { repoRoot, startProvider, type RunningProvider } from "../helpers/provider.ts";

const run = promisify(execFile);
let pki: TestPki;
let provider: RunningProvider;

beforeAll(async () => {
  pki = testPki();
  provider = await startProvider(["--tls", "--cert", pki.provider.certPath, "--key", pki.provider.keyPath, "--trust", pki.caPath, "--pin", pki.mpay.certPath]);
});
afterAll(() => provider?.stop());

const query = { query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } };
const client = (tls: object, wsSecurity: object | false = { identity: pki.mpay, trust: new TrustStore({ anchors: [pki.ca], pins: [pki.provider.certificate] }) }) =>
  new ServiceProviderClient({ endpoint: provider.url, timeoutMs: 10_000, tls: { ca: readFileSync(pki.caPath), ...tls }, wsSecurity } as ConstructorParameters<typeof ServiceProviderClient>[0]);

describe("example provider with --tls and --cert: mutual TLS and WS-Security", () => {
  it("prints an https URL", () => {
    expect(provider.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/ServiceProvider\.svc$/);
  });

  it("our generated client presenting MPay's certificate, signing as MPay, gets the signed, verified answer", async () => {
    const answer = await client({ cert: readFileSync(pki.mpay.certPath), key: readFileSync(pki.mpay.keyPath) }).GetOrderDetails(query);
    expect(answer.GetOrderDetailsResult?.[0]?.TotalAmountDue).toBe("150.00");
  });

  it("no client certificate: refused in the TLS handshake", async () => {
    const error = await client({}).GetOrderDetails(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
  });

  it("a client certificate not chained to --trust: refused in the TLS handshake", async () => {
    const error = await client({ cert: readFileSync(pki.rogue.certPath), key: readFileSync(pki.rogue.keyPath) }).GetOrderDetails(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
  });

  it("a good TLS client that does not sign: AuthenticationFailed", async () => {
    const error = await client({ cert: readFileSync(pki.mpay.certPath), key: readFileSync(pki.mpay.keyPath) }, false).GetOrderDetails(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFault);
    expect((error as SoapFault).code).toBe("AuthenticationFailed");
  });

  it("the harness's MPay client (zeep + python3-xmlsec) over mutual TLS: signed request, verified signed answer", async () => {
    const { stdout } = await run(
      "/usr/bin/python3",
      [
        join(harnessDir, "mpay_client.py"), "GetOrderDetails",
        "--url", provider.url, "--wsdl", join(repoRoot, "wsdl/mpay/ServiceProvider.wsdl"), "--no-schema-check",
        "--cert", pki.mpay.certPath, "--key", pki.mpay.keyPath, "--peer-cert", pki.provider.certPath, "--peer-ca", pki.caPath,
        "--tls-ca", pki.caPath, "--tls-cert", pki.mpay.certPath, "--tls-key", pki.mpay.keyPath,
        "--service-id", "DEMO01", "--order-key", "ORD-1001",
      ],
      { timeout: 60_000 },
    ).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`mpay_client.py failed: ${e.stderr ?? ""}\n${e.stdout ?? ""}`);
    });
    const out = JSON.parse(stdout);
    expect(out.ok).toBe(true);
    expect(JSON.stringify(out.result)).toContain("150.00");
  });
});
