/**
 * Given operations that go beyond one element each way (declared header blocks, one-way
 * operations, empty Bodies), want the server and the client to carry them, through a real
 * node:http server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { builtin, complexType, element, operation, service, SoapClient, createSoapRequestHandler, SoapFault, isOperationFault, operationFault, type RequestContext } from "../../runtime/src/codegen/v1/index.ts";
import { CodecError, TransportError } from "../../runtime/src/errors.ts";
import { decodeHeaders, headerBlockNames, standsFor, substitutionGroupNames } from "../../runtime/src/soap/headers.ts";
import { withDeclaredDetail } from "../../runtime/src/soap/fault.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";

const NS = "urn:ops";
const text = (name: string) => element(name, NS, () => complexType(`{${NS}}${name}`, [element("Text", NS, () => builtin("string"))]));
const Ask = text("Ask");
const AskResponse = text("AskResponse");
const Notify = text("Notify");
const Auth = element("Auth", NS, () => complexType(`{${NS}}Auth`, [element("User", NS, () => builtin("string")), element("Token", NS, () => builtin("int"), { minOccurs: 0 })]));
const Trace = element("Trace", "urn:trace", () => builtin("string"));
const Session = element("Session", NS, () => builtin("string"));
const Busy = element("Busy", NS, () => complexType(`{${NS}}Busy`, [element("Seconds", NS, () => builtin("int"))]));

type AuthValue = { User: string; Token?: number };
const Ops = service({
  name: "Ops",
  port: "OpsPort",
  namespace: NS,
  soapVersion: "1.1",
  address: "http://localhost/ops",
  operations: {
    Ask: operation<{ Text: string }, { Text: string }, { Auth?: AuthValue; Trace?: string }, { Session?: string }, { Busy: { Seconds: number } }>({
      name: "Ask",
      soapAction: "urn:ops/Ask",
      style: "document-literal-wrapped",
      input: Ask,
      output: AskResponse,
      inputHeaders: [Auth, Trace],
      outputHeaders: [Session],
      faults: [{ name: "Busy", element: Busy }],
    }),
    Notify: operation<{ Text: string }, void>({ name: "Notify", soapAction: "urn:ops/Notify", style: "document-literal-wrapped", input: Notify, oneWay: true }),
    Ping: operation<void, { Text: string }>({ name: "Ping", soapAction: "urn:ops/Ping", style: "document-literal-wrapped", output: AskResponse }),
    Reset: operation<void, void>({ name: "Reset", soapAction: "urn:ops/Reset", style: "document-literal-wrapped" }),
  },
  documents: [],
});

const notified: string[] = [];
let server: Server;
let url: string;
let client: SoapClient<typeof Ops.operations>;

beforeAll(async () => {
  const handler = createSoapRequestHandler(Ops, {
    Ask(input: { Text: string }, context: RequestContext<{ Auth?: AuthValue; Trace?: string }, { Session?: string }>) {
      if (input.Text === "busy") throw operationFault(Ops.operations.Ask, "Busy", { Seconds: 30 }, { reason: "try later" });
      if (input.Text === "bad detail") throw operationFault(Ops.operations.Ask, "Busy", { Seconds: "soon" } as never);
      if (input.Text === "bad header") context.responseHeaders = { Session: 1 } as never;
      else context.responseHeaders = { Session: `s-${context.headers.Auth?.User ?? "anonymous"}` };
      return { Text: `${input.Text} ${JSON.stringify(context.headers)}` };
    },
    Notify(input: { Text: string }) {
      if (input.Text === "boom") throw new SoapFault("Refused", "not now", { namespace: NS });
      notified.push(input.Text);
      return Promise.resolve();
    },
    Ping() {
      return { Text: "pong" };
    },
    Reset() {
      notified.length = 0;
    },
  } as never, { onError: () => undefined });
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ops`;
  client = new SoapClient(Ops, { endpoint: url });
});

afterAll(async () => {
  await client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const envelope = (body: string, header = "") =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${header === "" ? "" : `<s:Header>${header}</s:Header>`}<s:Body>${body}</s:Body></s:Envelope>`;

async function post(body: string, soapAction?: string) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "text/xml; charset=utf-8", ...(soapAction === undefined ? {} : { soapaction: `"${soapAction}"` }) }, body });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

describe("declared header blocks (soap:header)", () => {
  it("the client sends them, the handler reads them decoded, and sets the response's, which the client returns when asked", async () => {
    const answer = await client.callWithHeaders(Ops.operations.Ask, { Text: "hi" }, { soapHeaders: { Auth: { User: "ana", Token: 7 }, Trace: "t-1" } });
    expect(answer).toEqual({ output: { Text: 'hi {"Auth":{"User":"ana","Token":7},"Trace":"t-1"}' }, headers: { Session: "s-ana" } });
    // Without headers: the handler sees an empty object; call() returns the Body only.
    expect(await client.call(Ops.operations.Ask, { Text: "hi" })).toEqual({ Text: "hi {}" });
  });

  it("the blocks travel namespace-qualified in the Header, and mustUnderstand on a declared one is understood", async () => {
    const r = await post(envelope(`<Ask xmlns="${NS}"><Text>x</Text></Ask>`, `<a:Auth xmlns:a="${NS}" xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:mustUnderstand="1"><a:User>bo</a:User></a:Auth>`), "urn:ops/Ask");
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<Session xmlns="${NS}">s-bo</Session>`);
    expect(r.text).toMatch(/<s:Header><Session[^>]*>s-bo<\/Session><\/s:Header><s:Body>/);
  });

  it("a Body of two elements for an operation that takes one is refused", async () => {
    const r = await post(envelope(`<Ask xmlns="${NS}"><Text>x</Text></Ask><Ask xmlns="${NS}"><Text>y</Text></Ask>`), "urn:ops/Ask");
    expect(r.status).toBe(500);
    expect(r.text).toContain("the Body holds 2 elements; Ask takes one");
  });

  it("an undeclared header with mustUnderstand is still refused", async () => {
    const r = await post(envelope(`<Ask xmlns="${NS}"><Text>x</Text></Ask>`, `<x:Other xmlns:x="urn:x" xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:mustUnderstand="1"/>`), "urn:ops/Ask");
    expect(r.status).toBe(500);
    expect(r.text).toContain("MustUnderstand");
  });

  it("a declared header that breaks its schema is the caller's fault; a header value the handler got wrong is an internal error", async () => {
    const r = await post(envelope(`<Ask xmlns="${NS}"><Text>x</Text></Ask>`, `<Auth xmlns="${NS}"><Token>7</Token></Auth>`), "urn:ops/Ask");
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/Client.*invalid Ask request: .*headers\.Auth/s);
    await expect(client.call(Ops.operations.Ask, { Text: "bad header" })).rejects.toMatchObject({ code: "Server", reason: "internal error" });
  });

  it("the client refuses a header the operation does not declare, before sending", async () => {
    await expect(client.call(Ops.operations.Ask, { Text: "x" }, { soapHeaders: { Nope: 1 } as never })).rejects.toThrow(CodecError);
    await expect(client.call(Ops.operations.Ask, { Text: "x" }, { soapHeaders: { Nope: 1 } as never })).rejects.toThrow(/declares no header Nope; declared: Auth, Trace/);
  });
});

describe("declared faults (wsdl:fault) with typed details", () => {
  it("the handler throws one, the server writes its detail element, the client decodes it", async () => {
    const error = await client.call(Ops.operations.Ask, { Text: "busy" }).catch((e: unknown) => e);
    expect(isOperationFault(error, Ops.operations.Ask, "Busy")).toBe(true);
    expect(error).toMatchObject({ code: "Client", reason: "try later", declared: "Busy", detailValue: { Seconds: 30 } });
    const r = await post(envelope(`<Ask xmlns="${NS}"><Text>busy</Text></Ask>`), "urn:ops/Ask");
    expect(r.text).toContain(`<faultstring xml:lang="en">try later</faultstring><detail><Busy xmlns="${NS}"><Seconds>30</Seconds></Busy></detail>`);
  });

  it("a detail that breaks its schema is an internal error; a fault the operation does not declare cannot be made", async () => {
    await expect(client.call(Ops.operations.Ask, { Text: "bad detail" })).rejects.toMatchObject({ code: "Server", reason: "internal error", declared: undefined });
    expect(() => operationFault(Ops.operations.Ask, "Nope" as never, {} as never)).toThrow("operation Ask declares no fault Nope");
  });
});

describe("one-way operations", () => {
  it("the server answers 202 without a body after the handler ran; the client resolves with nothing", async () => {
    await client.call(Ops.operations.Reset, undefined);
    await expect(client.call(Ops.operations.Notify, { Text: "one" })).resolves.toBeUndefined();
    expect(notified).toEqual(["one"]);
    const r = await post(envelope(`<Notify xmlns="${NS}"><Text>two</Text></Notify>`), "urn:ops/Notify");
    expect(r).toEqual({ status: 202, type: null, text: "" });
    expect(notified).toEqual(["one", "two"]);
  });

  it("a handler error is a fault with HTTP 500, which the client rejects with", async () => {
    await expect(client.call(Ops.operations.Notify, { Text: "boom" })).rejects.toMatchObject({ code: "Refused", reason: "not now", httpStatus: 500 });
  });
});

describe("empty Bodies", () => {
  it("an operation without an input element is routed by its SOAP action and answered", async () => {
    await expect(client.call(Ops.operations.Ping, undefined)).resolves.toEqual({ Text: "pong" });
    const r = await post(envelope(""), "urn:ops/Ping");
    expect(r.status).toBe(200);
    expect(r.text).toContain("<AskResponse");
  });

  it("an empty response Body is read as nothing", async () => {
    await expect(client.call(Ops.operations.Reset, undefined)).resolves.toBeUndefined();
    const r = await post(envelope(""), "urn:ops/Reset");
    expect(r.status).toBe(200);
    expect(r.text).toBe(envelope(""));
  });

  it("an empty Body without a SOAP action, or with one of an operation that takes an element, is refused clearly", async () => {
    const none = await post(envelope(""));
    expect(none.status).toBe(500);
    expect(none.text).toContain("the Body is empty and the SOAP action is missing, so it fits several operations whose request is empty: Ping, Reset; send the SOAPAction of one");
    const wrong = await post(envelope(""), "urn:ops/Ask");
    expect(wrong.text).toContain("the Body is empty and SOAPAction \"urn:ops/Ask\" names no operation whose request is empty");
  });

  it("the client refuses an element where the response Body should be empty", async () => {
    const odd = service({ ...Ops, operations: { Reset: operation<void, void>({ name: "Reset", soapAction: "urn:ops/Ping", style: "document-literal-wrapped" }) } });
    const c = new SoapClient(odd, { endpoint: url });
    await expect(c.call(odd.operations.Reset, undefined)).rejects.toThrow(TransportError);
    await c.close();
  });
});

describe("an abstract header block or fault detail (a substitution group's head)", () => {
  const G = "urn:group";
  const Token = element("Token", G, () => builtin("string"));
  const Key = element("Key", G, () => builtin("int"));
  const Credential = element("Credential", G, () => builtin("string"), {
    substitutes: () => [
      { name: "Token", element: Token },
      { name: "Key", element: Key },
    ],
    abstract: true,
  });
  const at = (xml: string) => parseXml(`<s:Header xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${xml}</s:Header>`).root.children.filter((c) => c.kind === "element");

  it("is found by any member's name and read as that member; the head is refused by the codec, an unrelated block left alone", () => {
    expect(decodeHeaders([Credential], at(`<Key xmlns="${G}">7</Key><Other xmlns="${G}"/>`), undefined, "Op")).toEqual({ Credential: { $element: "Key", $value: 7 } });
    expect(decodeHeaders([Credential], at(`<Other xmlns="${G}"/><Token xmlns="urn:elsewhere">t</Token>`), undefined, "Op")).toEqual({});
    expect(() => decodeHeaders([Credential], at(`<Credential xmlns="${G}">c</Credential>`), undefined, "Op")).toThrow("is abstract and cannot stand itself");
    expect(() => decodeHeaders([Credential], at(`<Token xmlns="${G}">t</Token><Key xmlns="${G}">7</Key>`), undefined, "Op")).toThrow(`the header {${G}}Credential comes twice (as {${G}}Token and {${G}}Key)`);
  });

  it("the names it travels under are built once per descriptor; a plain descriptor needs none", () => {
    expect(substitutionGroupNames(Credential)).toBe(substitutionGroupNames(Credential));
    expect([...substitutionGroupNames(Credential)]).toEqual([`${G} Credential`, `${G} Token`, `${G} Key`]);
    expect(headerBlockNames(Credential)).toEqual([`{${G}}Token`, `{${G}}Key`]);
    expect(headerBlockNames(Token)).toEqual([`{${G}}Token`]);
    const [token, key] = at(`<Token xmlns="${G}">t</Token><Key xmlns="${G}">7</Key>`);
    expect([standsFor(Credential, token!), standsFor(Credential, key!), standsFor(Token, token!), standsFor(Token, key!)]).toEqual([true, true, true, false]);
  });

  it("a received fault whose detail is a member is the declared fault, its detail decoded as that member", () => {
    const Fail = operation<{ Text: string }, { Text: string }, unknown, unknown, { Refused: unknown }>({ name: "Fail", soapAction: "", style: "document-literal-wrapped", input: Ask, output: AskResponse, faults: [{ name: "Refused", element: Credential }] });
    const fault = (detail: string) => new SoapFault("Client", "no", { detail: at(detail) });
    expect(withDeclaredDetail(fault(`<Key xmlns="${G}">7</Key>`), Fail, undefined)).toMatchObject({ declared: "Refused", detailValue: { $element: "Key", $value: 7 } });
    expect(withDeclaredDetail(fault(`<Credential xmlns="${G}">c</Credential>`), Fail, undefined).declared).toBeUndefined();
    expect(withDeclaredDetail(fault(`<Other xmlns="${G}">c</Other>`), Fail, undefined).declared).toBeUndefined();
  });
});
