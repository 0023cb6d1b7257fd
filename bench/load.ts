/**
 * The load generator, run as its own process (bench/run.ts pins it to CPU 1):
 *
 *   node bench/load.ts '<json LoadConfig>'
 *
 * Runs autocannon once for the warm-up (results discarded), prints `measuring` on stderr, runs
 * it again for the measured window, prints `measured` on stderr and one JSON `LoadResult` on stdout.
 *
 * Latency percentiles are computed here from every response time autocannon reports (in
 * fractional milliseconds): autocannon's own histogram has a 1 ms resolution, too coarse for
 * sub-millisecond answers on 127.0.0.1.
 */
import { createRequire } from "node:module";
import { Samples, type LatencySummary } from "./lib/samples.ts";

export interface LoadConfig {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  /** Average of the per-second request counts in the measured window (autocannon's `requests.average`). */
  readonly requestsPerSecond: number;
  readonly totalRequests: number;
  /** Requests answered during the warm-up. */
  readonly warmupRequests: number;
  readonly durationSeconds: number;
  readonly latencyMs: LatencySummary;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Response bytes per second (autocannon's `throughput.average`). */
  readonly bytesPerSecond: number;
  /** CPU used by this process in the measured window, as a fraction of one core. */
  readonly loadGeneratorCpu: number;
}

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  throughput: { average: number };
  latency: { max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
  stop(): void;
}
type Autocannon = (
  options: {
    url: string;
    method: "POST";
    body: string;
    headers: Record<string, string>;
    connections: number;
    duration: number;
    timeout?: number;
  },
  callback: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as Autocannon;

function run(config: LoadConfig, seconds: number, onResponse?: (statusCode: number, ms: number) => void): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: config.url, method: "POST", body: config.body, headers: { ...config.headers }, connections: config.connections, duration: seconds, timeout: 10 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onResponse !== undefined) instance.on("response", (_client, statusCode, _bytes, ms) => onResponse(statusCode, ms));
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "") as LoadConfig;
  const warmup = config.warmupSeconds > 0 ? await run(config, config.warmupSeconds) : undefined;
  process.stderr.write("measuring\n");
  const samples = new Samples(1 << 20);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await run(config, config.durationSeconds, (status, ms) => {
    if (status >= 200 && status < 300) samples.add(ms);
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  process.stderr.write("measured\n");
  const out: LoadResult = {
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
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
