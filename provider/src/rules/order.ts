/**
 * Rules for the provider's GetOrderDetails answer, from CONTRACT.md (Structures) and the
 * documentation of wsdl/mpay/ServiceProvider.xsd. The codec already refuses values that break the
 * schema (a missing member, a length over a facet); these checks add what the schema cannot say and
 * report every problem at once, with a path, before anything is sent.
 */
import { CurrencyCodeValues, OrderStatusValues, type CurrencyCode, type OrderDetails, type OrderLine, type OrderProperty, type PaymentAccount } from "@mpay-kit/mpay-service-provider";
import { compareDecimal, isDecimal, sumDecimals } from "./decimal.ts";
import { idnProblem, taxCodeProblem } from "./idn.ts";
import { MAX_LENGTHS, characterCount } from "./limits.ts";
import { OrderRulesError, ProblemList, errorsOf, memberPath, quote, type RuleProblem } from "./problems.ts";

export interface ValidateOptions {
  /** Prefix of every reported path, e.g. `GetOrderDetailsResult[0]` (default: none). */
  readonly path?: string;
}

const currencies: ReadonlySet<string> = new Set(CurrencyCodeValues);
const statuses: ReadonlySet<string> = new Set(OrderStatusValues);

/** Whether `value` is one of the contract's currency codes: ISO 4217 alphabetic (`MDL`), not numeric (`498`). */
export function isCurrencyCode(value: string): value is CurrencyCode {
  return currencies.has(value);
}

/** The statuses in which an order can be paid (CONTRACT.md: "Active, PartiallyPaid (both payable)"). */
export const PAYABLE_STATUSES = ["Active", "PartiallyPaid"] as const;

/** Whether an order in this status can be paid. */
export function isPayableStatus(status: string): boolean {
  return (PAYABLE_STATUSES as readonly string[]).includes(status);
}

/** Whether a line accepts less than its AmountDue: its own flag, else the order's, else false. */
export function allowsPartialPayment(order: Pick<OrderDetails, "AllowPartialPayments">, line?: Pick<OrderLine, "AllowPartialPayments">): boolean {
  return line?.AllowPartialPayments ?? order.AllowPartialPayments ?? false;
}

/** Whether a line accepts more than its AmountDue: its own flag, else the order's (CONTRACT.md: "defaults to the order's"), else false. */
export function allowsAdvancePayment(order: Pick<OrderDetails, "AllowAdvancePayments">, line?: Pick<OrderLine, "AllowAdvancePayments">): boolean {
  return line?.AllowAdvancePayments ?? order.AllowAdvancePayments ?? false;
}

/**
 * `Name` of an OrderProperty: "letters digits spaces" (CONTRACT.md). Letters are read as any Unicode
 * letter (Romanian names carry ă, î, ș, ț), digits as 0-9 and spaces as U+0020; a name of no
 * characters identifies nothing and is refused too.
 */
const PROPERTY_NAME = /^[\p{L}0-9 ]+$/u;

/** Reports a string longer than its documented maximum. */
export function checkMaxLength(problems: ProblemList, path: string, value: string | undefined, max: number, severity: "error" | "warning" = "error"): void {
  if (value === undefined) return;
  const length = characterCount(value);
  if (length <= max) return;
  const message = `is ${length} characters long; the maximum is ${max}`;
  if (severity === "error") problems.error(path, "max-length", message);
  else problems.warning(path, "max-length", `${message} (MPay has been seen to accept more)`);
}

function checkDecimal(problems: ProblemList, path: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (isDecimal(value)) return true;
  problems.error(path, "decimal", `${quote(value)} is not a decimal number`);
  return false;
}

/**
 * Checks one property of an order or a line:
 * - documented maximum lengths (DisplayName 36, Name 36, Value 255);
 * - DisplayName not empty ("Romanian required");
 * - Name of letters, digits and spaces;
 * - Required: the Value is not empty;
 * - Type `idn`: the Value is a valid IDNP/IDNO; Type `tc`: a tax code (an IDNx, or at least 5
 *   characters with a non-digit). An empty Value of a property that is not Required is not checked
 *   against its type: the contract does not say an optional property must hold a value.
 *   Other types (`string`, `number`, and those seen in 2025 traffic) have no documented rule.
 */
export function checkOrderProperty(problems: ProblemList, path: string, property: OrderProperty | null): void {
  if (property === null) {
    problems.error(path, "null-item", "is null; a property list holds properties");
    return;
  }
  const limits = MAX_LENGTHS.OrderProperty;
  checkMaxLength(problems, memberPath(path, "DisplayName"), property.DisplayName, limits.DisplayName);
  checkMaxLength(problems, memberPath(path, "Name"), property.Name, limits.Name);
  checkMaxLength(problems, memberPath(path, "Value"), property.Value, limits.Value);
  if (property.DisplayName.trim() === "") problems.error(memberPath(path, "DisplayName"), "required-value", "is empty; a display name (in Romanian at least) is required");
  if (!PROPERTY_NAME.test(property.Name)) problems.error(memberPath(path, "Name"), "property-name", `${quote(property.Name)} may hold only letters, digits and spaces`);
  const value = property.Value;
  if (property.Required === true && value.trim() === "") problems.error(memberPath(path, "Value"), "required-value", "is empty but the property is Required");
  if (value === "") return;
  const type = property.Type;
  if (type === "idn") {
    const problem = idnProblem(value);
    if (problem !== undefined) problems.error(memberPath(path, "Value"), "idn", `${quote(value)} ${problem} (Type idn)`);
  } else if (type === "tc") {
    const problem = taxCodeProblem(value);
    if (problem !== undefined) problems.error(memberPath(path, "Value"), "tax-code", `${quote(value)} ${problem} (Type tc)`);
  }
}

function checkProperties(problems: ProblemList, path: string, properties: readonly (OrderProperty | null)[] | undefined): void {
  properties?.forEach((p, i) => checkOrderProperty(problems, `${path}[${i}]`, p));
}

/**
 * Checks the account of an order line: documented maximum lengths, and either a ConfigurationCode
 * (CONTRACT.md: "opt: a predefined account configuration") or all of BankAccount, BankCode,
 * BankFiscalCode and BeneficiaryName, which the contract does not mark optional. The schema makes
 * every member optional only because MPay's confirmations carry an empty account.
 */
export function checkDestinationAccount(problems: ProblemList, path: string, account: PaymentAccount): void {
  const limits = MAX_LENGTHS.PaymentAccount;
  for (const member of ["BankAccount", "BankCode", "BankFiscalCode", "BeneficiaryName", "ConfigurationCode"] as const) {
    checkMaxLength(problems, memberPath(path, member), account[member], limits[member]);
  }
  if (account.ConfigurationCode !== undefined && account.ConfigurationCode.trim() !== "") return;
  const missing = (["BankAccount", "BankCode", "BankFiscalCode", "BeneficiaryName"] as const).filter((m) => (account[m] ?? "").trim() === "");
  if (missing.length > 0) {
    problems.error(path, "destination-account", `names no ConfigurationCode, so it needs BankAccount, BankCode, BankFiscalCode and BeneficiaryName; missing: ${missing.join(", ")}`);
  }
}

/**
 * Every problem of an order as the provider is about to answer it in GetOrderDetails; an empty list
 * when it follows every rule. Errors break a documented rule; warnings mark what MPay has been seen
 * to accept although the guide says otherwise, or an order the payer cannot pay as described.
 *
 * Checked, with where the rule comes from (CONTRACT.md unless said):
 * - maximum lengths of every documented string (see {@link MAX_LENGTHS}); `Reason` of the order
 *   over 50 is only a warning, since the guide's own 2025 answer has 66 characters;
 * - `Currency` is an ISO 4217 alphabetic code of the contract's list (`MDL`; numeric codes such as
 *   `498` are not codes of the wire);
 * - `CustomerID` is a valid IDNP/IDNO ("string 13: IDNP or IDNO"); `CustomerType` is Person or
 *   Organization (`Unspecified`, a 2014 value, is a warning); `Status` is an OrderStatus;
 * - `Lines`: at least one, no null item, LineIDs unique (the XSD: "Identifier of the line within
 *   the order", quoted back by ConfirmOrderPayment), each account complete
 *   ({@link checkDestinationAccount}), each property valid ({@link checkOrderProperty});
 * - amounts are decimals; when `TotalAmountDue` and every line's `AmountDue` are present, the lines
 *   add up to the total exactly. With some line amounts absent the contract gives no rule relating
 *   them to the total, so none is checked;
 * - a payable order with no `TotalAmountDue` ("amount not known yet") where neither the order nor
 *   any line allows partial or advance payment gives the payer no amount to pay and no way to type
 *   one: a warning.
 *
 * Not checked, because the contract is silent: the sign of amounts, their number of decimals, the
 * first digit of an IDNP vs an IDNO, DueDate against IssuedAt, uniqueness of property names.
 */
export function validateOrderDetails(details: OrderDetails, options: ValidateOptions = {}): RuleProblem[] {
  const base = options.path ?? "";
  const at = (member: string) => memberPath(base, member);
  const problems = new ProblemList();
  const limits = MAX_LENGTHS.OrderDetails;

  checkMaxLength(problems, at("OrderKey"), details.OrderKey, limits.OrderKey);
  checkMaxLength(problems, at("ServiceID"), details.ServiceID, limits.ServiceID);
  checkMaxLength(problems, at("CustomerName"), details.CustomerName, limits.CustomerName);
  checkMaxLength(problems, at("Reason"), details.Reason, limits.Reason, "warning");
  if (!isCurrencyCode(details.Currency)) problems.error(at("Currency"), "currency", `${quote(details.Currency)} is not an ISO 4217 alphabetic currency code (e.g. MDL)`);
  const idn = idnProblem(details.CustomerID);
  if (idn !== undefined) problems.error(at("CustomerID"), "idn", `${quote(details.CustomerID)} ${idn}`);
  if (details.CustomerType === "Unspecified") {
    problems.warning(at("CustomerType"), "customer-type", "Unspecified is a 2014 value; the 2025 guide lists only Person and Organization");
  } else if (details.CustomerType !== "Person" && details.CustomerType !== "Organization") {
    problems.error(at("CustomerType"), "customer-type", `${quote(String(details.CustomerType))} is not Person or Organization`);
  }
  if (!statuses.has(details.Status)) problems.error(at("Status"), "status", `${quote(String(details.Status))} is not an order status`);

  const totalIsDecimal = checkDecimal(problems, at("TotalAmountDue"), details.TotalAmountDue);
  if (details.Lines.length === 0) problems.error(at("Lines"), "at-least-one-line", "is empty; an order has at least one line");
  const lineIds = new Map<string, number>();
  const lineAmounts: string[] = [];
  let everyLineHasAmount = true;
  details.Lines.forEach((line, i) => {
    const path = at(`Lines[${i}]`);
    if (line === null) {
      problems.error(path, "null-item", "is null; an order's lines are lines");
      everyLineHasAmount = false;
      return;
    }
    checkMaxLength(problems, memberPath(path, "LineID"), line.LineID, MAX_LENGTHS.OrderLine.LineID);
    checkMaxLength(problems, memberPath(path, "Reason"), line.Reason, MAX_LENGTHS.OrderLine.Reason);
    const first = lineIds.get(line.LineID);
    if (first !== undefined) problems.error(memberPath(path, "LineID"), "duplicate-line", `${quote(line.LineID)} is already the LineID of Lines[${first}]`);
    else lineIds.set(line.LineID, i);
    if (checkDecimal(problems, memberPath(path, "AmountDue"), line.AmountDue)) lineAmounts.push(line.AmountDue!);
    else everyLineHasAmount = false;
    checkDestinationAccount(problems, memberPath(path, "DestinationAccount"), line.DestinationAccount);
    checkProperties(problems, memberPath(path, "Properties"), line.Properties);
  });
  checkProperties(problems, at("Properties"), details.Properties);

  if (everyLineHasAmount && lineAmounts.length > 0) {
    const sum = sumDecimals(lineAmounts);
    if (totalIsDecimal && compareDecimal(sum, details.TotalAmountDue!) !== 0) {
      problems.error(at("TotalAmountDue"), "line-sum", `is ${details.TotalAmountDue} but the lines' AmountDue add up to ${sum}`);
    }
  }
  const payerMayType = (line: OrderLine | null) => line !== null && (allowsPartialPayment(details, line) || allowsAdvancePayment(details, line));
  if (details.TotalAmountDue === undefined && isPayableStatus(details.Status) && details.AllowPartialPayments !== true && details.AllowAdvancePayments !== true && !details.Lines.some(payerMayType)) {
    problems.warning(at("TotalAmountDue"), "amount-unknown", "is absent (amount not known yet) and the order allows neither partial nor advance payment, so the payer has no amount to pay and cannot type one");
  }
  return problems.items;
}

/**
 * Throws {@link OrderRulesError} when {@link validateOrderDetails} finds an error (warnings pass).
 * Meant for a handler's own answer: a broken order is the provider's bug, so the error is not an
 * InvalidParameter fault blaming MPay.
 */
export function assertValidOrderDetails(details: OrderDetails, options: ValidateOptions = {}): void {
  const errors = errorsOf(validateOrderDetails(details, options));
  if (errors.length > 0) throw new OrderRulesError(errors);
}
