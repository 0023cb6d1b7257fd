import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { builtin, complexType, element, operation, service, simpleType, SoapClient, createSoapRequestHandler, SoapFault, type RequestContext } from "../../runtime/src/codegen/v1/index.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { readEnvelope } from "../../runtime/src/soap/envelope.ts";
import { readFault } from "../../runtime/src/soap/fault.ts";
import { TransportError } from "../../runtime/src/errors.ts";

const NS = "urn:echo";
const Shout = element("Shout", NS, () =>
  complexType(`{${NS}}Shout`, [
    element("Text", NS, () => simpleType("Text", "string", { maxLength: 10 })),
    element("Mood", NS, () => simpleType("Mood", "string", { enumeration: ["calm", "loud"] }), { minOccurs: 0 }),
  ]),
);
const ShoutResponse = element("ShoutResponse", NS, () => complexType(`{${NS}}ShoutResponse`, [element("Echo", NS, () => builtin("string"))]));
const Echo = service({
  name: "Echo",
  port: "EchoPort",
  namespace: NS,
  soapVersion: "1.1",
  address: "http://localhost/echo",
  operations: {
    Shout: operation<{ Text: string; Mood?: string }, { Echo: string }>({ name: "Shout", soapAction: "urn:echo/Shout", style: "document-literal-wrapped", input: Shout, output: ShoutResponse }),
  },
  documents: [wsdlDocument()],
});

function wsdlDocument() {
  const text = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><import location="echo.xsd"/><port><address xmlns="http://schemas.xmlsoap.org/wsdl/soap/" location="http://localhost/echo"/></port></definitions>`;
  const link = (value: string, target: string) => ({ start: text.indexOf(value), end: text.indexOf(value) + value.length, target });
  return { key: "wsdl", text, links: [link("echo.xsd", "xsd=echo.xsd"), link("http://localhost/echo", "")] };
}

const errors: string[] = [];
const aborted: string[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const handler = createSoapRequestHandler(
    Echo,
    {
      Shout(this: unknown, input: { Text: string; Mood?: string }, context: RequestContext) {
        if (input.Text === "this") return { Echo: String((this as { tag?: string }).tag) };
        if (input.Text === "wait") {
          // Resolves when the caller goes away: the handler learns it through context.signal.
          return new Promise((resolve) => context.signal.addEventListener("abort", () => { aborted.push("aborted"); resolve({ Echo: "late" }); }));
        }
        if (input.Text === "boom") throw new Error("database password is hunter2");
        if (input.Text === "bad") return { Nope: 1 };
        if (input.Text === "fault") throw new SoapFault("UnknownOrder", "no such order");
        return { Echo: input.Text.toUpperCase() };
      },
      tag: "handlers object",
    } as never,
    { maxRequestBytes: 4096, faults: { invalidRequest: "InvalidParameter", internalError: "InternalError" }, onError: (e) => errors.push(String(e)) },
  );
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const envelope = (body: string, header = "") =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${header === "" ? "" : `<s:Header>${header}</s:Header>`}<s:Body>${body}</s:Body></s:Envelope>`;

async function post(body: string | Uint8Array, headers: Record<string, string> = {}, method = "POST") {
  const response = await fetch(url, { method, headers: { "content-type": "text/xml; charset=utf-8", ...headers }, ...(method === "GET" ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), text };
}

async function faultOf(body: string | Uint8Array, headers: Record<string, string> = {}, method = "POST") {
  const r = await post(body, headers, method);
  expect(r.type).toBe("text/xml; charset=utf-8");
  expect(r.text).not.toMatch(/<html|at .*\.ts:\d+/i);
  const fault = readFault(readEnvelope(parseXml(r.text)).payload!);
  return { status: r.status, code: fault.code, ns: fault.namespace, reason: fault.reason };
}

const good = `<Shout xmlns="${NS}"><Text>hi</Text></Shout>`;

describe("SOAP request handler", () => {
  it("answers a good request", async () => {
    const r = await post(envelope(good), { soapaction: '"urn:echo/Shout"' });
    expect(r.status).toBe(200);
    expect(r.text).toBe(envelope(`<ShoutResponse xmlns="${NS}"><Echo>HI</Echo></ShoutResponse>`));
  });

  it("routes by body element when SOAPAction is empty, whatever the prefixes", async () => {
    const r = await post(`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><x:Shout xmlns:x="${NS}"><x:Text>yo</x:Text></x:Shout></e:Body></e:Envelope>`, { soapaction: '""' });
    expect(r.status).toBe(200);
    expect(r.text).toContain("<Echo>YO</Echo>");
  });

  it.each([
    ["malformed XML", envelope(`<Shout xmlns="${NS}"><Text>hi</Shout>`), {}, 500, "InvalidParameter", /not well-formed XML: .*line 1/],
    ["a DOCTYPE", `<!DOCTYPE x [<!ENTITY a "b">]>${envelope(good)}`, {}, 500, "InvalidParameter", /DOCTYPE/],
    ["an undeclared entity", envelope(`<Shout xmlns="${NS}"><Text>&xxe;</Text></Shout>`), {}, 500, "InvalidParameter", /entity/],
    ["a wrong payload namespace", envelope(`<Shout xmlns="urn:wrong"><Text>hi</Text></Shout>`), {}, 500, "InvalidParameter", /namespace is wrong, expected \{urn:echo\}Shout/],
    ["an unknown operation", envelope(`<Whisper xmlns="${NS}"/>`), {}, 500, "InvalidParameter", /no operation takes \{urn:echo\}Whisper/],
    ["an unknown SOAPAction", envelope(good), { soapaction: '"urn:echo/Whisper"' }, 500, "InvalidParameter", /unknown SOAPAction "urn:echo\/Whisper"/],
    ["a missing required member", envelope(`<Shout xmlns="${NS}"/>`), {}, 500, "InvalidParameter", /Shout.Text: missing required member Text/],
    ["an over-long string", envelope(`<Shout xmlns="${NS}"><Text>01234567890</Text></Shout>`), {}, 500, "InvalidParameter", /Shout.Text: .*at most 10 characters/],
    ["an invalid enumeration value", envelope(`<Shout xmlns="${NS}"><Text>a</Text><Mood>angry</Mood></Shout>`), {}, 500, "InvalidParameter", /Shout.Mood: .*not one of the allowed values: calm, loud/],
    ["an unknown member", envelope(`<Shout xmlns="${NS}"><Text>a</Text><Volume>11</Volume></Shout>`), {}, 500, "InvalidParameter", /unexpected element \{urn:echo\}Volume/],
    ["a body over the size limit", envelope(`<Shout xmlns="${NS}"><Text>${"x".repeat(5000)}</Text></Shout>`), {}, 413, "InvalidParameter", /larger than the 4096-byte limit/],
    ["a wrong content type", envelope(good), { "content-type": "application/json" }, 415, "InvalidParameter", /Content-Type application\/json is not accepted/],
    // (SOAP 1.2 requests are answered in SOAP 1.2: test/runtime/soap12.test.ts.)
    ["a SOAP 1.1 envelope as application/soap+xml", envelope(good), { "content-type": "application/soap+xml" }, 500, "InvalidParameter", /SOAP 1\.1 envelope sent as application\/soap\+xml/],
    ["a non-UTF-8 charset", envelope(good), { "content-type": "text/xml; charset=iso-8859-1" }, 415, "InvalidParameter", /charset iso-8859-1/],
    ["an envelope of neither version", `<e:Envelope xmlns:e="urn:soap-3"><e:Body>${good}</e:Body></e:Envelope>`, {}, 500, "VersionMismatch", /not the SOAP 1\.1 namespace .* or the SOAP 1\.2 namespace/],
    ["not an envelope", good, {}, 500, "InvalidParameter", /not a SOAP envelope/],
    ["an empty Body", envelope(""), {}, 500, "InvalidParameter", /Body is empty/],
    ["two payloads", envelope(good + good), {}, 500, "InvalidParameter", /the Body holds 2 elements; Shout takes one/],
    ["a mustUnderstand header nobody processes", envelope(good, `<h:Trace xmlns:h="urn:h" s:mustUnderstand="1" xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>`), {}, 500, "MustUnderstand", /\{urn:h\}Trace/],
  ])("refuses %s with a fault", async (_what, body, headers, status, code, reason) => {
    const f = await faultOf(body, headers);
    expect(f.status).toBe(status);
    expect(f.code).toBe(code);
    expect(f.reason).toMatch(reason);
  });

  it("ignores a header block that is not mustUnderstand", async () => {
    const r = await post(envelope(good, `<h:Trace xmlns:h="urn:h">x</h:Trace>`));
    expect(r.status).toBe(200);
  });

  it("refuses invalid UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from(envelope(`<Shout xmlns="${NS}"><Text>`)), Buffer.from([0xc3, 0x28]), Buffer.from("</Text></Shout>")]);
    const f = await faultOf(bytes);
    expect(f.reason).toMatch(/not valid UTF-8/);
  });

  it("refuses other methods with 405 and a fault", async () => {
    const f = await faultOf("", {}, "PUT");
    expect(f.status).toBe(405);
    expect(f.reason).toMatch(/method PUT is not allowed/);
    const g = await faultOf("", {}, "GET");
    expect(g.status).toBe(405);
  });

  it("qualifies contract fault codes with the contract namespace", async () => {
    const f = await faultOf(envelope(`<Shout xmlns="${NS}"><Text>fault</Text></Shout>`));
    expect(f).toEqual({ status: 500, code: "UnknownOrder", ns: NS, reason: "no such order" });
  });

  it("hides internal errors behind a generic fault and reports them", async () => {
    const f = await faultOf(envelope(`<Shout xmlns="${NS}"><Text>boom</Text></Shout>`));
    expect(f).toEqual({ status: 500, code: "InternalError", ns: NS, reason: "internal error" });
    expect(errors.some((e) => e.includes("hunter2"))).toBe(true);
    const g = await faultOf(envelope(`<Shout xmlns="${NS}"><Text>bad</Text></Shout>`));
    expect(g.code).toBe("InternalError");
    expect(errors.some((e) => e.includes("unknown member Nope"))).toBe(true);
  });

  it("serves the WSDL with links pointing back at the endpoint", async () => {
    const r = await fetch(`${url}?wsdl`);
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain(`<import location="${url}?xsd=echo.xsd"/>`);
    expect(text).toContain(`location="${url}"/>`);
  });

  it("calls handlers as methods of the handlers object", async () => {
    const r = await post(envelope(`<Shout xmlns="${NS}"><Text>this</Text></Shout>`));
    expect(r.text).toContain("<Echo>handlers object</Echo>");
  });

  it("aborts the handler's signal when the caller disconnects", async () => {
    const controller = new AbortController();
    const call = fetch(url, { method: "POST", headers: { "content-type": "text/xml" }, body: envelope(`<Shout xmlns="${NS}"><Text>wait</Text></Shout>`), signal: controller.signal }).catch(() => "gone");
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await call).toBe("gone");
    for (let i = 0; i < 50 && aborted.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(aborted).toEqual(["aborted"]);
  });

  it("keeps serving after bad requests", async () => {
    const r = await post(envelope(good));
    expect(r.status).toBe(200);
  });
});

describe("SOAP client", () => {
  const client = () => new SoapClient(Echo, { endpoint: url, timeoutMs: 2000 });

  it("calls and decodes", async () => {
    await expect(client().call(Echo.operations.Shout, { Text: "abc" })).resolves.toEqual({ Echo: "ABC" });
  });

  it("turns a fault into a SoapFault with code, namespace and HTTP status", async () => {
    const error = await client().call(Echo.operations.Shout, { Text: "fault" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFault);
    expect(error).toMatchObject({ code: "UnknownOrder", namespace: NS, reason: "no such order", httpStatus: 500 });
  });

  it("refuses to send invalid input", async () => {
    await expect(client().call(Echo.operations.Shout, { Text: "x".repeat(11) })).rejects.toThrow(/Shout.Text: .*at most 10 characters/);
  });

  it("reports a timeout and an unreachable endpoint as TransportError", async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const port = (slow.address() as AddressInfo).port;
    const error = await new SoapClient(Echo, { endpoint: `http://127.0.0.1:${port}/`, timeoutMs: 200 }).call(Echo.operations.Shout, { Text: "a" }).catch((e: unknown) => e);
    slow.closeAllConnections();
    slow.close();
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).problem).toBe("timeout");
    const refused = await new SoapClient(Echo, { endpoint: `http://127.0.0.1:${port}/` }).call(Echo.operations.Shout, { Text: "a" }).catch((e: unknown) => e);
    expect((refused as TransportError).problem).toBe("network");
  });

  it("honours an AbortSignal", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await client().call(Echo.operations.Shout, { Text: "a" }, { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as TransportError).problem).toBe("aborted");
  });

  it("reports an HTML error page as a TransportError, not as XML", async () => {
    const html = createServer((_req, res) => res.writeHead(503, { "content-type": "text/html" }).end("<html><body>down</body></html>"));
    await new Promise<void>((resolve) => html.listen(0, "127.0.0.1", resolve));
    const error = await new SoapClient(Echo, { endpoint: `http://127.0.0.1:${(html.address() as AddressInfo).port}/` }).call(Echo.operations.Shout, { Text: "a" }).catch((e: unknown) => e);
    html.close();
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).status).toBe(503);
    expect((error as Error).message).toMatch(/HTTP 503 .* is not a SOAP answer/);
  });
});
