/**
 * xs:decimal's hand-written lexical check must decide exactly as the DECIMAL regex it replaced:
 * every short string over the characters that matter, edge cases, and seeded random strings.
 */
import { describe, expect, it } from "vitest";
import { builtinCodecs, fastPathsForTests } from "../../runtime/src/xsd/builtins.ts";
import { mulberry32 } from "../helpers/xml-mutations.ts";

const { isDecimal, isDecimalByPattern } = fastPathsForTests;

function agree(s: string): void {
  const expected = isDecimalByPattern(s);
  if (isDecimal(s) !== expected) expect(isDecimal(s), JSON.stringify(s)).toBe(expected);
  expect(builtinCodecs.decimal.checkLexical(s) === undefined, JSON.stringify(s)).toBe(expected);
}

describe("xs:decimal lexical check", () => {
  it("agrees with the pattern on edge cases", () => {
    const cases = ["", "0", "-0", "+0", "1.", ".5", ".", "-.", "+.5", "-5.", "100.00", "1e5", "1.2.3", "--1", "+-1", " 1", "1 ", "١", "0x10", "12a", "a12", "1,5", "-", "+", "00012.3400"];
    let accepted = 0;
    for (const s of cases) {
      agree(s);
      if (isDecimalByPattern(s)) accepted++;
    }
    expect(accepted).toBeGreaterThan(5);
    expect(accepted).toBeLessThan(cases.length);
  });

  it("agrees with the pattern on every string of up to 6 characters over 0 9 . + - x", () => {
    const alphabet = ["0", "9", ".", "+", "-", "x"];
    let count = 0;
    let accepted = 0;
    const walk = (prefix: string, depth: number): void => {
      agree(prefix);
      count++;
      if (isDecimalByPattern(prefix)) accepted++;
      if (depth > 0) for (const c of alphabet) walk(prefix + c, depth - 1);
    };
    walk("", 6);
    expect(count).toBe(55_987);
    expect(accepted).toBeGreaterThan(500);
  });

  it("agrees with the pattern on 30,000 seeded strings", () => {
    const next = mulberry32(20261127);
    const alphabet = "0123456789..++--e /:\u0661\u00a0a";
    for (let n = 0; n < 30_000; n++) {
      const length = Math.floor(next() * 14);
      let s = "";
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      agree(s);
    }
  });
});
