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

describe("type derivation: extension, restriction, abstract types", () => {
  const schema = `${op("tns:Animal")}
      <xs:complexType name="Animal" abstract="true"><xs:sequence><xs:element name="name" type="xs:string"/><xs:element name="note" type="xs:string" minOccurs="0"/></xs:sequence><xs:attribute name="id" type="xs:int"/></xs:complexType>
      <xs:complexType name="Dog"><xs:complexContent><xs:extension base="tns:Animal"><xs:sequence><xs:element name="barks" type="xs:boolean"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="Puppy"><xs:complexContent><xs:extension base="tns:Dog"><xs:sequence><xs:element name="age" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="Cat"><xs:complexContent><xs:restriction base="tns:Animal"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence><xs:attribute name="id" use="prohibited"/></xs:restriction></xs:complexContent></xs:complexType>
      <xs:complexType name="Unrelated"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>`;

  it("declares every derived type; where the base is declared, any concrete one may stand, named by $type", async () => {
    const { types } = await generated(schema);
    expect(declaration(types, "Op")).toContain("  value: Cat | Dog | Puppy;");
    expect(declaration(types, "Animal")).toBe(
      lines(
        "/** From complexType `{urn:test}Animal`. */",
        "export interface Animal {",
        "  /** The value's type (`xsi:type`): this one is abstract, so one derived from it. */",
        '  $type?: "Cat" | "Dog" | "Puppy";',
        "  name: string;",
        "  note?: string;",
        "  /** An XML attribute. */",
        "  id?: number;",
        "}",
      ),
    );
    expect(declaration(types, "Puppy")).toBe(
      lines(
        "/** From complexType `{urn:test}Puppy`. */",
        "export interface Puppy extends Dog {",
        "  /** The value's type (`xsi:type`) where a base type is declared; may be left out. */",
        '  $type?: "Puppy";',
        "  age: number;",
        "}",
      ),
    );
    // A restriction restates its content: no `extends`, the base's attribute prohibited.
    expect(declaration(types, "Cat")).toContain("export interface Cat {");
    expect(declaration(types, "Cat")).toContain(lines('  $type?: "Cat";', "  name: string;", "}"));
    expect(types).not.toContain("Unrelated");
  });

  it("descriptors are flat and carry the xsi:type name, abstract and the derived types", async () => {
    const { meta: formatted } = await generated(schema);
    // Compared without the formatter's line breaks and trailing commas.
    const flat = (s: string) => s.replace(/\s+/g, "").replace(/,([\]})])/g, "$1");
    const meta = flat(formatted);
    const declaration = (_: string, name: string) => meta.slice(meta.indexOf(`exportconst${name}=`)).split(";")[0]!;
    expect(declaration(meta, "AnimalMeta")).toContain(flat('typeName: { ns: "urn:test", local: "Animal", ts: "Animal" }, abstract: true, derived: () => [CatMeta, DogMeta, PuppyMeta] }'));
    expect(declaration(meta, "PuppyMeta")).toContain(flat('element("name", "urn:test", () => builtin("string")), element("note", "urn:test", () => builtin("string"), { minOccurs: 0 }), element("barks", "urn:test", () => builtin("boolean")), element("age", "urn:test", () => builtin("int")), ], { attributes: [attribute("id", "", () => builtin("int"))], typeName: { ns: "urn:test", local: "Puppy", ts: "Puppy" } })'));
    expect(declaration(meta, "DogMeta")).toContain(flat("derived: () => [PuppyMeta]"));
    expect(declaration(meta, "CatMeta")).toContain(flat('[element("name", "urn:test", () => builtin("string"))], { typeName: { ns: "urn:test", local: "Cat", ts: "Cat" } }'));
  });
});
