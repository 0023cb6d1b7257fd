/**
 * `@mpay-kit/provider/store`: ConfirmOrderPayment exactly once, with the signed request kept as
 * evidence, on SQLite (embedded, `node:sqlite`) or PostgreSQL (`pg`).
 *
 * @example
 * ```ts
 * import { SqlitePaymentLedger, confirmOrderPaymentOnce } from "@mpay-kit/provider/store";
 * const ledger = new SqlitePaymentLedger({ path: "payments.db" });
 * const ConfirmOrderPayment = confirmOrderPaymentOnce(ledger, async (confirmation, tx) => {
 *   await tx.query("UPDATE orders SET status = 'Paid' WHERE order_key = $1", [confirmation.OrderKey]);
 * });
 * ```
 */
export {
  LedgerWriteFailed,
  PaymentContentConflict,
  type ApplyPayment,
  type ConfirmOutcome,
  type DeliveryEvidence,
  type LedgerDialect,
  type LedgerTransaction,
  type PaymentLedger,
  type RecordedConflict,
  type RecordedPayment,
  type SqlValue,
} from "./ledger.ts";
export { canonicalDecimal, paymentContent, serializeContent, parseContent, describeDifference, type PaymentContent } from "./content.ts";
export { SqlitePaymentLedger, type SqliteLedgerOptions } from "./sqlite.ts";
export { PostgresPaymentLedger, type PostgresLedgerOptions } from "./postgres.ts";
export { openPaymentLedger, isPostgresUrl, type OpenLedgerOptions } from "./open.ts";
export { confirmOrderPaymentOnce, deliveryEvidence, verifiedSigner, type ConfirmHandlerOptions, type ConfirmationEvent } from "./handler.ts";
export {
  exportEvidence,
  verifyEvidence,
  verifyEvidenceFiles,
  evidenceFolderName,
  EVIDENCE_FORMAT,
  type EvidenceRecord,
  type EvidenceCheckOptions,
  type EvidenceToCheck,
  type EvidenceVerdict,
} from "./evidence.ts";
