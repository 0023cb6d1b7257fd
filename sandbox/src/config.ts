/**
 * The sandbox's settings from its command line, with embedded defaults: the data folder
 * `.sandbox/` in the working directory, a test PKI made there on first run unless certificates
 * are given, port 8080 on 127.0.0.1.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadCertificates, loadCredentials, TrustStore } from "@mpay-kit/runtime/security";
import type { ClientTlsOptions } from "@mpay-kit/runtime";
import { isLanguage, type Language } from "./i18n.ts";
import type { ProviderConnectionOptions } from "./mpay-client.ts";
import { ensureDevelopmentPki, type SandboxPki } from "./pki.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.ts";
import type { SandboxOptions } from "./server.ts";
import type { DemoOrder } from "./views.ts";

export const DEFAULT_PORT = 8080;
export const DEFAULT_DATA_DIR = ".sandbox";

/** A command line that cannot be used; the message says why. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function parsePort(value: string | undefined, fallback: number, flag = "--port"): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65535) throw new ConfigError(`${flag} must be a port number (0-65535), got ${JSON.stringify(value)}`);
  return port;
}

function parseMs(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || !(ms > 0)) throw new ConfigError(`${flag} must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
  return ms;
}

/** Where the sandbox's keys and trust come from. */
export interface SecurityArgs {
  /** MPay's certificate (PEM, or a .pfx/.p12 with `password`); default: the generated PKI's. */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly password?: string | undefined;
  /** Anchors for the provider's signatures and TLS certificate; default: the generated PKI's CA. */
  readonly trust?: string | undefined;
  /** The provider's certificate: the only signer accepted. */
  readonly pin?: string | undefined;
  /** No WS-Security at all. */
  readonly unsigned?: boolean | undefined;
}

/**
 * The provider connection from the command line. Without `--cert`, the PKI in `<dataDir>/pki` is
 * used (made on first run) and the provider's signature must come from that PKI's provider
 * certificate. An https endpoint gets mutual TLS with the same certificate and anchors.
 */
export function providerConnectionOptions(endpoint: string, args: SecurityArgs, dataDir: string, timeoutMs?: number): { options: ProviderConnectionOptions; pki: SandboxPki | undefined } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`--provider must be an http or https URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`--provider must be an http or https URL, got ${JSON.stringify(endpoint)}`);
  const https = url.protocol === "https:";
  if (args.unsigned === true && !https) return { options: { endpoint, security: false, ...(timeoutMs === undefined ? {} : { timeoutMs }) }, pki: undefined };
  const pki = args.cert === undefined ? ensureDevelopmentPki(join(dataDir, "pki")) : undefined;
  const certPath = args.cert ?? pki!.mpayCertPath;
  const keyPath = args.cert === undefined ? pki!.mpayKeyPath : args.key;
  const trustPath = args.trust ?? pki?.caPath;
  if (trustPath === undefined) throw new ConfigError("--cert needs --trust <ca.pem>: the authorities the provider's certificate must chain to");
  const pfx = /\.(pfx|p12)$/i.test(certPath);
  if (!pfx && keyPath === undefined) throw new ConfigError("--cert needs --key <mpay-key.pem> (or a .pfx/.p12 with --password)");
  const identity = pfx
    ? loadCredentials({ pfx: certPath, password: args.password ?? "" })
    : loadCredentials({ cert: certPath, key: keyPath!, ...(args.password === undefined ? {} : { passphrase: args.password }) });
  const anchors = loadCertificates(trustPath);
  const pinPath = args.pin ?? (args.cert === undefined ? pki!.providerCertPath : undefined);
  const pins = pinPath === undefined ? [] : loadCertificates(pinPath);
  const tls: ClientTlsOptions | undefined = https ? { cert: identity.certificate, key: identity.privateKey, ca: readFileSync(trustPath) } : undefined;
  return {
    options: {
      endpoint,
      security: args.unsigned === true ? false : { identity, trust: new TrustStore({ anchors, peers: pins, pins }) },
      ...(tls === undefined ? {} : { tls }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    },
    pki,
  };
}

/**
 * The orders of a JSON file shaped like the example provider's `--orders` (an array of
 * OrderDetails), as home-page shortcuts. Only the members shown are read.
 */
export function demoOrdersFromFile(file: string): DemoOrder[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the orders: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new ConfigError(`${file}: expected a JSON array of OrderDetails objects`);
  return data.flatMap((o: unknown): DemoOrder[] => {
    if (typeof o !== "object" || o === null) return [];
    const r = o as Record<string, unknown>;
    if (typeof r.ServiceID !== "string" || typeof r.OrderKey !== "string") return [];
    return [
      {
        serviceId: r.ServiceID,
        orderKey: r.OrderKey,
        ...(typeof r.Reason === "string" ? { reason: r.Reason } : {}),
        ...(typeof r.TotalAmountDue === "string" ? { amount: r.TotalAmountDue } : {}),
        ...(typeof r.Currency === "string" ? { currency: r.Currency } : {}),
      },
    ];
  });
}

export const SANDBOX_USAGE = `usage: node --conditions=mpay-kit-source sandbox/src/main.ts --provider <url> [options]

  --provider <url>      the provider's IServiceProvider endpoint (http, or https for mutual TLS)
  --port <port>         port on --host (default ${DEFAULT_PORT}; 0: any free port)
  --host <address>      address to listen on (default 127.0.0.1)
  --data-dir <dir>      the sandbox's database and generated PKI (default ${DEFAULT_DATA_DIR}/)
  --cert <file>         MPay's certificate (PEM, or .pfx/.p12 with --password); default: the
                        generated PKI's mpay.pem, made in <data-dir>/pki on first run
  --key <file>          the private key of --cert
  --password <secret>   password of the .pfx or of an encrypted key
  --trust <file>        anchors the provider's signature and TLS certificate must chain to
                        (default: the generated PKI's ca.pem)
  --pin <file>          the provider's certificate: only this signer is accepted
                        (default with the generated PKI: its provider.pem)
  --unsigned            send unsigned requests (a provider run without WS-Security)
  --orders <file>       list these orders (the example provider's --orders format) on the home page
  --lang <ro|en>        language of pages that do not ask (default ro)
  --retry-base <ms>     delay after a first failed confirmation (default ${DEFAULT_RETRY_POLICY.baseDelayMs})
  --retry-max <ms>      longest delay between confirmation attempts (default ${DEFAULT_RETRY_POLICY.maxDelayMs})
  --verbose             log payments and confirmation attempts on stderr
`;

export interface CommandLine {
  readonly provider?: string | undefined;
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly "data-dir"?: string | undefined;
  readonly orders?: string | undefined;
  readonly lang?: string | undefined;
  readonly "retry-base"?: string | undefined;
  readonly "retry-max"?: string | undefined;
  readonly verbose?: boolean | undefined;
}

/** The sandbox's options from its parsed command line. */
export function sandboxOptions(args: CommandLine & SecurityArgs, log: (line: string) => void): { options: SandboxOptions; pki: SandboxPki | undefined } {
  if (args.provider === undefined) throw new ConfigError("--provider <url> is required: the provider's IServiceProvider endpoint");
  const dataDir = resolve(args["data-dir"] ?? DEFAULT_DATA_DIR);
  if (args.lang !== undefined && !isLanguage(args.lang)) throw new ConfigError(`--lang must be ro or en, got ${JSON.stringify(args.lang)}`);
  const baseDelayMs = parseMs(args["retry-base"], DEFAULT_RETRY_POLICY.baseDelayMs, "--retry-base");
  const maxDelayMs = parseMs(args["retry-max"], Math.max(DEFAULT_RETRY_POLICY.maxDelayMs, baseDelayMs), "--retry-max");
  if (maxDelayMs < baseDelayMs) throw new ConfigError("--retry-max must not be less than --retry-base");
  const { options: provider, pki } = providerConnectionOptions(args.provider, args, dataDir);
  return {
    options: {
      dataDir,
      provider,
      port: parsePort(args.port, DEFAULT_PORT),
      host: args.host ?? "127.0.0.1",
      retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs, maxDelayMs },
      defaultLanguage: (args.lang as Language | undefined) ?? "ro",
      demoOrders: args.orders === undefined ? [] : demoOrdersFromFile(args.orders),
      ...(args.verbose === true ? { log } : {}),
    },
    pki,
  };
}
