/**
 * Tolerance: WSDLs that other SOAP tools accept although they break a rule, each read the way
 * those tools read it only when that reading is unambiguous, and always with a warning that says
 * where (file:line:col) and what was assumed. What stays ambiguous stays an error.
 *
 * Each case: given a contract, want the exact diagnostics, and the consequence in the output.
 */
import { describe, expect, it } from "vitest";
import { declaration, diagnostics, opTaking, run, wsdl } from "./helpers.ts";

const XSD = "http://www.w3.org/2001/XMLSchema";

/** Generates and returns the warnings with the package's types and meta files. */
async function generated(files: Record<string, string>, contract = {}) {
  const { files: out, result } = await run(files, contract);
  return { warnings: result.warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`), types: out["src/types.ts"]!, meta: out["src/meta.ts"]!, documents: out["src/documents.ts"]!, result };
}

describe("undeclared element prefixes (the loader's lenient reading)", () => {
  it("a conventional prefix is bound to its namespace, on the root element, with a warning at its first use", async () => {
    const text = wsdl(opTaking("xs:string")).replace(' xmlns:xs="http://www.w3.org/2001/XMLSchema"', "");
    const { warnings, documents, result } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      `main.wsdl:5:6: the prefix xs is used on an element but never declared in scope; assumed xmlns:xs="${XSD}", its conventional namespace`,
    ]);
    expect(result.operations).toBe(1);
    // What the server serves is the namespace-well-formed reading.
    expect(documents).toContain(`targetNamespace="urn:test" name="Test" xmlns:xs="${XSD}">`);
  });

  it("a prefix the same file binds elsewhere takes that namespace, which wins over the conventional one", async () => {
    const text = wsdl(`      <s:element name="Op" xmlns:s="${XSD}"><s:complexType/></s:element>
      <s:element name="OpResponse"><s:complexType/></s:element>`);
    const { warnings } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      `main.wsdl:7:8: the prefix s is used on an element but never declared in scope; assumed xmlns:s="${XSD}", the namespace this file binds it to elsewhere (line 6)`,
    ]);
  });

  it("an unknown prefix, or one the file binds to two namespaces, stays an error", async () => {
    expect(await diagnostics({ "main.wsdl": wsdl(`${opTaking("xs:string")}\n      <x:note/>`) })).toEqual([
      "main.wsdl:8:8: malformed XML: undeclared namespace prefix 'x' on element <x:note>",
    ]);
    const twice = wsdl(`${opTaking("xs:string")}\n      <xs:annotation><xs:appinfo><x:a xmlns:x="urn:a"/><x:b xmlns:x="urn:b"/><x:c/></xs:appinfo></xs:annotation>`);
    expect(await diagnostics({ "main.wsdl": twice })).toEqual([
      "main.wsdl:8:79: malformed XML: undeclared namespace prefix 'x' on element <x:c>; this file binds it to 2 different namespaces, so which one is meant is ambiguous",
    ]);
  });
});

describe("imports", () => {
  it("an xs:include without schemaLocation includes nothing, with a warning", async () => {
    const { warnings } = await generated({ "main.wsdl": wsdl(`      <xs:include location="types.xsd"/>\n${opTaking("xs:string")}`) });
    expect(warnings).toEqual(["main.wsdl:6:7: xs:include has no schemaLocation, so it includes nothing; it is ignored"]);
  });

  /** A schema of urn:codes with one simple type, `Code`. */
  const codes = `<xs:schema xmlns:xs="${XSD}" targetNamespace="urn:codes"><xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:maxLength value="4"/></xs:restriction></xs:simpleType></xs:schema>`;
  /** The test WSDL whose operation takes a `c:Code`, with `types` as the content of wsdl:types. */
  const taking = (types: string) =>
    wsdl("", {
      xmlns: ' xmlns:c="urn:codes"',
      types: `${types}
    <xs:schema targetNamespace="urn:test" elementFormDefault="qualified">
${opTaking("c:Code")}
    </xs:schema>`,
    });

  it("an xs:import written directly in wsdl:types (not in an xs:schema): followed, with a warning", async () => {
    const { warnings, types, meta, documents } = await generated({ "main.wsdl": taking(`<xs:import namespace="urn:codes" schemaLocation="codes.xsd"/>`), "codes.xsd": codes });
    expect(warnings).toEqual([
      'main.wsdl:5:5: xs:import is written directly in wsdl:types, which holds only xs:schema elements; read as an xs:schema that imports urn:codes from "codes.xsd", so that the WSDL can name its components',
    ]);
    expect(declaration(types, "Code")).toContain("export type Code = string;");
    expect(meta).toMatch(/maxLength: 4/);
    // The served WSDL links the imported schema like any other import.
    expect(documents).toMatch(/key: "wsdl",\s*links: \[\s*\{ start: \d+, end: \d+, target: "xsd=codes\.xsd" \}/);
  });

  it("the same without schemaLocation names only the namespace: nothing is loaded, and its names are what no file defines", async () => {
    const { warnings } = await generated({ "main.wsdl": taking(`<xs:import namespace="urn:codes"/>`) });
    expect(warnings).toEqual([
      "main.wsdl:5:5: xs:import is written directly in wsdl:types, which holds only xs:schema elements; read as an xs:schema that imports urn:codes (no schemaLocation: nothing is loaded), so that the WSDL can name its components",
      "main.wsdl:7:83: no type {urn:codes}Code: no schema or WSDL for namespace urn:codes was loaded; read as xs:anyType: its values are kept as raw XML, untyped",
    ]);
  });

  it("an xs:include directly in wsdl:types stays an error: which target namespace it would take is not written anywhere", async () => {
    expect(await diagnostics({ "main.wsdl": taking(`<xs:include schemaLocation="codes.xsd"/>`), "codes.xsd": codes })).toEqual([
      "main.wsdl:5:5: unexpected xs:include in wsdl:types; wsdl:types holds xs:schema elements",
    ]);
  });

  it("a miscased xs:Import or xs:Include in a schema is followed as what it is read as, with a warning", async () => {
    const imported = taking(`<xs:schema targetNamespace="urn:test"><xs:Import namespace="urn:codes" schemaLocation="codes.xsd"/></xs:schema>`);
    const one = await generated({ "main.wsdl": imported, "codes.xsd": codes });
    expect(one.warnings).toEqual([
      "main.wsdl:5:43: xs:Import is not an element of XML Schema (its names are case-sensitive); read as xs:import, the only XML Schema element of that name but for case",
    ]);
    expect(declaration(one.types, "Code")).toContain("export type Code = string;");
    expect(one.documents).toMatch(/key: "wsdl",\s*links: \[\s*\{ start: \d+, end: \d+, target: "xsd=codes\.xsd" \}/);

    const included = taking(`<xs:schema targetNamespace="urn:codes"><xs:INCLUDE schemaLocation="more.xsd"/></xs:schema>`);
    const more = `<xs:schema xmlns:xs="${XSD}" targetNamespace="urn:codes"><xs:simpleType name="Code"><xs:restriction base="xs:int"/></xs:simpleType></xs:schema>`;
    const two = await generated({ "main.wsdl": included, "more.xsd": more });
    expect(two.warnings).toEqual([
      "main.wsdl:5:44: xs:INCLUDE is not an element of XML Schema (its names are case-sensitive); read as xs:include, the only XML Schema element of that name but for case",
    ]);
    expect(declaration(two.types, "Code")).toContain("export type Code = number;");
  });

  it("a miscased import of a file that does not exist is an error at its location, as a well-cased one is", async () => {
    const text = taking(`<xs:schema targetNamespace="urn:test"><xs:IMPORT namespace="urn:codes" schemaLocation="missing.xsd"/></xs:schema>`);
    expect(await diagnostics({ "main.wsdl": text })).toContainEqual('main.wsdl:5:76: cannot import "missing.xsd": missing.xsd does not exist; locations are relative to the importing file, main.wsdl');
  });
});

describe("draft XML Schema namespaces", () => {
  it.each(["http://www.w3.org/2000/10/XMLSchema", "http://www.w3.org/1999/XMLSchema"])("%s is read as the Recommendation's namespace, without moving any column", async (draft) => {
    const text = wsdl(opTaking("xs:strng")).replace(`xmlns:xs="${XSD}"`, `xmlns:xs="${draft}"`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      `main.wsdl:3:5: ${draft} is a draft of XML Schema from before the 1.0 Recommendation; read as ${XSD}`,
      // The column of a diagnostic later on the declaration's line is the column in the file.
      "main.wsdl:6:83: no built-in type xs:strng in the XML Schema namespace; read as xs:anyType: its values are kept as raw XML, untyped",
    ]);
    expect(declaration(types, "Op")).toContain("value: XmlElement;");
  });
});

describe("QNames whose namespace the rules do not give", () => {
  it("an undeclared prefix with a conventional namespace", async () => {
    const { warnings } = await generated({ "main.wsdl": wsdl(opTaking("xsd:string")) });
    expect(warnings).toEqual([`main.wsdl:6:83: the prefix "xsd" of "xsd:string" is not declared; read as {${XSD}}string, the conventional namespace of the prefix xsd`]);
  });

  it("an undeclared prefix another document of the contract binds", async () => {
    const text = wsdl(`      <xs:import namespace="urn:other" schemaLocation="other.xsd"/>\n${opTaking("o:Code")}`);
    const other = `<xs:schema xmlns:xs="${XSD}" xmlns:o="urn:other" targetNamespace="urn:other"><xs:simpleType name="Code"><xs:restriction base="xs:string"/></xs:simpleType></xs:schema>`;
    const { warnings, types } = await generated({ "main.wsdl": text, "other.xsd": other });
    expect(warnings).toEqual(['main.wsdl:7:83: the prefix "o" of "o:Code" is not declared; read as {urn:other}Code, the namespace other elements of the contract bind the prefix o to']);
    expect(declaration(types, "Op")).toContain("value: Code;");
  });

  it("an undeclared prefix: the only component of that name in the contract", async () => {
    const text = wsdl(`${opTaking("nope:T")}\n      <xs:simpleType name="T"><xs:restriction base="xs:int"/></xs:simpleType>`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual(['main.wsdl:6:83: the prefix "nope" of "nope:T" is not declared; read as {urn:test}T, the only type named T in the contract']);
    expect(declaration(types, "Op")).toContain("value: T;");
  });

  it("an unprefixed name without a default namespace: the target namespace, then a built-in", async () => {
    const text = wsdl(`${opTaking("T")}
      <xs:simpleType name="T"><xs:restriction base="string"/></xs:simpleType>`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      'main.wsdl:6:83: "T" is unprefixed and no default namespace is declared, so it names a type in no namespace, and there is none; read as {urn:test}T, in the target namespace of the document it is written in',
      `main.wsdl:8:47: "string" is unprefixed and no default namespace is declared, so it names a type in no namespace, and there is none; read as {${XSD}}string, the XML Schema built-in`,
    ]);
    expect(declaration(types, "T")).toContain("export type T = string;");
  });

  it("an unprefixed name in the default namespace when that is XML Schema's (or WSDL's): the target namespace", async () => {
    const text = wsdl(`${opTaking("tns:Wrapper")}
      <xs:complexType name="Wrapper" xmlns="${XSD}"><xs:sequence><xs:element name="item" type="Item"/></xs:sequence></xs:complexType>
      <xs:simpleType name="Item"><xs:restriction base="xs:int"/></xs:simpleType>`).replace('message="tns:OpIn"', 'message="OpIn" xmlns="http://schemas.xmlsoap.org/wsdl/"');
    const { warnings } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      `main.wsdl:8:116: "Item" names a type in ${XSD}, and there is none; read as {urn:test}Item, in the target namespace of the document it is written in (the unprefixed name takes the default namespace, ${XSD}, which holds no type of a contract)`,
      'main.wsdl:15:43: "OpIn" names a message in http://schemas.xmlsoap.org/wsdl/, and there is none; read as {urn:test}OpIn, in the target namespace of the document it is written in (the unprefixed name takes the default namespace, http://schemas.xmlsoap.org/wsdl/, which holds no message of a contract)',
    ]);
  });

  it("a declared prefix is what the author said: a component of that name in another namespace is only a hint", async () => {
    const text = wsdl(opTaking("xs:string")).replace('binding="tns:Binding"', 'binding="tns:Binding" xmlns:tns="urn:elsewhere"');
    expect(await diagnostics({ "main.wsdl": text })).toEqual([
      "main.wsdl:24:28: no binding {urn:elsewhere}Binding; namespace urn:elsewhere declares no binding named Binding; {urn:test}Binding exists; write a prefix bound to that namespace",
    ]);
  });

  it("so does one in an imported WSDL whose prefix is bound to a near miss of its target namespace, even in a binding no port uses", async () => {
    // strong-soap's getAvailability__should_not_fail_without_children: `foo` is declared, as
    // http://fo.bar/doIt/, and the portType is in http://foo.bar/doIt. Whether the author meant the
    // namespace or the name is not written anywhere; the undeclared `auth` beside it is read leniently.
    const imported = `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:foo="http://fo.bar/doIt/" targetNamespace="http://foo.bar/doIt">
  <wsdl:portType name="doIt"/>
  <wsdl:binding name="doItSOAP" type="foo:doIt"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding>
  <wsdl:service name="doIt"><wsdl:port binding="auth:doItSOAP" name="doItSOAP"><soap:address location="http://localhost/doIt"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;
    const main = wsdl(opTaking("xs:string")).replace("  <wsdl:types>", '  <wsdl:import namespace="http://foo.bar/doIt" location="imported.wsdl"/>\n  <wsdl:types>');
    expect(await diagnostics({ "main.wsdl": main, "imported.wsdl": imported })).toEqual([
      "imported.wsdl:4:33: no portType {http://fo.bar/doIt/}doIt; namespace http://fo.bar/doIt/ declares no portType named doIt; {http://foo.bar/doIt}doIt exists; write a prefix bound to that namespace",
      'imported.wsdl:5:40: warning: the prefix "auth" of "auth:doItSOAP" is not declared; read as {http://foo.bar/doIt}doItSOAP, the only binding named doItSOAP in the contract; declare the prefix (xmlns:auth="http://foo.bar/doIt")',
    ]);
  });
});

describe("what no file defines stands for an untyped value (a degradation, with a warning)", () => {
  it("a type: xs:anyType, kept as raw XML", async () => {
    const { warnings, types } = await generated(at(opTaking("tns:Missing")));
    expect(warnings).toEqual(["main.wsdl:6:83: no type {urn:test}Missing; namespace urn:test declares no types; read as xs:anyType: its values are kept as raw XML, untyped"]);
    expect(declaration(types, "Op")).toContain("value: XmlElement;");
  });

  it("an attribute's type: xs:anySimpleType, kept as text", async () => {
    const { warnings, types } = await generated(
      at(`      <xs:element name="Op"><xs:complexType><xs:attribute name="code" type="other:Code" xmlns:other="urn:other"/></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    );
    expect(warnings).toEqual([
      "main.wsdl:6:71: no type {urn:other}Code: no schema or WSDL for namespace urn:other was loaded; read as xs:anySimpleType: its values are kept as text, unchecked",
    ]);
    expect(declaration(types, "Op")).toContain("code?: string;");
  });

  it("an element of a message part: an element of that name of type xs:anyType, shared by every use", async () => {
    const text = wsdl(opTaking("xs:string")).replace('element="tns:OpResponse"', 'element="tns:OpReply"');
    const { warnings, meta } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      "main.wsdl:11:59: no element {urn:test}OpReply; elements in that namespace: Op, OpResponse; read as an element {urn:test}OpReply of type xs:anyType: its value is kept as raw XML, untyped",
    ]);
    expect(meta).toMatch(/OpReply/);
  });

  it("an element reference in a content model", async () => {
    const { warnings, types } = await generated(
      at(`      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element ref="tns:Gone"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`),
    );
    expect(warnings).toEqual(["main.wsdl:6:70: no element {urn:test}Gone; elements in that namespace: Op, OpResponse; read as an element {urn:test}Gone of type xs:anyType: its value is kept as raw XML, untyped"]);
    expect(declaration(types, "Op")).toContain("Gone: XmlElement;");
  });

  it("a fault's message: the fault stays untyped", async () => {
    const text = wsdl(opTaking("xs:string")).replace('<wsdl:output message="tns:OpOut"/>', '<wsdl:output message="tns:OpOut"/><wsdl:fault name="Oops" message="tns:OopsMessage"/>');
    const { warnings } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      "main.wsdl:13:121: no message {urn:test}OopsMessage; messages in that namespace: OpIn, OpOut; the fault stays untyped: it reaches callers as a SoapFault with its detail as raw XML",
    ]);
  });

  it("stays an error where nothing can stand in: an element whose prefix is undeclared, an input message", async () => {
    const element = wsdl(opTaking("xs:string")).replace('element="tns:OpResponse"', 'element="n:OpAnswer"');
    expect(await diagnostics({ "main.wsdl": element })).toEqual([
      'main.wsdl:11:59: the prefix "n" of "n:OpAnswer" is not declared, and no element named OpAnswer exists in the contract; declare the prefix with xmlns:n="<namespace>"',
    ]);
    const message = wsdl(opTaking("xs:string")).replace('message="tns:OpIn"', 'message="tns:OpRequest"');
    expect(await diagnostics({ "main.wsdl": message })).toEqual(["main.wsdl:13:43: no message {urn:test}OpRequest; messages in that namespace: OpIn, OpOut"]);
  });
});

describe("duplicate definitions", () => {
  const type = (body: string) => `<xs:schema xmlns:xs="${XSD}" targetNamespace="urn:test">${body}</xs:schema>`;
  const importing = (...files: string[]) => wsdl(`${files.map((f) => `      <xs:import namespace="urn:test" schemaLocation="${f}"/>\n`).join("")}${opTaking("tns:Code")}`);

  it("equal ones (the same schema reached twice, or copied) are one, silently", async () => {
    const code = `\n  <xs:simpleType name="Code">\n    <xs:restriction base="xs:string"/>\n  </xs:simpleType>`;
    const { warnings } = await generated({ "main.wsdl": importing("a.xsd", "b.xsd"), "a.xsd": type(code), "b.xsd": type(code.replace(/\n\s*/g, "")) });
    expect(warnings).toEqual([]);
  });

  it("different ones in different files: the first in load order is used, with a warning at the other", async () => {
    const { warnings, types } = await generated({
      "main.wsdl": importing("a.xsd", "b.xsd"),
      "a.xsd": type(`<xs:simpleType name="Code"><xs:restriction base="xs:int"/></xs:simpleType>`),
      "b.xsd": type(`<xs:simpleType name="Code"><xs:restriction base="xs:string"/></xs:simpleType>`),
    });
    expect(warnings).toEqual([
      "b.xsd:1:83: duplicate type {urn:test}Code, different from the one at a.xsd:1:83; that first one is used and this one is ignored",
    ]);
    expect(declaration(types, "Code")).toContain("export type Code = number;");
  });

  it("different ones in one document: an error (nothing says which one is meant)", async () => {
    expect(
      await diagnostics(
        at(`${opTaking("tns:T")}
      <xs:complexType name="T"/>
      <xs:simpleType name="T"><xs:restriction base="xs:string"/></xs:simpleType>`),
      ),
    ).toEqual(["main.wsdl:9:7: duplicate type {urn:test}T; it is also declared, differently, at main.wsdl:8:7; rename or remove one of them"]);
  });

  /** The test WSDL with its binding operation `Op` written a second time as `copy`. */
  const opTwice = (copy: string) => {
    const text = wsdl(opTaking("xs:string"));
    const op = /\n {4}<wsdl:operation name="Op">[\s\S]*?<\/wsdl:operation>/.exec(text.slice(text.indexOf("<wsdl:binding")))![0];
    return text.replace(op, `${op}\n${copy}`);
  };
  const copy = `    <wsdl:operation name="Op">
      <wsdl:documentation>The same, copied.</wsdl:documentation>
      <soap:operation soapAction="urn:test/Op" style="document"/>
      <wsdl:input>
        <soap:body use="literal"/>
      </wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>`;

  it("an operation written twice in one binding, equal but for documentation and whitespace: read once, with a warning", async () => {
    const { warnings, result } = await generated({ "main.wsdl": opTwice(copy) });
    expect(warnings).toEqual(["main.wsdl:22:5: binding Binding defines operation Op twice, equal to the one at main.wsdl:17:5; read once"]);
    expect(result.operations).toBe(1);
  });

  it("two different operations of one name in one binding stay an error (an overload)", async () => {
    expect(await diagnostics({ "main.wsdl": opTwice(copy.replace('soapAction="urn:test/Op"', 'soapAction="urn:test/Other"')) })).toEqual([
      "main.wsdl:22:5: binding Binding has two operations named Op; overloaded operations are not supported",
    ]);
  });
});

describe("WSDL operations and bindings", () => {
  const base = () => wsdl(opTaking("xs:string"));

  it("a notification operation (output only) is skipped with a warning", async () => {
    const text = base()
      .replace("</wsdl:portType>", '  <wsdl:operation name="Tick"><wsdl:output message="tns:OpOut"/></wsdl:operation>\n  </wsdl:portType>');
    const { warnings, result } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual(["main.wsdl:14:5: operation Tick is a notification operation (the service sends first); it is skipped"]);
    expect(result.operations).toBe(1);
  });

  it("an operation with neither input nor output (only faults) is skipped with a warning", async () => {
    const text = base()
      .replace("</wsdl:portType>", '  <wsdl:operation name="Oops"><wsdl:fault name="f" message="tns:OpOut"/></wsdl:operation>\n  </wsdl:portType>');
    const { warnings, result } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual(["main.wsdl:14:5: operation Oops has neither a wsdl:input nor a wsdl:output, so no message can invoke it; it is skipped"]);
    expect(result.operations).toBe(1);
  });

  it.each([
    ["rpc/encoded", (s: string) => s.replace('style="document"', 'style="rpc"')],
    ["document/encoded", (s: string) => s],
  ])("%s is refused for its encoding", async (_, edit) => {
    const text = edit(base()).replace('<wsdl:output><soap:body use="literal"/>', '<wsdl:output><soap:body use="encoded" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/>');
    expect(await diagnostics({ "main.wsdl": text })).toEqual([
      'main.wsdl:20:20: operation Op: SOAP encoding (use="encoded", SOAP 1.1 section 5) is not supported; its XML is not what the schema types describe; only literal bodies (use="literal", WS-I Basic Profile) are generated',
    ]);
  });

  it("a binding operation without a wsdl:output takes the SOAP binding's defaults, with a warning", async () => {
    const text = base().replace('<wsdl:output><soap:body use="literal"/></wsdl:output>', "");
    const { warnings, result } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual(['main.wsdl:17:5: operation Op: the binding\'s wsdl:output is missing; read as <soap:body use="literal"/>, every part of the message in the Body']);
    expect(result.operations).toBe(1);
  });

  it("a binding without type, a port without binding: the only portType or binding of the contract, with a warning", async () => {
    const text = base().replace('<wsdl:binding name="Binding" type="tns:IPort">', '<wsdl:binding name="Binding">').replace(' binding="tns:Binding"', "");
    const { warnings, result } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      'main.wsdl:15:3: binding Binding has no type attribute; read as {urn:test}IPort, the only portType in the contract',
      "main.wsdl:24:5: port Port has no binding attribute; read as {urn:test}Binding, the only binding in the contract",
    ]);
    expect(result.operations).toBe(1);
    const two = text.replace("</wsdl:portType>", '</wsdl:portType>\n  <wsdl:portType name="Other"/>');
    expect(await diagnostics({ "main.wsdl": two })).toEqual([
      "main.wsdl:16:3: binding Binding has no type attribute (its portType); the contract has 2 portTypes, so which portType is meant is ambiguous",
      'main.wsdl:25:5: warning: port Port has no binding attribute; read as {urn:test}Binding, the only binding in the contract; write binding="<prefix>:Binding"',
    ]);
  });

  it("wsdl:documentation in wsdl:types is documentation", async () => {
    const text = base().replace("<wsdl:types>", "<wsdl:types><wsdl:documentation>The types.</wsdl:documentation>");
    expect((await generated({ "main.wsdl": text })).warnings).toEqual([]);
  });
});

function at(schema: string) {
  return { "main.wsdl": wsdl(schema) };
}

describe("schema attributes and text XML Schema does not allow there, which the generator ignores", () => {
  const responses = `\n      <xs:element name="OpResponse"><xs:complexType/></xs:element>`;

  it("name on an anonymous complexType or simpleType: the type stays anonymous, with a warning at the attribute", async () => {
    const text = wsdl(`      <xs:element name="Op"><xs:complexType name="OpType"><xs:sequence>
        <xs:element name="code"><xs:simpleType name="Code"><xs:restriction base="xs:int"/></xs:simpleType></xs:element>
      </xs:sequence></xs:complexType></xs:element>${responses}`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      'main.wsdl:6:45: an anonymous xs:complexType has no attribute name; name="OpType" is ignored: the type stays anonymous',
      'main.wsdl:7:48: an anonymous xs:simpleType has no attribute name; name="Code" is ignored: the type stays anonymous',
    ]);
    expect(types).not.toMatch(/OpType|\bCode\b/);
  });

  it("minOccurs and maxOccurs on a global element: it occurs where it is referenced", async () => {
    const text = wsdl(`      <xs:element name="Op" minOccurs="0" maxOccurs="unbounded"><xs:complexType/></xs:element>${responses}`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      'main.wsdl:6:29: a global xs:element has no attribute minOccurs; minOccurs="0" is ignored: a global element occurs once where it is referenced',
      'main.wsdl:6:43: a global xs:element has no attribute maxOccurs; maxOccurs="unbounded" is ignored: a global element occurs once where it is referenced',
    ]);
    expect(types).not.toMatch(/Op\[\]/);
  });

  it("nillable and type on a complexType (they belong on xs:element)", async () => {
    const text = wsdl(`      <xs:complexType name="OpType" nillable="true" type="tns:Other"><xs:sequence><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType>
      <xs:element name="Op" type="tns:OpType"/>${responses}`);
    const { warnings, result } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      'main.wsdl:6:37: xs:complexType has no attribute nillable; nillable="true" is ignored',
      'main.wsdl:6:53: xs:complexType has no attribute type; type="tns:Other" is ignored',
    ]);
    expect(result.operations).toBe(1);
  });

  it("schemalocation (lower case) on xs:import: the namespace is imported without a location", async () => {
    const text = wsdl(`      <xs:import namespace="urn:other" schemalocation="other.xsd"/>\n${opTaking("xs:string")}`);
    const other = `<xs:schema xmlns:xs="${XSD}" targetNamespace="urn:other"><xs:element name="X" type="xs:int"/></xs:schema>`;
    const { warnings } = await generated({ "main.wsdl": text, "other.xsd": other });
    expect(warnings).toEqual([
      'main.wsdl:6:40: xs:import has no attribute schemalocation (XML Schema names are case-sensitive: schemaLocation); schemalocation="other.xsd" is ignored: the namespace is imported without a location',
    ]);
  });

  it("text where only elements are allowed, with a warning at its first character", async () => {
    const text = wsdl(`${opTaking("xs:string")}e\n      <xs:element name="Other"><xs:simpleType> x <xs:restriction base="xs:int"/></xs:simpleType></xs:element>`);
    const { warnings, result } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      'main.wsdl:7:67: text "e" where XML Schema allows only elements; it is ignored',
      'main.wsdl:8:48: text "x" where XML Schema allows only elements; it is ignored',
    ]);
    expect(result.operations).toBe(1);
  });
});

describe("schema elements written where XML Schema does not allow them, read as what they can only mean", () => {
  const responses = `\n      <xs:element name="OpResponse"><xs:complexType/></xs:element>`;

  it("a model group directly in xs:element: the element's anonymous complex type holding it", async () => {
    const text = wsdl(`      <xs:element name="Op"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:element>${responses}`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      "main.wsdl:6:29: xs:sequence directly in xs:element (XML Schema allows a model group only inside an xs:complexType); read as the anonymous xs:complexType of element Op, holding that xs:sequence",
    ]);
    expect(declaration(types, "Op")).toContain("id: number;");
  });

  it("stays an error beside a type (which of the two is meant is ambiguous)", async () => {
    const text = wsdl(`      <xs:element name="Op" type="xs:string"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:element>${responses}`);
    expect(await diagnostics({ "main.wsdl": text })).toEqual(["main.wsdl:6:46: unexpected element xs:sequence in xs:element"]);
  });

  it("xs:element directly in xs:complexType: a sequence of those elements in document order, attributes anywhere", async () => {
    const text = wsdl(`      <xs:element name="Op"><xs:complexType>
        <xs:element name="amount" type="xs:decimal"/>
        <xs:attribute name="currency" type="xs:string" use="required"/>
        <xs:element name="note" type="xs:string" minOccurs="0"/>
      </xs:complexType></xs:element>${responses}`);
    const { warnings, types, meta } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      "main.wsdl:7:9: xs:element directly in xs:complexType (XML Schema allows elements only inside a model group); read as an xs:sequence of the 2 xs:elements written there, in document order",
    ]);
    const op = declaration(types, "Op");
    expect(op).toMatch(/amount: Decimal;[\s\S]*note\?: string;[\s\S]*currency: string;/);
    expect(declaration(meta, "OpMeta")).toMatch(/"amount"[\s\S]*"note"/);
  });

  it("a model group after the attributes: read as written before them", async () => {
    const text = wsdl(`      <xs:element name="Op"><xs:complexType><xs:attribute name="firm" type="xs:boolean"/><xs:all><xs:element name="symbol" type="xs:string"/></xs:all></xs:complexType></xs:element>${responses}`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      "main.wsdl:6:90: xs:all after attribute declarations in xs:complexType (XML Schema wants the content model first); read as written before them (attributes have no order)",
    ]);
    expect(declaration(types, "Op")).toMatch(/symbol: string;[\s\S]*firm\?: boolean;/);
  });

  it("xs:element beside a model group in xs:complexType stays an error", async () => {
    const text = wsdl(`      <xs:element name="Op"><xs:complexType><xs:element name="a" type="xs:int"/><xs:sequence><xs:element name="b" type="xs:int"/></xs:sequence></xs:complexType></xs:element>${responses}`);
    expect(await diagnostics({ "main.wsdl": text })).toEqual([
      "main.wsdl:6:45: unexpected element xs:element in xs:complexType; beside a model group or simple or complex content, which one it belongs to is ambiguous: put it inside the model group",
    ]);
  });

  it("an XML Schema element name in the wrong case (xs:simpletype): read as the one XSD element of that name but for case", async () => {
    const text = wsdl(`${opTaking("tns:Code")}
      <xs:simpletype name="Code"><xs:restriction base="xs:string"><xs:maxlength value="4"/></xs:restriction></xs:simpletype>`);
    const { warnings, types, meta } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      "main.wsdl:8:7: xs:simpletype is not an element of XML Schema (its names are case-sensitive); read as xs:simpleType, the only XML Schema element of that name but for case",
      "main.wsdl:8:67: xs:maxlength is not an element of XML Schema (its names are case-sensitive); read as xs:maxLength, the only XML Schema element of that name but for case",
    ]);
    expect(declaration(types, "Code")).toContain("export type Code = string;");
    expect(meta).toMatch(/maxLength: 4/);
  });

  it("xs:extension with attributes in xs:simpleType: a complex type with simple content", async () => {
    const text = wsdl(`${opTaking("tns:Tag")}
      <xs:simpleType name="Tag"><xs:extension base="xs:int"><xs:attribute name="source" type="xs:string"/></xs:extension></xs:simpleType>`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      "main.wsdl:8:33: xs:extension in xs:simpleType (XML Schema allows it only in a complex type's content) declares attributes; read as an xs:complexType with xs:simpleContent: text of xs:int with those attributes",
    ]);
    expect(declaration(types, "Tag")).toMatch(/\$value: number;[\s\S]*source\?: string;/);
  });

  it("xs:extension without attributes in xs:simpleType: its base (a restriction without facets)", async () => {
    const text = wsdl(`${opTaking("tns:Id")}
      <xs:simpleType name="Id"><xs:extension base="xs:int"/></xs:simpleType>`);
    const { warnings, types } = await generated({ "main.wsdl": text });
    expect(warnings).toEqual([
      `main.wsdl:8:32: xs:extension in xs:simpleType (XML Schema allows it only in a complex type's content) adds no attribute, so it is its base; read as xs:restriction base="xs:int" without facets`,
    ]);
    expect(declaration(types, "Id")).toContain("export type Id = number;");
  });

  it("xs:extension with attributes where only a simple type fits (an attribute's type) stays an error", async () => {
    const text = wsdl(`${opTaking("xs:string", "")}
      <xs:attribute name="code"><xs:simpleType><xs:extension base="xs:int"><xs:attribute name="x"/></xs:extension></xs:simpleType></xs:attribute>`);
    expect(await diagnostics({ "main.wsdl": text })).toEqual([
      "main.wsdl:8:33: xs:simpleType needs an xs:restriction, xs:list or xs:union",
      "main.wsdl:8:48: unexpected element xs:extension in xs:simpleType",
    ]);
  });
});
