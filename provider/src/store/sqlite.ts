/**
 * The embedded store: one SQLite file through Node's built-in `node:sqlite` (no server, no native
 * build; see docs/decisions.md for the driver choice).
 *
 * Exactly once, within a process: one transaction at a time per database file (an async queue
 * shared by every ledger of the process on that file), because a SQLite connection has one
 * transaction, the user's `apply` may await, and a second connection waiting inside SQLite would
 * block the event loop the first one needs to finish. Across processes sharing
 * the file: every confirmation runs in `BEGIN IMMEDIATE`, which takes the database's write lock
 * before the PaymentID is looked up, so two processes never both find it missing; a process that
 * finds the lock taken waits up to `busyTimeoutMs` (SQLite's busy timeout) and then fails with
 * {@link LedgerWriteFailed}, which answers a fault so MPay retries. The wait blocks that process's
 * event loop (`node:sqlite` is synchronous): the lock is held only for one confirmation.
 *
 * The file is in WAL mode (readers do not block the writer) with `synchronous = FULL`, so a
 * committed confirmation survives a power loss: the answer is sent only after the commit.
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
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
  type LedgerSession,
  type LedgerTransaction,
  type PaymentLedger,
  type RecordedConflict,
  type RecordedPayment,
  type SqlValue,
} from "./ledger.ts";

export interface SqliteLedgerOptions {
  /** The database file (created when missing), or `:memory:` for a private in-memory database. */
  readonly path: string;
  /** How long to wait for another process's write lock, in milliseconds (default 5000). */
  readonly busyTimeoutMs?: number;
}

const PAYMENTS = "mpay_payments";
const CONFLICTS = "mpay_payment_conflicts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${PAYMENTS} (
  payment_id TEXT PRIMARY KEY NOT NULL,
  service_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_amount TEXT NOT NULL,
  content TEXT NOT NULL,
  confirmation TEXT NOT NULL,
  first_received_at TEXT NOT NULL,
  last_received_at TEXT NOT NULL,
  deliveries INTEGER NOT NULL,
  request BLOB NOT NULL,
  signer_certificate BLOB
) STRICT;
CREATE INDEX IF NOT EXISTS ${PAYMENTS}_order ON ${PAYMENTS} (service_id, order_key);
CREATE TABLE IF NOT EXISTS ${CONFLICTS} (
  id INTEGER PRIMARY KEY,
  payment_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  content TEXT NOT NULL,
  difference TEXT NOT NULL,
  request BLOB NOT NULL,
  signer_certificate BLOB
) STRICT;
CREATE INDEX IF NOT EXISTS ${CONFLICTS}_payment ON ${CONFLICTS} (payment_id);
`;

const SQL = ledgerStatements(PAYMENTS, CONFLICTS, "MAX");

/** `$1`, `$2`, … bind by name in SQLite: the parameters as an object keyed "1", "2", …. */
function bind(params: readonly SqlValue[]): Record<string, SQLInputValue> {
  const named: Record<string, SQLInputValue> = {};
  params.forEach((value, i) => (named[String(i + 1)] = value));
  return named;
}

/**
 * The queues of write turns, by database file: every ledger of this process on one file takes
 * turns. Two connections of one process must not wait for each other inside SQLite: the wait
 * blocks the event loop, so the holder could never finish (a ledger would stall for the whole
 * busy timeout, then fail).
 */
const turnsByFile = new Map<string, { tail: Promise<void>; users: number }>();

/** A payment ledger in a SQLite file. */
export class SqlitePaymentLedger implements PaymentLedger<DatabaseSync> {
  readonly dialect = "sqlite" as const;
  /** The connection; the user's `apply` gets it (inside the ledger's transaction) as `tx.native`. */
  readonly database: DatabaseSync;
  /** The queue of transactions on this ledger's file, shared with the process's other ledgers on it. */
  readonly #turns: { tail: Promise<void>; users: number };
  readonly #fileKey: string | undefined;
  readonly #tx: LedgerTransaction<DatabaseSync>;
  readonly #engine: LedgerEngine<DatabaseSync>;
  #closed = false;

  /**
   * Opens (creating when missing) the database and its tables.
   * @throws LedgerWriteFailed when the file cannot be opened or the tables cannot be created
   */
  constructor(options: SqliteLedgerOptions) {
    const busy = options.busyTimeoutMs ?? 5000;
    try {
      this.database = new DatabaseSync(options.path);
      // First, so that the statements below wait for other processes too.
      this.database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busy))}`);
      if (options.path !== ":memory:") this.database.exec("PRAGMA journal_mode = WAL");
      this.database.exec("PRAGMA synchronous = FULL");
      // Several processes may create the tables at once: one at a time.
      this.database.exec("BEGIN IMMEDIATE");
      try {
        this.database.exec(SCHEMA);
        this.database.exec("COMMIT");
      } catch (error) {
        this.database.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      throw new LedgerWriteFailed(`open the SQLite database ${options.path}`, error);
    }
    // The same file by any path: the name SQLite resolved (empty for an in-memory database).
    const file = this.database.location();
    this.#fileKey = file === null || file === "" ? undefined : file;
    let turns = this.#fileKey === undefined ? undefined : turnsByFile.get(this.#fileKey);
    if (turns === undefined) {
      turns = { tail: Promise.resolve(), users: 0 };
      if (this.#fileKey !== undefined) turnsByFile.set(this.#fileKey, turns);
    }
    turns.users++;
    this.#turns = turns;
    const database = this.database;
    this.#tx = {
      dialect: "sqlite",
      native: database,
      query: <Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> => {
        const statement = database.prepare(sql);
        return Promise.resolve((params.length === 0 ? statement.all() : statement.all(bind(params))) as Row[]);
      },
    };
    const session: LedgerSession<DatabaseSync> = sessionOver(this.#tx, SQL);
    this.#engine = { transaction: (_paymentId, work) => this.#transaction(() => work(session)) };
  }

  /** Runs `work` in `BEGIN IMMEDIATE`, one transaction at a time. */
  async #transaction<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.#turn();
    try {
      if (this.#closed) throw new LedgerWriteFailed("begin a write transaction", new Error("the ledger is closed"));
      try {
        this.database.exec("BEGIN IMMEDIATE");
      } catch (error) {
        throw new LedgerWriteFailed("begin a write transaction", error);
      }
      let result: T;
      try {
        result = await work();
      } catch (error) {
        this.#rollback();
        throw error;
      }
      try {
        this.database.exec("COMMIT");
      } catch (error) {
        this.#rollback();
        throw new LedgerWriteFailed("commit", error);
      }
      return result;
    } finally {
      release();
    }
  }

  #rollback(): void {
    try {
      if (this.database.isTransaction) this.database.exec("ROLLBACK");
    } catch {
      // The transaction is gone already (SQLite rolls back by itself on some errors).
    }
  }

  /** Waits for this ledger's earlier transactions; resolves with the function that ends this one's turn. */
  #turn(): Promise<() => void> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#turns.tail;
    this.#turns.tail = previous.then(() => done);
    return previous.then(() => release);
  }

  confirmOnce(confirmation: PaymentConfirmation, evidence: DeliveryEvidence, apply: ApplyPayment<DatabaseSync>): Promise<ConfirmOutcome> {
    return confirmOnce(this.#engine, confirmation, evidence, apply);
  }

  /** Reads wait for the transaction in progress: they never see what it has not committed. */
  async #read<T>(step: string, run: () => Promise<T>): Promise<T> {
    const release = await this.#turn();
    try {
      if (this.#closed) throw new LedgerWriteFailed(step, new Error("the ledger is closed"));
      return await storeStep(step, run);
    } finally {
      release();
    }
  }

  async payment(paymentId: string): Promise<RecordedPayment | undefined> {
    const [row] = await this.#read("read the payment", () => this.#tx.query<Record<string, unknown>>(SQL.payment, [paymentId]));
    return row === undefined ? undefined : paymentFromRow(row);
  }

  async paymentIds(): Promise<string[]> {
    const rows = await this.#read("list payments", () => this.#tx.query<{ payment_id: string }>(SQL.paymentIds));
    return rows.map((r) => r.payment_id);
  }

  async conflicts(paymentId?: string): Promise<RecordedConflict[]> {
    const rows = await this.#read("read conflicts", () =>
      paymentId === undefined ? this.#tx.query<Record<string, unknown>>(SQL.conflicts) : this.#tx.query<Record<string, unknown>>(SQL.conflictsOf, [paymentId]),
    );
    return rows.map(conflictFromRow);
  }

  async check(): Promise<void> {
    await this.#read("answer a query", () => this.#tx.query("SELECT 1"));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const release = await this.#turn();
    this.#closed = true;
    try {
      this.database.close();
    } finally {
      if (--this.#turns.users === 0 && this.#fileKey !== undefined) turnsByFile.delete(this.#fileKey);
      release();
    }
  }
}
