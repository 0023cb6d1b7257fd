/**
 * The example provider with `--db`: ConfirmOrderPayment goes through the payment ledger, so a
 * payment is applied once across repeats and restarts, and the orders reflect the ledger at start.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SoapFault } from "@mpay-kit/runtime";
import { ServiceProviderClient, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { SqlitePaymentLedger } from "@mpay-kit/provider/store";
import { runProviderExpectingFailure, startProvider, type RunningProvider } from "../helpers/provider.ts";

const running: RunningProvider[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function provider(db: string): Promise<ServiceProviderClient> {
  const p = await startProvider(["--db", db]);
  running.push(p);
  return new ServiceProviderClient({ endpoint: p.url, timeoutMs: 10_000, wsSecurity: false });
}

const confirmation = (overrides: Partial<PaymentConfirmation> = {}): PaymentConfirmation => ({
  Currency: "MDL",
  Lines: [
    { Amount: "100.00", LineID: "L1" },
    { Amount: "50.00", LineID: "L2" },
  ],
  OrderKey: "ORD-1001",
  PaidAt: "2025-07-10T10:51:23",
  PaymentID: "P-LEDGER-1",
  ServiceID: "DEMO01",
  TotalAmount: "150.00",
  ...overrides,
});

async function faultOf(promise: Promise<unknown>): Promise<SoapFault> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SoapFault);
  return error as SoapFault;
}

const status = async (client: ServiceProviderClient, orderKey: string) =>
  (await client.GetOrderDetails({ query: { OrderKey: orderKey, ServiceID: "DEMO01" } })).GetOrderDetailsResult?.[0]?.Status;

describe("example provider --db", () => {
  it("applies a payment once, answers repeats with success, refuses different content, and keeps it across a restart", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "example-ledger-")), "payments.db");
    let client = await provider(db);
    expect(await status(client, "ORD-1001")).toBe("Active");
    await client.ConfirmOrderPayment({ confirmation: confirmation() });
    await client.ConfirmOrderPayment({ confirmation: confirmation() });
    expect(await status(client, "ORD-1001")).toBe("Paid");
    const conflict = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ TotalAmount: "140.00", Lines: [{ Amount: "90.00", LineID: "L1" }, { Amount: "50.00", LineID: "L2" }] }) }));
    expect(conflict.code).toBe("InvalidParameter");
    expect(conflict.reason).toMatch(/different content/);

    await running.pop()!.stop();
    client = await provider(db);
    // The order book is rebuilt from the ledger, and a late repeat is still a success, not a second payment.
    expect(await status(client, "ORD-1001")).toBe("Paid");
    await client.ConfirmOrderPayment({ confirmation: confirmation() });
    await running.pop()!.stop();

    const ledger = new SqlitePaymentLedger({ path: db });
    try {
      expect(await ledger.paymentIds()).toEqual(["P-LEDGER-1"]);
      const recorded = await ledger.payment("P-LEDGER-1");
      expect(recorded?.totalAmount).toBe("150.00");
      expect(recorded?.deliveries).toBe(3);
      expect((await ledger.conflicts("P-LEDGER-1")).length).toBe(1);
    } finally {
      await ledger.close();
    }
  }, 60_000);

  it("with --log writes one JSON line per exchange, answers /health, and stops cleanly on SIGTERM", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "example-ledger-")), "payments.db");
    const p = await startProvider(["--db", db, "--log"]);
    let out = "";
    p.process.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const client = new ServiceProviderClient({ endpoint: p.url, timeoutMs: 10_000, wsSecurity: false });
    await client.ConfirmOrderPayment({ confirmation: confirmation({ PaymentID: "P-LOG-1" }) });
    const health = await fetch(new URL("/health", p.url));
    expect([health.status, await health.json()]).toEqual([200, { status: "ok", store: "reachable" }]);
    const exited = new Promise<number | null>((resolve) => p.process.once("exit", (code) => resolve(code)));
    p.process.kill("SIGTERM");
    expect(await exited).toBe(0);
    const entries = out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries).toEqual([expect.objectContaining({ event: "soap-exchange", operation: "ConfirmOrderPayment", paymentId: "P-LOG-1", outcome: "ok", status: 200 })]);
  }, 60_000);

  it("refuses to start on a ledger it cannot open, saying which", async () => {
    const { code, stderr } = await runProviderExpectingFailure(["--db", "/nonexistent-folder/payments.db"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot open the payment ledger \/nonexistent-folder\/payments\.db/);
  });
});
