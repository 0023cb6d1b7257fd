/**
 * `npm start [-- --port <port>] [--orders <file.json>] [--tls]`: the whole pay flow on one machine.
 * Makes (once) a test PKI in `.sandbox/pki`, starts the example provider as a child process with
 * WS-Security on (its certificate from that PKI, MPay's pinned), then the sandbox signing as MPay
 * and pinning the provider, and prints the one URL to open. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { CredentialError } from "@mpay-kit/runtime/security";
import { ConfigError, DEFAULT_DATA_DIR, DEFAULT_PORT, demoOrdersFromFile, parsePort, providerConnectionOptions } from "./config.ts";
import { isLanguage } from "./i18n.ts";
import { ensureDevelopmentPki, PkiError } from "./pki.ts";
import { startSandbox, type RunningSandbox } from "./server.ts";

const repoRoot = resolve(import.meta.dirname, "../..");
const DEMO_ORDERS = resolve(import.meta.dirname, "../demo/orders.json");

const USAGE = `usage: npm start -- [--port <port>] [--orders <file.json>] [--tls] [--data-dir <dir>] [--lang <ro|en>] [--verbose]

  --port <port>        the sandbox's port on 127.0.0.1 (default ${DEFAULT_PORT})
  --orders <file>      orders for the example provider (a JSON array of OrderDetails;
                       default sandbox/demo/orders.json)
  --provider-port <p>  the example provider's port (default: any free port)
  --tls                connect to the provider over mutual TLS (HTTPS, client certificates)
  --data-dir <dir>     the sandbox's database, the example provider's payment ledger and the
                       test PKI (default ${DEFAULT_DATA_DIR}/)
  --lang <ro|en>       language of the pages (default ro; every page has a switch)
  --verbose            log payments and confirmation attempts, and the provider's JSON line
                       per SOAP exchange
`;

function fail(message: string, code: number): never {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(code);
}

/**
 * Starts the example provider; resolves with its endpoint URL (the first line it prints). With
 * `showLog`, its JSON exchange log lines (`--log`) are shown on our stderr as they come.
 */
function startProvider(args: readonly string[], showLog = false): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--conditions=mpay-kit-source", resolve(repoRoot, "examples/provider/src/main.ts"), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example provider printed no URL within 30 s\n${stderr}`)), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the example provider exited with code ${code}\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (url) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      // From now on its complaints (refused requests, handler errors) go to our stderr as they come.
      process.stderr.write(stderr);
      child.stderr!.removeAllListeners("data");
      child.stderr!.pipe(process.stderr);
      // Its other output is read (so that the pipe never fills) and shown only as asked.
      lines.on("line", (line) => {
        if (showLog && line.startsWith("{")) process.stderr.write(`provider: ${line}\n`);
      });
      resolvePromise({ child, url });
    });
  });
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: "string" },
        orders: { type: "string" },
        "provider-port": { type: "string" },
        tls: { type: "boolean", default: false },
        "data-dir": { type: "string" },
        lang: { type: "string" },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  let port: number;
  let providerPort: number;
  try {
    port = parsePort(args.port, DEFAULT_PORT);
    providerPort = parsePort(args["provider-port"], 0, "--provider-port");
  } catch (error) {
    fail((error as Error).message, 2);
  }
  if (args.lang !== undefined && !isLanguage(args.lang)) fail(`--lang must be ro or en, got ${JSON.stringify(args.lang)}`, 2);
  const dataDir = resolve(args["data-dir"] ?? DEFAULT_DATA_DIR);
  const ordersFile = resolve(args.orders ?? DEMO_ORDERS);
  let demoOrders;
  let pki;
  try {
    demoOrders = demoOrdersFromFile(ordersFile);
    pki = ensureDevelopmentPki(resolve(dataDir, "pki"));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PkiError) fail(error.message, 1);
    throw error;
  }

  let provider: { child: ChildProcess; url: string };
  try {
    provider = await startProvider([
      "--port", String(providerPort),
      "--orders", ordersFile,
      // The provider's payment ledger: each confirmation applied once, kept with its signed request.
      "--db", resolve(dataDir, "provider-payments.db"),
      "--cert", pki.providerCertPath,
      "--key", pki.providerKeyPath,
      "--trust", pki.caPath,
      "--pin", pki.mpayCertPath,
      ...(args.tls === true ? ["--tls"] : []),
      ...(args.verbose === true ? ["--log"] : []),
    ], args.verbose === true);
  } catch (error) {
    fail((error as Error).message, 1);
  }

  let sandbox: RunningSandbox;
  try {
    const { options: connection } = providerConnectionOptions(provider.url, {}, dataDir);
    sandbox = await startSandbox({
      dataDir,
      provider: connection,
      port,
      demoOrders,
      defaultLanguage: args.lang === "en" ? "en" : "ro",
      ...(args.verbose === true ? { log: (line: string) => process.stderr.write(`sandbox: ${line}\n`) } : {}),
    });
  } catch (error) {
    provider.child.kill("SIGTERM");
    if (error instanceof CredentialError) fail(error.message, 1);
    const code = (error as { code?: unknown }).code;
    fail(code === "EADDRINUSE" ? `port ${port} is in use; pick another with: npm start -- --port <port>` : (error as Error).message, 1);
  }

  process.stdout.write(`Offline MPay is running: open ${sandbox.url}/ (example provider at ${provider.url}; Ctrl-C stops both)\n`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const exited = provider.child.exitCode !== null ? Promise.resolve() : new Promise<void>((done) => provider.child.once("exit", () => done()));
    provider.child.kill("SIGTERM");
    await sandbox.close();
    await exited;
    process.exit(code);
  };
  provider.child.once("exit", (code, signal) => {
    if (stopping) return;
    // Ctrl-C in a terminal signals the whole process group: the provider may end first, cleanly.
    if (code === 0 || signal === "SIGINT") return void stop(0);
    process.stderr.write(`npm start: the example provider stopped (${signal ?? `code ${code}`}); stopping the sandbox\n`);
    void stop(1);
  });
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));
}

await main();
