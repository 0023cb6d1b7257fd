/**
 * Given SOAP 1.2 requests (and SOAP 1.1 ones to the same endpoint), want answers in the version
 * asked: the SOAP 1.2 envelope namespace, `application/soap+xml`, the action as a media-type
 * parameter, faults as Code/Value + Subcode, Reason/Text with xml:lang, HTTP 400 for Sender
 * faults, and VersionMismatch with an Upgrade header for an envelope of neither version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { builtin, complexType, element, operation, service, SoapClient, createSoapRequestHandler, SoapFault } from "../../runtime/src/codegen/v1/index.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { readEnvelope } from "../../runtime/src/soap/envelope.ts";
import { readFault, writeFault } from "../../runtime/src/soap/fault.ts";

const NS = "urn:v12";
const ENV12 = "http://www.w3.org/2003/05/soap-envelope";
const ENV11 = "http://schemas.xmlsoap.org/soap/envelope/";
const Echo = element("Echo", NS, () => complexType(`{${NS}}Echo`, [element("Text", NS, () => builtin("string"))]));
const EchoResponse = element("EchoResponse", NS, () => complexType(`{${NS}}EchoResponse`, [element("Text", NS, () => builtin("string"))]));
const operations = {
  Echo: operation<{ Text: string }, { Text: string }>({ name: "Echo", soapAction: "urn:v12/Echo", style: "document-literal-wrapped", input: Echo, output: EchoResponse }),
};
const V12 = service({ name: "V12", port: "V12Port", namespace: NS, soapVersion: "1.2", address: "http://localhost/v12", operations, documents: [] });

let server: Server;
let url: string;

beforeAll(async () => {
  const handler = createSoapRequestHandler(
    V12,
    {
      Echo(input: { Text: string }) {
        if (input.Text === "refuse") throw new SoapFault("Refused", "not this one", { namespace: NS });
        if (input.Text === "boom") throw new Error("secret detail");
        return { Text: input.Text.toUpperCase() };
      },
    },
    { onError: () => undefined },
  );
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v12`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const envelope = (ns: string, body: string, header = "") => `<e:Envelope xmlns:e="${ns}">${header === "" ? "" : `<e:Header>${header}</e:Header>`}<e:Body>${body}</e:Body></e:Envelope>`;
const echo = (text: string) => `<Echo xmlns="${NS}"><Text>${text}</Text></Echo>`;

async function post(body: string, contentType: string, extra: Record<string, string> = {}) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": contentType, ...extra }, body });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

describe("the server answers in the version asked", () => {
  it("SOAP 1.2: application/soap+xml with the action parameter, answered in a SOAP 1.2 envelope", async () => {
    const r = await post(envelope(ENV12, echo("hi")), 'application/soap+xml; charset=utf-8; action="urn:v12/Echo"');
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/soap+xml; charset=utf-8");
    const parsed = readEnvelope(parseXml(r.text), "1.2");
    expect(parsed.version).toBe("1.2");
    expect(parsed.payload?.local).toBe("EchoResponse");
  });

  it("SOAP 1.1 to the same endpoint: text/xml, a SOAP 1.1 envelope", async () => {
    const r = await post(envelope(ENV11, echo("hi")), "text/xml; charset=utf-8", { soapaction: '"urn:v12/Echo"' });
    expect(r.status).toBe(200);
    expect(r.type).toBe("text/xml; charset=utf-8");
    expect(readEnvelope(parseXml(r.text)).version).toBe("1.1");
  });

  it("an action parameter that names another operation than the Body is refused, as a Sender fault with 400", async () => {
    const r = await post(envelope(ENV12, echo("hi")), 'application/soap+xml; action="urn:v12/Other"');
    expect(r.status).toBe(400);
    const fault = readFault(readEnvelope(parseXml(r.text), "1.2").payload!);
    expect(fault).toMatchObject({ code: "Sender", namespace: ENV12 });
    expect(fault.reason).toContain('unknown SOAPAction "urn:v12/Other"');
  });

  it("a contract fault is Code/Value Sender with the code as Subcode, Reason/Text in English; HTTP 400", async () => {
    const r = await post(envelope(ENV12, echo("refuse")), "application/soap+xml");
    expect(r.status).toBe(400);
    expect(r.text).toContain(`<e:Fault xmlns:e="${ENV12}"><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value xmlns:c="${NS}">c:Refused</e:Value></e:Subcode></e:Code><e:Reason><e:Text xml:lang="en">not this one</e:Text></e:Reason></e:Fault>`);
  });

  it("an internal error is a Receiver fault with HTTP 500", async () => {
    const r = await post(envelope(ENV12, echo("boom")), "application/soap+xml");
    expect(r.status).toBe(500);
    expect(readFault(readEnvelope(parseXml(r.text), "1.2").payload!)).toMatchObject({ code: "Receiver", reason: "internal error" });
    expect(r.text).not.toContain("secret");
  });

  it("an envelope of neither version: VersionMismatch with an Upgrade header listing both", async () => {
    const r = await post(envelope("urn:not-soap", echo("x")), "application/soap+xml");
    expect(r.status).toBe(500);
    const parsed = readEnvelope(parseXml(r.text), "1.2");
    expect(readFault(parsed.payload!)).toMatchObject({ code: "VersionMismatch", namespace: ENV12 });
    const upgrade = parsed.headers[0]!;
    expect([upgrade.ns, upgrade.local]).toEqual([ENV12, "Upgrade"]);
    expect(upgrade.children.map((c) => (c.kind === "element" ? c.attributes.find((a) => a.local === "qname")?.value : ""))).toEqual(["a:Envelope", "b:Envelope"]);
  });

  it("a SOAP 1.2 envelope sent as text/xml is refused in SOAP 1.2", async () => {
    const r = await post(envelope(ENV12, echo("x")), "text/xml");
    expect(r.type).toBe("application/soap+xml; charset=utf-8");
    expect(readFault(readEnvelope(parseXml(r.text), "1.2").payload!).reason).toContain("SOAP 1.2 requests are application/soap+xml");
  });

  it("mustUnderstand in the SOAP 1.2 namespace (true) on an unknown header is a MustUnderstand fault", async () => {
    const r = await post(envelope(ENV12, echo("x"), `<x:H xmlns:x="urn:x" e:mustUnderstand="true" xmlns:e="${ENV12}"/>`), "application/soap+xml");
    expect(r.status).toBe(500);
    const parsed = readEnvelope(parseXml(r.text), "1.2");
    expect(readFault(parsed.payload!)).toMatchObject({ code: "MustUnderstand", namespace: ENV12 });
    // ... with a NotUnderstood block naming it (Part 1, section 5.4.8).
    const [notUnderstood] = parsed.headers;
    expect([notUnderstood?.ns, notUnderstood?.local]).toEqual([ENV12, "NotUnderstood"]);
    expect(r.text).toContain(`<u:NotUnderstood xmlns:u="${ENV12}" xmlns:n="urn:x" qname="n:H"/>`);
  });
});

describe("header blocks meant for another node", () => {
  it("mustUnderstand on a block whose role (1.2) or actor (1.1) names another node is not this endpoint's to understand", async () => {
    const other = await post(envelope(ENV12, echo("x"), `<x:H xmlns:x="urn:x" e:mustUnderstand="true" e:role="urn:some-other-node" xmlns:e="${ENV12}"/>`), "application/soap+xml");
    expect(other.status).toBe(200);
    const ours = await post(envelope(ENV12, echo("x"), `<x:H xmlns:x="urn:x" e:mustUnderstand="1" e:role="${ENV12}/role/ultimateReceiver" xmlns:e="${ENV12}"/>`), "application/soap+xml");
    expect(ours.status).toBe(500);
    const actor = await post(envelope(ENV11, echo("x"), `<x:H xmlns:x="urn:x" e:mustUnderstand="1" e:actor="urn:some-other-node" xmlns:e="${ENV11}"/>`), "text/xml", { soapaction: '"urn:v12/Echo"' });
    expect(actor.status).toBe(200);
    const next = await post(envelope(ENV11, echo("x"), `<x:H xmlns:x="urn:x" e:mustUnderstand="1" e:actor="http://schemas.xmlsoap.org/soap/actor/next" xmlns:e="${ENV11}"/>`), "text/xml", { soapaction: '"urn:v12/Echo"' });
    expect(next.status).toBe(500);
  });
});

describe("the client sends in the port's version", () => {
  it("SOAP 1.2 by default for a SOAP 1.2 port, SOAP 1.1 when asked; faults read in either", async () => {
    const client12 = new SoapClient(V12, { endpoint: url });
    const client11 = new SoapClient(V12, { endpoint: url, soapVersion: "1.1" });
    try {
      expect(await client12.call(operations.Echo, { Text: "a" })).toEqual({ Text: "A" });
      expect(await client11.call(operations.Echo, { Text: "b" })).toEqual({ Text: "B" });
      await expect(client12.call(operations.Echo, { Text: "refuse" })).rejects.toMatchObject({ code: "Refused", namespace: NS, reason: "not this one", soap12Code: "Sender", httpStatus: 400 });
      await expect(client11.call(operations.Echo, { Text: "refuse" })).rejects.toMatchObject({ code: "Refused", namespace: NS, reason: "not this one", httpStatus: 500 });
    } finally {
      await client12.close();
      await client11.close();
    }
  });
});

describe("SOAP 1.2 faults, written and read", () => {
  it("the SOAP 1.1 codes map to their SOAP 1.2 names; Role, Detail and a non-English first text are read", () => {
    expect(writeFault(new SoapFault("Client", "bad", { namespace: ENV11 }), NS, "1.2")).toContain("<e:Value>e:Sender</e:Value></e:Code>");
    expect(writeFault(new SoapFault("Server", "bad", { namespace: ENV11 }), NS, "1.2")).toContain("<e:Value>e:Receiver</e:Value></e:Code>");
    const xml = `<env:Fault xmlns:env="${ENV12}" xmlns:m="urn:m"><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:Outer</env:Value><env:Subcode><env:Value>m:Inner</env:Value></env:Subcode></env:Subcode></env:Code><env:Reason><env:Text xml:lang="ro">greșit</env:Text><env:Text xml:lang="en-US">wrong</env:Text></env:Reason><env:Role>urn:role</env:Role><env:Detail><m:Why>x</m:Why></env:Detail></env:Fault>`;
    const fault = readFault(parseXml(xml).root, 400);
    expect(fault).toMatchObject({ code: "Inner", namespace: "urn:m", reason: "wrong", actor: "urn:role", soap12Code: "Sender", httpStatus: 400 });
    expect(fault.detail?.map((d) => d.local)).toEqual(["Why"]);
  });
});
