/**
 * Summarizes a V8 `.cpuprofile` (written by `node --cpu-prof`): self time per function and per
 * source file, and total (inclusive) time per function, highest first, as shares of the time
 * the process was busy serving (start-up and idle time set apart).
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  readonly name: string;
  /** Milliseconds of self time. */
  readonly ms: number;
  /** Share of the busy serving time, in percent. */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Time spent serving (not idle, not start-up); the percentages below are shares of it. */
  readonly busyMs: number;
  /** Time spent idle (waiting for I/O) after start-up. */
  readonly idleMs: number;
  /** Time spent starting (loading modules, type stripping, until main's top level returns). */
  readonly startupMs: number;
  readonly functions: readonly SelfTime[];
  readonly files: readonly SelfTime[];
  /** Total (inclusive) time per function: itself and everything it called (recursion counted once). */
  readonly inclusive: readonly SelfTime[];
  /** Self time grouped by area (our runtime's parts, the example handler, Node's HTTP, the kernel, GC). */
  readonly areas: readonly SelfTime[];
}

/** The area a function's self time belongs to, from its source file. */
function area(functionName: string, file: string): string {
  if (file.startsWith("runtime/src/xml/")) return "runtime: XML parser and writer";
  if (file.startsWith("runtime/src/xsd/")) return "runtime: codec (decode, encode, facets)";
  if (file.startsWith("runtime/src/soap/")) return "runtime: SOAP server (listener, envelope, routing)";
  if (file.startsWith("runtime/")) return "runtime: other";
  if (file.startsWith("generated/")) return "generated package";
  if (file.startsWith("examples/")) return "example provider (OrderBook)";
  if (file === "node:internal/worker/js_transferable") return "structuredClone (OrderBook copies each order it returns)";
  if (file.includes("node_modules/")) return `dependencies (${file.split("node_modules/").pop()!.split("/")[0]})`;
  if (file.startsWith("node:")) return "Node.js JS internals (http parser glue, streams, events, timers)";
  if (/^(writev|writeUtf8String|writeBuffer|writeLatin1String|writeAsciiString)$/.test(functionName)) return "socket writes (system call, loopback TCP)";
  if (functionName === "(garbage collector)") return "garbage collector";
  if (functionName === "(program)") return "(program): V8 and native code outside JS functions";
  return "other native";
}

function where(url: string, root: string): string {
  if (url === "") return "(native)";
  if (url.startsWith("node:")) return url;
  try {
    const path = url.startsWith("file:") ? fileURLToPath(url) : url;
    return relative(root, path);
  } catch {
    return url;
  }
}

export function summarizeProfile(file: string, root: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Start-up (loading and type-stripping the modules, running main until it listens) is not
  // serving: the subtrees under the main-module entry are set apart.
  const startupIds = new Set<number>();
  const mark = (id: number) => {
    const stack = [id];
    while (stack.length > 0) {
      const n = stack.pop()!;
      startupIds.add(n);
      stack.push(...(byId.get(n)?.children ?? []));
    }
  };
  for (const n of profile.nodes) if (n.callFrame.url === "node:internal/main/run_main_module" && !startupIds.has(n.id)) mark(n.id);
  const selfUs = new Map<number, number>();
  let startup = 0;
  // timeDeltas[i] is the time before sample i; attribute it to sample i's node.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const dt = profile.timeDeltas[i] ?? 0;
    if (startupIds.has(id)) {
      startup += dt;
      continue;
    }
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  let all = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    all += us;
    if (byId.get(id)!.callFrame.functionName === "(idle)") idle += us;
  }
  // Percentages are of the busy serving time: neither idle nor start-up.
  const total = all - idle;
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    if (f.functionName === "(idle)") continue;
    const file = where(f.url, root);
    const name = `${f.functionName || "(anonymous)"} ${file}${f.url === "" ? "" : `:${f.lineNumber + 1}`}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
    const fileKey = f.url === "" ? f.functionName || "(native)" : file;
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
    const a = area(f.functionName, f.url === "" ? "" : file);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  // Inclusive time: walk the call tree; a function already on the stack is not counted again.
  const subtotal = new Map<number, number>();
  const totalOf = (id: number): number => {
    const cached = subtotal.get(id);
    if (cached !== undefined) return cached;
    let t = byId.get(id)!.callFrame.functionName === "(idle)" ? 0 : (selfUs.get(id) ?? 0);
    for (const c of byId.get(id)?.children ?? []) t += totalOf(c);
    subtotal.set(id, t);
    return t;
  };
  const inclusive = new Map<string, number>();
  const onStack = new Map<string, number>();
  const rootId = profile.nodes[0]?.id;
  // Iterative DFS (deep stacks would overflow a recursive walk).
  const work: { id: number; leave: boolean }[] = rootId === undefined ? [] : [{ id: rootId, leave: false }];
  while (work.length > 0) {
    const { id, leave } = work.pop()!;
    if (startupIds.has(id)) continue;
    const node = byId.get(id)!;
    const f = node.callFrame;
    const name = `${f.functionName || "(anonymous)"} ${where(f.url, root)}${f.url === "" ? "" : `:${f.lineNumber + 1}`}`;
    if (leave) {
      onStack.set(name, onStack.get(name)! - 1);
      continue;
    }
    if ((onStack.get(name) ?? 0) === 0) inclusive.set(name, (inclusive.get(name) ?? 0) + totalOf(id));
    onStack.set(name, (onStack.get(name) ?? 0) + 1);
    work.push({ id, leave: true });
    for (const c of node.children ?? []) work.push({ id: c, leave: false });
  }
  for (const special of ["(root) (native)", "(idle) (native)", "(program) (native)", "(garbage collector) (native)"]) inclusive.delete(special);

  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, percent: Math.round((us / total) * 1000) / 10 }));
  return {
    busyMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    startupMs: Math.round(startup / 1000),
    functions: rank(fns),
    files: rank(files),
    inclusive: rank(inclusive),
    areas: rank(areas),
  };
}
