/**
 * The ceiling of the WS-Security benchmark: a bare `node:http` server that does, per request,
 * the two RSA operations a signed round trip cannot avoid and nothing else. It reads the request
 * body (and ignores it: no XML), verifies one RSA-2048 signature of a fixed 1 KB buffer with MPay's
 * public key, signs the same buffer with the provider's private key, and answers a fixed
 * 2,048-byte body carrying that signature. Both keys are pre-loaded KeyObjects; SHA-1 as in the
 * contract's policy (rsa-sha1); the cost is the RSA arithmetic either way.
 *
 *   node bench/peers/rsa-ceiling.ts [--port <port>] --key <provider-key.pem> --pin <mpay.pem> --pin-key <mpay-key.pem>
 *
 * `--pin-key` is used once at start-up to make the signature that every request then verifies.
 * Prints its URL on the first line.
 */
import { createPrivateKey, sign, verify, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, key: { type: "string" }, pin: { type: "string" }, "pin-key": { type: "string" } } });
if (values.key === undefined || values.pin === undefined || values["pin-key"] === undefined) {
  process.stderr.write("usage: rsa-ceiling.ts [--port <port>] --key <provider-key.pem> --pin <mpay.pem> --pin-key <mpay-key.pem>\n");
  process.exit(2);
}
const providerKey = createPrivateKey(readFileSync(values.key));
const mpayPublicKey = new X509Certificate(readFileSync(values.pin)).publicKey;
/** The 1 KB that MPay "signed" and the provider "signs" back. */
const DATA = Buffer.alloc(1024, "GetOrderDetails ORD-1001 DEMO01 ");
const REQUEST_SIGNATURE = sign("sha1", DATA, createPrivateKey(readFileSync(values["pin-key"])));
if (!verify("sha1", DATA, mpayPublicKey, REQUEST_SIGNATURE)) throw new Error("--pin-key is not the key of --pin");

const head = '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Signed>';
const middle = "</Signed><Pad>";
const tail = "</Pad></s:Body></s:Envelope>";
/** An RSA-2048 signature is 256 bytes, 344 in base64. */
const PAD = "x".repeat(2048 - head.length - 344 - middle.length - tail.length);

const server = createServer((req, res) => {
  req.on("data", () => undefined);
  req.on("end", () => {
    if (!verify("sha1", DATA, mpayPublicKey, REQUEST_SIGNATURE)) {
      res.writeHead(500).end();
      return;
    }
    const body = Buffer.from(head + sign("sha1", DATA, providerKey).toString("base64") + middle + PAD + tail, "latin1");
    res.writeHead(200, { "content-type": "text/xml; charset=utf-8", "content-length": body.length });
    res.end(body);
  });
});
server.listen(Number(values.port), "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ServiceProvider.svc\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
