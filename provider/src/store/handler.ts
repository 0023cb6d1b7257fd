/**
 * The ConfirmOrderPayment handler on top of a {@link PaymentLedger}: takes the evidence from the
 * request context and turns the ledger's outcomes into the contract's answers.
 *
 * - first delivery, applied and recorded: success;
 * - repeat with the same content: success, nothing applied;
 * - same PaymentID, other content: `InvalidParameter` (the reason says which values differ), logged;
 * - the store failed: `InternalError`, logged, so that MPay retries; never a success without the record;
 * - `apply` threw a contract fault (e.g. `UnknownOrder`): that fault, nothing recorded.
 */
import { X509Certificate } from "node:crypto";
import type { RequestContext } from "@mpay-kit/runtime";
import { fault, type ConfirmOrderPayment, type ConfirmOrderPaymentResponse } from "@mpay-kit/mpay-service-provider";
import { LedgerWriteFailed, PaymentContentConflict, type ApplyPayment, type ConfirmOutcome, type DeliveryEvidence, type PaymentLedger } from "./ledger.ts";

/** What the handler tells about a confirmation (one event per delivery). */
export type ConfirmationEvent =
  | { readonly kind: "applied" | "repeat"; readonly paymentId: string; readonly serviceId: string; readonly orderKey: string; readonly deliveries: number }
  | { readonly kind: "conflict"; readonly paymentId: string; readonly serviceId: string; readonly orderKey: string; readonly difference: string }
  | { readonly kind: "store-failed"; readonly paymentId: string; readonly serviceId: string; readonly orderKey: string; readonly error: string };

export interface ConfirmHandlerOptions {
  /**
   * Told about every delivery. Default: conflicts and store failures are written to stderr as one
   * JSON line each (never the message or a certificate); applied payments and repeats are not.
   */
  readonly onEvent?: (event: ConfirmationEvent) => void;
  /** The clock that stamps the time received (default the system clock). */
  readonly now?: () => Date;
}

function defaultLog(event: ConfirmationEvent): void {
  if (event.kind === "conflict" || event.kind === "store-failed") process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), event: `confirmation-${event.kind}`, ...event })}\n`);
}

/** The verified signer certificate the WS-Security layer put in `context.security`, if any. */
export function verifiedSigner(context: RequestContext): X509Certificate | undefined {
  const security = context.security as { readonly signer?: unknown } | undefined | null;
  const signer = security?.signer;
  return signer instanceof X509Certificate ? signer : undefined;
}

/** The evidence of one request: its exact bytes, the verified signer and the time received. */
export function deliveryEvidence(context: RequestContext, receivedAt: Date = new Date()): DeliveryEvidence {
  return { request: context.message.raw, signer: verifiedSigner(context), receivedAt };
}

/**
 * Makes the `ConfirmOrderPayment` handler of a generated `ServiceProviderHandlers`: each PaymentID
 * is applied once through `apply`, inside the ledger's transaction (write your own changes through
 * `tx`, and they commit or roll back with the payment's record).
 *
 * @example
 * ```ts
 * const ledger = new SqlitePaymentLedger({ path: "payments.db" });
 * const handlers = {
 *   GetOrderDetails: ...,
 *   ConfirmOrderPayment: confirmOrderPaymentOnce(ledger, async (c, tx) => {
 *     await tx.query("UPDATE orders SET paid = paid + $1 WHERE order_key = $2", [c.TotalAmount, c.OrderKey]);
 *   }),
 * };
 * ```
 */
export function confirmOrderPaymentOnce<Native>(
  ledger: PaymentLedger<Native>,
  apply: ApplyPayment<Native>,
  options: ConfirmHandlerOptions = {},
): (input: ConfirmOrderPayment, context: RequestContext) => Promise<ConfirmOrderPaymentResponse> {
  const onEvent = options.onEvent ?? defaultLog;
  const now = options.now ?? (() => new Date());
  return async (input, context) => {
    const receivedAt = now();
    const confirmation = input.confirmation;
    if (confirmation === undefined) throw fault("InvalidParameter", "confirmation is required.");
    const about = { paymentId: confirmation.PaymentID, serviceId: confirmation.ServiceID, orderKey: confirmation.OrderKey };
    let outcome: ConfirmOutcome;
    try {
      outcome = await ledger.confirmOnce(confirmation, deliveryEvidence(context, receivedAt), apply);
    } catch (error) {
      if (error instanceof PaymentContentConflict) {
        onEvent({ kind: "conflict", ...about, difference: error.difference });
        throw fault(
          "InvalidParameter",
          `PaymentID ${confirmation.PaymentID} was already confirmed with different content (${error.difference}); this delivery was not applied.`,
        );
      }
      if (error instanceof LedgerWriteFailed) {
        onEvent({ kind: "store-failed", ...about, error: error.message });
        throw fault("InternalError", `Payment ${confirmation.PaymentID} could not be recorded now; it was not applied. Please retry.`);
      }
      throw error;
    }
    onEvent(outcome.outcome === "applied" ? { kind: "applied", ...about, deliveries: 1 } : { kind: "repeat", ...about, deliveries: outcome.deliveries });
    return {};
  };
}
