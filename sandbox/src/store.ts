/**
 * The sandbox's own records, in one SQLite file through Node's built-in `node:sqlite` (no native
 * build, no server): the invoices it made from the provider's orders, the payment sessions
 * (checkouts) opened by `/service/pay`, the payments taken, and every ConfirmOrderPayment attempt.
 * Pending confirmations live here, so a restarted sandbox resumes delivering them.
 *
 * One sandbox process per database file: the retry worker keeps the payments it is sending in
 * memory, and a second process would send them too (harmless to a correct provider, which must
 * accept repeats, but noisy).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLOutputValue } from "node:sqlite";
import type { OrderDetails, PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { isLanguage, type Language } from "./i18n.ts";

/** MPay's invoice for one order, made or updated from the provider's latest GetOrderDetails answer. */
export interface InvoiceRecord {
  readonly invoiceId: string;
  readonly serviceId: string;
  readonly orderKey: string;
  /** The order as the provider last described it. */
  readonly order: OrderDetails;
  /** Changes whenever the order's content changes: a pay form carries it to detect a stale page. */
  readonly version: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One visit to the pay page: what to pay, where to send the browser back, in which language. */
export interface CheckoutRecord {
  readonly checkoutId: string;
  readonly invoiceId: string;
  readonly returnUrl: string | undefined;
  readonly language: Language;
  readonly createdAt: Date;
}

export type PaymentState = "pending" | "confirmed";

/** A payment the sandbox took, and where its confirmation to the provider stands. */
export interface PaymentRecord {
  readonly paymentId: string;
  readonly checkoutId: string | undefined;
  readonly invoiceId: string;
  readonly serviceId: string;
  readonly orderKey: string;
  readonly currency: string;
  readonly totalAmount: string;
  /** As sent: Moldovan local time without an offset. */
  readonly paidAt: string;
  /** The ConfirmOrderPayment content, the same on every attempt. */
  readonly confirmation: PaymentConfirmation;
  readonly state: PaymentState;
  readonly attempts: number;
  /** When the next attempt is due (pending payments only). */
  readonly nextAttemptAt: Date | undefined;
  readonly confirmedAt: Date | undefined;
  readonly createdAt: Date;
}

/** How one ConfirmOrderPayment attempt ended. */
export type AttemptOutcome =
  /** The provider answered without a fault: MPay treats the payment as confirmed. */
  | "confirmed"
  /** The provider answered with a SOAP fault. */
  | "fault"
  /** No answer: refused connection, timeout, TLS failure, an HTTP answer that is not SOAP. */
  | "unreachable"
  /** An answer arrived but could not be accepted (bad signature, does not fit the schema). */
  | "rejected";

export interface AttemptRecord {
  readonly paymentId: string;
  readonly number: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly outcome: AttemptOutcome;
  readonly faultCode: string | undefined;
  readonly message: string | undefined;
  /** When the next attempt is due, for a failed one. */
  readonly nextRetryAt: Date | undefined;
}

/** The result of an attempt, to record with {@link SandboxStore.recordAttempt}. */
export type AttemptResult =
  | { readonly outcome: "confirmed" }
  | { readonly outcome: Exclude<AttemptOutcome, "confirmed">; readonly faultCode?: string; readonly message: string; readonly nextAttemptAt: Date };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS invoices (
  invoice_id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  order_json TEXT NOT NULL,
  version TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (service_id, order_key)
);
CREATE TABLE IF NOT EXISTS checkouts (
  checkout_id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES invoices (invoice_id),
  return_url TEXT,
  language TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS payments (
  payment_id TEXT PRIMARY KEY,
  checkout_id TEXT UNIQUE REFERENCES checkouts (checkout_id),
  invoice_id TEXT NOT NULL REFERENCES invoices (invoice_id),
  service_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_amount TEXT NOT NULL,
  paid_at TEXT NOT NULL,
  confirmation_json TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  confirmed_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_due ON payments (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS payments_order ON payments (service_id, order_key);
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  payment_id TEXT NOT NULL REFERENCES payments (payment_id),
  number INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'fault', 'unreachable', 'rejected')),
  fault_code TEXT,
  message TEXT,
  next_retry_at INTEGER,
  UNIQUE (payment_id, number)
);
`;

type Row = Record<string, SQLOutputValue>;

const text = (row: Row, column: string): string => {
  const v = row[column];
  if (typeof v !== "string") throw new Error(`sandbox store: column ${column} is not text`);
  return v;
};
const optionalText = (row: Row, column: string): string | undefined => (row[column] === null ? undefined : text(row, column));
const int = (row: Row, column: string): number => Number(row[column]);
const optionalDate = (row: Row, column: string): Date | undefined => (row[column] === null ? undefined : new Date(int(row, column)));

function versionOf(orderJson: string): string {
  return createHash("sha256").update(orderJson).digest("hex").slice(0, 16);
}

export class SandboxStore {
  readonly #db: DatabaseSync;

  /** Opens (creating if needed) the database file; `:memory:` for a throwaway one. */
  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
    this.#db.exec(SCHEMA);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Creates the order's invoice, or updates it with the provider's latest answer (the latest wins). */
  saveInvoice(order: OrderDetails, now = new Date()): InvoiceRecord {
    const orderJson = JSON.stringify(order);
    const version = versionOf(orderJson);
    return this.#transaction(() => {
      const existing = this.#db.prepare("SELECT invoice_id FROM invoices WHERE service_id = ? AND order_key = ?").get(order.ServiceID, order.OrderKey) as Row | undefined;
      if (existing === undefined) {
        this.#db
          .prepare("INSERT INTO invoices (invoice_id, service_id, order_key, order_json, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .run(randomUUID(), order.ServiceID, order.OrderKey, orderJson, version, now.getTime(), now.getTime());
      } else {
        this.#db
          .prepare("UPDATE invoices SET order_json = ?, version = ?, updated_at = ? WHERE invoice_id = ? AND order_json <> ?")
          .run(orderJson, version, now.getTime(), text(existing, "invoice_id"), orderJson);
      }
      return this.invoiceFor(order.ServiceID, order.OrderKey)!;
    });
  }

  #invoice(row: Row | undefined): InvoiceRecord | undefined {
    if (row === undefined) return undefined;
    return {
      invoiceId: text(row, "invoice_id"),
      serviceId: text(row, "service_id"),
      orderKey: text(row, "order_key"),
      order: JSON.parse(text(row, "order_json")) as OrderDetails,
      version: text(row, "version"),
      createdAt: new Date(int(row, "created_at")),
      updatedAt: new Date(int(row, "updated_at")),
    };
  }

  invoice(invoiceId: string): InvoiceRecord | undefined {
    return this.#invoice(this.#db.prepare("SELECT * FROM invoices WHERE invoice_id = ?").get(invoiceId) as Row | undefined);
  }

  invoiceFor(serviceId: string, orderKey: string): InvoiceRecord | undefined {
    return this.#invoice(this.#db.prepare("SELECT * FROM invoices WHERE service_id = ? AND order_key = ?").get(serviceId, orderKey) as Row | undefined);
  }

  createCheckout(invoiceId: string, returnUrl: string | undefined, language: Language, now = new Date()): CheckoutRecord {
    const checkoutId = randomUUID();
    this.#db.prepare("INSERT INTO checkouts (checkout_id, invoice_id, return_url, language, created_at) VALUES (?, ?, ?, ?, ?)").run(checkoutId, invoiceId, returnUrl ?? null, language, now.getTime());
    return this.checkout(checkoutId)!;
  }

  checkout(checkoutId: string): CheckoutRecord | undefined {
    const row = this.#db.prepare("SELECT * FROM checkouts WHERE checkout_id = ?").get(checkoutId) as Row | undefined;
    if (row === undefined) return undefined;
    const language = text(row, "language");
    return {
      checkoutId: text(row, "checkout_id"),
      invoiceId: text(row, "invoice_id"),
      returnUrl: optionalText(row, "return_url"),
      language: isLanguage(language) ? language : "ro",
      createdAt: new Date(int(row, "created_at")),
    };
  }

  /**
   * Records a payment due for confirmation now. A checkout takes one payment: when it already has
   * one (a pay form submitted twice), that one is returned and nothing is recorded.
   */
  recordPayment(input: { readonly checkoutId: string | undefined; readonly invoiceId: string; readonly confirmation: PaymentConfirmation }, now = new Date()): { readonly payment: PaymentRecord; readonly created: boolean } {
    const c = input.confirmation;
    return this.#transaction(() => {
      if (input.checkoutId !== undefined) {
        const existing = this.#db.prepare("SELECT payment_id FROM payments WHERE checkout_id = ?").get(input.checkoutId) as Row | undefined;
        if (existing !== undefined) return { payment: this.payment(text(existing, "payment_id"))!, created: false };
      }
      this.#db
        .prepare(
          `INSERT INTO payments (payment_id, checkout_id, invoice_id, service_id, order_key, currency, total_amount, paid_at, confirmation_json, state, attempts, next_attempt_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
        )
        .run(c.PaymentID, input.checkoutId ?? null, input.invoiceId, c.ServiceID, c.OrderKey, c.Currency, c.TotalAmount, c.PaidAt, JSON.stringify(c), now.getTime(), now.getTime());
      return { payment: this.payment(c.PaymentID)!, created: true };
    });
  }

  #payment(row: Row): PaymentRecord {
    const state = text(row, "state");
    return {
      paymentId: text(row, "payment_id"),
      checkoutId: optionalText(row, "checkout_id"),
      invoiceId: text(row, "invoice_id"),
      serviceId: text(row, "service_id"),
      orderKey: text(row, "order_key"),
      currency: text(row, "currency"),
      totalAmount: text(row, "total_amount"),
      paidAt: text(row, "paid_at"),
      confirmation: JSON.parse(text(row, "confirmation_json")) as PaymentConfirmation,
      state: state === "confirmed" ? "confirmed" : "pending",
      attempts: int(row, "attempts"),
      nextAttemptAt: state === "confirmed" ? undefined : optionalDate(row, "next_attempt_at"),
      confirmedAt: optionalDate(row, "confirmed_at"),
      createdAt: new Date(int(row, "created_at")),
    };
  }

  payment(paymentId: string): PaymentRecord | undefined {
    const row = this.#db.prepare("SELECT * FROM payments WHERE payment_id = ?").get(paymentId) as Row | undefined;
    return row === undefined ? undefined : this.#payment(row);
  }

  paymentForCheckout(checkoutId: string): PaymentRecord | undefined {
    const row = this.#db.prepare("SELECT * FROM payments WHERE checkout_id = ?").get(checkoutId) as Row | undefined;
    return row === undefined ? undefined : this.#payment(row);
  }

  /** The newest payments first. */
  payments(limit = 200): PaymentRecord[] {
    return (this.#db.prepare("SELECT * FROM payments ORDER BY created_at DESC, rowid DESC LIMIT ?").all(limit) as Row[]).map((r) => this.#payment(r));
  }

  paymentsForOrder(serviceId: string, orderKey: string): PaymentRecord[] {
    return (this.#db.prepare("SELECT * FROM payments WHERE service_id = ? AND order_key = ? ORDER BY created_at, rowid").all(serviceId, orderKey) as Row[]).map((r) => this.#payment(r));
  }

  /** Pending payments whose next attempt is due at `now`, the longest waiting first. */
  duePayments(now: Date, limit: number): PaymentRecord[] {
    return (
      this.#db.prepare("SELECT * FROM payments WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT ?").all(now.getTime(), limit) as Row[]
    ).map((r) => this.#payment(r));
  }

  /** When the earliest pending attempt is due, or undefined when nothing is pending. */
  nextDue(): Date | undefined {
    const row = this.#db.prepare("SELECT MIN(next_attempt_at) AS due FROM payments WHERE state = 'pending'").get() as Row | undefined;
    return row === undefined || row.due === null ? undefined : new Date(int(row, "due"));
  }

  /** How many payments wait for their confirmation. */
  pendingCount(): number {
    const row = this.#db.prepare("SELECT COUNT(*) AS n FROM payments WHERE state = 'pending'").get() as Row;
    return int(row, "n");
  }

  /** Records one attempt and moves the payment on: confirmed, or due again at the given time. */
  recordAttempt(paymentId: string, startedAt: Date, durationMs: number, result: AttemptResult): AttemptRecord {
    return this.#transaction(() => {
      const row = this.#db.prepare("SELECT attempts, state FROM payments WHERE payment_id = ?").get(paymentId) as Row | undefined;
      if (row === undefined) throw new Error(`sandbox store: no payment ${paymentId}`);
      const number = int(row, "attempts") + 1;
      const failed = result.outcome === "confirmed" ? undefined : result;
      this.#db
        .prepare("INSERT INTO attempts (payment_id, number, started_at, duration_ms, outcome, fault_code, message, next_retry_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(paymentId, number, startedAt.getTime(), Math.round(durationMs), result.outcome, failed?.faultCode ?? null, failed?.message ?? null, failed?.nextAttemptAt.getTime() ?? null);
      if (failed === undefined) {
        this.#db.prepare("UPDATE payments SET state = 'confirmed', attempts = ?, next_attempt_at = NULL, confirmed_at = ? WHERE payment_id = ?").run(number, startedAt.getTime() + Math.round(durationMs), paymentId);
      } else {
        this.#db.prepare("UPDATE payments SET attempts = ?, next_attempt_at = ? WHERE payment_id = ?").run(number, failed.nextAttemptAt.getTime(), paymentId);
      }
      return this.attempts(paymentId).at(-1)!;
    });
  }

  attempts(paymentId: string): AttemptRecord[] {
    return (this.#db.prepare("SELECT * FROM attempts WHERE payment_id = ? ORDER BY number").all(paymentId) as Row[]).map((row) => {
      const outcome = text(row, "outcome") as AttemptOutcome;
      return {
        paymentId: text(row, "payment_id"),
        number: int(row, "number"),
        startedAt: new Date(int(row, "started_at")),
        durationMs: int(row, "duration_ms"),
        outcome,
        faultCode: optionalText(row, "fault_code"),
        message: optionalText(row, "message"),
        nextRetryAt: optionalDate(row, "next_retry_at"),
      };
    });
  }

  /** Makes a pending payment due now (the payments page's "retry now"); false when it is not pending. */
  retryNow(paymentId: string, now = new Date()): boolean {
    return Number(this.#db.prepare("UPDATE payments SET next_attempt_at = ? WHERE payment_id = ? AND state = 'pending'").run(now.getTime(), paymentId).changes) === 1;
  }
}
