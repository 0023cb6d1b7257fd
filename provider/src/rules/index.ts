/**
 * `@mpay-kit/provider/rules`: MPay's business rules as helpers a provider's handlers use to build
 * valid GetOrderDetails answers and to check ConfirmOrderPayment deliveries, exact decimal
 * arithmetic for amounts, IDNP/IDNO and tax-code checks, and typed builders of every documented
 * fault. Every rule comes from CONTRACT.md or the XSD of wsdl/mpay/; where the contract is silent,
 * the TSDoc says so and nothing is checked.
 */
export { addDecimals, compareDecimal, decimalSign, decimalsEqual, formatDecimal, isDecimal, parseDecimal, subtractDecimals, sumDecimals, type ScaledDecimal } from "./decimal.ts";
export { TAX_CODE_MIN_LENGTH, idnCheckDigit, idnProblem, isValidIdn, isValidTaxCode, taxCodeProblem } from "./idn.ts";
export { MAX_LENGTHS, characterCount } from "./limits.ts";
export { OrderRulesError, describeProblems, errorsOf, type RuleId, type RuleProblem } from "./problems.ts";
export {
  PAYABLE_STATUSES,
  allowsAdvancePayment,
  allowsPartialPayment,
  assertValidOrderDetails,
  isCurrencyCode,
  isPayableStatus,
  validateOrderDetails,
  type ValidateOptions,
} from "./order.ts";
export { assertValidConfirmation, orderAfterPayment, validateConfirmation, type ConfirmationCheckOptions, type OrderAfterPayment } from "./payment.ts";
export { ORDER_LANGUAGES, isPayable, queryLanguage, type OrderLanguage } from "./query.ts";
export {
  authenticationFailed,
  authorizationFailed,
  internalError,
  invalidParameter,
  invoiceAlreadyPaid,
  invoiceExpired,
  unknownInvoice,
  unknownOrder,
  unknownPayment,
  unknownService,
} from "./faults.ts";
