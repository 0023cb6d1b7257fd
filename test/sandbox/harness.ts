/**
 * The sandbox and the example provider on 127.0.0.1 for tests: a test PKI made by the sandbox's
 * own PKI code, the provider as its own process (signed both ways), the sandbox in-process with a
 * fast retry schedule, and small helpers to drive the pages with plain HTTP form posts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { providerConnectionOptions } from "../../sandbox/src/config.ts";
import { ensureDevelopmentPki, type SandboxPki } from "../../sandbox/src/pki.ts";
import { startSandbox, type RunningSandbox } from "../../sandbox/src/server.ts";
import type { DemoOrder } from "../../sandbox/src/views.ts";
import { repoRoot, startProvider, type RunningProvider } from "../helpers/provider.ts";

export const DEMO_ORDERS_FILE = resolve(repoRoot, "sandbox/demo/orders.json");

let sharedPki: SandboxPki | undefined;
/** One PKI per test file (RSA key generation takes a moment). */
export function pki(): SandboxPki {
  return (sharedPki ??= ensureDevelopmentPki(join(mkdtempSync(join(tmpdir(), "mpay-sandbox-pki-")), "pki")));
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mpay-sandbox-"));
}

/** The demo orders without the one named: a provider that does not know that order (yet). */
export function ordersWithout(orderKey: string): string {
  const orders = (JSON.parse(readFileSync(DEMO_ORDERS_FILE, "utf8")) as { OrderKey: string }[]).filter((o) => o.OrderKey !== orderKey);
  const file = join(tempDir(), "orders.json");
  writeFileSync(file, JSON.stringify(orders));
  return file;
}

/** The example provider signing with the PKI's provider certificate and accepting only its MPay certificate. */
export function startSignedProvider(options: { port?: number; orders?: string; tls?: boolean } = {}): Promise<RunningProvider> {
  const p = pki();
  return startProvider([
    ...(options.port === undefined ? [] : ["--port", String(options.port)]),
    "--orders", options.orders ?? DEMO_ORDERS_FILE,
    "--cert", p.providerCertPath, "--key", p.providerKeyPath, "--trust", p.caPath, "--pin", p.mpayCertPath,
    ...(options.tls === true ? ["--tls"] : []),
  ]);
}

export const portOf = (url: string) => Number(new URL(url).port);

/** The sandbox talking to `providerUrl` with the shared PKI, retrying every 40-150 ms. */
export async function startTestSandbox(
  providerUrl: string,
  options: { dataDir?: string; demoOrders?: readonly DemoOrder[]; /** The provider certificate to accept (default the PKI's). */ pin?: string } = {},
): Promise<RunningSandbox & { dataDir: string }> {
  const dataDir = options.dataDir ?? tempDir();
  const { options: provider } = providerConnectionOptions(providerUrl, { cert: pki().mpayCertPath, key: pki().mpayKeyPath, trust: pki().caPath, pin: options.pin ?? pki().providerCertPath }, dataDir, 5_000);
  const sandbox = await startSandbox({
    dataDir,
    provider,
    retry: { baseDelayMs: 40, maxDelayMs: 150, jitter: 0.5 },
    ...(options.demoOrders === undefined ? {} : { demoOrders: options.demoOrders }),
  });
  return Object.assign(sandbox, { dataDir });
}

export interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
  readonly headers: Headers;
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, location: response.headers.get("location") ?? undefined, body: await response.text(), headers: response.headers };
}

export async function get(base: string, path: string): Promise<Answer> {
  return answer(await fetch(new URL(path, base), { redirect: "manual" }));
}

/** A form post, as a browser sends it. */
export async function post(base: string, path: string, fields: Record<string, string>): Promise<Answer> {
  return answer(await fetch(new URL(path, base), { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }));
}

/** The value of a form input by name in a page. */
export function inputValue(page: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`).exec(page)?.[0];
  return tag === undefined ? undefined : /value="([^"]*)"/.exec(tag)?.[1];
}

/** The pay form's action in an invoice page. */
export function payAction(page: string): string | undefined {
  return /<form class="card" method="post" action="(\/checkout\/[^"]+\/pay)">/.exec(page)?.[1];
}

/** Opens the pay page for an order, as an e-service's form does; returns the invoice page and its URL. */
export async function openInvoice(base: string, orderKey: string, extra: Record<string, string> = {}): Promise<{ url: string; page: string }> {
  const start = await post(base, "/service/pay", { ServiceID: "DEMO01", OrderKey: orderKey, ReturnUrl: "http://shop.example/back?order=" + orderKey, lang: "en", ...extra });
  if (start.status !== 303 || start.location === undefined) throw new Error(`POST /service/pay answered ${start.status}: ${start.body.slice(0, 500)}`);
  const invoice = await get(base, start.location);
  if (invoice.status !== 200) throw new Error(`GET ${start.location} answered ${invoice.status}`);
  return { url: start.location, page: invoice.body };
}

/** Submits the invoice page's pay form with its own values, changed by `fields`. */
export async function submitPay(base: string, page: string, fields: Record<string, string> = {}): Promise<Answer> {
  const action = payAction(page);
  if (action === undefined) throw new Error("the page has no pay form");
  const values: Record<string, string> = {};
  for (const m of page.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) values[m[1]!] = /value="([^"]*)"/.exec(m[0])?.[1]?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&") ?? "";
  return post(base, action, { ...values, ...fields });
}

/** Waits until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const paymentIdOf = (location: string) => /\/payments\/([0-9a-f-]{36})/.exec(location)?.[1];
