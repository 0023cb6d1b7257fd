/**
 * For the crash-recovery test: many payable orders in an orders file, a free port kept across a
 * provider restart, the example provider signed both ways with a payment ledger (`--db`), a hard
 * kill (SIGKILL: no graceful shutdown, in-flight confirmations cut), a TCP relay between the
 * sandbox and the provider that can hold the provider's answers back (so that a crash can come
 * after a commit and before its answer reaches MPay), and a throwaway PostgreSQL database per run
 * when MPAY_TEST_PG_URL names a server.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { Client } from "pg";
import type { OrderDetails } from "@mpay-kit/mpay-service-provider";
import { startProvider, type RunningProvider } from "../helpers/provider.ts";
import { pki, tempDir } from "./harness.ts";

export const CRASH_SERVICE_ID = "DEMO01";

const ACCOUNT = { BankAccount: "MD77TRGAAA14153401000000", BankCode: "TREZMD2X", BankFiscalCode: "1006601000255", BeneficiaryName: "Agenția Servicii Publice" };

/** One order of the crash run and what the test pays on it. */
export interface CrashOrder {
  readonly orderKey: string;
  /** What the order asks for in all. */
  readonly totalDue: string;
  /** What the payer pays: all of it, or part of it (then `amount.0` is typed). */
  readonly paid: string;
  readonly partial: boolean;
}

/**
 * `count` orders: even ones of two fixed lines (paid in full: the order becomes Paid), odd ones of
 * one line that allows partial payment (a part is paid: the order stays PartiallyPaid with exactly
 * the rest due, so a payment applied twice would show as too little due). Amounts differ per
 * order so that a payment recorded against the wrong order shows too.
 */
export function crashOrders(count: number): CrashOrder[] {
  return Array.from({ length: count }, (_, i) => {
    const orderKey = `CRASH-${String(i + 1).padStart(3, "0")}`;
    return i % 2 === 0
      ? { orderKey, totalDue: `${100 + i}.50`, paid: `${100 + i}.50`, partial: false }
      : { orderKey, totalDue: `${1000 + i}.00`, paid: `${300 + i}.25`, partial: true };
  });
}

/** The orders file the example provider loads (`--orders`), written to a temporary folder. */
export function writeCrashOrdersFile(orders: readonly CrashOrder[]): string {
  const details: OrderDetails[] = orders.map((o) => {
    const lines = o.partial
      ? [{ AmountDue: o.totalDue, DestinationAccount: ACCOUNT, LineID: "L1", Reason: "Taxa de stat", AllowPartialPayments: true }]
      : [
          { AmountDue: "100.00", DestinationAccount: ACCOUNT, LineID: "L1", Reason: "Taxa de stat" },
          { AmountDue: (Number(o.totalDue) - 100).toFixed(2), DestinationAccount: ACCOUNT, LineID: "L2", Reason: "Taxă de urgență" },
        ];
    return {
      ...(o.partial ? { AllowPartialPayments: true } : {}),
      Currency: "MDL",
      CustomerID: "2006022048426",
      CustomerName: "Ion Popescu",
      CustomerType: "Person",
      Lines: lines,
      OrderKey: o.orderKey,
      Reason: `Comanda ${o.orderKey}`,
      ServiceID: CRASH_SERVICE_ID,
      Status: "Active",
      TotalAmountDue: o.totalDue,
    };
  });
  const file = join(tempDir(), "crash-orders.json");
  writeFileSync(file, JSON.stringify(details, null, 1));
  return file;
}

/** A TCP port free on 127.0.0.1 right now (the provider is restarted on it: the sandbox keeps its URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The example provider with a ledger: signed both ways with the sandbox PKI, as `npm start` runs it. */
export function startLedgerProvider(options: { readonly port: number; readonly orders: string; readonly db: string }): Promise<RunningProvider> {
  const p = pki();
  return startProvider([
    "--port", String(options.port),
    "--orders", options.orders,
    "--db", options.db,
    "--cert", p.providerCertPath, "--key", p.providerKeyPath, "--trust", p.caPath, "--pin", p.mpayCertPath,
  ]);
}

/** SIGKILL: the process gets no chance to finish anything. Resolves when it is gone. */
export function killHard(provider: RunningProvider): Promise<void> {
  return new Promise((resolve) => {
    if (provider.process.exitCode !== null || provider.process.signalCode !== null) return resolve();
    provider.process.once("exit", () => resolve());
    provider.process.kill("SIGKILL");
  });
}

/** A database of its own on the MPAY_TEST_PG_URL server; `drop` removes it (after the provider stopped). */
export async function throwawayPostgresDatabase(serverUrl: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const name = `mpay_crash_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = new Client({ connectionString: serverUrl });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

/**
 * A plain TCP relay on 127.0.0.1 in front of the provider: the sandbox talks to it, it passes
 * bytes both ways unchanged (TLS or WS-Security end to end are untouched). `holdAnswers()` stops
 * passing the provider's bytes to the sandbox: an answer written then is one the network never
 * delivered, as when the provider's host dies right after answering. `cut()` drops every
 * connection and what was held back.
 */
export interface AnswerRelay {
  readonly port: number;
  /** Connections whose provider side wrote bytes while held back (answers that will never arrive). */
  readonly heldAnswers: number;
  holdAnswers(): void;
  /** Drops every open connection and the held bytes; new connections are relayed (answers flow again). */
  cut(): void;
  close(): Promise<void>;
}

export async function startAnswerRelay(providerPort: number): Promise<AnswerRelay> {
  const open = new Set<Socket>();
  let holding = false;
  const held = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(providerPort, "127.0.0.1");
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (holding) held.add(client);
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the relay has no port");
  return {
    port: address.port,
    get heldAnswers() {
      return held.size;
    },
    holdAnswers() {
      holding = true;
    },
    cut() {
      for (const socket of open) socket.destroy();
      open.clear();
      held.clear();
      holding = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
