/**
 * `@mpay-kit/provider/operate`: log lines, the health endpoint and the graceful shutdown.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listenSoap, SoapFault } from "@mpay-kit/runtime";
import { ServiceProviderClient, createServiceProviderHandler } from "@mpay-kit/mpay-service-provider";
import { OrderBook } from "../../examples/provider/src/order-book.ts";
import { builtInOrders } from "../../examples/provider/src/orders.ts";
import { postSoap } from "../helpers/soap-post.ts";
import { REQUEST_BODY, REQUEST_HEADERS } from "../../bench/request.ts";
import { SqlitePaymentLedger } from "@mpay-kit/provider/store";
import { checkHealth, exchangeLogEntry, exchangeLogger, healthEndpoint, shutDownGracefully } from "@mpay-kit/provider/operate";

const confirmation = { confirmation: { ServiceID: "DEMO01", OrderKey: "ORD-1001", PaymentID: "P-1", TotalAmount: "150.00" } };

describe("exchange log lines", () => {
  const at = new Date("2025-07-10T07:51:23.120Z");
  it("say the operation, the identifiers, the outcome and the duration, as one JSON line", () => {
    const lines: string[] = [];
    exchangeLogger({ write: (l) => lines.push(l), now: () => at })({ operation: "ConfirmOrderPayment", status: 200, fault: undefined, durationMs: 3.456, input: confirmation });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(JSON.parse(lines[0]!)).toEqual({
      time: "2025-07-10T07:51:23.120Z",
      level: "info",
      event: "soap-exchange",
      operation: "ConfirmOrderPayment",
      serviceId: "DEMO01",
      orderKey: "ORD-1001",
      paymentId: "P-1",
      outcome: "ok",
      faultCode: null,
      status: 200,
      durationMs: 3.46,
    });
  });

  it("tell a service fault from a refused request and from an internal error", () => {
    const query = { query: { ServiceID: "DEMO01", OrderKey: "NOPE" } };
    const fault = exchangeLogEntry({ operation: "GetOrderDetails", status: 500, fault: { code: "UnknownOrder", namespace: "https://mpay.gov.md" }, durationMs: 1, input: query }, at);
    expect([fault.outcome, fault.level, fault.faultCode, fault.orderKey, fault.paymentId]).toEqual(["fault", "warn", "UnknownOrder", "NOPE", null]);
    const unsigned = exchangeLogEntry({ operation: "GetOrderDetails", status: 500, fault: { code: "AuthenticationFailed", namespace: "https://mpay.gov.md" }, durationMs: 1, input: undefined }, at);
    expect([unsigned.outcome, unsigned.serviceId]).toEqual(["refused", null]);
    const garbage = exchangeLogEntry({ operation: undefined, status: 500, fault: { code: "InvalidParameter", namespace: "https://mpay.gov.md" }, durationMs: 1, input: undefined }, at);
    expect([garbage.outcome, garbage.operation]).toEqual(["refused", null]);
    const tooLarge = exchangeLogEntry({ operation: undefined, status: 413, fault: { code: "Client", namespace: "http://schemas.xmlsoap.org/soap/envelope/" }, durationMs: 1, input: undefined }, at);
    expect(tooLarge.outcome).toBe("refused");
    const crash = exchangeLogEntry({ operation: "ConfirmOrderPayment", status: 500, fault: { code: "InternalError", namespace: "https://mpay.gov.md" }, durationMs: 1, input: confirmation }, at);
    expect([crash.outcome, crash.level, crash.paymentId]).toEqual(["error", "error", "P-1"]);
  });

  it("cut long identifiers and cannot be split by hostile ones", () => {
    const hostile = `A"}\n{"level":"info","forged":true,${"x".repeat(200)}`;
    const lines: string[] = [];
    exchangeLogger({ write: (l) => lines.push(l) })({ operation: "GetOrderDetails", status: 200, fault: undefined, durationMs: 1, input: { query: { ServiceID: "S", OrderKey: hostile } } });
    expect(lines[0]!.split("\n")).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { orderKey: string; forged?: unknown };
    expect(entry.forged).toBeUndefined();
    expect(entry.orderKey.length).toBe(65);
    expect(hostile.startsWith(entry.orderKey.slice(0, 64))).toBe(true);
  });
});

describe("health endpoint", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server === undefined ? done() : server.close(() => done()))));

  const get = (port: number, path: string, method = "GET") =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });

  async function serve(store: Parameters<typeof healthEndpoint>[0], timeoutMs?: number): Promise<number> {
    const health = healthEndpoint(store, timeoutMs === undefined ? {} : { timeoutMs });
    server = createServer((req, res) => {
      if (!health(req, res)) res.writeHead(404).end("elsewhere");
    });
    await new Promise<void>((done) => server!.listen(0, "127.0.0.1", () => done()));
    return (server.address() as AddressInfo).port;
  }

  it("answers 200 while the ledger answers, 503 once it is closed, and leaves other paths alone", async () => {
    const ledger = new SqlitePaymentLedger({ path: join(mkdtempSync(join(tmpdir(), "health-")), "payments.db") });
    const port = await serve(ledger);
    expect(await get(port, "/health")).toEqual({ status: 200, body: '{"status":"ok","store":"reachable"}' });
    expect(await get(port, "/health?verbose=1")).toMatchObject({ status: 200 });
    expect(await get(port, "/ServiceProvider.svc")).toEqual({ status: 404, body: "elsewhere" });
    expect((await get(port, "/health", "POST")).status).toBe(405);
    await ledger.close();
    expect(await get(port, "/health")).toEqual({ status: 503, body: '{"status":"unavailable","store":"unreachable"}' });
  });

  it("answers 503 when the store does not answer in time", async () => {
    const port = await serve({ check: () => new Promise<void>(() => undefined) }, 50);
    expect(await get(port, "/health")).toEqual({ status: 503, body: '{"status":"unavailable","store":"timeout"}' });
    expect(await checkHealth(undefined)).toEqual({ status: "ok", store: "none" });
  });
});

describe("graceful shutdown", () => {
  it("lets a request in progress finish and be answered, then closes the ledger, then exits 0", async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const running = await listenSoap((req, res) => {
      events.push("request started");
      // A confirmation in progress: answered only after the shutdown began.
      new Promise<void>((r) => (release = r)).then(() => {
        events.push("request answered");
        res.writeHead(200, { "content-type": "text/plain" }).end("done");
      });
    });
    const answer = new Promise<string>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: running.port, path: "/", method: "POST" }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
      req.end("x");
    });
    while (!events.includes("request started")) await new Promise((r) => setTimeout(r, 5));
    const stop = shutDownGracefully({
      servers: [running],
      resources: [{ close: async () => void events.push("ledger closed") }],
      signals: [],
      exit: (code) => events.push(`exit ${code}`),
    });
    const stopped = stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(["request started"]);
    // New connections are refused while stopping.
    await expect(new Promise((resolve, reject) => request({ host: "127.0.0.1", port: running.port, path: "/" }, resolve).on("error", reject).end())).rejects.toThrow(/ECONNREFUSED/);
    release();
    expect(await answer).toBe("done");
    await stopped;
    expect(events).toEqual(["request started", "request answered", "ledger closed", "exit 0"]);
  });

  it("exits 1 when closing fails, and acts on the signals it was given", async () => {
    const events: string[] = [];
    const stop = shutDownGracefully({
      servers: [{ close: async () => undefined }],
      resources: [{ close: async () => Promise.reject(new Error("disk gone")) }],
      signals: ["SIGUSR2"],
      onEvent: (e) => events.push(e.kind === "stopping" ? `stopping on ${e.signal}` : `failed: ${(e.error as Error).message}`),
      exit: (code) => events.push(`exit ${code}`),
    });
    process.emit("SIGUSR2", "SIGUSR2");
    await stop();
    expect(events).toEqual(["stopping on SIGUSR2", "failed: disk gone", "exit 1"]);
    expect(process.listenerCount("SIGUSR2")).toBe(0);
  });
});

describe("exchange log lines through the wire (the generated server's onExchange)", () => {
  it("one line per SOAP request, none for a WSDL download, with what each exchange was", async () => {
    const lines: string[] = [];
    const book = new OrderBook(builtInOrders);
    const soap = createServiceProviderHandler(
      {
        GetOrderDetails: (input) => book.GetOrderDetails(input),
        ConfirmOrderPayment: () => {
          throw new Error("database on fire: password=hunter2");
        },
      },
      { wsSecurity: false, onExchange: exchangeLogger({ write: (l) => lines.push(l) }), onError: () => undefined },
    );
    const running = await listenSoap(soap);
    try {
      const endpoint = `${running.url}ServiceProvider.svc`;
      const client = new ServiceProviderClient({ endpoint, timeoutMs: 5_000, wsSecurity: false });
      await client.GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } });
      await expect(client.GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "NOPE" } })).rejects.toBeInstanceOf(SoapFault);
      await expect(
        client.ConfirmOrderPayment({ confirmation: { Currency: "MDL", Lines: [{ Amount: "1.00", LineID: "L1" }], OrderKey: "ORD-1001", PaidAt: "2025-07-10T10:51:23", PaymentID: "P-9", ServiceID: "DEMO01", TotalAmount: "1.00" } }),
      ).rejects.toBeInstanceOf(SoapFault);
      await postSoap(endpoint, "<not-soap/>", { soapAction: REQUEST_HEADERS["soapaction"]!.slice(1, -1) });
      await postSoap(endpoint, REQUEST_BODY.replace("ORD-1001", "X".repeat(100)), { soapAction: REQUEST_HEADERS["soapaction"]!.slice(1, -1) });
      await fetch(`${endpoint}?wsdl`).then((r) => r.text());
    } finally {
      await running.close();
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const pick = (e: Record<string, unknown>) => [e["operation"], e["orderKey"], e["paymentId"], e["outcome"], e["faultCode"], e["status"]];
    expect(entries.map(pick)).toEqual([
      ["GetOrderDetails", "ORD-1001", null, "ok", null, 200],
      ["GetOrderDetails", "ORD-1001", null, "fault", "UnknownService", 500],
      ["ConfirmOrderPayment", "ORD-1001", "P-9", "error", "InternalError", 500],
      [null, null, null, "refused", "InvalidParameter", 500],
      ["GetOrderDetails", null, null, "refused", "InvalidParameter", 500],
    ]);
    for (const e of entries) expect(e["durationMs"]).toEqual(expect.any(Number));
    expect(lines.join("\n")).not.toMatch(/hunter2|database on fire|Envelope/);
  });
});
