/**
 * Given `xs:redefine` (XSD 1.0 Part 1, 4.2.2), want the redefined components in force for the
 * whole contract (references in the redefined schema too), the original reachable only through the
 * redefinition's self-reference, and the generated descriptors writing and reading what libxml2,
 * which implements xs:redefine itself, judges valid. Redefinitions XSD forbids are refused.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodecError, type ElementMeta } from "@mpay-kit/runtime";
import { decodeElement } from "../../runtime/src/xsd/decode.ts";
import { encodeElementToString } from "../../runtime/src/xsd/encode.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { validateMessages } from "../../generator/src/validate.ts";
import { ARTIFACTS, declaration, diagnostics, generateFixture, lines, REPO, tscOutput, wsdl } from "./helpers.ts";

const fixtureDir = join(import.meta.dirname, "fixtures/redefine");
const out = join(ARTIFACTS, "redefine");
let types = "";
let meta = "";
let Register: ElementMeta;

beforeAll(async () => {
  const result = await generateFixture("redefine", "registry.wsdl");
  expect(result.warnings).toEqual([]);
  types = result.files.find((f) => f.file === "src/types.ts")!.contents;
  meta = result.files.find((f) => f.file === "src/meta.ts")!.contents;
  ({ RegisterElement: Register } = (await import(join(out, "src/meta.ts"))) as { RegisterElement: ElementMeta });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

function judged(...messages: string[]): string[] {
  const verdicts = validateMessages({ wsdl: join(fixtureDir, "registry.wsdl"), baseDir: REPO }, messages.map((text, k) => ({ file: `m${k}.xml`, text })));
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

describe("xs:redefine", () => {
  it("every reference means the redefinition; the original yields its name (T_2) and is reached only as what the redefinition derives from", () => {
    expect(declaration(types, "Person")).toBe(lines("/** From complexType `{urn:reg}Person`. */", "export interface Person extends Person_2 {", "  email?: string;", "}"));
    expect(declaration(types, "Person_2")).toBe(lines("/** From complexType `{urn:reg}Person (before xs:redefine)`. */", "export interface Person_2 {", "  name: string;", "}"));
    // base.xsd's Card refers to Person, Code, Extra and Attrs: the redefined ones.
    expect(declaration(types, "Card")).toBe(
      lines(
        "/** From complexType `{urn:reg}Card`. */",
        "export interface Card {",
        "  holder: Person;",
        "  code: Code;",
        "  note: string;",
        "  tag?: string;",
        "  /** An XML attribute. */",
        "  lang?: string;",
        "  /** An XML attribute. */",
        "  version?: number;",
        "}",
      ),
    );
    expect(declaration(meta, "CodeMeta")).toContain('simpleType("{urn:reg}Code", "string", { maxLength: 10, patterns: ["[A-Z]+"] })');
  });

  it("the descriptors write and read the redefined content, which libxml2 judges valid; what only the redefinition forbids is refused both ways", () => {
    const value = { person: { name: "A", email: "a@b" }, card: { holder: { name: "B" }, code: "ABC", note: "n", tag: "t", lang: "ro", version: 2 } };
    const xml = encodeElementToString(Register, value);
    expect(xml).toBe('<Register xmlns="urn:reg"><person><name>A</name><email>a@b</email></person><card lang="ro" version="2"><holder><name>B</name></holder><code>ABC</code><note>n</note><tag>t</tag></card></Register>');
    expect(decodeElement(parseXml(xml).root, Register)).toEqual(value);
    const lower = xml.replace("<code>ABC</code>", "<code>abc</code>");
    expect(codecError(() => decodeElement(parseXml(lower).root, Register))).toBe('Register.card.code: value "abc" does not match the pattern [A-Z]+');
    expect(codecError(() => encodeElementToString(Register, { ...value, card: { ...value.card, code: "abc" } }))).toBe('Register.card.code: value "abc" does not match the pattern [A-Z]+');
    expect(judged(xml, lower).map((v, k) => (k === 0 ? v : v !== "valid"))).toEqual(["valid", true]);
  });

  it("the generated types refuse what the redefinition does not allow (tsc)", { timeout: 120_000 }, () => {
    writeFileSync(
      join(out, "src/check.ts"),
      [
        'import type { Register } from "./types.ts";',
        'export const ok: Register = { person: { name: "A", email: "e" } };',
        "// @ts-expect-error the original's name is still required",
        'export const noName: Register = { person: { email: "e" } };',
        "// @ts-expect-error version comes from the redefined attribute group: a number",
        'export const badVersion: Register = { person: { name: "A" }, card: { holder: { name: "B" }, code: "C", note: "n", version: "2" } };',
        "",
      ].join("\n"),
    );
    expect(tscOutput(["--noEmit", "-p", out])).toBe("");
  });

  it("refuses a type redefinition that does not derive from itself, and the redefinition of what the schema lacks", async () => {
    const base = readFileSync(join(fixtureDir, "base.xsd"), "utf8");
    const main = (redefinitions: string) =>
      wsdl(
        `      <xs:redefine schemaLocation="base.xsd">${redefinitions}</xs:redefine>
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="p" type="tns:Person"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`,
        { tns: "urn:reg" },
      );
    expect(await diagnostics({ "main.wsdl": main('<xs:complexType name="Person"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>'), "base.xsd": base })).toEqual([
      'main.wsdl:6:62: the redefinition of type {urn:reg}Person must derive from the type it redefines (xs:restriction or xs:extension base="Person"); XSD Part 1, 4.2.2: a redefined type is derived from its original',
    ]);
    expect(await diagnostics({ "main.wsdl": main('<xs:group name="Missing"><xs:sequence/></xs:group>'), "base.xsd": base })).toEqual([
      "main.wsdl:6:56: xs:redefine of group {urn:reg}Missing, which the redefined schema does not define; a redefinition replaces a component of the schema it names",
    ]);
  });
});
