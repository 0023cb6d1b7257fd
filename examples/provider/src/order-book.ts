/**
 * The example e-service: an in-memory order book behind MPay's IServiceProvider.
 *
 * It shows what a real provider must do with the two operations: answer GetOrderDetails
 * with what is still due, and apply each ConfirmOrderPayment exactly once, answering every
 * repeat of the same PaymentID with success and refusing a repeat whose content differs.
 */
import { dateTimeToDate } from "@mpay-kit/runtime";
import {
  fault,
  type ConfirmOrderPayment,
  type ConfirmOrderPaymentResponse,
  type GetOrderDetails,
  type GetOrderDetailsResponse,
  type OrderDetails,
  type PaymentConfirmation,
  type ServiceProviderHandlers,
} from "@mpay-kit/mpay-service-provider";
import { add, compare, isZero, subtract, sum } from "./money.ts";

/** MPay writes date-times without an offset, in Moldovan local time. */
export const MPAY_TIME_ZONE = "Europe/Chisinau";

const LANGUAGES = new Set(["ro", "ru", "en"]);

/** A payment as the order book recorded it. */
export interface AppliedPayment {
  readonly paymentId: string;
  readonly orderKey: string;
  readonly totalAmount: string;
  /** The confirmation as received, to compare repeats against. */
  readonly fingerprint: string;
}

export interface OrderBookOptions {
  /** The clock, for expiry (tests move it). */
  readonly now?: () => Date;
}

/** What identifies a confirmation's content: a repeat must carry the same. */
function fingerprint(c: PaymentConfirmation): string {
  return JSON.stringify([c.ServiceID, c.OrderKey, c.Currency, c.TotalAmount, c.PaidAt, c.Lines.map((l) => (l === null ? null : [l.LineID, l.Amount]))]);
}

export class OrderBook implements ServiceProviderHandlers {
  /** By ServiceID, then OrderKey: the request's own strings are the keys (no key string is built per lookup). */
  readonly #orders = new Map<string, Map<string, OrderDetails>>();
  readonly #payments = new Map<string, AppliedPayment>();
  readonly #serviceIds = new Set<string>();
  readonly #now: () => Date;

  constructor(orders: readonly OrderDetails[], options: OrderBookOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    for (const order of orders) {
      let ofService = this.#orders.get(order.ServiceID);
      if (ofService === undefined) this.#orders.set(order.ServiceID, (ofService = new Map()));
      ofService.set(order.OrderKey, structuredClone(order));
      this.#serviceIds.add(order.ServiceID);
    }
  }

  #stored(serviceId: string, orderKey: string): OrderDetails | undefined {
    return this.#orders.get(serviceId)?.get(orderKey);
  }

  /** The order as it stands now (a copy), or `undefined`. */
  order(serviceId: string, orderKey: string): OrderDetails | undefined {
    const order = this.#stored(serviceId, orderKey);
    return order === undefined ? undefined : structuredClone(this.#current(order));
  }

  /** Payments applied so far, in order. */
  payments(): AppliedPayment[] {
    return [...this.#payments.values()];
  }

  /**
   * The order with its status brought up to date: an unpaid order past its due date is Expired.
   * Returns the stored object itself when nothing changes (callers only read it).
   */
  #current(order: OrderDetails): OrderDetails {
    if ((order.Status === "Active" || order.Status === "PartiallyPaid") && order.DueDate !== undefined) {
      if (dateTimeToDate(order.DueDate, MPAY_TIME_ZONE, { disambiguation: "later" }).getTime() <= this.#now().getTime()) return { ...order, Status: "Expired" };
    }
    return order;
  }

  #service(serviceId: string): void {
    if (!this.#serviceIds.has(serviceId)) throw fault("UnknownService", `The ServiceID '${serviceId}' is unknown.`);
  }

  GetOrderDetails(input: GetOrderDetails): GetOrderDetailsResponse {
    const query = input.query;
    if (query === undefined) throw fault("InvalidParameter", "query is required.");
    if (query.Language !== undefined && !LANGUAGES.has(query.Language.toLowerCase())) {
      throw fault("InvalidParameter", `Language '${query.Language}' is not supported; use ro, ru or en.`);
    }
    this.#service(query.ServiceID);
    const stored = this.#stored(query.ServiceID, query.OrderKey);
    // An unknown order is not a fault here: the answer is the (empty) list of matching orders.
    return { GetOrderDetailsResult: stored === undefined ? [] : [this.#current(stored)] };
  }

  ConfirmOrderPayment(input: ConfirmOrderPayment): ConfirmOrderPaymentResponse {
    const c = input.confirmation;
    if (c === undefined) throw fault("InvalidParameter", "confirmation is required.");
    this.#service(c.ServiceID);
    const previous = this.#payments.get(c.PaymentID);
    if (previous !== undefined) {
      if (previous.fingerprint === fingerprint(c)) return {};
      throw fault("InvalidParameter", `Payment ${c.PaymentID} was already applied with different content; this delivery was not applied.`);
    }
    const stored = this.#stored(c.ServiceID, c.OrderKey);
    if (stored === undefined) throw fault("UnknownOrder", `The OrderKey '${c.OrderKey}' is unknown for service '${c.ServiceID}'.`);
    const order = this.#current(stored);
    if (order.Status === "Paid" || order.Status === "Completed") throw fault("InvoiceAlreadyPaid", `Order ${c.OrderKey} is already paid.`);
    if (order.Status === "Expired") throw fault("InvoiceExpired", `Order ${c.OrderKey} has expired.`);
    if (order.Status !== "Active" && order.Status !== "PartiallyPaid") throw fault("InvalidParameter", `Order ${c.OrderKey} is ${order.Status} and cannot be paid.`);
    if (c.Currency !== order.Currency) throw fault("InvalidParameter", `Currency ${c.Currency} does not match the order's ${order.Currency}.`);
    const lines = c.Lines.filter((l) => l !== null);
    if (lines.length === 0) throw fault("InvalidParameter", "Lines must hold at least one line.");
    if (compare(sum(lines.map((l) => l.Amount)), c.TotalAmount) !== 0) {
      throw fault("InvalidParameter", `TotalAmount ${c.TotalAmount} is not the sum of the line amounts.`);
    }
    const seen = new Set<string>();
    const updates: { index: number; due: string }[] = [];
    for (const line of lines) {
      if (seen.has(line.LineID)) throw fault("InvalidParameter", `Line ${line.LineID} is paid twice in one confirmation.`);
      seen.add(line.LineID);
      const index = order.Lines.findIndex((l) => l?.LineID === line.LineID);
      const orderLine = order.Lines[index];
      if (orderLine === undefined || orderLine === null) throw fault("InvalidParameter", `Line ${line.LineID} is not a line of order ${c.OrderKey}.`);
      if (compare(line.Amount, "0") <= 0) throw fault("InvalidParameter", `Line ${line.LineID}: the amount must be positive.`);
      const due = orderLine.AmountDue ?? "0.00";
      const partial = orderLine.AllowPartialPayments ?? order.AllowPartialPayments ?? false;
      const advance = orderLine.AllowAdvancePayments ?? order.AllowAdvancePayments ?? false;
      const cmp = compare(line.Amount, due);
      if (cmp < 0 && !partial) throw fault("InvalidParameter", `Line ${line.LineID}: ${line.Amount} is less than the ${due} due, and partial payment is not allowed.`);
      if (cmp > 0 && !advance) throw fault("InvalidParameter", `Line ${line.LineID}: ${line.Amount} is more than the ${due} due, and advance payment is not allowed.`);
      updates.push({ index, due: cmp >= 0 ? "0.00" : subtract(due, line.Amount) });
    }
    // Every check passed: apply the payment and record its PaymentID in the same step.
    for (const { index, due } of updates) stored.Lines[index] = { ...stored.Lines[index]!, AmountDue: due };
    const remaining = stored.Lines.reduce((total, l) => add(total, l?.AmountDue ?? "0.00"), "0.00");
    if (stored.TotalAmountDue !== undefined) stored.TotalAmountDue = compare(remaining, "0") > 0 ? remaining : "0.00";
    stored.Status = isZero(remaining) ? "Paid" : "PartiallyPaid";
    this.#payments.set(c.PaymentID, { paymentId: c.PaymentID, orderKey: c.OrderKey, totalAmount: c.TotalAmount, fingerprint: fingerprint(c) });
    return {};
  }
}
