/**
 * Rules for a ConfirmOrderPayment delivery against the order it pays (partial and advance payment,
 * sums, lines, status, due date), what the order becomes after it, and the typed faults.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { decodeElement, parseXml, readEnvelope } from "@mpay-kit/runtime";
import {
  ConfirmOrderPaymentElement,
  GetOrderDetailsResponseElement,
  FaultCodes,
  isFault,
  type ConfirmOrderPayment,
  type GetOrderDetailsResponse,
  type OrderDetails,
  type PaymentConfirmation,
} from "@mpay-kit/mpay-service-provider";
import * as rules from "@mpay-kit/provider/rules";
import { assertValidConfirmation, orderAfterPayment, validateConfirmation, type RuleProblem } from "@mpay-kit/provider/rules";

const examples = resolve(import.meta.dirname, "../../../shared/mpay/examples");

function order(changes: Partial<OrderDetails> = {}): OrderDetails {
  return {
    Currency: "MDL",
    CustomerID: "2006022048426",
    CustomerName: "Nume Prenume",
    CustomerType: "Person",
    DueDate: "2025-07-31T23:59:59",
    Lines: [
      { AmountDue: "9000.00", DestinationAccount: { ConfigurationCode: "A" }, LineID: "rent", Reason: "Arenda" },
      { AmountDue: "267.00", DestinationAccount: { ConfigurationCode: "B" }, LineID: "fee", Reason: "Taxa" },
    ],
    OrderKey: "K1",
    Reason: "Arenda",
    ServiceID: "MDS02",
    Status: "Active",
    TotalAmountDue: "9267.00",
    ...changes,
  };
}

function payment(amounts: Record<string, string>, changes: Partial<PaymentConfirmation> = {}): PaymentConfirmation {
  const lines = Object.entries(amounts).map(([LineID, Amount]) => ({ LineID, Amount }));
  return {
    Currency: "MDL",
    Lines: lines,
    OrderKey: "K1",
    PaidAt: "2025-07-10T10:51:23",
    PaymentID: "79042133",
    ServiceID: "MDS02",
    TotalAmount: rules.sumDecimals(lines.map((l) => l.Amount)),
    ...changes,
  };
}

const ids = (problems: readonly RuleProblem[]) => problems.map((p) => `${p.rule} ${p.path}`);

describe("validateConfirmation", () => {
  it("a full payment of every line is valid", () => {
    expect(validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }), order())).toEqual([]);
    expect(() => assertValidConfirmation(payment({ rent: "9000", fee: "267" }), order())).not.toThrow();
  });

  it.skipIf(!existsSync(examples))("the guide's confirmation pays the guide's order", () => {
    const read = (file: string) => readEnvelope(parseXml(readFileSync(resolve(examples, file), "utf8"))).payload!;
    const answer = decodeElement<GetOrderDetailsResponse>(read("GetOrderDetails.response.xml"), GetOrderDetailsResponseElement);
    const delivery = decodeElement<ConfirmOrderPayment>(read("ConfirmOrderPayment.request.xml"), ConfirmOrderPaymentElement, { strict: false });
    const theOrder = answer.GetOrderDetailsResult![0]!;
    expect(validateConfirmation(delivery.confirmation!, theOrder)).toEqual([]);
    const after = orderAfterPayment(theOrder, delivery.confirmation!);
    expect(after.order.Status).toBe("Paid");
    expect(after.order.TotalAmountDue).toBe("0.00");
    expect(after.order.Lines[0]!.AmountDue).toBe("0.00");
  });

  it("at least one line, no null line, a LineID at most once", () => {
    expect(ids(validateConfirmation(payment({}, { TotalAmount: "0" })))).toEqual(["at-least-one-line confirmation.Lines"]);
    expect(ids(validateConfirmation(payment({ rent: "1" }, { Lines: [{ LineID: "rent", Amount: "1" }, null] })))).toEqual(["null-item confirmation.Lines[1]"]);
    const twice = payment({}, { Lines: [{ LineID: "fee", Amount: "200.00" }, { LineID: "fee", Amount: "67.00" }], TotalAmount: "267.00" });
    expect(ids(validateConfirmation(twice))).toEqual(["duplicate-line confirmation.Lines[1].LineID"]);
  });

  it("TotalAmount is exactly the sum of the lines", () => {
    expect(validateConfirmation(payment({ rent: "0.1", fee: "0.2" }, { TotalAmount: "0.30" }))).toEqual([]);
    expect(ids(validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }, { TotalAmount: "9267.01" })))).toEqual(["line-sum confirmation.TotalAmount"]);
    expect(ids(validateConfirmation(payment({ rent: "9000.00" }, { TotalAmount: "x" })))).toEqual(["decimal confirmation.TotalAmount"]);
    expect(ids(validateConfirmation(payment({}, { Lines: [{ LineID: "rent", Amount: "9,000" }], TotalAmount: "9000" })))).toEqual(["decimal confirmation.Lines[0].Amount"]);
    // Against the order, a broken line is reported once, not again as an unpaid line.
    expect(ids(validateConfirmation(payment({}, { Lines: [{ LineID: "rent", Amount: "9,000" }, { LineID: "fee", Amount: "267.00" }], TotalAmount: "9267.00" }), order()))).toEqual(["decimal confirmation.Lines[0].Amount"]);
  });

  it("maximum lengths and the currency code", () => {
    const long = payment({ rent: "1" }, { PaymentID: "p".repeat(37), InvoiceID: "i".repeat(37), Properties: [{ Name: "n".repeat(37), Value: "v".repeat(256) }], Currency: "498" as "MDL" });
    expect(ids(validateConfirmation(long))).toEqual([
      "max-length confirmation.PaymentID",
      "max-length confirmation.InvoiceID",
      "currency confirmation.Currency",
      "max-length confirmation.Properties[0].Name",
      "max-length confirmation.Properties[0].Value",
    ]);
    expect(validateConfirmation(payment({ rent: "1" }, { PaymentID: "p".repeat(36), InvoiceID: "00069002233014", Properties: [{ Name: "HO:Telephone", Value: "060606060" }, { Name: "Bank" }] }))).toEqual([]);
  });

  it("the confirmation is for this order, in its currency", () => {
    const problems = validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }, { ServiceID: "OTHER", OrderKey: "K2", Currency: "EUR" }), order());
    expect(ids(problems)).toEqual(["order-mismatch confirmation.ServiceID", "order-mismatch confirmation.OrderKey", "currency confirmation.Currency"]);
  });

  it("every LineID is a line of the order", () => {
    const problems = validateConfirmation(payment({ rent: "9000.00", fee: "267.00", tip: "1.00" }), order({ AllowAdvancePayments: true }));
    expect(ids(problems)).toEqual(["unknown-line confirmation.Lines[2].LineID"]);
  });

  it("only Active and PartiallyPaid orders are payable", () => {
    const full = payment({ rent: "9000.00", fee: "267.00" });
    expect(validateConfirmation(full, order({ Status: "PartiallyPaid" }))).toEqual([]);
    for (const status of ["Paid", "Completed", "Expired", "Cancelled", "Refunding", "Refunded"] as const) {
      expect(ids(validateConfirmation(full, order({ Status: status }))), status).toEqual(["order-not-payable confirmation.OrderKey"]);
    }
  });

  it("PaidAt not after DueDate; no DueDate never expires", () => {
    expect(validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }, { PaidAt: "2025-07-31T23:59:59" }), order())).toEqual([]);
    expect(ids(validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }, { PaidAt: "2025-08-01T00:00:00" }), order()))).toEqual(["paid-after-due-date confirmation.PaidAt"]);
    const { DueDate: _, ...forever } = order();
    expect(validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }, { PaidAt: "2099-01-01T00:00:00" }), forever)).toEqual([]);
    // An offset on one side is honoured: 21:00Z is midnight in Chisinau (UTC+3 in summer).
    expect(validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }, { PaidAt: "2025-07-31T20:59:59Z" }), order())).toEqual([]);
    expect(ids(validateConfirmation(payment({ rent: "9000.00", fee: "267.00" }, { PaidAt: "2025-07-31T21:00:00Z" }), order()))).toEqual(["paid-after-due-date confirmation.PaidAt"]);
  });

  describe("partial payment", () => {
    const part = payment({ rent: "4000.00", fee: "267.00" });
    it("refused when neither the line nor the order allows it", () => {
      expect(ids(validateConfirmation(part, order()))).toEqual(["partial-payment confirmation.Lines[0].Amount", "partial-payment confirmation.TotalAmount"]);
    });
    it("allowed by the order's flag, for the lines too", () => {
      expect(validateConfirmation(part, order({ AllowPartialPayments: true }))).toEqual([]);
    });
    it("a line's own flag wins over the order's", () => {
      const o = order({ AllowPartialPayments: true });
      const lines = o.Lines.map((l) => ({ ...l!, AllowPartialPayments: false }));
      expect(ids(validateConfirmation(part, { ...o, Lines: lines }))).toEqual(["partial-payment confirmation.Lines[0].Amount"]);
      const lineOnly = order().Lines.map((l) => ({ ...l!, AllowPartialPayments: true }));
      expect(ids(validateConfirmation(part, order({ Lines: lineOnly })))).toEqual(["partial-payment confirmation.TotalAmount"]);
    });
    it("an order line the confirmation does not list is paid nothing", () => {
      expect(ids(validateConfirmation(payment({ rent: "9000.00" }), order()))).toEqual(["partial-payment confirmation.Lines", "partial-payment confirmation.TotalAmount"]);
      expect(validateConfirmation(payment({ rent: "9000.00" }), order({ AllowPartialPayments: true }))).toEqual([]);
    });
  });

  describe("advance payment", () => {
    const more = payment({ rent: "9000.00", fee: "300.00" });
    it("refused when neither the line nor the order allows it", () => {
      expect(ids(validateConfirmation(more, order()))).toEqual(["advance-payment confirmation.Lines[1].Amount", "advance-payment confirmation.TotalAmount"]);
    });
    it("allowed by the order's flag", () => {
      expect(validateConfirmation(more, order({ AllowAdvancePayments: true }))).toEqual([]);
    });
    it("a line's flag defaults to the order's and wins over it", () => {
      const lines = order().Lines.map((l) => ({ ...l!, AllowAdvancePayments: true }));
      expect(ids(validateConfirmation(more, order({ Lines: lines })))).toEqual(["advance-payment confirmation.TotalAmount"]);
    });
  });

  it("amounts not known by the order take what the payer typed", () => {
    const { TotalAmountDue: _, ...open } = order({ AllowPartialPayments: true });
    const lines = open.Lines.map((l) => {
      const { AmountDue: _a, ...rest } = l!;
      return rest;
    });
    expect(validateConfirmation(payment({ rent: "12.34" }), { ...open, Lines: lines })).toEqual([]);
  });

  it("assertValidConfirmation throws InvalidParameter naming the problems", () => {
    try {
      assertValidConfirmation(payment({ rent: "1.00" }, { TotalAmount: "2.00" }), order());
      expect.unreachable();
    } catch (error) {
      expect(isFault(error, "InvalidParameter")).toBe(true);
      const reason = (error as { reason: string }).reason;
      expect(reason).toMatch(/^Invalid parameter: confirmation\.TotalAmount: is 2\.00 but the lines' Amount add up to 1\.00/);
    }
  });
});

describe("orderAfterPayment: a later GetOrderDetails returns only what is still due", () => {
  it("a partial payment lowers the amounts and makes the order PartiallyPaid", () => {
    const before = order({ AllowPartialPayments: true });
    const { order: after, advance } = orderAfterPayment(before, payment({ rent: "4000.00", fee: "267" }));
    expect(after.Status).toBe("PartiallyPaid");
    expect(after.TotalAmountDue).toBe("5000.00");
    expect(after.Lines.map((l) => l!.AmountDue)).toEqual(["5000.00", "0.00"]);
    expect(advance.total).toBe("0.00");
    expect(advance.byLine.size).toBe(0);
    expect(before.TotalAmountDue).toBe("9267.00");
    expect(rules.validateOrderDetails(after)).toEqual([]);
  });

  it("paying the rest makes it Paid", () => {
    const first = orderAfterPayment(order({ AllowPartialPayments: true }), payment({ rent: "4000.00", fee: "267.00" })).order;
    const second = orderAfterPayment(first, payment({ rent: "5000.00" }, { PaymentID: "2" }));
    expect(second.order.Status).toBe("Paid");
    expect(second.order.TotalAmountDue).toBe("0.00");
  });

  it("an advance payment stops the amounts at zero and reports the excess", () => {
    const { order: after, advance } = orderAfterPayment(order({ AllowAdvancePayments: true }), payment({ rent: "9000.00", fee: "300.50" }));
    expect(after.Status).toBe("Paid");
    expect(after.TotalAmountDue).toBe("0.00");
    expect(after.Lines.map((l) => l!.AmountDue)).toEqual(["0.00", "0.00"]);
    expect(advance.total).toBe("33.50");
    expect([...advance.byLine]).toEqual([["fee", "33.50"]]);
  });

  it("with no amount known the order becomes PartiallyPaid (nothing says it is settled)", () => {
    const { TotalAmountDue: _, ...open } = order({ AllowPartialPayments: true });
    const lines = open.Lines.map((l) => {
      const { AmountDue: _a, ...rest } = l!;
      return rest;
    });
    const after = orderAfterPayment({ ...open, Lines: lines }, payment({ rent: "12.34" })).order;
    expect(after.Status).toBe("PartiallyPaid");
    expect(after.TotalAmountDue).toBeUndefined();
  });
});

describe("typed faults", () => {
  it("one builder per documented code, qualified with MPay's namespace", () => {
    const built = [
      rules.internalError(),
      rules.authenticationFailed(),
      rules.authorizationFailed(),
      rules.invalidParameter("OrderKey is required."),
      rules.unknownService("MDS99"),
      rules.unknownOrder("MDS02", "K9"),
      rules.unknownInvoice("00069002233014"),
      rules.unknownPayment("79042133"),
      rules.invoiceAlreadyPaid("K1"),
      rules.invoiceExpired("K1", "2025-07-31T23:59:59"),
    ];
    expect(built.map((f) => f.code)).toEqual([...FaultCodes]);
    for (const f of built) {
      expect(isFault(f, f.code)).toBe(true);
      expect(f.namespace).toBe("https://mpay.gov.md");
      expect(f.reason).toMatch(/^[A-Z].*\.$/);
    }
    expect(rules.unknownOrder("MDS02", "K9").reason).toBe('The OrderKey "K9" is unknown for service "MDS02".');
    expect(rules.unknownPayment("1").code).toBe("UknownPayment");
    expect(rules.internalError().reason).not.toMatch(/Error|stack|at /);
  });

  it("InvalidParameter from problems names the first five and counts the rest", () => {
    const problems: RuleProblem[] = Array.from({ length: 7 }, (_, i) => ({ path: `Lines[${i}].Reason`, rule: "max-length", message: "is too long", severity: "error" }));
    const reason = rules.invalidParameter(problems).reason;
    expect(reason).toContain("Lines[4].Reason: is too long");
    expect(reason).not.toContain("Lines[5]");
    expect(reason).toMatch(/; and 2 more\.$/);
  });

  it("values in reasons are quoted and cut", () => {
    const reason = rules.unknownOrder("S", `"quoted"${"x".repeat(100)}`).reason;
    expect(reason).toContain('"\\"quoted\\"');
    expect(reason).toContain("…");
    expect(reason.length).toBeLessThan(120);
  });
});
