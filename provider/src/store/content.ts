/**
 * What makes two deliveries of one PaymentID "the same payment": the canonical content of a
 * PaymentConfirmation.
 *
 * The content is what applying the payment depends on: where the money goes and how much.
 *
 * - `ServiceID`, `OrderKey`, `Currency`: compared exactly, as strings.
 * - `TotalAmount` and every line's `Amount`: compared as exact decimals, never as floats:
 *   `9267.00`, `9267.0`, `9267` and `+09267.000` are the same amount; `0.1` and `0.10000000000000001`
 *   are not.
 * - The lines: the pairs (LineID, Amount) as a multiset: the order MPay lists them in does not
 *   matter; nil entries carry nothing and are left out.
 *
 * Not part of the content, because they describe the payment without changing what it pays:
 * `PaidAt` (a repeat may spell the same instant with other fraction digits), `InvoiceID`,
 * `Properties` and the lines' `Properties` and `DestinationAccount` (seen sent empty). They are
 * kept as received with the first delivery (the whole confirmation and its signed bytes).
 */
import type { Decimal } from "@mpay-kit/runtime";
import type { PaymentConfirmation } from "@mpay-kit/mpay-service-provider";

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * The canonical lexical form of an `xs:decimal` (XSD 1.1 canonical mapping): no `+`, no leading
 * zeros, no trailing fraction zeros, no `.` for an integer, `0` for any zero. Two decimals are
 * equal exactly when their canonical forms are.
 * @throws RangeError for text that is not an `xs:decimal`
 */
export function canonicalDecimal(value: Decimal): string {
  const m = DECIMAL.exec(value.trim());
  if (m === null || ((m[2] ?? "") === "" && (m[3] ?? "") === "")) throw new RangeError(`${JSON.stringify(value)} is not an xs:decimal`);
  const integer = (m[2] ?? "").replace(/^0+/, "");
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  if (integer === "" && fraction === "") return "0";
  const digits = `${integer === "" ? "0" : integer}${fraction === "" ? "" : `.${fraction}`}`;
  return m[1] === "-" ? `-${digits}` : digits;
}

/** The canonical content of a confirmation: the values that must agree between deliveries of one PaymentID. */
export interface PaymentContent {
  readonly serviceId: string;
  readonly orderKey: string;
  readonly currency: string;
  /** Canonical decimal. */
  readonly totalAmount: string;
  /** (LineID, canonical Amount), sorted by LineID, then amount. */
  readonly lines: readonly (readonly [lineId: string, amount: string])[];
}

/** Version tag of the serialized content: stored rows say which rules made them. */
const CONTENT_VERSION = "mpay-payment-content/1";

/** The canonical content of `confirmation` (see the module comment for what is in it and why). */
export function paymentContent(confirmation: PaymentConfirmation): PaymentContent {
  const lines = confirmation.Lines.filter((l) => l !== null).map((l) => [l.LineID, canonicalDecimal(l.Amount)] as const);
  lines.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return {
    serviceId: confirmation.ServiceID,
    orderKey: confirmation.OrderKey,
    currency: confirmation.Currency,
    totalAmount: canonicalDecimal(confirmation.TotalAmount),
    lines,
  };
}

/**
 * The content as one string (JSON, members in a fixed order): what the store keeps and compares.
 * Equal strings mean equal content.
 */
export function serializeContent(content: PaymentContent): string {
  return JSON.stringify([CONTENT_VERSION, content.serviceId, content.orderKey, content.currency, content.totalAmount, content.lines]);
}

/** Reads back a {@link serializeContent} string. */
export function parseContent(text: string): PaymentContent {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || value[0] !== CONTENT_VERSION || value.length !== 6) throw new Error(`not a stored payment content: ${text.slice(0, 80)}`);
  const [, serviceId, orderKey, currency, totalAmount, lines] = value as [string, string, string, string, string, [string, string][]];
  return { serviceId, orderKey, currency, totalAmount, lines };
}

/** Says in words how `received` differs from `recorded` (for the fault reason and the log). */
export function describeDifference(recorded: PaymentContent, received: PaymentContent): string {
  const out: string[] = [];
  if (recorded.serviceId !== received.serviceId) out.push(`ServiceID ${received.serviceId} (recorded ${recorded.serviceId})`);
  if (recorded.orderKey !== received.orderKey) out.push(`OrderKey ${received.orderKey} (recorded ${recorded.orderKey})`);
  if (recorded.currency !== received.currency) out.push(`Currency ${received.currency} (recorded ${recorded.currency})`);
  if (recorded.totalAmount !== received.totalAmount) out.push(`TotalAmount ${received.totalAmount} (recorded ${recorded.totalAmount})`);
  const lines = (c: PaymentContent) => c.lines.map(([id, amount]) => `${id}=${amount}`).join(", ");
  if (lines(recorded) !== lines(received)) out.push(`Lines [${lines(received)}] (recorded [${lines(recorded)}])`);
  return out.join("; ");
}
