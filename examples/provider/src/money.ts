/**
 * Exact arithmetic on `xs:decimal` amounts, kept as strings: the provider kit's (BigInt integers
 * scaled by a power of ten, never JavaScript numbers), with amounts shown as MPay writes them,
 * with at least two decimals (`0.1 + 0.2` is `0.30`, `9267.00` keeps its two decimals).
 */
import type { Decimal } from "@mpay-kit/runtime";
import { addDecimals, compareDecimal, decimalSign, formatDecimal, parseDecimal, subtractDecimals, sumDecimals } from "@mpay-kit/provider/rules";

/** Amounts are shown with at least two decimals, as MPay writes them. */
const MIN_SCALE = 2;

function atLeastTwoDecimals(value: Decimal): Decimal {
  const { units, scale } = parseDecimal(value);
  return scale >= MIN_SCALE ? value : formatDecimal({ units: units * 10n ** BigInt(MIN_SCALE - scale), scale: MIN_SCALE });
}

export function add(a: Decimal, b: Decimal): Decimal {
  return atLeastTwoDecimals(addDecimals(a.trim(), b.trim()));
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  return atLeastTwoDecimals(subtractDecimals(a.trim(), b.trim()));
}

/** Negative, zero or positive like `a - b`. */
export function compare(a: Decimal, b: Decimal): number {
  return compareDecimal(a.trim(), b.trim());
}

export function sum(values: readonly Decimal[]): Decimal {
  return sumDecimals(values.map((v) => v.trim()), MIN_SCALE);
}

export function isZero(a: Decimal): boolean {
  return decimalSign(a.trim()) === 0;
}
