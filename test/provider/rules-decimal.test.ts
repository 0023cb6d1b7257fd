/**
 * Exact decimal arithmetic for amounts: property tests against BigInt arithmetic on scaled
 * integers (the test builds each decimal from a known integer and scale, so the expected result
 * never goes through the code under test), and against Python's decimal module as an independent
 * implementation.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { addDecimals, compareDecimal, decimalSign, decimalsEqual, formatDecimal, isDecimal, parseDecimal, subtractDecimals, sumDecimals } from "@mpay-kit/provider/rules";

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sample {
  readonly units: bigint;
  readonly scale: number;
  readonly text: string;
}

/** A random decimal and one of its lexical forms (signs, leading zeros, ".5", "5." included). */
function sample(random: () => number): Sample {
  const digitCount = 1 + Math.floor(random() * (random() < 0.2 ? 40 : 9));
  let digits = "";
  for (let i = 0; i < digitCount; i++) digits += String(Math.floor(random() * 10));
  const scale = Math.floor(random() * 7);
  const negative = random() < 0.4;
  const magnitude = BigInt(digits);
  const units = negative ? -magnitude : magnitude;
  // Written by division rather than by the formatter under test.
  const power = 10n ** BigInt(scale);
  const intPart = (magnitude / power).toString();
  const fracPart = (magnitude % power).toString().padStart(scale, "0");
  const leadingZeros = random() < 0.2 ? "00" : "";
  let body = scale === 0 ? `${leadingZeros}${intPart}` : `${leadingZeros}${intPart}.${fracPart}`;
  if (scale > 0 && intPart === "0" && leadingZeros === "" && random() < 0.3) body = `.${fracPart}`;
  if (scale === 0 && random() < 0.1) body = `${body}.`;
  const sign = negative ? "-" : random() < 0.1 ? "+" : "";
  return { units, scale, text: `${sign}${body}` };
}

function expectedText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const power = 10n ** BigInt(scale);
  const body = scale === 0 ? magnitude.toString() : `${magnitude / power}.${(magnitude % power).toString().padStart(scale, "0")}`;
  return negative ? `-${body}` : body;
}

const at = (s: Sample, scale: number) => s.units * 10n ** BigInt(scale - s.scale);

describe("exact decimal arithmetic", () => {
  it("keeps the scale people see: 9267.00 stays 9267.00", () => {
    expect(addDecimals("9267.00", "0")).toBe("9267.00");
    expect(addDecimals("9267.00", "0.5")).toBe("9267.50");
    expect(subtractDecimals("9267.00", "267.00")).toBe("9000.00");
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals([], 2)).toBe("0.00");
    expect(subtractDecimals("1.00", "1")).toBe("0.00");
    expect(subtractDecimals("-0.5", "-0.5")).toBe("0.0");
    expect(decimalsEqual("9267.00", "9267")).toBe(true);
    expect(decimalSign("-0.00")).toBe(0);
    expect(decimalSign("-.01")).toBe(-1);
    // What floating point gets wrong.
    expect(sumDecimals(["0.1", "0.2", "0.3"])).toBe("0.6");
    expect(addDecimals("9007199254740993", "1")).toBe("9007199254740994");
  });

  it("accepts the xs:decimal lexical space and refuses the rest", () => {
    for (const ok of ["0", "+1", "-0.5", ".5", "5.", "007.10", "123456789012345678901234567890.123"]) expect(isDecimal(ok), ok).toBe(true);
    for (const bad of ["", ".", "+", "-", "1e3", " 1", "1 ", "1,5", "0x10", "NaN", "Infinity", "1.2.3", "١"]) {
      expect(isDecimal(bad), bad).toBe(false);
      expect(() => parseDecimal(bad), bad).toThrow(RangeError);
    }
    expect(() => formatDecimal({ units: 1n, scale: -1 })).toThrow(RangeError);
  });

  it("parse and format agree with BigInt on 5 000 random values", () => {
    const random = prng(20251127);
    for (let i = 0; i < 5000; i++) {
      const s = sample(random);
      const parsed = parseDecimal(s.text);
      expect(parsed.scale, s.text).toBe(s.scale);
      expect(parsed.units, s.text).toBe(s.units);
      expect(formatDecimal(parsed), s.text).toBe(expectedText(s.units, s.scale));
    }
  });

  it("add, subtract, sum and compare agree with BigInt on 5 000 random pairs", () => {
    const random = prng(4217);
    for (let i = 0; i < 5000; i++) {
      const a = sample(random);
      const b = sample(random);
      const scale = Math.max(a.scale, b.scale);
      const label = `${a.text} ${b.text}`;
      expect(addDecimals(a.text, b.text), label).toBe(expectedText(at(a, scale) + at(b, scale), scale));
      expect(subtractDecimals(a.text, b.text), label).toBe(expectedText(at(a, scale) - at(b, scale), scale));
      const difference = at(a, scale) - at(b, scale);
      expect(Math.sign(compareDecimal(a.text, b.text)), label).toBe(difference < 0n ? -1 : difference > 0n ? 1 : 0);
      expect(decimalsEqual(a.text, b.text), label).toBe(difference === 0n);
    }
  });

  it("sums of up to 20 values agree with BigInt", () => {
    const random = prng(498);
    for (let i = 0; i < 500; i++) {
      const values = Array.from({ length: Math.floor(random() * 20) }, () => sample(random));
      const scale = values.reduce((m, v) => Math.max(m, v.scale), 2);
      const expected = values.reduce((total, v) => total + at(v, scale), 0n);
      expect(sumDecimals(values.map((v) => v.text), 2)).toBe(expectedText(expected, scale));
    }
  });

  const python = "/usr/bin/python3";
  it.skipIf(!existsSync(python))("add and subtract agree with Python's decimal module", () => {
    const random = prng(9267);
    const pairs = Array.from({ length: 1000 }, () => [sample(random).text, sample(random).text] as const);
    const script = [
      "import sys, json, decimal",
      "decimal.getcontext().prec = 400",
      "D = decimal.Decimal",
      "out = []",
      "for a, b in json.load(sys.stdin):",
      "    out.append([format(D(a) + D(b), 'f'), format(D(a) - D(b), 'f')])",
      "print(json.dumps(out))",
    ].join("\n");
    const answers = JSON.parse(execFileSync(python, ["-c", script], { input: JSON.stringify(pairs) }).toString()) as [string, string][];
    // Python writes a negative zero ("-0.00"); an amount has no sign at zero.
    const unsignedZero = (s: string) => (/^-[0.]+$/.test(s) ? s.slice(1) : s);
    pairs.forEach(([a, b], i) => {
      expect(addDecimals(a, b), `${a} + ${b}`).toBe(unsignedZero(answers[i]![0]));
      expect(subtractDecimals(a, b), `${a} - ${b}`).toBe(unsignedZero(answers[i]![1]));
    });
  });
});
