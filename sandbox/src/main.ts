/**
 * `node --conditions=mpay-kit-source sandbox/src/main.ts --provider <url> [options]`: the offline
 * MPay on its own, for a provider that is already running. Prints the sandbox's URL on the first
 * line. `npm start` (start.ts) runs it together with the example provider.
 */
import { parseArgs } from "node:util";
import { CredentialError } from "@mpay-kit/runtime/security";
import { ConfigError, SANDBOX_USAGE, sandboxOptions } from "./config.ts";
import { PkiError } from "./pki.ts";
import { startSandbox } from "./server.ts";

const log = (line: string) => process.stderr.write(`sandbox: ${line}\n`);

function fail(message: string, code: number): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        provider: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        cert: { type: "string" },
        key: { type: "string" },
        password: { type: "string" },
        trust: { type: "string" },
        pin: { type: "string" },
        unsigned: { type: "boolean" },
        orders: { type: "string" },
        lang: { type: "string" },
        "retry-base": { type: "string" },
        "retry-max": { type: "string" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n\n${SANDBOX_USAGE}`, 2);
  }
  if (args.help === true) {
    process.stdout.write(SANDBOX_USAGE);
    return;
  }
  let setup;
  try {
    setup = sandboxOptions(args, log);
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}\n\n${SANDBOX_USAGE}`, 2);
    if (error instanceof CredentialError || error instanceof PkiError) fail(error.message, 1);
    throw error;
  }
  const sandbox = await startSandbox(setup.options).catch((error: Error) => fail(`cannot listen on ${setup.options.host}:${setup.options.port}: ${error.message}`, 1));
  process.stdout.write(`${sandbox.url}/\n`);
  if (setup.pki?.created === true) log(`made a test PKI in ${setup.pki.dir}: start the provider with --cert ${setup.pki.providerCertPath} --key ${setup.pki.providerKeyPath} --trust ${setup.pki.caPath} --pin ${setup.pki.mpayCertPath}`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
