/**
 * `mpay-codegen`, the command line.
 *
 * ```
 * mpay-codegen generate --config <file> [--check | --watch] [--debug]
 * mpay-codegen generate --wsdl <file> --out <dir> [--package <name>] [--catalog <file>] [--check | --watch] [--debug]
 * mpay-codegen validate --wsdl <file> [--catalog <file>] <message.xml>...
 * mpay-codegen certs <dir> [--force] [--days <n>] [--password <p>]
 * ```
 *
 * Prints one summary line per contract on stdout (and a total line for several), diagnostics as
 * `file:line:col: message; hint` on stderr (paths relative to the working directory), and exits 0
 * on success, 1 when a contract has errors or (`--check`) generated files are stale, missing or
 * extra, 2 on a usage error. A stack trace is printed only for an internal error, and only with
 * `--debug`. `--watch` regenerates on every change to the contracts' files or the config, one line
 * per run, until interrupted (exit 0). The same operations are in the API: `writeContracts` and
 * `watchContracts` (index.ts).
 *
 * In the repository the file runs directly (`node --conditions=mpay-kit-source
 * generator/src/cli.ts`); the published package runs it from `bin/mpay-codegen.js`.
 */
import { readFileSync, realpathSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { DiagnosticError, formatDiagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics.ts";
import type { ContractWrite, WatchRun, WriteResult } from "./index.ts";
import { checkContracts, OptionError, parseConfig, parseContract, type ContractOptions } from "./options.ts";

export const USAGE = `Usage:
  mpay-codegen generate --config <file> [--check | --watch] [--debug]
  mpay-codegen generate --wsdl <file> --out <dir> [--package <name>] [--catalog <file>] [--check | --watch] [--debug]
  mpay-codegen validate --wsdl <file> [--catalog <file>] <message.xml>...
  mpay-codegen certs <dir> [--force] [--days <n>] [--password <p>]

generate writes a typed TypeScript package (types, descriptors, a client, a server skeleton, the
contract's documents, package.json and tsconfig.json) for each WSDL 1.1 document/literal SOAP 1.1
contract. Nothing is fetched over the network: absolute import URLs map to local files through a
catalog. Files are rewritten only when they change.

Examples:
  mpay-codegen generate --config wsdl/codegen.json
      every contract the config lists; its paths are relative to the config file
  mpay-codegen generate --wsdl wsdl/Bank.wsdl --out generated/bank
      one contract; the package is named after the folder ("bank")
  mpay-codegen generate --wsdl wsdl/Bank.wsdl --out generated/bank --package @acme/bank --catalog wsdl/catalog.json
      with an npm name, and a catalog for imports written as http(s) URLs
  mpay-codegen generate --config wsdl/codegen.json --check
      in CI: writes nothing, lists stale, missing and extra files, exits 1 when there are any
  mpay-codegen generate --config wsdl/codegen.json --watch
      while editing: regenerates on every change to a WSDL, XSD, catalog or the config (Ctrl-C stops)
  mpay-codegen validate --wsdl wsdl/Bank.wsdl captured/request.xml captured/response.xml
      checks saved messages against the contract's schemas with libxml2
  mpay-codegen certs pki
      a development PKI (root CA, MPay and provider certificates) for trying WS-Security locally

Options of generate:
  --config <file>    a config file: {"catalog"?, "contracts": [{"wsdl", "out", "package", "catalog"?,
                     "faults"?, "service"?, "port"?, "timeZone"?}]}; paths relative to the config file
  --wsdl <file>      the contract's WSDL (instead of --config)
  --out <dir>        the package folder to generate (with --wsdl)
  --package <name>   the npm package name (with --wsdl; default: the folder's name)
  --catalog <file>   {"map": {"<url>": "<file>"}, "rewrite": [{"prefix": "<url>", "to": "<folder>/"}]}
                     mapping absolute import URLs to local files (with --wsdl)
  --check            write nothing; exit 1 listing generated files that are stale, missing or extra
  --watch            generate, then again on every change to the contracts' files or the config

Output: one line per contract, "name: N types, N operations, N files (time; what changed)", and
a total line for several contracts. Problems go to stderr as "file:line:col: what is wrong; what
exists instead" and make the exit code 1 (2 for a usage error).

validate checks saved messages (a SOAP envelope's Body payload, or a bare payload element)
against the contract's schemas with libxml2 (needs the libxmljs2 package), printing
"file: valid" or "file:line: problem" and exiting 1 when any message is invalid.

certs writes a development PKI to <dir>: a root CA (ca.pem, ca-key.pem), a certificate playing
MPay (mpay.pem, mpay-key.pem, mpay.p12) and one for the provider (provider.pem, provider-key.pem,
provider.p12), and a README.txt. For development and tests only. It refuses to overwrite them.

  --force            replace the files of an existing PKI
  --days <n>         validity of the certificates in days (default 825)
  --password <p>     password of the .p12 files (default "test"; printable ASCII)

  --debug            print stack traces of internal errors
  -h, --help         this text
`;

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  readonly cwd: string;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Stops `--watch` (default: SIGINT or SIGTERM, when the CLI writes to the process's own streams). */
  readonly signal?: AbortSignal;
}

const defaultIo: CliIo = {
  cwd: process.cwd(),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

class UsageError extends Error {}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let debug = argv.includes("--debug");
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string" },
        wsdl: { type: "string" },
        out: { type: "string" },
        package: { type: "string" },
        catalog: { type: "string" },
        check: { type: "boolean", default: false },
        watch: { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        days: { type: "string" },
        password: { type: "string" },
        debug: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    debug = values.debug;
    if (values.help || positionals.length === 0) {
      (values.help ? io.stdout : io.stderr)(USAGE);
      return values.help ? 0 : 2;
    }
    if (positionals[0] === "certs") return await runCerts(values, positionals.slice(1), io);
    for (const flag of ["force", "days", "password"] as const) {
      if (values[flag] !== undefined && values[flag] !== false) throw new UsageError(`--${flag} applies only to certs`);
    }
    if (positionals[0] === "validate") return await runValidate(values, positionals.slice(1), io);
    if (positionals[0] !== "generate" || positionals.length > 1) {
      throw new UsageError(`unknown command ${JSON.stringify(positionals.join(" "))}; the commands are "generate" and "validate" (and "certs" for a development PKI)`);
    }
    if (values.watch && values.check) throw new UsageError("--watch and --check do not go together (--check is for CI, --watch for editing)");
    const { contracts, baseDir } = contractsFrom(values, io.cwd);
    if (values.watch) return await runWatch(values.config === undefined ? { contracts, baseDir } : { config: resolve(io.cwd, values.config) }, io, debug);
    // Loaded on first use: `--help`, usage and config errors never load ts-morph and prettier.
    const { writeContracts, OutputError } = await import("./index.ts");
    let result: WriteResult;
    try {
      result = await writeContracts({ contracts, baseDir, displayDir: io.cwd, check: values.check });
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      io.stderr(`mpay-codegen: ${e.message.replace(e.path, show(io.cwd, e.path))}`);
      return 1;
    }
    for (const c of result.contracts) printContract(c, values.check, io);
    if (result.contracts.length > 1) io.stdout(totalLine(result));
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`mpay-codegen: ${(e as Error).message}`);
      io.stderr("run mpay-codegen --help for usage");
      return 2;
    }
    if (e instanceof OptionError) {
      io.stderr(`mpay-codegen: ${e.message}`);
      return 1;
    }
    printInternalError(e, debug, io);
    return 1;
  }
}

function printInternalError(e: unknown, debug: boolean, io: CliIo): void {
  io.stderr(`mpay-codegen: internal error: ${(e as Error).message ?? String(e)}`);
  if (debug) io.stderr((e as Error).stack ?? String(e));
  else io.stderr("this is a bug in mpay-codegen; run again with --debug for the stack trace");
}

/** `validate`: libxml2's verdict on saved messages. */
async function runValidate(values: Flags & { check: boolean }, files: readonly string[], io: CliIo): Promise<number> {
  if (values.wsdl === undefined) throw new UsageError("validate needs --wsdl <file>");
  for (const flag of ["config", "out", "package"] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to validate`);
  }
  if (values.check) throw new UsageError("--check does not apply to validate");
  if (files.length === 0) throw new UsageError("validate needs at least one message file");
  const messages = files.map((file) => {
    try {
      return { file, text: readFileSync(resolve(io.cwd, file), "utf8") };
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
  });
  const { validateMessages, MissingValidatorError } = await import("./validate.ts");
  let verdicts;
  try {
    verdicts = validateMessages(
      { wsdl: resolve(io.cwd, values.wsdl), baseDir: io.cwd, ...(values.catalog === undefined ? {} : { catalog: resolve(io.cwd, values.catalog) }) },
      messages,
    );
  } catch (e) {
    if (e instanceof MissingValidatorError) {
      io.stderr(`mpay-codegen: ${e.message}`);
      return 1;
    }
    if (e instanceof DiagnosticError) {
      printDiagnostics(e.diagnostics, io);
      return 1;
    }
    throw e;
  }
  let invalid = false;
  for (const v of verdicts) {
    if (v.errors.length === 0) io.stdout(`${v.file}: valid`);
    else {
      invalid = true;
      for (const error of v.errors) io.stderr(`${v.file}:${error}`);
    }
  }
  return invalid ? 1 : 0;
}

/** `certs`: a development PKI in a folder. */
async function runCerts(
  values: Flags & { check: boolean; force: boolean; days?: string | undefined; password?: string | undefined },
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  for (const flag of ["config", "wsdl", "out", "package", "catalog"] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to certs`);
  }
  if (values.check) throw new UsageError("--check does not apply to certs");
  if (args.length !== 1) throw new UsageError("certs needs one folder: mpay-codegen certs <dir>");
  let days: number | undefined;
  if (values.days !== undefined) {
    days = /^[0-9]+$/.test(values.days) ? Number(values.days) : NaN;
    if (!(days >= 1 && days <= 36_500)) throw new UsageError(`--days must be a whole number from 1 to 36500, not ${JSON.stringify(values.days)}`);
  }
  // Loaded on first use, like the generator: node-forge only for this command.
  const { checkPkcs12Password, PKI_FILES, PkiExistsError, writeDevelopmentPki } = await import("@mpay-kit/runtime/dev-pki");
  if (values.password !== undefined) {
    const problem = checkPkcs12Password(values.password);
    if (problem !== undefined) throw new UsageError(`--password: ${problem}`);
  }
  const shown = args[0]!;
  let pki;
  try {
    pki = writeDevelopmentPki(resolve(io.cwd, shown), {
      force: values.force,
      displayDir: shown,
      ...(days === undefined ? {} : { days }),
      ...(values.password === undefined ? {} : { password: values.password }),
    });
  } catch (e) {
    if (!(e instanceof PkiExistsError)) throw e;
    io.stderr(`mpay-codegen: ${e.message}`);
    return 2;
  }
  io.stdout(`development PKI written to ${shown} (for development and tests only; see ${join(shown, "README.txt")}):`);
  io.stdout(`  ${PKI_FILES.filter((f) => f !== "README.txt").join(" ")}`);
  io.stdout(`  PKCS#12 password: ${pki.password}; certificates valid until ${pki.notAfter.toISOString().replace(".000Z", "Z")}`);
  return 0;
}

interface Flags {
  config?: string | undefined;
  wsdl?: string | undefined;
  out?: string | undefined;
  package?: string | undefined;
  catalog?: string | undefined;
}

function contractsFrom(values: Flags, cwd: string): { contracts: ContractOptions[]; baseDir: string } {
  if (values.config !== undefined) {
    for (const flag of ["wsdl", "out", "package", "catalog"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be combined with --config (put it in the config file)`);
    }
    const path = resolve(cwd, values.config);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read the config ${values.config}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    try {
      return { contracts: parseConfig(text), baseDir: dirname(path) };
    } catch (e) {
      if (e instanceof OptionError) throw new OptionError(e.key, `${e.reason} (in ${values.config})`);
      throw e;
    }
  }
  if (values.wsdl === undefined || values.out === undefined) throw new UsageError("give --config <file>, or --wsdl <file> and --out <dir>");
  const contract = parseContract(
    {
      wsdl: values.wsdl,
      out: values.out,
      package: values.package ?? basename(resolve(cwd, values.out)),
      ...(values.catalog === undefined ? {} : { catalog: values.catalog }),
    },
    "",
  );
  checkContracts([contract]);
  return { contracts: [contract], baseDir: cwd };
}

function printDiagnostics(list: readonly Diagnostic[], io: CliIo): void {
  for (const d of sortDiagnostics(list)) io.stderr(formatDiagnostic(d));
}

/** The lines of one contract's outcome: diagnostics on stderr, then its summary line. */
function printContract(c: ContractWrite, check: boolean, io: CliIo): void {
  printDiagnostics(c.diagnostics, io);
  const line = contractLine(c, check);
  if (c.ok) io.stdout(line);
  else {
    for (const f of c.outdated) io.stderr(`${f.state.padEnd(8)} ${show(io.cwd, f.path)}`);
    io.stderr(line);
  }
}

/** `name: 2 types, 1 operation, 10 files (85 ms; 1 written)`, or why there is no package. */
function contractLine(c: ContractWrite, check: boolean): string {
  const ms = Math.round(c.ms);
  if (c.generated === undefined) {
    const errors = c.diagnostics.filter((d) => d.severity === "error").length;
    return `${c.name}: not generated (${count(errors, "error")})`;
  }
  const what = summary(c.generated.types, c.generated.operations, c.generated.files);
  if (check) {
    if (c.outdated.length > 0) {
      return `${c.name}: ${c.outdated.length} generated file${c.outdated.length === 1 ? " is" : "s are"} out of date; regenerate (mpay-codegen generate, or npm run generate)`;
    }
    return `${c.name}: up to date, ${what} (${ms} ms)`;
  }
  const changes = c.written.length === 0 && c.removed.length === 0 ? "unchanged" : `${c.written.length} written${c.removed.length === 0 ? "" : `, ${c.removed.length} removed`}`;
  return `${c.name}: ${what} (${ms} ms; ${changes})`;
}

/** `3 contracts: 40 types, 5 operations, 31 files (1.2 s); 1 not generated`. */
function totalLine(result: WriteResult): string {
  const done = result.contracts.filter((c) => c.generated !== undefined);
  const sum = (pick: (g: NonNullable<ContractWrite["generated"]>) => number) => done.reduce((n, c) => n + pick(c.generated!), 0);
  const failed = result.contracts.length - done.length;
  const time = result.ms < 1000 ? `${Math.round(result.ms)} ms` : `${(result.ms / 1000).toFixed(1)} s`;
  return `${count(result.contracts.length, "contract")}: ${summary(sum((g) => g.types), sum((g) => g.operations), sum((g) => g.files))} (${time})${failed === 0 ? "" : `; ${failed} not generated`}`;
}

function summary(types: number, operations: number, files: number): string {
  return `${count(types, "type")}, ${count(operations, "operation")}, ${count(files, "file")}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A path as the user sees it: relative to the working directory, with `/`. */
function show(cwd: string, path: string): string {
  return relative(cwd, path).split(sep).join("/") || ".";
}

/**
 * `generate --watch`: one line per run on stdout (a time, what changed, the outcome), diagnostics
 * on stderr; runs until the signal (Ctrl-C) and exits 0. A broken contract or config is reported
 * and watched for the fix; an internal error too (with its stack under `--debug`).
 */
async function runWatch(source: { config: string } | { contracts: readonly ContractOptions[]; baseDir: string }, io: CliIo, debug: boolean): Promise<number> {
  const { watchContracts, ConfigReadError, OutputError } = await import("./index.ts");
  const stop = io.signal === undefined && io === defaultIo ? processStopSignal() : undefined;
  const signal = io.signal ?? stop?.signal;
  let first = true;
  const onRun = (run: WatchRun) => {
    const time = new Date().toTimeString().slice(0, 8);
    const why = run.changed.length === 0 ? "" : `${run.changed.map((f) => show(io.cwd, f)).join(", ")} changed; `;
    if (run.error !== undefined) {
      if (run.error instanceof OutputError) io.stderr(`${time} ${why}mpay-codegen: ${run.error.message.replace(run.error.path, show(io.cwd, run.error.path))}`);
      else if (run.error instanceof ConfigReadError || run.error instanceof OptionError) io.stderr(`${time} ${why}mpay-codegen: ${run.error.message}`);
      else {
        printInternalError(run.error, debug, io);
        io.stderr(`${time} ${why}not generated (internal error)`);
      }
    } else {
      const result = run.result!;
      for (const c of result.contracts) {
        printDiagnostics(c.diagnostics, io);
        if (result.contracts.length > 1 && !c.ok) io.stderr(contractLine(c, false));
      }
      const line = result.contracts.length === 1 ? contractLine(result.contracts[0]!, false) : totalLine(result);
      (result.ok ? io.stdout : io.stderr)(`${time} ${why}${line}`);
    }
    if (first) {
      first = false;
      io.stdout(`watching ${count(run.watching.length, "file")} for changes (Ctrl-C stops)`);
    }
  };
  const watcher = watchContracts({ ...source, displayDir: io.cwd, onRun, ...(signal === undefined ? {} : { signal }) });
  await watcher.closed;
  stop?.dispose();
  return 0;
}

/** An AbortSignal raised by SIGINT or SIGTERM, for a watch run in a terminal. */
function processStopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", abort);
      process.off("SIGTERM", abort);
    },
  };
}

/** Whether this module is the process's entry point (Node 22.18+ has no `import.meta.main` everywhere). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Settings for a command-line run, made by the entry points (this file run directly, and
 * `bin/mpay-codegen.js`) before ts-morph and prettier load, never by the API. A run is one short
 * process that loads two large libraries and uses little of them; measured on the MPay contract and
 * on a 440-type one (see README.md, "Performance"):
 *
 * - V8's code cache on disk (`module.enableCompileCache()`, in Node's own folder: `NODE_COMPILE_CACHE`
 *   or `<tmpdir>/node-compile-cache`; `NODE_DISABLE_COMPILE_CACHE=1` turns it off): the TypeScript
 *   compiler that ts-morph bundles is compiled once, not on every run. An entry is used only for the
 *   exact source text and Node build it was made from, and changes how fast code loads, never what
 *   it does.
 * - `--no-maglev`: V8's mid-tier compiler spends memory on background compilations (their peak
 *   decides most of the run-to-run spread of peak RSS) and no time saved within a run.
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial size instead of
 *   growing to 32 MiB; short-lived garbage is collected sooner, and runs are faster as well as smaller.
 */
export function tuneProcess(): void {
  enableCompileCache();
  setFlagsFromString("--no-maglev");
  setFlagsFromString("--semi-space-growth-factor=1");
}

if (isEntryPoint()) {
  tuneProcess();
  process.exitCode = await runCli(process.argv.slice(2));
}
