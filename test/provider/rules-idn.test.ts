/**
 * IDNP/IDNO check digit (weights 7, 3, 1 repeated over the first twelve digits, sum modulo 10) and
 * the tax-code rule of `tc` properties.
 */
import { describe, expect, it } from "vitest";
import { idnCheckDigit, idnProblem, isValidIdn, isValidTaxCode, taxCodeProblem } from "@mpay-kit/provider/rules";

/** Numbers whose validity is justified independently of the code under test. */
const KNOWN_VALID = [
  // CustomerID and the IDNP property of the guide's 2025 GetOrderDetails answer (an IDNP).
  "2006022048426",
  // BankFiscalCode of the same answer's treasury account (an IDNO).
  "1006601000255",
  // Worked by hand: 1·7 + 0·3 + 0·1 + 1·7 + 6·3 + 0·1 + 0·7 + 0·3 + 0·1 + 0·7 + 1·3 + 0·1 = 35, check 5.
  "1001600000105",
  // Only the fourth digit is 1, and it is weighted 7: check 7.
  "0001000000007",
];

describe("IDNP/IDNO", () => {
  it("accepts the known-valid numbers", () => {
    for (const n of KNOWN_VALID) {
      expect(isValidIdn(n), n).toBe(true);
      expect(idnProblem(n), n).toBeUndefined();
    }
    expect(idnCheckDigit("100160000010")).toBe(5);
  });

  it("refuses each known-valid number with any single digit changed (7, 3 and 1 are all prime to 10)", () => {
    for (const n of KNOWN_VALID) {
      for (let i = 0; i < 13; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === n[i]) continue;
          const changed = `${n.slice(0, i)}${d}${n.slice(i + 1)}`;
          expect(isValidIdn(changed), changed).toBe(false);
        }
      }
    }
  });

  it("says what is wrong: the check digit, or the shape", () => {
    expect(idnProblem("2006022048427")).toMatch(/check digit should be 6/);
    for (const bad of ["", "200602204842", "20060220484260", "2006022O48426", " 2006022048426", "2006022048426\n", "２００６０２２０４８４２６"]) {
      expect(isValidIdn(bad), bad).toBe(false);
      expect(idnProblem(bad), bad).toMatch(/exactly 13 digits/);
    }
    expect(() => idnCheckDigit("12345")).toThrow(RangeError);
  });
});

describe("tax code (tc): an IDNx, or 5+ characters with a non-digit", () => {
  it("accepts a valid IDNx", () => {
    expect(isValidTaxCode("1006601000255")).toBe(true);
  });
  it("accepts 5 or more characters with a non-digit", () => {
    for (const ok of ["ABCDE", "1234A", "A1234", "MD-12345", "ăîșțâ", "12 34"]) expect(isValidTaxCode(ok), ok).toBe(true);
  });
  it("refuses a 13-digit number with a wrong check digit, saying so", () => {
    expect(isValidTaxCode("1006601000256")).toBe(false);
    expect(taxCodeProblem("1006601000256")).toMatch(/check digit/);
  });
  it("refuses all-digit codes that are not an IDNx, and short codes", () => {
    for (const bad of ["", "12345", "123456789", "ABCD", "1234", "12345678901234", "𝐀𝐁𝐂𝐃"]) expect(isValidTaxCode(bad), bad).toBe(false);
    // Four characters in five UTF-16 units is still four characters.
    expect(isValidTaxCode("AB𝐂D")).toBe(false);
  });
});
