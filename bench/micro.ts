/**
 * `node --conditions=mpay-kit-source bench/micro.ts [--batches 9] [--scale 1]`
 *
 * The request pipeline of our server stage by stage, in one process, without the network:
 * what one GetOrderDetails(ORD-1001) costs in JavaScript, next to node-soap's whole
 * in-process pipeline (`Server.processRequest`) on the same request. Complements the
 * throughput benchmark (bench/run.ts), whose numbers include Node's HTTP and the kernel, and
 * is far less sensitive to other load on the machine. Run it pinned (`taskset -c 0`) for
 * steadier numbers.
 *
 * Each stage runs in batches (median reported) after a warm-up; loops are bounded.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import * as soap from "soap";
import { decodeElement, parseXml, readEnvelope, writeEnvelope } from "@mpay-kit/runtime";
// What the server sends: the answer as a byte string of its UTF-8 (not exported by the package).
import { encodeElementToByteString } from "../runtime/src/xsd/encode.ts";
import { compileDirectReader } from "../runtime/src/soap/direct-read.ts";
import { createServiceProviderHandler, operations, ServiceProviderService, type GetOrderDetails } from "@mpay-kit/mpay-service-provider";
import { OrderBook } from "../examples/provider/src/order-book.ts";
import { builtInOrders } from "../examples/provider/src/orders.ts";
import { nodeSoapServices, SERVICE_PATH, WSDL_PATH } from "./peers/node-soap-provider.ts";
import { REQUEST_BODY, REQUEST_HEADERS } from "./request.ts";

const { values } = parseArgs({ options: { batches: { type: "string", default: "9" }, scale: { type: "string", default: "1" } } });
const batches = Math.max(1, Math.min(50, Number(values.batches)));
const scale = Math.max(0.01, Math.min(100, Number(values.scale)));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

/** Median µs per call of a synchronous function. */
function sync(iterations: number, fn: () => unknown): number {
  const n = Math.max(10, Math.round(iterations * scale));
  for (let i = 0; i < n; i++) fn(); // warm-up
  const results: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    results.push(Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  return median(results);
}

/** Median µs per call of an asynchronous function, calls one after the other. */
async function serial(iterations: number, fn: () => Promise<unknown>, batchCount = batches): Promise<number> {
  const n = Math.max(10, Math.round(iterations * scale));
  for (let i = 0; i < n; i++) await fn();
  const results: number[] = [];
  for (let b = 0; b < batchCount; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    results.push(Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  return median(results);
}

// ----- our pipeline, stage by stage (what the runtime's listener does, minus HTTP)

const book = new OrderBook(builtInOrders);
const op = operations.GetOrderDetails;
const requestBytes = Buffer.from(REQUEST_BODY, "utf8");
const utf8 = new TextDecoder("utf-8", { fatal: true });
const doc = parseXml(REQUEST_BODY);
const envelope = readEnvelope(doc);
const input = decodeElement<GetOrderDetails>(envelope.payload!, op.input);
const output = book.GetOrderDetails(input);
// What the listener runs for this request (unsigned, routed by comparison): no tree.
const directRead = compileDirectReader(ServiceProviderService, true)!;

// ----- our whole request listener, with a minimal in-memory request and response

const listener = createServiceProviderHandler(book, { wsSecurity: false });
let lastStatus = 0;
let sentBody: Buffer | string | undefined;
let sentEncoding: BufferEncoding | undefined;
/** The last answer as text: a byte string (latin1) holds UTF-8 bytes. */
const lastBody = (): string =>
  sentBody === undefined ? "" : typeof sentBody === "string" && sentEncoding === "latin1" ? Buffer.from(sentBody, "latin1").toString("utf8") : sentBody.toString();
const requestHeaders = { ...REQUEST_HEADERS, "content-length": String(requestBytes.length) };
/** A minimal request: an emitter that delivers the body in one chunk on the next tick, as a socket does. */
function request(): IncomingMessage {
  const req = Object.assign(new EventEmitter(), { method: "POST", url: SERVICE_PATH, headers: requestHeaders, complete: true, pause() {} });
  process.nextTick(() => {
    req.emit("data", requestBytes);
    req.emit("end");
  });
  return req as unknown as IncomingMessage;
}
function exchange(): Promise<void> {
  return new Promise((resolve) => {
    const req = request();
    const res = Object.assign(new EventEmitter(), {
      headersSent: false,
      destroyed: false,
      writableFinished: false,
      writeHead(status: number) {
        lastStatus = status;
        return res;
      },
      end(body?: Buffer | string, encoding?: BufferEncoding) {
        // Kept as sent; read back as text only for the check (a socket copies, it does not decode).
        sentBody = body;
        sentEncoding = encoding;
        resolve();
        return res;
      },
    }) as unknown as ServerResponse;
    listener(req, res);
  });
}

/** The harness alone: the same in-memory request and response, drained and answered without SOAP. */
function harnessOnly(): Promise<void> {
  return new Promise((resolve) => {
    const req = request();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const res = Object.assign(new EventEmitter(), { end: () => resolve() });
      res.end();
    });
  });
}

// ----- node-soap's whole in-process pipeline (Server.processRequest: parse, route, handler, serialize)

const nodeSoap = await new Promise<soap.Server>((resolve, reject) => {
  const server: soap.Server = soap.listen(null, {
    path: SERVICE_PATH,
    services: nodeSoapServices(),
    xml: readFileSync(WSDL_PATH, "utf8"),
    uri: WSDL_PATH,
    callback: (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(server)),
  });
});
const nodeSoapRequest = { headers: { ...REQUEST_HEADERS }, url: SERVICE_PATH, method: "POST" };

async function main(): Promise<void> {
  await exchange();
  if (lastStatus !== 200 || !lastBody().includes("<OrderKey>ORD-1001</OrderKey>")) throw new Error(`our listener answered ${lastStatus}: ${lastBody().slice(0, 500)}`);
  const check = await nodeSoap.processRequest(REQUEST_BODY, nodeSoapRequest);
  if (check.statusCode !== 200 || !check.body.includes("<OrderKey>ORD-1001</OrderKey>")) throw new Error(`node-soap answered ${check.statusCode}: ${check.body.slice(0, 500)}`);

  if (directRead(REQUEST_BODY, REQUEST_HEADERS.soapaction) === undefined) throw new Error("the direct reader does not read the benchmark request");
  const rows: [string, number][] = [
    ["ours: UTF-8 decode of the request bytes", sync(50_000, () => utf8.decode(requestBytes))],
    ["ours: direct reader (request: route and decode, no tree)", sync(50_000, () => directRead(REQUEST_BODY, REQUEST_HEADERS.soapaction))],
    ["ours: OrderBook.GetOrderDetails (example handler)", sync(20_000, () => book.GetOrderDetails(input))],
    ["ours: encodeElementToByteString + writeEnvelope (response, as sent)", sync(20_000, () => writeEnvelope(encodeElementToByteString(op.output, output)))],
  ];
  const stages = rows.reduce((t, [, us]) => t + us, 0);
  rows.push(["ours: sum of the stages above", stages]);
  // The full path, which signed requests and anything the direct reader is unsure of take.
  rows.push(["ours, full path: parseXml (request)", sync(20_000, () => parseXml(REQUEST_BODY))]);
  rows.push(["ours, full path: readEnvelope + decodeElement (request)", sync(50_000, () => decodeElement(readEnvelope(doc).payload!, op.input))]);
  // The two whole pipelines alternate batch by batch, so that a change in machine speed hits both.
  const wholeOurs: number[] = [];
  const wholeTheirs: number[] = [];
  const ratios: number[] = [];
  for (let b = 0; b < batches; b++) {
    const o = await serial(3_000, exchange, 1);
    const t = await serial(3_000, () => nodeSoap.processRequest(REQUEST_BODY, nodeSoapRequest), 1);
    wholeOurs.push(o);
    wholeTheirs.push(t);
    ratios.push(t / o);
  }
  rows.push(["ours: whole listener (in-memory req/res)", median(wholeOurs)]);
  rows.push(["harness alone (in-memory req/res, drained)", await serial(10_000, harnessOnly)]);
  rows.push(["node-soap: Server.processRequest (whole pipeline)", median(wholeTheirs)]);

  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`GetOrderDetails(ORD-1001), in process, no network; median of ${batches} batches (µs per request)\n`);
  for (const [name, us] of rows) console.log(`${name.padEnd(width)}  ${us.toFixed(2).padStart(8)}`);
  console.log(`\nnode-soap / ours (JavaScript only, median of the per-batch ratios): ${median(ratios).toFixed(2)}x (range ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)})`);
}

await main();
