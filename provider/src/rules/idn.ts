/**
 * Moldovan state identification numbers: IDNP (persons) and IDNO (organizations), and MPay's
 * tax-code rule.
 *
 * CONTRACT.md says a CustomerID is "string 13: IDNP or IDNO" and an `idn` property holds a "valid
 * IDNP/IDNO"; it does not give the check-digit algorithm. The published one (State Registration
 * Chamber, as documented by identifier-validation references): 13 decimal digits; each of the first
 * twelve is multiplied by the weights 7, 3, 1, 7, 3, 1, ... in order, the products are summed, and
 * the sum modulo 10 must equal the thirteenth digit. IDNP and IDNO share it. Both numbers in the
 * guide's 2025 messages pass: CustomerID `2006022048426` and BankFiscalCode `1006601000255`.
 *
 * Whether a number is an IDNP or an IDNO cannot be told apart here: the contract says nothing about
 * their first digits, so no prefix rule is applied.
 */

const IDN_LENGTH = 13;
const IDN_WEIGHTS = [7, 3, 1] as const;
const THIRTEEN_DIGITS = /^\d{13}$/;

/**
 * The check digit (0-9) of the first twelve digits of an IDNP/IDNO.
 * @throws RangeError when `firstTwelve` is not exactly twelve ASCII digits.
 */
export function idnCheckDigit(firstTwelve: string): number {
  if (!/^\d{12}$/.test(firstTwelve)) throw new RangeError("an IDNP/IDNO check digit is computed over exactly twelve digits");
  let sum = 0;
  for (let i = 0; i < IDN_LENGTH - 1; i++) sum += (firstTwelve.charCodeAt(i) - 48) * IDN_WEIGHTS[i % 3]!;
  return sum % 10;
}

/** Whether `value` is a well-formed IDNP or IDNO: exactly 13 ASCII digits whose last is the check digit. */
export function isValidIdn(value: string): boolean {
  if (!THIRTEEN_DIGITS.test(value)) return false;
  return idnCheckDigit(value.slice(0, 12)) === value.charCodeAt(12) - 48;
}

/** Why `value` is not a valid IDNP/IDNO, or undefined when it is. */
export function idnProblem(value: string): string | undefined {
  if (!THIRTEEN_DIGITS.test(value)) return "must be an IDNP or IDNO: exactly 13 digits";
  const expected = idnCheckDigit(value.slice(0, 12));
  return expected === value.charCodeAt(12) - 48 ? undefined : `is not a valid IDNP or IDNO: the check digit should be ${expected}`;
}

/** The tax-code rule's minimum length for a code that is not an IDNx. */
export const TAX_CODE_MIN_LENGTH = 5;

/**
 * Whether `value` is a tax code as CONTRACT.md defines the `tc` property type: "an IDNx or 5+ chars
 * with a non-digit". Characters are counted as Unicode code points, as XSD lengths are; the contract
 * says nothing about whitespace, so none is trimmed.
 */
export function isValidTaxCode(value: string): boolean {
  return taxCodeProblem(value) === undefined;
}

/** Why `value` is not a tax code, or undefined when it is. */
export function taxCodeProblem(value: string): string | undefined {
  if (isValidIdn(value)) return undefined;
  if (/^\d*$/.test(value)) {
    return value.length === IDN_LENGTH ? idnProblem(value) : "must be a tax code: a valid IDNP/IDNO, or at least 5 characters with a non-digit";
  }
  return [...value].length >= TAX_CODE_MIN_LENGTH ? undefined : `must be a tax code: a valid IDNP/IDNO, or at least ${TAX_CODE_MIN_LENGTH} characters with a non-digit`;
}
