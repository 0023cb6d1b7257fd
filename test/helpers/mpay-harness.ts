/**
 * Runs the independent MPay interop harness (`../shared/harness`: zeep + python3-xmlsec through
 * Debian's /usr/bin/python3, and the xmlsec1 command line) from tests, asynchronously so that
 * several runs can overlap.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { harnessDir } from "./pki.ts";

/** The Debian Python that has zeep, lxml and python3-xmlsec (another python3 may be first on PATH). */
export const PYTHON = "/usr/bin/python3";
export const MPAY_CLIENT = join(harnessDir, "mpay_client.py");
export const VERIFY_XMLSEC = join(harnessDir, "verify_xmlsec.sh");

export interface ProcessResult {
  /** Exit status; -1 when the process was killed or could not start. */
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion, never rejecting: a failure is in `status` and `stderr`. */
export function runProcess(command: string, args: readonly string[], options: { readonly input?: string; readonly timeoutMs?: number; readonly cwd?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs ?? 60_000} ms)`;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ status: -1, stdout, stderr: `${stderr}${error.message}` });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
    // A child that exits without reading its input makes the write fail with EPIPE: its exit
    // status already says what went wrong, so the write error itself is not news.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** What the harness needs that is not there (empty when everything is installed). */
export async function missingHarnessPeers(): Promise<string[]> {
  const missing: string[] = [];
  if (!existsSync(MPAY_CLIENT)) missing.push(`${MPAY_CLIENT} (the shared harness)`);
  if (!existsSync(PYTHON)) missing.push(PYTHON);
  else {
    const modules = await runProcess(PYTHON, ["-c", "import zeep, xmlsec, lxml, cryptography"]);
    if (modules.status !== 0) missing.push(`python modules for ${PYTHON} (apt-get install python3-zeep python3-xmlsec python3-cryptography): ${modules.stderr.trim().split("\n").at(-1)}`);
  }
  for (const tool of ["xmlsec1", "xmllint", "openssl"]) {
    const found = await runProcess("sh", ["-c", `command -v ${tool}`]);
    if (found.status !== 0) missing.push(tool);
  }
  return missing;
}

/** The parts of mpay_client.py's JSON output that tests read. */
export interface MpayClientOutput {
  readonly ok: boolean;
  readonly exit_code: number;
  readonly http_status?: number;
  readonly request?: { readonly signer: string | null; readonly key_info: string | null; readonly style: string | null; readonly alg: string | null };
  readonly response_security?: {
    readonly signed?: boolean;
    readonly verified?: boolean;
    readonly key_info?: string;
    readonly signature_method?: string;
    readonly security_header?: readonly string[];
    readonly references?: readonly { readonly target: string; readonly digest_ok: boolean }[];
    readonly signer?: { readonly subject: string };
  };
  readonly zeep_verify?: string;
  readonly fault?: { readonly code: string; readonly string: string; readonly signature?: string };
  readonly result?: unknown;
  readonly error?: string;
}

export interface MpayClientRun {
  readonly exitCode: number;
  /** The parsed JSON (undefined when the client printed none, e.g. a usage error). */
  readonly output: MpayClientOutput | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mpay_client.py <operation> ...args`. */
export async function mpayClient(operation: "GetOrderDetails" | "ConfirmOrderPayment", args: readonly string[]): Promise<MpayClientRun> {
  const run = await runProcess(PYTHON, [MPAY_CLIENT, operation, ...args], { timeoutMs: 60_000 });
  let output: MpayClientOutput | undefined;
  try {
    output = JSON.parse(run.stdout) as MpayClientOutput;
  } catch {
    output = undefined;
  }
  return { exitCode: run.status, output, stdout: run.stdout, stderr: run.stderr };
}

/** Runs `verify_xmlsec.sh ...args`; `verdict` is its last line (`OK`, `FAIL: …`, `NOT SIGNED: …`). */
export async function verifyXmlsec(args: readonly string[]): Promise<{ readonly status: number; readonly verdict: string; readonly output: string }> {
  const run = await runProcess("bash", [VERIFY_XMLSEC, ...args], { timeoutMs: 60_000 });
  return { status: run.status, verdict: run.stdout.trim().split("\n").at(-1) ?? "", output: `${run.stdout}${run.stderr}` };
}
