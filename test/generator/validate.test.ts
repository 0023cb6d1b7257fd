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
