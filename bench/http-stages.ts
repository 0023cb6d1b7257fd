/**
 * `taskset -c 0 node --conditions=mpay-kit-source bench/http-stages.ts [--requests 2000] [--rounds 16]`
 *
 * Where our server's microseconds go once node:http and a loopback socket are involved: several
 * servers in this one process, each answering the benchmark's GetOrderDetails request over its
 * own keep-alive connection from a raw client in the same process, one request at a time. The
 * servers differ by one stage each:
 *
 *   fixed answer    reads the body, sends our exact answer (made once): node:http and the socket
 *   + UTF-8 decode  ... after decoding the body as the listener does
 *   + direct reader ... and reading it as the listener does (no tree: runtime/src/soap/direct-read.ts),
 *                   then the example handler
 *   + encode        ... and encoding the handler's answer (what it sends)
 *   whole listener  the generated listener itself (createServiceProviderHandler), all checks
 *   full path       the "+ encode" server reading through the tree instead (parseXml, readEnvelope,
 *                   decodeElement): what signed requests, and any the direct reader is unsure of, take
 *   bare 1 KB       bench/peers/bare-http.ts's answer, for comparison with the throughput table
 *
 * Batches alternate between the servers; the table shows each one's CPU time per request, lower
 * quartile and median of the batches (client and server together: only the differences between
 * rows are the server's; the stage column is computed from the lower quartiles).
 * Compared with bench/micro.ts, this shows what each stage costs among node:http's own work
 * (caches, allocation), typically 1.5-2x its in-isolation figure. Bounded: rounds x requests.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { decodeElement, parseXml, readEnvelope, writeEnvelope } from "@mpay-kit/runtime";
import { createServiceProviderHandler, operations, ServiceProviderService, type GetOrderDetails } from "@mpay-kit/mpay-service-provider";
import { compileDirectReader } from "../runtime/src/soap/direct-read.ts";
import { encodeElementToByteString } from "../runtime/src/xsd/encode.ts";
import { OrderBook } from "../examples/provider/src/order-book.ts";
import { builtInOrders } from "../examples/provider/src/orders.ts";
import { SERVICE_PATH } from "./peers/node-soap-provider.ts";
import { REQUEST_BODY, REQUEST_HEADERS } from "./request.ts";

const { values } = parseArgs({ options: { requests: { type: "string", default: "2000" }, rounds: { type: "string", default: "16" } } });
const perBatch = Math.max(100, Math.min(100_000, Number(values.requests)));
const rounds = Math.max(2, Math.min(200, Number(values.rounds)));

const op = operations.GetOrderDetails;
const book = new OrderBook(builtInOrders);
const utf8 = new TextDecoder("utf-8", { fatal: true });
const directRead = compileDirectReader(ServiceProviderService, true)!;
const answer = writeEnvelope(encodeElementToByteString(op.output, book.GetOrderDetails({ query: { ServiceID: "DEMO01", OrderKey: "ORD-1001", Language: "ro" } })));
const bareBody = Buffer.alloc(1024, "x");

/** A listener that runs the pipeline up to `stage` and sends the answer it has (the fixed one before encoding); `tree`: read through the tree. */
function staged(stage: number, tree = false): RequestListener {
  return (req, res) => {
    let body: Buffer | undefined;
    req.on("data", (chunk: Buffer) => (body = body === undefined ? chunk : Buffer.concat([body, chunk])));
    req.on("end", () => {
      let out = answer;
      if (stage >= 1) {
        const text = utf8.decode(body);
        if (stage >= 2) {
          // (Both read the SOAPAction header, as the listener does: node:http builds req.headers on first use.)
          const action = req.headers.soapaction;
          const input = tree ? decodeElement<GetOrderDetails>(readEnvelope(parseXml(text)).payload!, op.input) : (directRead(text, action)!.input as GetOrderDetails);
          const output = book.GetOrderDetails(input);
          if (stage >= 3) out = writeEnvelope(encodeElementToByteString(op.output, output));
        }
      }
      res.writeHead(200, ["content-type", "text/xml; charset=utf-8", "content-length", out.length]);
      res.end(out, "latin1");
    });
  };
}

const servers: [string, RequestListener][] = [
  ["fixed answer", staged(0)],
  ["+ UTF-8 decode", staged(1)],
  ["+ direct reader (route, decode) and handler", staged(2)],
  ["+ encode (encodeElementToByteString, writeEnvelope)", staged(3)],
  ["whole listener (createServiceProviderHandler)", createServiceProviderHandler(book, { wsSecurity: false })],
  ["full path: parseXml, readEnvelope, decodeElement, handler, encode", staged(3, true)],
  [
    "bare 1 KB (bench/peers/bare-http.ts)",
    (req, res) => {
      req.on("data", () => undefined);
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/xml; charset=utf-8", "content-length": bareBody.length });
        res.end(bareBody);
      });
    },
  ],
];

const requestBytes = Buffer.from(
  `POST ${SERVICE_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(REQUEST_HEADERS)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}content-length: ${Buffer.byteLength(REQUEST_BODY)}\r\n\r\n${REQUEST_BODY}`,
);

/** A keep-alive connection that sends one request and waits for the whole answer (by its Content-Length). */
class Client {
  readonly socket: Socket;
  #expected = 0;
  #received = 0;
  #head = "";
  #done: (() => void) | undefined;
  text = "";
  constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (data: Buffer) => {
      this.#received += data.length;
      if (this.#expected === 0) {
        this.#head += data.toString("latin1");
        const end = this.#head.indexOf("\r\n\r\n");
        const length = /content-length: (\d+)\r\n/i.exec(this.#head);
        if (end >= 0 && length !== null) this.#expected = end + 4 + Number(length[1]);
        this.text = this.#head;
      }
      if (this.#expected > 0 && this.#received >= this.#expected) {
        this.#received -= this.#expected;
        const done = this.#done;
        this.#done = undefined;
        done?.();
      }
    });
  }
  request(): Promise<void> {
    return new Promise((resolve) => {
      this.#done = resolve;
      this.socket.write(requestBytes);
    });
  }
}

async function open(listener: RequestListener): Promise<{ server: Server; client: Client }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once("connect", resolve));
  return { server, client: new Client(socket) };
}

const quantile = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]!;

async function main(): Promise<void> {
  const opened = await Promise.all(servers.map(([, listener]) => open(listener)));
  // Check first: every SOAP server answers the order (the byte string is UTF-8, read as latin1 here).
  for (let s = 0; s < servers.length - 1; s++) {
    await opened[s]!.client.request();
    const text = Buffer.from(opened[s]!.client.text, "latin1").toString("utf8");
    if (!text.startsWith("HTTP/1.1 200") || !text.includes("<OrderKey>ORD-1001</OrderKey>")) throw new Error(`${servers[s]![0]} answered:\n${text.slice(0, 600)}`);
  }
  for (const { client } of opened) for (let i = 0; i < perBatch; i++) await client.request(); // warm-up
  const cpu: number[][] = servers.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = servers.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const s of order) {
      const client = opened[s]!.client;
      const before = process.cpuUsage();
      for (let i = 0; i < perBatch; i++) await client.request();
      const used = process.cpuUsage(before);
      cpu[s]!.push((used.user + used.system) / perBatch);
    }
  }
  // The lower quartile: other work on the machine only ever adds time, so it is the steadier figure.
  const low = cpu.map((xs) => quantile(xs, 0.25));
  const medians = cpu.map((xs) => quantile(xs, 0.5));
  const width = Math.max(...servers.map(([name]) => name.length));
  console.log(`GetOrderDetails(ORD-1001) over loopback keep-alive connections, client and server in this process;`);
  console.log(`${rounds} alternating batches of ${perBatch} requests: CPU µs per request (client included), lower quartile and median\n`);
  console.log(`${"server".padEnd(width)}  ${"p25".padStart(7)}  ${"median".padStart(7)}  ${"stage".padStart(7)}`);
  for (let s = 0; s < servers.length; s++) {
    const step = s >= 1 && s <= 4 ? (low[s]! - low[s - 1]!).toFixed(2) : "";
    console.log(`${servers[s]![0].padEnd(width)}  ${low[s]!.toFixed(2).padStart(7)}  ${medians[s]!.toFixed(2).padStart(7)}  ${step.padStart(7)}`);
  }
  console.log(`\nwhole listener - fixed answer: ${(low[4]! - low[0]!).toFixed(2)} µs per request (everything our server adds to node:http; lower quartiles)`);
  console.log(`full path - "+ encode" (reading through the tree instead of the direct reader): ${(low[5]! - low[3]!).toFixed(2)} µs per request`);
  for (const { server, client } of opened) {
    client.socket.destroy();
    server.close();
  }
}

await main();
