/**
 * Parsing and resolving, seen through what the generator makes of small contracts:
 * given a schema (and sometimes several files), want exact declarations.
 */
import { describe, expect, it } from "vitest";
import { declaration, declaredNames, diagnostics, lines, opTaking, run, wsdl, type Files } from "./helpers.ts";

type Case = [name: string, { given: Files; want: Record<string, string>; file?: string }];

async function check({ given, want, file = "src/types.ts" }: Case[1]) {
  const { files } = await run(given);
  const text = files[file]!;
  for (const [name, block] of Object.entries(want)) expect(declaration(text, name)).toBe(block);
}

describe("QNames resolve by namespace, never by prefix", () => {
  const cases: Case[] = [
    [
      "the same namespace under different prefixes in different files",
      {
        given: {
          "main.wsdl": wsdl("", {
            xmlns: ' xmlns:o="urn:orders"',
            types: `<xs:schema targetNamespace="urn:test" elementFormDefault="qualified" xmlns:ord="urn:orders">
      <xs:import namespace="urn:orders" schemaLocation="orders.xsd"/>
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="order" type="ord:Order"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>
    </xs:schema>`,
          }),
          "orders.xsd": `<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:x="urn:orders" targetNamespace="urn:orders" elementFormDefault="qualified">
  <s:complexType name="Order"><s:sequence><s:element name="id" type="s:string"/><s:element name="line" type="x:Line"/></s:sequence></s:complexType>
  <s:complexType name="Line"><s:sequence><s:element name="sku" type="s:token"/></s:sequence></s:complexType>
</s:schema>`,
        },
        want: {
          Op: lines("/** From the anonymous complexType of `{urn:test}Op`. */", "export interface Op {", "  order: Order;", "}"),
          Order: lines("/** From complexType `{urn:orders}Order`. */", "export interface Order {", "  id: string;", "  line: Line;", "}"),
        },
      },
    ],
    [
      "one prefix bound to different namespaces in different files",
      {
        given: {
          "main.wsdl": wsdl("", {
            types: `<xs:schema targetNamespace="urn:test" elementFormDefault="qualified" xmlns:p="urn:a">
      <xs:import namespace="urn:a" schemaLocation="a.xsd"/>
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="a" type="p:A"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>
    </xs:schema>`,
          }),
          "a.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:p="urn:b" targetNamespace="urn:a">
  <xs:import namespace="urn:b" schemaLocation="b.xsd"/>
  <xs:complexType name="A"><xs:sequence><xs:element name="b" type="p:B"/></xs:sequence></xs:complexType>
</xs:schema>`,
          "b.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b">
  <xs:simpleType name="B"><xs:restriction base="xs:int"/></xs:simpleType>
</xs:schema>`,
        },
        want: {
          A: lines("/** From complexType `{urn:a}A`. */", "export interface A {", "  b: B;", "}"),
          B: lines("/** From simpleType `{urn:b}B` (a restriction of xs:int). */", "export type B = number;"),
        },
      },
    ],
    [
      "a default namespace instead of a prefix",
      {
        given: {
          "main.wsdl": wsdl("", {
            types: `<xs:schema targetNamespace="urn:test" xmlns="urn:test" elementFormDefault="qualified">
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="t" type="T"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>
      <xs:complexType name="T"><xs:sequence><xs:element name="n" type="xs:long"/></xs:sequence></xs:complexType>
    </xs:schema>`,
          }),
        },
        want: { T: lines("/** From complexType `{urn:test}T`. */", "export interface T {", "  n: BigInteger;", "}") },
      },
    ],
  ];
  it.each(cases)("%s", async (_, c) => check(c));
});

describe("include and import", () => {
  const cases: Case[] = [
    [
      "xs:include of a schema in the same namespace",
      {
        given: {
          "main.wsdl": wsdl("", {
            types: `<xs:schema targetNamespace="urn:test" elementFormDefault="qualified"><xs:include schemaLocation="types/part.xsd"/></xs:schema>`,
          }),
          "types/part.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:test" targetNamespace="urn:test" elementFormDefault="qualified">
  <xs:include schemaLocation="more.xsd"/>
  <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="x" type="tns:X"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="OpResponse"><xs:complexType/></xs:element>
</xs:schema>`,
          "types/more.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test">
  <xs:simpleType name="X"><xs:restriction base="xs:string"><xs:maxLength value="5"/></xs:restriction></xs:simpleType>
</xs:schema>`,
        },
        want: {
          X: lines("/**", " * Maximum length: 5.", " *", " * From simpleType `{urn:test}X` (a restriction of xs:string).", " */", "export type X = string;"),
        },
      },
    ],
    [
      "a chameleon include takes the includer's namespace",
      {
        given: {
          "main.wsdl": wsdl("", {
            types: `<xs:schema targetNamespace="urn:test" elementFormDefault="qualified">
      <xs:include schemaLocation="chameleon.xsd"/>
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="c" type="tns:C"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>
    </xs:schema>`,
          }),
          "chameleon.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="C"><xs:sequence><xs:element name="d" type="D"/></xs:sequence></xs:complexType>
  <xs:simpleType name="D"><xs:restriction base="xs:date"/></xs:simpleType>
</xs:schema>`,
        },
        want: {
          C: lines("/** From complexType `{urn:test}C`. */", "export interface C {", "  d: D;", "}"),
          D: lines("/** From simpleType `{urn:test}D` (a restriction of xs:date). */", "export type D = XsdDate;"),
        },
      },
    ],
    [
      "wsdl:import of a WSDL holding the messages, and an XSD imported twice (loaded once)",
      {
        given: {
          "main.wsdl": `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:i="urn:test" targetNamespace="urn:main">
  <wsdl:import namespace="urn:test" location="abstract.wsdl"/>
  <wsdl:binding name="B" type="i:IPort">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <wsdl:operation name="Op"><soap:operation soapAction="a"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="m:B" xmlns:m="urn:main"><soap:address location="http://x/"/></wsdl:port></wsdl:service>
</wsdl:definitions>`,
          "abstract.wsdl": `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:test" targetNamespace="urn:test">
  <wsdl:types>
    <xs:schema targetNamespace="urn:test"><xs:import namespace="urn:test:t" schemaLocation="t.xsd"/></xs:schema>
    <xs:schema targetNamespace="urn:test" elementFormDefault="qualified" xmlns:t="urn:test:t">
      <xs:import namespace="urn:test:t" schemaLocation="t.xsd"/>
      <xs:element name="Op" type="t:T"/>
      <xs:element name="OpResponse" type="t:T"/>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="OpIn"><wsdl:part name="p" element="tns:Op"/></wsdl:message>
  <wsdl:message name="OpOut"><wsdl:part name="p" element="tns:OpResponse"/></wsdl:message>
  <wsdl:portType name="IPort"><wsdl:operation name="Op"><wsdl:input message="tns:OpIn"/><wsdl:output message="tns:OpOut"/></wsdl:operation></wsdl:portType>
</wsdl:definitions>`,
          "t.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test:t"><xs:complexType name="T"/></xs:schema>`,
        },
        want: { T: lines("/** From complexType `{urn:test:t}T`. */", "export interface T {}") },
      },
    ],
  ];
  it.each(cases)("%s", async (_, c) => check(c));

  it("serves every loaded document once, under a unique key, with exact link ranges", async () => {
    const { files } = await run({
      "main.wsdl": wsdl("", {
        types: `<xs:schema targetNamespace="urn:test"><xs:import namespace="urn:a" schemaLocation="a/types.xsd"/><xs:import namespace="urn:b" schemaLocation="b/types.xsd"/>
      <xs:element name="Op"><xs:complexType/></xs:element><xs:element name="OpResponse"><xs:complexType/></xs:element></xs:schema>`,
      }),
      "a/types.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a"><xs:import namespace="urn:b" schemaLocation="../b/types.xsd"/></xs:schema>`,
      "b/types.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b"/>`,
    });
    const module = await import(`data:text/javascript,${encodeURIComponent(files["src/documents.ts"]!.replace(/^import .*$/m, "").replace(": readonly ServedDocument[]", ""))}`);
    const docs = module.documents as { key: string; text: string; links: { start: number; end: number; target: string }[] }[];
    expect(docs.map((d) => d.key)).toEqual(["wsdl", "xsd=types.xsd", "xsd=types-2.xsd"]);
    const targets = docs.map((d) => d.links.map((l) => [d.text.slice(l.start, l.end), l.target]));
    expect(targets).toEqual([
      [
        ["a/types.xsd", "xsd=types.xsd"],
        ["b/types.xsd", "xsd=types-2.xsd"],
        ["http://localhost/svc", ""],
      ],
      [["../b/types.xsd", "xsd=types-2.xsd"]],
      [],
    ]);
  });
});

describe("catalog", () => {
  const main = wsdl("", {
    types: `<xs:schema targetNamespace="urn:test" elementFormDefault="qualified" xmlns:r="urn:remote">
      <xs:import namespace="urn:remote" schemaLocation="http://example.org/schemas/v1/remote.xsd"/>
      <xs:import namespace="urn:exact" schemaLocation="https://other.example/x?xsd=xsd0"/>
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="r" type="r:R"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>
    </xs:schema>`,
  });
  const remote = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:r="urn:remote" targetNamespace="urn:remote">
  <xs:include schemaLocation="common.xsd"/>
  <xs:complexType name="R"><xs:sequence><xs:element name="c" type="r:Common"/></xs:sequence></xs:complexType>
</xs:schema>`;
  const common = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:remote"><xs:simpleType name="Common"><xs:restriction base="xs:boolean"/></xs:simpleType></xs:schema>`;
  const exact = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:exact"/>`;

  it("maps URLs by rewrite prefix and exact entry; relative locations inside resolve against the URL", async () => {
    const { files } = await run(
      {
        "main.wsdl": main,
        "cat/catalog.json": JSON.stringify({
          rewrite: [{ prefix: "http://example.org/schemas/", to: "../local/" }],
          map: { "https://other.example/x?xsd=xsd0": "../local/exact.xsd" },
        }),
        "local/v1/remote.xsd": remote,
        "local/v1/common.xsd": common,
        "local/exact.xsd": exact,
      },
      { catalog: "cat/catalog.json" },
    );
    expect(declaration(files["src/types.ts"]!, "R")).toBe(lines("/** From complexType `{urn:remote}R`. */", "export interface R {", "  c: Common;", "}"));
    expect(files["src/documents.ts"]).toContain('key: "xsd=remote.xsd"');
    expect(files["src/documents.ts"]).toContain('key: "xsd=exact.xsd"');
  });

  it("an unmapped URL is an error naming it and suggesting a catalog entry", async () => {
    expect(
      await diagnostics(
        { "main.wsdl": main, "catalog.json": JSON.stringify({ map: { "https://other.example/x?xsd=xsd0": "exact.xsd" } }), "exact.xsd": exact },
        { catalog: "catalog.json" },
      ),
    ).toEqual([
      'main.wsdl:6:41: cannot load http://example.org/schemas/v1/remote.xsd: the generator never fetches over the network, and no catalog entry maps this URL; add an entry to catalog.json, like {"map": {"http://example.org/schemas/v1/remote.xsd": "./remote.xsd"}}, or a "rewrite" prefix that covers it',
    ]);
  });

  it("the W3C xmlmime schema is bundled: imported by its URL it needs no catalog, and a catalog entry still wins", async () => {
    const mime = wsdl(
      `${opTaking("tns:Blob")}
      <xs:complexType name="Blob"><xs:simpleContent><xs:extension base="xmime:base64Binary"><xs:attribute name="name" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>`,
      { schemaAttributes: ' xmlns:xmime="http://www.w3.org/2005/05/xmlmime"' },
    ).replace('<xs:schema targetNamespace="urn:test" elementFormDefault="qualified" xmlns:xmime="http://www.w3.org/2005/05/xmlmime">', '<xs:schema targetNamespace="urn:test" elementFormDefault="qualified" xmlns:xmime="http://www.w3.org/2005/05/xmlmime"><xs:import namespace="http://www.w3.org/2005/05/xmlmime" schemaLocation="http://www.w3.org/2005/05/xmlmime"/>');
    const { files, result } = await run({ "main.wsdl": mime });
    expect(result.warnings).toEqual([]);
    // xmime:base64Binary: bytes with an optional xmime:contentType, and the schema is served with the contract.
    expect(declaration(files["src/types.ts"]!, "Blob")).toContain("contentType?: string;");
    expect(files["src/documents.ts"]).toContain('targetNamespace="http://www.w3.org/2005/05/xmlmime"');
    const own = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/2005/05/xmlmime"><xs:complexType name="base64Binary"><xs:simpleContent><xs:extension base="xs:base64Binary"><xs:attribute name="mine" type="xs:int"/></xs:extension></xs:simpleContent></xs:complexType></xs:schema>`;
    const { files: overridden } = await run({ "main.wsdl": mime, "catalog.json": JSON.stringify({ map: { "http://www.w3.org/2005/05/xmlmime": "mine.xsd" } }), "mine.xsd": own }, { catalog: "catalog.json" });
    expect(declaration(overridden["src/types.ts"]!, "Blob")).toContain("mine?: number;");
  });

  it("without a catalog, the hint says how to add one", async () => {
    const problems = await diagnostics({ "main.wsdl": main });
    expect(problems[0]).toBe(
      'main.wsdl:6:41: cannot load http://example.org/schemas/v1/remote.xsd: the generator never fetches over the network, and no catalog entry maps this URL; save the file locally and add a catalog ("catalog" in the config, or --catalog) with an entry like {"map": {"http://example.org/schemas/v1/remote.xsd": "./remote.xsd"}}',
    );
  });
});

describe("simple types and facets", () => {
  const schema = `${opTaking("tns:Code")}
      <xs:simpleType name="Code">
        <xs:annotation><xs:documentation>A product code.</xs:documentation></xs:annotation>
        <xs:restriction base="tns:Base">
          <xs:maxLength value="12"/>
          <xs:pattern value="[A-Z]+"/>
          <xs:pattern value="[0-9]+"/>
          <xs:whiteSpace value="collapse"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="Base">
        <xs:restriction base="xs:token"><xs:minLength value="2"/><xs:maxLength value="20"/><xs:pattern value="\\w+"/></xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="Amount">
        <xs:restriction base="xs:decimal">
          <xs:totalDigits value="10"/><xs:fractionDigits value="2"/><xs:minInclusive value="0"/><xs:maxExclusive value="1000000"/>
        </xs:restriction>
      </xs:simpleType>`;

  it("merges facets down the derivation chain: base first, patterns ANDed across steps, ORed within one", async () => {
    const { files } = await run({ "main.wsdl": wsdl(schema) });
    expect(declaration(files["src/types.ts"]!, "Code")).toBe(
      lines(
        "/**",
        " * A product code.",
        " *",
        " * Minimum length: 2. Maximum length: 12. Pattern: `\\w+`. Pattern: `([A-Z]+)|([0-9]+)`. Whitespace:",
        " * collapse.",
        " *",
        " * From simpleType `{urn:test}Code` (a restriction of xs:token).",
        " */",
        "export type Code = string;",
      ),
    );
    expect(declaration(files["src/meta.ts"]!, "CodeMeta")).toBe(
      lines(
        "/** Descriptor of {@link Code}. */",
        'export const CodeMeta = simpleType("{urn:test}Code", "token", {',
        "  minLength: 2,",
        "  maxLength: 12,",
        '  patterns: ["\\\\w+", "([A-Z]+)|([0-9]+)"],',
        '  whiteSpace: "collapse",',
        "});",
      ),
    );
  });

  it("an unused type is not generated", async () => {
    const { files } = await run({ "main.wsdl": wsdl(schema) });
    expect(declaredNames(files["src/types.ts"]!)).toEqual(["Code", "Op", "OpResponse"]);
  });

  it("keeps bounds lexical and digits numeric", async () => {
    const { files } = await run({ "main.wsdl": wsdl(schema.replace('type="tns:Code"', 'type="tns:Amount"')) });
    expect(declaration(files["src/meta.ts"]!, "AmountMeta")).toBe(
      lines(
        "/** Descriptor of {@link Amount}. */",
        'export const AmountMeta = simpleType("{urn:test}Amount", "decimal", {',
        "  totalDigits: 10,",
        "  fractionDigits: 2,",
        '  minInclusive: "0",',
        '  maxExclusive: "1000000",',
        "});",
      ),
    );
    expect(declaration(files["src/types.ts"]!, "Amount")).toBe(
      lines(
        "/**",
        " * Minimum: 0. Less than 1000000. Total digits: 10. Fraction digits: 2.",
        " *",
        " * From simpleType `{urn:test}Amount` (a restriction of xs:decimal).",
        " */",
        "export type Amount = Decimal;",
      ),
    );
  });

  it("an anonymous simple type gets a private descriptor and its facets in the property's TSDoc", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`      <xs:element name="Op"><xs:complexType><xs:sequence>
        <xs:element name="Key"><xs:annotation><xs:documentation>The key.</xs:documentation></xs:annotation>
          <xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="36"/></xs:restriction></xs:simpleType></xs:element>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    expect(declaration(files["src/types.ts"]!, "Op")).toBe(
      lines(
        "/** From the anonymous complexType of `{urn:test}Op`. */",
        "export interface Op {",
        "  /**",
        "   * The key.",
        "   *",
        "   * Maximum length: 36.",
        "   */",
        "  Key: string;",
        "}",
      ),
    );
    expect(declaration(files["src/meta.ts"]!, "Op_KeyMeta")).toBe(
      lines(
        "/** Descriptor of the anonymous type of {urn:test}Op/Key. */",
        'const Op_KeyMeta = simpleType("anonymous type of {urn:test}Op/Key", "string", { maxLength: 36 });',
      ),
    );
  });
});

describe("enumerations", () => {
  const cases: [string, string, string[]][] = [
    [
      "string enumeration → value list and union",
      `<xs:simpleType name="Status"><xs:annotation><xs:documentation>Order state.</xs:documentation></xs:annotation><xs:restriction base="xs:string">
        <xs:enumeration value="Active"><xs:annotation><xs:documentation>Payable.</xs:documentation></xs:annotation></xs:enumeration>
        <xs:enumeration value="Paid"/><xs:enumeration value="with space"/></xs:restriction></xs:simpleType>`,
      [
        lines("/** The values of {@link Status}, in schema order. */", 'export const StatusValues = ["Active", "Paid", "with space"] as const;'),
        lines(
          "/**",
          " * Order state.",
          " *",
          " * - `Active`: Payable.",
          " * - `Paid`",
          " * - `with space`",
          " *",
          " * From simpleType `{urn:test}Status`.",
          " */",
          "export type Status = (typeof StatusValues)[number];",
        ),
      ],
    ],
    [
      "numeric enumeration → the number type (literal unions are for strings)",
      `<xs:simpleType name="Status"><xs:restriction base="xs:int"><xs:enumeration value="1"/><xs:enumeration value="2"/></xs:restriction></xs:simpleType>`,
      [lines("/** From simpleType `{urn:test}Status` (a restriction of xs:int). */", "export type Status = number;")],
    ],
    [
      "a restriction of an enumeration narrows it",
      `<xs:simpleType name="Status"><xs:restriction base="tns:All"><xs:enumeration value="b"/></xs:restriction></xs:simpleType>
       <xs:simpleType name="All"><xs:restriction base="xs:token"><xs:enumeration value="a"/><xs:enumeration value="b"/></xs:restriction></xs:simpleType>`,
      [lines("/** The values of {@link Status}, in schema order. */", 'export const StatusValues = ["b"] as const;')],
    ],
  ];
  it.each(cases)("%s", async (_, schema, blocks) => {
    const { files } = await run({ "main.wsdl": wsdl(`${opTaking("tns:Status")}\n${schema}`) });
    const text = files["src/types.ts"]!;
    for (const block of blocks) expect(text).toContain(block);
  });

  it("the descriptor refers to the value list", async () => {
    const { files } = await run({ "main.wsdl": wsdl(`${opTaking("tns:S")}<xs:simpleType name="S"><xs:restriction base="xs:string"><xs:enumeration value="x"/></xs:restriction></xs:simpleType>`) });
    expect(declaration(files["src/meta.ts"]!, "SMeta")).toBe(
      lines("/** Descriptor of {@link S}. */", 'export const SMeta = simpleType("{urn:test}S", "string", { enumeration: SValues });'),
    );
  });

  it("an anonymous enumeration is named after its element", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="Kind">
        <xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>
      </xs:element></xs:sequence></xs:complexType></xs:element><xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    const text = files["src/types.ts"]!;
    expect(declaration(text, "KindValues")).toBe(lines("/** The values of {@link Kind}, in schema order. */", 'export const KindValues = ["A", "B"] as const;'));
    expect(declaration(text, "Op")).toContain("  Kind: Kind;");
  });
});

describe("occurrences and nillable", () => {
  const cases: [string, string, string][] = [
    ["required", "", "  v: string;"],
    ["minOccurs=0 → optional", ' minOccurs="0"', "  v?: string;"],
    ["nillable → | null", ' nillable="true"', "  v: string | null;"],
    ["optional and nillable", ' minOccurs="0" nillable="true"', "  v?: string | null;"],
    ["maxOccurs>1 → array", ' maxOccurs="3"', "  v: string[];"],
    ["unbounded, optional", ' minOccurs="0" maxOccurs="unbounded"', "  v?: string[];"],
    ["repeated nillable items", ' maxOccurs="unbounded" nillable="true"', "  v: (string | null)[];"],
    ["a default is documented", ' minOccurs="0" default="x"', "  /** Default: `x`. */\n  v?: string;"],
    ["a fixed value is documented", ' fixed="1.0"', "  /** Fixed: `1.0`. */\n  v: string;"],
  ];
  it.each(cases)("%s", async (_, attributes, want) => {
    const { files } = await run({
      "main.wsdl": wsdl(`      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="v" type="xs:string"${attributes}/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    expect(declaration(files["src/types.ts"]!, "Op")).toBe(
      lines("/** From the anonymous complexType of `{urn:test}Op`. */", "export interface Op {", want, "}"),
    );
  });

  it("descriptors carry the occurrences, Infinity for unbounded", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="v" type="xs:string" minOccurs="0" maxOccurs="unbounded" nillable="true" default="d"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    expect(declaration(files["src/meta.ts"]!, "OpMeta")).toBe(
      lines(
        "/** Descriptor of {@link Op}. */",
        'export const OpMeta = complexType("anonymous type of {urn:test}Op", [',
        '  element("v", "urn:test", () => builtin("string"), {',
        "    minOccurs: 0,",
        "    maxOccurs: Infinity,",
        "    nillable: true,",
        '    default: "d",',
        "  }),",
        "]);",
      ),
    );
  });
});

describe("built-in type mapping", () => {
  const cases: [string, string][] = [
    ["xs:string", "string"],
    ["xs:anyURI", "string"],
    ["xs:boolean", "boolean"],
    ["xs:decimal", "Decimal"],
    ["xs:integer", "BigInteger"],
    ["xs:long", "BigInteger"],
    ["xs:unsignedLong", "BigInteger"],
    ["xs:nonNegativeInteger", "BigInteger"],
    ["xs:int", "number"],
    ["xs:unsignedShort", "number"],
    ["xs:byte", "number"],
    ["xs:double", "number"],
    ["xs:dateTime", "DateTime"],
    ["xs:date", "XsdDate"],
    ["xs:time", "XsdTime"],
    ["xs:duration", "Duration"],
    ["xs:gYear", "string"],
    ["xs:base64Binary", "Uint8Array"],
    ["xs:hexBinary", "Uint8Array"],
    ["xs:QName", "QName"],
    ["xs:anyType", "XmlElement"],
  ];
  it.each(cases)("%s → %s", async (xsd, ts) => {
    const { files } = await run({ "main.wsdl": wsdl(opTaking(xsd)) });
    expect(declaration(files["src/types.ts"]!, "Op")).toContain(`  value: ${ts};`);
    if (/^[A-Z]/.test(ts) && ts !== "Uint8Array") expect(files["src/types.ts"]).toContain(`import type { ${ts} } from "@mpay-kit/runtime/codegen/v1";`);
  });

  it("an element without a type is xs:anyType", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`<xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="any"/></xs:sequence></xs:complexType></xs:element><xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    expect(files["src/meta.ts"]).toContain('element("any", "urn:test", () => anyType())');
  });
});

describe("array wrappers (WCF ArrayOfX)", () => {
  const item = `<xs:complexType name="Line"><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType>`;
  const cases: [string, string, string][] = [
    [
      "nillable items → (T | null)[]",
      `<xs:complexType name="ArrayOfLine"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="Line" nillable="true" type="tns:Line"/></xs:sequence></xs:complexType>`,
      "  value: (Line | null)[];",
    ],
    [
      "plain items → T[]",
      `<xs:complexType name="ArrayOfLine"><xs:sequence><xs:element maxOccurs="unbounded" name="Line" type="tns:Line"/></xs:sequence></xs:complexType>`,
      "  value: Line[];",
    ],
    [
      "any name: the shape decides",
      `<xs:complexType name="ArrayOfLine"><xs:sequence><xs:element maxOccurs="5" name="Item" type="xs:string"/></xs:sequence></xs:complexType>`,
      "  value: string[];",
    ],
    [
      "two members → not an array",
      `<xs:complexType name="ArrayOfLine"><xs:sequence><xs:element maxOccurs="unbounded" name="Line" type="tns:Line"/><xs:element name="count" type="xs:int"/></xs:sequence></xs:complexType>`,
      "  value: ArrayOfLine;",
    ],
    [
      "an attribute → not an array",
      `<xs:complexType name="ArrayOfLine"><xs:sequence><xs:element maxOccurs="unbounded" name="Line" type="tns:Line"/></xs:sequence><xs:attribute name="n" type="xs:int"/></xs:complexType>`,
      "  value: ArrayOfLine;",
    ],
    [
      "one element that does not repeat → not an array",
      `<xs:complexType name="ArrayOfLine"><xs:sequence><xs:element name="Line" type="tns:Line"/></xs:sequence></xs:complexType>`,
      "  value: ArrayOfLine;",
    ],
  ];
  it.each(cases)("%s", async (_, type, want) => {
    const { files } = await run({ "main.wsdl": wsdl(`${opTaking("tns:ArrayOfLine")}\n${item}\n${type}`) });
    expect(declaration(files["src/types.ts"]!, "Op")).toContain(want);
  });

  it("the wrapper gets a descriptor with arrayItem: 0 and no TypeScript type", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(
        `${opTaking("tns:ArrayOfLine", ' nillable="true"')}\n${item}\n${cases[0]![1]}`,
      ),
    });
    expect(declaredNames(files["src/types.ts"]!)).toEqual(["Line", "Op", "OpResponse"]);
    expect(declaration(files["src/types.ts"]!, "Op")).toContain("  value: (Line | null)[] | null;");
    expect(declaration(files["src/meta.ts"]!, "ArrayOfLineMeta")).toBe(
      lines(
        "/** Descriptor of complexType `{urn:test}ArrayOfLine`: a list shown as an array of its Line items. */",
        "export const ArrayOfLineMeta = complexType(",
        '  "{urn:test}ArrayOfLine",',
        '  [element("Line", "urn:test", () => LineMeta, { minOccurs: 0, maxOccurs: Infinity, nillable: true })],',
        "  { arrayItem: 0 },",
        ");",
      ),
    );
  });
});

describe("elements: refs, forms, anonymous types", () => {
  it("elementFormDefault=unqualified gives local elements no namespace; form= overrides; refs keep the global's", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(
        `      <xs:element name="Op"><xs:complexType><xs:sequence>
        <xs:element name="plain" type="xs:string"/>
        <xs:element name="qualified" form="qualified" type="xs:string"/>
        <xs:element ref="tns:Global" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="Global" type="xs:int" nillable="true"><xs:annotation><xs:documentation>A global.</xs:documentation></xs:annotation></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`,
        { schemaAttributes: "" },
      ).replace('elementFormDefault="qualified"', 'elementFormDefault="unqualified"'),
    });
    expect(declaration(files["src/meta.ts"]!, "OpMeta")).toBe(
      lines(
        "/** Descriptor of {@link Op}. */",
        'export const OpMeta = complexType("anonymous type of {urn:test}Op", [',
        '  element("plain", "", () => builtin("string")),',
        '  element("qualified", "urn:test", () => builtin("string")),',
        '  element("Global", "urn:test", () => builtin("int"), { minOccurs: 0, nillable: true }),',
        "]);",
      ),
    );
    expect(declaration(files["src/types.ts"]!, "Op")).toContain("  /** A global. */\n  Global?: number | null;");
  });

  it("anonymous complex types are named after their element, nested ones too", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`      <xs:element name="Op"><xs:complexType><xs:sequence>
        <xs:element name="Address"><xs:complexType><xs:sequence>
          <xs:element name="Geo" minOccurs="0"><xs:complexType><xs:sequence><xs:element name="lat" type="xs:double"/></xs:sequence></xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    const text = files["src/types.ts"]!;
    expect(declaredNames(text)).toEqual(["Address", "Geo", "Op", "OpResponse"]);
    expect(declaration(text, "Geo")).toBe(
      lines("/** From the anonymous complexType of `{urn:test}Op/Address/Geo`. */", "export interface Geo {", "  lat: number;", "}"),
    );
    expect(files["src/meta.ts"]).toContain('complexType("anonymous type of {urn:test}Op/Address/Geo", [');
  });

  it("complexContent extension: the interface extends its base; the descriptor is flat, base members first", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`${opTaking("tns:Derived")}
      <xs:complexType name="Base"><xs:sequence><xs:element name="id" type="xs:string"/></xs:sequence><xs:attribute name="version" type="xs:int" use="required"/></xs:complexType>
      <xs:complexType name="Derived"><xs:complexContent><xs:extension base="tns:Base">
        <xs:sequence><xs:element name="extra" type="xs:boolean" minOccurs="0"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>`),
    });
    expect(declaration(files["src/types.ts"]!, "Derived")).toBe(
      lines(
        "/** From complexType `{urn:test}Derived`. */",
        "export interface Derived extends Base {",
        "  extra?: boolean;",
        "}",
      ),
    );
    expect(declaration(files["src/meta.ts"]!, "DerivedMeta")).toBe(
      lines(
        "/** Descriptor of {@link Derived}. */",
        "export const DerivedMeta = complexType(",
        '  "{urn:test}Derived",',
        "  [",
        '    element("id", "urn:test", () => builtin("string")),',
        '    element("extra", "urn:test", () => builtin("boolean"), { minOccurs: 0 }),',
        "  ],",
        '  { attributes: [attribute("version", "", () => builtin("int"), { required: true })] },',
        ");",
      ),
    );
  });

  it("a recursive type refers to itself through a thunk", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`${opTaking("tns:Node")}
      <xs:complexType name="Node"><xs:sequence><xs:element name="child" type="tns:Node" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>`),
    });
    expect(declaration(files["src/types.ts"]!, "Node")).toContain("  child?: Node[];");
    expect(files["src/meta.ts"]).toContain('element("child", "urn:test", () => NodeMeta, { minOccurs: 0, maxOccurs: Infinity })');
  });

  it("documentation becomes TSDoc on the interface and the property", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`${opTaking("tns:T")}
      <xs:complexType name="T">
        <xs:annotation><xs:documentation>
          First line of the type.
            Indented second line.
        </xs:documentation><xs:documentation>Second part, with a */ inside.</xs:documentation></xs:annotation>
        <xs:sequence><xs:element name="a" type="xs:string"><xs:annotation><xs:documentation>The a.</xs:documentation></xs:annotation></xs:element></xs:sequence>
      </xs:complexType>`),
    });
    expect(declaration(files["src/types.ts"]!, "T")).toBe(
      lines(
        "/**",
        " * First line of the type.",
        " *   Indented second line.",
        " *",
        " * Second part, with a *\\/ inside.",
        " *",
        " * From complexType `{urn:test}T`.",
        " */",
        "export interface T {",
        "  /** The a. */",
        "  a: string;",
        "}",
      ),
    );
  });

  it("property names stay exactly the XSD names, quoted when they are not identifiers", async () => {
    const { files } = await run({
      "main.wsdl": wsdl(`      <xs:element name="Op"><xs:complexType><xs:sequence>
        <xs:element name="ServiceID" type="xs:string"/><xs:element name="first-name" type="xs:string"/><xs:element name="delete" type="xs:string"/><xs:element name="a.b" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element><xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    });
    expect(declaration(files["src/types.ts"]!, "Op")).toBe(
      lines(
        "/** From the anonymous complexType of `{urn:test}Op`. */",
        "export interface Op {",
        "  ServiceID: string;",
        '  "first-name": string;',
        "  delete: string;",
        '  "a.b": string;',
        "}",
      ),
    );
  });
});
