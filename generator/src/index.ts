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
import { resolve } from "node:path";
import { Diagnostics, DiagnosticError, type Diagnostic } from "./diagnostics.ts";
import { buildModel } from "./emit/build.ts";
import { emitPackage } from "./emit/emit.ts";
import { displayPath, loadContract } from "./load/load.ts";
import { nodeFileHost, type FileHost } from "./load/host.ts";
import type { ContractIR, Ref, RefTarget } from "./ir/model.ts";
import { ComponentIndex, resolveRefs } from "./ir/resolve.ts";
import { parseDefinitions } from "./parse/wsdl.ts";
import { parseSchemas } from "./parse/xsd.ts";
import { checkContracts, contractName, type ContractOptions } from "./options.ts";

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
