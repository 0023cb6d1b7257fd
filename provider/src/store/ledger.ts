/**
 * The payment ledger: applies each MPay PaymentID exactly once and keeps the evidence.
 *
 * One algorithm for every store (`confirmOnce` below), over a small {@link LedgerEngine} that each
 * store implements: a transaction in which the PaymentID is locked against every other delivery of
 * it (in this process and in others), and four statements. Inside that transaction:
 *
 * 1. no record of the PaymentID: the user's `apply` runs with the transaction, then the payment is
 *    recorded with its evidence; both commit together, or neither does;
 * 2. a record with the same content: a repeat. The delivery count goes up; nothing is applied;
 * 3. a record with other content: a conflict. It is recorded (with its own evidence) and refused.
 *
 * Every failure of the store itself (cannot begin, a statement fails, the commit fails) becomes a
 * {@link LedgerWriteFailed}, so that the answer is a fault and MPay retries: there is never a
 * success without the record. Errors thrown by `apply` (e.g. a contract fault) reach the caller
 * unchanged, after the rollback.
 */
import type { X509Certificate } from "node:crypto";
import type { PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { describeDifference, parseContent, paymentContent, serializeContent, type PaymentContent } from "./content.ts";

/** A value a SQL parameter may hold, on both stores. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** Which store a ledger writes to. */
export type LedgerDialect = "sqlite" | "postgres";

/**
 * The open transaction the user's `apply` writes in: the same one that records the payment.
 * `query` takes `$1`, `$2`, … placeholders on both stores; `native` is the store's own handle
 * (`DatabaseSync` for SQLite, a `pg` `PoolClient` for PostgreSQL) for anything else. Do not
 * commit or roll back through it: the ledger does.
 */
export interface LedgerTransaction<Native = unknown> {
  readonly dialect: LedgerDialect;
  readonly native: Native;
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
}

/** What a delivery brings as evidence. */
export interface DeliveryEvidence {
  /** The exact bytes of the HTTP body, as received (the signed SOAP message). */
  readonly request: Uint8Array;
  /** The signer's certificate as the WS-Security layer verified it; absent for an unsigned request. */
  readonly signer?: X509Certificate | undefined;
  /** When the request was received. */
  readonly receivedAt: Date;
}

/** Applies a first delivery: the user's business effect, written through `tx`. Throw to refuse it (nothing is recorded). */
export type ApplyPayment<Native = unknown> = (confirmation: PaymentConfirmation, tx: LedgerTransaction<Native>) => void | Promise<void>;

/** What `confirmOnce` did. */
export type ConfirmOutcome =
  | { readonly outcome: "applied"; readonly paymentId: string }
  | { readonly outcome: "repeat"; readonly paymentId: string; readonly deliveries: number; readonly firstReceivedAt: Date };

/** A payment as the ledger keeps it. */
export interface RecordedPayment {
  readonly paymentId: string;
  readonly serviceId: string;
  readonly orderKey: string;
  readonly currency: string;
  /** TotalAmount as first received (its lexical form, e.g. `9267.00`). */
  readonly totalAmount: string;
  readonly content: PaymentContent;
  /** The whole confirmation of the first delivery, as decoded. */
  readonly confirmation: PaymentConfirmation;
  readonly firstReceivedAt: Date;
  readonly lastReceivedAt: Date;
  /** Deliveries answered with success: 1 for the first, plus each repeat. */
  readonly deliveries: number;
  /** The exact request bytes of the first delivery. */
  readonly request: Uint8Array;
  /** DER of the verified signer's certificate of the first delivery (absent if it was unsigned). */
  readonly signerCertificate: Uint8Array | undefined;
}

/** A delivery refused because its content differs from the recorded payment's. */
export interface RecordedConflict {
  readonly paymentId: string;
  readonly receivedAt: Date;
  readonly content: PaymentContent;
  /** How it differs from the recorded content, in words. */
  readonly difference: string;
  readonly request: Uint8Array;
  readonly signerCertificate: Uint8Array | undefined;
}

/** A delivery of an applied PaymentID with other content: not applied, recorded, refused. */
export class PaymentContentConflict extends Error {
  override readonly name = "PaymentContentConflict";
  readonly paymentId: string;
  readonly recorded: PaymentContent;
  readonly received: PaymentContent;
  readonly difference: string;
  constructor(paymentId: string, recorded: PaymentContent, received: PaymentContent) {
    const difference = describeDifference(recorded, received);
    super(`payment ${paymentId} was already confirmed with other content: ${difference}`);
    this.paymentId = paymentId;
    this.recorded = recorded;
    this.received = received;
    this.difference = difference;
  }
}

/** The store could not do its part (begin, read, write or commit): nothing was recorded by this call. */
export class LedgerWriteFailed extends Error {
  override readonly name = "LedgerWriteFailed";
  constructor(step: string, cause: unknown) {
    super(`the payment ledger failed to ${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The exactly-once ledger of MPay payment confirmations, on one store. */
export interface PaymentLedger<Native = unknown> {
  readonly dialect: LedgerDialect;
  /**
   * Applies `confirmation` once per PaymentID: the first delivery runs `apply` and records the
   * payment with `evidence` in one transaction; a repeat with the same content applies nothing
   * and resolves `repeat`.
   * @throws PaymentContentConflict when the PaymentID was recorded with other content
   * @throws LedgerWriteFailed when the store failed (nothing recorded: answer a fault so MPay retries)
   * @throws whatever `apply` threw (after the rollback)
   */
  confirmOnce(confirmation: PaymentConfirmation, evidence: DeliveryEvidence, apply: ApplyPayment<Native>): Promise<ConfirmOutcome>;
  /** The recorded payment, or `undefined`. */
  payment(paymentId: string): Promise<RecordedPayment | undefined>;
  /** Every recorded PaymentID, oldest first. */
  paymentIds(): Promise<string[]>;
  /** Refused conflicting deliveries (of one PaymentID, or all), oldest first. */
  conflicts(paymentId?: string): Promise<RecordedConflict[]>;
  /** Resolves when the store answers a query (for a health endpoint); rejects otherwise. */
  check(): Promise<void>;
  /** Closes the store (waits for transactions in progress). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The shared algorithm, over what each store provides.

/** The row `lookup` finds. */
export interface PaymentKey {
  readonly content: string;
  readonly deliveries: number;
  readonly firstReceivedAt: Date;
}

/** One transaction in which the PaymentID is held against every other delivery of it. */
export interface LedgerSession<Native> {
  readonly tx: LedgerTransaction<Native>;
  lookup(paymentId: string): Promise<PaymentKey | undefined>;
  recordPayment(row: PaymentRow): Promise<void>;
  recordRepeat(paymentId: string, at: Date): Promise<void>;
  recordConflict(row: ConflictRow): Promise<void>;
}

export interface PaymentRow {
  readonly paymentId: string;
  readonly serviceId: string;
  readonly orderKey: string;
  readonly currency: string;
  readonly totalAmount: string;
  readonly content: string;
  readonly confirmation: string;
  readonly receivedAt: Date;
  readonly request: Uint8Array;
  readonly signerCertificate: Uint8Array | null;
}

export interface ConflictRow {
  readonly paymentId: string;
  readonly receivedAt: Date;
  readonly content: string;
  readonly difference: string;
  readonly request: Uint8Array;
  readonly signerCertificate: Uint8Array | null;
}

/** What a store implements; the ledger does the rest. */
export interface LedgerEngine<Native> {
  /**
   * Runs `work` in a transaction holding `paymentId`: commits when it resolves, rolls back when it
   * throws (rethrowing its error). Failing to begin or to commit throws {@link LedgerWriteFailed}.
   */
  transaction<T>(paymentId: string, work: (session: LedgerSession<Native>) => Promise<T>): Promise<T>;
}

/** Runs one of the ledger's own statements: its failure is the store's. */
export async function storeStep<T>(step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof LedgerWriteFailed ? error : new LedgerWriteFailed(step, error);
  }
}

/** The algorithm of {@link PaymentLedger.confirmOnce}, for any engine. */
export async function confirmOnce<Native>(engine: LedgerEngine<Native>, confirmation: PaymentConfirmation, evidence: DeliveryEvidence, apply: ApplyPayment<Native>): Promise<ConfirmOutcome> {
  const paymentId = confirmation.PaymentID;
  const received = paymentContent(confirmation);
  const content = serializeContent(received);
  const signerCertificate = evidence.signer === undefined ? null : new Uint8Array(evidence.signer.raw);
  const result = await engine.transaction(paymentId, async (session): Promise<ConfirmOutcome | PaymentContentConflict> => {
    const existing = await storeStep("look the payment up", () => session.lookup(paymentId));
    if (existing === undefined) {
      await apply(confirmation, session.tx);
      await storeStep("record the payment", () =>
        session.recordPayment({
          paymentId,
          serviceId: confirmation.ServiceID,
          orderKey: confirmation.OrderKey,
          currency: confirmation.Currency,
          totalAmount: confirmation.TotalAmount,
          content,
          confirmation: JSON.stringify(confirmation),
          receivedAt: evidence.receivedAt,
          request: evidence.request,
          signerCertificate,
        }),
      );
      return { outcome: "applied", paymentId };
    }
    if (existing.content === content) {
      await storeStep("count the repeat", () => session.recordRepeat(paymentId, evidence.receivedAt));
      return { outcome: "repeat", paymentId, deliveries: existing.deliveries + 1, firstReceivedAt: existing.firstReceivedAt };
    }
    // Kept, then refused after the commit: the conflicting delivery's evidence is worth keeping.
    const conflict = new PaymentContentConflict(paymentId, parseContent(existing.content), received);
    await storeStep("record the conflicting delivery", () =>
      session.recordConflict({ paymentId, receivedAt: evidence.receivedAt, content, difference: conflict.difference, request: evidence.request, signerCertificate }),
    );
    return conflict;
  });
  if (result instanceof PaymentContentConflict) throw result;
  return result;
}

/** A stored timestamp (ISO text in SQLite, a `Date` from PostgreSQL) as a `Date`. */
export function storedDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string") return new Date(value);
  throw new TypeError(`not a stored timestamp: ${String(value)}`);
}

/** A stored byte string (Uint8Array from SQLite, Buffer from PostgreSQL). */
export function storedBytes(value: unknown): Uint8Array | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError("not a stored byte string");
}

/** Reads a payments row (same column names on every store). */
export function paymentFromRow(row: Record<string, unknown>): RecordedPayment {
  return {
    paymentId: String(row["payment_id"]),
    serviceId: String(row["service_id"]),
    orderKey: String(row["order_key"]),
    currency: String(row["currency"]),
    totalAmount: String(row["total_amount"]),
    content: parseContent(String(row["content"])),
    confirmation: JSON.parse(String(row["confirmation"])) as PaymentConfirmation,
    firstReceivedAt: storedDate(row["first_received_at"]),
    lastReceivedAt: storedDate(row["last_received_at"]),
    deliveries: Number(row["deliveries"]),
    request: storedBytes(row["request"]) ?? new Uint8Array(0),
    signerCertificate: storedBytes(row["signer_certificate"]),
  };
}

/** Reads a conflicts row. */
export function conflictFromRow(row: Record<string, unknown>): RecordedConflict {
  return {
    paymentId: String(row["payment_id"]),
    receivedAt: storedDate(row["received_at"]),
    content: parseContent(String(row["content"])),
    difference: String(row["difference"]),
    request: storedBytes(row["request"]) ?? new Uint8Array(0),
    signerCertificate: storedBytes(row["signer_certificate"]),
  };
}

/** The statements both stores run, with their table names. */
export function ledgerStatements(payments: string, conflicts: string, greatest: "MAX" | "GREATEST") {
  return {
    lookup: `SELECT content, deliveries, first_received_at FROM ${payments} WHERE payment_id = $1`,
    insertPayment:
      `INSERT INTO ${payments} (payment_id, service_id, order_key, currency, total_amount, content, confirmation, first_received_at, last_received_at, deliveries, request, signer_certificate) ` +
      `VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $9, $10)`,
    repeat: `UPDATE ${payments} SET deliveries = deliveries + 1, last_received_at = ${greatest}(last_received_at, $2) WHERE payment_id = $1`,
    insertConflict: `INSERT INTO ${conflicts} (payment_id, received_at, content, difference, request, signer_certificate) VALUES ($1, $2, $3, $4, $5, $6)`,
    payment: `SELECT * FROM ${payments} WHERE payment_id = $1`,
    paymentIds: `SELECT payment_id FROM ${payments} ORDER BY first_received_at, payment_id`,
    conflicts: `SELECT * FROM ${conflicts} ORDER BY received_at, id`,
    conflictsOf: `SELECT * FROM ${conflicts} WHERE payment_id = $1 ORDER BY received_at, id`,
  };
}

/** A session over a store's `query`: the same statements on both stores. */
export function sessionOver<Native>(tx: LedgerTransaction<Native>, sql: ReturnType<typeof ledgerStatements>): LedgerSession<Native> {
  return {
    tx,
    async lookup(paymentId) {
      const [row] = await tx.query<Record<string, unknown>>(sql.lookup, [paymentId]);
      return row === undefined ? undefined : { content: String(row["content"]), deliveries: Number(row["deliveries"]), firstReceivedAt: storedDate(row["first_received_at"]) };
    },
    async recordPayment(p) {
      await tx.query(sql.insertPayment, [p.paymentId, p.serviceId, p.orderKey, p.currency, p.totalAmount, p.content, p.confirmation, p.receivedAt.toISOString(), p.request, p.signerCertificate]);
    },
    async recordRepeat(paymentId, at) {
      await tx.query(sql.repeat, [paymentId, at.toISOString()]);
    },
    async recordConflict(c) {
      await tx.query(sql.insertConflict, [c.paymentId, c.receivedAt.toISOString(), c.content, c.difference, c.request, c.signerCertificate]);
    },
  };
}
