/**
 * Diagnostics: every problem in a contract is reported as `file:line:col: message; hint`, at the
 * element or attribute that causes it, with the exact text asserted here.
 */
import { describe, expect, it } from "vitest";
import { OptionError, parseConfig } from "@mpay-kit/codegen";
import { diagnostics, opTaking, run, warnings, wsdl } from "./helpers.ts";

/** A WSDL whose schema body starts on line 6 (see `wsdl()`: the schema element is on line 5). */
const at = (schema: string) => ({ "main.wsdl": wsdl(schema) });

describe("load errors", () => {
  it("a missing import file", async () => {
    expect(
      await diagnostics({
        "main.wsdl": wsdl(`      <xs:import namespace="urn:x" schemaLocation="types/missing.xsd"/>
${opTaking("xs:string")}`),
      }),
    ).toEqual(['main.wsdl:6:36: cannot import "types/missing.xsd": types/missing.xsd does not exist; locations are relative to the importing file, main.wsdl']);
  });

  it("a missing main WSDL", async () => {
    expect(await diagnostics({}, { wsdl: "wsdl/absent.wsdl" })).toEqual(["wsdl/absent.wsdl: cannot read the WSDL: wsdl/absent.wsdl does not exist"]);
  });

  it("malformed XML in an imported file points at the error", async () => {
    expect(
      await diagnostics({
        "main.wsdl": wsdl(`      <xs:import namespace="urn:x" schemaLocation="bad.xsd"/>
${opTaking("xs:string")}`),
        "bad.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">
  <xs:complexType name="A">
    <xs:sequence>
  </xs:complexType>
</xs:schema>`,
      }),
    ).toEqual(["bad.xsd:4:3: malformed XML: end tag </xs:complexType> does not match start tag <xs:sequence>"]);
  });

  it("malformed XML in the WSDL", async () => {
    expect(await diagnostics({ "main.wsdl": `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">\n  <a b="1" b="2"/>\n</wsdl:definitions>` })).toEqual([
      "main.wsdl:2:12: malformed XML: duplicate attribute b",
    ]);
  });

  it("a DOCTYPE is refused (no entities are ever expanded)", async () => {
    const [problem] = await diagnostics({ "main.wsdl": `<!DOCTYPE x [<!ENTITY e "boom">]>\n<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"/>` });
    expect(problem).toBe("main.wsdl:1:1: malformed XML: DOCTYPE is not allowed: this parser accepts no DTDs and no entity declarations");
  });

  it("a main file that is not a WSDL", async () => {
    expect(await diagnostics({ "main.wsdl": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>` })).toEqual([
      "main.wsdl:1:1: this is an XML Schema, not a WSDL; give the contract's WSDL 1.1 file (root wsdl:definitions)",
    ]);
  });
});

describe("references", () => {
  // What no file defines stands for an untyped value, with a warning (test/generator/tolerance.test.ts).
  it("an unknown type lists the types of its namespace and suggests the closest", async () => {
    expect(
      await warnings(
        at(`${opTaking("tns:Ordr")}
      <xs:complexType name="Order"/>
      <xs:complexType name="OrderLine"/>`),
      ),
    ).toEqual(["main.wsdl:6:83: warning: no type {urn:test}Ordr; types in that namespace: Order, OrderLine; read as xs:anyType: its values are kept as raw XML, untyped; did you mean Order?"]);
  });

  it("an unknown type in a namespace nothing declares", async () => {
    expect(await warnings(at(opTaking("o:Order").replace("<xs:element name=\"Op\">", '<xs:element name="Op" xmlns:o="urn:other">')))).toEqual([
      "main.wsdl:6:103: warning: no type {urn:other}Order: no schema or WSDL for namespace urn:other was loaded; read as xs:anyType: its values are kept as raw XML, untyped; import it (xs:import with a schemaLocation, or wsdl:import); loaded namespaces: urn:test",
    ]);
  });

  it("an unknown built-in", async () => {
    expect(await warnings(at(opTaking("xs:strng")))).toEqual([
      "main.wsdl:6:83: warning: no built-in type xs:strng in the XML Schema namespace; read as xs:anyType: its values are kept as raw XML, untyped; did you mean xs:string?",
    ]);
  });

  it("an undeclared prefix that no reading resolves", async () => {
    expect(await warnings(at(opTaking("nope:T")))).toEqual([
      'main.wsdl:6:83: warning: the prefix "nope" of "nope:T" is not declared, and no type named T exists in the contract; read as xs:anyType: its values are kept as raw XML, untyped; declare the prefix with xmlns:nope="<namespace>"',
    ]);
  });

  it("an unknown message", async () => {
    const text = wsdl(`${opTaking("xs:string")}`).replace('message="tns:OpOut"', 'message="tns:OpReply"');
    expect(await diagnostics({ "main.wsdl": text })).toEqual(["main.wsdl:13:76: no message {urn:test}OpReply; messages in that namespace: OpIn, OpOut"]);
  });

  it("a duplicate type", async () => {
    expect(
      await diagnostics(
        at(`${opTaking("tns:T")}
      <xs:complexType name="T"/>
      <xs:simpleType name="T"><xs:restriction base="xs:string"/></xs:simpleType>`),
      ),
    ).toEqual(["main.wsdl:9:7: duplicate type {urn:test}T; it is also declared, differently, at main.wsdl:8:7; rename or remove one of them"]);
  });
});

describe("unsupported constructs are reported where they are, when an operation reaches them", () => {
  const cases: [string, string, string[]][] = [
    [
      "group and attributeGroup references that contain themselves",
      `${opTaking("tns:G")}
      <xs:group name="Parts"><xs:sequence><xs:group ref="tns:Parts"/></xs:sequence></xs:group>
      <xs:attributeGroup name="Attrs"><xs:attributeGroup ref="tns:Attrs"/></xs:attributeGroup>
      <xs:complexType name="G"><xs:sequence><xs:group ref="tns:Parts"/></xs:sequence><xs:attributeGroup ref="tns:Attrs"/></xs:complexType>`,
      ["main.wsdl:8:43: group {urn:test}Parts contains itself", "main.wsdl:9:39: attributeGroup {urn:test}Attrs contains itself"],
    ],
    [
      "simple content whose base has element content",
      `${opTaking("tns:Money")}
      <xs:complexType name="Money"><xs:simpleContent><xs:extension base="tns:Pair"/></xs:simpleContent></xs:complexType>
      <xs:complexType name="Pair"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>`,
      ["main.wsdl:8:7: complexType {urn:test}Money takes its text from complexType {urn:test}Pair, which has no simple content; xs:simpleContent derives from a simple type or from a complex type with xs:simpleContent"],
    ],
    [
      "two elements of one name with different types",
      `${opTaking("tns:Twice")}
      <xs:complexType name="Twice"><xs:sequence><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string"/><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType>`,
      [
        "main.wsdl:8:127: complexType {urn:test}Twice has two elements named a of different types (the other at 8:49); elements of one name in one content model must have the same type (XSD Part 1, 3.8.6, Element Declarations Consistent)",
      ],
    ],
  ];
  it.each(cases)("%s", async (_, schema, want) => {
    expect(await diagnostics(at(schema))).toEqual(want);
  });

  it("an unsupported construct in a type no operation uses is no error", async () => {
    const { result } = await run(
      at(`${opTaking("xs:string")}
      <xs:complexType name="Unused"><xs:choice><xs:element name="a" type="xs:string"/></xs:choice></xs:complexType>`),
    );
    expect(result.types).toBe(2);
  });

  it("xs:redefine of a component the redefined schema lacks (the construct itself: test/generator/redefine.test.ts)", async () => {
    expect(
      await diagnostics({
        "main.wsdl": wsdl(`      <xs:redefine schemaLocation="other.xsd"><xs:simpleType name="Gone"><xs:restriction base="tns:Gone"/></xs:simpleType></xs:redefine>\n${opTaking("xs:string")}`),
        "other.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test"/>`,
      }),
    ).toEqual(["main.wsdl:6:62: xs:redefine of type {urn:test}Gone, which the redefined schema does not define; a redefinition replaces a component of the schema it names"]);
  });
});

describe("bindings", () => {
  const soap12 = (text: string) =>
    text
      .replace('xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"', 'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap12/"')
      .replace("<soap:binding", "<soap:binding");

  it("a SOAP 1.2 binding generates a SOAP 1.2 service", async () => {
    const { files } = await run({ "main.wsdl": soap12(wsdl(opTaking("xs:string"))) });
    expect(files["src/meta.ts"]).toContain('soapVersion: "1.2"');
    expect(files["src/meta.ts"]).toContain("port Port: SOAP 1.2, document/literal.");
  });

  it("a SOAP 1.2 port before a SOAP 1.1 one is the one generated (the server answers both; the client takes soapVersion)", async () => {
    const text = wsdl(opTaking("xs:string"))
      .replace(
        '<wsdl:binding name="Binding"',
        `<wsdl:binding name="Binding12" type="tns:IPort" xmlns:s12="http://schemas.xmlsoap.org/wsdl/soap12/"><s12:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><s12:operation soapAction="a"/><wsdl:input><s12:body use="literal"/></wsdl:input><wsdl:output><s12:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
  <wsdl:binding name="Binding"`,
      )
      .replace("<wsdl:port name=\"Port\"", '<wsdl:port name="Port12" binding="tns:Binding12"/><wsdl:port name="Port"');
    expect(await warnings({ "main.wsdl": text })).toEqual([]);
    const { files } = await run({ "main.wsdl": text });
    expect(files["src/meta.ts"]).toContain('port: "Port12"');
    const { files: chosen } = await run({ "main.wsdl": text }, { port: "Port" });
    expect(chosen["src/meta.ts"]).toContain('soapVersion: "1.1"');
  });

  it("a SOAP 1.1 address on a SOAP 1.2 binding is read as the binding says, with a warning", async () => {
    const text = soap12(wsdl(opTaking("xs:string"))).replace('<soap:address location="http://localhost/svc"/>', '<s11:address xmlns:s11="http://schemas.xmlsoap.org/wsdl/soap/" location="http://localhost/svc"/>');
    expect(await warnings({ "main.wsdl": text })).toEqual([
      "main.wsdl:24:50: warning: port Port has a SOAP 1.1 address for a SOAP 1.2 binding; read as the binding says, SOAP 1.2; write soap12:address in the namespace of the binding's extensions",
    ]);
  });

  it("rpc/literal is generated, but not a wrapper element named like a global element of its namespace (the wire could be read as either)", async () => {
    const text = wsdl(opTaking("xs:string")).replace('style="document"', 'style="rpc"').replaceAll('<soap:body use="literal"/>', '<soap:body use="literal" namespace="urn:test"/>');
    expect(await diagnostics({ "main.wsdl": text })).toEqual([
      'main.wsdl:10:29: warning: operation Op: part parameters names an element, not a type (rpc style wants type=, WS-I Basic Profile R2203); read as that element {urn:test}Op inside the rpc wrapper; write type="..." naming the type of the accessor',
      'main.wsdl:11:30: warning: operation Op: part parameters names an element, not a type (rpc style wants type=, WS-I Basic Profile R2203); read as that element {urn:test}OpResponse inside the rpc wrapper; write type="..." naming the type of the accessor',
      "main.wsdl:19:19: operation Op: the rpc wrapper element {urn:test}Op of its input has the name of a global element the schema declares (main.wsdl:6:7); a message could be read as either; give soap:body another namespace, or bind the operation in document style with that element",
      "main.wsdl:20:20: operation Op: the rpc wrapper element {urn:test}OpResponse of its output has the name of a global element the schema declares (main.wsdl:7:7); a message could be read as either; give soap:body another namespace, or bind the operation in document style with that element",
    ]);
  });

  const bindingCases: [string, (s: string) => string, string][] = [
    [
      "use=encoded",
      (s) => s.replace('<wsdl:input><soap:body use="literal"/>', '<wsdl:input><soap:body use="encoded" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/>'),
      'main.wsdl:19:19: operation Op: SOAP encoding (use="encoded", SOAP 1.1 section 5) is not supported; its XML is not what the schema types describe; only literal bodies (use="literal", WS-I Basic Profile) are generated',
    ],
    [
      "no service",
      (s) => s.replace(/<wsdl:service[^]*<\/wsdl:service>/, ""),
      "main.wsdl:2:1: the WSDL declares no wsdl:service; a service with a SOAP port is needed to generate a client and a server",
    ],
  ];
  it.each(bindingCases)("%s", async (_, edit, want) => {
    expect(await diagnostics({ "main.wsdl": edit(wsdl(opTaking("xs:string"))) })).toEqual([want]);
  });

  it("a declared wsdl:fault whose message is one element part is typed; one of two parts stays untyped, with a warning", async () => {
    const typed = wsdl(opTaking("xs:string")).replace('<wsdl:output message="tns:OpOut"/>', '<wsdl:output message="tns:OpOut"/><wsdl:fault name="Oops" message="tns:OpOut"/>');
    expect(await warnings({ "main.wsdl": typed })).toEqual([]);
    const { files } = await run({ "main.wsdl": typed });
    expect(files["src/meta.ts"]).toContain('faults: [{ name: "Oops", element: OpResponseElement }]');
    const untyped = typed.replace('<wsdl:message name="OpOut"><wsdl:part name="parameters" element="tns:OpResponse"/></wsdl:message>', '<wsdl:message name="OpOut"><wsdl:part name="parameters" element="tns:OpResponse"/></wsdl:message><wsdl:message name="Two"><wsdl:part name="a" element="tns:Op"/><wsdl:part name="b" element="tns:Op"/></wsdl:message>').replace('message="tns:OpOut"/></wsdl:operation>', 'message="tns:Two"/></wsdl:operation>');
    expect(await warnings({ "main.wsdl": untyped })).toEqual([
      expect.stringMatching(/^main\.wsdl:\d+:\d+: warning: operation Op: fault Oops is not typed \(its message Two has 2 parts, not one\); it reaches callers as a SoapFault with its detail as XML$/),
    ]);
  });
});

describe("options", () => {
  const cases: [string, unknown, string][] = [
    ["not JSON", "{", 'invalid option "": the config is not valid JSON'],
    ["no contracts", {}, 'invalid option "contracts": must be a non-empty array of contracts'],
    ["an unknown key", { contracts: [{ wsdl: "a", out: "b", package: "c", extra: 1 }] }, 'invalid option "contracts[0].extra": unknown option; known options here: wsdl, out, package, catalog, faults, service, port, timeZone'],
    ["a bad package name", { contracts: [{ wsdl: "a", out: "b", package: "Bad Name" }] }, 'invalid option "contracts[0].package": "Bad Name" is not a valid npm package name'],
    [
      "an internal-error code that is not a code",
      { contracts: [{ wsdl: "a", out: "b", package: "c", faults: { codes: ["A"], internalError: "B" } }] },
      'invalid option "contracts[0].faults.internalError": "B" is not one of contracts[0].faults.codes',
    ],
    ["a fault code that is not an XML name", { contracts: [{ wsdl: "a", out: "b", package: "c", faults: { codes: ["1x"] } }] }, 'invalid option "contracts[0].faults.codes": "1x" is not an XML name'],
    [
      "an unknown time zone",
      { contracts: [{ wsdl: "a", out: "b", package: "c", timeZone: "Mars/Olympus" }] },
      'invalid option "contracts[0].timeZone": "Mars/Olympus" is not a time zone known to this JavaScript engine (',
    ],
    ["a time zone that is not a string", { contracts: [{ wsdl: "a", out: "b", package: "c", timeZone: 3 }] }, 'invalid option "contracts[0].timeZone": must be a non-empty string'],
    ["an empty time zone", { contracts: [{ wsdl: "a", out: "b", package: "c", timeZone: "" }] }, 'invalid option "contracts[0].timeZone": must be a non-empty string'],
    [
      "a fixed UTC offset for a time zone",
      { contracts: [{ wsdl: "a", out: "b", package: "c", timeZone: "+03:00" }] },
      'invalid option "contracts[0].timeZone": "+03:00" is a fixed UTC offset; give an IANA time zone name',
    ],
    [
      "two contracts into one folder",
      { contracts: [{ wsdl: "a", out: "x/", package: "c" }, { wsdl: "b", out: "./x", package: "d" }] },
      'invalid option "contracts[1].out": contracts[0] already generates into x',
    ],
  ];
  it.each(cases)("%s", (_, config, want) => {
    const text = typeof config === "string" ? config : JSON.stringify(config);
    expect(() => parseConfig(text)).toThrow(OptionError);
    expect(() => parseConfig(text)).toThrow(want);
  });

  it("a time zone is kept as written", () => {
    expect(parseConfig(JSON.stringify({ contracts: [{ wsdl: "a", out: "b", package: "p", timeZone: "Europe/Chisinau" }, { wsdl: "a", out: "c", package: "q", timeZone: "UTC" }] }))).toEqual([
      { wsdl: "a", out: "b", package: "p", timeZone: "Europe/Chisinau" },
      { wsdl: "a", out: "c", package: "q", timeZone: "UTC" },
    ]);
  });

  it("a top-level catalog applies to every contract without its own", () => {
    expect(parseConfig(JSON.stringify({ catalog: "c.json", contracts: [{ wsdl: "a", out: "b", package: "p" }, { wsdl: "a", out: "c", package: "q", catalog: "own.json" }] }))).toEqual([
      { wsdl: "a", out: "b", package: "p", catalog: "c.json" },
      { wsdl: "a", out: "c", package: "q", catalog: "own.json" },
    ]);
  });
});
