/**
 * Our generated client against an independent SOAP server: node-soap (the `soap` npm package),
 * built from our WSDL file (bench/peers/node-soap-provider.ts), serving the example provider's
 * built-in orders. The client reads node-soap's answers with the strict decoder (the default):
 * element order, namespaces, lexical forms and array wrappers must all be right.
 *
 * Finding (node-soap's behaviour, not a bug of ours): node-soap writes a complex value's members
 * in the order of the JavaScript object's keys, not in the order of the schema's xs:sequence.
 * The peer therefore sorts keys into the schema's (WCF's alphabetical) order; the last block
 * shows what an unsorted object gives: a schema-invalid message that the strict decoder refuses
 * with an "order" error, and that lenient decoding reads without loss.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodecError, type UnknownContent } from "@mpay-kit/runtime";
import { ServiceProviderClient, isFault, type OrderDetails, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { builtInOrders } from "../../examples/provider/src/orders.ts";
import { startNodeSoapProvider, type RunningPeer } from "../../bench/peers/node-soap-provider.ts";

const confirmation = (orderKey: string): PaymentConfirmation => ({
  Currency: "MDL",
  Lines: [
    { Amount: "100.00", LineID: "L1" },
    { Amount: "50.00", LineID: "L2" },
  ],
  OrderKey: orderKey,
  PaidAt: "2025-07-10T10:51:23",
  PaymentID: `node-soap-${orderKey}`,
  ServiceID: "DEMO01",
  TotalAmount: "150.00",
});

describe("our generated client calls a node-soap server built from our WSDL", () => {
  let peer: RunningPeer;
  let client: ServiceProviderClient;
  beforeAll(async () => {
    peer = await startNodeSoapProvider(0);
    client = new ServiceProviderClient({ endpoint: peer.url, timeoutMs: 10_000, wsSecurity: false });
  });
  afterAll(() => peer?.close());

  it("reads ORD-1001 exactly: amounts as written, lines, accounts", async () => {
    const answer = await client.GetOrderDetails({ query: { Language: "ro", OrderKey: "ORD-1001", ServiceID: "DEMO01" } });
    expect(answer).toEqual({ GetOrderDetailsResult: [builtInOrders.find((o) => o.OrderKey === "ORD-1001")] });
    const [order] = answer.GetOrderDetailsResult!;
    expect(order).toMatchObject({ OrderKey: "ORD-1001", Currency: "MDL", CustomerType: "Person", Status: "Active", TotalAmountDue: "150.00", IssuedAt: "2025-07-10T09:26:29.463" });
    expect(order!.Lines.map((l) => [l!.LineID, l!.AmountDue, l!.DestinationAccount.BankCode])).toEqual([
      ["L1", "100.00", "TREZMD2X"],
      ["L2", "50.00", "TREZMD2X"],
    ]);
    // Non-ASCII text survives both serializers.
    expect(order!.Lines[0]!.DestinationAccount.BeneficiaryName).toBe("Agenția Demo");
  });

  it("reads an order with properties and flags (ORD-1002)", async () => {
    const answer = await client.GetOrderDetails({ query: { OrderKey: "ORD-1002", ServiceID: "DEMO01" } });
    const expected = builtInOrders.find((o) => o.OrderKey === "ORD-1002")!;
    expect(answer.GetOrderDetailsResult).toEqual([expected]);
    const [order] = answer.GetOrderDetailsResult!;
    expect(order!.AllowPartialPayments).toBe(true);
    expect(order!.TotalAmountDue).toBe("9267.00");
    expect(order!.Properties).toEqual([
      { DisplayName: "Nr. contract", Name: "Contract", Required: true, Type: "string", Value: "23215" },
      { DisplayName: "Nr. de telefon", Modifiable: true, Name: "Telephone", Required: false, Type: "number", Value: "060606060" },
    ]);
  });

  it("reads every built-in order back unchanged", async () => {
    for (const expected of builtInOrders) {
      const answer = await client.GetOrderDetails({ query: { OrderKey: expected.OrderKey, ServiceID: expected.ServiceID } });
      expect(answer.GetOrderDetailsResult, expected.OrderKey).toEqual([expected]);
    }
  });

  it("reads an empty result list for an unknown order", async () => {
    const answer = await client.GetOrderDetails({ query: { OrderKey: "ORD-UNKNOWN", ServiceID: "DEMO01" } });
    expect(answer).toEqual({ GetOrderDetailsResult: [] });
  });

  it("confirms a payment (empty response)", async () => {
    await expect(client.ConfirmOrderPayment({ confirmation: confirmation("ORD-1001") })).resolves.toEqual({});
  });

  it("receives an unknown order as a typed UnknownOrder fault", async () => {
    const error: unknown = await client.ConfirmOrderPayment({ confirmation: confirmation("NOPE") }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFault(error, "UnknownOrder")).toBe(true);
    if (!isFault(error, "UnknownOrder")) return;
    expect(error.code).toBe("UnknownOrder");
    expect(error.namespace).toBe("https://mpay.gov.md");
    expect(error.reason).toBe("The OrderKey 'NOPE' is unknown for service 'DEMO01'.");
    expect(error.httpStatus).toBe(500);
    expect(isFault(error, "UnknownService")).toBe(false);
  });
});

/** A deep copy of a value with every object's keys in reverse order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
}

describe("node-soap writes members in object-key order, not schema order", () => {
  const order = builtInOrders.find((o) => o.OrderKey === "ORD-1001")!;
  let peer: RunningPeer;
  beforeAll(async () => {
    peer = await startNodeSoapProvider(0, { orders: [reversedKeys(order)], memberOrder: "as-given" });
  });
  afterAll(() => peer?.close());
  const query = { query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } };

  it("the strict decoder refuses the out-of-order answer, naming the member", async () => {
    const error: unknown = await new ServiceProviderClient({ endpoint: peer.url, wsSecurity: false }).GetOrderDetails(query).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).problem).toBe("order");
    expect((error as CodecError).path).toMatch(/^GetOrderDetailsResponse\.GetOrderDetailsResult\[0\]\./);
  });

  it("lenient decoding reads it without loss, and reports each member out of order", async () => {
    const reported: UnknownContent[] = [];
    const lenient = new ServiceProviderClient({ endpoint: peer.url, wsSecurity: false, decode: { strict: false, onUnknown: (u) => reported.push(u) } });
    const answer = await lenient.GetOrderDetails(query);
    expect(answer.GetOrderDetailsResult).toEqual([order satisfies OrderDetails]);
    // Nothing is unknown, only misplaced: the hook hears of each member read out of order.
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((u) => u.kind === "order")).toBe(true);
  });
});
