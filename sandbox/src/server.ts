/**
 * The sandbox as a library: {@link startSandbox} opens its database, connects to the provider,
 * resumes pending confirmations and serves the pages on 127.0.0.1.
 */
import { createServer } from "node:http";
import { join } from "node:path";
import type { Language } from "./i18n.ts";
import { ProviderConnection, type ProviderConnectionOptions } from "./mpay-client.ts";
import { ConfirmationWorker, DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.ts";
import { createRoutes } from "./routes.ts";
import { SandboxStore } from "./store.ts";
import type { DemoOrder } from "./views.ts";

export interface SandboxOptions {
  /** Folder of the sandbox's database (`sandbox.db`), created if needed. */
  readonly dataDir: string;
  /** The provider to call, and how. */
  readonly provider: ProviderConnectionOptions;
  /** TCP port (default 0: any free port). */
  readonly port?: number;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  readonly retry?: RetryPolicy;
  /** Language of pages that do not say (default ro, as MPay). */
  readonly defaultLanguage?: Language;
  /** Orders the home page offers to pay (the example e-service). */
  readonly demoOrders?: readonly DemoOrder[];
  /** Receives one line per notable event (payments, attempts, errors). Default: nothing. */
  readonly log?: (line: string) => void;
  /** The clock (tests). */
  readonly now?: () => Date;
}

export interface RunningSandbox {
  /** The base URL, e.g. `http://127.0.0.1:8090`. */
  readonly url: string;
  readonly port: number;
  readonly store: SandboxStore;
  readonly worker: ConfirmationWorker;
  /** Stops taking requests, waits for the confirmations in flight, closes the database. */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const log = options.log ?? (() => undefined);
  const store = new SandboxStore(join(options.dataDir, "sandbox.db"));
  const connection = new ProviderConnection(options.provider);
  const worker = new ConfirmationWorker(store, connection, {
    policy: options.retry ?? DEFAULT_RETRY_POLICY,
    onAttempt: (payment, attempt) =>
      log(
        `ConfirmOrderPayment ${payment.paymentId} (${payment.serviceId}/${payment.orderKey}) attempt ${attempt.number}: ${attempt.outcome}` +
          (attempt.outcome === "confirmed" ? "" : ` ${attempt.faultCode ?? ""} ${attempt.message ?? ""}; next at ${attempt.nextRetryAt?.toISOString()}`),
      ),
    onError: (error) => log(`retry worker: ${error instanceof Error ? error.message : String(error)}`),
  });
  const host = options.host ?? "127.0.0.1";
  let url = "";
  const server = createServer(
    createRoutes({
      store,
      connection,
      worker,
      defaultLanguage: options.defaultLanguage ?? "ro",
      demoOrders: options.demoOrders ?? [],
      baseUrl: () => url,
      now: options.now ?? (() => new Date()),
      log,
    }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    await connection.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0);
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  // Payments left pending by an earlier run are due (or will be): resume them.
  worker.kick();
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    worker,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Browsers keep idle connections open; they would hold close() for minutes.
          server.closeIdleConnections();
        });
        await worker.stop();
        await connection.close();
        store.close();
      })()),
  };
}
