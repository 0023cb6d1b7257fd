/**
 * What a rule check reports: every problem found, each with the member it is about.
 */

/** Which rule a problem breaks; stable, for code that reacts to a particular rule. */
export type RuleId =
  | "max-length" // a string is longer than the documented maximum
  | "required-value" // a member that must carry text is empty
  | "at-least-one-line" // Lines is empty
  | "null-item" // a list holds a null item
  | "duplicate-line" // two lines share a LineID
  | "unknown-line" // a confirmation line names no line of the order
  | "line-sum" // the lines' amounts do not add up to the total
  | "decimal" // an amount is not an xs:decimal
  | "currency" // not an ISO 4217 alphabetic code of the contract, or not the order's
  | "customer-type" // not a CustomerType of the 2025 guide
  | "status" // not an OrderStatus
  | "idn" // not a valid IDNP/IDNO
  | "tax-code" // not a valid tax code
  | "property-name" // an OrderProperty name with characters other than letters, digits and spaces
  | "destination-account" // an order line's account is neither complete nor a configuration code
  | "amount-unknown" // no amount is known and the payer cannot type one
  | "order-mismatch" // a confirmation for another service or order
  | "order-not-payable" // the order's status does not allow payment
  | "paid-after-due-date" // PaidAt is after the order's DueDate
  | "partial-payment" // less than due, where partial payment is not allowed
  | "advance-payment"; // more than due, where advance payment is not allowed

/**
 * One problem. `error`s break a documented rule; `warning`s mark what the contract discourages or
 * what MPay may not be able to use, but which real MPay traffic shows is accepted.
 */
export interface RuleProblem {
  /** The member, as in the TypeScript value: `Lines[0].DestinationAccount.BankAccount`. */
  readonly path: string;
  readonly rule: RuleId;
  /** Plain English, naming the rule and the offending value's relevant facts. */
  readonly message: string;
  readonly severity: "error" | "warning";
}

/** Only the errors among `problems`. */
export function errorsOf(problems: readonly RuleProblem[]): RuleProblem[] {
  return problems.filter((p) => p.severity === "error");
}

/** One line per problem: `path: message`. */
export function describeProblems(problems: readonly RuleProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("\n");
}

/**
 * The provider's own answer breaks the contract's rules: a bug on the provider's side, not a bad
 * request. Not a SOAP fault on purpose: the server turns it into its internal-error fault and
 * reports it through `onError`, without sending the details to MPay.
 */
export class OrderRulesError extends Error {
  override readonly name = "OrderRulesError";
  readonly problems: readonly RuleProblem[];
  constructor(problems: readonly RuleProblem[]) {
    super(`the order breaks MPay's rules:\n${describeProblems(problems)}`);
    this.problems = problems;
  }
}

/** Collects problems under a path prefix. */
export class ProblemList {
  readonly items: RuleProblem[] = [];
  error(path: string, rule: RuleId, message: string): void {
    this.items.push({ path, rule, message, severity: "error" });
  }
  warning(path: string, rule: RuleId, message: string): void {
    this.items.push({ path, rule, message, severity: "warning" });
  }
}

/** `base.member`, or `member` when there is no base. */
export function memberPath(base: string, member: string): string {
  return base === "" ? member : `${base}.${member}`;
}

/** Quotes a value for a message, cut to a readable length (values can be up to 255 characters). */
export function quote(value: string, max = 40): string {
  const points = [...value];
  return JSON.stringify(points.length > max ? `${points.slice(0, max).join("")}…` : value);
}
