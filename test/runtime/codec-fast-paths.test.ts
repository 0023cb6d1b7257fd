/**
 * The codec's allocation-free fast paths must decide exactly as the checks they shortcut:
 * differential tests over edge cases and seeded random mutations.
 */
import { describe, expect, it } from "vitest";
import { applyWhiteSpace, builtinCodecs, fastPathsForTests } from "../../runtime/src/xsd/builtins.ts";
import { encodeElementToByteString, encodeElementToString, encoderFastPathsForTests, utf8ByteString } from "../../runtime/src/xsd/encode.ts";
import { builtin, complexType, element, simpleType } from "../../runtime/src/codegen/v1/index.ts";

const { isPlainDateTime, checkDateTimeByPattern, changedByWhiteSpace } = fastPathsForTests;

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const DATE_TIMES = [
  "2025-07-10T09:26:29.463", "2025-07-10T09:26:29", "2025-07-10T09:26:29Z", "2025-07-10T09:26:29.5+02:00", "2025-07-10T09:26:29-14:00",
  "2025-07-10T09:26:29+14:00", "2025-07-10T09:26:29+14:01", "2025-07-10T09:26:29+13:59", "2025-07-10T09:26:29+02:60", "2024-02-29T00:00:00",
  "2023-02-29T00:00:00", "1900-02-29T00:00:00", "2000-02-29T00:00:00", "2025-04-31T00:00:00", "2025-04-30T23:59:59", "2025-12-31T23:59:59.999999",
  "2025-13-01T00:00:00", "2025-00-01T00:00:00", "2025-01-00T00:00:00", "0000-01-01T00:00:00", "0001-01-01T00:00:00", "-0001-01-01T00:00:00",
  "12025-01-01T00:00:00", "02025-01-01T00:00:00", "2025-01-01T24:00:00", "2025-01-01T24:00:00.000", "2025-01-01T24:00:01", "2025-01-01T23:60:00",
  "2025-01-01T23:00:60", "2025-01-01T23:00:00.", "2025-01-01T23:00:00Z ", " 2025-01-01T23:00:00", "2025-01-01 23:00:00", "2025-01-01T23:00:00z",
  "2025-01-01T23:00:00+0200", "2025-01-01T23:00:00+02:00Z", "2025-1-01T23:00:00", "2025-01-01T23:00", "", "2025-01-01T23:00:00.1.2", "٢٠٢٥-01-01T23:00:00",
];

/** Every accepted string is accepted by the pattern check; every string of the everyday shape the pattern accepts is accepted fast. */
function agree(s: string): void {
  const full = checkDateTimeByPattern(s);
  if (isPlainDateTime(s)) expect(full, s).toBeUndefined();
  const everyday = /^\d{4}-/.test(s) && !/T24:/.test(s);
  if (everyday && full === undefined) expect(isPlainDateTime(s), s).toBe(true);
  expect(builtinCodecs.dateTime.checkLexical(s), s).toBe(full);
}

describe("dateTime fast path", () => {
  it("agrees with the pattern check on edge cases", () => {
    for (const s of DATE_TIMES) agree(s);
    expect(isPlainDateTime("2025-07-10T09:26:29.463")).toBe(true);
    expect(isPlainDateTime("2025-01-01T24:00:00")).toBe(false);
  });

  it("agrees with the pattern check on 50,000 mutations", () => {
    const next = random(20261127);
    const alphabet = "0123456789-:T.Z+ 9";
    for (let n = 0; n < 50_000; n++) {
      const chars = [...DATE_TIMES[Math.floor(next() * DATE_TIMES.length)]!];
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (chars.length + 1));
        const c = alphabet[Math.floor(next() * alphabet.length)]!;
        const op = next();
        if (op < 0.6) chars[Math.min(at, chars.length - 1)] = c;
        else if (op < 0.8) chars.splice(at, 0, c);
        else chars.splice(at, 1);
      }
      agree(chars.join(""));
    }
  });
});

describe("lexical forms written without escaping", () => {
  it("are printable ASCII without & < > for every codec that says so", () => {
    const next = random(99);
    const alphabet = ["0", "1", "9", "-", "+", ".", ":", "T", "Z", "P", "Y", "M", "D", "H", "S", "e", "E", "I", "N", "F", "a", "t", "r", "u", "f", "l", "s", "<", "&", ">", "\r", "\t", "ț", "٣", "\u00a0", " "];
    const seeds = ["2025-07-10T09:26:29.463", "150.00", "-12", "1e10", "INF", "true", "2025-07-10", "09:26:29", "P1Y2M3DT4H5M6.7S", "2025", "2025-07", "--07", "--07-10", "---10", "0A1B"];
    const plain = /^[\x20-\x25\x27-\x3b\x3d\x3f-\x7e]*$/;
    let accepted = 0;
    for (const codec of Object.values(builtinCodecs).filter((c) => c.plainLexical)) {
      for (let n = 0; n < 3_000; n++) {
        const chars = [...seeds[Math.floor(next() * seeds.length)]!];
        for (let e = Math.floor(next() * 3); e > 0; e--) chars.splice(Math.floor(next() * (chars.length + 1)), next() < 0.5 ? 1 : 0, alphabet[Math.floor(next() * alphabet.length)]!);
        const s = chars.join("");
        if (codec.checkLexical(s) !== undefined) continue;
        accepted++;
        expect(s, `${codec.name} accepted ${JSON.stringify(s)}`).toMatch(plain);
      }
    }
    expect(accepted).toBeGreaterThan(1_000);
  });
});

describe("whiteSpace fast path", () => {
  const byPattern = (s: string, mode: "replace" | "collapse") => {
    const replaced = s.replace(/[\t\n\r]/g, " ");
    return mode === "replace" ? replaced : replaced.replace(/ {2,}/g, " ").trim();
  };

  it("changes exactly what the facet changes", () => {
    const next = random(7);
    const alphabet = "ab \t\n\r ";
    for (let n = 0; n < 20_000; n++) {
      let s = "";
      for (let i = Math.floor(next() * 8); i > 0; i--) s += alphabet[Math.floor(next() * alphabet.length)]!;
      for (const mode of ["replace", "collapse"] as const) {
        expect(applyWhiteSpace(s, mode), JSON.stringify(s)).toBe(byPattern(s, mode));
        expect(changedByWhiteSpace(s, mode === "collapse"), JSON.stringify(s)).toBe(byPattern(s, mode) !== s);
      }
    }
  });
});

describe("byte strings", () => {
  const NS = "urn:ț";
  const Line = element("Liniă", NS, () =>
    complexType(`{${NS}}Liniă`, [
      element("Text", NS, () => builtin("string")),
      element("When", NS, () => builtin("dateTime"), { minOccurs: 0 }),
      element("Amount", NS, () => simpleType("Amount", "decimal", { fractionDigits: 2 }), { minOccurs: 0 }),
      element("Nil", NS, () => builtin("string"), { minOccurs: 0, nillable: true }),
    ]),
  );

  it("are the UTF-8 bytes of the text, for any text", () => {
    const next = random(42);
    const pool = ["a", "<", "&", ">", "\r", "\t", "\n", "ț", "ă", "€", "😀", "\u07ff", "\u0800", "\uffee", " ", "]]>", "\"", "'"];
    for (let n = 0; n < 5_000; n++) {
      let text = "";
      for (let i = Math.floor(next() * 12); i > 0; i--) text += pool[Math.floor(next() * pool.length)]!;
      const value = { Text: text, When: "2025-07-10T09:26:29.463", Amount: "12.50", Nil: n % 3 === 0 ? null : undefined };
      const asText = encodeElementToString(Line, value);
      const asBytes = encodeElementToByteString(Line, value);
      expect(Buffer.from(asBytes, "latin1").equals(Buffer.from(asText, "utf8")), JSON.stringify(text)).toBe(true);
      expect(asBytes.length).toBe(Buffer.byteLength(asText));
    }
  });

  it("refuse what the text writer refuses, with the same error", () => {
    for (const bad of ["\u0001", "a\ud800b", "\uffff"]) {
      expect(() => encodeElementToByteString(Line, { Text: bad })).toThrow(/Liniă.Text: contains a character that XML 1.0 cannot carry/);
      expect(() => encodeElementToString(Line, { Text: bad })).toThrow(/Liniă.Text: contains a character that XML 1.0 cannot carry/);
    }
    expect(() => encodeElementToByteString(Line, { Text: "x", When: "2025-02-30T00:00:00" })).toThrow(/day 30 does not exist/);
  });

  it("encode single characters of every UTF-8 length", () => {
    for (const s of ["", "abc", "é", "\u07ff", "\u0800", "ț", "\uffee", "😀", "a😀b"]) {
      expect(Buffer.from(utf8ByteString(s), "latin1").equals(Buffer.from(s, "utf8")), JSON.stringify(s)).toBe(true);
    }
  });
});

describe("plain-text test", () => {
  it("agrees with the pattern on every short string of interesting characters and on 30,000 random ones", () => {
    const { isPlainText, isPlainTextByPattern } = encoderFastPathsForTests;
    const interesting = ["", "a", "\t", "\n", "\r", " ", "&", "<", ">", "'", '"', "~", "\x7f", "\x00", "\x1f", "é", "ș", "\ud83d\ude00", "\ud800", "\uffff", "]]>"];
    for (const a of interesting) for (const b of interesting) expect(isPlainText(a + b), JSON.stringify(a + b)).toBe(isPlainTextByPattern(a + b));
    const next = random(4242);
    for (let n = 0; n < 30_000; n++) {
      const length = Math.floor(next() * 70);
      let s = "";
      for (let i = 0; i < length; i++) s += next() < 0.97 ? String.fromCharCode(0x20 + Math.floor(next() * 0x5f)) : interesting[Math.floor(next() * interesting.length)]!;
      expect(isPlainText(s), JSON.stringify(s)).toBe(isPlainTextByPattern(s));
    }
  });
});

describe("straight-line sequence writers", () => {
  const NS = "urn:fast";
  const Code = simpleType("{urn:fast}Code", "string", { maxLength: 4 });
  const Inner = complexType("{urn:fast}Inner", [
    element("Amount", NS, () => builtin("decimal")),
    element("Note", NS, () => builtin("string"), { minOccurs: 0, nillable: true }),
  ]);
  const Outer = complexType("{urn:fast}Outer", [
    element("Code", NS, () => Code),
    element("At", NS, () => builtin("dateTime"), { minOccurs: 0 }),
    element("Inner", NS, () => Inner, { minOccurs: 0, nillable: true }),
    element("Items", NS, () => Inner, { minOccurs: 1, maxOccurs: 3 }),
    element("Tags", "", () => builtin("string"), { minOccurs: 0, maxOccurs: Infinity }),
    element("Flag", NS, () => builtin("boolean"), { minOccurs: 0 }),
  ]);
  const Root = element("Root", NS, () => Outer);

  const CANDIDATES: Record<string, readonly unknown[]> = {
    Code: ["AB", "", "TOOLONG", 7, null, "ș<&"],
    At: ["2025-07-10T09:26:29", "nope", 1],
    Inner: [{ Amount: "9267.00" }, { Amount: "1", Note: null }, { Amount: "x" }, { Note: "n" }, { Amount: "1", Extra: 1 }, null, [], "s"],
    Items: [[{ Amount: "1" }], [], [{ Amount: "1" }, { Amount: "2", Note: "ș" }], [{}, { Amount: "1" }], [{ Amount: "1" }, { Amount: "1" }, { Amount: "1" }, { Amount: "1" }], { Amount: "1" }, [null]],
    Tags: [["a", "b"], [], "a", [1], ["<"]],
    Flag: [true, false, "true", null],
    Misspelt: ["x"],
  };

  /** The result of encoding, or the error it raised, in a comparable form. */
  function outcome(value: unknown, bytes: boolean): unknown {
    try {
      return bytes ? encodeElementToByteString(Root, value) : encodeElementToString(Root, value);
    } catch (error) {
      const e = error as { constructor: { name: string }; problem?: string; path?: string; detail?: string; message: string };
      return { error: e.constructor.name, problem: e.problem, path: e.path, detail: e.detail ?? e.message };
    }
  }

  it("write and refuse exactly as the generic writer on 4,000 seeded values", () => {
    const next = random(99);
    const values: unknown[] = [null, 1, "x", [], {}];
    for (let n = 0; n < 4_000; n++) {
      const value: Record<string, unknown> = {};
      for (const [member, candidates] of Object.entries(CANDIDATES)) {
        const r = next();
        // Mostly the first (valid) candidate, so that whole values succeed too.
        const pick = next() < 0.85 ? candidates[0] : candidates[Math.floor(next() * candidates.length)];
        if (member === "Misspelt" ? r < 0.03 : r < 0.8) value[member] = pick;
        else if (r < 0.85) value[member] = undefined;
      }
      values.push(value);
    }
    try {
      for (const bytes of [false, true]) {
        encoderFastPathsForTests.useStraightLine(false);
        const generic = values.map((v) => outcome(v, bytes));
        encoderFastPathsForTests.useStraightLine(true);
        const straight = values.map((v) => outcome(v, bytes));
        expect(straight).toEqual(generic);
        // Both kinds of outcome are exercised.
        expect(generic.filter((o) => typeof o === "string").length).toBeGreaterThan(200);
        expect(generic.filter((o) => typeof o !== "string").length).toBeGreaterThan(200);
      }
    } finally {
      encoderFastPathsForTests.useStraightLine(true);
    }
  });
});
