/**
 * `npm run bench:codegen [-- options]`: the generator's benchmarks of docs/benchmarks-codegen.md.
 *
 * 1. Corpus: every non-duplicate doc-literal entry of `../shared/wsdl-corpus` (entries from
 *    test/corpus/corpus.ts), generated into a temporary folder
 *    - through our API in this process (`generateContract` and writing the files, as the corpus
 *      test does; one untimed warm-up pass first),
 *    - through our CLI as a whole process (`mpay-codegen generate --wsdl --out`),
 *    - through wsdl-tsclient's CLI as a whole process (`wsdl-tsclient -o <dir> <wsdl>`),
 *    the two CLIs alternating entry by entry, wall time and peak RSS from GNU time. Totals over
 *    the entries where both CLIs succeed, and ours over all; the largest contract (bytes of WSDL
 *    and XSD reached, from the manifest) separately. Median of several rounds.
 * 2. Scaling: synthetic contracts of N, 2N, 4N complex types (bench/lib/synthetic-contract.ts)
 *    generated in this process, sizes interleaved in every round, median after a warm-up; the
 *    check is time(2N)/time(N) <= 2.2 for the whole pipeline and per stage. Time is the
 *    process's CPU time (the verdict), with wall time beside it: on a machine shared with other
 *    work, wall time also counts the waits for a CPU.
 *
 * Prints tables and verdicts, and writes bench/results/codegen-latest.json.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { CORPUS, corpusEntries, generateEntry, haveCorpus, type CorpusEntry } from "../test/corpus/corpus.ts";
import { numberOption } from "./lib/args.ts";
import { checkStagedOutput, generateStaged, generateWhole, STAGES, type StageTimes } from "./lib/codegen-stages.ts";
import { killAll, runToEnd } from "./lib/processes.ts";
import { summarizeProfile } from "./lib/profile.ts";
import { synthesizeContract } from "./lib/synthetic-contract.ts";
import { machine, table } from "./lib/report.ts";

const root = resolve(import.meta.dirname, "..");
const node = process.execPath;
/** The issue's bound: a schema twice the size takes at most this many times as long. */
const SCALING_LIMIT = 2.2;
/** Stages faster than this at size N are reported but not judged (timer and scheduling noise). */
const SCALING_MIN_MS = 20;
const PER_RUN_TIMEOUT_MS = 120_000;

const USAGE = `usage: npm run bench:codegen -- [options]

  --rounds <n>          corpus rounds, each over every entry with both CLIs and the API (default 3)
  --scaling-rounds <n>  scaling rounds after one warm-up round (default 5)
  --sizes <list>        scaling sizes in complex types, each double the one before (default 200,400,800)
  --only <part>         corpus | scaling (default: both)
  --filter <text>       corpus entries whose id contains <text> (the largest contract is always kept)
  --quick               a smoke run: every 10th corpus entry and the largest, 1 round; sizes 100,200,400, 3 rounds
  --profile             CPU-profile one generation of the largest synthetic size and list its hotspots
  -h, --help            this text
`;

// ------------------------------------------------------------------------------------ helpers

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;


function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

/** A full garbage collection between measurements, so one run's garbage is not collected in the next. */
const collectGarbage: () => void = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

function countTsFiles(dir: string): number {
  let n = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countTsFiles(join(dir, entry.name));
    else if (entry.isFile() && entry.name.endsWith(".ts")) n++;
  }
  return n;
}


// ------------------------------------------------------------------------------------- corpus

/** One CLI run on one entry. */
interface CliRun {
  readonly ok: boolean;
  readonly wallSeconds: number;
  readonly peakRssMiB: number;
  /** Exit code, or `timeout`; for a failure, the last line it printed. */
  readonly why?: string;
}

type Tool = "ours" | "peer";

/** Runs one generator CLI under GNU time into a fresh folder. */
async function runCli(tool: Tool, entry: CorpusEntry, work: string): Promise<CliRun> {
  const out = join(work, tool, entry.slug);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(work, tool), { recursive: true });
  const args =
    tool === "ours"
      ? ["--conditions=mpay-kit-source", "generator/src/cli.ts", "generate", "--wsdl", entry.wsdl, "--out", out]
      : ["node_modules/wsdl-tsclient/dist/src/cli.js", "-o", out, entry.wsdl];
  const timeFile = join(work, `time-${tool}.txt`);
  rmSync(timeFile, { force: true });
  const r = await runToEnd("/usr/bin/time", ["-o", timeFile, "-f", "%e %M", node, ...args], { cwd: root, timeoutMs: PER_RUN_TIMEOUT_MS });
  const timeLine = existsSync(timeFile) ? readFileSync(timeFile, "utf8").trim().split("\n").pop()! : "";
  const [wall, rss] = timeLine.split(" ").map(Number);
  // wsdl-tsclient can exit 0 having written nothing: success is exit 0 and at least one .ts file.
  const files = countTsFiles(out);
  rmSync(out, { recursive: true, force: true });
  const ok = r.code === 0 && files > 0;
  // The reason of a failure: the last line that is neither progress nor yargs's start-up warning.
  const noise = /^(Command exited|Writing |Generating |\(node:|\(Use |Please do |- |https:\/\/yargs)/;
  const last = `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => l.trim() !== "" && !noise.test(l.trim())).pop() ?? "";
  const why = ok ? undefined : r.code === null ? "timeout" : r.code === 0 ? "exit 0 but no .ts file written" : `exit ${r.code}: ${last.slice(0, 200)}`;
  return { ok, wallSeconds: wall ?? Number.NaN, peakRssMiB: round1((rss ?? Number.NaN) / 1024), ...(why === undefined ? {} : { why }) };
}

/** Bytes of WSDL and XSD reached from each manifest entry (`closure_bytes`), by corpus id. */
function closureBytes(): Map<string, number> {
  const manifest = JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")) as { sources: { dir: string; entries: { path: string; closure_bytes: number }[] }[] };
  return new Map(manifest.sources.flatMap((s) => s.entries.map((e) => [`${s.dir}/${e.path}`, e.closure_bytes] as const)));
}

interface EntryResult {
  readonly id: string;
  readonly bytes: number;
  readonly api: { ok: boolean; ms: number[]; outcome: string };
  readonly ours: CliRun[];
  readonly peer: CliRun[];
}

async function benchCorpus(options: { rounds: number; quick: boolean; filter: string | undefined }): Promise<Record<string, unknown>> {
  const bytes = closureBytes();
  const all = corpusEntries().filter((e) => e.category === "doc-literal");
  const largest = [...all].sort((a, b) => (bytes.get(b.id) ?? 0) - (bytes.get(a.id) ?? 0))[0]!;
  let entries = all;
  if (options.filter !== undefined) entries = entries.filter((e) => e.id.includes(options.filter!) || e === largest);
  if (options.quick) entries = entries.filter((e, i) => i % 10 === 0 || e === largest);
  const work = mkdtempSync(join(tmpdir(), "mpay-bench-codegen-"));
  const totalBytes = entries.reduce((s, e) => s + (bytes.get(e.id) ?? 0), 0);
  console.log(`Corpus: ${entries.length} doc-literal entries (non-duplicate) of ${CORPUS}, ${(totalBytes / 1e6).toFixed(1)} MB of WSDL and XSD reached;`);
  console.log(`largest contract: ${largest.id} (${((bytes.get(largest.id) ?? 0) / 1e3).toFixed(0)} kB). ${options.rounds} round(s).`);
  const results = new Map<string, EntryResult>(
    entries.map((e) => [e.id, { id: e.id, bytes: bytes.get(e.id) ?? 0, api: { ok: false, ms: [], outcome: "" }, ours: [], peer: [] }]),
  );
  try {
    // The API in this process: a warm-up pass (JIT, module loading), then one timed pass per round.
    const apiRoot = join(work, "api");
    for (let pass = 0; pass <= options.rounds; pass++) {
      process.stdout.write(pass === 0 ? "  API warm-up pass ..." : `  API round ${pass} ...`);
      let sum = 0;
      for (const entry of entries) {
        collectGarbage();
        const g = await generateEntry(entry, apiRoot);
        rmSync(join(apiRoot, entry.slug), { recursive: true, force: true });
        if (pass === 0) continue;
        const r = results.get(entry.id)!;
        r.api.ok = g.kind === "generated";
        r.api.outcome = g.kind;
        r.api.ms.push(g.ms);
        if (g.kind === "generated") sum += g.ms;
      }
      process.stdout.write(pass === 0 ? " done\n" : ` ${(sum / 1000).toFixed(1)} s over the entries it generates\n`);
    }
    // The two CLIs, alternating entry by entry so that other load on the machine hits both alike.
    for (let round = 1; round <= options.rounds; round++) {
      process.stdout.write(`  CLI round ${round}: `);
      const started = performance.now();
      let done = 0;
      for (const entry of entries) {
        const r = results.get(entry.id)!;
        const order: Tool[] = (done + round) % 2 === 0 ? ["ours", "peer"] : ["peer", "ours"];
        for (const tool of order) r[tool].push(await runCli(tool, entry, work));
        if (++done % 20 === 0) process.stdout.write(`${done} `);
      }
      process.stdout.write(`(${((performance.now() - started) / 1000).toFixed(0)} s, load average ${loadavg()[0]!.toFixed(2)})\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // Per entry: the median of its rounds; a tool succeeds on an entry when every round succeeded.
  const list = [...results.values()];
  const okAll = (runs: readonly CliRun[]) => runs.length > 0 && runs.every((x) => x.ok);
  const med = (runs: readonly CliRun[]) => median(runs.map((x) => x.wallSeconds));
  const medRss = (runs: readonly CliRun[]) => median(runs.map((x) => x.peakRssMiB));
  const both = list.filter((r) => okAll(r.ours) && okAll(r.peer));
  const oursOk = list.filter((r) => okAll(r.ours));
  const peerOk = list.filter((r) => okAll(r.peer));
  const apiOk = list.filter((r) => r.api.ok);
  // Totals per round, then the median round (rather than a sum of medians).
  const roundTotals = (set: readonly EntryResult[], pick: (r: EntryResult, i: number) => number) =>
    Array.from({ length: options.rounds }, (_, i) => set.reduce((s, r) => s + pick(r, i), 0));
  const totals = {
    bothOurs: median(roundTotals(both, (r, i) => r.ours[i]!.wallSeconds)),
    bothPeer: median(roundTotals(both, (r, i) => r.peer[i]!.wallSeconds)),
    bothApi: median(roundTotals(both.filter((r) => r.api.ok), (r, i) => r.api.ms[i]! / 1000)),
    oursAll: median(roundTotals(oursOk, (r, i) => r.ours[i]!.wallSeconds)),
    peerAll: median(roundTotals(peerOk, (r, i) => r.peer[i]!.wallSeconds)),
    apiAll: median(roundTotals(apiOk, (r, i) => r.api.ms[i]! / 1000)),
  };
  const rssOf = (set: readonly EntryResult[], tool: Tool) => ({
    median: round1(median(set.map((r) => medRss(r[tool])))),
    max: round1(Math.max(...set.map((r) => Math.max(...r[tool].map((x) => x.peakRssMiB))))),
  });
  const big = results.get(largest.id)!;
  const largestBoth = [...both].sort((a, b) => b.bytes - a.bytes)[0];
  const describeLargest = (r: EntryResult) => ({
    id: r.id,
    bytes: r.bytes,
    ours: { ok: okAll(r.ours), wallSeconds: round2(med(r.ours)), peakRssMiB: medRss(r.ours), why: r.ours.find((x) => !x.ok)?.why },
    peer: { ok: okAll(r.peer), wallSeconds: round2(med(r.peer)), peakRssMiB: medRss(r.peer), why: r.peer.find((x) => !x.ok)?.why },
    api: { ok: r.api.ok, outcome: r.api.outcome, ms: Math.round(median(r.api.ms)) },
  });

  console.log();
  console.log(
    table(
      ["corpus (doc-literal)", "entries ok", "wall s, both ok", "wall s, all it does", "RSS MiB median", "RSS MiB max"],
      [
        [`ours, CLI process`, `${oursOk.length}/${list.length}`, totals.bothOurs.toFixed(1), totals.oursAll.toFixed(1), ...Object.values(rssOf(list, "ours")).map((x) => x.toFixed(1))],
        [`wsdl-tsclient ${versionOf("wsdl-tsclient")}, CLI process`, `${peerOk.length}/${list.length}`, totals.bothPeer.toFixed(1), totals.peerAll.toFixed(1), ...Object.values(rssOf(list, "peer")).map((x) => x.toFixed(1))],
        [`ours, API in one process`, `${apiOk.length}/${list.length}`, totals.bothApi.toFixed(1), totals.apiAll.toFixed(1), "", ""],
      ],
    ),
  );
  console.log(`(both ok: the ${both.length} entries on which both CLIs succeed in every round; all it does: every entry the tool succeeds on)`);
  const ratioBoth = totals.bothOurs / totals.bothPeer;
  console.log(`ratio corpus wall time ours/wsdl-tsclient (CLI processes, both ok): ${ratioBoth.toFixed(2)}; API/wsdl-tsclient CLI: ${(totals.bothApi / totals.bothPeer).toFixed(2)}`);
  const L = describeLargest(big);
  const show = (label: string, t: { ok: boolean; wallSeconds: number; peakRssMiB: number; why?: string | undefined }) =>
    `${label} ${t.ok ? `${t.wallSeconds.toFixed(2)} s, ${t.peakRssMiB.toFixed(0)} MiB` : `fails (${t.why ?? "?"})`}`;
  console.log(`largest contract ${L.id} (${(L.bytes / 1e3).toFixed(0)} kB): ${show("ours", L.ours)}; ${show("wsdl-tsclient", L.peer)}; API ${L.api.ok ? `${L.api.ms} ms` : L.api.outcome}`);
  const LB = largestBoth === undefined ? undefined : describeLargest(largestBoth);
  if (LB !== undefined && LB.id !== L.id) {
    console.log(
      `largest contract both generate: ${LB.id} (${(LB.bytes / 1e3).toFixed(0)} kB): ${show("ours", LB.ours)}; ${show("wsdl-tsclient", LB.peer)} (ratio ${(LB.ours.wallSeconds / LB.peer.wallSeconds).toFixed(2)}); API ${LB.api.ms} ms`,
    );
  }
  console.log();
  return {
    entries: list.length,
    rounds: options.rounds,
    quick: options.quick,
    filter: options.filter ?? null,
    peer: `wsdl-tsclient ${versionOf("wsdl-tsclient")}`,
    ourCli: "node --conditions=mpay-kit-source generator/src/cli.ts generate --wsdl <wsdl> --out <tmp>",
    peerCli: "node node_modules/wsdl-tsclient/dist/src/cli.js -o <tmp> <wsdl>",
    succeeded: { ours: oursOk.length, peer: peerOk.length, both: both.length, api: apiOk.length },
    totalsSeconds: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, round2(v)])),
    ratioOursToPeerBothOk: round2(ratioBoth),
    ratioApiToPeerBothOk: round2(totals.bothApi / totals.bothPeer),
    peakRssMiB: { ours: rssOf(list, "ours"), peer: rssOf(list, "peer") },
    largest: L,
    largestBothOk: LB ?? null,
    perEntry: list.map((r) => ({
      id: r.id,
      bytes: r.bytes,
      api: { outcome: r.api.outcome, ms: r.api.ms.map((x) => Math.round(x)) },
      ours: r.ours.map((x) => ({ ok: x.ok, s: x.wallSeconds, rss: x.peakRssMiB, ...(x.why === undefined ? {} : { why: x.why }) })),
      peer: r.peer.map((x) => ({ ok: x.ok, s: x.wallSeconds, rss: x.peakRssMiB, ...(x.why === undefined ? {} : { why: x.why }) })),
    })),
  };
}

// ------------------------------------------------------------------------------------ scaling

interface SizeSamples {
  readonly types: number;
  readonly bytes: number;
  outputBytes: number;
  declarations: number;
  /** Whole pipeline through the public API: wall and CPU (this process) milliseconds per round. */
  readonly wholeMs: number[];
  readonly wholeCpuMs: number[];
  readonly stages: StageTimes[];
}

async function benchScaling(options: { sizes: readonly number[]; rounds: number; profile: boolean; stamp: string }): Promise<Record<string, unknown>> {
  const contracts = options.sizes.map((n) => ({ n, contract: synthesizeContract(n) }));
  console.log(`Scaling: synthetic contracts of ${options.sizes.join(", ")} complex types (bench/lib/synthetic-contract.ts), in this process;`);
  console.log(`sizes interleaved in each of ${options.rounds} rounds after a warm-up round; medians. Check: time(2N)/time(N) <= ${SCALING_LIMIT}.`);
  await checkStagedOutput(synthesizeContract(20).files);
  const samples: SizeSamples[] = contracts.map(({ contract }) => ({
    types: contract.complexTypes,
    bytes: contract.bytes,
    outputBytes: 0,
    declarations: 0,
    wholeMs: [],
    wholeCpuMs: [],
    stages: [],
  }));
  for (let round = 0; round <= options.rounds; round++) {
    process.stdout.write(round === 0 ? "  warm-up ..." : `  round ${round}:`);
    for (const [i, { n, contract }] of contracts.entries()) {
      collectGarbage();
      const cpu = process.cpuUsage();
      const whole = await generateWhole(contract.files);
      const cpuMs = (() => {
        const d = process.cpuUsage(cpu);
        return (d.user + d.system) / 1000;
      })();
      collectGarbage();
      const staged = await generateStaged(contract.files);
      if (round === 0) {
        samples[i]!.outputBytes = [...whole.files.values()].reduce((s, t) => s + Buffer.byteLength(t), 0);
        samples[i]!.declarations = whole.types;
        continue;
      }
      samples[i]!.wholeMs.push(whole.ms);
      samples[i]!.wholeCpuMs.push(cpuMs);
      samples[i]!.stages.push(staged.times);
      process.stdout.write(` ${n}: ${(whole.ms / 1000).toFixed(2)} s`);
    }
    process.stdout.write(round === 0 ? " done\n" : "\n");
  }

  const stageMedian = (s: SizeSamples, stage: keyof StageTimes) => median(s.stages.map((t) => t[stage]));
  console.log();
  console.log(
    table(
      ["types (complex)", "input kB", "output kB", "declarations", "whole wall ms", "whole CPU ms", ...STAGES.map((s) => `${s} CPU ms`)],
      samples.map((s) => [
        String(s.types),
        (s.bytes / 1e3).toFixed(0),
        (s.outputBytes / 1e3).toFixed(0),
        String(s.declarations),
        median(s.wholeMs).toFixed(0),
        median(s.wholeCpuMs).toFixed(0),
        ...STAGES.map((st) => stageMedian(s, st).toFixed(0)),
      ]),
    ),
  );
  console.log("(format: prettier run again over the emitted TypeScript, a part of emit)");

  const pairs: Record<string, unknown>[] = [];
  const rows: string[][] = [];
  let allMet = true;
  let wallMet = true;
  for (let i = 0; i + 1 < samples.length; i++) {
    const a = samples[i]!;
    const b = samples[i + 1]!;
    const ratio = (x: number, y: number) => y / x;
    const measures: { name: string; small: number; large: number; judged: boolean }[] = [
      { name: "whole (wall)", small: median(a.wholeMs), large: median(b.wholeMs), judged: true },
      { name: "whole (CPU)", small: median(a.wholeCpuMs), large: median(b.wholeCpuMs), judged: true },
      ...STAGES.map((st) => ({ name: `${st} (CPU)`, small: stageMedian(a, st), large: stageMedian(b, st), judged: stageMedian(a, st) >= SCALING_MIN_MS })),
    ];
    const result: Record<string, unknown> = { from: a.types, to: b.types, inputRatio: round2(b.bytes / a.bytes), outputRatio: round2(b.outputBytes / a.outputBytes) };
    for (const m of measures) {
      const r = ratio(m.small, m.large);
      const met = r <= SCALING_LIMIT;
      if (m.judged && !met && m.name === "whole (CPU)") allMet = false;
      if (m.judged && !met && m.name === "whole (wall)") wallMet = false;
      result[m.name] = { smallMs: Math.round(m.small), largeMs: Math.round(m.large), ratio: round2(r), judged: m.judged, met: m.judged ? met : null };
    }
    pairs.push(result);
    rows.push([`${a.types} -> ${b.types}`, (b.bytes / a.bytes).toFixed(2), ...measures.map((m) => `${ratio(m.small, m.large).toFixed(2)}${m.judged ? (ratio(m.small, m.large) <= SCALING_LIMIT ? "" : " !") : " ~"}`)]);
  }
  console.log();
  console.log(table(["size pair", "input x", "whole (wall) x", "whole (CPU) x", ...STAGES.map((s) => `${s} CPU x`)], rows));
  console.log(`(! over ${SCALING_LIMIT}; ~ under ${SCALING_MIN_MS} ms at the smaller size: noise, not judged)`);
  console.log(`scaling, whole pipeline, CPU time: ${allMet ? "MET" : "MISSED"} (time(2N)/time(N) <= ${SCALING_LIMIT} at every pair); wall time: ${wallMet ? "met" : "missed"}\n`);

  let profile: Record<string, unknown> | undefined;
  if (options.profile) {
    const top = contracts[contracts.length - 1]!;
    const dir = join(root, "bench/results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `codegen-profile-${options.stamp}.cpuprofile`);
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    await generateWhole(top.contract.files);
    const { profile: data } = await session.post("Profiler.stop");
    session.disconnect();
    writeFileSync(file, JSON.stringify(data));
    const summary = summarizeProfile(file, root, 20);
    console.log(`Profile of one generation of ${top.n} types: ${file} (busy ${summary.busyMs} ms)`);
    console.log(table(["self time: function", "ms", "%"], summary.functions.slice(0, 15).map((f) => [f.name, f.ms.toFixed(1), f.percent.toFixed(1)])));
    console.log();
    console.log(table(["self time: file", "ms", "%"], summary.files.slice(0, 10).map((f) => [f.name, f.ms.toFixed(1), f.percent.toFixed(1)])));
    console.log();
    profile = { file, busyMs: summary.busyMs, functions: summary.functions, files: summary.files };
  }

  return {
    sizes: options.sizes,
    rounds: options.rounds,
    limit: SCALING_LIMIT,
    met: allMet,
    judgedOn: "CPU time of the process (user + system)",
    wallMet,
    perSize: samples.map((s) => ({
      types: s.types,
      inputBytes: s.bytes,
      outputBytes: s.outputBytes,
      declarations: s.declarations,
      wholeMs: Math.round(median(s.wholeMs)),
      wholeCpuMs: Math.round(median(s.wholeCpuMs)),
      stagesCpuMs: Object.fromEntries(STAGES.map((st) => [st, Math.round(stageMedian(s, st))])),
      rounds: { wholeMs: s.wholeMs.map(Math.round), wholeCpuMs: s.wholeCpuMs.map(Math.round) },
    })),
    pairs,
    ...(profile === undefined ? {} : { profile }),
  };
}

// --------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({
      options: {
        rounds: { type: "string" },
        "scaling-rounds": { type: "string" },
        sizes: { type: "string" },
        only: { type: "string" },
        filter: { type: "string" },
        quick: { type: "boolean", default: false },
        profile: { type: "boolean", default: false },
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
  const quick = values.quick;
  const rounds = Math.round(numberOption("rounds", values.rounds ?? (quick ? "1" : "3"), 1, 20));
  const scalingRounds = Math.round(numberOption("scaling-rounds", values["scaling-rounds"] ?? (quick ? "3" : "5"), 1, 50));
  const sizes = (values.sizes ?? (quick ? "100,200,400" : "200,400,800")).split(",").map((s) => Math.round(numberOption("sizes", s.trim(), 10, 100_000)));
  if (sizes.length < 2 || sizes.some((s, i) => i > 0 && s !== sizes[i - 1]! * 2)) {
    process.stderr.write(`--sizes takes at least two sizes, each double the one before (e.g. 200,400,800)\n`);
    process.exit(2);
  }
  if (values.only !== undefined && values.only !== "corpus" && values.only !== "scaling") {
    process.stderr.write(`--only must be corpus or scaling\n`);
    process.exit(2);
  }
  const doCorpus = values.only !== "scaling";
  const doScaling = values.only !== "corpus";
  if (doCorpus && !haveCorpus()) throw new Error(`the corpus is not there (${CORPUS}); run with --only scaling`);
  if (doCorpus && !existsSync("/usr/bin/time")) throw new Error("the corpus benchmark needs GNU time at /usr/bin/time");

  const date = new Date();
  const stamp = date.toISOString().replace(/[:.]/g, "-");
  const info = machine();
  const head = await runToEnd("git", ["rev-parse", "--short", "HEAD"], { cwd: root, timeoutMs: 10_000 });
  const dirty = await runToEnd("git", ["status", "--porcelain", "--", "generator", "runtime"], { cwd: root, timeoutMs: 10_000 });
  const commit = head.code === 0 ? `${head.stdout.trim()}${dirty.stdout.trim() === "" ? "" : " (with uncommitted changes in generator/ or runtime/)"}` : "unknown";
  console.log(`mpay-codegen benchmarks, ${date.toISOString()}`);
  console.log(`machine: ${info.nproc} CPUs (${info.cpuModel}), Node ${info.node}, Linux ${info.kernel}; load average ${loadavg()[0]!.toFixed(2)}; commit ${commit}\n`);
  const report: Record<string, unknown> = { date: date.toISOString(), commit, machine: info, loadAverageAtStart: round2(loadavg()[0]!) };
  if (doScaling) report.scaling = await benchScaling({ sizes, rounds: scalingRounds, profile: values.profile, stamp });
  if (doCorpus) report.corpus = await benchCorpus({ rounds, quick, filter: values.filter });
  report.loadAverageAtEnd = round2(loadavg()[0]!);

  const out = join(root, "bench/results");
  mkdirSync(out, { recursive: true });
  const file = join(out, "codegen-latest.json");
  // Keep the other part of an earlier run when only one part ran.
  if (values.only !== undefined && existsSync(file)) {
    try {
      const old = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      for (const key of ["scaling", "corpus"]) if (report[key] === undefined && old[key] !== undefined) report[key] = { ...(old[key] as object), fromRun: old.date };
    } catch {
      /* unreadable: overwrite */
    }
  }
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results: ${file}`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:codegen: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  killAll();
}
