/**
 * The encoder's generated writers (straight-line sequences and arrays, with simple members and
 * `$type` written in place) and its one-pass byte text must write and refuse exactly as the
 * generic writers and the escape-then-encode path: differential tests over the MPay
 * descriptors (their example messages and seeded mutations of them) and over descriptors of
 * every shape the codec writes, with seeded random values.
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { builtinCodecs } from "../../runtime/src/xsd/builtins.ts";
import { decodeElement } from "../../runtime/src/xsd/decode.ts";
import { encodeElementToByteString, encodeElementToString, encoderFastPathsForTests } from "../../runtime/src/xsd/encode.ts";
import { builtin, complexType, element, listType, simpleType, unionType } from "../../runtime/src/codegen/v1/index.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { readEnvelope } from "../../runtime/src/soap/envelope.ts";
import type { ComplexTypeMeta, ElementMeta, SimpleTypeMeta, TypeMeta } from "../../runtime/src/meta.ts";
import { operations } from "../../generated/mpay-service-provider/src/index.ts";
import { mulberry32 } from "../helpers/xml-mutations.ts";

/** The result of a call, or the error it raised, in a comparable form. */
function outcome(run: () => string): unknown {
  try {
    return run();
  } catch (error) {
    const e = error as { constructor: { name: string }; problem?: string; path?: string; detail?: string; message: string };
    return { error: e.constructor.name, problem: e.problem, path: e.path, detail: e.detail ?? e.message };
  }
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Each value encoded as text and as bytes, by the generic writers and by the generated ones. */
function expectSameAsGeneric(root: ElementMeta, values: readonly unknown[]): { written: number; refused: number } {
  const encode = (bytes: boolean) => values.map((v) => outcome(() => (bytes ? encodeElementToByteString(root, v) : encodeElementToString(root, v))));
  let written = 0;
  try {
    for (const bytes of [false, true]) {
      encoderFastPathsForTests.useStraightLine(false);
      const generic = encode(bytes);
      encoderFastPathsForTests.useStraightLine(true);
      const generated = encode(bytes);
      for (let i = 0; i < values.length; i++) if (!isDeepStrictEqual(generated[i], generic[i])) expect(generated[i], `value ${i}: ${describeValue(values[i])}`).toEqual(generic[i]);
      written = generic.filter((o) => typeof o === "string").length;
    }
  } finally {
    encoderFastPathsForTests.useStraightLine(true);
  }
  return { written, refused: values.length - written };
}

const TEXTS = ["", "a", "AB", "Ion Popescu", "ș", "Agenția Demo", "<&>", "a\rb", "\t\n", "\u0001", "a\ud800", "😀", "\uffff", " 1", "x".repeat(60), "ț".repeat(50)];
const LEXICALS = ["1.50", "-0", "150.00", "1e3", " 1.5", "1.5 ", "1 5", "x", "", "2025-07-10T09:26:29.463", "2025-02-30T00:00:00", "2025-07-10T09:26:29 ", "2025-07-10", "09:26:29", "true", "1", "P1D", "0A1B", "AQID"];

/**
 * A value for a type: mostly a valid one (so that whole values get written), else one of the
 * shapes the writers must refuse or handle apart (null, a wrong type, an unknown member, a
 * missing one, `$type` naming another type of the family).
 */
function valueFor(type: TypeMeta, next: () => number, depth: number): unknown {
  const r = next();
  if (r < 0.01) return null;
  if (r < 0.015) return [undefined, 7, "s", [], {}, true][Math.floor(next() * 6)];
  if (type.kind === "any") return parseXml("<x:a xmlns:x='urn:any'>t</x:a>").root;
  if (type.kind === "simple") return simpleValue(type, next);
  if (type.arrayItem !== undefined) {
    const item = type.content[type.arrayItem]!;
    return Array.from({ length: Math.floor(next() * 3) }, () => (depth > 2 || next() < 0.03 ? null : valueFor(item.type(), next, depth + 1)));
  }
  if (type.simpleContent !== undefined) return { $value: simpleValue(type.simpleContent(), next) };
  if (type.abstract === true && next() < 0.95) {
    const concrete = (type.derived?.() ?? []).filter((d) => d.abstract !== true);
    const chosen = concrete[Math.floor(next() * concrete.length)];
    if (chosen !== undefined) return { ...(valueFor(chosen, next, depth) as object), $type: chosen.typeName?.ts };
  }
  const value: Record<string, unknown> = {};
  for (const p of type.content) {
    const property = p.member ?? p.name;
    const pick = next();
    if (pick < (p.minOccurs > 0 ? 0.005 : depth > 1 ? 0.8 : 0.3)) continue;
    if (pick < 0.33 && p.minOccurs === 0) {
      value[property] = undefined;
      continue;
    }
    const one = () => (p.substitutes !== undefined ? { $element: next() < 0.9 ? "Member" : "Nope", $value: "s" } : valueFor(p.type(), next, depth + 1));
    value[property] = p.maxOccurs > 1 ? (next() < 0.02 ? one() : Array.from({ length: Math.floor(next() * 3) }, one)) : one();
  }
  const extra = next();
  if (extra < 0.01) value.Misspelt = "x";
  else if (extra < 0.02) value.Misspelt = undefined;
  else if (extra < 0.06 && type.typeName !== undefined) {
    const family = [type.typeName.ts, ...(type.derived?.() ?? []).map((d) => d.typeName?.ts), "NoSuchType", 7];
    value.$type = family[Math.floor(next() * family.length)];
  }
  return value;
}

/** Mostly a value the type accepts (for its builtin and facets), sometimes any of the texts and lexical forms above. */
function simpleValue(type: SimpleTypeMeta, next: () => number): unknown {
  if (next() < 0.03) return (next() < 0.5 ? TEXTS : LEXICALS)[Math.floor(next() * (next() < 0.5 ? TEXTS : LEXICALS).length)];
  if (type.itemType !== undefined) return next() < 0.97 ? ["1", "2.5"] : ["1", "2", "3", "4"];
  if (type.memberTypes !== undefined) return next() < 0.5 ? 5 : "2025-07-10";
  const enumeration = type.facets.enumeration;
  if (enumeration !== undefined) return enumeration[Math.floor(next() * enumeration.length)];
  if (type.facets.patterns !== undefined) return next() < 0.97 ? "AB12" : "A";
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  switch (type.builtin) {
    case "string":
      return type.facets.maxLength !== undefined && type.facets.maxLength < 10 ? pick(["AB", "ș", "<&", "", "a\rb", "€😀"]) : pick(TEXTS.slice(0, 9));
    case "token":
      return pick(["a  b", " x ", "plain"]);
    case "decimal":
      return pick(["1.50", "150.00", "0", "-0", "100.00"]);
    case "dateTime":
      return pick(["2025-07-10T09:26:29.463", "2025-07-10T09:26:29Z", "2024-02-29T00:00:00+02:00"]);
    case "date":
      return "2025-07-10";
    case "integer":
      return pick(["12", "-7", "0"]);
    case "int":
    case "double":
      return Math.floor(next() * 2000) - 1000;
    case "boolean":
      return next() < 0.5;
    case "base64Binary":
    case "hexBinary":
      return new Uint8Array([1, 2, 3]);
    case "QName":
      return { namespace: next() < 0.97 ? pick(["urn:shapes", "urn:q"]) : "", localName: "n" };
    default:
      return pick(LEXICALS);
  }
}

describe("byte text in one pass", () => {
  const { byteText, byteTextByParts } = encoderFastPathsForTests;

  it("is what escaping then UTF-8 encoding give, or the same error, on every pair of interesting characters", () => {
    const interesting = ["", "a", "&", "<", ">", "\r", "\t", "\n", "\x7f", "\x00", "\x1f", "é", "\u07ff", "\u0800", "ț", "\ud83d\ude00", "\ud800", "\udc00", "\ufffe", "\uffff", "\uffee", '"', "]]>"];
    for (const a of interesting) for (const b of interesting) for (const c of ["", "x", "ă"]) {
      const s = a + c + b;
      expect(outcome(() => byteText(s)), JSON.stringify(s)).toEqual(outcome(() => byteTextByParts(s)));
    }
  });

  it("agrees on 30,000 seeded strings, short and long", () => {
    const next = mulberry32(20261127);
    const pool = ["a", "Z", " ", "0", "&", "<", ">", "\r", "\t", "\n", "ț", "ă", "€", "😀", "\u07ff", "\u0800", "\uffee", "\ud800", "\x01", "\x7f", "\u00e9"];
    for (let n = 0; n < 30_000; n++) {
      let s = "";
      for (let i = Math.floor(next() * (n % 5 === 0 ? 120 : 20)); i > 0; i--) s += next() < 0.85 ? String.fromCharCode(0x20 + Math.floor(next() * 0x5f)) : pool[Math.floor(next() * pool.length)]!;
      expect(outcome(() => byteText(s)), JSON.stringify(s)).toEqual(outcome(() => byteTextByParts(s)));
    }
  });
});

describe("lexical forms of string-valued codecs", () => {
  // The encoder skips `format` for these (its allocation): it relies on format returning the
  // string itself exactly when checkLexical accepts it, and checkLexical's error otherwise.
  const codecs = Object.values(builtinCodecs).filter((c) => c.shape === "string" && c.formatIsChecked && c.plainLexical);

  it("format a string as checkLexical judges it", () => {
    expect(codecs.map((c) => c.name)).toEqual(expect.arrayContaining(["decimal", "dateTime", "integer", "date", "duration"]));
    const next = mulberry32(5);
    const alphabet = [..."0123456789-+.:TZPYMDHSeE", " ", "\t", "x"];
    const seeds = [...LEXICALS, "2025-07-10T09:26:29Z", "-12", "--07-10", "---10", "2025-07"];
    for (const codec of codecs) {
      for (let n = 0; n < 2_000; n++) {
        const chars = [...seeds[Math.floor(next() * seeds.length)]!];
        for (let e = Math.floor(next() * 3); e > 0; e--) chars.splice(Math.floor(next() * (chars.length + 1)), next() < 0.5 ? 1 : 0, alphabet[Math.floor(next() * alphabet.length)]!);
        const s = chars.join("");
        const error = codec.checkLexical(s);
        expect(codec.format(s), `${codec.name} ${JSON.stringify(s)}`).toEqual(error === undefined ? { lexical: s } : { error });
      }
    }
  });
});

describe("generated writers against the generic ones", () => {
  it("MPay: the example messages, the example provider's answers and 3,000 seeded values per operation", async () => {
    const { OrderBook } = await import("../../examples/provider/src/order-book.ts");
    const { builtInOrders } = await import("../../examples/provider/src/orders.ts");
    const book = new OrderBook(builtInOrders);
    const examples = (name: string) => {
      const doc = parseXml(readFileSync(`../shared/mpay/examples/${name}.xml`, "utf8"));
      return readEnvelope(doc).payload!;
    };
    let refused = 0;
    for (const [name, op] of Object.entries(operations)) {
      const next = mulberry32(name.length * 7919);
      for (const [meta, file] of [[op.input, `${name}.request`], [op.output, `${name}.response`]] as const) {
        const values: unknown[] = [];
        // An example that is a template (with "..." for what varies) does not decode: it is left out.
        const example = outcome(() => JSON.stringify(decodeElement(examples(file), meta)));
        if (typeof example === "string") values.push(decodeElement(examples(file), meta));
        if (meta === operations.GetOrderDetails.output) {
          for (const order of builtInOrders) values.push(book.GetOrderDetails({ query: { ServiceID: order.ServiceID, OrderKey: order.OrderKey, Language: "ro" } }));
        }
        for (let n = 0; n < 3_000; n++) values.push(valueFor(meta.type(), next, 0));
        const result = expectSameAsGeneric(meta, values);
        expect(result.written).toBeGreaterThan(100);
        refused += result.refused;
      }
    }
    expect(refused).toBeGreaterThan(1_000);
  });

  // Every shape the generated writers write or hand on: simple members of each kind, namespaces
  // other than the parent's, nillable and repeated members, arrays of complex and simple items,
  // derivation families (with `$type`), abstract types, groups and substitution heads.
  const NS = "urn:shapes";
  const OTHER = "urn:other";
  const Code = simpleType(`{${NS}}Code`, "string", { maxLength: 4 });
  const Status = simpleType(`{${NS}}Status`, "string", { enumeration: ["Active", "Paid", "Expired"] });
  const Word = simpleType(`{${NS}}Word`, "string", { enumeration: ["ș", "a&b", "plain"] });
  const Patterned = simpleType(`{${NS}}Patterned`, "string", { patterns: ["[A-Z]{2}\\d*"], minLength: 2 });
  const Collapsed = simpleType(`{${NS}}Collapsed`, "string", { whiteSpace: "collapse", maxLength: 8 });
  const Money = simpleType(`{${NS}}Money`, "decimal", { fractionDigits: 2, minInclusive: "0" });
  const Late = simpleType(`{${NS}}Late`, "dateTime", { minInclusive: "2020-01-01T00:00:00" });
  const Either = unionType(`{${NS}}Either`, () => [builtin("int"), builtin("date")]);
  const Numbers = listType(`{${NS}}Numbers`, () => builtin("decimal"), { maxLength: 3 });
  const Base: ComplexTypeMeta = complexType(
    `{${NS}}Base`,
    [element("Id", NS, () => Code), element("Note", NS, () => builtin("string"), { minOccurs: 0, nillable: true })],
    { typeName: { ns: NS, local: "Base", ts: "Base" }, derived: () => [Extended] },
  );
  const Extended: ComplexTypeMeta = complexType(
    `{${NS}}Extended`,
    [element("Id", NS, () => Code), element("Note", NS, () => builtin("string"), { minOccurs: 0, nillable: true }), element("More", NS, () => builtin("boolean"))],
    { typeName: { ns: NS, local: "Extended", ts: "Extended" } },
  );
  const Shape: ComplexTypeMeta = complexType(`{${NS}}Shape`, [element("Sides", NS, () => builtin("int"))], { typeName: { ns: NS, local: "Shape", ts: "Shape" }, abstract: true, derived: () => [Square] });
  const Square: ComplexTypeMeta = complexType(`{${NS}}Square`, [element("Sides", NS, () => builtin("int")), element("Side", NS, () => Money)], { typeName: { ns: NS, local: "Square", ts: "Square" } });
  const Pair = complexType(`{${NS}}Pair`, [element("Left", NS, () => Code), element("Right", OTHER, () => Status, { minOccurs: 0 })]);
  const ArrayOfBase = complexType(`{${NS}}ArrayOfBase`, [element("Base", NS, () => Base, { minOccurs: 0, maxOccurs: Infinity, nillable: true })], { arrayItem: 0 });
  const ArrayOfCode = complexType(`{${NS}}ArrayOfCode`, [element("Code", NS, () => Code, { minOccurs: 1, maxOccurs: 3, nillable: true })], { arrayItem: 0 });
  const ArrayOfOther = complexType(`{${NS}}ArrayOfOther`, [element("Pair", OTHER, () => Pair, { minOccurs: 0, maxOccurs: Infinity })], { arrayItem: 0 });
  const Head = element("Head", NS, () => builtin("string"), { substitutes: () => [{ name: "Member", element: element("Member", NS, () => builtin("string")) }] });
  const Everything: ComplexTypeMeta = complexType(
    `{${NS}}Everything`,
    [
      element("Code", NS, () => Code),
      element("Status", NS, () => Status),
      element("Word", NS, () => Word, { minOccurs: 0 }),
      element("Free", NS, () => builtin("string"), { minOccurs: 0, nillable: true }),
      element("Patterned", NS, () => Patterned, { minOccurs: 0 }),
      element("Collapsed", NS, () => Collapsed, { minOccurs: 0 }),
      element("Money", NS, () => Money),
      element("When", NS, () => Late, { minOccurs: 0, nillable: true }),
      element("Day", NS, () => builtin("date"), { minOccurs: 0 }),
      element("Count", NS, () => builtin("int"), { minOccurs: 0 }),
      element("Big", NS, () => builtin("integer"), { minOccurs: 0 }),
      element("Ratio", NS, () => builtin("double"), { minOccurs: 0 }),
      element("Flag", NS, () => builtin("boolean"), { minOccurs: 0 }),
      element("Blob", NS, () => builtin("base64Binary"), { minOccurs: 0 }),
      element("Hex", NS, () => builtin("hexBinary"), { minOccurs: 0 }),
      element("Name", NS, () => builtin("QName"), { minOccurs: 0 }),
      element("Either", NS, () => Either, { minOccurs: 0 }),
      element("Numbers", NS, () => Numbers, { minOccurs: 0 }),
      element("Token", NS, () => builtin("token"), { minOccurs: 0 }),
      element("Unqualified", "", () => Code, { minOccurs: 0 }),
      element("Elsewhere", OTHER, () => Status, { minOccurs: 0 }),
      element("Pair", NS, () => Pair, { minOccurs: 0, nillable: true }),
      element("PairElsewhere", OTHER, () => Pair, { minOccurs: 0 }),
      element("Base", NS, () => Base),
      element("Narrowed", NS, () => Base, { minOccurs: 0, derived: () => [] }),
      element("Shape", NS, () => Shape, { minOccurs: 0 }),
      element("Bases", NS, () => ArrayOfBase, { minOccurs: 0 }),
      element("Codes", NS, () => ArrayOfCode, { minOccurs: 0, nillable: true }),
      element("Others", NS, () => ArrayOfOther, { minOccurs: 0 }),
      // A simple member before each of the rest, whose end tag is still to write when they come.
      element("BeforeRepeated", NS, () => Code),
      element("Repeated", NS, () => Code, { minOccurs: 0, maxOccurs: 3 }),
      element("BeforeHead", NS, () => Status),
      element("Head", NS, () => Head.type(), { minOccurs: 0, substitutes: Head.substitutes! }),
      element("BeforeGroup", NS, () => builtin("decimal")),
      element("Again", NS, () => Pair, { minOccurs: 0, group: true, maxOccurs: 2 }),
      element("BeforeAny", OTHER, () => Code, { minOccurs: 0 }),
      element("Code", NS, () => builtin("string"), { minOccurs: 0, member: "Code_2" }),
      element("Any", NS, () => ({ kind: "any", label: "xs:anyType" }) as TypeMeta, { minOccurs: 0 }),
      element("Nested", NS, () => Everything, { minOccurs: 0 }),
    ],
    { typeName: { ns: NS, local: "Everything", ts: "Everything" } },
  );

  it("every shape: 6,000 seeded values, from the root and from an element in another namespace", () => {
    const next = mulberry32(777);
    const values: unknown[] = [];
    for (let n = 0; n < 6_000; n++) values.push(valueFor(Everything, next, 0));
    for (const root of [element("Root", NS, () => Everything), element("Root", OTHER, () => Everything, { nillable: true })]) {
      const result = expectSameAsGeneric(root, values);
      expect(result.written).toBeGreaterThan(300);
      expect(result.refused).toBeGreaterThan(300);
    }
  });

  it("arrays at the root: 3,000 seeded values each", () => {
    const next = mulberry32(31337);
    for (const type of [ArrayOfBase, ArrayOfCode, ArrayOfOther]) {
      const values: unknown[] = [];
      for (let n = 0; n < 3_000; n++) values.push(valueFor(type, next, 0));
      const result = expectSameAsGeneric(element("List", NS, () => type, { nillable: true }), values);
      expect(result.written).toBeGreaterThan(300);
    }
  });

  it("a value whose members are getters or inherited is read as the generic writer reads it", () => {
    const Root = element("Root", NS, () => Pair);
    const withGetter = Object.defineProperty({ Left: "AB" }, "Right", { get: () => "Paid", enumerable: true });
    const inherited = Object.create({ Right: "Paid" }, { Left: { value: "AB", enumerable: true } });
    const hidden = Object.create({ Right: "Paid" }, { Left: { value: "AB", enumerable: true }, Unknown: { value: "x", enumerable: true } });
    const throwing = Object.defineProperty({ Left: "AB" }, "Right", { get: () => { throw new RangeError("getter"); }, enumerable: true });
    // (Neither notices the unknown member of `hidden`: its inherited member makes up the count.)
    const result = expectSameAsGeneric(Root, [withGetter, inherited, hidden, throwing]);
    expect(result).toEqual({ written: 3, refused: 1 });
  });
});
