/**
 * The PostgreSQL store, for several provider instances behind a load balancer (driver: `pg`).
 *
 * Exactly once across every connection and process: each confirmation runs in one READ COMMITTED
 * transaction that first takes a transaction-scoped advisory lock on its PaymentID
 * (`pg_advisory_xact_lock(<ledger class>, hashtext(PaymentID))`). Deliveries of one PaymentID thus
 * run one after the other; the lookup that follows the lock is a new statement, so it sees the
 * record a previous holder committed. Deliveries of different PaymentIDs do not wait for each
 * other (unless their hashes collide, which only serializes them). The PaymentID primary key is
 * the backstop: a second record can never be written, whatever else writes to the table.
 * Why not SERIALIZABLE: see docs/decisions.md.
 */
import { Pool, type PoolClient, type PoolConfig } from "pg";
import type { PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import {
  confirmOnce,
  conflictFromRow,
  ledgerStatements,
  LedgerWriteFailed,
  paymentFromRow,
  sessionOver,
  storeStep,
  type ApplyPayment,
  type ConfirmOutcome,
  type DeliveryEvidence,
  type LedgerEngine,
  type LedgerTransaction,
  type PaymentLedger,
  type RecordedConflict,
  type RecordedPayment,
  type SqlValue,
} from "./ledger.ts";

export interface PostgresLedgerOptions {
  /** A connection URL (`postgres://user@host:port/db`); or give `pool`. */
  readonly connectionString?: string;
  /** A pool of your own (the ledger then does not end it on `close`). */
  readonly pool?: Pool;
  /** Pool settings when the ledger makes the pool (default size 10). */
  readonly poolConfig?: PoolConfig;
  /** The schema that holds the ledger's tables (default `public`; created when missing). */
  readonly schema?: string;
}

/** The first key of the ledger's advisory locks ("MPAY"), so that they do not meet the application's own. */
const LOCK_CLASS = 0x4d504159;

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `pg` sends Buffers as bytea and does not know bigint. */
function toPg(value: SqlValue): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === "bigint") return value.toString();
  return value;
}

function transactionOn(client: PoolClient): LedgerTransaction<PoolClient> {
  return {
    dialect: "postgres",
    native: client,
    async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
      const result = await client.query(sql, params.map(toPg));
      return result.rows as Row[];
    },
  };
}

/** A payment ledger in PostgreSQL. Make one with {@link PostgresPaymentLedger.open}. */
export class PostgresPaymentLedger implements PaymentLedger<PoolClient> {
  readonly dialect = "postgres" as const;
  readonly pool: Pool;
  readonly schema: string;
  readonly #ownsPool: boolean;
  #closed = false;
  readonly #sql: ReturnType<typeof ledgerStatements>;
  readonly #engine: LedgerEngine<PoolClient>;

  private constructor(pool: Pool, ownsPool: boolean, schema: string) {
    this.pool = pool;
    this.#ownsPool = ownsPool;
    this.schema = schema;
    const q = quoteIdentifier(schema);
    this.#sql = ledgerStatements(`${q}.mpay_payments`, `${q}.mpay_payment_conflicts`, "GREATEST");
    this.#engine = { transaction: (paymentId, work) => this.#transaction(paymentId, (client) => work(sessionOver(transactionOn(client), this.#sql))) };
  }

  /**
   * Connects and creates the schema and tables when missing (several processes may do so at once).
   * @throws LedgerWriteFailed when the server cannot be reached or the tables cannot be created
   */
  static async open(options: PostgresLedgerOptions): Promise<PostgresPaymentLedger> {
    if ((options.pool === undefined) === (options.connectionString === undefined)) throw new TypeError("give either connectionString or pool");
    const pool = options.pool ?? new Pool({ max: 10, ...options.poolConfig, connectionString: options.connectionString });
    // An idle connection that breaks is reported here; without a listener it would crash the process.
    if (options.pool === undefined) pool.on("error", () => {});
    const ledger = new PostgresPaymentLedger(pool, options.pool === undefined, options.schema ?? "public");
    try {
      await ledger.#createTables();
    } catch (error) {
      if (options.pool === undefined) await pool.end().catch(() => {});
      throw new LedgerWriteFailed("create the ledger's tables", error);
    }
    return ledger;
  }

  async #createTables(): Promise<void> {
    const q = quoteIdentifier(this.schema);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // CREATE ... IF NOT EXISTS is not safe against a concurrent creator: one at a time.
      await client.query("SELECT pg_advisory_xact_lock($1, 0)", [LOCK_CLASS]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${q}.mpay_payments (
          payment_id text PRIMARY KEY,
          service_id text NOT NULL,
          order_key text NOT NULL,
          currency text NOT NULL,
          total_amount text NOT NULL,
          content text NOT NULL,
          confirmation text NOT NULL,
          first_received_at timestamptz NOT NULL,
          last_received_at timestamptz NOT NULL,
          deliveries integer NOT NULL,
          request bytea NOT NULL,
          signer_certificate bytea
        )`);
      await client.query(`CREATE INDEX IF NOT EXISTS mpay_payments_order ON ${q}.mpay_payments (service_id, order_key)`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${q}.mpay_payment_conflicts (
          id bigserial PRIMARY KEY,
          payment_id text NOT NULL,
          received_at timestamptz NOT NULL,
          content text NOT NULL,
          difference text NOT NULL,
          request bytea NOT NULL,
          signer_certificate bytea
        )`);
      await client.query(`CREATE INDEX IF NOT EXISTS mpay_payment_conflicts_payment ON ${q}.mpay_payment_conflicts (payment_id)`);
      await client.query("COMMIT");
      client.release();
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  /** One transaction on one pooled connection, holding the PaymentID's advisory lock. */
  async #transaction<T>(paymentId: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new LedgerWriteFailed("connect to PostgreSQL", error);
    }
    let broken: Error | undefined;
    try {
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_CLASS, paymentId]);
      } catch (error) {
        throw new LedgerWriteFailed("begin a transaction holding the payment", error);
      }
      let result: T;
      try {
        result = await work(client);
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError as Error));
        throw error;
      }
      try {
        await client.query("COMMIT");
      } catch (error) {
        // A failed COMMIT has ended the transaction; the connection may be gone: do not reuse it.
        broken = error as Error;
        throw new LedgerWriteFailed("commit", error);
      }
      return result;
    } catch (error) {
      if (error instanceof LedgerWriteFailed) broken ??= error;
      throw error;
    } finally {
      client.release(broken ?? false);
    }
  }

  confirmOnce(confirmation: PaymentConfirmation, evidence: DeliveryEvidence, apply: ApplyPayment<PoolClient>): Promise<ConfirmOutcome> {
    return confirmOnce(this.#engine, confirmation, evidence, apply);
  }

  async #query(step: string, sql: string, params: readonly SqlValue[] = []): Promise<Record<string, unknown>[]> {
    return storeStep(step, async () => (await this.pool.query(sql, params.map(toPg))).rows as Record<string, unknown>[]);
  }

  async payment(paymentId: string): Promise<RecordedPayment | undefined> {
    const [row] = await this.#query("read the payment", this.#sql.payment, [paymentId]);
    return row === undefined ? undefined : paymentFromRow(row);
  }

  async paymentIds(): Promise<string[]> {
    return (await this.#query("list payments", this.#sql.paymentIds)).map((r) => String(r["payment_id"]));
  }

  async conflicts(paymentId?: string): Promise<RecordedConflict[]> {
    const rows = paymentId === undefined ? await this.#query("read conflicts", this.#sql.conflicts) : await this.#query("read conflicts", this.#sql.conflictsOf, [paymentId]);
    return rows.map(conflictFromRow);
  }

  async check(): Promise<void> {
    await this.#query("answer a query", "SELECT 1");
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.pool.end();
  }
}
