/**
 * Given a schema construct, want these declarations: the TypeScript shape (`src/types.ts`) and
 * the descriptor (`src/meta.ts`) the generator writes for each XSD construct beyond flat
 * sequences. The runtime's reading of the descriptors is tested in test/runtime/codec-xsd.test.ts,
 * and whole contracts round-trip in test/corpus/.
 */
import { describe, expect, it } from "vitest";
import { declaration, lines, run, wsdl } from "./helpers.ts";

async function generated(schema: string): Promise<{ types: string; meta: string }> {
  const { files } = await run({ "main.wsdl": wsdl(schema) });
  return { types: files["src/types.ts"]!, meta: files["src/meta.ts"]! };
}

const op = (type: string) => `
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="value" type="${type}"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`;

describe("xs:simpleContent", () => {
  it("extension of a built-in: $value, then the attributes", async () => {
    const { types, meta } = await generated(`${op("tns:Money")}
      <xs:complexType name="Money"><xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string" use="required"/></xs:extension></xs:simpleContent></xs:complexType>`);
    expect(declaration(types, "Money")).toBe(
      lines(
        "/** From complexType `{urn:test}Money`. */",
        "export interface Money {",
        "  /** The element's text (`xs:simpleContent`). */",
        "  $value: Decimal;",
        "  /** An XML attribute. */",
        "  currency: string;",
        "}",
      ),
    );
    expect(declaration(meta, "MoneyMeta")).toBe(
      lines(
        "/** Descriptor of {@link Money}. */",
        'export const MoneyMeta = complexType("{urn:test}Money", [], {',
        '  attributes: [attribute("currency", "", () => builtin("string"), { required: true })],',
        '  simpleContent: () => builtin("decimal"),',
        "});",
      ),
    );
  });

  it("extension of an enumeration, and of another simple-content type (its attributes first)", async () => {
    const { types, meta } = await generated(`${op("tns:Priced")}
      <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>
      <xs:complexType name="Coded"><xs:simpleContent><xs:extension base="tns:Code"><xs:attribute name="list" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
      <xs:complexType name="Priced"><xs:simpleContent><xs:extension base="tns:Coded"><xs:attribute name="price" type="xs:int"/></xs:extension></xs:simpleContent></xs:complexType>`);
    expect(declaration(types, "Priced")).toContain(lines("  $value: Code;", "  /** An XML attribute. */", "  list?: string;", "  /** An XML attribute. */", "  price?: number;"));
    expect(declaration(meta, "PricedMeta")).toContain(
      lines('  attributes: [attribute("list", "", () => builtin("string")), attribute("price", "", () => builtin("int"))],', "  simpleContent: () => CodeMeta,"),
    );
  });

  it("restriction: the base's text with more facets, attributes replaced or prohibited", async () => {
    const { types, meta } = await generated(`${op("tns:Small")}
      <xs:complexType name="Money"><xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string"/><xs:attribute name="note" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
      <xs:complexType name="Small"><xs:simpleContent><xs:restriction base="tns:Money"><xs:maxInclusive value="100"/><xs:attribute name="currency" type="xs:string" use="required"/><xs:attribute name="note" use="prohibited"/></xs:restriction></xs:simpleContent></xs:complexType>`);
    expect(declaration(types, "Small")).toContain(lines("  $value: Decimal;", "  /** An XML attribute. */", "  currency: string;", "}"));
    expect(meta).toContain('const Small_valueMeta = simpleType("anonymous type of {urn:test}Small", "decimal", { maxInclusive: "100" });');
    expect(declaration(meta, "SmallMeta")).toContain(
      lines('  attributes: [attribute("currency", "", () => builtin("string"), { required: true })],', "  simpleContent: () => Small_valueMeta,"),
    );
  });

  it("a restriction that enumerates gets a union type named after its complex type", async () => {
    const { types } = await generated(`${op("tns:Unit")}
      <xs:complexType name="Text"><xs:simpleContent><xs:extension base="xs:string"><xs:attribute name="lang" type="xs:language"/></xs:extension></xs:simpleContent></xs:complexType>
      <xs:complexType name="Unit"><xs:simpleContent><xs:restriction base="tns:Text"><xs:enumeration value="kg"/><xs:enumeration value="m"/></xs:restriction></xs:simpleContent></xs:complexType>`);
    expect(declaration(types, "UnitValue")).toContain("export type UnitValue = (typeof UnitValueValues)[number];");
    expect(declaration(types, "Unit")).toContain(lines("  $value: UnitValue;", "  /** An XML attribute. */", "  lang?: string;"));
  });
});
