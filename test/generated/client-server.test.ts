/**
 * The generated client talks to the generated server over 127.0.0.1, with the example
 * provider's order book behind it: both operations, the order lifecycle, and the faults
 * arriving as typed errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SoapFault } from "@mpay-kit/runtime";
import { ServiceProviderClient, createServiceProviderHandler, isFault, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { OrderBook } from "../../examples/provider/src/order-book.ts";
import { builtInOrders } from "../../examples/provider/src/orders.ts";
import { runProviderExpectingFailure, startProvider } from "../helpers/provider.ts";

let server: Server;
let client: ServiceProviderClient;
const book = new OrderBook(builtInOrders, { now: () => new Date("2025-08-01T12:00:00Z") });

beforeAll(async () => {
  server = createServer(createServiceProviderHandler(book, { wsSecurity: false }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new ServiceProviderClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ServiceProvider.svc`, timeoutMs: 5000, wsSecurity: false });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function faultOf(promise: Promise<unknown>): Promise<SoapFault> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SoapFault);
  return error as SoapFault;
}

const confirmation = (overrides: Partial<PaymentConfirmation> = {}): PaymentConfirmation => ({
  Currency: "MDL",
  Lines: [
    { Amount: "100.00", LineID: "L1" },
    { Amount: "50.00", LineID: "L2" },
  ],
  OrderKey: "ORD-1001",
  PaidAt: "2025-07-10T10:51:23",
  PaymentID: "P-1",
  ServiceID: "DEMO01",
  TotalAmount: "150.00",
  ...overrides,
});

describe("generated client ↔ generated server", () => {
  it("GetOrderDetails returns the order, typed and exact", async () => {
    const answer = await client.GetOrderDetails({ query: { Language: "RO", OrderKey: "ORD-1001", ServiceID: "DEMO01" } });
    expect(answer.GetOrderDetailsResult).toEqual([builtInOrders[0]]);
  });

  it("GetOrderDetails for an unknown order returns no order", async () => {
    expect(await client.GetOrderDetails({ query: { OrderKey: "ORD-UNKNOWN", ServiceID: "DEMO01" } })).toEqual({ GetOrderDetailsResult: [] });
  });

  it("an order past its due date reads as Expired and cannot be paid", async () => {
    const [order] = (await client.GetOrderDetails({ query: { OrderKey: "ORD-EXPIRED", ServiceID: "DEMO01" } })).GetOrderDetailsResult!;
    expect(order!.Status).toBe("Expired");
    const f = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ OrderKey: "ORD-EXPIRED", PaymentID: "P-EXP", Lines: [{ Amount: "75.50", LineID: "L1" }], TotalAmount: "75.50" }) }));
    expect(isFault(f, "InvoiceExpired")).toBe(true);
  });

  it("faults arrive as typed errors: UnknownService, UnknownOrder, InvalidParameter, InvoiceAlreadyPaid", async () => {
    const unknownService = await faultOf(client.GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "NOPE" } }));
    expect(isFault(unknownService, "UnknownService")).toBe(true);
    expect(unknownService.reason).toContain("NOPE");
    const unknownOrder = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ OrderKey: "ORD-NOPE", PaymentID: "P-X" }) }));
    expect(isFault(unknownOrder, "UnknownOrder")).toBe(true);
    const badLanguage = await faultOf(client.GetOrderDetails({ query: { Language: "xx", OrderKey: "ORD-1001", ServiceID: "DEMO01" } }));
    expect(isFault(badLanguage, "InvalidParameter")).toBe(true);
    const noQuery = await faultOf(client.GetOrderDetails({}));
    expect(noQuery.reason).toBe("query is required.");
    const paid = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ OrderKey: "ORD-PAID", PaymentID: "P-PAID", Lines: [{ Amount: "1.00", LineID: "L1" }], TotalAmount: "1.00" }) }));
    expect(isFault(paid, "InvoiceAlreadyPaid")).toBe(true);
  });

  it("refuses wrong amounts without applying anything", async () => {
    const short = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ PaymentID: "P-short", Lines: [{ Amount: "99.99", LineID: "L1" }, { Amount: "50.00", LineID: "L2" }], TotalAmount: "149.99" }) }));
    expect(short.reason).toMatch(/partial payment is not allowed/);
    const sum = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ PaymentID: "P-sum", TotalAmount: "150.01" }) }));
    expect(sum.reason).toMatch(/not the sum of the line amounts/);
    const currency = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ PaymentID: "P-cur", Currency: "EUR" }) }));
    expect(currency.reason).toMatch(/Currency EUR/);
    expect(book.order("DEMO01", "ORD-1001")!.Status).toBe("Active");
  });

  it("applies a payment once; a repeat answers success; a changed repeat is refused", async () => {
    expect(await client.ConfirmOrderPayment({ confirmation: confirmation() })).toEqual({});
    expect(await client.ConfirmOrderPayment({ confirmation: confirmation() })).toEqual({});
    const changed = await faultOf(client.ConfirmOrderPayment({ confirmation: confirmation({ TotalAmount: "150.00", Lines: [{ Amount: "150.00", LineID: "L1" }] }) }));
    expect(changed.reason).toMatch(/already applied with different content/);
    expect(book.payments().filter((p) => p.paymentId === "P-1")).toHaveLength(1);
    const [order] = (await client.GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } })).GetOrderDetailsResult!;
    expect(order).toMatchObject({ Status: "Paid", TotalAmountDue: "0.00" });
  });

  it("concurrent deliveries of one PaymentID apply it once", async () => {
    const c = confirmation({ OrderKey: "ORD-1002", PaymentID: "P-conc", Lines: [{ Amount: "0.10", LineID: "Base:1|Nb-1" }], TotalAmount: "0.10" });
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.ConfirmOrderPayment({ confirmation: c })));
    expect(answers).toEqual(Array.from({ length: 20 }, () => ({})));
    expect(book.payments().filter((p) => p.paymentId === "P-conc")).toHaveLength(1);
    const [order] = (await client.GetOrderDetails({ query: { OrderKey: "ORD-1002", ServiceID: "DEMO01" } })).GetOrderDetailsResult!;
    expect(order).toMatchObject({ Status: "PartiallyPaid", TotalAmountDue: "9266.90" });
    expect(order!.Lines[0]!.AmountDue).toBe("9266.90");
  });

  it("a partial payment leaves the rest due, and paying the rest makes the order Paid", async () => {
    await client.ConfirmOrderPayment({ confirmation: confirmation({ OrderKey: "ORD-1002", PaymentID: "P-rest", Lines: [{ Amount: "9266.90", LineID: "Base:1|Nb-1" }], TotalAmount: "9266.90" }) });
    const [order] = (await client.GetOrderDetails({ query: { OrderKey: "ORD-1002", ServiceID: "DEMO01" } })).GetOrderDetailsResult!;
    expect(order).toMatchObject({ Status: "Paid", TotalAmountDue: "0.00" });
  });
});

describe("the example provider as a program", () => {
  it("prints its endpoint on the first line and serves the WSDL there", async () => {
    const provider = await startProvider();
    try {
      expect(provider.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ServiceProvider\.svc$/);
      const wsdl = await (await fetch(`${provider.url}?wsdl`)).text();
      expect(wsdl).toContain(`location="${provider.url}"`);
      expect(wsdl).toContain(`schemaLocation="${provider.url}?xsd=ServiceProvider.xsd"`);
      const xsd = await fetch(`${provider.url}?xsd=ServiceProvider.xsd`);
      expect(xsd.status).toBe(200);
      expect(await xsd.text()).toContain(`schemaLocation="${provider.url}?xsd=Serialization.xsd"`);
    } finally {
      await provider.stop();
    }
  });

  it("loads orders from a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orders-"));
    const file = join(dir, "orders.json");
    writeFileSync(file, JSON.stringify([{ ...builtInOrders[0], OrderKey: "FROM-FILE" }]));
    const provider = await startProvider(["--orders", file]);
    try {
      const c = new ServiceProviderClient({ endpoint: provider.url, wsSecurity: false });
      const answer = await c.GetOrderDetails({ query: { OrderKey: "FROM-FILE", ServiceID: "DEMO01" } });
      expect(answer.GetOrderDetailsResult![0]!.OrderKey).toBe("FROM-FILE");
      expect((await c.GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } })).GetOrderDetailsResult).toEqual([]);
    } finally {
      await provider.stop();
    }
  });

  it.each([
    [[{ ...builtInOrders[0], TotalAmountDue: 150 }], /order 1 \(OrderKey "ORD-1001"\): TotalAmountDue: expected a decimal string, got a number/],
    [[builtInOrders[1], { ...builtInOrders[0], Lines: [{ LineID: "L1", Reason: "x", DestinationAccount: {} , AmountDue: "1,5" }] }], /order 2 \(OrderKey "ORD-1001"\): Lines\[0\]\.AmountDue: "1,5" is not a valid decimal/],
    [[{ ...builtInOrders[0], Status: "Open" }], /order 1 .*: Status: value "Open" is not one of the allowed values/],
    [[{ ...builtInOrders[0], Totl: "1" }], /order 1 .*: Totl: unknown member Totl/],
    [[{ ...builtInOrders[0], OrderKey: "x".repeat(37) }], /OrderKey: value .* must be at most 36 characters long, is 37/],
    [[builtInOrders[0], builtInOrders[0]], /order 2 .*appears twice/],
    [{ orders: [] }, /expected a JSON array/],
  ])("refuses a bad orders file at start-up (%#)", async (content, message) => {
    const dir = mkdtempSync(join(tmpdir(), "orders-"));
    const file = join(dir, "orders.json");
    writeFileSync(file, JSON.stringify(content));
    const { code, stderr } = await runProviderExpectingFailure(["--orders", file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
