/**
 * What MPay decides between showing an invoice and confirming a payment: whether the order can be
 * paid, which amounts the payer may change, and the PaymentConfirmation made from the pay form.
 */
import { randomUUID } from "node:crypto";
import { fromDate, toDate, type OrderDetails, type OrderLine, type OrderProperty, type OrderStatus, type PaymentConfirmation, type PaymentConfirmationLine } from "@mpay-kit/mpay-service-provider";
import type { Strings } from "./i18n.ts";
import { compare, normalize, parsePayerAmount, sum } from "./money.ts";

/** Statuses in which MPay takes a payment. */
const PAYABLE: ReadonlySet<OrderStatus> = new Set(["Active", "PartiallyPaid"]);

/**
 * The order's status as the payer should see it: the provider's, except that an order still
 * marked payable whose DueDate has passed is Expired (MPay does not take a payment after it).
 */
export function effectiveStatus(order: OrderDetails, now: Date): OrderStatus {
  if (PAYABLE.has(order.Status) && order.DueDate !== undefined) {
    let due: Date | undefined;
    try {
      due = toDate(order.DueDate, { disambiguation: "later" });
    } catch {
      due = undefined;
    }
    if (due !== undefined && due.getTime() <= now.getTime()) return "Expired";
  }
  return order.Status;
}

export function isPayable(status: OrderStatus): boolean {
  return PAYABLE.has(status);
}

/** One order line as the invoice page shows it. */
export interface InvoiceLine {
  readonly index: number;
  readonly line: OrderLine;
  /** What is due, or undefined when the payer sets the amount. */
  readonly due: string | undefined;
  readonly partial: boolean;
  readonly advance: boolean;
  /** The payer types the amount (partial or advance payment allowed, or no amount known). */
  readonly amountEditable: boolean;
}

export function invoiceLines(order: OrderDetails): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  order.Lines.forEach((line, index) => {
    if (line === null) return;
    const partial = line.AllowPartialPayments ?? order.AllowPartialPayments ?? false;
    const advance = line.AllowAdvancePayments ?? order.AllowAdvancePayments ?? false;
    const due = line.AmountDue === undefined ? undefined : normalize(line.AmountDue);
    lines.push({ index, line, due, partial, advance, amountEditable: partial || advance || due === undefined });
  });
  return lines;
}

/** The order's properties with their position (the pay form names inputs after it). */
export function orderProperties(order: OrderDetails): { readonly index: number; readonly property: OrderProperty }[] {
  return (order.Properties ?? []).flatMap((property, index) => (property === null || property.IsVisible === false ? [] : [{ index, property }]));
}

/** The form field of a line's amount and of a modifiable property. */
export const amountField = (index: number) => `amount.${index}`;
export const propertyField = (index: number) => `property.${index}`;

/** IDNP/IDNO: 13 digits; the last is the sum of the first 12 weighted 7, 3, 1, 7, 3, 1, ... modulo 10. */
export function isValidIdn(value: string): boolean {
  if (!/^\d{13}$/.test(value)) return false;
  const weights = [7, 3, 1];
  let total = 0;
  for (let i = 0; i < 12; i++) total += Number(value[i]) * weights[i % 3]!;
  return total % 10 === Number(value[12]);
}

export type PayAttempt = { readonly ok: true; readonly confirmation: PaymentConfirmation } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * The confirmation of paying `order` with the pay form's values, or what is wrong with them.
 * Lines paid zero are left out; a line's amount must respect its partial and advance rules.
 */
export function buildConfirmation(order: OrderDetails, invoiceId: string, form: URLSearchParams, s: Strings, now: Date): PayAttempt {
  const errors: string[] = [];
  const paid: PaymentConfirmationLine[] = [];
  for (const item of invoiceLines(order)) {
    const label = `${s.line} ${item.line.LineID} (${item.line.Reason})`;
    let amount: string | undefined;
    if (!item.amountEditable) {
      amount = item.due;
    } else {
      const typed = (form.get(amountField(item.index)) ?? "").trim();
      if (typed === "") {
        if (item.due === undefined) errors.push(s.amountRequired(label));
        else amount = "0.00";
      } else {
        amount = parsePayerAmount(typed);
        if (amount === undefined) errors.push(s.amountInvalid(label));
        else if (item.due !== undefined && compare(amount, item.due) < 0 && !item.partial) errors.push(s.amountBelowDue(label));
        else if (item.due !== undefined && compare(amount, item.due) > 0 && !item.advance) errors.push(s.amountAboveDue(label));
      }
    }
    if (amount === undefined || compare(amount, "0") <= 0) continue;
    paid.push({ Amount: amount, DestinationAccount: item.line.DestinationAccount, LineID: item.line.LineID });
  }
  const properties: { Name: string; Value: string }[] = [];
  for (const { index, property } of orderProperties(order)) {
    if (property.Modifiable !== true) continue;
    const value = (form.get(propertyField(index)) ?? property.Value).trim();
    if (value === "" && property.Required === true) errors.push(s.propertyRequired(property.DisplayName));
    else if (value.length > 255) errors.push(s.propertyTooLong(property.DisplayName));
    else if (value !== "" && property.Type === "idn" && !isValidIdn(value)) errors.push(s.propertyBadIdn(property.DisplayName));
    properties.push({ Name: property.Name, Value: value });
  }
  if (errors.length === 0 && paid.length === 0) errors.push(s.nothingToPay);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    confirmation: {
      Currency: order.Currency,
      InvoiceID: invoiceId,
      Lines: paid,
      OrderKey: order.OrderKey,
      // Whole seconds, as MPay writes PaidAt (2025-07-10T10:51:23).
      PaidAt: fromDate(new Date(Math.floor(now.getTime() / 1000) * 1000), { fractionDigits: 0 }),
      PaymentID: randomUUID(),
      ...(properties.length === 0 ? {} : { Properties: properties }),
      ServiceID: order.ServiceID,
      TotalAmount: sum(paid.map((l) => l.Amount)),
    },
  };
}
