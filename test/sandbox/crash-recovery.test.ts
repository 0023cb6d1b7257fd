/**
 * Kill the provider in the middle of a run: the offline MPay and the example provider with a
 * payment ledger (`--db`, SQLite and PostgreSQL), signed both ways. Many orders are paid, the
 * provider is SIGKILLed while the sandbox is delivering their confirmations, and restarted on the
 * same port with the same ledger: the sandbox's retries must then complete every payment exactly
 * once (each PaymentID once in the ledger with its amount and order, orders owing exactly what is
 * left, partial payments included, and no payment applied twice).
 *
 * The worst moment is forced: a plain TCP relay between the sandbox and the provider holds the
 * provider's answers back just before the kill, so at least one payment is committed in the
 * ledger while its answer never reaches the sandbox, which must then deliver it again.
 */
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ServiceProviderClient } from "@mpay-kit/mpay-service-provider";
import { openPaymentLedger } from "@mpay-kit/provider/store";
import { loadCertificates, loadCredentials, TrustStore } from "@mpay-kit/runtime/security";
import type { RunningProvider } from "../helpers/provider.ts";
import { eventually, openInvoice, paymentIdOf, pki, startTestSandbox, submitPay, tempDir } from "./harness.ts";
import { CRASH_SERVICE_ID, crashOrders, freePort, killHard, startAnswerRelay, startLedgerProvider, throwawayPostgresDatabase, writeCrashOrdersFile } from "./helpers-crash.ts";

const postgresUrl: string | undefined = process.env["MPAY_TEST_PG_URL"] || undefined;
/** Enough orders that confirmations are still being delivered (4 at a time) when the kill comes. */
const ORDER_COUNT = 24;
/** Answers are held back once this many payments are confirmed: the run is under way, most still to go. */
const HOLD_AFTER_CONFIRMED = 2;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

beforeAll(() => {
  pki();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A signed client of the provider, as MPay calls it (for GetOrderDetails after the run). */
function mpayClient(url: string): ServiceProviderClient {
  const p = pki();
  const provider = loadCertificates(p.providerCertPath);
  return new ServiceProviderClient({
    endpoint: url,
    timeoutMs: 10_000,
    wsSecurity: {
      identity: loadCredentials({ cert: p.mpayCertPath, key: p.mpayKeyPath }),
      trust: new TrustStore({ anchors: loadCertificates(p.caPath), peers: provider, pins: provider }),
      keyInfo: "bst",
    },
  });
}

async function crashRun(db: string): Promise<void> {
  const orders = crashOrders(ORDER_COUNT);
  const ordersFile = writeCrashOrdersFile(orders);
  const port = await freePort();
  let provider: RunningProvider = await startLedgerProvider({ port, orders: ordersFile, db });
  cleanups.push(() => provider.stop());
  const relay = await startAnswerRelay(port);
  cleanups.push(() => relay.close());
  const sandbox = await startTestSandbox(provider.url.replace(`:${port}/`, `:${relay.port}/`));
  cleanups.push(() => sandbox.close());

  // Every invoice is opened first (GetOrderDetails while the provider is up); paying is then only form posts.
  const pages: string[] = [];
  for (const order of orders) pages.push((await openInvoice(sandbox.url, order.orderKey)).page);

  // The kill comes while the worker is delivering: some confirmed, the rest in flight or queued.
  // Once a few are confirmed, answers are held back; as soon as one answer is held (the provider
  // committed that payment and answered), the provider is SIGKILLed and the connections cut.
  let atKill: { confirmed: number; payments: number; heldAnswers: number } | undefined;
  const killer = (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const payments = sandbox.store.payments();
      const confirmed = payments.filter((p) => p.state === "confirmed").length;
      if (confirmed >= HOLD_AFTER_CONFIRMED) relay.holdAnswers();
      if (relay.heldAnswers > 0) {
        await killHard(provider);
        atKill = { confirmed, payments: payments.length, heldAnswers: relay.heldAnswers };
        relay.cut();
        return;
      }
      await sleep(1);
    }
  })();
  const paid = await Promise.all(orders.map((order, i) => submitPay(sandbox.url, pages[i]!, order.partial ? { "amount.0": order.paid } : {})));
  for (const answer of paid) expect(answer.status, answer.body.slice(0, 300)).toBe(303);
  const paymentIds = paid.map((answer) => paymentIdOf(answer.location!)!);
  await killer;
  expect(atKill, "the provider was killed during the run").toBeDefined();
  expect(atKill!.confirmed).toBeLessThan(ORDER_COUNT);

  // The sandbox keeps trying the dead provider: failed attempts pile up while it is down.
  await eventually(() => (paymentIds.some((id) => sandbox.store.attempts(id).some((a) => a.outcome === "unreachable")) ? true : undefined), "a failed delivery to the killed provider");
  const pendingWhileDown = sandbox.store.payments().filter((p) => p.state === "pending").length;
  expect(pendingWhileDown).toBeGreaterThan(0);
  // Payments the killed provider had recorded but the sandbox still holds pending: their answer was
  // lost, so the sandbox must deliver them again, and the provider must not apply them again.
  const lostAnswers = await (async () => {
    const ledger = await openPaymentLedger(db);
    try {
      return (await ledger.paymentIds()).filter((id) => sandbox.store.payment(id)?.state === "pending");
    } finally {
      await ledger.close();
    }
  })();
  expect(lostAnswers.length, "a payment was committed by the killed provider and its answer lost").toBeGreaterThan(0);

  provider = await startLedgerProvider({ port, orders: ordersFile, db });
  await eventually(
    () => (paymentIds.every((id) => sandbox.store.payment(id)?.state === "confirmed") ? true : undefined),
    "every payment confirmed after the restart",
    60_000,
  );

  // The sandbox: each payment confirmed by exactly one successful attempt, and no attempt after it.
  for (const id of paymentIds) {
    const attempts = sandbox.store.attempts(id);
    expect(attempts.filter((a) => a.outcome === "confirmed"), id).toHaveLength(1);
    expect(attempts.at(-1)!.outcome).toBe("confirmed");
    expect(attempts.filter((a) => a.outcome === "fault"), `${id}: no delivery was refused with a fault`).toEqual([]);
  }

  // The provider's view, through the wire: each order owes exactly what is left after one payment.
  const client = mpayClient(provider.url);
  for (const order of orders) {
    const [details] = (await client.GetOrderDetails({ query: { OrderKey: order.orderKey, ServiceID: CRASH_SERVICE_ID } })).GetOrderDetailsResult ?? [];
    expect(details?.Status, order.orderKey).toBe(order.partial ? "PartiallyPaid" : "Paid");
    const left = (Number(order.totalDue) - Number(order.paid)).toFixed(2);
    expect(details?.TotalAmountDue, `${order.orderKey}: due after one payment of ${order.paid}`).toBe(left);
  }
  await provider.stop();

  // The ledger: every PaymentID exactly once, with its order and amount; repeats counted, never applied again.
  const ledger = await openPaymentLedger(db);
  try {
    const recorded = await ledger.paymentIds();
    expect(new Set(recorded).size).toBe(recorded.length);
    expect([...recorded].sort()).toEqual([...paymentIds].sort());
    let repeated = 0;
    for (const [i, id] of paymentIds.entries()) {
      const payment = await ledger.payment(id);
      const sent = sandbox.store.payment(id)!.confirmation;
      expect(payment?.orderKey, id).toBe(orders[i]!.orderKey);
      expect(payment?.totalAmount, id).toBe(orders[i]!.paid);
      expect(payment?.totalAmount).toBe(sent.TotalAmount);
      expect(payment?.deliveries).toBeGreaterThanOrEqual(lostAnswers.includes(id) ? 2 : 1);
      if (payment!.deliveries > 1) repeated++;
    }
    expect(await ledger.conflicts()).toEqual([]);
    expect(repeated).toBeGreaterThanOrEqual(lostAnswers.length);
    console.info(
      `crash run (${ledger.dialect}): killed with ${atKill!.confirmed}/${ORDER_COUNT} confirmed, ${atKill!.payments} paid, ${atKill!.heldAnswers} answers held back; ` +
        `${pendingWhileDown} pending while down, ${lostAnswers.length} of them already recorded (answer lost); ${repeated} PaymentIDs delivered more than once`,
    );
  } finally {
    await ledger.close();
  }
}

describe("provider killed in the middle of a run, restarted with the same ledger", () => {
  it("SQLite ledger: the sandbox's retries complete every payment exactly once", async () => {
    await crashRun(join(tempDir(), "payments.db"));
  }, 120_000);

  if (postgresUrl !== undefined) {
    it("PostgreSQL ledger: the sandbox's retries complete every payment exactly once", async () => {
      const database = await throwawayPostgresDatabase(postgresUrl);
      cleanups.unshift(() => database.drop());
      await crashRun(database.url);
    }, 120_000);
  } else if (process.env["CI"] === "true") {
    it("PostgreSQL ledger: is tested under CI", () => {
      throw new Error("CI=true requires the PostgreSQL crash-recovery test, but MPAY_TEST_PG_URL is not set: CI runs it through scripts/test-postgres.sh");
    });
  } else {
    it.skip("PostgreSQL ledger: SKIPPED, MPAY_TEST_PG_URL is not set (run through `bash scripts/test-postgres.sh`)", () => undefined);
  }
});
