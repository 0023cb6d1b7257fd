/**
 * What every benchmark prints the same way: the machine it ran on, aligned tables and numbers.
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, cpus, release, totalmem } from "node:os";

/** The machine facts a result is recorded with. */
export function machine(): { nproc: number; cpuModel: string; node: string; kernel: string; memoryGiB: number } {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  return { nproc: availableParallelism(), cpuModel: model, node: process.version, kernel: release(), memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10 };
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A number with thousands separators and `digits` decimals; `n/a` for none. */
export const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || !Number.isFinite(n) ? "n/a" : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
