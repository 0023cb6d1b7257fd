/**
 * `npm run bench:confirmations [-- options]`: signed ConfirmOrderPayment deliveries per second
 * against the example provider, with its payment ledger on SQLite and on PostgreSQL, and the same
 * provider without a ledger (in-memory order book) as the peer measured in the same run; see
 * docs/benchmarks-confirmations.md.
 *
 * Each store in turn, alone: the example provider as users run it (`examples/provider/src/main.ts
 * --orders <file> [--db <file | postgres://…>] --cert --key --trust --pin`, WS-Security on) pinned
 * to CPU 0, the load generator (bench/signed-load.ts, autocannon) pinned to CPU 1 sending a pool of
 * distinct deliveries signed as MPay signs them (bench/confirmations-request.ts): half first
 * deliveries of a new PaymentID (each paying its own order), half repeats of an earlier one, every
 * body sent once (the provider's replay cache refuses a body sent twice). PostgreSQL runs where
 * it runs (not pinned); its backends' CPU time is measured apart.
 *
 * Before measuring, each server must confirm a signed payment (answer verified by our verifier),
 * answer its repeat with success, refuse the same PaymentID with another amount, and refuse a
 * tampered delivery. After measuring, the ledger must hold no more payments than first deliveries
 * were sent, no conflict, and at least as many successful deliveries as the load generator counted.
 *
 * PostgreSQL: set MPAY_TEST_PG_URL (a server where a database may be created), or run through
 * `bash scripts/test-postgres.sh npm run bench:confirmations`, which starts a throwaway server.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "pg";
import { loadCredentials } from "@mpay-kit/runtime/security";
import { openPaymentLedger } from "@mpay-kit/provider/store";
import { numberOption } from "./lib/args.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import { busyShare, cpuSeconds, cpuTimes, killAll, runToEnd, start, startServer, stop, waitExit, waitQuiet, type CpuTimes } from "./lib/processes.ts";
import type { LoadResult } from "./load.ts";
import type { SignedLoadConfig, SignedLoadResult } from "./signed-load.ts";
import { makePki, poolSize, verifySignedAnswer, writePool, type Pki } from "./signed-request.ts";
import { benchConfirmation, CONFIRM_HEADERS, paymentsIn, signConfirmationPool, signedConfirmation, writeBenchOrders } from "./confirmations-request.ts";
import { machine, table, fmt } from "./lib/report.ts";
import { postOnce } from "./lib/http.ts";

const root = resolve(import.meta.dirname, "..");
const node = process.execPath;
const SERVER_CPU = "0";
const LOAD_CPU = "1";
/** Our server refuses a request whose Timestamp was created longer ago than this. */
const SERVER_MAX_AGE_SECONDS = 300;
const QUIET_WAIT_SECONDS = 30;
const CHECK_ORDERS = 3;

const USAGE = `usage: npm run bench:confirmations -- [options]
       bash scripts/test-postgres.sh npm run bench:confirmations -- [options]   (with PostgreSQL)

  --duration <s>     measured window per store (default 10)
  --warmup <s>       warm-up before it (default 3)
  --connections <n>  connections (default 10)
  --stores <list>    comma-separated: memory,sqlite,postgres (default: memory,sqlite, and postgres
                     when MPAY_TEST_PG_URL is set)
  --rounds <n>       repeat, stores alternating; the table shows each store's median round (default 1)
  --pool <n>         signed deliveries per measurement (default: enough for 1,500 req/s)
  --ttl <s>          lifetime of the deliveries' Timestamps (default 600)
  --profile          also profile the provider (node --cpu-prof) during each measurement; the
                     summary goes into the JSON, the .cpuprofile under bench/results/
`;

type StoreId = "memory" | "sqlite" | "postgres";

interface Store {
  readonly id: StoreId;
  readonly label: string;
  /** The --db value for a run, and how to clean it up; undefined for memory. */
  prepare(runId: string, work: string): Promise<{ db: string | undefined; database?: string; drop(): Promise<void> }>;
}

const pgUrl = process.env["MPAY_TEST_PG_URL"] || undefined;

const STORES: Record<StoreId, Store> = {
  memory: { id: "memory", label: "in memory (no ledger)", prepare: async () => ({ db: undefined, drop: async () => undefined }) },
  sqlite: {
    id: "sqlite",
    label: "SQLite ledger (node:sqlite, WAL)",
    prepare: async (runId, work) => {
      const file = join(work, `${runId}.db`);
      return { db: file, drop: async () => rmSync(file, { force: true }) };
    },
  },
  postgres: {
    id: "postgres",
    label: "PostgreSQL ledger (pg)",
    prepare: async (runId) => {
      if (pgUrl === undefined) throw new Error("the postgres store needs MPAY_TEST_PG_URL (or run through bash scripts/test-postgres.sh)");
      const database = `mpay_bench_${runId.replace(/[^a-z0-9]/g, "_")}`;
      await admin(async (c) => void (await c.query(`CREATE DATABASE ${database}`)));
      const url = new URL(pgUrl);
      url.pathname = `/${database}`;
      return { db: url.toString(), database, drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`))) };
    },
  },
};

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------- checks


const faultCode = (text: string) => /<faultcode[^>]*>([^<]*)</.exec(text)?.[1];

/** A first delivery confirmed (answer verified), its repeat confirmed, another amount and a tampered delivery refused. */
async function checkFirst(label: string, url: string, pki: Pki, runId: string, ttl: number): Promise<void> {
  const identity = loadCredentials({ cert: pki.mpayCert, key: pki.mpayKey });
  const c = benchConfirmation(0, runId, true);
  for (const what of ["first delivery", "repeat"]) {
    const { status, text } = await postOnce(url, signedConfirmation(c, identity, ttl), CONFIRM_HEADERS);
    if (status !== 200 || !/ConfirmOrderPaymentResponse/.test(text)) throw new Error(`${label}: the ${what} of a signed confirmation was not confirmed (HTTP ${status}):\n${text.slice(0, 2000)}`);
    verifySignedAnswer(text, pki);
  }
  const other = await postOnce(url, signedConfirmation({ ...c, TotalAmount: "90.00", Lines: [{ Amount: "90.00", LineID: "L1" }] }, identity, ttl), CONFIRM_HEADERS);
  if (other.status === 200) throw new Error(`${label}: the same PaymentID with another amount was accepted`);
  const signed = signedConfirmation(benchConfirmation(1, runId, true), identity, ttl);
  const changed = signed.replace(/>100\.00</, ">1.00<");
  if (changed === signed) throw new Error("checkFirst: the delivery holds no amount 100.00 to change");
  const tampered = await postOnce(url, changed, CONFIRM_HEADERS);
  if (tampered.status === 200 || !/AuthenticationFailed/.test(faultCode(tampered.text) ?? "")) throw new Error(`${label}: a tampered delivery was not refused with AuthenticationFailed (HTTP ${tampered.status})`);
}

// ---------------------------------------------------------------------------------- load

interface WindowCpu {
  /** CPU of the provider process in the window, as a fraction of one core. */
  readonly serverCpu: number | undefined;
  /** CPU of the PostgreSQL backends serving the provider's database, as a fraction of one core. */
  readonly databaseCpu: number | undefined;
  readonly serverCpuBusy: number | undefined;
  readonly loadCpuBusy: number | undefined;
}

/** Samples the provider's and its database backends' CPU at the load generator's window markers. */
function sampler(serverPid: number | undefined, database: string | undefined) {
  let a: { cpu: number | undefined; times: CpuTimes; wall: bigint; db: Promise<{ pids: number[]; cpu: number }> | undefined } | undefined;
  let b: { cpu: number | undefined; times: CpuTimes; wall: bigint; db: Promise<number> | undefined } | undefined;
  const backends = (): Promise<{ pids: number[]; cpu: number }> =>
    admin(async (c) => {
      const pids = (await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database])).rows.map((r) => r.pid);
      return { pids, cpu: pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0) };
    });
  return {
    onMarker(stderr: string) {
      if (a === undefined && stderr.includes("\nmeasuring\n")) a = { cpu: cpuSeconds(serverPid), times: cpuTimes(), wall: process.hrtime.bigint(), db: database === undefined ? undefined : backends() };
      if (a !== undefined && b === undefined && stderr.includes("\nmeasured\n")) {
        const before = a.db;
        b = { cpu: cpuSeconds(serverPid), times: cpuTimes(), wall: process.hrtime.bigint(), db: before === undefined ? undefined : before.then(({ pids }) => pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0)) };
      }
    },
    async window(): Promise<WindowCpu> {
      if (a === undefined || b === undefined) return { serverCpu: undefined, databaseCpu: undefined, serverCpuBusy: undefined, loadCpuBusy: undefined };
      const wall = Number(b.wall - a.wall) / 1e9;
      const share = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined && wall > 0 ? Math.round(((y - x) / wall) * 100) / 100 : undefined);
      const dbBefore = a.db === undefined ? undefined : (await a.db).cpu;
      const dbAfter = b.db === undefined ? undefined : await b.db;
      return { serverCpu: share(a.cpu, b.cpu), databaseCpu: share(dbBefore, dbAfter), serverCpuBusy: busyShare(a.times, b.times, `cpu${SERVER_CPU}`), loadCpuBusy: busyShare(a.times, b.times, `cpu${LOAD_CPU}`) };
    },
  };
}

async function runLoad(config: SignedLoadConfig, serverPid: number | undefined, database: string | undefined): Promise<{ load: SignedLoadResult; cpu: WindowCpu }> {
  const child = start("taskset", ["-c", LOAD_CPU, node, "--conditions=mpay-kit-source", "bench/signed-load.ts", JSON.stringify(config)], { cwd: root });
  let stdout = "";
  let stderr = "\n";
  const cpu = sampler(serverPid, database);
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    cpu.onMarker(stderr);
  });
  const code = await waitExit(child, (config.warmupSeconds + config.durationSeconds + 90) * 1000);
  if (code !== 0) throw new Error(`the load generator failed (exit ${code}): ${stderr}`);
  return { load: JSON.parse(stdout.trim().split("\n").pop()!) as SignedLoadResult, cpu: await cpu.window() };
}

// ----------------------------------------------------------------------------- measuring

interface Measurement {
  readonly store: StoreId;
  readonly label: string;
  readonly throughput: LoadResult & WindowCpu & { readonly contended: boolean; readonly serverCpuMicrosecondsPerRequest: number | undefined; readonly databaseCpuMicrosecondsPerRequest: number | undefined };
  readonly poolSize: number;
  readonly poolUsed: number;
  readonly machineBusyBefore: number;
  /** What the ledger holds after the run (absent without one). */
  readonly ledger?: { readonly payments: number; readonly deliveries: number; readonly conflicts: number };
  /** With --profile: where the provider's time went (the profiler slows it: its numbers are not comparable). */
  readonly profile?: { readonly file: string; readonly summary: ProfileSummary };
}

const usPer = (cores: number | undefined, rps: number) => (cores === undefined || rps <= 0 ? undefined : Math.round((cores / rps) * 1e6 * 10) / 10);

interface Options {
  readonly warmup: number;
  readonly duration: number;
  readonly connections: number;
  readonly pool: number;
  readonly ttl: number;
  /** Profile the provider into this folder. */
  readonly profileDir: string | undefined;
}

async function measure(store: Store, pki: Pki, work: string, options: Options): Promise<Measurement> {
  const runId = `${store.id}${randomBytes(4).toString("hex")}`;
  const dir = join(work, runId);
  mkdirSync(dir);
  process.stdout.write(`    signing ${fmt(options.pool)} deliveries (worker threads on both CPUs) ...`);
  const signingStarted = Date.now();
  const pool = await signConfirmationPool(pki, runId, options.pool, { ttlSeconds: options.ttl });
  const files = writePool(dir, pool);
  process.stdout.write(` ${((Date.now() - signingStarted) / 1000).toFixed(1)} s, ${fmt(pool.bytes.length / poolSize(pool))} bytes each\n`);
  const ordersFile = join(dir, "orders.json");
  writeBenchOrders(ordersFile, paymentsIn(options.pool), CHECK_ORDERS);
  const { db, database, drop } = await store.prepare(runId, dir);
  try {
    const quiet = await waitQuiet(QUIET_WAIT_SECONDS, 0.1, (busy) => process.stdout.write(`    (machine ${Math.round(busy * 100)} % busy, waiting up to ${QUIET_WAIT_SECONDS} s)\n`));
    const args = ["--conditions=mpay-kit-source", "examples/provider/src/main.ts", "--port", "0", "--orders", ordersFile, "--cert", pki.providerCert, "--key", pki.providerKey, "--trust", pki.ca, "--pin", pki.mpayCert, ...(db === undefined ? [] : ["--db", db])];
    const profileDir = options.profileDir === undefined ? undefined : join(options.profileDir, store.id);
    const profiling = profileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDir];
    const server = await startServer("taskset", ["-c", SERVER_CPU, node, ...profiling, ...args], { cwd: root });
    let load: SignedLoadResult;
    let cpu: WindowCpu;
    try {
      await checkFirst(store.label, server.url, pki, runId, options.ttl);
      ({ load, cpu } = await runLoad(
        {
          url: server.url,
          pool: files,
          poolSignedAt: pool.signedAt,
          headers: CONFIRM_HEADERS,
          connections: options.connections,
          warmupSeconds: options.warmup,
          durationSeconds: options.duration,
          latencyWarmupSeconds: 0,
          latencyDurationSeconds: 0,
          cycle: false,
        },
        server.child.pid,
        database,
      ));
    } finally {
      await stop(server.child, 20_000);
    }
    if (load.poolExhausted) throw new Error(`${store.label} answered more deliveries than the pool holds (${fmt(load.poolSize)}): the run is void; raise --pool`);
    const t = load.throughput;
    let ledger: Measurement["ledger"];
    if (db !== undefined) {
      const l = await openPaymentLedger(db);
      try {
        const ids = await l.paymentIds();
        let deliveries = 0;
        for (const id of ids) deliveries += (await l.payment(id))?.deliveries ?? 0;
        ledger = { payments: ids.length, deliveries, conflicts: (await l.conflicts()).length };
      } finally {
        await l.close();
      }
      // Check payments: 1 first delivery and 1 repeat answered with success; 1 conflict refused.
      const firstsSent = paymentsIn(load.poolUsed) + 1;
      const answered = t.warmupRequests + t.totalRequests - t.non2xx + 2;
      if (ledger.payments > firstsSent || ledger.conflicts !== 1 || ledger.deliveries < answered) {
        throw new Error(`${store.label}: the ledger does not match the run: ${JSON.stringify(ledger)}, ${firstsSent} first deliveries sent, ${answered} successes counted`);
      }
    }
    const throughput = {
      ...t,
      ...cpu,
      contended: (cpu.serverCpuBusy ?? 0) - (cpu.serverCpu ?? 0) > 0.1 || (cpu.loadCpuBusy ?? 0) - t.loadGeneratorCpu > 0.1,
      serverCpuMicrosecondsPerRequest: usPer(cpu.serverCpu, t.requestsPerSecond),
      databaseCpuMicrosecondsPerRequest: usPer(cpu.databaseCpu, t.requestsPerSecond),
    };
    const profileFile = profileDir === undefined ? undefined : readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
    const profile = profileFile === undefined ? undefined : { file: join(profileDir!, profileFile), summary: summarizeProfile(join(profileDir!, profileFile), root, 15) };
    return {
      store: store.id,
      label: store.label,
      throughput,
      poolSize: load.poolSize,
      poolUsed: load.poolUsed,
      machineBusyBefore: quiet.busy,
      ...(ledger === undefined ? {} : { ledger }),
      ...(profile === undefined ? {} : { profile }),
    };
  } finally {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// -------------------------------------------------------------------------------- output




// ---------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({
      options: {
        duration: { type: "string", default: "10" },
        warmup: { type: "string", default: "3" },
        connections: { type: "string", default: "10" },
        stores: { type: "string" },
        rounds: { type: "string", default: "1" },
        pool: { type: "string" },
        ttl: { type: "string", default: "600" },
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
  const duration = numberOption("duration", values.duration, 1, 120);
  const warmup = numberOption("warmup", values.warmup, 0, 60);
  // One core verifies and signs at most a few thousand RSA-2048 messages a second; a ledger write comes on top.
  const defaultPool = Math.ceil(1_500 * (warmup + duration) + 200);
  const options: Options = {
    duration,
    warmup,
    connections: Math.round(numberOption("connections", values.connections, 1, 1000)),
    pool: Math.round(numberOption("pool", values.pool ?? String(defaultPool), 10, 1_000_000)),
    ttl: Math.round(numberOption("ttl", values.ttl, 60, 3600)),
    profileDir: values.profile === true ? join(root, "bench/results", `confirmations-profile-${new Date().toISOString().replace(/[:.]/g, "-")}`) : undefined,
  };
  const rounds = Math.round(numberOption("rounds", values.rounds, 1, 20));
  const wanted = (values.stores ?? (pgUrl === undefined ? "memory,sqlite" : "memory,sqlite,postgres")).split(",").map((s) => s.trim());
  if (wanted.some((w) => !(w in STORES))) {
    process.stderr.write("--stores takes a comma-separated list of memory, sqlite, postgres\n");
    process.exit(2);
  }
  if (wanted.includes("postgres") && pgUrl === undefined) {
    process.stderr.write("--stores postgres needs MPAY_TEST_PG_URL; run through: bash scripts/test-postgres.sh npm run bench:confirmations\n");
    process.exit(2);
  }
  const stores = (Object.keys(STORES) as StoreId[]).filter((id) => wanted.includes(id)).map((id) => STORES[id]);
  const taskset = await runToEnd("taskset", ["-c", "0", "true"], { timeoutMs: 10_000 }).catch(() => ({ code: -1 }));
  if (taskset.code !== 0 || availableParallelism() < 2) throw new Error("this benchmark needs `taskset` and at least 2 CPUs (server on CPU 0, load on CPU 1)");

  const date = new Date();
  const info = machine();
  const head = await runToEnd("git", ["rev-parse", "--short", "HEAD"], { cwd: root, timeoutMs: 10_000 });
  const dirty = await runToEnd("git", ["status", "--porcelain", "--", "runtime", "generator", "generated", "examples", "provider"], { cwd: root, timeoutMs: 10_000 });
  const commit = head.code === 0 ? `${head.stdout.trim()}${dirty.stdout.trim() === "" ? "" : " (with uncommitted changes)"}` : "unknown";
  console.log(`mpay-kit signed ConfirmOrderPayment deliveries, ${date.toISOString()}`);
  console.log(`machine: ${info.nproc} CPUs (${info.cpuModel}), Node ${info.node}, Linux ${info.kernel}; commit ${commit}`);
  console.log(`deliveries signed as MPay signs (BinarySecurityToken, Timestamp, RSA-SHA1), every one distinct; half first deliveries, half repeats;`);
  console.log(`${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s measured; provider on CPU ${SERVER_CPU}, autocannon on CPU ${LOAD_CPU}.\n`);

  const work = mkdtempSync(join(tmpdir(), "mpay-bench-confirmations-"));
  try {
    const pki = await makePki(join(work, "pki"));
    const all = new Map<StoreId, Measurement[]>();
    for (let round = 1; round <= rounds; round++) {
      for (const store of stores) {
        process.stdout.write(`  ${rounds > 1 ? `round ${round}: ` : ""}measuring ${store.label} ...\n`);
        const m = await measure(store, pki, work, options);
        all.set(store.id, [...(all.get(store.id) ?? []), m]);
        const t = m.throughput;
        process.stdout.write(`    ${fmt(t.requestsPerSecond)} req/s, p50 ${fmt(t.latencyMs.p50, 2)} ms, p99 ${fmt(t.latencyMs.p99, 2)} ms, ${fmt(t.serverCpuMicrosecondsPerRequest, 0)} µs provider CPU per request${t.contended ? " (contended)" : ""}\n`);
      }
    }
    const pick = (id: StoreId) => {
      const list = [...(all.get(id) ?? [])].sort((x, y) => x.throughput.requestsPerSecond - y.throughput.requestsPerSecond);
      return list[(list.length - 1) >> 1];
    };
    const results = stores.map((s) => pick(s.id)!);
    const peer = results.find((r) => r.store === "memory");
    const ratio = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined || y === 0 ? undefined : Math.round((x / y) * 100) / 100);
    console.log();
    console.log(
      table(
        ["store", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "provider CPU", "µs CPU/req", "PG µs CPU/req", "req/s vs memory", "CPU/req vs memory", "contended"],
        results.map((r) => {
          const t = r.throughput;
          return [
            r.label,
            fmt(t.requestsPerSecond),
            fmt(t.latencyMs.p50, 2),
            fmt(t.latencyMs.p99, 2),
            fmt(t.non2xx),
            fmt(t.errors),
            fmt(t.serverCpu, 2),
            fmt(t.serverCpuMicrosecondsPerRequest),
            fmt(t.databaseCpuMicrosecondsPerRequest),
            fmt(ratio(t.requestsPerSecond, peer?.throughput.requestsPerSecond), 2),
            fmt(ratio(t.serverCpuMicrosecondsPerRequest, peer?.throughput.serverCpuMicrosecondsPerRequest), 2),
            t.contended ? "yes" : "no",
          ];
        }),
      ),
    );
    for (const r of results) {
      if (r.profile === undefined) continue;
      console.log(`\n  profile of the provider, ${r.label} (${r.profile.file}): busy ${fmt(r.profile.summary.busyMs)} ms; self time by file:`);
      for (const f of r.profile.summary.files.slice(0, 8)) console.log(`    ${f.percent.toFixed(1).padStart(5)} %  ${f.name}`);
      console.log("  self time by function:");
      for (const f of r.profile.summary.functions.slice(0, 10)) console.log(`    ${f.percent.toFixed(1).padStart(5)} %  ${f.name}`);
    }
    for (const r of results) if (r.ledger !== undefined) console.log(`  ${r.label}: ledger holds ${fmt(r.ledger.payments)} payments, ${fmt(r.ledger.deliveries)} successful deliveries, ${r.ledger.conflicts} refused conflict (the check's)`);
    const report = {
      date: date.toISOString(),
      commit,
      machine: info,
      config: { ...options, rounds, stores: stores.map((s) => s.id), serverCpu: Number(SERVER_CPU), loadGeneratorCpu: Number(LOAD_CPU), mix: "50% first deliveries, 50% repeats" },
      results,
      rounds: Object.fromEntries(all),
    };
    const out = join(root, "bench/results");
    mkdirSync(out, { recursive: true });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(join(out, "confirmations-latest.json"), json);
    writeFileSync(join(out, `confirmations-${date.toISOString().replace(/[:.]/g, "-")}.json`), json);
    console.log(`\nraw results: bench/results/confirmations-latest.json`);
  } finally {
    killAll();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
