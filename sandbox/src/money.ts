/**
 * Exact arithmetic on `xs:decimal` amounts kept as strings (BigInt units at a common scale): the
 * sandbox adds up lines and compares what the payer typed with what is due, and a float would
 * turn 0.1 + 0.2 into 0.30000000000000004.
 */
import type { Decimal } from "@mpay-kit/runtime";
import type { Language } from "./i18n.ts";

interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

function scaled(value: Decimal): Scaled {
  const m = DECIMAL.exec(value.trim());
  if (m === null) throw new RangeError(`${JSON.stringify(value)} is not a decimal amount`);
  const fraction = m[3] ?? "";
  return { units: BigInt(`${m[2]}${fraction}`) * (m[1] === "-" ? -1n : 1n), scale: fraction.length };
}

function at(a: Scaled, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

function format(units: bigint, scale: number): Decimal {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Whether `value` is an `xs:decimal` lexical form. */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value.trim());
}

/** `a + b`, with at least two decimals as MPay writes amounts. */
export function add(a: Decimal, b: Decimal): Decimal {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale, 2);
  return format(at(x, scale) + at(y, scale), scale);
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
  const d = at(x, scale) - at(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((total, v) => add(total, v), "0.00");
}

/** The amount with exactly two decimals (more are kept when they are not zeros). */
export function normalize(value: Decimal): Decimal {
  return add(value, "0");
}

/**
 * An amount as a payer types it: digits, optionally a decimal point or comma and at most two
 * decimals (`12`, `12.5`, `12,50`, `1 234,56`); `undefined` when it is not one.
 */
export function parsePayerAmount(input: string): Decimal | undefined {
  const compact = input.trim().replace(/[\s\u00a0]/g, "");
  const m = /^(\d{1,15})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (m === null) return undefined;
  return normalize(`${m[1]}.${m[2] ?? "0"}`);
}

/** An amount for people: `9 267,00` in Romanian, `9,267.00` in English. */
export function formatAmount(value: Decimal, language: Language): string {
  const text = normalize(value);
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".") as [string, string];
  const group = language === "ro" ? "\u00a0" : ",";
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${negative ? "-" : ""}${grouped}${language === "ro" ? "," : "."}${fraction}`;
}
