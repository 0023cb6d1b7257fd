/**
 * Names: XSD names are kept; what cannot be an identifier is made one; collisions get stable
 * suffixes, in an allocation order that does not depend on file order.
 */
import { describe, expect, it } from "vitest";
import { NameScope, propertyKey, toIdentifier } from "../../generator/src/ir/names.ts";
import { declaration, declaredNames, lines, run, wsdl } from "./helpers.ts";

describe("toIdentifier / propertyKey", () => {
  const cases: [string, string, string][] = [
    ["OrderDetails", "OrderDetails", "OrderDetails"],
    ["first-name", "first_name", '"first-name"'],
    ["a.b", "a_b", '"a.b"'],
    ["Größe", "Größe", "Größe"],
    ["_x", "_x", "_x"],
  ];
  it.each(cases)("%s → %s / %s", (name, identifier, key) => {
    expect(toIdentifier(name)).toBe(identifier);
    expect(propertyKey(name)).toBe(key);
  });
});

describe("NameScope", () => {
  it("keeps names, escapes reserved words and runtime symbols, suffixes collisions", () => {
    const scope = new NameScope(["Decimal", "element"]);
    expect(["Order", "Order", "Order", "delete", "delete", "Decimal", "element", "Promise", "constructor", "order"].map((n) => scope.allocate(n))).toEqual([
      "Order",
      "Order_2",
      "Order_3",
      "delete_",
      "delete_2",
      "Decimal_",
      "element_",
      "Promise_",
      "constructor_",
      "order",
    ]);
  });
});

describe("collisions in a generated package", () => {
  const files = {
    "main.wsdl": wsdl("", {
      xmlns: ' xmlns:a="urn:a" xmlns:b="urn:b"',
      types: `<xs:schema targetNamespace="urn:test" elementFormDefault="qualified" xmlns:a="urn:a" xmlns:b="urn:b">
      <xs:import namespace="urn:a" schemaLocation="a.xsd"/>
      <xs:import namespace="urn:b" schemaLocation="b.xsd"/>
      <xs:element name="Op"><xs:complexType><xs:sequence>
        <xs:element name="b" type="b:Order"/>
        <xs:element name="a" type="a:Order"/>
        <xs:element name="del" type="tns:delete"/>
        <xs:element name="dec" type="tns:Decimal"/>
        <xs:element name="meta" type="tns:OpMeta"/>
        <xs:element name="client" type="tns:SvcClient"/>
        <xs:element name="ops" type="tns:operations"/>
        <xs:element name="el" type="tns:OpElement"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:complexType name="Op"><xs:sequence><xs:element name="named" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="OpResponse" type="tns:Op"/>
      <xs:complexType name="delete"/>
      <xs:simpleType name="Decimal"><xs:restriction base="xs:decimal"/></xs:simpleType>
      <xs:complexType name="OpMeta"/>
      <xs:complexType name="SvcClient"/>
      <xs:complexType name="operations"/>
      <xs:complexType name="OpElement"/>
    </xs:schema>`,
    }),
    "a.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a"><xs:complexType name="Order"><xs:sequence><xs:element name="x" type="xs:int"/></xs:sequence></xs:complexType></xs:schema>`,
    "b.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b"><xs:complexType name="Order"><xs:sequence><xs:element name="y" type="xs:int"/></xs:sequence></xs:complexType></xs:schema>`,
  };

  it("allocates every identifier once, in a fixed order", async () => {
    const { files: out } = await run(files);
    const types = out["src/types.ts"]!;
    expect(declaredNames(types)).toEqual(["Decimal_", "Op", "OpElement", "OpMeta", "Op_2", "Order", "Order_2", "SvcClient_2", "delete_", "operations_2"]);
    // Named types first (by name, then namespace), then the anonymous type of the global element Op.
    expect(declaration(types, "Order")).toContain("From complexType `{urn:a}Order`.");
    expect(declaration(types, "Order_2")).toContain("From complexType `{urn:b}Order`.");
    expect(declaration(types, "Op_2")).toBe(
      lines(
        "/** From the anonymous complexType of `{urn:test}Op`. */",
        "export interface Op_2 {",
        "  b: Order_2;",
        "  a: Order;",
        "  del: delete_;",
        "  dec: Decimal_;",
        "  meta: OpMeta;",
        "  client: SvcClient_2;",
        "  ops: operations_2;",
        "  el: OpElement;",
        "}",
      ),
    );
    const meta = out["src/meta.ts"]!;
    expect(declaredNames(meta)).toEqual([
      "Decimal_Meta",
      "OpMeta_2",
      "OpElementMeta",
      "OpMetaMeta",
      "Op_2Meta",
      "OrderMeta",
      "Order_2Meta",
      "SvcClient_2Meta",
      "delete_Meta",
      "operations_2Meta",
      "OpElement_2",
      "OpResponseElement",
      "operations",
      "SvcService",
    ]);
    expect(declaredNames(out["src/client.ts"]!)).toEqual(["SvcClient"]);
    expect(out["src/meta.ts"]).toContain("Op: operation<Op_2, Op>({");
  });
});

describe("the date-time helpers' names", () => {
  const files = {
    "main.wsdl": wsdl(`      <xs:element name="Op"><xs:complexType><xs:sequence>
        <xs:element name="a" type="tns:toDate"/>
        <xs:element name="b" type="tns:fromDate"/>
        <xs:element name="c" type="tns:contractTimeZone"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>
      <xs:complexType name="toDate"/>
      <xs:simpleType name="fromDate"><xs:restriction base="xs:dateTime"/></xs:simpleType>
      <xs:simpleType name="contractTimeZone"><xs:restriction base="xs:string"/></xs:simpleType>`),
  };

  it.each([
    ["with a time zone", { timeZone: "Europe/Chisinau" }],
    ["without one (setting a time zone later renames nothing)", {}],
  ])("are reserved %s: schema types of those names get a suffix", async (_, options) => {
    const { files: out } = await run(files, options);
    expect(declaredNames(out["src/types.ts"]!)).toEqual(["Op", "OpResponse", "contractTimeZone_2", "fromDate_2", "toDate_2"]);
    if ("timeZone" in options) expect(declaredNames(out["src/time.ts"]!)).toEqual(["contractTimeZone", "toDate", "fromDate"]);
  });
});
