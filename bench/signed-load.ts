/**
 * The load generator of the WS-Security benchmark, run as its own process (bench/signed.ts pins
 * it to CPU 1):
 *
 *   node bench/signed-load.ts '<json SignedLoadConfig>'
 *
 * Reads a pool of pre-signed requests (bench/signed-request.ts) and sends each at most once:
 * autocannon's `requests` with a `setupRequest` that takes the next body of the pool, so every
 * request on every connection is a different signed message (a server with a replay cache
 * refuses a repeat). Four autocannon runs share one cursor through the pool: throughput
 * warm-up, throughput window (`measuring` / `measured` on stderr, for the server's CPU time),
 * then at one connection a latency warm-up and a latency window (`latency-measuring` /
 * `latency-measured`). Prints one JSON {@link SignedLoadResult} on stdout.
 *
 * When the pool runs out, a run without `cycle` stops at once and says so (`poolExhausted`):
 * the numbers of that run are not valid. With `cycle` (servers without a replay cache), the
 * cursor starts over.
 *
 * Latency percentiles come from every response time autocannon reports, in fractional ms (its
 * own histogram has 1 ms resolution).
 */
import { createRequire } from "node:module";
import type { LoadResult } from "./load.ts";
import { Samples } from "./lib/samples.ts";
import { poolBody, poolSize, readPool } from "./signed-request.ts";

export interface SignedLoadConfig {
  readonly url: string;
  readonly pool: { readonly bodies: string; readonly index: string };
  readonly poolSignedAt: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly latencyWarmupSeconds: number;
  readonly latencyDurationSeconds: number;
  /** Start the pool over when it runs out (only for servers that keep no replay cache). */
  readonly cycle: boolean;
}

export interface SignedLoadResult {
  readonly throughput: LoadResult;
  /** The single-connection run (absent when not asked for, or after the pool ran out). */
  readonly latency: LoadResult | undefined;
  readonly poolSize: number;
  /** Pool bodies handed to autocannon (some may be built but never sent when a run stops). */
  readonly poolUsed: number;
  /** The pool ran out in a run without `cycle`: the results are not valid. */
  readonly poolExhausted: boolean;
  /** Whether the pool was started over (with `cycle`). */
  readonly poolCycled: boolean;
}

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
  stop(): void;
}
interface RequestData {
  body?: Buffer | string;
  [key: string]: unknown;
}
type Autocannon = (
  options: {
    url: string;
    method: "POST";
    headers: Record<string, string>;
    connections: number;
    duration: number;
    timeout?: number;
    requests: readonly { method: "POST"; setupRequest: (request: RequestData) => RequestData }[];
  },
  callback: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as Autocannon;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "") as SignedLoadConfig;
  const pool = readPool(config.pool, config.poolSignedAt);
  const size = poolSize(pool);
  let cursor = 0;
  let used = 0;
  let exhausted = false;
  let cycled = false;
  let current: AutocannonInstance | undefined;

  const nextBody = (): Buffer => {
    if (cursor === size) {
      if (config.cycle) {
        cursor = 0;
        cycled = true;
      } else {
        // Sending a body again would be a replay: stop this run; its numbers are void.
        if (!exhausted) {
          exhausted = true;
          process.stderr.write(`signed-load: the pool of ${size} signed requests ran out\n`);
          setImmediate(() => current?.stop());
        }
        return poolBody(pool, size - 1);
      }
    }
    used++;
    return poolBody(pool, cursor++);
  };

  const run = (connections: number, seconds: number, onResponse?: (statusCode: number, ms: number) => void): Promise<AutocannonResult> =>
    new Promise((resolvePromise, reject) => {
      current = autocannon(
        {
          url: config.url,
          method: "POST",
          headers: { ...config.headers },
          connections,
          duration: seconds,
          timeout: 10,
          requests: [
            {
              method: "POST",
              setupRequest: (request) => {
                request.body = nextBody();
                return request;
              },
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolvePromise(result)),
      );
      if (onResponse !== undefined) current.on("response", (_client, statusCode, _bytes, ms) => onResponse(statusCode, ms));
    });

  const measure = async (connections: number, warmupSeconds: number, durationSeconds: number, marker: string): Promise<LoadResult> => {
    const warmup = warmupSeconds > 0 ? await run(connections, warmupSeconds) : undefined;
    process.stderr.write(`${marker}measuring\n`);
    const samples = new Samples();
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await run(connections, durationSeconds, (status, ms) => {
      if (status >= 200 && status < 300) samples.add(ms);
    });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    process.stderr.write(`${marker}measured\n`);
    return {
      requestsPerSecond: Math.round(result.requests.average),
      totalRequests: result.requests.total,
      warmupRequests: warmup?.requests.total ?? 0,
      durationSeconds: result.duration,
      latencyMs: samples.summary(),
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      bytesPerSecond: Math.round(result.throughput.average),
      loadGeneratorCpu: Math.round(((cpu.user + cpu.system) / 1e6 / elapsed) * 100) / 100,
    };
  };

  const throughput = await measure(config.connections, config.warmupSeconds, config.durationSeconds, "");
  // No single-connection run after an exhausted pool (it would only send replays) or when none is asked for.
  const latency = exhausted || config.latencyDurationSeconds === 0 ? undefined : await measure(1, config.latencyWarmupSeconds, config.latencyDurationSeconds, "latency-");
  const out: SignedLoadResult = { throughput, latency, poolSize: size, poolUsed: used, poolExhausted: exhausted, poolCycled: cycled };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
