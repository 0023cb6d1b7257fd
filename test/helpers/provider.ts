/** Starts the example provider as its own process, the way a user runs it. */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

export const repoRoot = resolve(import.meta.dirname, "../..");

export interface RunningProvider {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `examples/provider` with extra arguments; resolves with the URL it prints on its first line. */
export function startProvider(args: readonly string[] = []): Promise<RunningProvider> {
  const child = spawn(process.execPath, ["--conditions=mpay-kit-source", "examples/provider/src/main.ts", "--port", "0", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`the provider printed no URL within 15 s; stderr: ${stderr}`)), 15_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the provider exited with code ${code}; stderr: ${stderr}`));
    });
    lines.once("line", (url) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolvePromise({
        url,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** Runs the example provider expecting it to refuse to start; resolves with its exit code and stderr. */
export function runProviderExpectingFailure(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--conditions=mpay-kit-source", "examples/provider/src/main.ts", "--port", "0", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stderr });
    });
  });
}
