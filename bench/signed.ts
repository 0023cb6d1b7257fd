/**
 * `npm run bench:signed [-- options]`: signed GetOrderDetails round trips (verify the request,
 * sign the response), as docs/benchmarks-signed.md describes.
 *
 * Three servers, each alone in its own process pinned to CPU 0, one after the other:
 * - ours: the example provider as users run it with WS-Security on
 *   (`examples/provider/src/main.ts --cert --key --trust --pin`);
 * - node-soap with xml-crypto verifying and signing around it (bench/peers/node-soap-signed.ts);
 * - the ceiling: node:http doing one RSA-2048 verify and one RSA-2048 sign per request, no XML
 *   (bench/peers/rsa-ceiling.ts).
 * The load generator (bench/signed-load.ts, autocannon) runs pinned to CPU 1 and sends every
 * request of a pool of distinct requests signed as MPay signs them (bench/signed-request.ts)
 * at most once: 10 connections for throughput, then 1 connection for latency.
 *
 * Before each measurement, the server must answer a signed request correctly with an answer our
 * verifier accepts, and refuse a tampered one. Prints a table and the verdicts on the targets,
 * and writes bench/results/signed-latest.json.
 */
import { numberOption } from "./lib/args.ts";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { busyShare, cpuSeconds, cpuTimes, killAll, runToEnd, start, startServer, stop, waitExit, waitQuiet, type CpuTimes, type Server } from "./lib/processes.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import type { LoadResult } from "./load.ts";
import type { SignedLoadConfig, SignedLoadResult } from "./signed-load.ts";
import { makePki, poolBody, poolSize, signPool, SIGNED_REQUEST_HEADERS, tamper, verifySignedAnswer, writePool, type Pki, type RequestPool } from "./signed-request.ts";
import { machine, table, fmt } from "./lib/report.ts";
import { postOnce } from "./lib/http.ts";

const root = resolve(import.meta.dirname, "..");
const node = process.execPath;
const SERVER_CPU = "0";
const LOAD_CPU = "1";
/** Our server refuses a request whose Timestamp was created longer ago than this (its default). */
const SERVER_MAX_AGE_SECONDS = 300;
/** How long a measurement waits at most for the machine to be quiet before starting the server. */
const QUIET_WAIT_SECONDS = 60;

const TARGETS = { shareOfCeilingMin: 0.7, singleConnectionMedianMsMax: 0.9 } as const;

const USAGE = `usage: npm run bench:signed -- [options]

  --duration <s>          measured throughput window per server (default 10)
  --warmup <s>            warm-up before it (default 3)
  --connections <n>       connections for throughput (default 10)
  --latency-duration <s>  measured window at 1 connection (default 5; 0: none)
  --latency-warmup <s>    warm-up at 1 connection (default 1)
  --rounds <n>            repeat, servers alternating; the table shows each server's median round (default 1;
                          0: no measurement, e.g. only --profile)
  --servers <list>        comma-separated: ours,node-soap,ceiling (default: all three)
  --pool <n>              signed requests in the pool (default: enough for 3,600 req/s over the
                          throughput runs and 2,000 req/s over the single-connection runs)
  --ttl <s>               lifetime of the pool's Timestamps (default 600)
  --profile               also profile our server under the throughput load (node --cpu-prof)
  --profile-seconds <s>   load during the profile (default 8)
  --profile-servers <l>   servers to profile, comma-separated: ours,node-soap,ceiling (default: ours)
`;

function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

// ---------------------------------------------------------------------------------- servers

type ServerId = "ours" | "nodeSoap" | "ceiling";

interface ServerSpec {
  readonly id: ServerId;
  readonly label: string;
  readonly args: (pki: Pki) => string[];
  /** Verifies and signs SOAP (checked first: answers, signature, refusal of a tampered request). */
  readonly soap: boolean;
  /** Keeps a replay cache: each pool request may be sent to one process once only. */
  readonly refusesReplays: boolean;
}

const SERVERS: readonly ServerSpec[] = [
  {
    id: "ours",
    label: "ours (mpay-kit, WS-Security on)",
    args: (pki) => ["--conditions=mpay-kit-source", "examples/provider/src/main.ts", "--port", "0", "--cert", pki.providerCert, "--key", pki.providerKey, "--trust", pki.ca, "--pin", pki.mpayCert],
    soap: true,
    refusesReplays: true,
  },
  {
    id: "nodeSoap",
    label: `node-soap ${versionOf("soap")} + xml-crypto ${versionOf("xml-crypto")}`,
    args: (pki) => ["--conditions=mpay-kit-source", "bench/peers/node-soap-signed.ts", "--port", "0", "--cert", pki.providerCert, "--key", pki.providerKey, "--trust", pki.ca, "--pin", pki.mpayCert],
    soap: true,
    refusesReplays: false,
  },
  {
    id: "ceiling",
    label: "ceiling: node:http + RSA verify + sign",
    args: (pki) => ["bench/peers/rsa-ceiling.ts", "--port", "0", "--key", pki.providerKey, "--pin", pki.mpayCert, "--pin-key", pki.mpayKey],
    soap: false,
    refusesReplays: false,
  },
];

// ---------------------------------------------------------------------------------- requests


const isFault = (text: string) => /<(\w+:)?Fault[\s>]/.test(text);

/** A 200 with order ORD-1001 and its 150.00 total, not a fault. */
function checkOrderAnswer(name: string, status: number, text: string): void {
  const problems: string[] = [];
  if (status !== 200) problems.push(`HTTP ${status}`);
  if (isFault(text)) problems.push("a SOAP fault");
  if (!/<(\w+:)?OrderKey>ORD-1001<\//.test(text)) problems.push("no <OrderKey>ORD-1001</OrderKey>");
  if (!/<(\w+:)?TotalAmountDue>150\.00<\//.test(text)) problems.push("no <TotalAmountDue>150.00</TotalAmountDue>");
  if (problems.length > 0) throw new Error(`${name} does not answer a signed GetOrderDetails(ORD-1001) correctly (${problems.join(", ")}):\n${text.slice(0, 2000)}`);
}

interface CheckResult {
  readonly responseBytes: number;
  /** What our verifier found in the answer (SOAP servers). */
  readonly answerSignature?: { readonly algorithm: string; readonly keyInfo: string; readonly covered: number };
  readonly tamperedRefused?: { readonly status: number };
  /** Whether the same signed request sent again was refused (only asked of servers with a replay cache). */
  readonly replayRefused?: boolean;
}

/**
 * Check first: two signed requests answered correctly, each answer accepted by our verifier
 * (signed by the provider certificate, Body and Timestamp covered); a tampered request refused
 * with a fault; for a server with a replay cache, a repeat refused too.
 */
async function checkFirst(spec: ServerSpec, server: Server, checks: RequestPool, pki: Pki): Promise<CheckResult> {
  const first = poolBody(checks, 0).toString("utf8");
  if (!spec.soap) {
    let responseBytes = 0;
    for (let i = 0; i < 2; i++) {
      const { status, text } = await postOnce(server.url, first, SIGNED_REQUEST_HEADERS);
      if (status !== 200) throw new Error(`${spec.label} answered HTTP ${status}`);
      responseBytes = Buffer.byteLength(text);
    }
    return { responseBytes };
  }
  let responseBytes = 0;
  let answerSignature: CheckResult["answerSignature"];
  for (let i = 0; i < 2; i++) {
    const { status, text } = await postOnce(server.url, poolBody(checks, i).toString("utf8"), SIGNED_REQUEST_HEADERS);
    checkOrderAnswer(spec.label, status, text);
    try {
      const verified = verifySignedAnswer(text, pki);
      answerSignature = { algorithm: verified.algorithm, keyInfo: verified.keyInfo, covered: verified.covered.length };
    } catch (error) {
      throw new Error(`our verifier refuses the answer of ${spec.label}: ${(error as Error).message}\n${text.slice(0, 3000)}`);
    }
    responseBytes = Buffer.byteLength(text);
  }
  const tampered = await postOnce(server.url, tamper(poolBody(checks, 2).toString("utf8")), SIGNED_REQUEST_HEADERS);
  if (tampered.status === 200 || !isFault(tampered.text)) throw new Error(`${spec.label} did not refuse a tampered request (HTTP ${tampered.status}):\n${tampered.text.slice(0, 2000)}`);
  let replayRefused: boolean | undefined;
  if (spec.refusesReplays) {
    const again = await postOnce(server.url, first, SIGNED_REQUEST_HEADERS);
    replayRefused = again.status !== 200 && isFault(again.text);
    if (!replayRefused) throw new Error(`${spec.label} accepted the same signed request twice`);
  }
  return { responseBytes, ...(answerSignature === undefined ? {} : { answerSignature }), tamperedRefused: { status: tampered.status }, ...(replayRefused === undefined ? {} : { replayRefused }) };
}

// ------------------------------------------------------------------------------------- pool

interface PoolFiles {
  readonly pool: RequestPool;
  readonly files: { readonly bodies: string; readonly index: string };
}

interface PoolSettings {
  readonly pki: Pki;
  /** Where the pool's files go. */
  readonly dir: string;
  readonly size: number;
  readonly ttlSeconds: number;
  /** The oldest a pool may be when a measurement starts. */
  readonly maxAgeSeconds: number;
}

/** The pool of signed requests, re-signed when it is too old for another measurement. */
class Pools {
  #current: PoolFiles | undefined;
  readonly #settings: PoolSettings;
  constructor(settings: PoolSettings) {
    this.#settings = settings;
  }

  get ttlSeconds(): number {
    return this.#settings.ttlSeconds;
  }

  /** The current pool if young enough for a whole measurement, else a newly signed one. */
  async fresh(): Promise<PoolFiles> {
    const { pki, dir, size, ttlSeconds, maxAgeSeconds } = this.#settings;
    if (this.#current !== undefined && (Date.now() - this.#current.pool.signedAt) / 1000 <= maxAgeSeconds) return this.#current;
    this.#current = undefined;
    const started = Date.now();
    process.stdout.write(`    signing a pool of ${fmt(size)} requests (worker threads on both CPUs) ...`);
    const pool = await signPool(pki, size, { ttlSeconds });
    const files = writePool(dir, pool);
    process.stdout.write(` ${((Date.now() - started) / 1000).toFixed(1)} s, ${fmt(pool.bytes.length / poolSize(pool))} bytes each\n`);
    this.#current = { pool, files };
    return this.#current;
  }
}

// -------------------------------------------------------------------------------------- load

interface WindowCpu {
  /** CPU used by the server process in the window, as a fraction of one core. */
  readonly serverCpu: number | undefined;
  readonly serverCpuBusy: number | undefined;
  readonly loadCpuBusy: number | undefined;
}

interface Sampler {
  onMarker(stderr: string): void;
  window(marker: string): WindowCpu;
}

/** Samples the server's CPU time and both CPUs' busy shares at the load generator's window markers. */
function sampler(serverPid: number | undefined, markers: readonly string[]): Sampler {
  const seen = new Map<string, { cpu: number | undefined; times: CpuTimes; wall: bigint }>();
  return {
    onMarker(stderr) {
      for (const m of markers) {
        if (!seen.has(m) && stderr.includes(`\n${m}\n`)) seen.set(m, { cpu: cpuSeconds(serverPid), times: cpuTimes(), wall: process.hrtime.bigint() });
      }
    },
    window(marker) {
      const a = seen.get(`${marker}measuring`);
      const b = seen.get(`${marker}measured`);
      if (a === undefined || b === undefined) return { serverCpu: undefined, serverCpuBusy: undefined, loadCpuBusy: undefined };
      const wall = Number(b.wall - a.wall) / 1e9;
      const serverCpu = a.cpu !== undefined && b.cpu !== undefined && wall > 0 ? Math.round(((b.cpu - a.cpu) / wall) * 100) / 100 : undefined;
      return { serverCpu, serverCpuBusy: busyShare(a.times, b.times, `cpu${SERVER_CPU}`), loadCpuBusy: busyShare(a.times, b.times, `cpu${LOAD_CPU}`) };
    },
  };
}

interface LoadOutcome {
  readonly load: SignedLoadResult;
  readonly throughputCpu: WindowCpu;
  readonly latencyCpu: WindowCpu;
}

async function runLoad(config: SignedLoadConfig, serverPid: number | undefined): Promise<LoadOutcome> {
  const child = start("taskset", ["-c", LOAD_CPU, node, "--conditions=mpay-kit-source", "bench/signed-load.ts", JSON.stringify(config)], { cwd: root });
  let stdout = "";
  let stderr = "\n";
  const cpu = sampler(serverPid, ["measuring", "measured", "latency-measuring", "latency-measured"]);
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    cpu.onMarker(stderr);
  });
  const seconds = config.warmupSeconds + config.durationSeconds + config.latencyWarmupSeconds + config.latencyDurationSeconds;
  const code = await waitExit(child, (seconds + 90) * 1000);
  if (code !== 0) throw new Error(`the load generator failed (exit ${code}): ${stderr}`);
  const load = JSON.parse(stdout.trim().split("\n").pop()!) as SignedLoadResult;
  return { load, throughputCpu: cpu.window(""), latencyCpu: cpu.window("latency-") };
}

// -------------------------------------------------------------------------------- measuring

interface Measurement {
  readonly server: string;
  readonly check: CheckResult;
  readonly throughput: LoadResult & WindowCpu & { readonly contended: boolean; readonly cpuMicrosecondsPerRequest: number | undefined };
  readonly latency: (LoadResult & WindowCpu & { readonly contended: boolean; readonly cpuMicrosecondsPerRequest: number | undefined }) | undefined;
  readonly machineBusyBefore: number;
  readonly poolUsed: number;
  readonly poolSize: number;
  readonly poolAgeSeconds: number;
}

const isContended = (r: WindowCpu & { loadGeneratorCpu: number }) => (r.serverCpuBusy ?? 0) - (r.serverCpu ?? 0) > 0.1 || (r.loadCpuBusy ?? 0) - r.loadGeneratorCpu > 0.1;
const usPerRequest = (serverCpu: number | undefined, rps: number) => (serverCpu === undefined || rps <= 0 ? undefined : Math.round((serverCpu / rps) * 1e6 * 10) / 10);

interface Options {
  readonly warmup: number;
  readonly duration: number;
  readonly connections: number;
  readonly latencyWarmup: number;
  readonly latencyDuration: number;
}

async function measure(spec: ServerSpec, pki: Pki, pools: Pools, options: Options): Promise<Measurement> {
  const { pool, files } = await pools.fresh();
  // Three requests for the checks, signed apart from the pool (a server with a replay cache must not see pool requests twice).
  const checks = await signPool(pki, 3, { ttlSeconds: pools.ttlSeconds, threads: 1 });
  const quiet = await waitQuiet(QUIET_WAIT_SECONDS, 0.1, (busy) => process.stdout.write(`    (machine ${Math.round(busy * 100)} % busy, waiting up to ${QUIET_WAIT_SECONDS} s)\n`));
  const server = await startServer("taskset", ["-c", SERVER_CPU, node, ...spec.args(pki)], { cwd: root });
  try {
    const check = await checkFirst(spec, server, checks, pki);
    const poolAgeSeconds = Math.round((Date.now() - pool.signedAt) / 1000);
    const config: SignedLoadConfig = {
      url: server.url,
      pool: files,
      poolSignedAt: pool.signedAt,
      headers: SIGNED_REQUEST_HEADERS,
      connections: options.connections,
      warmupSeconds: options.warmup,
      durationSeconds: options.duration,
      latencyWarmupSeconds: options.latencyWarmup,
      latencyDurationSeconds: options.latencyDuration,
      cycle: !spec.refusesReplays,
    };
    const { load, throughputCpu, latencyCpu } = await runLoad(config, server.child.pid);
    if (load.poolExhausted) {
      throw new Error(`${spec.label} answered more requests than the pool holds (${fmt(load.poolSize)}): the run is void; raise --pool`);
    }
    const t = load.throughput;
    const l = load.latency;
    return {
      server: spec.label,
      check,
      throughput: {
        ...t,
        ...throughputCpu,
        contended: isContended({ ...throughputCpu, loadGeneratorCpu: t.loadGeneratorCpu }),
        cpuMicrosecondsPerRequest: usPerRequest(throughputCpu.serverCpu, t.requestsPerSecond),
      },
      latency:
        l === undefined
          ? undefined
          : {
              ...l,
              ...latencyCpu,
              contended: isContended({ ...latencyCpu, loadGeneratorCpu: l.loadGeneratorCpu }),
              cpuMicrosecondsPerRequest: usPerRequest(latencyCpu.serverCpu, l.requestsPerSecond),
            },
      machineBusyBefore: quiet.busy,
      poolUsed: load.poolUsed,
      poolSize: load.poolSize,
      poolAgeSeconds,
    };
  } finally {
    await stop(server.child);
  }
}

async function profileServer(spec: ServerSpec, pki: Pki, pools: Pools, seconds: number, connections: number, stamp: string): Promise<{ file: string; load: LoadResult; summary: ProfileSummary }> {
  const dir = join(root, "bench/results", `profile-signed-${stamp}-${spec.id}`);
  mkdirSync(dir, { recursive: true });
  const { pool, files } = await pools.fresh();
  const checks = await signPool(pki, 3, { ttlSeconds: pools.ttlSeconds, threads: 1 });
  const server = await startServer("taskset", ["-c", SERVER_CPU, node, "--cpu-prof", "--cpu-prof-dir", dir, ...spec.args(pki)], { cwd: root });
  let load: LoadOutcome;
  try {
    await checkFirst(spec, server, checks, pki);
    load = await runLoad(
      {
        url: server.url,
        pool: files,
        poolSignedAt: pool.signedAt,
        headers: SIGNED_REQUEST_HEADERS,
        connections,
        warmupSeconds: 1,
        durationSeconds: seconds,
        latencyWarmupSeconds: 0,
        latencyDurationSeconds: 0,
        cycle: !spec.refusesReplays,
      },
      server.child.pid,
    );
    if (load.load.poolExhausted) throw new Error("the pool ran out while profiling; raise --pool");
  } finally {
    await stop(server.child, 20_000);
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (file === undefined) throw new Error(`no .cpuprofile was written into ${dir}`);
  return { file: join(dir, file), load: load.load.throughput, summary: summarizeProfile(join(dir, file), root) };
}

// ------------------------------------------------------------------------------------ output



const verdict = (ok: boolean | undefined) => (ok === undefined ? "not measured" : ok ? "MET" : "MISSED");

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const defined = (xs: readonly (number | undefined)[]) => xs.filter((x): x is number => x !== undefined && Number.isFinite(x));

// -------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({
      options: {
        duration: { type: "string", default: "10" },
        warmup: { type: "string", default: "3" },
        connections: { type: "string", default: "10" },
        "latency-duration": { type: "string", default: "5" },
        "latency-warmup": { type: "string", default: "1" },
        rounds: { type: "string", default: "1" },
        servers: { type: "string", default: "ours,node-soap,ceiling" },
        pool: { type: "string" },
        ttl: { type: "string", default: "600" },
        profile: { type: "boolean", default: false },
        "profile-seconds": { type: "string", default: "8" },
        "profile-servers": { type: "string", default: "ours" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const number = numberOption;
  const options: Options = {
    duration: number("duration", values.duration, 1, 120),
    warmup: number("warmup", values.warmup, 0, 60),
    connections: Math.round(number("connections", values.connections, 1, 1000)),
    latencyDuration: number("latency-duration", values["latency-duration"], 0, 60),
    latencyWarmup: number("latency-warmup", values["latency-warmup"], 0, 60),
  };
  const rounds = Math.round(number("rounds", values.rounds, 0, 20));
  const ttl = Math.round(number("ttl", values.ttl, 60, 3600));
  const profileSeconds = number("profile-seconds", values["profile-seconds"], 1, 60);
  const measuredSeconds = options.warmup + options.duration + options.latencyWarmup + options.latencyDuration;
  // Upper bounds: one core signs about 3,500 RSA-2048 answers a second, so no server here can answer more.
  const defaultPool = Math.ceil(3_600 * (options.warmup + options.duration) + 2_000 * (options.latencyWarmup + options.latencyDuration) + 100);
  const poolCount = Math.round(number("pool", values.pool ?? String(defaultPool), 10, 1_000_000));
  // A measurement must end before the pool's first Timestamps reach our server's maximum age,
  // counting the wait for a quiet machine, the checks and the server's start (with a margin).
  const poolMaxAge = SERVER_MAX_AGE_SECONDS - QUIET_WAIT_SECONDS - measuredSeconds - 30;
  if (poolMaxAge < 10) {
    process.stderr.write(`the warm-ups and windows (${measuredSeconds} s) must leave a pool time to be used within ${SERVER_MAX_AGE_SECONDS} s of signing\n`);
    process.exit(2);
  }
  const ids: Record<string, ServerId> = { ours: "ours", "node-soap": "nodeSoap", ceiling: "ceiling" };
  const wanted = values.servers.split(",").map((s) => s.trim());
  if (wanted.length === 0 || wanted.some((w) => ids[w] === undefined)) {
    process.stderr.write("--servers takes a comma-separated list of ours, node-soap, ceiling\n");
    process.exit(2);
  }
  const servers = SERVERS.filter((s) => wanted.some((w) => ids[w] === s.id));
  const wantedProfiles = values["profile-servers"].split(",").map((s) => s.trim());
  if (wantedProfiles.some((w) => ids[w] === undefined)) {
    process.stderr.write("--profile-servers takes a comma-separated list of ours, node-soap, ceiling\n");
    process.exit(2);
  }
  const profiled = SERVERS.filter((s) => wantedProfiles.some((w) => ids[w] === s.id));

  const taskset = await runToEnd("taskset", ["-c", "0", "true"], { timeoutMs: 10_000 }).catch(() => ({ code: -1 }));
  if (taskset.code !== 0 || availableParallelism() < 2) throw new Error("this benchmark needs `taskset` and at least 2 CPUs (server on CPU 0, load on CPU 1)");

  const date = new Date();
  const stamp = date.toISOString().replace(/[:.]/g, "-");
  const info = machine();
  const head = await runToEnd("git", ["rev-parse", "--short", "HEAD"], { cwd: root, timeoutMs: 10_000 });
  const dirty = await runToEnd("git", ["status", "--porcelain", "--", "runtime", "generator", "generated", "examples"], { cwd: root, timeoutMs: 10_000 });
  const commit = head.code === 0 ? `${head.stdout.trim()}${dirty.stdout.trim() === "" ? "" : " (with uncommitted changes)"}` : "unknown";

  console.log(`mpay-kit signed round trips (WS-Security), ${date.toISOString()}`);
  console.log(`machine: ${info.nproc} CPUs (${info.cpuModel}), Node ${info.node}, Linux ${info.kernel}; commit ${commit}`);
  console.log(`GetOrderDetails(ORD-1001) signed as MPay signs (BinarySecurityToken, Timestamp, RSA-SHA1, exclusive C14N), every request distinct;`);
  console.log(
    `throughput: ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s measured; latency: 1 connection, ${options.latencyWarmup} s + ${options.latencyDuration} s;`,
  );
  console.log(`each server alone on CPU ${SERVER_CPU}, autocannon on CPU ${LOAD_CPU}.${rounds > 1 ? ` ${rounds} rounds, servers alternating; tables show each server's median round.` : ""}\n`);

  const work = mkdtempSync(join(tmpdir(), "mpay-bench-signed-"));
  const report: Record<string, unknown> = {
    date: date.toISOString(),
    commit,
    machine: info,
    config: { ...options, rounds, poolSize: poolCount, ttlSeconds: ttl, serverCpu: Number(SERVER_CPU), loadGeneratorCpu: Number(LOAD_CPU) },
    targets: TARGETS,
    versions: { soap: versionOf("soap"), xmlCrypto: versionOf("xml-crypto"), autocannon: versionOf("autocannon") },
  };
  try {
    const pki = await makePki(join(work, "pki"));
    const pools = new Pools({ pki, dir: work, size: poolCount, ttlSeconds: ttl, maxAgeSeconds: poolMaxAge });
    const all: Partial<Record<ServerId, Measurement[]>> = {};
    for (let round = 1; round <= rounds; round++) {
      for (const spec of servers) {
        process.stdout.write(`  ${rounds > 1 ? `round ${round}: ` : ""}measuring ${spec.label} ...\n`);
        const m = await measure(spec, pki, pools, options);
        (all[spec.id] ??= []).push(m);
        const t = m.throughput;
        process.stdout.write(
          `    ${fmt(t.requestsPerSecond)} req/s, ${fmt(t.cpuMicrosecondsPerRequest, 1)} µs CPU per request${m.latency === undefined ? "" : `; 1 connection: p50 ${fmt(m.latency.latencyMs.p50, 3)} ms`}` +
            `${t.contended || m.latency?.contended === true ? " (contended: other processes on CPU 0 or 1)" : ""}\n`,
        );
      }
    }

    if (rounds > 0) {
      const pick = (id: ServerId): Measurement | undefined => {
        const list = all[id];
        if (list === undefined) return undefined;
        return [...list].sort((x, y) => x.throughput.requestsPerSecond - y.throughput.requestsPerSecond)[(list.length - 1) >> 1];
      };
      const results = Object.fromEntries(servers.map((s) => [s.id, pick(s.id)!])) as Partial<Record<ServerId, Measurement>>;
      console.log();
      console.log(
        table(
          [
            "server",
            "req/s",
            "p50 ms",
            "p99 ms",
            "non-2xx",
            "errors",
            "resp bytes",
            "server CPU",
            "CPU0 busy",
            "load CPU",
            "CPU1 busy",
            "µs CPU/req",
            "1-conn req/s",
            "1-conn p50 ms",
            "1-conn p99 ms",
          ],
          servers.map((s) => {
            const r = results[s.id]!;
            const t = r.throughput;
            const l = r.latency;
            return [
              r.server,
              fmt(t.requestsPerSecond),
              fmt(t.latencyMs.p50, 3),
              fmt(t.latencyMs.p99, 3),
              fmt(t.non2xx + (l?.non2xx ?? 0)),
              fmt(t.errors + t.timeouts + (l === undefined ? 0 : l.errors + l.timeouts)),
              fmt(r.check.responseBytes),
              fmt(t.serverCpu, 2),
              fmt(t.serverCpuBusy, 2),
              fmt(t.loadGeneratorCpu, 2),
              fmt(t.loadCpuBusy, 2),
              fmt(t.cpuMicrosecondsPerRequest, 1),
              fmt(l?.requestsPerSecond),
              fmt(l?.latencyMs.p50, 3),
              fmt(l?.latencyMs.p99, 3),
            ];
          }),
        ),
      );
      console.log("(server CPU: the server process's CPU time over the throughput window, in cores; CPU0/CPU1 busy: the whole CPU, whoever used it;");
      console.log(" µs CPU/req: server CPU time per answered request; non-2xx and errors: both runs)");
      const contended = servers
        .flatMap((s) => all[s.id]!)
        .filter((m) => m.throughput.contended || m.latency?.contended === true)
        .map((m) => m.server);
      if (contended.length > 0) {
        console.log(`\nWARNING: other processes used CPU 0 or CPU 1 while measuring ${[...new Set(contended)].join(", ")}`);
        console.log("(CPU busy minus the process's own CPU > 0.10): requests per second are not reliable there; CPU time per request is more robust.");
      }

      // The comparisons: by requests per second (median rounds), and by CPU time per request (median over the rounds).
      const medianUs = (id: ServerId) => median(defined((all[id] ?? []).map((m) => m.throughput.cpuMicrosecondsPerRequest)));
      const { ours, nodeSoap, ceiling } = results;
      const shareByRps = ours !== undefined && ceiling !== undefined ? ours.throughput.requestsPerSecond / ceiling.throughput.requestsPerSecond : undefined;
      const shareByCpu = ours !== undefined && ceiling !== undefined ? medianUs("ceiling") / medianUs("ours") : undefined;
      const sharePerRound =
        all.ours !== undefined && all.ceiling !== undefined ? all.ours.map((o, i) => Math.round((o.throughput.requestsPerSecond / all.ceiling![i]!.throughput.requestsPerSecond) * 1000) / 1000) : [];
      const vsNodeSoapRps = ours !== undefined && nodeSoap !== undefined ? ours.throughput.requestsPerSecond / nodeSoap.throughput.requestsPerSecond : undefined;
      const vsNodeSoapCpu = ours !== undefined && nodeSoap !== undefined ? medianUs("nodeSoap") / medianUs("ours") : undefined;
      const oursP50 = all.ours === undefined ? undefined : median(defined(all.ours.map((m) => m.latency?.latencyMs.p50)));
      const oursP99 = all.ours === undefined ? undefined : median(defined(all.ours.map((m) => m.latency?.latencyMs.p99)));
      const metRps = shareByRps === undefined ? undefined : shareByRps >= TARGETS.shareOfCeilingMin;
      const metCpu = shareByCpu === undefined || Number.isNaN(shareByCpu) ? undefined : shareByCpu >= TARGETS.shareOfCeilingMin;
      const metLatency = oursP50 === undefined || Number.isNaN(oursP50) ? undefined : oursP50 < TARGETS.singleConnectionMedianMsMax;
      console.log();
      console.log(`server CPU per request (median over rounds): ${servers.map((s) => `${s.label} ${fmt(medianUs(s.id), 1)} µs`).join("; ")}`);
      if (shareByRps !== undefined) {
        console.log(
          `ours / ceiling by req/s: ${(shareByRps * 100).toFixed(1)} % (target >= ${TARGETS.shareOfCeilingMin * 100} %): ${verdict(metRps)}${rounds > 1 ? `; per round: ${sharePerRound.map((x) => `${(x * 100).toFixed(1)} %`).join(", ")}` : ""}`,
        );
      }
      if (shareByCpu !== undefined)
        console.log(`ours / ceiling by CPU per request (ceiling µs / ours µs): ${(shareByCpu * 100).toFixed(1)} % (target >= ${TARGETS.shareOfCeilingMin * 100} %): ${verdict(metCpu)}`);
      if (oursP50 !== undefined)
        console.log(`ours at 1 connection: median ${fmt(oursP50, 3)} ms, p99 ${fmt(oursP99, 3)} ms (target median < ${TARGETS.singleConnectionMedianMsMax} ms): ${verdict(metLatency)}`);
      if (vsNodeSoapRps !== undefined) console.log(`ours / node-soap + xml-crypto: ${vsNodeSoapRps.toFixed(1)}x by req/s, ${vsNodeSoapCpu?.toFixed(1)}x by CPU per request`);
      console.log();

      report.results = results;
      report.allRounds = all;
      report.summary = {
        cpuMicrosecondsPerRequest: Object.fromEntries(servers.map((s) => [s.id, Number.isFinite(medianUs(s.id)) ? medianUs(s.id) : null])),
        oursShareOfCeilingByRps: shareByRps === undefined ? null : Math.round(shareByRps * 1000) / 1000,
        oursShareOfCeilingByRpsPerRound: sharePerRound,
        oursShareOfCeilingByCpu: shareByCpu === undefined ? null : Math.round(shareByCpu * 1000) / 1000,
        oursSingleConnectionMs: oursP50 === undefined ? null : { p50: oursP50, p99: oursP99 },
        oursToNodeSoapByRps: vsNodeSoapRps === undefined ? null : Math.round(vsNodeSoapRps * 100) / 100,
        oursToNodeSoapByCpu: vsNodeSoapCpu === undefined ? null : Math.round(vsNodeSoapCpu * 100) / 100,
        targetThroughputMetByRps: metRps ?? null,
        targetThroughputMetByCpu: metCpu ?? null,
        targetLatencyMet: metLatency ?? null,
        contended: [...new Set(contended)],
      };
    }

    if (values.profile) {
      const profiles: Record<string, unknown> = {};
      for (const spec of profiled) {
        console.log(`Profile: ${spec.label} under the throughput load for ${profileSeconds} s with node --cpu-prof (CPU ${SERVER_CPU}).`);
        const p = await profileServer(spec, pki, pools, profileSeconds, options.connections, stamp);
        const answered = p.load.warmupRequests + p.load.totalRequests;
        const per = (ms: number, digits: number) => fmt((ms * 1000) / answered, digits);
        console.log(
          `  ${fmt(p.load.requestsPerSecond)} req/s while profiling; ${fmt(answered)} requests; busy ${fmt(p.summary.busyMs)} ms = ${per(p.summary.busyMs, 1)} µs per request (profiler overhead included)`,
        );
        console.log(`  profile: ${p.file}; percentages are of the busy time\n`);
        console.log(
          table(
            ["self time by area", "ms", "%", "µs/request"],
            p.summary.areas.map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1), per(f.ms, 1)]),
          ),
        );
        console.log();
        console.log(
          table(
            ["self time by file", "ms", "%", "µs/request"],
            p.summary.files.slice(0, 16).map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1), per(f.ms, 1)]),
          ),
        );
        console.log();
        console.log(
          table(
            ["top self time: function", "ms", "%", "µs/request"],
            p.summary.functions.slice(0, 25).map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1), per(f.ms, 2)]),
          ),
        );
        console.log();
        console.log(
          table(
            ["total (inclusive) time: function", "ms", "%", "µs/request"],
            p.summary.inclusive.slice(0, 30).map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1), per(f.ms, 2)]),
          ),
        );
        console.log();
        profiles[spec.id] = {
          file: p.file,
          requestsPerSecond: p.load.requestsPerSecond,
          requestsAnswered: answered,
          busyMicrosecondsPerRequest: Math.round(((p.summary.busyMs * 1000) / answered) * 10) / 10,
          ...p.summary,
        };
      }
      report.profiles = profiles;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const out = join(root, "bench/results");
  mkdirSync(out, { recursive: true });
  const file = join(out, "signed-latest.json");
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results: ${file}`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:signed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  killAll();
}
