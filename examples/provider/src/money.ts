/**
 * Exact arithmetic on `xs:decimal` amounts, kept as strings. Amounts are scaled to BigInt
 * integers, so `0.1 + 0.2` is `0.3` and `9267.00` keeps its two decimals.
 */
import type { Decimal } from "@mpay-kit/runtime";

interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

function scaled(value: Decimal): Scaled {
  const m = DECIMAL.exec(value.trim());
  if (m === null || (m[2] === "" && (m[3] ?? "") === "")) throw new RangeError(`${JSON.stringify(value)} is not a decimal amount`);
  const fraction = m[3] ?? "";
  const units = BigInt(`${m[2] || "0"}${fraction}`) * (m[1] === "-" ? -1n : 1n);
  return { units, scale: fraction.length };
}

function rescale(a: Scaled, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

function format(units: bigint, scale: number): Decimal {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Amounts are shown with at least two decimals, as MPay writes them. */
const MIN_SCALE = 2;

export function add(a: Decimal, b: Decimal): Decimal {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale, MIN_SCALE);
  return format(rescale(x, scale) + rescale(y, scale), scale);
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const y = scaled(b);
  return add(a, format(-y.units, y.scale));
}

/** Negative, zero or positive like `a - b`. */
export function compare(a: Decimal, b: Decimal): number {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((total, v) => add(total, v), "0.00");
}

export function isZero(a: Decimal): boolean {
  return scaled(a).units === 0n;
}
