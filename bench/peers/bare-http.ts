/**
 * The ceiling: a bare `node:http` server that reads the request body and answers every POST
 * with the same fixed 1 KB XML body. No parsing, no routing, no serialization.
 *
 *   node bench/peers/bare-http.ts [--port <port>]
 *
 * prints its URL on the first line.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";

const head = '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Pad>';
const tail = "</Pad></s:Body></s:Envelope>";
/** Exactly 1024 bytes. */
export const BODY = Buffer.from(head + "x".repeat(1024 - head.length - tail.length) + tail, "utf8");

const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
const server = createServer((req, res) => {
  req.on("data", () => undefined);
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/xml; charset=utf-8", "content-length": BODY.length });
    res.end(BODY);
  });
});
server.listen(Number(values.port), "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ServiceProvider.svc\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
