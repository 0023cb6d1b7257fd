/**
 * `node --conditions=mpay-kit-source bench/signed-listener.ts [--requests 8000] [--rounds 3]`
 *
 * Our whole signed request path in one process, without the network: the generated
 * IServiceProvider listener with WS-Security on (verify the request against the CA and the pinned
 * MPay certificate with a replay cache, decode, call the example provider's OrderBook, encode,
 * sign the answer with RSA-SHA1 and an embedded certificate), fed distinct signed GetOrderDetails
 * requests through an in-memory request and response; next to the RSA arithmetic alone (one
 * verify and one sign with the same keys), which is what the ceiling of `npm run bench:signed`
 * pays besides node:http. "Above the RSA arithmetic" is what our XML and SOAP work costs; the
 * throughput target (70 % of the ceiling) allows about 0.43 × the ceiling's CPU per request for
 * it and for node:http's share of the larger messages. CPU time of this process, so other load
 * on the machine counts less than in wall-clock figures; run it pinned (`taskset -c 0`).
 *
 * Every request is distinct (signed beforehand in worker threads), as the replay cache demands;
 * the first half of each round warms up, the second half is measured.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sign, verify } from "node:crypto";
import { createServiceProviderHandler } from "@mpay-kit/mpay-service-provider";
import { loadCertificates, loadCredentials, TrustStore } from "@mpay-kit/runtime/security";
import { OrderBook } from "../examples/provider/src/order-book.ts";
import { builtInOrders } from "../examples/provider/src/orders.ts";
import { REQUEST_HEADERS } from "./request.ts";
import { makePki, poolBody, poolSize, signPool } from "./signed-request.ts";
import { numberOption } from "./lib/args.ts";

const { values } = parseArgs({ options: { requests: { type: "string", default: "8000" }, rounds: { type: "string", default: "3" } } });
const perRound = numberOption("requests", values.requests, 200, 200_000);
const rounds = numberOption("rounds", values.rounds, 1, 20);

const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** A request as node:http hands it over: headers, then the body in one chunk, then its end. */
class InMemoryRequest extends EventEmitter {
  readonly method = "POST";
  readonly url = "/ServiceProvider.svc";
  readonly complete = true;
  readonly headers: Record<string, string>;
  constructor(length: number) {
    super();
    this.headers = { ...REQUEST_HEADERS, "content-length": String(length) };
  }
  pause(): void {}
}

const dir = mkdtempSync(join(tmpdir(), "mpay-signed-listener-"));
try {
  const pki = await makePki(join(dir, "pki"));
  const pool = await signPool(pki, perRound * rounds, { ttlSeconds: 600 });
  const mpay = loadCredentials({ cert: pki.mpayCert, key: pki.mpayKey });
  const identity = loadCredentials({ cert: pki.providerCert, key: pki.providerKey });
  const pinned = loadCertificates(pki.mpayCert);
  const trust = new TrustStore({ anchors: loadCertificates(pki.ca), peers: pinned, pins: pinned });
  // As the example provider runs with --cert/--key/--trust/--pin (KeyInfo x509, the policy's RSA-SHA1).
  const listener = createServiceProviderHandler(new OrderBook(builtInOrders), { wsSecurity: { identity, trust, keyInfo: "x509" } });

  let answered: { status: number; bytes: number } | undefined;
  let done: () => void = () => undefined;
  const response = () =>
    Object.assign(new EventEmitter(), {
      headersSent: false,
      destroyed: false,
      writableFinished: false,
      status: 0,
      writeHead(status: number) {
        this.status = status;
        return this;
      },
      end(body: string) {
        answered = { status: this.status, bytes: body.length };
        done();
        return this;
      },
    });
  const exchange = (i: number) =>
    new Promise<void>((resolve) => {
      done = resolve;
      const body = poolBody(pool, i);
      const req = new InMemoryRequest(body.length);
      listener(req as unknown as IncomingMessage, response() as unknown as ServerResponse);
      req.emit("data", body);
      req.emit("end");
    });

  const data = Buffer.alloc(700, 1);
  const signature = sign("sha1", data, mpay.privateKey);
  const rows: { ours: number; rsa: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const first = r * perRound;
    const half = first + Math.floor(perRound / 2);
    for (let i = first; i < half; i++) await exchange(i);
    let t = cpu();
    for (let i = half; i < first + perRound; i++) {
      await exchange(i);
      if (answered?.status !== 200) throw new Error(`request ${i} was answered ${answered?.status}`);
    }
    const ours = (cpu() - t) / (first + perRound - half);
    t = cpu();
    for (let i = half; i < first + perRound; i++) {
      if (!verify("sha1", data, mpay.certificate.publicKey, signature)) throw new Error("the RSA check failed");
      sign("sha1", data, identity.privateKey);
    }
    rows.push({ ours, rsa: (cpu() - t) / (first + perRound - half) });
  }
  if (poolSize(pool) !== perRound * rounds) throw new Error("the pool is short");
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
  console.log(`signed GetOrderDetails through the whole listener, in process (CPU µs per request; ${rounds} rounds of ${perRound - Math.floor(perRound / 2)} measured requests; answer ${answered?.bytes} bytes)\n`);
  console.log("round   ours    RSA alone   above RSA");
  rows.forEach((row, i) => console.log(`${String(i + 1).padStart(5)}  ${row.ours.toFixed(1).padStart(6)}  ${row.rsa.toFixed(1).padStart(9)}  ${(row.ours - row.rsa).toFixed(1).padStart(10)}`));
  console.log(`median  ${median(rows.map((r) => r.ours)).toFixed(1).padStart(5)}  ${median(rows.map((r) => r.rsa)).toFixed(1).padStart(9)}  ${median(rows.map((r) => r.ours - r.rsa)).toFixed(1).padStart(10)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
