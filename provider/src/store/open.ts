/**
 * Opening a ledger from one string, as a command line or a configuration file gives it: a
 * PostgreSQL URL, or the path of a SQLite file.
 */
import { PostgresPaymentLedger } from "./postgres.ts";
import { SqlitePaymentLedger } from "./sqlite.ts";
import type { PaymentLedger } from "./ledger.ts";

export interface OpenLedgerOptions {
  /** PostgreSQL schema of the ledger's tables (default `public`). */
  readonly schema?: string;
  /** SQLite busy timeout, in milliseconds (default 5000). */
  readonly busyTimeoutMs?: number;
}

/** Whether `location` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the ledger at `location`: `postgres://…` / `postgresql://…` for PostgreSQL, anything else
 * is a SQLite file path (created when missing; `:memory:` for a private in-memory database).
 */
export async function openPaymentLedger(location: string, options: OpenLedgerOptions = {}): Promise<PaymentLedger<unknown>> {
  if (isPostgresUrl(location)) {
    return PostgresPaymentLedger.open({ connectionString: location, ...(options.schema === undefined ? {} : { schema: options.schema }) });
  }
  return new SqlitePaymentLedger({ path: location, ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }) });
}
