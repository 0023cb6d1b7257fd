/**
 * Shared pieces of the store tests: one factory per store (a fresh SQLite file, or a fresh
 * PostgreSQL schema on the server MPAY_TEST_PG_URL names), the user's own table that `apply`
 * writes to, confirmations, and requests signed the way MPay signs them.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { encodeElementToString, writeEnvelope } from "@mpay-kit/runtime";
import { signEnvelope } from "@mpay-kit/runtime/security";
import { ServiceProviderService, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { canonicalDecimal, PostgresPaymentLedger, SqlitePaymentLedger, type LedgerTransaction, type PaymentLedger } from "../../provider/src/store/index.ts";
import { testPki } from "../helpers/pki.ts";

/** The PostgreSQL server of the tests (scripts/test-postgres.sh sets it). */
export const postgresUrl: string | undefined = process.env["MPAY_TEST_PG_URL"] || undefined;

/** Under CI the PostgreSQL store must be tested: a missing server is a failure there, a skip elsewhere. */
export const postgresRequired = process.env["CI"] === "true";

/** One store under test: a ledger on fresh tables, and the user's table beside it. */
export interface StoreUnderTest {
  readonly ledger: PaymentLedger<unknown>;
  /** Where a second process finds the same store (`--db`), and its schema (PostgreSQL). */
  readonly location: string;
  readonly schema: string | undefined;
  /** The user's table `apply` writes one row per application to (qualified for PostgreSQL). */
  readonly applications: string;
  /** Runs SQL outside the ledger (to set up failures, to count rows). */
  sql<Row extends object = Record<string, unknown>>(text: string, params?: readonly (string | number)[]): Promise<Row[]>;
  /** A ledger of its own on the same tables (another connection). */
  reopen(): Promise<PaymentLedger<unknown>>;
  dispose(): Promise<void>;
}

export interface StoreFactory {
  readonly name: "sqlite" | "postgres";
  open(): Promise<StoreUnderTest>;
}

const APPLICATIONS_DDL = (table: string) => `CREATE TABLE ${table} (payment_id TEXT NOT NULL, order_key TEXT NOT NULL, amount TEXT NOT NULL, applied_by TEXT NOT NULL)`;

export const sqliteFactory: StoreFactory = {
  name: "sqlite",
  async open() {
    const dir = mkdtempSync(join(tmpdir(), "mpay-store-"));
    const path = join(dir, "payments.db");
    const ledger = new SqlitePaymentLedger({ path });
    ledger.database.exec(APPLICATIONS_DDL("applications"));
    const opened: SqlitePaymentLedger[] = [ledger];
    return {
      ledger,
      location: path,
      schema: undefined,
      applications: "applications",
      async sql<Row extends object>(text: string, params: readonly (string | number)[] = []) {
        const statement = ledger.database.prepare(text);
        // `$1`, `$2`, … are named parameters in SQLite.
        return (params.length === 0 ? statement.all() : statement.all(Object.fromEntries(params.map((v, i) => [String(i + 1), v])))) as Row[];
      },
      async reopen() {
        const other = new SqlitePaymentLedger({ path });
        opened.push(other);
        return other;
      },
      async dispose() {
        for (const l of opened) await l.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresFactory: StoreFactory = {
  name: "postgres",
  async open() {
    if (postgresUrl === undefined) throw new Error("MPAY_TEST_PG_URL is not set");
    const schema = `mpay_test_${randomBytes(6).toString("hex")}`;
    const admin = new Client({ connectionString: postgresUrl });
    await admin.connect();
    const ledger = await PostgresPaymentLedger.open({ connectionString: postgresUrl, schema, poolConfig: { max: 12 } });
    const applications = `"${schema}".applications`;
    await admin.query(APPLICATIONS_DDL(applications));
    const opened: PostgresPaymentLedger[] = [ledger];
    return {
      ledger,
      location: postgresUrl,
      schema,
      applications,
      async sql<Row extends object>(text: string, params: readonly (string | number)[] = []) {
        return (await admin.query(text, [...params])).rows as Row[];
      },
      async reopen() {
        const other = await PostgresPaymentLedger.open({ connectionString: postgresUrl, schema });
        opened.push(other);
        return other;
      },
      async dispose() {
        for (const l of opened) await l.close();
        await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
        await admin.end();
      },
    };
  },
};

/** The stores the suites run on: SQLite always, PostgreSQL when a server is configured. */
export const storeFactories: readonly StoreFactory[] = postgresUrl === undefined ? [sqliteFactory] : [sqliteFactory, postgresFactory];

/** Why PostgreSQL is not tested, or undefined when it is. */
export const postgresMissing =
  postgresUrl !== undefined
    ? undefined
    : "PostgreSQL store tests SKIPPED: MPAY_TEST_PG_URL is not set (run them through `bash scripts/test-postgres.sh`, which starts a throwaway server)";

/** The user's own write, in the ledger's transaction: one row per application. */
export async function recordApplication(tx: LedgerTransaction<unknown>, table: string, c: PaymentConfirmation, by: string): Promise<void> {
  await tx.query(`INSERT INTO ${table} (payment_id, order_key, amount, applied_by) VALUES ($1, $2, $3, $4)`, [c.PaymentID, c.OrderKey, c.TotalAmount, by]);
}

/** A confirmation of one line; `overrides` change any member. */
export function confirmation(paymentId: string, overrides: Partial<PaymentConfirmation> = {}): PaymentConfirmation {
  const amount = overrides.TotalAmount ?? "150.00";
  return {
    Currency: "MDL",
    Lines: [{ Amount: amount, LineID: "L1" }],
    OrderKey: `ORD-${paymentId}`,
    PaidAt: "2025-07-10T10:51:23",
    PaymentID: paymentId,
    ServiceID: "DEMO01",
    TotalAmount: amount,
    ...overrides,
  };
}

/** The ConfirmOrderPayment request MPay would send for `c`, signed by the test PKI's `mpay` (RSA-SHA1, BinarySecurityToken). */
export function signedRequest(c: PaymentConfirmation, at: Date = new Date()): Uint8Array {
  const operation = ServiceProviderService.operations.ConfirmOrderPayment;
  const envelope = writeEnvelope(encodeElementToString(operation.input, { confirmation: c }));
  const signed = signEnvelope(envelope, { identity: testPki().mpay, algorithm: "rsa-sha1", keyInfo: "bst", now: () => at });
  return Buffer.from(signed, "utf8");
}

/** Evidence of a signed delivery of `c`, received at `at`. */
export function signedDelivery(c: PaymentConfirmation, at: Date = new Date()) {
  return { request: signedRequest(c, at), signer: testPki().mpay.certificate, receivedAt: at };
}

/**
 * The pressure plan: `payments` PaymentIDs × `copies` deliveries; every `conflictEvery`-th payment has
 * one copy with another amount. Shuffled deterministically.
 */
export function pressurePlan(prefix: string, payments = 50, copies = 4, conflictEvery = 5): { confirmation: PaymentConfirmation; variant: "a" | "b" }[] {
  const deliveries: { confirmation: PaymentConfirmation; variant: "a" | "b" }[] = [];
  for (let p = 0; p < payments; p++) {
    const id = `${prefix}-${String(p).padStart(3, "0")}`;
    for (let k = 0; k < copies; k++) {
      const conflicting = p % conflictEvery === 0 && k === copies - 1;
      // Copies of one payment spell the amount differently: equal as decimals, so not a conflict.
      const amount = conflicting ? `${100 + p}.01` : k % 2 === 0 ? `${100 + p}.00` : `${100 + p}`;
      deliveries.push({ confirmation: confirmation(id, { TotalAmount: amount, Lines: [{ Amount: amount, LineID: "L1" }] }), variant: conflicting ? "b" : "a" });
    }
  }
  // A fixed permutation (LCG), so that a failure can be replayed.
  let seed = 20251127;
  for (let i = deliveries.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  return deliveries;
}

/** Checks the outcome of a pressure run; returns a list of violations (empty when exactly-once held). */
export function pressureViolations(
  plan: readonly { confirmation: PaymentConfirmation; variant: "a" | "b" }[],
  outcomes: readonly ("success" | "conflict" | "other")[],
  applications: readonly { payment_id: string; amount: string }[],
  recorded: ReadonlyMap<string, { totalAmount: string; deliveries: number }>,
): string[] {
  const violations: string[] = [];
  const ids = [...new Set(plan.map((d) => d.confirmation.PaymentID))];
  for (const id of ids) {
    const copies = plan.map((d, i) => ({ ...d, outcome: outcomes[i]! })).filter((d) => d.confirmation.PaymentID === id);
    const applied = applications.filter((a) => a.payment_id === id);
    if (applied.length !== 1) violations.push(`${id}: applied ${applied.length} times`);
    const record = recorded.get(id);
    if (record === undefined) {
      violations.push(`${id}: not recorded`);
      continue;
    }
    // The applied variant is the one recorded; copies of it succeed, copies of the other are refused.
    const appliedVariant = copies.find((c) => canonicalDecimal(c.confirmation.TotalAmount) === canonicalDecimal(record.totalAmount))?.variant;
    for (const c of copies) {
      const expected = c.variant === appliedVariant ? "success" : "conflict";
      if (c.outcome !== expected) violations.push(`${id} (${c.variant}, ${c.confirmation.TotalAmount}): ${c.outcome}, expected ${expected}`);
    }
    const successes = copies.filter((c) => c.outcome === "success").length;
    if (record.deliveries !== successes) violations.push(`${id}: ${record.deliveries} deliveries counted, ${successes} answered success`);
    if (applied[0] !== undefined && canonicalDecimal(applied[0].amount) !== canonicalDecimal(record.totalAmount)) violations.push(`${id}: applied ${applied[0].amount}, recorded ${record.totalAmount}`);
  }
  return violations;
}
