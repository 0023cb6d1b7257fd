/**
 * mpay-codegen, the programmatic API: WSDL 1.1 / XSD 1.0 contracts → typed TypeScript packages
 * over `@mpay-kit/runtime`.
 *
 * `generate()` is pure: it reads the contract files through a {@link FileHost} (the disk by
 * default) and returns the files to write; it writes nothing and never uses the network.
 *
 * Pipeline, per contract:
 * 1. `load/`: the main WSDL and everything it imports (catalog for absolute URLs);
 * 2. `parse/`: WSDL and XSD → IR, QNames resolved by namespace where they are written;
 * 3. `ir/resolve.ts`: every reference → its component, or a diagnostic listing what exists;
 * 4. `emit/model.ts`: port selection, reachable types, flattening, names;
 * 5. `emit/`: the package's files, built with ts-morph and formatted with prettier.
 * Each step stops the contract at its first failing phase, with every diagnostic of that phase.
 */
import { watch as watchFolder, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, type FSWatcher } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Diagnostics, DiagnosticError, type Diagnostic } from "./diagnostics.ts";
import { buildModel } from "./emit/build.ts";
import { emitPackage } from "./emit/emit.ts";
import { displayPath, loadContract } from "./load/load.ts";
import { nodeFileHost, type FileHost } from "./load/host.ts";
import type { ContractIR, Ref, RefTarget } from "./ir/model.ts";
import { ComponentIndex, resolveRefs } from "./ir/resolve.ts";
import { parseDefinitions } from "./parse/wsdl.ts";
import { parseSchemas } from "./parse/xsd.ts";
import { checkContracts, contractName, OptionError, parseConfig, type ContractOptions } from "./options.ts";

export { DiagnosticError, formatDiagnostic, type Diagnostic, type SourceLocation } from "./diagnostics.ts";
export { memoryHost, nodeFileHost, type FileHost } from "./load/host.ts";
export { OptionError, parseConfig, parseContract, contractName, type ContractOptions, type FaultOptions } from "./options.ts";

export interface GenerateOptions {
  readonly contracts: readonly ContractOptions[];
  /** Folder that the contracts' paths are relative to (the config file's folder). */
  readonly baseDir: string;
  /** Where contract files are read from (default: the disk). */
  readonly host?: FileHost;
  /** Receives warnings (errors are thrown as a {@link DiagnosticError}). */
  readonly onWarning?: (d: Diagnostic) => void;
}

/** One file of a generated package. */
export interface GeneratedFile {
  /** The contract's short name (its output folder's name). */
  readonly contract: string;
  /** Absolute path to write to. */
  readonly path: string;
  /** Path inside the package, with `/` separators: `src/types.ts`. */
  readonly file: string;
  readonly contents: string;
}

export interface ContractRunOptions {
  /** Folder that the contract's paths are relative to (the config file's folder). */
  readonly baseDir: string;
  /** Folder that paths in diagnostics are relative to (default: `baseDir`; the CLI uses the working directory). */
  readonly displayDir?: string;
  readonly host?: FileHost;
}

export interface ContractResult {
  readonly name: string;
  /** Absolute path of the package folder. */
  readonly outDir: string;
  readonly files: readonly GeneratedFile[];
  /** Type declarations described (interfaces, unions, aliases, array wrappers). */
  readonly types: number;
  readonly operations: number;
  readonly warnings: readonly Diagnostic[];
}

/**
 * Generates one contract's package.
 * @throws DiagnosticError with every problem found (file:line:col), when the contract cannot be generated.
 */
export async function generateContract(contract: ContractOptions, options: ContractRunOptions): Promise<ContractResult> {
  const { baseDir } = options;
  const host = options.host ?? nodeFileHost;
  const d = new Diagnostics();
  const wsdl = resolve(baseDir, contract.wsdl);
  const loaded = loadContract(
    {
      wsdl,
      baseDir: options.displayDir ?? baseDir,
      host,
      ...(contract.catalog === undefined ? {} : { catalog: resolve(baseDir, contract.catalog) }),
    },
    d,
  );
  d.check();
  if (loaded === undefined) throw new DiagnosticError(d.list);

  const refs: Ref<keyof RefTarget>[] = [];
  const ir: ContractIR = { schemas: parseSchemas(loaded, d, refs), definitions: parseDefinitions(loaded, d, refs) };
  d.check();
  resolveRefs(refs, new ComponentIndex(ir, d), d);
  d.check();

  const wsdlPath = displayPath(baseDir, wsdl);
  const model = buildModel(ir, loaded, d, {
    wsdlPath,
    packageName: contract.package,
    faults: contract.faults,
    service: contract.service,
    port: contract.port,
    timeZone: contract.timeZone,
  });
  d.check();
  if (model === undefined) throw new DiagnosticError(d.list);

  const name = contractName(contract);
  const outDir = resolve(baseDir, contract.out);
  const files = (await emitPackage(model)).map((f) => ({ contract: name, path: resolve(outDir, f.path), file: f.path, contents: f.contents }));
  return {
    name,
    outDir,
    files,
    types: model.decls.filter((x) => x.kind !== "inline").length,
    operations: model.operations.length,
    warnings: d.list.filter((x) => x.severity === "warning"),
  };
}

/**
 * Generates every contract; returns all files, sorted by path.
 * @throws DiagnosticError (all contracts' problems) or OptionError.
 */
export async function generate(options: GenerateOptions): Promise<GeneratedFile[]> {
  checkContracts(options.contracts);
  const files: GeneratedFile[] = [];
  const problems: Diagnostic[] = [];
  for (const contract of options.contracts) {
    try {
      const result = await generateContract(contract, { baseDir: options.baseDir, ...(options.host === undefined ? {} : { host: options.host }) });
      for (const w of result.warnings) options.onWarning?.(w);
      files.push(...result.files);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      problems.push(...e.diagnostics);
    }
  }
  if (problems.length > 0) throw new DiagnosticError(problems);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// What `mpay-codegen generate` does, as functions: read a config, write or check the packages,
// watch the inputs. The command line is a thin layer over these.

/** The marker that makes a file in an output folder the generator's to replace or delete. */
const MARKER = "@generated by mpay-codegen";

/** A config file that cannot be read (as opposed to one that is invalid: {@link OptionError}). */
export class ConfigReadError extends Error {
  override readonly name = "ConfigReadError";
}

/** A generated file could not be written (or an old one removed): a problem of the disk, not of the contract. */
export class OutputError extends Error {
  override readonly name = "OutputError";
  /** Absolute path of the file. */
  readonly path: string;
  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOTDIR" || code === "EEXIST" ? "a file stands where a folder is needed" : code === "EISDIR" ? "a folder stands where the file goes" : (cause as Error).message;
    super(`cannot write ${path}: ${reason}`, { cause });
    this.path = path;
  }
}

/** The contracts of a config file, and the folder their paths are relative to. */
export interface LoadedConfig {
  readonly contracts: readonly ContractOptions[];
  /** The config file's folder. */
  readonly baseDir: string;
}

/**
 * Reads and checks a config file (`mpay-codegen generate --config <file>`).
 * @param path the file, absolute or relative to the working directory.
 * @param shownAs how messages name the file (default: `path`).
 * @throws ConfigReadError when the file cannot be read; OptionError when it is invalid (the message ends with `(in <shownAs>)`).
 */
export function readConfig(path: string, shownAs: string = path): LoadedConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (e) {
    throw new ConfigReadError(`cannot read the config ${shownAs}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  try {
    return { contracts: parseConfig(text), baseDir: dirname(absolute) };
  } catch (e) {
    if (e instanceof OptionError) throw new OptionError(e.key, `${e.reason} (in ${shownAs})`);
    throw e;
  }
}

/**
 * Options of {@link writeContracts}: the programmatic form of `mpay-codegen generate`.
 *
 * `--config <file>` is `readConfig(file)` spread in; `--wsdl/--out/--package/--catalog` is one
 * contract made with `parseContract({ wsdl, out, package, catalog }, "")` and `baseDir` the working
 * directory; `--check` is `check: true`; `--watch` is {@link watchContracts}.
 */
export interface WriteOptions {
  readonly contracts: readonly ContractOptions[];
  /** Folder that the contracts' paths are relative to (the config file's folder). */
  readonly baseDir: string;
  /** Folder that paths in diagnostics are relative to (default: `baseDir`; the CLI uses the working directory). */
  readonly displayDir?: string;
  /** Write nothing; report generated files that are missing, stale, or no longer generated (`--check`). */
  readonly check?: boolean;
  /** Where contract files are read from (default: the disk). Packages are always written to the disk. */
  readonly host?: FileHost;
}

/** A generated file that differs from what is on disk (reported by `check`). */
export interface OutdatedFile {
  /** Absolute path. */
  readonly path: string;
  /** `missing`: not on disk; `stale`: different on disk; `extra`: carries the generated marker but is no longer generated. */
  readonly state: "missing" | "stale" | "extra";
}

/** What happened to one contract. */
export interface ContractWrite {
  readonly name: string;
  /** Absolute path of the package folder. */
  readonly outDir: string;
  /** `false` when the contract was refused, or (`check`) its package is out of date. */
  readonly ok: boolean;
  /** Set when the package was generated: what it describes. */
  readonly generated?: { readonly types: number; readonly operations: number; readonly files: number };
  /** Errors (when refused) and warnings, in file order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Files written (absolute paths; never with `check`). Unchanged files are not rewritten. */
  readonly written: readonly string[];
  /** Files removed: they carried the generated marker and are no longer generated (never with `check`). */
  readonly removed: readonly string[];
  /** With `check`: the files that are out of date. */
  readonly outdated: readonly OutdatedFile[];
  /** Every file read, or looked for, to generate: the WSDL, its imports, the catalog (absolute paths). */
  readonly inputs: readonly string[];
  /** Time taken, in milliseconds. */
  readonly ms: number;
}

/** The outcome of {@link writeContracts}: one entry per contract, in config order. */
export interface WriteResult {
  readonly contracts: readonly ContractWrite[];
  /** Every contract generated and (with `check`) up to date. */
  readonly ok: boolean;
  readonly ms: number;
}

/**
 * Generates every contract and writes its package (or, with `check`, compares it with the disk).
 * A contract the generator refuses does not stop the others; its diagnostics are in the result.
 * Files are written only when their contents change; generated files that are no longer generated
 * are removed (files without the generated marker, `dist/` and `node_modules/` are left alone).
 * @throws OptionError when two contracts write the same folder; OutputError when a file cannot be
 * written (the contracts before it are written); any other error is a bug.
 */
export async function writeContracts(options: WriteOptions): Promise<WriteResult> {
  checkContracts(options.contracts);
  const started = performance.now();
  const contracts: ContractWrite[] = [];
  for (const contract of options.contracts) contracts.push(await writeContract(contract, options));
  return { contracts, ok: contracts.every((c) => c.ok), ms: performance.now() - started };
}

async function writeContract(contract: ContractOptions, options: WriteOptions): Promise<ContractWrite> {
  const started = performance.now();
  const name = contractName(contract);
  const outDir = resolve(options.baseDir, contract.out);
  const inputs = new Set<string>();
  const inner = options.host ?? nodeFileHost;
  const host: FileHost = {
    readFile(path) {
      inputs.add(path);
      return inner.readFile(path);
    },
  };
  const none = { written: [], removed: [], outdated: [] };
  let result: ContractResult;
  try {
    result = await generateContract(contract, { baseDir: options.baseDir, host, ...(options.displayDir === undefined ? {} : { displayDir: options.displayDir }) });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return { name, outDir, ok: false, diagnostics: e.diagnostics, ...none, inputs: [...inputs].sort(), ms: performance.now() - started };
  }
  const generated = { types: result.types, operations: result.operations, files: result.files.length };
  const extra = extraFiles(result.outDir, result.files);
  const base = { name, outDir, generated, diagnostics: result.warnings, inputs: [...inputs].sort() };
  if (options.check === true) {
    const outdated: OutdatedFile[] = [];
    for (const f of result.files) {
      const current = readOrUndefined(f.path);
      if (current === undefined) outdated.push({ path: f.path, state: "missing" });
      else if (current !== f.contents) outdated.push({ path: f.path, state: "stale" });
    }
    for (const path of extra) outdated.push({ path, state: "extra" });
    return { ...base, ok: outdated.length === 0, ...none, outdated, ms: performance.now() - started };
  }
  const written: string[] = [];
  for (const f of result.files) {
    if (readOrUndefined(f.path) === f.contents) continue;
    try {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.contents);
    } catch (e) {
      throw new OutputError(f.path, e);
    }
    written.push(f.path);
  }
  for (const path of extra) {
    try {
      rmSync(path);
    } catch (e) {
      throw new OutputError(path, e);
    }
  }
  return { ...base, ok: true, written, removed: extra, outdated: [], ms: performance.now() - started };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Files in the output folder that carry the generated marker but are no longer generated (a
 * `faults.ts` after the faults were removed from the config). Build output, dependencies and
 * files without the marker are left alone.
 */
function extraFiles(outDir: string, files: readonly GeneratedFile[]): string[] {
  const wanted = new Set(files.map((f) => f.path));
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "dist" && e.name !== "node_modules" && !e.name.startsWith(".")) walk(path);
      } else if (e.isFile() && !wanted.has(path) && (readOrUndefined(path)?.slice(0, 400).includes(MARKER) ?? false)) {
        out.push(path);
      }
    }
  };
  walk(outDir);
  return out;
}

/** Options of {@link watchContracts}: `mpay-codegen generate --watch`. */
export interface WatchOptions {
  /**
   * A config file (absolute, or relative to the working directory), read again on every run and
   * watched itself; or give `contracts` and `baseDir`.
   */
  readonly config?: string;
  readonly contracts?: readonly ContractOptions[];
  readonly baseDir?: string;
  /** Folder that paths in diagnostics and in {@link WatchRun.changed} are relative to (default: the working directory). */
  readonly displayDir?: string;
  /** Quiet time after the last change before a run starts, in milliseconds (default 150). */
  readonly debounceMs?: number;
  /** Stops watching when aborted. */
  readonly signal?: AbortSignal;
  /** Called after every run, the first one included. Exceptions it throws are not caught. */
  readonly onRun: (run: WatchRun) => void;
}

/** One run of a watch. */
export interface WatchRun {
  /** The files whose change started the run (absolute paths, sorted); empty for the first run. */
  readonly changed: readonly string[];
  /** What was generated; absent when `error` is set. */
  readonly result?: WriteResult;
  /**
   * Why nothing was generated: the config cannot be read ({@link ConfigReadError}) or is invalid
   * ({@link OptionError}), a file cannot be written ({@link OutputError}), or the generator failed
   * (a bug). The watch goes on either way.
   */
  readonly error?: Error;
  /** The files watched from now on: every input of every contract, and the config. */
  readonly watching: readonly string[];
}

/** A running watch. */
export interface ContractWatcher {
  /** Resolves when the watch has stopped (after {@link ContractWatcher.close} or the signal). */
  readonly closed: Promise<void>;
  /** Stops watching; a run in progress finishes first. */
  close(): void;
}

/**
 * Generates the contracts, then again whenever one of their input files (WSDL, XSDs, catalog) or
 * the config changes: changes within `debounceMs` of each other make one run, and runs never
 * overlap. Folders are watched rather than files, so editors that save by replacing a file are
 * seen, and so is a missing import that appears. A failing run is reported and the watch goes on.
 */
export function watchContracts(options: WatchOptions): ContractWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const displayDir = options.displayDir ?? process.cwd();
  const config = options.config === undefined ? undefined : resolve(options.config);
  if (config === undefined && (options.contracts === undefined || options.baseDir === undefined)) {
    throw new TypeError("watchContracts needs config, or contracts and baseDir");
  }
  const folders = new Map<string, FSWatcher>();
  let watched = new Set<string>(config === undefined ? [] : [config]);
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let finish!: () => void;
  const closed = new Promise<void>((done) => (finish = done));

  const schedule = () => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running === undefined) running = run().finally(() => (running = undefined));
      // A change during a run starts another one once it is done.
      else void running.then(schedule);
    }, debounceMs);
  };

  const watchFolders = () => {
    const wanted = new Set([...watched].map((f) => dirname(f)));
    for (const [dir, w] of folders) {
      if (!wanted.has(dir)) {
        w.close();
        folders.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (folders.has(dir)) continue;
      try {
        const w = watchFolder(dir, { persistent: true }, (_event, file) => {
          if (file === null) {
            for (const f of watched) if (dirname(f) === dir) pending.add(f);
          } else {
            const path = join(dir, file.toString());
            if (!watched.has(path)) return;
            pending.add(path);
          }
          schedule();
        });
        w.on("error", () => {
          w.close();
          folders.delete(dir);
        });
        folders.set(dir, w);
      } catch {
        // A folder that does not exist (yet): the file's absence is already a diagnostic.
      }
    }
  };

  const run = async () => {
    const changed = [...pending].sort();
    pending.clear();
    let result: WriteResult | undefined;
    let error: Error | undefined;
    try {
      const { contracts, baseDir } = config === undefined ? { contracts: options.contracts!, baseDir: options.baseDir! } : readConfig(config, displayPath(displayDir, config));
      result = await writeContracts({ contracts, baseDir, displayDir });
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    if (result !== undefined) {
      // Keep watching what was watched if nothing was read (the config is broken): the next fix is seen.
      watched = new Set([...(config === undefined ? [] : [config]), ...result.contracts.flatMap((c) => c.inputs)]);
    }
    if (stopped) return;
    watchFolders();
    options.onRun({ changed, ...(result === undefined ? {} : { result }), ...(error === undefined ? {} : { error }), watching: [...watched].sort() });
  };

  const close = () => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    for (const w of folders.values()) w.close();
    folders.clear();
    void (running ?? Promise.resolve()).then(finish);
  };
  if (options.signal?.aborted === true) close();
  else {
    options.signal?.addEventListener("abort", close, { once: true });
    running = run().finally(() => (running = undefined));
  }
  return { closed, close };
}
