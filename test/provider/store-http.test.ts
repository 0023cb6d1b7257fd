/**
 * The ledger behind the real generated IServiceProvider server, over HTTP, with MPay's signed
 * requests (generated client, test PKI): the answers MPay sees, and exactly once under pressure with
 * one provider, and with two provider processes sharing one store (a PostgreSQL schema, or one
 * SQLite file).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { SoapFault } from "@mpay-kit/runtime";
import { TrustStore } from "@mpay-kit/runtime/security";
import { isFault, ServiceProviderClient, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { verifyEvidence, type PaymentLedger } from "../../provider/src/store/index.ts";
import { confirmation, postgresMissing, pressurePlan, pressureViolations, storeFactories, type StoreUnderTest } from "./helpers-store.ts";
import { startConfirmationServer, type ConfirmationServer } from "./helpers-store-server.ts";
import { repoRoot } from "../helpers/provider.ts";
import { testPki } from "../helpers/pki.ts";

beforeAll(() => {
  testPki();
  if (postgresMissing !== undefined) process.stderr.write(`store-http: ${postgresMissing}\n`);
});

function mpayClient(endpoint: string): ServiceProviderClient {
  const pki = testPki();
  return new ServiceProviderClient({
    endpoint,
    timeoutMs: 30_000,
    wsSecurity: { identity: pki.mpay, trust: new TrustStore({ anchors: [pki.ca], pins: [pki.provider.certificate] }) },
  });
}

type Outcome = "success" | "conflict" | "other";

/** Sends one confirmation as MPay does and classifies the answer. */
async function deliver(client: ServiceProviderClient, c: PaymentConfirmation, others: string[]): Promise<Outcome> {
  try {
    expect(await client.ConfirmOrderPayment({ confirmation: c })).toEqual({});
    return "success";
  } catch (error) {
    if (error instanceof SoapFault && isFault(error, "InvalidParameter") && /already confirmed with different content/.test(error.reason)) return "conflict";
    others.push(`${c.PaymentID}: ${error instanceof SoapFault ? `${error.code}: ${error.reason}` : String(error)}`);
    return "other";
  }
}

interface ProviderProcess {
  readonly url: string;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts test/provider/helpers-store-provider.ts as its own process on the store. */
function startProviderProcess(store: StoreUnderTest, label: string): Promise<ProviderProcess> {
  const args = ["--conditions=mpay-kit-source", "test/provider/helpers-store-provider.ts", "--db", store.location, "--applications", store.applications, "--label", label, "--pki", testPki().dir];
  if (store.schema !== undefined) args.push("--schema", store.schema);
  const child: ChildProcess = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider ${label} printed no URL within 20 s; stderr: ${stderr}`)), 20_000);
    child.once("exit", (code) => reject(new Error(`provider ${label} exited with ${code}; stderr: ${stderr}`)));
    createInterface({ input: child.stdout! }).once("line", (url) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({
        url,
        stderr: () => stderr,
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

describe.each(storeFactories)("$name ledger behind the generated server, over HTTP", (factory) => {
  let store: StoreUnderTest;
  let ledger: PaymentLedger<unknown>;
  let server: ConfirmationServer | undefined;
  beforeEach(async () => {
    store = await factory.open();
    ledger = store.ledger;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await store.dispose();
  });

  const applications = () => store.sql<{ payment_id: string; amount: string; applied_by: string }>(`SELECT payment_id, amount, applied_by FROM ${store.applications}`);

  /** Runs the pressure plan against `endpoints` (deliveries spread over them) and checks exactly once. */
  async function pressure(prefix: string, endpoints: readonly string[]) {
    const plan = pressurePlan(prefix);
    const clients = endpoints.map(mpayClient);
    const others: string[] = [];
    const outcomes = await Promise.all(plan.map((d, i) => deliver(clients[i % clients.length]!, d.confirmation, others)));
    expect(others).toEqual([]);
    const recorded = new Map<string, { totalAmount: string; deliveries: number }>();
    for (const id of await ledger.paymentIds()) recorded.set(id, (await ledger.payment(id))!);
    const applied = await applications();
    expect(pressureViolations(plan, outcomes, applied, recorded)).toEqual([]);
    expect(recorded.size).toBe(50);
    expect(applied).toHaveLength(50);
    const conflicts = outcomes.filter((o) => o === "conflict").length;
    expect(conflicts).toBeGreaterThanOrEqual(10);
    expect((await ledger.conflicts()).length).toBe(conflicts);
    return { outcomes, applied };
  }

  it("MPay's view: applied, repeat answered success, other content InvalidParameter, store failure InternalError; the kept request verifies", async () => {
    const pki = testPki();
    server = await startConfirmationServer(ledger, store.applications, "http", pki);
    const client = mpayClient(server.url);
    const c = confirmation("HTTP-1", { TotalAmount: "9267.00", Lines: [{ LineID: "Base:1|Nb-1", Amount: "9267.00" }] });
    expect(await client.ConfirmOrderPayment({ confirmation: c })).toEqual({});
    expect(await client.ConfirmOrderPayment({ confirmation: { ...c, TotalAmount: "9267", Lines: [{ LineID: "Base:1|Nb-1", Amount: "9267.0" }] } })).toEqual({});
    const conflict = await client.ConfirmOrderPayment({ confirmation: { ...c, TotalAmount: "9266.00", Lines: [{ LineID: "Base:1|Nb-1", Amount: "9266.00" }] } }).catch((e: unknown) => e);
    expect(isFault(conflict, "InvalidParameter")).toBe(true);
    expect((conflict as SoapFault).reason).toMatch(/^PaymentID HTTP-1 was already confirmed with different content \(TotalAmount 9266 \(recorded 9267\).*this delivery was not applied\.$/);
    expect(server.events.map((e) => e.kind)).toEqual(["applied", "repeat", "conflict"]);
    expect(await applications()).toEqual([{ payment_id: "HTTP-1", amount: "9267.00", applied_by: "http" }]);

    // The kept bytes are exactly what MPay signed: they verify, with the recorded signer, at the time received.
    const recorded = (await ledger.payment("HTTP-1"))!;
    expect(recorded.deliveries).toBe(2);
    const verdict = verifyEvidence(
      { request: recorded.request, receivedAt: recorded.firstReceivedAt, signer: pki.mpay.certificate, paymentId: "HTTP-1" },
      { anchors: [pki.ca], pins: [pki.mpay.certificate] },
    );
    expect(verdict.checks.filter((x) => !x.ok)).toEqual([]);
    expect(verdict.holds).toBe(true);

    // The durable write fails: MPay gets a fault (InternalError, so it retries), nothing is applied or recorded.
    if (factory.name === "sqlite") {
      await store.sql(`CREATE TRIGGER refuse_records BEFORE INSERT ON mpay_payments BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END`);
    } else {
      await store.sql(`CREATE FUNCTION "${store.schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk I/O error (test)'; END $$`);
      await store.sql(`CREATE TRIGGER refuse_records BEFORE INSERT ON "${store.schema}".mpay_payments FOR EACH ROW EXECUTE FUNCTION "${store.schema}".refuse()`);
    }
    const d = confirmation("HTTP-2");
    const failed = await client.ConfirmOrderPayment({ confirmation: d }).catch((e: unknown) => e);
    expect(isFault(failed, "InternalError")).toBe(true);
    expect((failed as SoapFault).reason).toMatch(/could not be recorded now; it was not applied\. Please retry\./);
    expect((failed as SoapFault).reason).not.toMatch(/disk/);
    expect(server.events.at(-1)).toMatchObject({ kind: "store-failed", paymentId: "HTTP-2" });
    expect(await ledger.payment("HTTP-2")).toBeUndefined();
    expect((await applications()).map((a) => a.payment_id)).toEqual(["HTTP-1"]);
    // A repeat of an applied payment is answered from the record even while new records fail.
    expect(await client.ConfirmOrderPayment({ confirmation: c })).toEqual({});
    await store.sql(factory.name === "sqlite" ? "DROP TRIGGER refuse_records" : `DROP TRIGGER refuse_records ON "${store.schema}".mpay_payments`);
    expect(await client.ConfirmOrderPayment({ confirmation: d })).toEqual({});
    expect((await applications()).map((a) => a.payment_id).sort()).toEqual(["HTTP-1", "HTTP-2"]);
  }, 60_000);

  it("exactly once under pressure: 200 concurrent signed deliveries of 50 PaymentIDs to one provider", async () => {
    server = await startConfirmationServer(ledger, store.applications, "one", testPki());
    await pressure("ONE", [server.url]);
  }, 60_000);

  it("exactly once under pressure: 200 concurrent signed deliveries of 50 PaymentIDs to two provider processes sharing the store", async () => {
    const providers = await Promise.all([startProviderProcess(store, "first"), startProviderProcess(store, "second")]);
    try {
      const { applied, outcomes } = await pressure("TWO", providers.map((p) => p.url));
      // Both processes applied payments: the store, not a single process, decided.
      expect(new Set(applied.map((a) => a.applied_by))).toEqual(new Set(["first", "second"]));
      // Every refused conflict was logged by the process that refused it: one JSON line, no message or certificate.
      const logged = providers.flatMap((p) => p.stderr().split("\n")).filter((line) => line.includes('"event":"confirmation-conflict"'));
      expect(logged).toHaveLength(outcomes.filter((o) => o === "conflict").length);
      for (const line of logged) {
        expect(JSON.parse(line)).toMatchObject({ event: "confirmation-conflict", kind: "conflict", paymentId: expect.stringMatching(/^TWO-/), difference: expect.stringMatching(/^TotalAmount/) });
        expect(line).not.toMatch(/MII|<|BEGIN CERTIFICATE/);
      }
    } finally {
      await Promise.all(providers.map((p) => p.stop()));
    }
  }, 60_000);
});
