/**
 * Exact arithmetic on `xs:decimal` amounts as the runtime carries them: lexical strings such as
 * `"9267.00"`. The runtime offers an exact comparison ({@link compareDecimal}) but no arithmetic, so
 * sums are done here on BigInt integers scaled by a power of ten: never through JavaScript numbers.
 *
 * A result keeps the largest scale (digits after the point) of its operands, so `9267.00 + 0.5` is
 * `9267.50`: trailing zeros are significant to people (CONTRACT.md, "Wire details").
 */
import { compareDecimal, type Decimal } from "@mpay-kit/runtime";

export { compareDecimal };

/** The `xs:decimal` lexical space (XSD Part 2, 3.2.3.1): a sign, digits, an optional point; at least one digit. */
const DECIMAL_LEXICAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** A decimal as an integer count of units of 10^-scale. */
export interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Whether `value` is an `xs:decimal` lexical form (`"9267.00"`, `"-0.5"`, `".5"`, `"5."`). */
export function isDecimal(value: string): boolean {
  const m = DECIMAL_LEXICAL.exec(value);
  return m !== null && (m[2] !== "" || (m[3] ?? "") !== "");
}

/**
 * Reads a decimal lexical form exactly.
 * @throws RangeError when `value` is not an `xs:decimal` lexical form (no whitespace is trimmed).
 */
export function parseDecimal(value: Decimal): ScaledDecimal {
  const m = DECIMAL_LEXICAL.exec(value);
  if (m === null || (m[2] === "" && (m[3] ?? "") === "")) throw new RangeError(`${JSON.stringify(value.slice(0, 40))} is not a decimal number`);
  const fraction = m[3] ?? "";
  const magnitude = BigInt(`${m[2] ?? ""}${fraction}` || "0");
  return { units: m[1] === "-" ? -magnitude : magnitude, scale: fraction.length };
}

/** Writes a scaled decimal with exactly `scale` digits after the point (none when 0); zero has no sign. */
export function formatDecimal(value: ScaledDecimal): Decimal {
  const { units, scale } = value;
  if (!Number.isSafeInteger(scale) || scale < 0) throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

function atScale(value: ScaledDecimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** `a + b`, exactly, at the larger of the two scales. */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return formatDecimal({ units: atScale(x, scale) + atScale(y, scale), scale });
}

/** `a - b`, exactly, at the larger of the two scales. */
export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return formatDecimal({ units: atScale(x, scale) - atScale(y, scale), scale });
}

/**
 * The exact sum of `values`, at the largest scale among them and `minScale`.
 * The sum of no values is zero at `minScale` (default 0: `"0"`).
 */
export function sumDecimals(values: readonly Decimal[], minScale = 0): Decimal {
  let scale = minScale;
  const parsed = values.map((v) => {
    const p = parseDecimal(v);
    if (p.scale > scale) scale = p.scale;
    return p;
  });
  let units = 0n;
  for (const p of parsed) units += atScale(p, scale);
  return formatDecimal({ units, scale });
}

/** Whether two decimals are the same number (`"9267.00"` equals `"9267"`). */
export function decimalsEqual(a: Decimal, b: Decimal): boolean {
  return compareDecimal(a, b) === 0;
}

/** The sign of a decimal: -1, 0 or 1. */
export function decimalSign(value: Decimal): -1 | 0 | 1 {
  const units = parseDecimal(value).units;
  return units < 0n ? -1 : units > 0n ? 1 : 0;
}
