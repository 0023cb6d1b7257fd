/**
 * `mpay-codegen validate`: libxml2 checks saved messages against a contract's schemas.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { memoryHost } from "../../generator/src/load/host.ts";
import { validateMessages } from "../../generator/src/validate.ts";

const root = resolve(import.meta.dirname, "../..");
const wsdl = resolve(root, "wsdl/mpay/ServiceProvider.wsdl");
const examples = resolve(root, "../shared/mpay/examples");
const reference = resolve(root, "../shared/mpay/reference-wsdl/deeplace-2014");

const envelope = (payload: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">\n<s:Body>\n${payload}\n</s:Body></s:Envelope>`;

describe("validate against the MPay contract", () => {
  it("accepts a good payload and names the line and member of a bad one", () => {
    const [good, bad, bare] = validateMessages({ wsdl, baseDir: root }, [
      { file: "good.xml", text: envelope(`<GetOrderDetails xmlns="https://mpay.gov.md"><query><OrderKey>K</OrderKey><ServiceID>S</ServiceID></query></GetOrderDetails>`) },
      { file: "bad.xml", text: envelope(`<GetOrderDetails xmlns="https://mpay.gov.md">\n<query>\n<ServiceID>S</ServiceID>\n<OrderKey>K</OrderKey></query></GetOrderDetails>`) },
      { file: "bare.xml", text: `<ConfirmOrderPaymentResponse xmlns="https://mpay.gov.md"/>` },
    ]);
    expect(good!.errors).toEqual([]);
    expect(bad!.errors).toHaveLength(1);
    expect(bad!.errors[0]).toMatch(/^5: Element '\{https:\/\/mpay.gov.md\}ServiceID': This element is not expected. Expected is one of \( \{https:\/\/mpay.gov.md\}Language, \{https:\/\/mpay.gov.md\}OrderKey \)/);
    expect(bare!.errors).toEqual([]);
  });

  it("reports malformed XML with its line", () => {
    const [v] = validateMessages({ wsdl, baseDir: root }, [{ file: "x.xml", text: "<a>\n<b></a>" }]);
    expect(v!.errors[0]).toMatch(/^2: not well-formed XML/);
  });

  it.skipIf(!existsSync(examples))("agrees with the guide's messages: three valid, and the one whose properties were elided with '...' refused", () => {
    const files = ["GetOrderDetails.request.xml", "GetOrderDetails.response.xml", "ConfirmOrderPayment.request.xml", "ConfirmOrderPayment.response.xml"];
    const verdicts = validateMessages({ wsdl, baseDir: root }, files.map((f) => ({ file: f, text: readFileSync(resolve(examples, f), "utf8") })));
    expect(verdicts.map((v) => [v.file, v.errors.length])).toEqual([
      ["GetOrderDetails.request.xml", 0],
      ["GetOrderDetails.response.xml", 0],
      ["ConfirmOrderPayment.request.xml", 1],
      ["ConfirmOrderPayment.response.xml", 0],
    ]);
    expect(verdicts[2]!.errors[0]).toMatch(/^54: .*Properties.*Character content other than whitespace/);
  });

  it.skipIf(!existsSync(reference))("works through a catalog for the 2014 WCF WSDL with absolute-URL imports", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(resolve(tmpdir(), "catalog-"));
    const catalog = resolve(dir, "catalog.json");
    writeFileSync(catalog, JSON.stringify({ rewrite: [{ prefix: "http://webinfo.cis.gov.md/sites/all/modules/deeplace/mpay_integration/soap/", to: `${reference}/` }] }));
    const [v] = validateMessages({ wsdl: resolve(reference, "mpay-server.wsdl"), catalog, baseDir: root }, [
      { file: "q.xml", text: envelope(`<GetOrderDetails xmlns="https://mpay.gov.md"><query><OrderKey>K</OrderKey><ServiceID>S</ServiceID></query></GetOrderDetails>`) },
    ]);
    expect(v!.errors).toEqual([]);
  });
});

describe("mpay-codegen validate (command line)", () => {
  it("prints a verdict per message and exits 1 when one is invalid", async () => {
    const { runCli } = await import("../../generator/src/cli.ts");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(resolve(tmpdir(), "validate-cli-"));
    writeFileSync(resolve(dir, "good.xml"), envelope(`<ConfirmOrderPaymentResponse xmlns="https://mpay.gov.md"/>`));
    writeFileSync(resolve(dir, "bad.xml"), envelope(`<ConfirmOrderPaymentResponse xmlns="https://mpay.gov.md"><Extra/></ConfirmOrderPaymentResponse>`));
    const out: string[] = [];
    const err: string[] = [];
    const io = { cwd: dir, stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
    expect(await runCli(["validate", "--wsdl", wsdl, "good.xml"], io)).toBe(0);
    expect(out).toEqual(["good.xml: valid"]);
    expect(await runCli(["validate", "--wsdl", wsdl, "good.xml", "bad.xml"], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^bad\.xml:3: Element '\{https:\/\/mpay\.gov\.md\}ConfirmOrderPaymentResponse': Element content is not allowed/)]);
    err.length = 0;
    expect(await runCli(["validate", "good.xml"], io)).toBe(2);
    expect(err[0]).toBe("mpay-codegen: validate needs --wsdl <file>");
    err.length = 0;
    expect(await runCli(["validate", "--wsdl", wsdl, "missing.xml"], io)).toBe(2);
    expect(err[0]).toBe("mpay-codegen: cannot read missing.xml: no such file");
  });
});

describe("validate: how the contract's schemas reach libxml2", () => {
  const XS = "http://www.w3.org/2001/XMLSchema";
  const contract = (types: string, tns = "urn:test") => `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${tns}"><wsdl:types>${types}</wsdl:types></wsdl:definitions>`;
  const check = (files: Record<string, string>, ...payloads: string[]) =>
    validateMessages({ wsdl: "/c/main.wsdl", baseDir: "/c", host: memoryHost(files) }, payloads.map((text, i) => ({ file: `${i}.xml`, text }))).map((v) => v.errors);

  it("a schema without a target namespace (libxml2 takes it through xs:include, not xs:import)", () => {
    const files = { "/c/main.wsdl": contract(`<xs:schema xmlns:xs="${XS}"><xs:element name="Ping" type="xs:int"/></xs:schema>`) };
    const [good, bad] = check(files, "<Ping>1</Ping>", "<Ping>one</Ping>");
    expect(good).toEqual([]);
    expect(bad![0]).toMatch(/^1: Element 'Ping': 'one' is not a valid value of the atomic type 'xs:int'/);
  });

  it("xml:lang and its siblings where the XML namespace is imported without a location: declared with the types the generator reads", () => {
    const files = {
      "/c/main.wsdl": contract(
        `<xs:schema xmlns:xs="${XS}" targetNamespace="urn:test"><xs:import namespace="http://www.w3.org/XML/1998/namespace"/><xs:element name="Note"><xs:complexType><xs:simpleContent><xs:extension base="xs:string"><xs:attribute ref="xml:lang"/><xs:attribute ref="xml:id"/></xs:extension></xs:simpleContent></xs:complexType></xs:element></xs:schema>`,
      ),
    };
    const [good, badLang, badId] = check(files, `<Note xmlns="urn:test" xml:lang="ro-MD" xml:id="n1">Notă</Note>`, `<Note xmlns="urn:test" xml:lang="not a language">x</Note>`, `<Note xmlns="urn:test" xml:id="1n">x</Note>`);
    expect(good).toEqual([]);
    expect(badLang).toEqual([expect.stringMatching(/^1: Element '\{urn:test\}Note', attribute '\{http:\/\/www.w3.org\/XML\/1998\/namespace\}lang': 'not a language' is not a valid value/)]);
    expect(badId).toEqual([expect.stringMatching(/^1: Element '\{urn:test\}Note', attribute '\{http:\/\/www.w3.org\/XML\/1998\/namespace\}id': '1n' is not a valid value/)]);
  });

  it("many messages are validated together, and alone when one of them is invalid: each gets its own verdict and lines", () => {
    const files = { "/c/main.wsdl": contract(`<xs:schema xmlns:xs="${XS}" targetNamespace="urn:test"><xs:element name="N" type="xs:int"/><xs:element name="S" type="xs:string"/></xs:schema>`) };
    expect(check(files, `<N xmlns="urn:test">1</N>`, `<S xmlns="urn:test">x</S>`, `<N xmlns="urn:test">2</N>`)).toEqual([[], [], []]);
    const verdicts = check(files, `<N xmlns="urn:test">1</N>`, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">\n<s:Body>\n<N xmlns="urn:test">two</N></s:Body></s:Envelope>`, `<Other/>`, `<S xmlns="urn:test">x</S>`);
    expect(verdicts[0]).toEqual([]);
    expect(verdicts[1]).toEqual([expect.stringMatching(/^3: Element '\{urn:test\}N': 'two' is not a valid value of the atomic type 'xs:int'/)]);
    expect(verdicts[2]).toEqual([expect.stringMatching(/^1: Element 'Other': No matching global declaration available for the validation root/)]);
    expect(verdicts[3]).toEqual([]);
  });

  it("an ID in one message does not clash with the same ID in another; an IDREF is judged as alone (libxml2 does not resolve IDREFs)", () => {
    const files = {
      "/c/main.wsdl": contract(
        `<xs:schema xmlns:xs="${XS}" targetNamespace="urn:test"><xs:element name="Item"><xs:complexType><xs:attribute name="id" type="xs:ID"/><xs:attribute name="ref" type="xs:IDREF"/></xs:complexType></xs:element></xs:schema>`,
      ),
    };
    const [first, second, dangling] = check(files, `<Item xmlns="urn:test" id="a"/>`, `<Item xmlns="urn:test" id="a"/>`, `<Item xmlns="urn:test" ref="a"/>`);
    expect(first).toEqual([]);
    expect(second).toEqual([]);
    expect(dangling).toEqual(check(files, `<Item xmlns="urn:test" ref="a"/>`)[0]);
  });

  it("every inline schema of one namespace, not only the first", () => {
    const schema = (body: string) => `<xs:schema xmlns:xs="${XS}" targetNamespace="urn:test">${body}</xs:schema>`;
    const files = { "/c/main.wsdl": contract(schema(`<xs:element name="A" type="xs:int"/>`) + schema(`<xs:element name="B" type="xs:int"/>`)) };
    expect(check(files, `<A xmlns="urn:test">1</A>`, `<B xmlns="urn:test">2</B>`)).toEqual([[], []]);
  });

  it("schemas as the generator read them: lenient QNames rewritten, a stand-in for what no file defines", () => {
    // `Code` is unprefixed without a default namespace (read in urn:test); `o:Gone` is defined nowhere (xs:anyType).
    const types = `<xs:schema xmlns:xs="${XS}" xmlns:o="urn:other" targetNamespace="urn:test" elementFormDefault="qualified">
      <xs:simpleType name="Code"><xs:restriction base="xs:int"/></xs:simpleType>
      <xs:element name="Ping"><xs:complexType><xs:sequence><xs:element name="code" type="Code"/><xs:element name="any" type="o:Gone"/></xs:sequence></xs:complexType></xs:element>
    </xs:schema>`;
    const [good, bad] = check(
      { "/c/main.wsdl": contract(types) },
      `<Ping xmlns="urn:test"><code>1</code><any><whatever x="1"/>text</any></Ping>`,
      `<Ping xmlns="urn:test"><code>x</code><any/></Ping>`,
    );
    expect(good).toEqual([]);
    expect(bad![0]).toMatch(/^1: Element '\{urn:test\}code': 'x' is not a valid value of the atomic type/);
  });
});

describe("validate: imports written where or as XML Schema does not allow, followed as the generator follows them", () => {
  const XS = "http://www.w3.org/2001/XMLSchema";
  const contract = (types: string) => `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="${XS}" targetNamespace="urn:test"><wsdl:types>${types}</wsdl:types></wsdl:definitions>`;
  const codes = (tns: string) => `<xs:schema xmlns:xs="${XS}" targetNamespace="${tns}"><xs:element name="Code"><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="4"/></xs:restriction></xs:simpleType></xs:element></xs:schema>`;
  const check = (files: Record<string, string>, ...payloads: string[]) =>
    validateMessages({ wsdl: "/c/main.wsdl", baseDir: "/c", host: memoryHost(files) }, payloads.map((text, i) => ({ file: `${i}.xml`, text }))).map((v) => v.errors);
  const tooLong = (ns: string) => [expect.stringMatching(new RegExp(`^1: Element '\\{${ns}\\}Code': \\[facet 'maxLength'\\] The value has a length of '6'`))];

  it("an xs:import directly in wsdl:types: its schema judges", () => {
    const files = { "/c/main.wsdl": contract(`<xs:import namespace="urn:codes" schemaLocation="codes.xsd"/>`), "/c/codes.xsd": codes("urn:codes") };
    const [good, bad] = check(files, `<Code xmlns="urn:codes">AB12</Code>`, `<Code xmlns="urn:codes">ABC123</Code>`);
    expect(good).toEqual([]);
    expect(bad).toEqual(tooLong("urn:codes"));
  });

  it("a miscased xs:Import and xs:INCLUDE: renamed to XML Schema's, their schemas judge", () => {
    const files = {
      "/c/main.wsdl": contract(
        `<xs:schema targetNamespace="urn:test"><xs:Import namespace="urn:codes" schemaLocation="codes.xsd"/></xs:schema><xs:schema targetNamespace="urn:more"><xs:INCLUDE schemaLocation="more.xsd"/></xs:schema>`,
      ),
      "/c/codes.xsd": codes("urn:codes"),
      "/c/more.xsd": codes("urn:more"),
    };
    const [good, bad, included, badIncluded] = check(files, `<Code xmlns="urn:codes">AB12</Code>`, `<Code xmlns="urn:codes">ABC123</Code>`, `<Code xmlns="urn:more">AB12</Code>`, `<Code xmlns="urn:more">ABC123</Code>`);
    expect(good).toEqual([]);
    expect(bad).toEqual(tooLong("urn:codes"));
    expect(included).toEqual([]);
    expect(badIncluded).toEqual(tooLong("urn:more"));
  });
});

describe("validate: schemas that are not valid XSD, handed to libxml2 as the generator read them", () => {
  const fixtures = resolve(import.meta.dirname, "fixtures/tolerated-schemas");
  /** The errors of each payload validated against a fixture contract (each payload on line 1). */
  const check = (file: string, ...payloads: string[]) =>
    validateMessages({ wsdl: resolve(fixtures, file), baseDir: fixtures }, payloads.map((text, i) => ({ file: `${i}.xml`, text }))).map((v) => v.errors);

  it("name on an anonymous complexType and simpleType: dropped; the anonymous types still judge", () => {
    const book = (isbn: string) => `<Book xmlns="urn:shelf"><title>T</title><isbn>${isbn}</isbn></Book>`;
    const [good, bad] = check("anonymous-type-name.wsdl", book("9780000000002"), book("978"));
    expect(good).toEqual([]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}isbn': \[facet 'pattern'\] The value '978' is not accepted by the pattern/)]);
  });

  it("minOccurs and maxOccurs on a global element: dropped", () => {
    const [good, bad] = check("global-element-occurs.wsdl", `<Shelf xmlns="urn:shelf"><label>A</label></Shelf>`, `<Shelf xmlns="urn:shelf"/>`);
    expect(good).toEqual([]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Shelf': Missing child element\(s\)/)]);
  });

  it("nillable and type on a complexType: dropped, so xsi:nil stays refused as the generator reads it", () => {
    const nil = `<Lend xmlns="urn:shelf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>`;
    const [good, bad, nilled] = check("complex-type-attributes.wsdl", `<Lend xmlns="urn:shelf"><days>3</days></Lend>`, `<Lend xmlns="urn:shelf"><days>three</days></Lend>`, nil);
    expect(good).toEqual([]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}days': 'three' is not a valid value of the atomic type 'xs:int'/)]);
    expect(nilled![0]).toBe("1: Element '{urn:shelf}Lend': The element is not 'nillable'.");
  });

  it("schemalocation (misspelt) on xs:import: dropped; the namespace stays undefined as the generator reads it (a stand-in of xs:anyType)", () => {
    // stock.xsd declares Item as xs:int, but the generator never loads it: Item is read as xs:anyType.
    const restock = (count: string) => `<Restock xmlns="urn:shelf"><count>${count}</count><Item xmlns="urn:stock"><any/></Item></Restock>`;
    const [good, bad] = check("import-schemalocation.wsdl", restock("2"), restock("two"));
    expect(good).toEqual([]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}count': 'two' is not a valid value of the atomic type 'xs:int'/)]);
  });

  it("xs:include with location instead of schemaLocation: dropped, as the generator includes nothing", () => {
    // shelf-extra.xsd would declare Count again, as xs:string; the generator reads only the WSDL's (xs:int).
    const [good, bad] = check("include-location.wsdl", `<Count xmlns="urn:shelf">4</Count>`, `<Count xmlns="urn:shelf">four</Count>`);
    expect(good).toEqual([]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Count': 'four' is not a valid value of the atomic type 'xs:int'/)]);
  });

  it("a global definition in two files: the one the generator ignored is dropped, the one it kept judges", () => {
    const [first, second, note] = check(
      "duplicate-definitions.wsdl",
      `<Entry xmlns="urn:catalog"><code>1</code></Entry>`,
      `<Entry xmlns="urn:catalog"><code>one</code><note>A</note></Entry>`,
      `<Note xmlns="urn:catalog">ABCD</Note>`,
    );
    expect(first).toEqual([]);
    expect(second).toEqual([
      "1: Element '{urn:catalog}code': 'one' is not a valid value of the atomic type 'xs:int'.",
      "1: Element '{urn:catalog}note': This element is not expected.",
    ]);
    // The second file's other definitions stay, with the equal Shelf read once.
    expect(note).toEqual([expect.stringMatching(/^1: Element '\{urn:catalog\}Note': \[facet 'maxLength'\]/)]);
  });

  it("simpleContent extending xs:anyType: read as xs:anySimpleType (any text), its attributes still checked", () => {
    const [good, bad, child] = check(
      "simple-content-any-type.wsdl",
      `<Label xmlns="urn:shelf" lang="en">any text</Label>`,
      `<Label xmlns="urn:shelf" lang="not a language">x</Label>`,
      `<Label xmlns="urn:shelf"><b/></Label>`,
    );
    expect(good).toEqual([]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Label', attribute 'lang': 'not a language' is not a valid value/)]);
    expect(child).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Label': Element content is not allowed/)]);
  });

  it("simpleContent extending xs:anyType written as a lenient QName (unprefixed, no default namespace): still xs:anySimpleType", () => {
    const text = readFileSync(resolve(fixtures, "simple-content-any-type.wsdl"), "utf8").replace('base="xs:anyType"', 'base="anyType"');
    const [good, child] = validateMessages({ wsdl: "/c/main.wsdl", baseDir: "/c", host: memoryHost({ "/c/main.wsdl": text }) }, [
      { file: "0.xml", text: `<Label xmlns="urn:shelf" lang="en">any text</Label>` },
      { file: "1.xml", text: `<Label xmlns="urn:shelf"><b/></Label>` },
    ]).map((v) => v.errors);
    expect(good).toEqual([]);
    expect(child).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Label': Element content is not allowed/)]);
  });

  it("a document-style part that names a type: an element named after the part, in no namespace, of that type", () => {
    const [slot, title, tooBig, qualified] = check("typed-part.wsdl", `<slot>3</slot>`, `<title>Dune</title>`, `<slot>12</slot>`, `<slot xmlns="urn:shelf">3</slot>`);
    expect(slot).toEqual([]);
    expect(title).toEqual([]);
    expect(tooBig).toEqual([expect.stringMatching(/^1: Element 'slot': \[facet 'maxInclusive'\] The value '12' is greater than/)]);
    expect(qualified).toEqual([expect.stringMatching(/^1: .*No matching global declaration/)]);
  });

  it("an xs:decimal default of more digits than libxml2 holds: dropped (the oracle's limit), so an empty amount is refused", () => {
    const [good, none, bad, empty] = check(
      "decimal-default.wsdl",
      `<Price xmlns="urn:shelf"><amount>-12.50</amount></Price>`,
      `<Price xmlns="urn:shelf"/>`,
      `<Price xmlns="urn:shelf"><amount>cheap</amount></Price>`,
      `<Price xmlns="urn:shelf"><amount/></Price>`,
    );
    expect(good).toEqual([]);
    expect(none).toEqual([]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}amount': 'cheap' is not a valid value of the atomic type 'xs:decimal'/)]);
    expect(empty).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}amount': '' is not a valid value of the atomic type 'xs:decimal'/)]);
    // The same limit in a message: libxml2 refuses a value the contract allows (the codec does not).
    expect(check("decimal-default.wsdl", `<Price xmlns="urn:shelf"><amount>-79228162514264337593543950335</amount></Price>`)[0]).toEqual([
      "1: Element '{urn:shelf}amount': '-79228162514264337593543950335' is not a valid value of the atomic type 'xs:decimal'.",
    ]);
  });

  it("a model group directly in xs:element: wrapped in the anonymous xs:complexType the generator reads", () => {
    const [good, missing, bad] = check(
      "bare-content-model.wsdl",
      `<Shelf xmlns="urn:shelf"><label>A</label><slots>1</slots><slots>2</slots></Shelf>`,
      `<Shelf xmlns="urn:shelf"><label>A</label></Shelf>`,
      `<Shelf xmlns="urn:shelf"><label>A</label><slots>two</slots></Shelf>`,
    );
    expect(good).toEqual([]);
    expect(missing).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Shelf': Missing child element\(s\)\. Expected is \( \{urn:shelf\}slots \)/)]);
    expect(bad).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}slots': 'two' is not a valid value of the atomic type 'xs:int'/)]);
  });

  it("xs:element directly in xs:complexType: a sequence of them; a model group after the attributes: moved before them", () => {
    const [good, order, noCurrency, quote, badDay] = check(
      "loose-elements.wsdl",
      `<Price xmlns="urn:shelf" currency="MDL"><amount>1.5</amount><note>n</note></Price>`,
      `<Price xmlns="urn:shelf" currency="MDL"><note>n</note><amount>1.5</amount></Price>`,
      `<Price xmlns="urn:shelf"><amount>1.5</amount></Price>`,
      `<Quote xmlns="urn:shelf" firm="true" day="2026-11-27"><symbol>X</symbol></Quote>`,
      `<Quote xmlns="urn:shelf" day="today"><symbol>X</symbol></Quote>`,
    );
    expect(good).toEqual([]);
    expect(order).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}note': This element is not expected\. Expected is \( \{urn:shelf\}amount \)/)]);
    expect(noCurrency).toEqual(["1: Element '{urn:shelf}Price': The attribute 'currency' is required but missing."]);
    expect(quote).toEqual([]);
    expect(badDay).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Quote', attribute 'day': 'today' is not a valid value of the atomic type 'xs:date'/)]);
  });

  it("a moved model group carries the readings inside it: a lenient QName, a nested moved group", () => {
    // `Code` is unprefixed without a default namespace (read in urn:shelf); Box's xs:all comes after its attribute.
    const text = `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:shelf"><wsdl:types>
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:shelf" elementFormDefault="qualified">
        <xs:simpleType name="Code"><xs:restriction base="xs:int"/></xs:simpleType>
        <xs:element name="Crate"><xs:complexType>
          <xs:attribute name="id" type="xs:int"/>
          <xs:element name="code" type="Code"/>
          <xs:element name="box"><xs:complexType><xs:attribute name="open" type="xs:boolean"/><xs:all><xs:element name="size" type="Code"/></xs:all></xs:complexType></xs:element>
        </xs:complexType></xs:element>
      </xs:schema></wsdl:types></wsdl:definitions>`;
    const [good, badCode, badSize] = validateMessages({ wsdl: "/c/main.wsdl", baseDir: "/c", host: memoryHost({ "/c/main.wsdl": text }) }, [
      { file: "0.xml", text: `<Crate xmlns="urn:shelf" id="1"><code>2</code><box open="true"><size>3</size></box></Crate>` },
      { file: "1.xml", text: `<Crate xmlns="urn:shelf"><code>two</code><box><size>3</size></box></Crate>` },
      { file: "2.xml", text: `<Crate xmlns="urn:shelf"><code>2</code><box open="yes"><size>three</size></box></Crate>` },
    ]).map((v) => v.errors);
    expect(good).toEqual([]);
    expect(badCode).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}code': 'two' is not a valid value of the atomic type '\{urn:shelf\}Code'/)]);
    expect(badSize).toEqual([
      expect.stringMatching(/^1: Element '\{urn:shelf\}box', attribute 'open': 'yes' is not a valid value of the atomic type 'xs:boolean'/),
      expect.stringMatching(/^1: Element '\{urn:shelf\}size': 'three' is not a valid value of the atomic type '\{urn:shelf\}Code'/),
    ]);
  });

  it("xs:simpletype (wrong case): read as xs:simpleType, its facets judge", () => {
    const [good, long] = check("miscased-names.wsdl", `<Shelf xmlns="urn:shelf"><code>AB12</code></Shelf>`, `<Shelf xmlns="urn:shelf"><code>ABC123</code></Shelf>`);
    expect(good).toEqual([]);
    expect(long).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}code': \[facet 'maxLength'\] The value has a length of '6'; this exceeds the allowed maximum length of '4'/)]);
  });

  it("xs:extension in xs:simpleType: simple content with its attributes, or (without) its base", () => {
    const [good, badText, unknownAttribute, badCount] = check(
      "simple-type-extension.wsdl",
      `<Shelf xmlns="urn:shelf" count="3"><tag source="scan">7</tag></Shelf>`,
      `<Shelf xmlns="urn:shelf"><tag>seven</tag></Shelf>`,
      `<Shelf xmlns="urn:shelf"><tag origin="scan">7</tag></Shelf>`,
      `<Shelf xmlns="urn:shelf" count="three"><tag>7</tag></Shelf>`,
    );
    expect(good).toEqual([]);
    expect(badText).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}tag': 'seven' is not a valid value of the atomic type 'xs:int'/)]);
    expect(unknownAttribute).toEqual(["1: Element '{urn:shelf}tag', attribute 'origin': The attribute 'origin' is not allowed."]);
    expect(badCount).toEqual([expect.stringMatching(/^1: Element '\{urn:shelf\}Shelf', attribute 'count': 'three' is not a valid value of the atomic type/)]);
  });

  it("text where XML Schema allows only elements: dropped", () => {
    const [good, bad] = check("stray-text.wsdl", `<Width xmlns="urn:shelf">2</Width>`, `<Height xmlns="urn:shelf">tall</Height>`);
    expect(good).toEqual([]);
    expect(bad).toEqual(["1: Element '{urn:shelf}Height': 'tall' is not a valid value of the local atomic type."]);
  });
});
