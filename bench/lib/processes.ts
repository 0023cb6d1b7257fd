/**
 * Child processes of the benchmark: every one is started in its own process group and
 * tracked, so that all of them (and their own children, e.g. under `/usr/bin/time`) are
 * killed when the benchmark ends, also on error or Ctrl-C.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Kills every child still running (SIGKILL). Synchronous: safe in an `exit` handler. */
export function killAll(): void {
  for (const child of running) killGroup(child, "SIGKILL");
  running.clear();
}

let installed = false;
function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

/** Spawns a tracked child in its own process group. */
export function start(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  installCleanup();
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options, detached: true });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** Waits for a child to exit, killing its group after `timeoutMs`. Resolves with its exit code. */
export function waitExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Asks a child to stop (SIGTERM to its group), then kills it if it has not exited within `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  killGroup(child, "SIGTERM");
  await waitExit(child, graceMs);
}

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
}

/** Starts a server process that prints its URL on the first stdout line. */
export function startServer(command: string, args: readonly string[], options: SpawnOptions = {}, timeoutMs = 30_000): Promise<Server> {
  const child = start(command, args, options);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, "SIGKILL");
      reject(new Error(`${args.join(" ")}: no URL printed within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")}: exited with code ${code} before printing its URL; stderr: ${stderr}`));
    };
    child.once("exit", onExit);
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout!.resume();
      resolve({ url: line.trim(), child, stderr: () => stderr });
    });
  });
}

/** Runs a command to completion, collecting its output; kills it after `timeoutMs`. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(command, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const code = await waitExit(child, options.timeoutMs);
  return { code, stdout, stderr };
}

/** CPU time (user + system) of a process so far, in seconds, from /proc; undefined if unreadable. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies per CPU (`cpu0`, `cpu1`, ...) and for all (`cpu`), from /proc/stat. */
export type CpuTimes = ReadonlyMap<string, { readonly busy: number; readonly total: number; readonly steal: number }>;

export function cpuTimes(): CpuTimes {
  const map = new Map<string, { busy: number; total: number; steal: number }>();
  try {
    for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
      if (!line.startsWith("cpu")) continue;
      const [name, ...rest] = line.trim().split(/\s+/);
      const v = rest.map(Number); // user nice system idle iowait irq softirq steal guest guest_nice
      const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
      map.set(name!, { busy: total - v[3]! - v[4]!, total, steal: v[7] ?? 0 });
    }
  } catch {
    /* not Linux: empty */
  }
  return map;
}

/** Busy share (0..1) of one CPU between two samples; steal (time the hypervisor gave to others) counts as busy. */
export function busyShare(before: CpuTimes, after: CpuTimes, cpu: string): number | undefined {
  const a = before.get(cpu);
  const b = after.get(cpu);
  if (a === undefined || b === undefined || b.total === a.total) return undefined;
  return Math.round(((b.busy - a.busy) / (b.total - a.total)) * 100) / 100;
}

/**
 * Waits (at most `maxSeconds`) until the whole machine is nearly idle: less than `threshold`
 * of all CPUs busy over a 2-second sample. Resolves with the last sample's busy share.
 */
export async function waitQuiet(maxSeconds: number, threshold = 0.1, onBusy?: (share: number) => void): Promise<{ busy: number; waitedSeconds: number }> {
  const started = Date.now();
  for (let i = 0; ; i++) {
    const before = cpuTimes();
    await new Promise((r) => setTimeout(r, 2_000));
    const busy = busyShare(before, cpuTimes(), "cpu") ?? 0;
    const waitedSeconds = Math.round((Date.now() - started) / 1000);
    if (busy < threshold || waitedSeconds >= maxSeconds) return { busy, waitedSeconds };
    if (i === 0) onBusy?.(busy);
  }
}
