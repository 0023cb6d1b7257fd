/**
 * The payment ledger on each store (describe.each over SQLite and PostgreSQL): exactly once for
 * sequential and concurrent repeats, conflicting content refused and kept, the user's writes
 * committed and rolled back with the payment's record, and a failing durable write that records
 * nothing and applies nothing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  canonicalDecimal,
  LedgerWriteFailed,
  PaymentContentConflict,
  paymentContent,
  serializeContent,
  type PaymentLedger,
} from "../../provider/src/store/index.ts";
import { fault } from "@mpay-kit/mpay-service-provider";
import {
  confirmation,
  postgresMissing,
  postgresRequired,
  pressurePlan,
  pressureViolations,
  recordApplication,
  signedDelivery,
  storeFactories,
  type StoreUnderTest,
} from "./helpers-store.ts";
import { testPki } from "../helpers/pki.ts";

// The test PKI takes seconds of RSA key generation: made before the tests' clocks start.
beforeAll(() => {
  testPki();
});

describe("canonical content of a PaymentConfirmation", () => {
  it("decimals are compared exactly: trailing zeros, leading zeros and + do not matter; float-equal values still differ", () => {
    expect(canonicalDecimal("9267.00")).toBe("9267");
    expect(canonicalDecimal("+09267.0")).toBe("9267");
    expect(canonicalDecimal("0.10")).toBe("0.1");
    expect(canonicalDecimal("-0.00")).toBe("0");
    expect(canonicalDecimal(".5")).toBe("0.5");
    expect(canonicalDecimal("-1.50")).toBe("-1.5");
    // 0.1 + 0.2 === 0.30000000000000004 as floats; as decimals these are three different amounts.
    expect(canonicalDecimal("0.30000000000000004")).not.toBe(canonicalDecimal("0.3"));
    expect(canonicalDecimal("12345678901234567890.01")).toBe("12345678901234567890.01");
    expect(() => canonicalDecimal("1e3")).toThrow(RangeError);
    expect(() => canonicalDecimal("")).toThrow(RangeError);
  });

  it("the lines are a multiset of (LineID, Amount); PaidAt, InvoiceID and properties are not content", () => {
    const a = confirmation("P1", { TotalAmount: "30.00", Lines: [{ LineID: "A", Amount: "10.00" }, null, { LineID: "B", Amount: "20" }] });
    const b = confirmation("P1", {
      TotalAmount: "30",
      Lines: [{ LineID: "B", Amount: "20.00", Properties: [{ Name: "HO:x", Value: "y" }] }, { LineID: "A", Amount: "10" }],
      PaidAt: "2025-07-10T10:51:23.000",
      InvoiceID: "INV-9",
    });
    expect(serializeContent(paymentContent(a))).toBe(serializeContent(paymentContent(b)));
    for (const changed of [
      { ...a, TotalAmount: "30.01" },
      { ...a, OrderKey: "other" },
      { ...a, ServiceID: "other" },
      { ...a, Currency: "EUR" as const },
      { ...a, Lines: [{ LineID: "A", Amount: "20.00" }, { LineID: "B", Amount: "10" }] },
      { ...a, Lines: [{ LineID: "A", Amount: "10.00" }] },
    ]) {
      expect(serializeContent(paymentContent(changed))).not.toBe(serializeContent(paymentContent(a)));
    }
  });
});

if (postgresMissing !== undefined) {
  if (postgresRequired) {
    describe("PostgreSQL store", () => {
      it("is tested under CI", () => {
        throw new Error(`CI=true requires the PostgreSQL store tests, but MPAY_TEST_PG_URL is not set: CI runs them through scripts/test-postgres.sh`);
      });
    });
  } else {
    process.stderr.write(`${postgresMissing}\n`);
    describe.skip(postgresMissing, () => {
      it("PostgreSQL store", () => {});
    });
  }
}

describe.each(storeFactories)("$name ledger", (factory) => {
  let store: StoreUnderTest;
  let ledger: PaymentLedger<unknown>;
  beforeEach(async () => {
    store = await factory.open();
    ledger = store.ledger;
  });
  afterEach(async () => {
    await store.dispose();
  });

  const applications = async (paymentId?: string) =>
    paymentId === undefined
      ? store.sql<{ payment_id: string; amount: string; applied_by: string }>(`SELECT payment_id, amount, applied_by FROM ${store.applications} ORDER BY payment_id`)
      : store.sql<{ payment_id: string; amount: string; applied_by: string }>(`SELECT payment_id, amount, applied_by FROM ${store.applications} WHERE payment_id = $1`, [paymentId]);

  it("applies the first delivery once; sequential repeats answer repeat and apply nothing", async () => {
    const c = confirmation("SEQ-1", { TotalAmount: "9267.00", Lines: [{ LineID: "L1", Amount: "9267.00" }] });
    let applied = 0;
    const apply = async (x: typeof c, tx: Parameters<Parameters<typeof ledger.confirmOnce>[2]>[1]) => {
      applied++;
      await recordApplication(tx, store.applications, x, "test");
    };
    const t0 = new Date("2026-01-01T10:00:00.000Z");
    const first = await ledger.confirmOnce(c, signedDelivery(c, t0), apply);
    expect(first).toEqual({ outcome: "applied", paymentId: "SEQ-1" });
    // The same payment spelled "9267" instead of "9267.00": the same amount, a repeat.
    const again = { ...c, TotalAmount: "9267", Lines: [{ LineID: "L1", Amount: "9267" }] };
    const t1 = new Date("2026-01-01T10:00:05.000Z");
    const second = await ledger.confirmOnce(again, signedDelivery(again, t1), apply);
    expect(second).toMatchObject({ outcome: "repeat", deliveries: 2 });
    expect(second.outcome === "repeat" && second.firstReceivedAt.getTime()).toBe(t0.getTime());
    const third = await ledger.confirmOnce(c, signedDelivery(c, new Date("2026-01-01T10:00:03.000Z")), apply);
    expect(third).toMatchObject({ outcome: "repeat", deliveries: 3 });
    expect(applied).toBe(1);
    expect(await applications("SEQ-1")).toHaveLength(1);
    const recorded = await ledger.payment("SEQ-1");
    expect(recorded).toMatchObject({ paymentId: "SEQ-1", serviceId: "DEMO01", orderKey: "ORD-SEQ-1", currency: "MDL", totalAmount: "9267.00", deliveries: 3 });
    expect(recorded!.firstReceivedAt.toISOString()).toBe(t0.toISOString());
    // The latest time received, even though the last repeat was received earlier than the second.
    expect(recorded!.lastReceivedAt.toISOString()).toBe(t1.toISOString());
    expect(recorded!.confirmation).toEqual(c);
    expect(await ledger.paymentIds()).toEqual(["SEQ-1"]);
  });

  it("keeps the first delivery's exact request bytes and the signer's certificate", async () => {
    const c = confirmation("EVI-1");
    const delivery = signedDelivery(c);
    await ledger.confirmOnce(c, delivery, () => {});
    await ledger.confirmOnce(c, signedDelivery(c), () => {});
    const recorded = await ledger.payment("EVI-1");
    expect(Buffer.from(recorded!.request).equals(Buffer.from(delivery.request))).toBe(true);
    expect(Buffer.from(recorded!.signerCertificate!).equals(Buffer.from(testPki().mpay.certificate.raw))).toBe(true);
    // An unsigned delivery (WS-Security off) is recorded without a certificate.
    const u = confirmation("EVI-2");
    await ledger.confirmOnce(u, { request: Buffer.from("<unsigned/>"), receivedAt: new Date() }, () => {});
    expect((await ledger.payment("EVI-2"))!.signerCertificate).toBeUndefined();
  });

  it("the same PaymentID with other content is refused, kept as a conflict, and not applied", async () => {
    const c = confirmation("CONF-1", { TotalAmount: "150.00", Lines: [{ LineID: "L1", Amount: "150.00" }] });
    let applied = 0;
    const apply = async (x: typeof c, tx: Parameters<Parameters<typeof ledger.confirmOnce>[2]>[1]) => {
      applied++;
      await recordApplication(tx, store.applications, x, "test");
    };
    await ledger.confirmOnce(c, signedDelivery(c), apply);
    const other = { ...c, TotalAmount: "150.01", Lines: [{ LineID: "L1", Amount: "150.01" }] };
    const otherDelivery = signedDelivery(other);
    const error = await ledger.confirmOnce(other, otherDelivery, apply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentContentConflict);
    expect((error as PaymentContentConflict).difference).toBe("TotalAmount 150.01 (recorded 150); Lines [L1=150.01] (recorded [L1=150])");
    const otherOrder = { ...c, OrderKey: "ORD-ELSEWHERE" };
    await expect(ledger.confirmOnce(otherOrder, signedDelivery(otherOrder), apply)).rejects.toThrow(/OrderKey ORD-ELSEWHERE \(recorded ORD-CONF-1\)/);
    expect(applied).toBe(1);
    expect(await applications("CONF-1")).toEqual([{ payment_id: "CONF-1", amount: "150.00", applied_by: "test" }]);
    const recorded = await ledger.payment("CONF-1");
    expect(recorded).toMatchObject({ totalAmount: "150.00", deliveries: 1 });
    const conflicts = await ledger.conflicts("CONF-1");
    expect(conflicts).toHaveLength(2);
    expect(conflicts[0]!.content.totalAmount).toBe("150.01");
    expect(Buffer.from(conflicts[0]!.request).equals(Buffer.from(otherDelivery.request))).toBe(true);
    expect(conflicts[1]!.content.orderKey).toBe("ORD-ELSEWHERE");
    expect(await ledger.conflicts()).toHaveLength(2);
    // The original content is still a repeat afterwards.
    expect(await ledger.confirmOnce(c, signedDelivery(c), apply)).toMatchObject({ outcome: "repeat", deliveries: 2 });
  });

  it("a delivery that apply refuses (a contract fault) records nothing and rolls the user's writes back; a later one applies", async () => {
    const c = confirmation("REF-1");
    const refusing = async (x: typeof c, tx: Parameters<Parameters<typeof ledger.confirmOnce>[2]>[1]) => {
      await recordApplication(tx, store.applications, x, "refused");
      throw fault("UnknownOrder", "not yet");
    };
    await expect(ledger.confirmOnce(c, signedDelivery(c), refusing)).rejects.toMatchObject({ code: "UnknownOrder" });
    expect(await ledger.payment("REF-1")).toBeUndefined();
    expect(await applications("REF-1")).toEqual([]);
    await ledger.confirmOnce(c, signedDelivery(c), (x, tx) => recordApplication(tx, store.applications, x, "accepted"));
    expect(await applications("REF-1")).toEqual([{ payment_id: "REF-1", amount: "150.00", applied_by: "accepted" }]);
  });

  it("when the durable write fails: LedgerWriteFailed, nothing recorded, the user's writes rolled back; the retry applies once", async () => {
    // A real failure of the store, after the user's writes: the database itself refuses the record.
    if (factory.name === "sqlite") {
      await store.sql(`CREATE TRIGGER refuse_records BEFORE INSERT ON mpay_payments BEGIN SELECT RAISE(ABORT, 'disk quota exceeded (test)'); END`);
    } else {
      await store.sql(`CREATE FUNCTION "${store.schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk quota exceeded (test)'; END $$`);
      await store.sql(`CREATE TRIGGER refuse_records BEFORE INSERT ON "${store.schema}".mpay_payments FOR EACH ROW EXECUTE FUNCTION "${store.schema}".refuse()`);
    }
    const c = confirmation("DUR-1");
    let applied = 0;
    const apply = async (x: typeof c, tx: Parameters<Parameters<typeof ledger.confirmOnce>[2]>[1]) => {
      applied++;
      await recordApplication(tx, store.applications, x, "test");
    };
    const error = await ledger.confirmOnce(c, signedDelivery(c), apply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerWriteFailed);
    expect((error as Error).message).toMatch(/record the payment: .*disk quota exceeded \(test\)/);
    expect(applied).toBe(1);
    expect(await ledger.payment("DUR-1")).toBeUndefined();
    expect(await applications("DUR-1")).toEqual([]);
    // The store works again: MPay's retry applies the payment, once.
    await store.sql(factory.name === "sqlite" ? "DROP TRIGGER refuse_records" : `DROP TRIGGER refuse_records ON "${store.schema}".mpay_payments`);
    expect(await ledger.confirmOnce(c, signedDelivery(c), apply)).toMatchObject({ outcome: "applied" });
    expect(await ledger.confirmOnce(c, signedDelivery(c), apply)).toMatchObject({ outcome: "repeat" });
    expect(await applications("DUR-1")).toHaveLength(1);
    expect(applied).toBe(2);
  });

  it("a closed store is a LedgerWriteFailed, not a success", async () => {
    const other = await store.reopen();
    await other.close();
    await expect(other.confirmOnce(confirmation("CLOSED-1"), signedDelivery(confirmation("CLOSED-1")), () => {})).rejects.toBeInstanceOf(LedgerWriteFailed);
    await expect(other.check()).rejects.toBeInstanceOf(LedgerWriteFailed);
    await expect(ledger.check()).resolves.toBeUndefined();
  });

  it("exactly once under pressure: 200 concurrent deliveries of 50 PaymentIDs (4 copies, some conflicting), over two ledgers on one store", async () => {
    const second = await store.reopen();
    const plan = pressurePlan("PRS");
    // Signed up front: the run measures the store, not RSA.
    const deliveries = plan.map((d) => signedDelivery(d.confirmation));
    const outcomes = await Promise.all(
      plan.map(async (d, i) => {
        const target = i % 2 === 0 ? ledger : second;
        try {
          await target.confirmOnce(d.confirmation, deliveries[i]!, async (x, tx) => {
            // Give the other deliveries a chance to interleave inside the transaction.
            await new Promise((resolve) => setImmediate(resolve));
            await recordApplication(tx, store.applications, x, i % 2 === 0 ? "first" : "second");
          });
          return "success" as const;
        } catch (error) {
          return error instanceof PaymentContentConflict ? ("conflict" as const) : ("other" as const);
        }
      }),
    );
    const recorded = new Map<string, { totalAmount: string; deliveries: number }>();
    for (const id of await ledger.paymentIds()) recorded.set(id, (await ledger.payment(id))!);
    expect(pressureViolations(plan, outcomes, await applications(), recorded)).toEqual([]);
    expect(recorded.size).toBe(50);
    expect(outcomes.filter((o) => o === "conflict").length).toBe((await ledger.conflicts()).length);
    expect(outcomes.filter((o) => o === "other")).toEqual([]);
  }, 60_000);
});
