/**
 * Rules for a ConfirmOrderPayment delivery, on its own and against the order it pays, and what the
 * order looks like after it ("a later GetOrderDetails returns only what is still due", CONTRACT.md).
 */
import type { Decimal } from "@mpay-kit/runtime";
import { toDate, type OrderDetails, type OrderLine, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { compareDecimal, decimalSign, isDecimal, subtractDecimals, sumDecimals } from "./decimal.ts";
import { invalidParameter } from "./faults.ts";
import { MAX_LENGTHS } from "./limits.ts";
import { allowsAdvancePayment, allowsPartialPayment, checkMaxLength, isCurrencyCode, isPayableStatus } from "./order.ts";
import { ProblemList, errorsOf, memberPath, quote, type RuleProblem } from "./problems.ts";

export interface ConfirmationCheckOptions {
  /** Prefix of every reported path (default `confirmation`, as the codec names it). */
  readonly path?: string;
}

/**
 * Every problem of a payment confirmation, on its own, and against `order` when given: the order as
 * it stood before this payment (what the provider last answered in GetOrderDetails).
 *
 * On its own (CONTRACT.md, PaymentConfirmation; the XSD documentation):
 * - maximum lengths of its strings; `Currency` an ISO 4217 alphabetic code; amounts decimals;
 * - `Lines`: at least one, no null item; a LineID at most once (the contract does not say a line may
 *   be paid twice in one confirmation, and two entries would leave "the amount paid on that line"
 *   ambiguous);
 * - `TotalAmount` is exactly the sum of the lines' `Amount` (XSD: "the sum of the lines' amounts").
 *
 * Against the order:
 * - same ServiceID, OrderKey and Currency;
 * - the order is payable (Active or PartiallyPaid), and `PaidAt` is not after its `DueDate` (none =
 *   never expires); both are read in Moldovan time, as MPay writes them;
 * - every LineID is a line of the order;
 * - per line, against its `AmountDue`: less is a partial payment, allowed only when the line's
 *   AllowPartialPayments (else the order's) is true; more is an advance payment, allowed only when
 *   the line's AllowAdvancePayments (else the order's) is true. An order line the confirmation does
 *   not list counts as paid nothing (the contract does not say whether every line is listed). A line
 *   without `AmountDue` takes whatever the payer typed;
 * - the same for `TotalAmount` against `TotalAmountDue` with the order's flags, when it is known.
 *
 * Not checked, because the contract is silent: the sign of amounts (a zero or negative payment), the
 * number of decimals, the properties MPay adds (`Bank`, `HO:`-prefixed echoes).
 *
 * Which fault to answer is the handler's choice; note that MPay retries every delivery answered with
 * a fault, so a payment the provider refuses comes back until someone intervenes.
 */
export function validateConfirmation(confirmation: PaymentConfirmation, order?: OrderDetails, options: ConfirmationCheckOptions = {}): RuleProblem[] {
  const base = options.path ?? "confirmation";
  const at = (member: string) => memberPath(base, member);
  const problems = new ProblemList();
  const limits = MAX_LENGTHS.PaymentConfirmation;
  checkMaxLength(problems, at("PaymentID"), confirmation.PaymentID, limits.PaymentID);
  checkMaxLength(problems, at("OrderKey"), confirmation.OrderKey, limits.OrderKey);
  checkMaxLength(problems, at("ServiceID"), confirmation.ServiceID, limits.ServiceID);
  checkMaxLength(problems, at("InvoiceID"), confirmation.InvoiceID, limits.InvoiceID);
  if (!isCurrencyCode(confirmation.Currency)) problems.error(at("Currency"), "currency", `${quote(confirmation.Currency)} is not an ISO 4217 alphabetic currency code (e.g. MDL)`);
  confirmation.Properties?.forEach((p, i) => {
    const path = at(`Properties[${i}]`);
    if (p === null) return problems.error(path, "null-item", "is null");
    checkMaxLength(problems, memberPath(path, "Name"), p.Name, MAX_LENGTHS.PaymentProperty.Name);
    checkMaxLength(problems, memberPath(path, "Value"), p.Value, MAX_LENGTHS.PaymentProperty.Value);
  });

  const totalOk = isDecimal(confirmation.TotalAmount);
  if (!totalOk) problems.error(at("TotalAmount"), "decimal", `${quote(confirmation.TotalAmount)} is not a decimal number`);
  if (confirmation.Lines.length === 0) problems.error(at("Lines"), "at-least-one-line", "is empty; a confirmation pays at least one line");
  const paidByLine = new Map<string, Decimal>();
  let linesOk = true;
  confirmation.Lines.forEach((line, i) => {
    const path = at(`Lines[${i}]`);
    if (line === null) {
      problems.error(path, "null-item", "is null; a confirmation's lines are lines");
      linesOk = false;
      return;
    }
    checkMaxLength(problems, memberPath(path, "LineID"), line.LineID, MAX_LENGTHS.PaymentConfirmationLine.LineID);
    line.Properties?.forEach((p, j) => {
      const propertyPath = memberPath(path, `Properties[${j}]`);
      if (p === null) return problems.error(propertyPath, "null-item", "is null");
      checkMaxLength(problems, memberPath(propertyPath, "Name"), p.Name, MAX_LENGTHS.PaymentProperty.Name);
      checkMaxLength(problems, memberPath(propertyPath, "Value"), p.Value, MAX_LENGTHS.PaymentProperty.Value);
    });
    if (!isDecimal(line.Amount)) {
      problems.error(memberPath(path, "Amount"), "decimal", `${quote(line.Amount)} is not a decimal number`);
      linesOk = false;
      return;
    }
    if (paidByLine.has(line.LineID)) {
      problems.error(memberPath(path, "LineID"), "duplicate-line", `${quote(line.LineID)} is paid by an earlier line of this confirmation too`);
      linesOk = false;
      return;
    }
    paidByLine.set(line.LineID, line.Amount);
  });
  if (totalOk && linesOk && paidByLine.size > 0) {
    const sum = sumDecimals([...paidByLine.values()]);
    if (compareDecimal(sum, confirmation.TotalAmount) !== 0) problems.error(at("TotalAmount"), "line-sum", `is ${confirmation.TotalAmount} but the lines' Amount add up to ${sum}`);
  }
  if (order !== undefined) checkAgainstOrder(problems, at, confirmation, order, linesOk ? paidByLine : undefined, totalOk);
  return problems.items;
}

/** `paidByLine` is undefined when the lines themselves are broken: amounts are then not compared, to report the cause only. */
function checkAgainstOrder(problems: ProblemList, at: (member: string) => string, confirmation: PaymentConfirmation, order: OrderDetails, paidByLine: ReadonlyMap<string, Decimal> | undefined, totalOk: boolean): void {
  if (confirmation.ServiceID !== order.ServiceID) problems.error(at("ServiceID"), "order-mismatch", `${quote(confirmation.ServiceID)} is not the order's service ${quote(order.ServiceID)}`);
  if (confirmation.OrderKey !== order.OrderKey) problems.error(at("OrderKey"), "order-mismatch", `${quote(confirmation.OrderKey)} is not the order's key ${quote(order.OrderKey)}`);
  if (confirmation.Currency !== order.Currency) problems.error(at("Currency"), "currency", `${confirmation.Currency} is not the order's currency ${order.Currency}`);
  if (!isPayableStatus(order.Status)) problems.error(at("OrderKey"), "order-not-payable", `the order is ${order.Status}; only Active and PartiallyPaid orders can be paid`);
  if (order.DueDate !== undefined && paidAfter(confirmation.PaidAt, order.DueDate)) {
    problems.error(at("PaidAt"), "paid-after-due-date", `${confirmation.PaidAt} is after the order's DueDate ${order.DueDate}`);
  }
  const orderLines = new Map<string, OrderLine>();
  for (const line of order.Lines) if (line !== null && !orderLines.has(line.LineID)) orderLines.set(line.LineID, line);
  confirmation.Lines.forEach((line, i) => {
    if (line !== null && !orderLines.has(line.LineID)) problems.error(at(`Lines[${i}].LineID`), "unknown-line", `${quote(line.LineID)} is not a line of order ${quote(order.OrderKey)}`);
  });
  if (paidByLine === undefined) return;
  for (const [lineId, orderLine] of orderLines) {
    if (orderLine.AmountDue === undefined || !isDecimal(orderLine.AmountDue)) continue;
    const paid = paidByLine.get(lineId);
    const index = confirmation.Lines.findIndex((l) => l?.LineID === lineId);
    const path = index < 0 ? at("Lines") : at(`Lines[${index}].Amount`);
    const what = index < 0 ? `order line ${quote(lineId)} is not paid` : `${paid} paid`;
    checkAmount(problems, path, paid ?? "0", orderLine.AmountDue, allowsPartialPayment(order, orderLine), allowsAdvancePayment(order, orderLine), `${what} against ${orderLine.AmountDue} due on the line`);
  }
  if (totalOk && order.TotalAmountDue !== undefined && isDecimal(order.TotalAmountDue)) {
    checkAmount(problems, at("TotalAmount"), confirmation.TotalAmount, order.TotalAmountDue, order.AllowPartialPayments ?? false, order.AllowAdvancePayments ?? false, `${confirmation.TotalAmount} paid against ${order.TotalAmountDue} due on the order`);
  }
}

function checkAmount(problems: ProblemList, path: string, paid: Decimal, due: Decimal, partial: boolean, advance: boolean, what: string): void {
  const c = compareDecimal(paid, due);
  if (c < 0 && !partial) problems.error(path, "partial-payment", `${what}: less than due, and partial payment is not allowed`);
  if (c > 0 && !advance) problems.error(path, "advance-payment", `${what}: more than due, and advance payment is not allowed`);
}

/** Whether PaidAt is after DueDate; both name instants in Moldovan time when they carry no offset. */
function paidAfter(paidAt: string, dueDate: string): boolean {
  // A wall-clock time in the autumn overlap hour names two instants: each is read in the payer's favour.
  const paid = toDate(paidAt, { disambiguation: "earlier" }).getTime();
  const due = toDate(dueDate, { disambiguation: "later" }).getTime();
  return paid > due;
}

/**
 * Throws an InvalidParameter fault naming every error {@link validateConfirmation} finds (warnings
 * pass). Use it before applying a payment; the fault makes MPay retry, so only refuse what must
 * not be applied.
 */
export function assertValidConfirmation(confirmation: PaymentConfirmation, order?: OrderDetails, options: ConfirmationCheckOptions = {}): void {
  const errors = errorsOf(validateConfirmation(confirmation, order, options));
  if (errors.length > 0) throw invalidParameter(errors);
}

/** An order after a payment, and what the payment brought beyond what was due. */
export interface OrderAfterPayment {
  /** The order as the next GetOrderDetails should answer it. */
  readonly order: OrderDetails;
  /**
   * What was paid beyond what was due (an advance payment), per LineID and in total; zero amounts
   * when nothing was. The contract does not say how an advance shows in later answers, so the
   * amounts due stop at zero and the excess is reported here for the provider to keep.
   */
  readonly advance: { readonly total: Decimal; readonly byLine: ReadonlyMap<string, Decimal> };
}

/**
 * Applies a checked payment to the order it pays: each line's `AmountDue` goes down by what was paid
 * on it (not below zero), `TotalAmountDue` by `TotalAmount` (not below zero), and `Status` becomes
 * Paid when nothing is still due, else PartiallyPaid. Amounts keep their scale (`9267.00 - 267.00`
 * is `9000.00`). Lines and amounts the order does not state stay absent. When neither the total
 * nor every line's amount is known, whether anything is still due is unknown and the status becomes
 * PartiallyPaid: the contract says nothing about such orders, so the provider sets its own status.
 *
 * Call it after {@link validateConfirmation} found no error; it does not check again. The order
 * given is not changed.
 */
export function orderAfterPayment(order: OrderDetails, confirmation: PaymentConfirmation): OrderAfterPayment {
  const paidByLine = new Map<string, Decimal>();
  for (const line of confirmation.Lines) if (line !== null) paidByLine.set(line.LineID, line.Amount);
  const advanceByLine = new Map<string, Decimal>();
  const lines = order.Lines.map((line) => {
    if (line === null || line.AmountDue === undefined) return line;
    const paid = paidByLine.get(line.LineID);
    if (paid === undefined) return line;
    const { remaining, excess } = remainingAfter(line.AmountDue, paid);
    if (decimalSign(excess) > 0) advanceByLine.set(line.LineID, excess);
    return { ...line, AmountDue: remaining };
  });
  let totalRemaining: Decimal | undefined;
  let totalAdvance = "0";
  if (order.TotalAmountDue !== undefined) {
    const { remaining, excess } = remainingAfter(order.TotalAmountDue, confirmation.TotalAmount);
    totalRemaining = remaining;
    totalAdvance = excess;
  } else if (advanceByLine.size > 0) {
    totalAdvance = sumDecimals([...advanceByLine.values()]);
  }
  const everyLineKnown = lines.every((l) => l === null || l.AmountDue !== undefined);
  const nothingDue =
    totalRemaining !== undefined ? decimalSign(totalRemaining) === 0 : everyLineKnown && lines.length > 0 && lines.every((l) => l === null || decimalSign(l.AmountDue!) <= 0);
  const next: OrderDetails = {
    ...order,
    Lines: lines,
    Status: nothingDue ? "Paid" : "PartiallyPaid",
    ...(totalRemaining === undefined ? {} : { TotalAmountDue: totalRemaining }),
  };
  return { order: next, advance: { total: totalAdvance, byLine: advanceByLine } };
}

function remainingAfter(due: Decimal, paid: Decimal): { remaining: Decimal; excess: Decimal } {
  const difference = subtractDecimals(due, paid);
  if (decimalSign(difference) >= 0) return { remaining: difference, excess: subtractDecimals(difference, difference) };
  // Paid more than due: nothing remains, the rest is an advance. Both keep the larger scale.
  const zero = subtractDecimals(difference, difference);
  return { remaining: zero, excess: subtractDecimals(zero, difference) };
}
