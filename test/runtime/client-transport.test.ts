/**
 * The client's built-in transport against small local HTTP servers: size limits whether or not the
 * answer declares its length, connection reuse and limits, close(), a caller-supplied fetch, and
 * the server helper's close() with a request still running.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { builtin, complexType, element, operation, service, SoapClient, createSoapRequestHandler } from "../../runtime/src/codegen/v1/index.ts";
import { TransportError } from "../../runtime/src/errors.ts";
import { listenSoap, type RunningSoapServer } from "../../runtime/src/transport/server.ts";

const NS = "urn:echo";
const Say = element("Say", NS, () => complexType(`{${NS}}Say`, [element("Text", NS, () => builtin("string"))]));
const SayResponse = element("SayResponse", NS, () => complexType(`{${NS}}SayResponse`, [element("Text", NS, () => builtin("string"))]));
const Echo = service({
  name: "Echo",
  port: "EchoPort",
  namespace: NS,
  soapVersion: "1.1",
  address: "http://localhost/echo",
  documents: [],
  operations: {
    Say: operation<{ Text: string }, { Text: string }>({ name: "Say", soapAction: "urn:echo/Say", style: "document-literal-wrapped", input: Say, output: SayResponse }),
  },
});
const answer = (text: string) =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><SayResponse xmlns="${NS}"><Text>${text}</Text></SayResponse></s:Body></s:Envelope>`;

const echo = createSoapRequestHandler(Echo, {
  Say: (input: { Text: string }) => (input.Text === "hang" ? new Promise(() => undefined) : input.Text === "slow" ? new Promise((done) => setTimeout(() => done(input), 50)) : input),
} as never);

const running: RunningSoapServer[] = [];
afterAll(() => Promise.all(running.map((r) => r.close(100))));

/** A server counting its TCP connections. */
async function counted(listener: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = await listenSoap(listener);
  running.push(server);
  const sockets: Socket[] = [];
  server.server.on("connection", (socket: Socket) => sockets.push(socket));
  return { ...server, sockets };
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe("client transport", () => {
  it("refuses an answer over maxResponseBytes, declared or streamed", async () => {
    const big = answer("x".repeat(5000));
    const server = await counted((request, response) => {
      request.resume();
      if (request.url === "/declared") response.writeHead(200, { "content-type": "text/xml", "content-length": Buffer.byteLength(big) });
      else response.writeHead(200, { "content-type": "text/xml" }); // chunked: the length shows while reading
      response.end(big);
    });
    for (const path of ["declared", "streamed"]) {
      const client = new SoapClient(Echo, { endpoint: `${server.url}${path}`, maxResponseBytes: 4096 });
      const error = await failureOf(client.call(Echo.operations.Say, { Text: "a" }));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ problem: "protocol", status: 200, message: "the response is larger than the 4096-byte limit" });
      await client.close();
    }
    const roomy = new SoapClient(Echo, { endpoint: `${server.url}streamed`, maxResponseBytes: 8192 });
    await expect(roomy.call(Echo.operations.Say, { Text: "a" })).resolves.toEqual({ Text: "x".repeat(5000) });
    await roomy.close();
  });

  it("reuses its connections across calls, and close() ends them", async () => {
    const server = await counted(echo);
    const client = new SoapClient(Echo, { endpoint: server.url });
    for (let i = 0; i < 5; i++) await expect(client.call(Echo.operations.Say, { Text: `call ${i}` })).resolves.toEqual({ Text: `call ${i}` });
    // undici's pool frees a connection a moment after its answer is read, so a call that follows
    // at once may open a second one; never one per call.
    expect(server.sockets.length).toBeLessThanOrEqual(2);
    await client.close();
    await new Promise((done) => setTimeout(done, 50));
    expect(server.sockets.every((socket) => socket.destroyed)).toBe(true);
    const error = await failureOf(client.call(Echo.operations.Say, { Text: "after" }));
    expect(error).toMatchObject({ problem: "network", message: "the client is closed" });
  });

  it("keeps to one connection with maxConnections: 1", async () => {
    const server = await counted(echo);
    const client = new SoapClient(Echo, { endpoint: server.url, maxConnections: 1 });
    for (let i = 0; i < 5; i++) await client.call(Echo.operations.Say, { Text: `call ${i}` });
    await Promise.all(Array.from({ length: 4 }, () => client.call(Echo.operations.Say, { Text: "slow" })));
    expect(server.sockets).toHaveLength(1);
    await client.close();
  });

  it("opens at most maxConnections connections", async () => {
    const server = await counted(echo);
    const client = new SoapClient(Echo, { endpoint: server.url, maxConnections: 2 });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => client.call(Echo.operations.Say, { Text: i % 2 === 0 ? "slow" : `n${i}` })));
    expect(answers).toHaveLength(8);
    expect(server.sockets.length).toBe(2);
    await client.close();
  });

  it("sends through a caller's fetch when given one, as before", async () => {
    const server = await counted(echo);
    const seen: string[] = [];
    const client = new SoapClient(Echo, {
      endpoint: server.url,
      fetch: (input, init) => {
        seen.push(String(input));
        return globalThis.fetch(input, init);
      },
    });
    await expect(client.call(Echo.operations.Say, { Text: "via fetch" })).resolves.toEqual({ Text: "via fetch" });
    expect(seen).toEqual([server.url]);
  });

  it("aborts a call in flight with the caller's signal", async () => {
    const server = await counted(echo);
    const client = new SoapClient(Echo, { endpoint: server.url });
    const controller = new AbortController();
    const call = failureOf(client.call(Echo.operations.Say, { Text: "hang" }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    expect(await call).toMatchObject({ problem: "aborted" });
    await client.close();
  });
});

describe("listenSoap close()", () => {
  it("closes a connection whose request is still running once the grace time is over", async () => {
    const server = await listenSoap(echo);
    const client = new SoapClient(Echo, { endpoint: server.url, timeoutMs: 10_000 });
    const call = failureOf(client.call(Echo.operations.Say, { Text: "hang" }));
    await new Promise((done) => setTimeout(done, 50));
    const started = performance.now();
    await server.close(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(server.server.listening).toBe(false);
    expect(await call).toMatchObject({ problem: "network" });
    await client.close();
  });

  it("binds 127.0.0.1 by default and reports its URL", async () => {
    const server = await listenSoap(echo);
    running.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}/`);
    expect(server.port).toBe((server.server.address() as AddressInfo).port);
  });

  it("rejects when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, "127.0.0.1", done));
    const port = (taken.address() as AddressInfo).port;
    await expect(listenSoap(echo, { port })).rejects.toThrow(/EADDRINUSE/);
    taken.close();
  });
});
