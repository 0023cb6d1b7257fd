/**
 * SOAP bindings over another transport than HTTP (`soap:binding/@transport`, WSDL 1.1 section 3.3):
 * given a binding over WCF's net.tcp or JMS, want it skipped with its ports (a located warning
 * each), never generated as if it were SOAP over HTTP; given two bindings of one name, one over
 * TCP, want the HTTP one to be the binding (zeep's reading, its `test_unknown_transport`); given a
 * service with only such ports, want an error that says which bindings and transports.
 * The fixtures are under `fixtures/transports/`.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { declaration, diagnostics, run, warnings, wsdl } from "./helpers.ts";

const TCP = "http://schemas.microsoft.com/soap/tcp";

/** A fixture of `fixtures/transports`, as in-memory files under its own name. */
function fixture(name: string): { files: Record<string, string>; contract: { wsdl: string } } {
  return { files: { [name]: readFileSync(resolve(import.meta.dirname, "fixtures/transports", name), "utf8") }, contract: { wsdl: name } };
}

/** The helpers' one-operation WSDL (SOAP 1.1, transport SOAP over HTTP). */
const base = wsdl(`      <xs:element name="Op"><xs:complexType/></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`);
const HTTP_TRANSPORT_ATTRIBUTE = ' transport="http://schemas.xmlsoap.org/soap/http"';

/** The base WSDL with its `soap:binding` rewritten: `binding` replaces `<soap:binding transport="...http"/>`. */
function withBinding(binding: string, xmlns = ""): string {
  const written = `<soap:binding${HTTP_TRANSPORT_ATTRIBUTE}/>`;
  expect(base).toContain(written);
  const text = base.replace(written, binding).replace(' name="Test">', `${xmlns} name="Test">`);
  // A SOAP 1.2 binding's port gets a SOAP 1.2 address (another is a warning of its own).
  return binding.startsWith("<soap12:") ? text.replace("<soap:address", "<soap12:address") : text;
}

describe("a binding over another transport than HTTP", () => {
  it("is skipped with its port, a warning at its transport and one at the port; the next port over HTTP is generated", async () => {
    const { files, contract } = fixture("tcp-port.wsdl");
    const { files: out, result } = await run(files, contract);
    expect(result.warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`)).toEqual([
      `tcp-port.wsdl:24:36: binding TcpBinding uses transport ${TCP}, not SOAP over HTTP; it is skipped, and so are the ports that use it`,
      `tcp-port.wsdl:40:5: skipped port TcpPort: its binding TcpBinding uses transport ${TCP}, not SOAP over HTTP`,
    ]);
    expect(result.warnings[1]!.hint).toBe("generating port HttpPort instead");
    const meta = out["src/meta.ts"]!;
    expect(declaration(meta, "operations")).toContain("The operations of port HttpPort");
    expect(meta).not.toContain("TcpPort");
  });

  it("a service whose only port uses one is an error that names the binding and its transport", async () => {
    const { files, contract } = fixture("tcp-only.wsdl");
    const expected = (port: string) => [
      `tcp-only.wsdl:23:36: warning: binding TcpBinding uses transport ${TCP}, not SOAP over HTTP; it is skipped, and so are the ports that use it; the generated client and server speak SOAP over HTTP only`,
      `tcp-only.wsdl:30:3: service LedgerService has no usable port${port}: the only binding its ports use, TcpBinding, uses transport ${TCP}, not SOAP over HTTP; the generated client and server speak SOAP over HTTP only (soap:binding transport="http://schemas.xmlsoap.org/soap/http")`,
    ];
    expect(await diagnostics(files, contract)).toEqual(expected(""));
    // Configured by name, the port is still one that cannot be generated.
    expect(await diagnostics(files, { ...contract, port: "TcpPort" })).toEqual(expected(' named "TcpPort"'));
  });

  it("SOAP 1.2 over JMS is skipped as well; several such ports name every binding and transport", async () => {
    const jms = "http://www.w3.org/2010/soapjms/";
    const soap12 = ' xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"';
    const text = withBinding(`<soap12:binding transport="${jms}"/>`, soap12).replace(
      "</wsdl:service>",
      `  <wsdl:port name="TcpPort" binding="tns:TcpBinding"><soap:address location="net.tcp://localhost/svc"/></wsdl:port>\n  </wsdl:service>`,
    );
    const tcpBinding = base.slice(base.indexOf("  <wsdl:binding"), base.indexOf("  <wsdl:service")).replace('name="Binding"', 'name="TcpBinding"').replace(HTTP_TRANSPORT_ATTRIBUTE, ` transport="${TCP}"`);
    const both = text.replace("  <wsdl:service", `${tcpBinding}  <wsdl:service`);
    const found = await diagnostics({ "main.wsdl": both });
    const skipped = "not SOAP over HTTP; it is skipped, and so are the ports that use it; the generated client and server speak SOAP over HTTP only";
    expect(found.filter((d) => d.includes("warning:"))).toEqual([
      `main.wsdl:16:21: warning: binding Binding uses transport ${jms}, ${skipped}`,
      `main.wsdl:24:19: warning: binding TcpBinding uses transport ${TCP}, ${skipped}`,
    ]);
    expect(found.filter((d) => !d.includes("warning:"))).toEqual([
      expect.stringContaining(`service Svc has no usable port: the only bindings its ports use, Binding, TcpBinding, use transports ${jms}, ${TCP}, not SOAP over HTTP`),
    ]);
  });

  it("SOAP over HTTP in each of its spellings, or no transport at all, is generated without a warning", async () => {
    const soap12 = ' xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"';
    const variants = [
      withBinding('<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>'),
      withBinding('<soap:binding transport="http://schemas.xmlsoap.org/soap/http/"/>'),
      withBinding("<soap:binding/>"),
      // SOAP 1.2's own HTTP binding URI, and WSDL 1.1's, which WCF writes on soap12:binding.
      withBinding('<soap12:binding transport="http://www.w3.org/2003/05/soap/bindings/HTTP/"/>', soap12),
      withBinding('<soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>', soap12),
    ];
    for (const text of variants) {
      const { result } = await run({ "main.wsdl": text });
      expect(result.warnings, text).toEqual([]);
      expect(result.operations).toBe(1);
    }
  });
});

describe("two bindings of one name", () => {
  it("one over TCP and one over HTTP are no duplicate: the HTTP one is the binding, even written second", async () => {
    const { files, contract } = fixture("duplicate-name.wsdl");
    const { files: out, result } = await run(files, contract);
    expect(result.warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`)).toEqual([
      `duplicate-name.wsdl:25:36: binding LedgerBinding uses transport ${TCP}, not SOAP over HTTP; it is skipped, and the binding of that name at duplicate-name.wsdl:32:3, SOAP over HTTP, is the one its ports use`,
    ]);
    // The TCP binding's soapAction is urn:ledger/BalanceOverTcp: the generated operation has the HTTP one's.
    expect(out["src/meta.ts"]).toContain('soapAction: "urn:ledger/Balance"');
    expect(out["src/meta.ts"]).not.toContain("BalanceOverTcp");
  });

  it("two over HTTP that differ stay the duplicate error", async () => {
    const binding = base.slice(base.indexOf("  <wsdl:binding"), base.indexOf("  <wsdl:service"));
    const twice = base.replace("  <wsdl:service", `${binding.replace("urn:test/Op", "urn:test/Other")}  <wsdl:service`);
    expect(await diagnostics({ "main.wsdl": twice })).toEqual([
      "main.wsdl:23:3: duplicate binding {urn:test}Binding; it is also declared, differently, at main.wsdl:15:3; rename or remove one of them",
    ]);
    // Equal ones are one, silently, as before.
    expect(await warnings({ "main.wsdl": base.replace("  <wsdl:service", `${binding}  <wsdl:service`) })).toEqual([]);
  });
});
