/**
 * The generator's pipeline stage by stage, timed: the steps of `generateContract`
 * (generator/src/index.ts) called one at a time through the generator's internal modules, so the
 * scaling check can say which stage grows faster than the input. {@link checkStagedOutput}
 * compares the result with `generateContract`'s, so a change of the pipeline that this copy
 * misses fails loudly instead of timing something else.
 */
import { resolve } from "node:path";
import { generateContract, memoryHost, type FileHost } from "@mpay-kit/codegen";
import { Diagnostics, DiagnosticError } from "../../generator/src/diagnostics.ts";
import { buildModel } from "../../generator/src/emit/build.ts";
import { emitPackage } from "../../generator/src/emit/emit.ts";
import { formatTypeScript } from "../../generator/src/emit/format.ts";
import type { ContractIR, Ref, RefTarget } from "../../generator/src/ir/model.ts";
import { ComponentIndex, resolveRefs } from "../../generator/src/ir/resolve.ts";
import { displayPath, loadContract } from "../../generator/src/load/load.ts";
import { parseDefinitions } from "../../generator/src/parse/wsdl.ts";
import { parseSchemas } from "../../generator/src/parse/xsd.ts";

/** The stages, in pipeline order. `format` is prettier run again over the emitted TypeScript (part of `emit`). */
export const STAGES = ["load", "parse", "resolve", "model", "emit", "format"] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Milliseconds per stage, and `total` (load..emit; `format` is inside `emit`): CPU time of this
 * process (user + system), which waiting for a busy machine's CPU does not inflate as it does
 * wall time.
 */
export type StageTimes = Record<Stage | "total", number>;

/** In-memory files under this folder. */
const ROOT = "/synthetic";

/** A host over in-memory files named relative to {@link ROOT}. */
export function syntheticHost(files: Readonly<Record<string, string>>): FileHost {
  return memoryHost(Object.fromEntries(Object.entries(files).map(([name, text]) => [resolve(ROOT, name), text])));
}

const CONTRACT = { wsdl: "contract.wsdl", out: "out/synthetic", package: "@bench/synthetic" } as const;

/** Runs the pipeline over in-memory files once; returns the stage CPU times and the files (path → text). */
export async function generateStaged(files: Readonly<Record<string, string>>): Promise<{ times: StageTimes; files: Map<string, string> }> {
  const host = syntheticHost(files);
  const d = new Diagnostics();
  const wsdl = resolve(ROOT, CONTRACT.wsdl);
  let t = process.cpuUsage();
  const lap = () => {
    const d = process.cpuUsage(t);
    t = process.cpuUsage();
    return (d.user + d.system) / 1000;
  };
  const fail = () => new DiagnosticError(d.list);

  const loaded = loadContract({ wsdl, baseDir: ROOT, host }, d);
  d.check();
  if (loaded === undefined) throw fail();
  const load = lap();

  const refs: Ref<keyof RefTarget>[] = [];
  const ir: ContractIR = { schemas: parseSchemas(loaded, d, refs), definitions: parseDefinitions(loaded, d, refs) };
  d.check();
  const parse = lap();

  resolveRefs(refs, new ComponentIndex(ir, d), d);
  d.check();
  const resolved = lap();

  const model = buildModel(ir, loaded, d, { wsdlPath: displayPath(ROOT, wsdl), packageName: CONTRACT.package, faults: undefined, service: undefined, port: undefined, timeZone: undefined });
  d.check();
  if (model === undefined) throw fail();
  const modelled = lap();

  const emitted = await emitPackage(model);
  const emit = lap();

  for (const f of emitted) if (f.path.endsWith(".ts")) await formatTypeScript(f.contents);
  const format = lap();

  return {
    times: { load, parse, resolve: resolved, model: modelled, emit, format, total: load + parse + resolved + modelled + emit },
    files: new Map(emitted.map((f) => [f.path, f.contents])),
  };
}

/** Runs the public API (`generateContract`) over the same in-memory files; returns its wall time and files. */
export async function generateWhole(files: Readonly<Record<string, string>>): Promise<{ ms: number; files: Map<string, string>; types: number; operations: number }> {
  const started = performance.now();
  const result = await generateContract({ ...CONTRACT }, { baseDir: ROOT, host: syntheticHost(files) });
  const ms = performance.now() - started;
  return { ms, files: new Map(result.files.map((f) => [f.file, f.contents])), types: result.types, operations: result.operations };
}

/** Throws unless the staged pipeline gives exactly the files of `generateContract`. */
export async function checkStagedOutput(files: Readonly<Record<string, string>>): Promise<void> {
  const [staged, whole] = [await generateStaged(files), await generateWhole(files)];
  const names = (m: Map<string, string>) => [...m.keys()].sort().join(", ");
  if (names(staged.files) !== names(whole.files)) {
    throw new Error(`bench/lib/codegen-stages.ts no longer matches generateContract: files ${names(staged.files)} vs ${names(whole.files)}; update it from generator/src/index.ts`);
  }
  for (const [path, text] of whole.files) {
    if (staged.files.get(path) !== text) throw new Error(`bench/lib/codegen-stages.ts no longer matches generateContract: ${path} differs; update it from generator/src/index.ts`);
  }
}
