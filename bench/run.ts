/**
 * `npm run bench [-- options]`: the benchmarks of docs/benchmarks.md, in one run.
 *
 * 1. Throughput of GetOrderDetails (ORD-1001): our server (the example provider: OrderBook
 *    behind createServiceProviderHandler) vs a node-soap server on the same WSDL and data, and
 *    a bare node:http server answering a fixed 1 KB body as the ceiling. Each server runs in its
 *    own process pinned to CPU 0, started once and loaded one at a time in short windows that
 *    alternate between the servers round after round; autocannon runs in another process pinned
 *    to CPU 1. The ratio is that of each server's best window (its full speed).
 * 2. Generation of the MPay package as a whole process: our generator CLI vs wsdl-tsclient on
 *    the same WSDL, wall time and peak RSS (GNU time), median of N runs.
 * 3. With --profile: a CPU profile of our server (and, with --profile-servers, of the others)
 *    under the same load, summarized by self time.
 *
 * Prints a table and the ratios against the targets, and writes bench/results/latest.json.
 */
import { numberOption } from "./lib/args.ts";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { busyShare, cpuSeconds, cpuTimes, killAll, runToEnd, startServer, start, stop, waitExit, waitQuiet, type CpuTimes, type Server } from "./lib/processes.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import type { LoadConfig, LoadResult } from "./load.ts";
import { REQUEST_BODY, REQUEST_HEADERS } from "./request.ts";
import { machine, table, fmt } from "./lib/report.ts";
import { postOnce } from "./lib/http.ts";

const root = resolve(import.meta.dirname, "..");
const node = process.execPath;
const WSDL = "wsdl/mpay/ServiceProvider.wsdl";
const SERVER_CPU = "0";
const LOAD_CPU = "1";

/** The installed version of a dev dependency, for the labels. */
function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

const TARGETS = { throughputRatioMin: 3, generationTimeRatioMax: 1, generationRssRatioMax: 1 } as const;

const USAGE = `usage: npm run bench -- [options]

  --duration <s>        measured window per server and round (default 4)
  --warmup <s>          warm-up before each measured window (default 8: a server idle since its
                        last window needs seconds of load to reach its steady speed again)
  --connections <n>     autocannon connections (default 10)
  --rounds <n>          rounds of one window per server, the order reversed every other round
                        (default 4); the ratio is that of each server's best window, the table
                        shows each server's median window
  --gen-runs <n>        timed runs per generator (default 5; one extra untimed warm-up run)
  --only <part>         throughput | generation (default: both)
  --servers <list>      throughput servers, comma-separated: ours,node-soap,bare (default: all three)
  --profile             also profile our server under load (node --cpu-prof) and summarize it
  --profile-seconds <s> load during the profile (default 5)
  --profile-servers <l> servers to profile, comma-separated: ours,node-soap,bare (default: ours)
`;

// ---------------------------------------------------------------------------------- requests


/** The answer must be a 200 with order ORD-1001 and its 150.00 total, not a fault. */
function checkOrderAnswer(name: string, status: number, text: string): void {
  const problems: string[] = [];
  if (status !== 200) problems.push(`HTTP ${status}`);
  if (/<(\w+:)?Fault[\s>]/.test(text)) problems.push("a SOAP fault");
  if (!/<(\w+:)?OrderKey>ORD-1001<\//.test(text)) problems.push("no <OrderKey>ORD-1001</OrderKey>");
  if (!/<(\w+:)?TotalAmountDue>150\.00<\//.test(text)) problems.push("no <TotalAmountDue>150.00</TotalAmountDue>");
  if (problems.length > 0) throw new Error(`${name} does not answer GetOrderDetails(ORD-1001) correctly (${problems.join(", ")}):\n${text.slice(0, 2000)}`);
}

// -------------------------------------------------------------------------------- throughput

interface ServerSpec {
  readonly id: "ours" | "nodeSoap" | "bare";
  readonly label: string;
  readonly args: readonly string[];
  readonly answersOrder: boolean;
}

const SERVERS: readonly ServerSpec[] = [
  { id: "ours", label: "ours (mpay-kit)", args: ["--conditions=mpay-kit-source", "examples/provider/src/main.ts", "--port", "0"], answersOrder: true },
  { id: "nodeSoap", label: `node-soap ${versionOf("soap")}`, args: ["--conditions=mpay-kit-source", "bench/peers/node-soap-provider.ts", "--port", "0"], answersOrder: true },
  { id: "bare", label: "bare node:http (1 KB)", args: ["bench/peers/bare-http.ts", "--port", "0"], answersOrder: false },
];

interface ThroughputResult extends LoadResult {
  readonly server: string;
  readonly responseBytes: number;
  /** CPU used by the server process in the measured window, as a fraction of one core. */
  readonly serverCpu: number | undefined;
  /** Busy share of the server's CPU and of the load generator's CPU in the measured window, whoever used them (steal included). */
  readonly serverCpuBusy: number | undefined;
  readonly loadCpuBusy: number | undefined;
  /** Busy share of the whole machine just before the server started (other work would skew the numbers). */
  readonly machineBusyBefore: number;
  /** Other processes used CPU 0 or CPU 1 during the window (busy share minus our process's > 0.10). */
  readonly contended: boolean;
}

const isContended = (r: { serverCpu: number | undefined; serverCpuBusy: number | undefined; loadGeneratorCpu: number; loadCpuBusy: number | undefined }) =>
  (r.serverCpuBusy ?? 0) - (r.serverCpu ?? 0) > 0.1 || (r.loadCpuBusy ?? 0) - r.loadGeneratorCpu > 0.1;

async function startPinned(args: readonly string[]): Promise<Server> {
  return startServer("taskset", ["-c", SERVER_CPU, node, ...args], { cwd: root });
}

/** Runs the load generator on CPU 1 against `url`; measures the server's CPU during the measured window. */
async function load(
  url: string,
  serverPid: number | undefined,
  warmupSeconds: number,
  durationSeconds: number,
  connections: number,
): Promise<LoadResult & { serverCpu: number | undefined; serverCpuBusy: number | undefined; loadCpuBusy: number | undefined }> {
  const config: LoadConfig = { url, body: REQUEST_BODY, headers: REQUEST_HEADERS, connections, warmupSeconds, durationSeconds };
  const child = start("taskset", ["-c", LOAD_CPU, node, "bench/load.ts", JSON.stringify(config)], { cwd: root });
  let stdout = "";
  let stderr = "";
  let cpuStart: number | undefined;
  let cpuEnd: number | undefined;
  let wallStart = 0n;
  let wallEnd = 0n;
  let timesStart: CpuTimes = new Map();
  let timesEnd: CpuTimes = new Map();
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  // The load generator says when its measured window starts and ends: sample the server's CPU time then.
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (cpuStart === undefined && stderr.includes("measuring\n")) {
      cpuStart = cpuSeconds(serverPid);
      timesStart = cpuTimes();
      wallStart = process.hrtime.bigint();
    }
    if (cpuEnd === undefined && stderr.includes("measured\n")) {
      cpuEnd = cpuSeconds(serverPid);
      timesEnd = cpuTimes();
      wallEnd = process.hrtime.bigint();
    }
  });
  const code = await waitExit(child, (warmupSeconds + durationSeconds + 60) * 1000);
  if (code !== 0) throw new Error(`the load generator failed (exit ${code}): ${stderr}`);
  const result = JSON.parse(stdout.trim().split("\n").pop()!) as LoadResult;
  const wall = Number(wallEnd - wallStart) / 1e9;
  const serverCpu = cpuStart !== undefined && cpuEnd !== undefined && wall > 0 ? Math.round(((cpuEnd - cpuStart) / wall) * 100) / 100 : undefined;
  return { ...result, serverCpu, serverCpuBusy: busyShare(timesStart, timesEnd, `cpu${SERVER_CPU}`), loadCpuBusy: busyShare(timesStart, timesEnd, `cpu${LOAD_CPU}`) };
}

/** Starts a server on CPU 0 and checks its answer twice (the second also shows that it keeps working). */
async function startChecked(spec: ServerSpec): Promise<{ server: Server; responseBytes: number }> {
  const server = await startPinned(spec.args);
  try {
    let responseBytes = 0;
    for (let i = 0; i < 2; i++) {
      const { status, text } = await postOnce(server.url, REQUEST_BODY, REQUEST_HEADERS);
      if (spec.answersOrder) checkOrderAnswer(spec.label, status, text);
      else if (status !== 200) throw new Error(`${spec.label} answered HTTP ${status}`);
      responseBytes = Buffer.byteLength(text);
    }
    return { server, responseBytes };
  } catch (error) {
    await stop(server.child);
    throw error;
  }
}

/** One window of load on a running server (the others idle, each in its own process). */
async function measureServer(
  spec: ServerSpec,
  running: { server: Server; responseBytes: number },
  options: { warmup: number; duration: number; connections: number },
): Promise<ThroughputResult> {
  const quiet = await waitQuiet(60, 0.1, (busy) => process.stdout.write(` (machine ${Math.round(busy * 100)} % busy, waiting up to 60 s)`));
  const result = await load(running.server.url, running.server.child.pid, options.warmup, options.duration, options.connections);
  return { server: spec.label, responseBytes: running.responseBytes, ...result, machineBusyBefore: quiet.busy, contended: isContended(result) };
}

// -------------------------------------------------------------------------------- generation

interface GenerationResult {
  readonly tool: string;
  readonly command: string;
  readonly runs: readonly { readonly wallSeconds: number; readonly peakRssKiB: number }[];
  readonly medianWallSeconds: number;
  readonly medianPeakRssMiB: number;
  readonly maxPeakRssMiB: number;
  readonly files: number;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countFiles(join(dir, entry.name));
    else if (entry.isFile() && statSync(join(dir, entry.name)).size > 0) n++;
  }
  return n;
}

/** One run under GNU time into a fresh output directory. */
async function timedRun(work: string, argsFor: (out: string) => string[]): Promise<{ wallSeconds: number; peakRssKiB: number; files: number; output: string }> {
  // A fresh folder whose name is a valid npm package name (our CLI names the package after it).
  const runDir = mkdtempSync(join(work, "run-"));
  const out = join(runDir, "mpay-service-provider");
  mkdirSync(out);
  const timeFile = join(work, "time.txt");
  rmSync(timeFile, { force: true });
  const { code, stdout, stderr } = await runToEnd("/usr/bin/time", ["-o", timeFile, "-f", "%e %M", node, ...argsFor(out)], { cwd: root, timeoutMs: 120_000 });
  if (code !== 0) throw new Error(`exit code ${code}\n${stderr.slice(-3000)}${stdout.slice(-1000)}`);
  const [wall, rss] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  const files = countFiles(out);
  if (files === 0) throw new Error(`wrote no files into ${out}`);
  rmSync(runDir, { recursive: true, force: true });
  return { wallSeconds: wall!, peakRssKiB: rss!, files, output: `${stdout}${stderr}` };
}

async function measureGenerator(tool: string, work: string, argsFor: (out: string) => string[], runs: number): Promise<GenerationResult> {
  await timedRun(work, argsFor); // warm-up: file cache, compile cache
  const samples: { wallSeconds: number; peakRssKiB: number }[] = [];
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const r = await timedRun(work, argsFor);
    samples.push({ wallSeconds: r.wallSeconds, peakRssKiB: r.peakRssKiB });
    files = r.files;
  }
  const rssMiB = samples.map((s) => s.peakRssKiB / 1024);
  return {
    tool,
    command: ["node", ...argsFor("<tmpdir>")].join(" "),
    runs: samples,
    medianWallSeconds: median(samples.map((s) => s.wallSeconds)),
    medianPeakRssMiB: Math.round(median(rssMiB) * 10) / 10,
    maxPeakRssMiB: Math.round(Math.max(...rssMiB) * 10) / 10,
    files,
  };
}

/** Our CLI: the built bin if `npm run build` succeeds, else the source entry point. */
async function ourGenerator(work: string): Promise<{ tool: string; argsFor: (out: string) => string[]; note: string }> {
  const bin = join(root, "generator/bin/mpay-codegen.js");
  const source = { tool: "mpay-codegen (source, type stripping)", argsFor: (out: string) => ["--conditions=mpay-kit-source", "generator/src/cli.ts", "generate", "--wsdl", WSDL, "--out", out] };
  const build = await runToEnd("npm", ["run", "build", "--workspace", "runtime", "--workspace", "generator"], { cwd: root, timeoutMs: 300_000 });
  if (build.code === 0 && existsSync(bin)) {
    const binary = { tool: "mpay-codegen (built bin)", argsFor: (out: string) => ["generator/bin/mpay-codegen.js", "generate", "--wsdl", WSDL, "--out", out] };
    try {
      await timedRun(work, binary.argsFor);
      return { ...binary, note: "measured generator/bin/mpay-codegen.js after npm run build" };
    } catch (error) {
      return { ...source, note: `the built bin failed (${(error as Error).message.replace(/\s+/g, " ").slice(0, 300)}); measured the source CLI instead` };
    }
  }
  const why = build.code !== 0 ? `npm run build failed (exit ${build.code}): ${build.stderr.trim().split("\n").slice(-3).join(" / ")}` : "generator/bin/mpay-codegen.js does not exist";
  return { ...source, note: `${why}; measured the source CLI (node --conditions=mpay-kit-source generator/src/cli.ts)` };
}

// ----------------------------------------------------------------------------------- profile

async function profileServer(spec: ServerSpec, seconds: number, connections: number, stamp: string): Promise<{ file: string; load: LoadResult; summary: ProfileSummary }> {
  const dir = join(root, "bench/results", `profile-${stamp}-${spec.id}`);
  mkdirSync(dir, { recursive: true });
  const server = await startPinned(["--cpu-prof", "--cpu-prof-dir", dir, ...spec.args]);
  let result: LoadResult;
  try {
    const { status, text } = await postOnce(server.url, REQUEST_BODY, REQUEST_HEADERS);
    if (spec.answersOrder) checkOrderAnswer(`${spec.label} (profiled)`, status, text);
    else if (status !== 200) throw new Error(`${spec.label} (profiled) answered HTTP ${status}`);
    result = await load(server.url, server.child.pid, 1, seconds, connections);
  } finally {
    // A graceful stop: the profile is written when the process exits.
    await stop(server.child, 20_000);
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (file === undefined) throw new Error(`no .cpuprofile was written into ${dir}`);
  return { file: join(dir, file), load: result, summary: summarizeProfile(join(dir, file), root) };
}

// ------------------------------------------------------------------------------------ output



const verdict = (ok: boolean) => (ok ? "MET" : "MISSED");

// -------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({
      options: {
        duration: { type: "string", default: "4" },
        warmup: { type: "string", default: "8" },
        connections: { type: "string", default: "10" },
        rounds: { type: "string", default: "4" },
        "gen-runs": { type: "string", default: "5" },
        only: { type: "string" },
        servers: { type: "string", default: "ours,node-soap,bare" },
        profile: { type: "boolean", default: false },
        "profile-seconds": { type: "string", default: "5" },
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
  const duration = number("duration", values.duration, 1, 600);
  const warmup = number("warmup", values.warmup, 0, 120);
  const connections = Math.round(number("connections", values.connections, 1, 1000));
  const rounds = Math.round(number("rounds", values.rounds, 1, 40));
  const genRuns = Math.round(number("gen-runs", values["gen-runs"], 1, 50));
  const profileSeconds = number("profile-seconds", values["profile-seconds"], 1, 120);
  if (values.only !== undefined && values.only !== "throughput" && values.only !== "generation") {
    process.stderr.write(`--only must be throughput or generation\n`);
    process.exit(2);
  }
  const doThroughput = values.only !== "generation";
  const ids: Record<string, ServerSpec["id"]> = { ours: "ours", "node-soap": "nodeSoap", bare: "bare" };
  const wanted = values.servers.split(",").map((s) => s.trim());
  const unknownServer = wanted.find((w) => ids[w] === undefined);
  if (unknownServer !== undefined || wanted.length === 0) {
    process.stderr.write(`--servers takes a comma-separated list of ours, node-soap, bare\n`);
    process.exit(2);
  }
  const servers = SERVERS.filter((s) => wanted.some((w) => ids[w] === s.id));
  const wantedProfiles = values["profile-servers"].split(",").map((s) => s.trim());
  if (wantedProfiles.some((w) => ids[w] === undefined)) {
    process.stderr.write(`--profile-servers takes a comma-separated list of ours, node-soap, bare\n`);
    process.exit(2);
  }
  const profiled = SERVERS.filter((s) => wantedProfiles.some((w) => ids[w] === s.id));
  const doGeneration = values.only !== "throughput";

  const taskset = await runToEnd("taskset", ["-c", "0", "true"], { timeoutMs: 10_000 }).catch(() => ({ code: -1 }));
  if (doThroughput && (taskset.code !== 0 || availableParallelism() < 2)) {
    throw new Error("the throughput benchmark needs `taskset` and at least 2 CPUs (server on CPU 0, load on CPU 1)");
  }
  if (doGeneration && !existsSync("/usr/bin/time")) throw new Error("the generation benchmark needs GNU time at /usr/bin/time");

  const date = new Date();
  const stamp = date.toISOString().replace(/[:.]/g, "-");
  const info = machine();
  const head = await runToEnd("git", ["rev-parse", "--short", "HEAD"], { cwd: root, timeoutMs: 10_000 });
  const dirty = await runToEnd("git", ["status", "--porcelain", "--", "runtime", "generator", "generated", "examples"], { cwd: root, timeoutMs: 10_000 });
  const commit = head.code === 0 ? `${head.stdout.trim()}${dirty.stdout.trim() === "" ? "" : " (with uncommitted changes)"}` : "unknown";
  const report: Record<string, unknown> = {
    date: date.toISOString(),
    commit,
    machine: info,
    config: { durationSeconds: duration, warmupSeconds: warmup, connections, rounds, generationRuns: genRuns, serverCpu: Number(SERVER_CPU), loadGeneratorCpu: Number(LOAD_CPU) },
    targets: TARGETS,
  };
  console.log(`mpay-kit benchmarks, ${date.toISOString()}`);
  console.log(`machine: ${info.nproc} CPUs (${info.cpuModel}), Node ${info.node}, Linux ${info.kernel}; commit ${commit}\n`);

  if (doThroughput) {
    console.log(`Throughput: GetOrderDetails(ORD-1001), ${connections} connections, windows of ${warmup} s warm-up + ${duration} s measured;`);
    console.log(`each server in its own process on CPU ${SERVER_CPU} (started once, loaded one at a time), autocannon in its own process on CPU ${LOAD_CPU}.`);
    if (rounds > 1) {
      console.log(`${rounds} rounds, each a window per server, the order reversed every other round: the machine's speed changes over`);
      console.log("tens of seconds, and slow phases only take throughput away: the ratio is that of each server's best window (its full");
      console.log("speed); the median of the per-round ratios is printed too. The table shows each server's median window.");
    }
    const all: Partial<Record<ServerSpec["id"], ThroughputResult[]>> = {};
    const running = new Map<ServerSpec["id"], { server: Server; responseBytes: number }>();
    try {
      for (const spec of servers) running.set(spec.id, await startChecked(spec));
      for (let round = 1; round <= rounds; round++) {
        const order = round % 2 === 0 ? [...servers].reverse() : servers;
        for (const spec of order) {
          process.stdout.write(`  ${rounds > 1 ? `round ${round}: ` : ""}measuring ${spec.label} ...`);
          const r = await measureServer(spec, running.get(spec.id)!, { warmup, duration, connections });
          (all[spec.id] ??= []).push(r);
          process.stdout.write(` ${fmt(r.requestsPerSecond)} req/s${r.contended ? " (contended: other processes on CPU 0 or 1)" : ""}\n`);
        }
      }
    } finally {
      for (const { server } of running.values()) await stop(server.child);
    }
    const results: Partial<Record<ServerSpec["id"], ThroughputResult>> = {};
    for (const spec of servers) {
      const list = [...all[spec.id]!].sort((x, y) => x.requestsPerSecond - y.requestsPerSecond);
      results[spec.id] = list[(list.length - 1) >> 1]!;
    }
    console.log();
    console.log(
      table(
        ["server", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "resp bytes", "server proc CPU", "CPU0 busy", "autocannon CPU", "CPU1 busy"],
        servers.map((s) => {
          const r = results[s.id]!;
          return [
            r.server,
            fmt(r.requestsPerSecond),
            fmt(r.latencyMs.p50, 3),
            fmt(r.latencyMs.p99, 3),
            fmt(r.non2xx),
            fmt(r.errors + r.timeouts),
            fmt(r.responseBytes),
            fmt(r.serverCpu, 2),
            fmt(r.serverCpuBusy, 2),
            fmt(r.loadGeneratorCpu, 2),
            fmt(r.loadCpuBusy, 2),
          ];
        }),
      ),
    );
    console.log("(server proc CPU: the server process's CPU time over the window, in cores; CPU0/CPU1 busy: the whole CPU, whoever used it)");
    // Other work on the two CPUs skews the comparison: say so when it happened.
    const contended = servers
      .flatMap((sp) => all[sp.id]!)
      .filter((r) => r.contended)
      .map((r) => r.server);
    if (contended.length > 0) {
      console.log(`\nWARNING: other processes used CPU 0 or CPU 1 during the measurement of ${[...new Set(contended)].join(", ")}`);
      console.log("(CPU busy minus the process's own CPU > 0.10): those numbers are not reliable; rerun on a quiet machine.");
    }
    // The machine's slow phases only ever take throughput away, and they come and go within a round
    // (a window of one server can fall in one while the next server's does not): each server's best
    // window is its full speed, and the ratio of the best windows is the figure. The median of the
    // per-round ratios is printed too.
    const best = (list: ThroughputResult[] | undefined) => (list === undefined ? undefined : Math.max(...list.map((r) => r.requestsPerSecond)));
    const bestOurs = best(all.ours);
    const bestTheirs = best(all.nodeSoap);
    const bestBare = best(all.bare);
    const ratio = bestOurs !== undefined && bestTheirs !== undefined ? bestOurs / bestTheirs : undefined;
    const ofCeiling = bestOurs !== undefined && bestBare !== undefined ? bestOurs / bestBare : undefined;
    const met = ratio === undefined ? undefined : ratio >= TARGETS.throughputRatioMin;
    const perRound = (a: ThroughputResult[] | undefined, b: ThroughputResult[] | undefined) =>
      a !== undefined && b !== undefined ? a.map((x, i) => x.requestsPerSecond / b[i]!.requestsPerSecond) : [];
    const roundRatios = perRound(all.ours, all.nodeSoap).map((x) => Math.round(x * 100) / 100);
    const roundMedian = roundRatios.length > 0 ? median(perRound(all.ours, all.nodeSoap)) : undefined;
    // CPU time per request: what each answer costs the server, independent of how busy the machine was.
    const usPerRequest = (r: ThroughputResult | undefined) => (r?.serverCpu === undefined ? undefined : Math.round((r.serverCpu / r.requestsPerSecond) * 1e6 * 10) / 10);
    console.log();
    if (ratio !== undefined) {
      console.log(
        `ratio ours/node-soap (best windows: ${fmt(bestOurs)} / ${fmt(bestTheirs)} req/s): ${ratio.toFixed(2)}x (target >= ${TARGETS.throughputRatioMin}x): ${verdict(met === true)}`,
      );
      if (rounds > 1) console.log(`median of the per-round ratios: ${roundMedian!.toFixed(2)}x; per round: ${roundRatios.map((x) => `${x.toFixed(2)}x`).join(", ")}`);
    }
    if (ofCeiling !== undefined) console.log(`ours/bare node:http ceiling (best windows): ${(ofCeiling * 100).toFixed(1)} %`);
    console.log(`server CPU per request (median windows): ${servers.map((sp) => `${sp.label} ${fmt(usPerRequest(results[sp.id]), 1)} µs`).join(", ")}`);
    // A saturated server answers 1/(CPU per request) requests per second: this ratio is what the
    // throughput ratio would be with both servers at 100 % of their CPU, and it is far less
    // sensitive to other work on the machine than the requests per second themselves.
    const cpuRatios =
      all.ours !== undefined && all.nodeSoap !== undefined
        ? all.ours.flatMap((o, i) => {
            const mine = usPerRequest(o);
            const theirs = usPerRequest(all.nodeSoap![i]);
            return mine === undefined || theirs === undefined ? [] : [theirs / mine];
          })
        : [];
    const cpuRatio = cpuRatios.length > 0 ? median(cpuRatios) : undefined;
    if (cpuRatio !== undefined) console.log(`CPU-time ratio node-soap/ours (median of the per-round ratios of µs per request): ${cpuRatio.toFixed(2)}x${rounds > 1 ? `; per round: ${cpuRatios.map((x) => `${x.toFixed(2)}x`).join(", ")}` : ""}`);
    console.log();
    report.throughput = {
      request: { body: REQUEST_BODY, headers: REQUEST_HEADERS },
      rounds,
      results,
      allRounds: all,
      serverCpuMicrosecondsPerRequest: Object.fromEntries(servers.map((sp) => [sp.id, usPerRequest(results[sp.id]) ?? null])),
      ratioOursToNodeSoap: ratio === undefined ? null : Math.round(ratio * 100) / 100,
      bestRequestsPerSecond: { ours: bestOurs ?? null, nodeSoap: bestTheirs ?? null, bare: bestBare ?? null },
      ratioPerRound: roundRatios,
      medianOfRoundRatios: roundMedian === undefined ? null : Math.round(roundMedian * 100) / 100,
      cpuTimeRatioNodeSoapToOurs: cpuRatio === undefined ? null : Math.round(cpuRatio * 100) / 100,
      oursShareOfCeiling: ofCeiling === undefined ? null : Math.round(ofCeiling * 1000) / 1000,
      targetMet: met ?? null,
      contended: [...new Set(contended)],
    };
  }

  if (doGeneration) {
    const work = mkdtempSync(join(tmpdir(), "mpay-bench-gen-"));
    try {
      console.log(`Generation of the MPay package from ${WSDL}: whole process, wall time and peak RSS (GNU time), median of ${genRuns} runs after one warm-up run.`);
      const ours = await ourGenerator(work);
      console.log(`  ours: ${ours.note}`);
      const results: GenerationResult[] = [];
      for (const [tool, argsFor] of [
        [ours.tool, ours.argsFor],
        [`wsdl-tsclient ${versionOf("wsdl-tsclient")}`, (out: string) => ["node_modules/wsdl-tsclient/dist/src/cli.js", "-o", out, WSDL]],
      ] as const) {
        process.stdout.write(`  measuring ${tool} ...`);
        await waitQuiet(60, 0.1, (busy) => process.stdout.write(` (machine ${Math.round(busy * 100)} % busy, waiting up to 60 s)`));
        const r = await measureGenerator(tool, work, argsFor, genRuns);
        results.push(r);
        process.stdout.write(` ${r.medianWallSeconds.toFixed(2)} s, ${r.medianPeakRssMiB.toFixed(1)} MiB\n`);
      }
      console.log();
      console.log(
        table(
          ["tool", "wall s (median)", "peak RSS MiB (median)", "peak RSS MiB (max)", "files written"],
          results.map((r) => [r.tool, r.medianWallSeconds.toFixed(2), r.medianPeakRssMiB.toFixed(1), r.maxPeakRssMiB.toFixed(1), String(r.files)]),
        ),
      );
      const [o, w] = results as [GenerationResult, GenerationResult];
      const timeRatio = o.medianWallSeconds / w.medianWallSeconds;
      const rssRatio = o.medianPeakRssMiB / w.medianPeakRssMiB;
      console.log(`\nratio wall time ours/wsdl-tsclient: ${timeRatio.toFixed(2)} (target <= ${TARGETS.generationTimeRatioMax}): ${verdict(timeRatio <= TARGETS.generationTimeRatioMax)}`);
      console.log(`ratio peak RSS  ours/wsdl-tsclient: ${rssRatio.toFixed(2)} (target <= ${TARGETS.generationRssRatioMax}): ${verdict(rssRatio <= TARGETS.generationRssRatioMax)}\n`);
      report.generation = {
        note: ours.note,
        results,
        timeRatioOursToWsdlTsclient: Math.round(timeRatio * 100) / 100,
        rssRatioOursToWsdlTsclient: Math.round(rssRatio * 100) / 100,
        timeTargetMet: timeRatio <= TARGETS.generationTimeRatioMax,
        rssTargetMet: rssRatio <= TARGETS.generationRssRatioMax,
      };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  if (values.profile) {
    const profiles: Record<string, unknown> = {};
    for (const spec of profiled) {
      console.log(`Profile: ${spec.label} under the same load for ${profileSeconds} s with node --cpu-prof (CPU ${SERVER_CPU}).`);
      const p = await profileServer(spec, profileSeconds, connections, stamp);
      const answered = p.load.warmupRequests + p.load.totalRequests;
      const busyUs = (p.summary.busyMs * 1000) / answered;
      console.log(`  ${fmt(p.load.requestsPerSecond)} req/s while profiling; busy ${fmt(p.summary.busyMs)} ms, idle ${fmt(p.summary.idleMs)} ms, start-up ${fmt(p.summary.startupMs)} ms (set apart)`);
      console.log(`  ${fmt(answered)} requests answered: ${busyUs.toFixed(1)} µs of busy time per request (profiler overhead included)`);
      console.log(`  profile: ${p.file}; percentages are of the busy time\n`);
      console.log(table(["self time by area", "ms", "%", "µs/request"], p.summary.areas.map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1), fmt((f.ms * 1000) / answered, 1)])));
      console.log();
      console.log(table(["top self time: function", "ms", "%", "µs/request"], p.summary.functions.slice(0, 20).map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1), fmt((f.ms * 1000) / answered, 2)])));
      console.log();
      console.log(table(["self time by file", "ms", "%"], p.summary.files.slice(0, 12).map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1)])));
      console.log();
      console.log(table(["total (inclusive) time: function", "ms", "%", "µs/request"], p.summary.inclusive.slice(0, 25).map((f) => [f.name, fmt(f.ms, 1), fmt(f.percent, 1), fmt((f.ms * 1000) / answered, 2)])));
      console.log();
      profiles[spec.id] = { file: p.file, requestsPerSecond: p.load.requestsPerSecond, requestsAnswered: answered, busyMicrosecondsPerRequest: Math.round(busyUs * 10) / 10, ...p.summary };
    }
    // Our server's profile stays where earlier reports had it.
    report.profile = profiles.ours ?? profiles;
    if (profiled.length > 1 || profiles.ours === undefined) report.profiles = profiles;
  }

  const out = join(root, "bench/results");
  mkdirSync(out, { recursive: true });
  const previous = join(out, "latest.json");
  // Keep earlier results of the other part when only one part ran.
  if (values.only !== undefined && existsSync(previous)) {
    try {
      const old = JSON.parse(readFileSync(previous, "utf8")) as Record<string, unknown>;
      for (const key of ["throughput", "generation", "profile"]) if (report[key] === undefined && old[key] !== undefined) report[key] = { ...(old[key] as object), fromRun: old.date };
    } catch {
      /* unreadable: overwrite */
    }
  }
  writeFileSync(previous, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results: ${previous}`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  killAll();
}
