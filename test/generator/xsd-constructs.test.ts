/**
 * Given a schema construct, want these declarations: the TypeScript shape (`src/types.ts`) and
 * the descriptor (`src/meta.ts`) the generator writes for each XSD construct beyond flat
 * sequences. The runtime's reading of the descriptors is tested in test/runtime/codec-xsd.test.ts,
 * and whole contracts round-trip in test/corpus/.
 */
import { describe, expect, it } from "vitest";
import { declaration, diagnostics, lines, run, strictFileArgs, tscOutput, wsdl } from "./helpers.ts";

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

  it("a complexContent extension of a simple-content type that adds no elements keeps the text", async () => {
    const { types, meta } = await generated(`${op("tns:Mail")}
      <xs:complexType name="Text"><xs:simpleContent><xs:extension base="xs:string"><xs:attribute name="lang" type="xs:language"/></xs:extension></xs:simpleContent></xs:complexType>
      <xs:complexType name="Mail"><xs:complexContent><xs:extension base="tns:Text"/></xs:complexContent></xs:complexType>`);
    expect(declaration(types, "Mail")).toContain(lines("  $value: string;", "  /** An XML attribute. */", "  lang?: string;"));
    expect(declaration(meta, "MailMeta")).toContain('simpleContent: () => builtin("string")');
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

describe("type references the builder follows without recursion", () => {
  it("a member whose type derives from the type holding it (Node { child?: Leaf }, Leaf extends Node) is not a derivation cycle", async () => {
    const { types } = await generated(`${op("tns:Node")}
      <xs:complexType name="Node"><xs:sequence><xs:element name="label" type="xs:string"/><xs:element name="child" type="tns:Leaf" minOccurs="0"/></xs:sequence></xs:complexType>
      <xs:complexType name="Leaf"><xs:complexContent><xs:extension base="tns:Node"><xs:sequence><xs:element name="weight" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>`);
    expect(declaration(types, "Leaf")).toContain("export interface Leaf extends Node {");
    expect(declaration(types, "Leaf")).toContain("  weight: number;");
    expect(declaration(types, "Node")).toContain("  child?: Leaf;");
  });

  it("a real derivation cycle is still refused", async () => {
    const { diagnostics } = await import("./helpers.ts");
    const found = await diagnostics({
      "main.wsdl": wsdl(`${op("tns:A")}
      <xs:complexType name="A"><xs:complexContent><xs:extension base="tns:B"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="B"><xs:complexContent><xs:extension base="tns:A"><xs:sequence><xs:element name="b" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>`),
    });
    expect(found.join("\n")).toMatch(/derived from itself/);
  });

  it("a chain of 2,000 types, each referring to the next, generates (no stack depth per reference)", async () => {
    const chain = Array.from({ length: 2000 }, (_, i) =>
      `<xs:complexType name="T${i}"><xs:sequence><xs:element name="v" type="xs:string"/>${i + 1 < 2000 ? `<xs:element name="next" type="tns:T${i + 1}" minOccurs="0"/>` : ""}</xs:sequence></xs:complexType>`,
    ).join("\n");
    const { types } = await generated(`${op("tns:T0")}\n${chain}`);
    expect(declaration(types, "T1999")).toContain("export interface T1999 {");
    expect(declaration(types, "T0")).toContain("  next?: T1;");
  }, 60_000);
});

describe("content models: xs:choice, xs:all, groups", () => {
  const schema = `${op("tns:Payment")}
      <xs:group name="Bank"><xs:sequence><xs:element name="iban" type="xs:string"/><xs:element name="bic" type="xs:string" minOccurs="0"/></xs:sequence></xs:group>
      <xs:attributeGroup name="Audit"><xs:attribute name="by" type="xs:string"/><xs:attributeGroup ref="tns:When"/></xs:attributeGroup>
      <xs:attributeGroup name="When"><xs:attribute name="at" type="xs:dateTime" use="required"/></xs:attributeGroup>
      <xs:complexType name="Payment"><xs:sequence>
        <xs:element name="amount" type="xs:decimal"/>
        <xs:choice><xs:element name="card" type="xs:string"/><xs:group ref="tns:Bank"/></xs:choice>
        <xs:choice minOccurs="0"><xs:element name="memo" type="xs:string"/><xs:element name="ref" type="xs:int"/></xs:choice>
        <xs:choice maxOccurs="unbounded"><xs:element name="tag" type="xs:string"/><xs:element name="flag" type="xs:boolean"/></xs:choice>
        <xs:sequence minOccurs="0"><xs:element name="note" type="xs:string"/></xs:sequence>
      </xs:sequence><xs:attributeGroup ref="tns:Audit"/></xs:complexType>`;

  it("a choice is a union where one branch is present, others never; groups are inlined", async () => {
    const { types, meta } = await generated(schema);
    expect(declaration(types, "Payment")).toBe(
      lines(
        "/** From complexType `{urn:test}Payment`. */",
        "export type Payment = {",
        "  amount: Decimal;",
        "  tag?: string[];",
        "  flag?: boolean[];",
        "  note?: string;",
        "  /** An XML attribute. */",
        "  by?: string;",
        "  /** An XML attribute. */",
        "  at: DateTime;",
        "} & ({ card: string; iban?: never; bic?: never } | { card?: never; iban: string; bic?: string }) &",
        "  ({ memo: string; ref?: never } | { memo?: never; ref: number } | { memo?: never; ref?: never });",
      ),
    );
    const flat = (s: string) => s.replace(/\s+/g, "").replace(/,([\]})])/g, "$1");
    const payment = flat(declaration(meta, "PaymentMeta"));
    // Members in schema order, every choice member optional; the repeated choice unordered.
    expect(payment).toContain(
      flat(`element("amount", "urn:test", () => builtin("decimal")), element("card", "urn:test", () => builtin("string"), { minOccurs: 0 }),
        element("iban", "urn:test", () => builtin("string"), { minOccurs: 0 }), element("bic", "urn:test", () => builtin("string"), { minOccurs: 0 }),
        element("memo", "urn:test", () => builtin("string"), { minOccurs: 0 }), element("ref", "urn:test", () => builtin("int"), { minOccurs: 0 }),
        element("tag", "urn:test", () => builtin("string"), { minOccurs: 0, maxOccurs: Infinity }), element("flag", "urn:test", () => builtin("boolean"), { minOccurs: 0, maxOccurs: Infinity }),
        element("note", "urn:test", () => builtin("string"), { minOccurs: 0 })]`),
    );
    expect(payment).toContain(flat(`attributes: [attribute("by", "", () => builtin("string")), attribute("at", "", () => builtin("dateTime"), { required: true })]`));
    expect(payment).toContain(
      flat(`unordered: true, choices: [{ required: true, branches: [{ members: [1], required: [1] }, { members: [2, 3], required: [2] }] },
        { required: false, branches: [{ members: [4], required: [4] }, { members: [5], required: [5] }] },
        { required: true, repeated: true, branches: [{ members: [6], required: [] }, { members: [7], required: [] }] }]`),
    );
    // The repeated choice (minOccurs 1) needs one element of either alternative: the descriptor says so, the TS type does not.
    expect(declaration(types, "Payment")).toContain("  tag?: string[];");
  });

  it("xs:all: members as in a sequence, read in any order", async () => {
    const { types, meta } = await generated(`${op("tns:Point")}
      <xs:complexType name="Point"><xs:all><xs:element name="x" type="xs:int"/><xs:element name="y" type="xs:int" minOccurs="0"/></xs:all></xs:complexType>`);
    expect(declaration(types, "Point")).toContain(lines("export interface Point {", "  x: number;", "  y?: number;", "}"));
    expect(declaration(meta, "PointMeta").replace(/\s+/g, " ")).toContain("{ unordered: true }");
  });
});

describe("the TypeScript type of a choice accepts exactly one branch", () => {
  it("compiles one branch, and refuses two (tsc on the generated package)", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { execFileSync } = await import("node:child_process");
    const { ARTIFACTS, REPO } = await import("./helpers.ts");
    const { files } = await run({
      "main.wsdl": wsdl(`${op("tns:Payment")}
      <xs:complexType name="Payment"><xs:sequence><xs:element name="amount" type="xs:int"/>
        <xs:choice><xs:element name="card" type="xs:string"/><xs:sequence><xs:element name="iban" type="xs:string"/><xs:element name="bic" type="xs:string" minOccurs="0"/></xs:sequence></xs:choice>
      </xs:sequence></xs:complexType>`),
    });
    const dir = join(ARTIFACTS, "choice-types");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "types.ts"), files["src/types.ts"]!);
    writeFileSync(
      join(dir, "check.ts"),
      [
        'import type { Payment } from "./types.ts";',
        'export const card: Payment = { amount: 1, card: "4111" };',
        'export const bank: Payment = { amount: 1, iban: "MD24", bic: "AGRN" };',
        "// @ts-expect-error two branches at once",
        'export const both: Payment = { amount: 1, card: "4111", iban: "MD24" };',
        "// @ts-expect-error no branch of a required choice",
        "export const none: Payment = { amount: 1 };",
        "// @ts-expect-error a branch without its required member",
        'export const partial: Payment = { amount: 1, bic: "AGRN" };',
        "",
      ].join("\n"),
    );
    expect(tscOutput(strictFileArgs(join(dir, "check.ts")))).toBe("");
  }, 60_000);
});

describe("xs:any", () => {
  it("is a $any array of parsed XML, placed by position in the descriptor", async () => {
    const { types, meta } = await generated(`${op("tns:Open")}
      <xs:complexType name="Open"><xs:sequence><xs:element name="id" type="xs:int"/><xs:any namespace="urn:x ##local ##targetNamespace" processContents="lax" maxOccurs="3"/><xs:element name="end" type="xs:string"/></xs:sequence></xs:complexType>`);
    expect(declaration(types, "Open")).toContain(lines("  /** Elements the schema leaves open (`xs:any`), as parsed XML. */", "  $any: XmlElement[];"));
    expect(declaration(meta, "OpenMeta").replace(/\s+/g, " ")).toContain(
      'wildcard: { position: 1, minOccurs: 1, maxOccurs: 3, namespaces: { kind: "list", list: ["urn:x", "", "urn:test"] }, processContents: "lax", }',
    );
  });
});

describe("several xs:any in one type", () => {
  it("share one $any array (required while one of them is); each keeps its position in the descriptor; one may stand in a choice, one per alternative", async () => {
    const { types, meta } = await generated(`${op("tns:Two")}
      <xs:complexType name="Base"><xs:sequence><xs:any namespace="urn:a" minOccurs="0"/><xs:element name="mid" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="Two"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence><xs:any namespace="##other" maxOccurs="2" processContents="lax"/><xs:element name="end" type="xs:string"/><xs:any namespace="##local" minOccurs="0" processContents="skip"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>`);
    expect(declaration(types, "Two")).toContain("  $any: XmlElement[];");
    expect(declaration(types, "Base")).toContain("  $any?: XmlElement[];");
    expect(declaration(meta, "TwoMeta").replace(/\s+/g, " ")).toContain(
      'wildcard: { position: 0, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "list", list: ["urn:a"] }, processContents: "strict", }, moreWildcards: [ { position: 1, minOccurs: 1, maxOccurs: 2, namespaces: { kind: "other", ns: "urn:test" }, processContents: "lax", }, { position: 2, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "list", list: [""] }, processContents: "skip" }, ],',
    );
    // One in a choice: its alternative names which of the type's wildcards it holds.
    const pick = await generated(`${op("tns:Pick")}
      <xs:complexType name="Pick"><xs:sequence><xs:any namespace="urn:a"/><xs:choice><xs:element name="a" type="xs:string"/><xs:any namespace="urn:b"/></xs:choice></xs:sequence></xs:complexType>`);
    expect(declaration(pick.meta, "PickMeta").replace(/\s+/g, " ")).toContain("branches: [ { members: [0], required: [0] }, { members: [], required: [], wildcard: true, wildcardIndex: 1 }, ],");
    expect(declaration(pick.meta, "PickMeta").replace(/\s+/g, " ")).toContain('moreWildcards: [ { position: 1, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "list", list: ["urn:b"] }, processContents: "strict", }, ],');
    // Two in one alternative stay refused: which of them took an element would not say more.
    const problems = await diagnostics({
      "main.wsdl": wsdl(`${op("tns:Pick")}
      <xs:complexType name="Pick"><xs:choice><xs:element name="a" type="xs:string"/><xs:sequence><xs:any namespace="urn:a"/><xs:any namespace="urn:b"/></xs:sequence></xs:choice></xs:complexType>`),
    });
    expect(problems.join("\n")).toContain("an alternative of an xs:choice holding two xs:any is not supported yet (in complexType {urn:test}Pick)");
  });
});

describe("model groups that repeat", () => {
  it("one repeated element is that element with the occurrences multiplied; a larger group is an array of occurrences, named after a named group or JAXB-style after its elements", async () => {
    const { types, meta } = await generated(`${op("tns:Pairs")}
      <xs:group name="KV"><xs:sequence><xs:element name="key" type="xs:string"/><xs:element name="val" type="xs:int" minOccurs="0"/></xs:sequence></xs:group>
      <xs:complexType name="One"><xs:sequence minOccurs="0" maxOccurs="unbounded"><xs:element name="item" type="xs:string" maxOccurs="2"/></xs:sequence></xs:complexType>
      <xs:complexType name="Pairs"><xs:sequence><xs:element name="one" type="tns:One"/><xs:sequence maxOccurs="unbounded"><xs:element name="k" type="xs:string"/><xs:element name="v" type="xs:string"/></xs:sequence><xs:group ref="tns:KV" minOccurs="0" maxOccurs="3"/>
        <xs:choice maxOccurs="2"><xs:element name="card" type="xs:string"/><xs:sequence><xs:element name="iban" type="xs:string"/><xs:element name="bic" type="xs:string"/></xs:sequence></xs:choice></xs:sequence></xs:complexType>`);
    expect(declaration(types, "One")).toContain("  item?: string[];");
    expect(declaration(meta, "OneMeta")).toContain('element("item", "urn:test", () => builtin("string"), { minOccurs: 0, maxOccurs: Infinity })');
    const pairs = declaration(types, "Pairs");
    expect(pairs).toContain("  kAndV: Pairs_kAndV[];");
    expect(pairs).toContain("  KV?: KV[];");
    expect(pairs).toContain("  ibanAndBic?: Pairs_ibanAndBic[];");
    expect(declaration(types, "Pairs_kAndV")).toContain(lines("  k: string;", "  v: string;"));
    expect(declaration(types, "KV")).toContain(lines("  key: string;", "  val?: number;"));
    const descriptor = declaration(meta, "PairsMeta");
    expect(descriptor).toContain('element("kAndV", "", () => Pairs_kAndVMeta, { maxOccurs: Infinity, group: true }),');
    expect(descriptor).toContain('element("KV", "", () => KVMeta, { minOccurs: 0, maxOccurs: 3, group: true }),');
    expect(descriptor).toContain('element("ibanAndBic", "", () => Pairs_ibanAndBicMeta, { minOccurs: 0, maxOccurs: 2, group: true }),');
  });
});

describe("xs:anyAttribute", () => {
  it("is a $anyAttributes array of { ns, local, value }; the complete wildcard (own ∩ groups', ∪ base's) in the descriptor, with the global attributes strict and lax check", async () => {
    const { types, meta } = await generated(`${op("tns:Open")}
      <xs:attribute name="level" type="xs:int"/>
      <xs:attributeGroup name="G"><xs:attribute name="g" type="xs:string"/><xs:anyAttribute namespace="##targetNamespace urn:x" processContents="skip"/></xs:attributeGroup>
      <xs:complexType name="Base"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence><xs:anyAttribute namespace="urn:y"/></xs:complexType>
      <xs:complexType name="Open"><xs:complexContent><xs:extension base="tns:Base"><xs:attributeGroup ref="tns:G"/><xs:anyAttribute namespace="##any" processContents="lax"/></xs:extension></xs:complexContent></xs:complexType>`);
    expect(declaration(types, "Open")).toContain(lines("  $anyAttributes?: { ns: string; local: string; value: string }[];", "}"));
    const open = declaration(meta, "OpenMeta").replace(/\s+/g, " ");
    expect(open).toContain("export const OpenMeta = complexType(");
    expect(open).toContain(
      'anyAttribute: { namespaces: { kind: "list", list: ["urn:test", "urn:x", "urn:y"] }, processContents: "lax", declared: () => [attribute("level", "urn:test", () => builtin("int"))], }, });',
    );
    expect(declaration(meta, "BaseMeta").replace(/\s+/g, " ")).toContain('anyAttribute: { namespaces: { kind: "list", list: ["urn:y"] }, processContents: "strict" }');
  });
});

describe("xs:any in an xs:choice", () => {
  it("is the type's $any, placed in its alternative, which the choice marks as the wildcard's; in a repeated choice it repeats too", async () => {
    const { meta } = await generated(`${op("tns:Cfg")}
      <xs:complexType name="Cfg"><xs:sequence><xs:element name="id" type="xs:int"/><xs:choice><xs:element name="name" type="xs:string"/><xs:any namespace="##other" processContents="lax"/></xs:choice><xs:element name="end" type="tns:Rep"/></xs:sequence></xs:complexType>
      <xs:complexType name="Rep"><xs:choice maxOccurs="unbounded"><xs:element name="a" type="xs:string"/><xs:any namespace="##other" processContents="skip"/></xs:choice></xs:complexType>`);
    const cfg = declaration(meta, "CfgMeta").replace(/\s+/g, " ");
    expect(cfg).toContain('wildcard: { position: 2, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "other", ns: "urn:test" }, processContents: "lax", }');
    expect(cfg).toContain("branches: [ { members: [1], required: [1] }, { members: [], required: [], wildcard: true }, ]");
    const rep = declaration(meta, "RepMeta").replace(/\s+/g, " ");
    expect(rep).toContain("wildcard: { position: 1, minOccurs: 0, maxOccurs: Infinity,");
    expect(rep).toContain("unordered: true");
  });
});

describe("mixed content", () => {
  it("is a $text array of the text around the child elements; the descriptor says mixed", async () => {
    const { types, meta } = await generated(`${op("tns:Para")}
      <xs:complexType name="Para" mixed="true"><xs:sequence><xs:element name="b" type="xs:string" minOccurs="0" maxOccurs="unbounded"/><xs:any minOccurs="0" processContents="skip"/></xs:sequence></xs:complexType>`);
    expect(declaration(types, "Para")).toContain("  $text?: string[];");
    expect(declaration(meta, "ParaMeta").replace(/\s+/g, " ")).toContain("export const ParaMeta = complexType(");
    expect(declaration(meta, "ParaMeta").replace(/\s+/g, " ")).toContain("mixed: true, }, );");
  });
});

describe("xs:list", () => {
  it("a named list is an array alias; an anonymous one an array type; the descriptor a listType", async () => {
    const { types, meta } = await generated(`${op("tns:Tagged")}
      <xs:simpleType name="Codes"><xs:list itemType="tns:Code"/></xs:simpleType>
      <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>
      <xs:complexType name="Tagged"><xs:sequence><xs:element name="codes" type="tns:Codes"/>
        <xs:element name="days"><xs:simpleType><xs:list itemType="xs:date"/></xs:simpleType></xs:element></xs:sequence></xs:complexType>`);
    expect(declaration(types, "Codes")).toBe(lines("/** From simpleType `{urn:test}Codes` (a list: items separated by spaces). */", "export type Codes = Code[];"));
    expect(declaration(types, "Tagged")).toContain(lines("  codes: Codes;", "  days: XsdDate[];"));
    expect(declaration(meta, "CodesMeta")).toContain('export const CodesMeta = listType("{urn:test}Codes", () => CodeMeta);');
    expect(meta).toContain('const Tagged_daysMeta = listType("anonymous type of {urn:test}Tagged/days", () => builtin("date"));');
  });
});

describe("restrictions of list and union types", () => {
  it("keep the list's or union's value, and add the facets of their steps to its descriptor", async () => {
    const { types, meta } = await generated(`${op("tns:Few")}
      <xs:simpleType name="Codes"><xs:list itemType="xs:int"/></xs:simpleType>
      <xs:simpleType name="Three"><xs:restriction base="tns:Codes"><xs:length value="3"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="Few"><xs:restriction base="tns:Three"><xs:pattern value="[0-9 ]+"/></xs:restriction></xs:simpleType>`);
    expect(declaration(types, "Few")).toContain("export type Few = number[];");
    expect(declaration(meta, "FewMeta")).toContain('export const FewMeta = listType("{urn:test}Few", () => builtin("int"), { length: 3, patterns: ["[0-9 ]+"] });');
  });

  it("with the facets a union takes (enumeration, pattern) and a list takes (length, minLength, maxLength, enumeration, pattern, whiteSpace)", async () => {
    const { types, meta } = await generated(`${op("tns:Size")}
      <xs:simpleType name="AnySize"><xs:union memberTypes="xs:int xs:string"/></xs:simpleType>
      <xs:simpleType name="Size"><xs:restriction base="tns:AnySize"><xs:enumeration value="1"/><xs:enumeration value="auto"/></xs:restriction></xs:simpleType>`);
    // Restricted by an enumeration: the values as the runtime reads them ("1" by xs:int, the first member that takes it).
    expect(declaration(types, "Size")).toContain('export type Size = 1 | "auto";');
    expect(declaration(meta, "SizeMeta").replace(/\s+/g, " ")).toContain('unionType("{urn:test}Size", () => [builtin("int"), builtin("string")], { enumeration: ["1", "auto"], });');
  });
});

describe("a union restricted by an enumeration", () => {
  it("is the union of its values' literal types, each read by the first member type that takes it; a member's type where no literal says the value", async () => {
    const { types, meta } = await generated(`${op("tns:Holder")}
      <xs:simpleType name="Mixed"><xs:union memberTypes="xs:boolean xs:short xs:date xs:hexBinary xs:token"/></xs:simpleType>
      <xs:simpleType name="Pick"><xs:restriction base="tns:Mixed"><xs:enumeration value="true"/><xs:enumeration value="7"/><xs:enumeration value="2024-01-02"/><xs:enumeration value="0A"/><xs:enumeration value="a &amp; b"/><xs:enumeration value="1"/></xs:restriction></xs:simpleType>
      <xs:complexType name="Holder"><xs:sequence><xs:element name="pick" type="tns:Pick"/>
        <xs:element name="inline"><xs:simpleType><xs:restriction base="tns:Mixed"><xs:enumeration value="x"/><xs:enumeration value="0"/></xs:restriction></xs:simpleType></xs:element></xs:sequence></xs:complexType>`);
    // ("1" is xs:boolean's true again; a date is its lexical form; hexBinary bytes have no literal type.)
    expect(declaration(types, "Pick")).toContain('export type Pick = true | 7 | "2024-01-02" | Uint8Array | "a & b";');
    expect(declaration(types, "Holder")).toContain('  inline: "x" | false;');
    expect(declaration(meta, "PickMeta").replace(/\s+/g, " ")).toContain('enumeration: ["true", "7", "2024-01-02", "0A", "a & b", "1"]');
  });

  it("a value that no member type takes is an error", async () => {
    const problems = await diagnostics({
      "main.wsdl": wsdl(`${op("tns:Pick")}
      <xs:simpleType name="Num"><xs:union memberTypes="xs:int xs:boolean"/></xs:simpleType>
      <xs:simpleType name="Pick"><xs:restriction base="tns:Num"><xs:enumeration value="1"/><xs:enumeration value="many"/></xs:restriction></xs:simpleType>`),
    });
    expect(problems.join("\n")).toContain('the enumeration value "many" of simpleType {urn:test}Pick is a value of none of its union\'s member types');
  });
});

describe("xs:union", () => {
  it("is a union of its member types' TypeScript types; the descriptor a unionType", async () => {
    const { types, meta } = await generated(`${op("tns:Size")}
      <xs:simpleType name="Size"><xs:union memberTypes="xs:int tns:Word"><xs:simpleType><xs:restriction base="xs:date"/></xs:simpleType></xs:union></xs:simpleType>
      <xs:simpleType name="Word"><xs:restriction base="xs:string"><xs:enumeration value="auto"/></xs:restriction></xs:simpleType>`);
    expect(declaration(types, "Size")).toBe(lines("/** From simpleType `{urn:test}Size` (a union: a value of one of its member types). */", "export type Size = number | Word | XsdDate;"));
    expect(declaration(meta, "SizeMeta")).toContain('export const SizeMeta = unionType("{urn:test}Size", () => [builtin("int"), WordMeta, Size_baseMeta]);');
  });

  it("with a QName member: the runtime's QName in the union, imported from the runtime; no diagnostic", async () => {
    const { files, result } = await run({
      "main.wsdl": wsdl(`${op("tns:Ref")}
      <xs:simpleType name="Ref"><xs:union memberTypes="xs:int xs:QName"/></xs:simpleType>`),
    });
    expect(result.warnings).toEqual([]);
    const types = files["src/types.ts"]!;
    expect(declaration(types, "Ref")).toBe(lines("/** From simpleType `{urn:test}Ref` (a union: a value of one of its member types). */", "export type Ref = number | QName;"));
    expect(types).toMatch(/import type \{[^}]*\bQName\b[^}]*\} from "@mpay-kit\/runtime/);
    expect(declaration(files["src/meta.ts"]!, "RefMeta")).toContain('unionType("{urn:test}Ref", () => [builtin("int"), builtin("QName")])');
  });
});

describe("substitution groups and abstract elements", () => {
  // Two namespaces: a head in urn:test, members in urn:test and urn:other (one by way of another member).
  const other = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:test" xmlns:o="urn:other" targetNamespace="urn:other" elementFormDefault="qualified">
  <xs:import namespace="urn:test"/>
  <xs:element name="Fax" substitutionGroup="tns:Message" type="o:Fax"/>
  <xs:complexType name="Fax"><xs:complexContent><xs:extension base="tns:Message"><xs:sequence><xs:element name="number" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:element name="Note" substitutionGroup="tns:Item" type="tns:Item"/>
</xs:schema>`;
  const schema = `<xs:import namespace="urn:other" schemaLocation="other.xsd"/>${op("tns:Folder")}
      <xs:element name="Item" type="tns:Item" abstract="true"/>
      <xs:element name="Message" type="tns:Message" substitutionGroup="tns:Item"/>
      <xs:element name="Task" substitutionGroup="tns:Item"/>
      <xs:element name="Draft" type="tns:Message" substitutionGroup="tns:Message" abstract="true"/>
      <xs:element name="Label" type="xs:string"/>
      <xs:element name="Tag" type="xs:token" substitutionGroup="tns:Label" nillable="true"/>
      <xs:element name="Code" type="xs:string" block="substitution"/>
      <xs:element name="Locked" type="xs:string" substitutionGroup="tns:Code"/>
      <xs:complexType name="Item"><xs:sequence><xs:element name="subject" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="Message"><xs:complexContent><xs:extension base="tns:Item"><xs:sequence><xs:element name="to" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="Folder"><xs:sequence>
        <xs:element ref="tns:Item" maxOccurs="unbounded"/><xs:element ref="tns:Label" minOccurs="0"/><xs:element ref="tns:Code"/>
      </xs:sequence></xs:complexType>`;

  async function substitution(): Promise<{ types: string; meta: string }> {
    const { files } = await run({ "main.wsdl": wsdl(schema), "other.xsd": other });
    return { types: files["src/types.ts"]!, meta: files["src/meta.ts"]! };
  }

  it("a reference to a head is a union of the members (transitively, across namespaces), each named by $element; abstract ones and blocked groups are left out", async () => {
    const { types, meta } = await substitution();
    const folder = declaration(types, "Folder");
    // Item is abstract: only its members; Draft is abstract too, Note has Item's type, Task the head's (by default).
    // (Item's own derived types may stand in each of them, named by $type.)
    expect(folder).toContain(
      lines(
        "  Item: (",
        '    | (Fax & { $element: "Fax" })',
        '    | ((Message | Fax) & { $element: "Message" })',
        '    | ((Item | Fax | Message) & { $element: "Note" })',
        '    | ((Item | Fax | Message) & { $element: "Task" })',
        "  )[];",
      ),
    );
    // A simple-typed head and member: the head's value as it is, the member's as { $element, $value }.
    expect(folder).toContain('  Label?: string | { $element: "Tag"; $value: string | null };');
    // block="substitution": nothing stands for Code.
    expect(folder).toContain("  Code: string;");
    const descriptor = declaration(meta, "FolderMeta").replace(/\s+/g, " ");
    expect(descriptor).toContain(
      'element("Item", "urn:test", () => ItemMeta, { maxOccurs: Infinity, substitutes: () => [ { name: "Fax", element: FaxElement }, { name: "Message", element: MessageElement }, { name: "Note", element: NoteElement }, { name: "Task", element: TaskElement }, ], abstract: true, })',
    );
    expect(descriptor).toContain('element("Label", "urn:test", () => builtin("string"), { minOccurs: 0, substitutes: () => [{ name: "Tag", element: TagElement }], })');
    expect(descriptor).toContain('element("Code", "urn:test", () => builtin("string"))');
    expect(declaration(meta, "FaxElement")).toContain('element("Fax", "urn:other", () => FaxMeta)');
    expect(declaration(meta, "TaskElement")).toContain('element("Task", "urn:test", () => ItemMeta)');
  });

  it("the TypeScript type takes a member named by $element and refuses a non-member or an abstract head (tsc on the generated package)", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { execFileSync } = await import("node:child_process");
    const { ARTIFACTS, REPO } = await import("./helpers.ts");
    const { types } = await substitution();
    const dir = join(ARTIFACTS, "substitution-types");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "types.ts"), types);
    writeFileSync(
      join(dir, "check.ts"),
      [
        'import type { Folder } from "./types.ts";',
        'export const ok: Folder = { Item: [{ $element: "Message", subject: "s", to: "t" }, { $element: "Fax", subject: "s", to: "t", number: "1" }, { $element: "Task", subject: "s" }], Label: { $element: "Tag", $value: "x" }, Code: "c" };',
        'export const head: Folder = { Item: [{ $element: "Note", subject: "s" }], Label: "plain", Code: "c" };',
        "// @ts-expect-error not a member of Item's substitution group",
        'export const stranger: Folder = { Item: [{ $element: "Label", subject: "s" }], Code: "c" };',
        "// @ts-expect-error Item is abstract: a value must name its element",
        'export const abstractHead: Folder = { Item: [{ subject: "s" }], Code: "c" };',
        "// @ts-expect-error Draft is abstract",
        'export const draft: Folder = { Item: [{ $element: "Draft", subject: "s", to: "t" }], Code: "c" };',
        "// @ts-expect-error a member's value must be its type's (Message needs to)",
        'export const incomplete: Folder = { Item: [{ $element: "Message", subject: "s" }], Code: "c" };',
        "",
      ].join("\n"),
    );
    expect(tscOutput(strictFileArgs(join(dir, "check.ts")))).toBe("");
  }, 60_000);

  it("block and final: members whose type derivation the head blocks are left out; final makes them no members (a warning)", async () => {
    const { files, result } = await run({
      "main.wsdl": wsdl(`${op("tns:Box")}
      <xs:element name="Base" type="tns:Base" block="extension"/>
      <xs:element name="Wide" type="tns:Wide" substitutionGroup="tns:Base"/>
      <xs:element name="Same" type="tns:Base" substitutionGroup="tns:Base"/>
      <xs:element name="Final" type="tns:Base" final="#all"/>
      <xs:element name="Ext" type="tns:Wide" substitutionGroup="tns:Final"/>
      <xs:element name="Odd" type="xs:string" substitutionGroup="tns:Base"/>
      <xs:complexType name="Base"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="Wide"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence><xs:element name="b" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="Box"><xs:sequence><xs:element ref="tns:Base"/><xs:element ref="tns:Final"/></xs:sequence></xs:complexType>`),
    });
    const box = declaration(files["src/types.ts"]!, "Box");
    // Base's block="extension" also keeps Wide out of the head itself (xsi:type); Same blocks nothing.
    expect(box).toContain('  Base: ((Base & { $type?: "Base" }) & { $element?: "Base" }) | ((Base | Wide) & { $element: "Same" });');
    expect(box).toContain("  Final: Base | Wide;");
    const warnings = result.warnings.map((w) => w.message);
    expect(warnings).toContain("element {urn:test}Ext derives its type by extension, which element {urn:test}Final excludes from its substitution group (final); it may not stand for Final");
    expect(warnings).toContain("element {urn:test}Odd names element {urn:test}Base as its substitution group, but its type does not derive from the head's type; it may not stand for Base");
  });

  it("an abstract head that nothing may stand for is an error at the reference", async () => {
    const problems = await diagnostics({
      "main.wsdl": wsdl(`${op("tns:Box")}
      <xs:element name="Shape" type="xs:string" abstract="true"/>
      <xs:complexType name="Box"><xs:sequence><xs:element ref="tns:Shape"/></xs:sequence></xs:complexType>`),
    });
    expect(problems.join("\n")).toContain("element {urn:test}Shape is abstract and no element of its substitution group may stand for it (in complexType {urn:test}Box)");
  });
});

describe("the XML namespace's attributes", () => {
  it("take the types xml.xsd gives them when the contract imports the namespace without a location", async () => {
    const { meta } = await generated(`<xs:import namespace="http://www.w3.org/XML/1998/namespace"/>${op("tns:Text")}
      <xs:complexType name="Text"><xs:simpleContent><xs:extension base="xs:string"><xs:attribute ref="xml:lang"/><xs:attribute ref="xml:base"/><xs:attribute ref="xml:space"/></xs:extension></xs:simpleContent></xs:complexType>`);
    expect(declaration(meta, "TextMeta").replace(/\s+/g, " ")).toContain(
      'attribute("lang", "http://www.w3.org/XML/1998/namespace", () => builtin("language")), attribute("base", "http://www.w3.org/XML/1998/namespace", () => builtin("anyURI")), attribute("space", "http://www.w3.org/XML/1998/namespace", () => builtin("string")),',
    );
  });
});
