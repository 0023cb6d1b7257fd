/**
 * Rules for a GetOrderDetails answer: every rule with a passing and a failing case, and the
 * guide's own 2025 answer checked as it stands.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { decodeElement, parseXml, readEnvelope } from "@mpay-kit/runtime";
import { GetOrderDetailsResponseElement, type GetOrderDetailsResponse, type OrderDetails, type OrderProperty } from "@mpay-kit/mpay-service-provider";
import { OrderRulesError, assertValidOrderDetails, errorsOf, isCurrencyCode, isPayable, queryLanguage, validateOrderDetails, type RuleProblem } from "@mpay-kit/provider/rules";

const examples = resolve(import.meta.dirname, "../../../shared/mpay/examples");

/** A valid two-line order; each test breaks one thing. */
function order(changes: Partial<OrderDetails> = {}): OrderDetails {
  return {
    Currency: "MDL",
    CustomerID: "2006022048426",
    CustomerName: "Nume Prenume",
    CustomerType: "Person",
    Lines: [
      {
        AmountDue: "9000.00",
        DestinationAccount: { BankAccount: "MD77TRGAAA14153401000000", BankCode: "TREZMD2X", BankFiscalCode: "1006601000255", BeneficiaryName: "Agenția Moldsilva" },
        LineID: "Base:1|Nb-1",
        Reason: "Arenda",
      },
      { AmountDue: "267.00", DestinationAccount: { ConfigurationCode: "MDS02-FEE" }, LineID: "fee", Reason: "Taxa" },
    ],
    OrderKey: "MDS02250710092629689",
    Reason: "Plata pentru arenda",
    ServiceID: "MDS02",
    Status: "Active",
    TotalAmountDue: "9267.00",
    ...changes,
  };
}

function property(changes: Partial<OrderProperty> = {}): OrderProperty {
  return { DisplayName: "IDNP plătitor", Name: "IDNP", Type: "idn", Value: "2006022048426", Required: true, ...changes };
}

const rules = (problems: readonly RuleProblem[]) => problems.map((p) => `${p.severity} ${p.rule} ${p.path}`);

describe("validateOrderDetails", () => {
  it("a valid order has no problem, and assertValidOrderDetails passes", () => {
    expect(validateOrderDetails(order())).toEqual([]);
    expect(() => assertValidOrderDetails(order())).not.toThrow();
  });

  it.skipIf(!existsSync(examples))("the guide's 2025 answer: valid, with a warning for its long Reason", () => {
    const envelope = readEnvelope(parseXml(readFileSync(resolve(examples, "GetOrderDetails.response.xml"), "utf8")));
    const answer = decodeElement<GetOrderDetailsResponse>(envelope.payload!, GetOrderDetailsResponseElement);
    const problems = validateOrderDetails(answer.GetOrderDetailsResult![0]!, { path: "GetOrderDetailsResult[0]" });
    expect(rules(problems)).toEqual(["warning max-length GetOrderDetailsResult[0].Reason"]);
    // 66 characters, plus the line break the PDF transcription left inside it.
    expect(problems[0]!.message).toMatch(/67 characters long; the maximum is 50/);
  });

  it("maximum lengths, counted in characters", () => {
    expect(validateOrderDetails(order({ CustomerName: "ă".repeat(60), OrderKey: "k".repeat(36), ServiceID: "s".repeat(36) }))).toEqual([]);
    const problems = validateOrderDetails(order({ CustomerName: "ă".repeat(61), OrderKey: "k".repeat(37), ServiceID: "s".repeat(37) }));
    expect(rules(problems)).toEqual(["error max-length OrderKey", "error max-length ServiceID", "error max-length CustomerName"]);
    // An astral character is one character, not two UTF-16 units.
    expect(validateOrderDetails(order({ CustomerName: "𝐀".repeat(60) }))).toEqual([]);
    const lines = order().Lines;
    const long = validateOrderDetails(order({ Lines: [{ ...lines[0]!, LineID: "x".repeat(37), Reason: "r".repeat(51), DestinationAccount: { ...lines[0]!.DestinationAccount, BankAccount: "M".repeat(25), BeneficiaryName: "b".repeat(61) } }, lines[1]!] }));
    expect(rules(long)).toEqual([
      "error max-length Lines[0].LineID",
      "error max-length Lines[0].Reason",
      "error max-length Lines[0].DestinationAccount.BankAccount",
      "error max-length Lines[0].DestinationAccount.BeneficiaryName",
    ]);
  });

  it("at least one line, no null line, unique LineIDs", () => {
    expect(rules(validateOrderDetails(order({ Lines: [], TotalAmountDue: "0" })))).toEqual(["error at-least-one-line Lines"]);
    const [a, b] = order().Lines;
    expect(rules(validateOrderDetails(order({ Lines: [a!, null, b!] })))).toEqual(["error null-item Lines[1]"]);
    expect(rules(validateOrderDetails(order({ Lines: [a!, { ...b!, LineID: a!.LineID }] })))).toEqual(["error duplicate-line Lines[1].LineID"]);
  });

  it("the lines' AmountDue add up to TotalAmountDue exactly", () => {
    expect(validateOrderDetails(order({ TotalAmountDue: "9267" }))).toEqual([]);
    const problems = validateOrderDetails(order({ TotalAmountDue: "9267.01" }));
    expect(rules(problems)).toEqual(["error line-sum TotalAmountDue"]);
    expect(problems[0]!.message).toMatch(/add up to 9267\.00/);
    // Floating point would call 0.1 + 0.2 different from 0.3.
    const [a, b] = order().Lines;
    expect(validateOrderDetails(order({ Lines: [{ ...a!, AmountDue: "0.1" }, { ...b!, AmountDue: "0.2" }], TotalAmountDue: "0.3" }))).toEqual([]);
    // With a line amount unknown the contract relates nothing: no check.
    const { AmountDue: _, ...openLine } = a!;
    expect(validateOrderDetails(order({ Lines: [openLine, b!], TotalAmountDue: "1.00" }))).toEqual([]);
  });

  it("amounts must be decimals", () => {
    const [a, b] = order().Lines;
    expect(rules(validateOrderDetails(order({ TotalAmountDue: "9 267,00" })))).toEqual(["error decimal TotalAmountDue"]);
    expect(rules(validateOrderDetails(order({ Lines: [{ ...a!, AmountDue: "1e3" }, b!] })))).toEqual(["error decimal Lines[0].AmountDue"]);
  });

  it("no TotalAmountDue on a payable order that allows neither partial nor advance payment: a warning", () => {
    const { TotalAmountDue: _, ...unknown } = order();
    const lines = unknown.Lines.map((l) => {
      const { AmountDue: _a, ...open } = l!;
      return open;
    });
    expect(rules(validateOrderDetails({ ...unknown, Lines: lines }))).toEqual(["warning amount-unknown TotalAmountDue"]);
    expect(validateOrderDetails({ ...unknown, Lines: lines, AllowPartialPayments: true })).toEqual([]);
    expect(validateOrderDetails({ ...unknown, Lines: lines, AllowAdvancePayments: true })).toEqual([]);
    expect(validateOrderDetails({ ...unknown, Lines: lines, Status: "Paid" })).toEqual([]);
    expect(validateOrderDetails({ ...unknown, Lines: [{ ...lines[0]!, AllowAdvancePayments: true }, lines[1]!] })).toEqual([]);
    expect(rules(validateOrderDetails({ ...unknown, Lines: [{ ...lines[0]!, AllowAdvancePayments: false }, lines[1]!] }))).toEqual(["warning amount-unknown TotalAmountDue"]);
  });

  it("Currency is an ISO 4217 alphabetic code, not a numeric one", () => {
    expect(isCurrencyCode("MDL")).toBe(true);
    expect(isCurrencyCode("EUR")).toBe(true);
    for (const bad of ["498", "mdl", "XYZ", ""]) expect(isCurrencyCode(bad), bad).toBe(false);
    expect(rules(validateOrderDetails(order({ Currency: "498" as "MDL" })))).toEqual(["error currency Currency"]);
  });

  it("CustomerID is a valid IDNP/IDNO; CustomerType Person or Organization; Status an order status", () => {
    expect(validateOrderDetails(order({ CustomerID: "1006601000255", CustomerType: "Organization" }))).toEqual([]);
    expect(rules(validateOrderDetails(order({ CustomerID: "2006022048420" })))).toEqual(["error idn CustomerID"]);
    expect(rules(validateOrderDetails(order({ CustomerID: "ABC" })))).toEqual(["error idn CustomerID"]);
    expect(rules(validateOrderDetails(order({ CustomerType: "Unspecified" })))).toEqual(["warning customer-type CustomerType"]);
    expect(rules(validateOrderDetails(order({ CustomerType: "Robot" as "Person" })))).toEqual(["error customer-type CustomerType"]);
    expect(rules(validateOrderDetails(order({ Status: "Open" as "Active" })))).toEqual(["error status Status"]);
  });

  it("a line's account: a ConfigurationCode, or BankAccount, BankCode, BankFiscalCode and BeneficiaryName", () => {
    const [a, b] = order().Lines;
    const problems = validateOrderDetails(order({ Lines: [{ ...a!, DestinationAccount: { BankAccount: "MD77TRGAAA14153401000000", BankCode: "TREZMD2X" } }, { ...b!, DestinationAccount: {} }] }));
    expect(rules(problems)).toEqual(["error destination-account Lines[0].DestinationAccount", "error destination-account Lines[1].DestinationAccount"]);
    expect(problems[0]!.message).toMatch(/missing: BankFiscalCode, BeneficiaryName/);
  });

  describe("properties", () => {
    const withProperty = (p: OrderProperty | null) => validateOrderDetails(order({ Properties: [p] }));
    it("a valid idn property passes; an invalid IDN fails", () => {
      expect(withProperty(property())).toEqual([]);
      expect(rules(withProperty(property({ Value: "2006022048425" })))).toEqual(["error idn Properties[0].Value"]);
    });
    it("tc properties follow the tax-code rule", () => {
      expect(withProperty(property({ Type: "tc", Value: "MD-ABC-1" }))).toEqual([]);
      expect(withProperty(property({ Type: "tc", Value: "1006601000255" }))).toEqual([]);
      expect(rules(withProperty(property({ Type: "tc", Value: "1234" })))).toEqual(["error tax-code Properties[0].Value"]);
      expect(rules(withProperty(property({ Type: "tc", Value: "123456789" })))).toEqual(["error tax-code Properties[0].Value"]);
    });
    it("other types carry no rule", () => {
      expect(withProperty(property({ Type: "number", Value: "060606060" }))).toEqual([]);
      expect(withProperty(property({ Type: "LineDescription", Value: "anything at all" }))).toEqual([]);
    });
    it("a Required property has a value; an optional one may be empty, whatever its type", () => {
      expect(rules(withProperty(property({ Value: "" })))).toEqual(["error required-value Properties[0].Value"]);
      expect(rules(withProperty(property({ Value: "   ", Type: "string" })))).toEqual(["error required-value Properties[0].Value"]);
      expect(withProperty(property({ Value: "", Required: false }))).toEqual([]);
    });
    it("Name holds letters, digits and spaces only", () => {
      expect(withProperty(property({ Name: "Nr contract 2 ăîș" }))).toEqual([]);
      for (const bad of ["HO:Telephone", "a-b", "", "tab\there"]) expect(rules(withProperty(property({ Name: bad }))), bad).toEqual(["error property-name Properties[0].Name"]);
    });
    it("DisplayName is required; lengths of DisplayName, Name, Value", () => {
      expect(rules(withProperty(property({ DisplayName: " " })))).toEqual(["error required-value Properties[0].DisplayName"]);
      expect(withProperty(property({ Type: "string", DisplayName: "d".repeat(36), Name: "n".repeat(36), Value: "v".repeat(255) }))).toEqual([]);
      expect(rules(withProperty(property({ Type: "string", DisplayName: "d".repeat(37), Name: "n".repeat(37), Value: "v".repeat(256) })))).toEqual([
        "error max-length Properties[0].DisplayName",
        "error max-length Properties[0].Name",
        "error max-length Properties[0].Value",
      ]);
    });
    it("line properties and null properties are checked too", () => {
      const [a, b] = order().Lines;
      expect(rules(validateOrderDetails(order({ Lines: [{ ...a!, Properties: [property({ Value: "1" }), null] }, b!] })))).toEqual([
        "error idn Lines[0].Properties[0].Value",
        "error null-item Lines[0].Properties[1]",
      ]);
    });
  });

  it("assertValidOrderDetails throws an OrderRulesError with the errors only (warnings pass)", () => {
    expect(() => assertValidOrderDetails(order({ CustomerType: "Unspecified" }))).not.toThrow();
    try {
      assertValidOrderDetails(order({ TotalAmountDue: "1.00", CustomerID: "1" }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OrderRulesError);
      const problems = (error as OrderRulesError).problems;
      expect(errorsOf(problems).length).toBe(2);
      expect((error as Error).message).toMatch(/CustomerID: "1" must be an IDNP or IDNO/);
    }
  });
});

describe("reading the query and the order's state", () => {
  it("Language: ro by default, any case, undefined for a language the contract does not name", () => {
    expect(queryLanguage({})).toBe("ro");
    expect(queryLanguage({ Language: "RO" })).toBe("ro");
    expect(queryLanguage({ Language: "En" })).toBe("en");
    expect(queryLanguage({ Language: "ru" })).toBe("ru");
    expect(queryLanguage({ Language: "fr" })).toBeUndefined();
  });

  it("payable: Active or PartiallyPaid, and not past DueDate (Moldovan time)", () => {
    const at = new Date("2025-07-10T07:00:00Z"); // 10:00 in Chisinau (UTC+3 in summer)
    expect(isPayable({ Status: "Active" }, at)).toBe(true);
    expect(isPayable({ Status: "PartiallyPaid", DueDate: "2025-07-10T10:00:00" }, at)).toBe(true);
    expect(isPayable({ Status: "Active", DueDate: "2025-07-10T09:59:59" }, at)).toBe(false);
    for (const status of ["Paid", "Completed", "Expired", "Cancelled", "Refunding", "Refunded"] as const) expect(isPayable({ Status: status }, at), status).toBe(false);
  });
});
