/**
 * Amounts as the sandbox shows and checks them, on the provider kit's exact decimal arithmetic: it
 * adds up lines and compares what the payer typed with what is due (a float would turn 0.1 + 0.2
 * into 0.30000000000000004), always with at least two decimals, as MPay writes amounts.
 */
import type { Decimal } from "@mpay-kit/runtime";
import { compareDecimal, sumDecimals } from "@mpay-kit/provider/rules";
import type { Language } from "./i18n.ts";

/** `a + b`, with at least two decimals as MPay writes amounts. */
export function add(a: Decimal, b: Decimal): Decimal {
  return sumDecimals([a, b], 2);
}

/** Negative, zero or positive like `a - b`. */
export function compare(a: Decimal, b: Decimal): number {
  return compareDecimal(a, b);
}

/** The sum, with at least two decimals. */
export function sum(values: readonly Decimal[]): Decimal {
  return sumDecimals(values, 2);
}

/** The amount with exactly two decimals (more are kept when they are not zeros). */
export function normalize(value: Decimal): Decimal {
  return sumDecimals([value], 2);
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
