/**
 * Given nested particles with occurrences of their own (issue 4), want: members that share an
 * element name (in a sequence, in two alternatives of a choice, in a base and its extension, an
 * attribute named like an element, inside a repeated group) each with a property of its own
 * (`a`, then `a_2`), told apart on the wire by position; and a choice nested in a repeated choice
 * read as the repeated choice of its alternatives; a repeated group in mixed content, its
 * elements taking the text between them like any child element. For each: the declarations, the TypeScript
 * shapes that must not compile, and the generated descriptors writing and reading the wire both
 * ways, with libxml2 judging what the encoder writes against the fixture's schema.
 */
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodecError, type ElementMeta } from "@mpay-kit/runtime";
import { decodeElement } from "../../runtime/src/xsd/decode.ts";
import { encodeElementToString, encoderFastPathsForTests } from "../../runtime/src/xsd/encode.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { validateMessages } from "../../generator/src/validate.ts";
import { ARTIFACTS, declaration, diagnostics, generateFixture, lines, REPO, run, tscOutput, wsdl } from "./helpers.ts";

const fixtureDir = join(import.meta.dirname, "fixtures/nested-particles");
const fixture = join(fixtureDir, "forms.wsdl");
const out = join(ARTIFACTS, "nested-particles");
let types = "";
let meta = "";
let Send: ElementMeta;

beforeAll(async () => {
  const result = await generateFixture("nested-particles", "forms.wsdl");
  expect(result.warnings).toEqual([]);
  types = result.files.find((f) => f.file === "src/types.ts")!.contents;
  meta = result.files.find((f) => f.file === "src/meta.ts")!.contents;
  ({ SendElement: Send } = (await import(join(out, "src/meta.ts"))) as { SendElement: ElementMeta });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const NS = "urn:forms";
const send = (body: string) => `<Send xmlns="${NS}">${body}</Send>`;
const decode = (xml: string) => decodeElement(parseXml(xml).root, Send);
const encode = (value: unknown) => encodeElementToString(Send, value);

/** libxml2's verdict on each message, against the fixture's schema: `valid` or its first error. */
function judged(...messages: string[]): string[] {
  const verdicts = validateMessages({ wsdl: fixture, baseDir: REPO }, messages.map((text, k) => ({ file: `m${k}.xml`, text })));
  return verdicts.map((v) => (v.errors.length === 0 ? "valid" : v.errors[0]!.replace(/^\d+: /, "")));
}

function codecError(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof CodecError) return `${error.path}: ${error.detail}`;
    throw error;
  }
  throw new Error("expected a CodecError");
}

describe("members that share an element name", () => {
  it("the first keeps the XSD name, a later one takes <name>_2; the descriptor names its property (member)", () => {
    expect(declaration(types, "Repeats")).toBe(
      lines(
        "/** From complexType `{urn:forms}Repeats`. */",
        "export interface Repeats {",
        "  a: string;",
        "  b?: number;",
        "  /**",
        "   * Element `a` on the wire: an earlier member of the type has that name too (they are told apart by",
        "   * position).",
        "   */",
        "  a_2: string[];",
        "}",
      ),
    );
    expect(declaration(meta, "RepeatsMeta")).toContain('element("a", "urn:forms", () => builtin("string"), { maxOccurs: Infinity, member: "a_2" })');
    // In two alternatives of a choice: each alternative's own property.
    expect(declaration(types, "Alternatives")).toContain("{ code: number; label?: never; code_2?: never } | { code?: never; label: string; code_2: number }");
    expect(declaration(meta, "AlternativesMeta")).toContain('element("code", "urn:forms", () => builtin("int"), { minOccurs: 0, member: "code_2" })');
    // In a base and its extension: the extension's interface adds the later one.
    expect(declaration(types, "Extended")).toContain("export interface Extended extends Based {");
    expect(declaration(types, "Extended")).toContain("  note_2?: string;");
    // An attribute named like an element: elements come first.
    expect(declaration(types, "Tagged")).toContain(lines("  tag: string;", "  /** The XML attribute `tag` (an earlier member of the type has that name too). */", "  tag_2?: number;"));
    expect(declaration(meta, "TaggedMeta")).toContain('attributes: [attribute("tag", "", () => builtin("int"), { member: "tag_2" })]');
    // Inside one occurrence of a repeated sequence.
    expect(declaration(types, "Pairs_vAndSepAndV")).toContain(lines("  v: number;", "  sep: string;"));
    expect(declaration(types, "Pairs_vAndSepAndV")).toContain("  v_2: number;");
  });

  it("a name already taken by another member is skipped: a_3", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="a_2" type="xs:int"/><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:int"/><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    expect(declaration(files["src/types.ts"]!, "Op")).toContain(lines("  a_2: number;", "  a: string;", "  b: number;"));
    expect(declaration(files["src/types.ts"]!, "Op")).toContain("  a_3: string;");
  });

  it("elements of one name with different types are refused (Element Declarations Consistent)", async () => {
    expect(
      await diagnostics({
        "main.wsdl": wsdl(`
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:int"/><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
      }),
    ).toEqual([
      "main.wsdl:7:133: anonymous complexType of element {urn:test}Op has two elements named a of different types (the other at 7:58); elements of one name in one content model must have the same type (XSD Part 1, 3.8.6, Element Declarations Consistent)",
    ]);
  });

  it("reads each element into the member its position makes it, and writes them back in schema order", () => {
    const wire = send(
      "<repeats><a>first</a><b>2</b><a>x</a><a>y</a></repeats>" +
        "<alternatives><code>1</code></alternatives><alternatives><label>L</label><code>2</code></alternatives>" +
        '<extended><id>1</id><note>base</note><note>own</note></extended><tagged tag="7"><tag>t</tag></tagged>' +
        "<pairs><v>1</v><sep>-</sep><v>2</v><v>3</v><sep>+</sep><v>4</v></pairs>",
    );
    const value = {
      repeats: { a: "first", b: 2, a_2: ["x", "y"] },
      alternatives: [{ code: 1 }, { label: "L", code_2: 2 }],
      extended: { id: 1, note: "base", note_2: "own" },
      tagged: { tag_2: 7, tag: "t" },
      pairs: { vAndSepAndV: [{ v: 1, sep: "-", v_2: 2 }, { v: 3, sep: "+", v_2: 4 }] },
    };
    expect(decode(wire)).toEqual(value);
    expect(encode(value)).toBe(wire);
    // Without b, the second a is still the later member (the first is full).
    expect(decode(send("<repeats><a>first</a><a>x</a></repeats>"))).toEqual({ repeats: { a: "first", a_2: ["x"] } });
    expect(judged(wire, encode({ repeats: { a: "first", a_2: ["x"] } }))).toEqual(["valid", "valid"]);
  });

  it("the generic writer (no straight-line code) writes the same", () => {
    encoderFastPathsForTests.useStraightLine(false);
    try {
      expect(encode({ repeats: { a: "1", a_2: ["2"] } })).toBe(send("<repeats><a>1</a><a>2</a></repeats>"));
      expect(codecError(() => encode({ repeats: { a: "1" } }))).toBe("Send.repeats.a_2: missing required member a_2");
    } finally {
      encoderFastPathsForTests.useStraightLine(true);
    }
  });

  it("refuses, both ways, what the schema does not allow (and libxml2 agrees)", () => {
    const missingLater = send("<repeats><a>first</a></repeats>");
    expect(codecError(() => decode(missingLater))).toBe("Send.repeats.a_2: missing required member a");
    expect(codecError(() => encode({ repeats: { a: "first" } }))).toBe("Send.repeats.a_2: missing required member a_2");
    // code then label: the first alternative, then a member of the second.
    const twoAlternatives = send("<alternatives><code>1</code><label>L</label></alternatives>");
    expect(codecError(() => decode(twoAlternatives))).toBe("Send.alternatives[0]: code and label are alternatives (xs:choice): give only one of them");
    expect(codecError(() => encode({ alternatives: [{ code: 1, label: "L", code_2: 2 }] }))).toBe("Send.alternatives[0]: code and label, code_2 are alternatives (xs:choice): give only one of them");
    expect(codecError(() => encode({ alternatives: [{ label: "L" }] }))).toBe("Send.alternatives[0]: missing required member code_2 of the chosen alternative");
    expect(codecError(() => decode(send("<extended><id>1</id><note>a</note><note>b</note><note>c</note></extended>")))).toBe("Send.extended.note_2: note may occur at most 1 time (line 1)");
    expect(judged(missingLater, twoAlternatives).map((v) => v !== "valid")).toEqual([true, true]);
  });
});

describe("a choice nested in a repeated choice", () => {
  it("is read as the repeated choice of its alternatives: one repeated optional member per element (through xs:group ref too)", () => {
    expect(declaration(types, "Events")).toBe(
      lines(
        "/** From complexType `{urn:forms}Events`. */",
        "export interface Events {",
        "  x?: number[];",
        "  y?: string[];",
        "  z?: boolean[];",
        "  mark?: string[];",
        "  /**",
        "   * One occurrence of the xs:sequence that repeats: its elements stand directly in the parent element,",
        "   * one occurrence after another.",
        "   */",
        "  fromAndTo?: Events_fromAndTo[];",
        "}",
      ),
    );
    // The inner choice's occurrences multiply the outer's.
    const limited = declaration(meta, "LimitedMeta");
    expect(limited).toContain('element("x", "urn:forms", () => builtin("int"), { minOccurs: 0, maxOccurs: 2 })');
    expect(limited).toContain('element("y", "urn:forms", () => builtin("string"), { minOccurs: 0, maxOccurs: 6 })');
    expect(limited).toContain("repeated: true");
  });

  it("reads the alternatives interleaved and writes them grouped, both valid for libxml2", () => {
    const interleaved = send("<events><x>1</x><y>a</y><from>1</from><to>2</to><z>true</z><x>2</x><mark>m</mark><y>b</y></events>");
    const value = { events: { x: [1, 2], y: ["a", "b"], z: [true], mark: ["m"], fromAndTo: [{ from: 1, to: 2 }] } };
    expect(decode(interleaved)).toEqual(value);
    const written = encode(value);
    expect(written).toBe(send("<events><x>1</x><x>2</x><y>a</y><y>b</y><z>true</z><mark>m</mark><from>1</from><to>2</to></events>"));
    expect(decode(written)).toEqual(value);
    const limited = encode({ limited: { y: ["a", "b", "c", "d", "e", "f"] } });
    expect(decode(limited)).toEqual({ limited: { y: ["a", "b", "c", "d", "e", "f"] } });
    expect(judged(interleaved, written, limited)).toEqual(["valid", "valid", "valid"]);
  });

  it("refuses an empty required repeated choice and too many elements, both ways (and libxml2 agrees)", () => {
    const empty = send("<limited/>");
    expect(codecError(() => decode(empty))).toBe("Send.limited: at least one of x, y, z is required (a repeated xs:choice)");
    expect(codecError(() => encode({ limited: {} }))).toBe("Send.limited: at least one of x, y, z is required (a repeated xs:choice)");
    const threeX = send("<limited><x>1</x><x>2</x><x>3</x></limited>");
    expect(codecError(() => decode(threeX))).toBe("Send.limited.x: x may occur at most 2 times (line 1)");
    expect(codecError(() => encode({ limited: { x: [1, 2, 3] } }))).toBe("Send.limited.x: x may occur at most 2 times, got 3");
    expect(judged(empty, threeX).map((v) => v !== "valid")).toEqual([true, true]);
  });
});

describe("a repeated group in mixed content", () => {
  it("keeps the text before each child element, the group's elements counted one by one, both ways (libxml2 agrees)", () => {
    expect(declaration(types, "Note")).toContain("  bAndI: Note_bAndI[];");
    expect(declaration(types, "Note")).toContain("  $text?: string[];");
    const wire = send("<note>Hi <title>T</title> then <b>x</b> and <i>y</i>, <b>z</b>.</note>");
    const value = { note: { title: "T", bAndI: [{ b: "x", i: "y" }, { b: "z" }], $text: ["Hi ", " then ", " and ", ", ", "."] } };
    expect(decode(wire)).toEqual(value);
    expect(encode(value)).toBe(wire);
    // Fewer pieces of text than elements: the rest stand without text; more than one after the last is refused.
    expect(encode({ note: { title: "T", bAndI: [{ b: "x" }, { b: "z" }], $text: ["", "", "-"] } })).toBe(send("<note><title>T</title><b>x</b>-<b>z</b></note>"));
    expect(codecError(() => encode({ note: { title: "T", bAndI: [{ b: "x" }], $text: ["a", "b", "c", "d"] } }))).toBe("Send.note.$text: 4 pieces of text for 2 child elements: at most 3 (one before each, one after the last)");
    // Without text the group's writer is the plain one.
    expect(encode({ note: { title: "T", bAndI: [{ b: "x", i: "y" }] } })).toBe(send("<note><title>T</title><b>x</b><i>y</i></note>"));
    expect(judged(wire)).toEqual(["valid"]);
  });
});

describe("an xs:any alternative of a choice next to more xs:any", () => {
  const xml = (text: string) => parseXml(text).root;
  const x = xml('<e xmlns="urn:x">x</e>');
  const b = xml('<e xmlns="urn:b">b</e>');
  const c1 = xml('<e xmlns="urn:c">1</e>');
  const c2 = xml('<f xmlns="urn:c">2</f>');

  it("each element goes to the xs:any where it stands; the choice's alternative is chosen by what its own took (both ways, libxml2 agrees)", () => {
    expect(declaration(meta, "PickedMeta").replace(/\s+/g, " ")).toContain("{ members: [], required: [], wildcard: true, wildcardIndex: 1 }");
    const withA = send('<picked><id>1</id><e xmlns="urn:x">x</e><a>s</a><e xmlns="urn:c">1</e><f xmlns="urn:c">2</f></picked>');
    const decoded = decode(withA) as { picked: { id: number; a?: string; $any: { ns: string; local: string }[] }[] };
    expect(decoded.picked[0]!.a).toBe("s");
    expect(decoded.picked[0]!.$any.map((e) => `{${e.ns}}${e.local}`)).toEqual(["{urn:x}e", "{urn:c}e", "{urn:c}f"]);
    expect(encode({ picked: [{ id: 1, a: "s", $any: [x, c1, c2] }] })).toBe(withA);
    const withB = send('<picked><id>2</id><e xmlns="urn:b">b</e><e xmlns="urn:c">1</e></picked>');
    const second = decode(withB) as { picked: { id: number; a?: string; $any: { ns: string; local: string }[] }[] };
    expect(second.picked[0]!.a).toBeUndefined();
    expect(second.picked[0]!.$any.map((e) => `{${e.ns}}${e.local}`)).toEqual(["{urn:b}e", "{urn:c}e"]);
    expect(encode({ picked: [{ id: 2, $any: [b, c1] }] })).toBe(withB);
    expect(judged(withA, withB)).toEqual(["valid", "valid"]);
  });

  it("refuses both alternatives, and neither, both ways (libxml2 agrees)", () => {
    const both = send('<picked><id>1</id><a>s</a><e xmlns="urn:b"/></picked>');
    expect(codecError(() => decode(both))).toBe("Send.picked[0]: a and $any are alternatives (xs:choice): give only one of them");
    // With a given, the choice's xs:any takes nothing, and no other one takes urn:b.
    expect(codecError(() => encode({ picked: [{ id: 1, a: "s", $any: [b] }] }))).toBe("Send.picked[0].$any[0]: element {urn:b}e fits none of the type's xs:any where it stands (each takes the elements of the namespaces it allows, up to its maxOccurs, in order)");
    const neither = send('<picked><id>1</id><e xmlns="urn:c"/></picked>');
    expect(codecError(() => decode(neither))).toBe("Send.picked[0]: one of a, $any is required (xs:choice)");
    expect(codecError(() => encode({ picked: [{ id: 1, $any: [c1] }] }))).toBe("Send.picked[0]: one of a, $any is required (xs:choice)");
    expect(judged(both, neither).map((v) => v !== "valid")).toEqual([true, true]);
  });
});

describe("the generated types", () => {
  it("refuse the wrong shapes (tsc on the generated package)", { timeout: 120_000 }, () => {
    writeFileSync(
      join(out, "src/check.ts"),
      [
        'import type { Send } from "./types.ts";',
        'export const ok: Send = { repeats: { a: "1", a_2: ["2"] }, alternatives: [{ code: 1 }, { label: "L", code_2: 2 }], extended: { id: 1, note: "n", note_2: "m" }, tagged: { tag: "t", tag_2: 1 }, events: { y: ["a"], fromAndTo: [{ from: 1, to: 2 }] }, limited: { z: [true] } };',
        "// @ts-expect-error the later a is its own member: a_2 is required",
        'export const noLater: Send = { repeats: { a: "1" } };',
        "// @ts-expect-error a_2 holds the repeated later a, an array",
        'export const notArray: Send = { repeats: { a: "1", a_2: "2" } };',
        "// @ts-expect-error code and the label alternative's code_2 are alternatives",
        'export const both: Send = { alternatives: [{ code: 1, label: "L", code_2: 2 }] };',
        "// @ts-expect-error the label alternative needs its code_2",
        'export const half: Send = { alternatives: [{ label: "L" }] };',
        "// @ts-expect-error the attribute tag is a number, under tag_2",
        'export const attr: Send = { tagged: { tag: "t", tag_2: "x" } };',
        "// @ts-expect-error each element of a repeated choice is an array",
        'export const single: Send = { events: { y: "a" } };',
        "",
      ].join("\n"),
    );
    expect(tscOutput(["--noEmit", "-p", out])).toBe("");
  });
});
