/**
 * The generated client and server with WS-Security from the WSDL's policy: the user gives only
 * keys and trust. Both operations signed both ways, faults signed and typed, what handlers
 * learn about the signer, and the fail-closed defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SoapFault, type RequestContext } from "@mpay-kit/runtime";
import { TrustStore, SignatureRejected, signEnvelope, type VerifiedRequest } from "@mpay-kit/runtime/security";
import { writeEnvelope, writeFault } from "@mpay-kit/runtime";
import { ServiceProviderClient, ServiceProviderService, createServiceProviderHandler, isFault, type GetOrderDetails } from "@mpay-kit/mpay-service-provider";
import { OrderBook } from "../../examples/provider/src/order-book.ts";
import { builtInOrders } from "../../examples/provider/src/orders.ts";
import { testPki, type TestPki } from "../helpers/pki.ts";

let pki: TestPki;
let server: Server;
let endpoint: string;
const seen: { signer: string; raw: string }[] = [];

class RecordingBook extends OrderBook {
  override GetOrderDetails(input: GetOrderDetails, context?: RequestContext) {
    const security = context!.security as VerifiedRequest;
    seen.push({ signer: security.signer.fingerprint256, raw: Buffer.from(security.raw).toString("utf8") });
    return super.GetOrderDetails(input);
  }
}

const mpayClient = (overrides: object = {}) =>
  new ServiceProviderClient({
    endpoint,
    timeoutMs: 5000,
    wsSecurity: { identity: pki.mpay, trust: new TrustStore({ anchors: [pki.ca], pins: [pki.provider.certificate] }) },
    ...overrides,
  });

beforeAll(async () => {
  pki = testPki();
  const book = new RecordingBook(builtInOrders, { now: () => new Date("2025-08-01T12:00:00Z") });
  server = createServer(
    createServiceProviderHandler(book, {
      wsSecurity: { identity: pki.provider, trust: new TrustStore({ anchors: [pki.ca], pins: [pki.mpay.certificate] }) },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ServiceProvider.svc`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("WS-Security from the WSDL's policy", () => {
  it("the policy is the one MPay's WCF stack declares: Basic256, so RSA-SHA1, with a Timestamp", () => {
    expect(ServiceProviderService.security).toMatchObject({ algorithmSuite: "Basic256", signature: "rsa-sha1", includeTimestamp: true });
  });

  it("SOAP 1.2 too: a client sending SOAP 1.2 signs and verifies, the server answers signed in 1.2, mustUnderstand in the 1.2 namespace", async () => {
    seen.length = 0;
    let answerText = "";
    const client = mpayClient({
      soapVersion: "1.2",
      fetch: async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        const response = await fetch(input, init);
        answerText = await response.clone().text();
        return response;
      },
    });
    const answer = await client.GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } });
    expect(answer.GetOrderDetailsResult?.[0]?.TotalAmountDue).toBe("150.00");
    const request = seen[0]!.raw;
    for (const text of [request, answerText]) {
      expect(text).toContain('xmlns:s="http://www.w3.org/2003/05/soap-envelope"');
      expect(text).toMatch(/<wsse:Security [^>]*s:mustUnderstand="1"/);
    }
  });

  it("GetOrderDetails signed both ways; the handler gets the verified signer and the exact signed bytes", async () => {
    seen.length = 0;
    const answer = await mpayClient().GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } });
    expect(answer.GetOrderDetailsResult?.[0]?.TotalAmountDue).toBe("150.00");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signer).toBe(pki.mpay.certificate.fingerprint256);
    // The policy's suite decides the algorithm; the request carries its certificate (initiator token included).
    expect(seen[0]!.raw).toContain("http://www.w3.org/2000/09/xmldsig#rsa-sha1");
    expect(seen[0]!.raw).toContain("wsse:BinarySecurityToken");
  });

  it("ConfirmOrderPayment signed both ways, and a contract fault arrives signed and typed", async () => {
    const client = mpayClient();
    const paid = await client.ConfirmOrderPayment({
      confirmation: { Currency: "MDL", Lines: [{ Amount: "9267.00", LineID: "Base:1|Nb-1" }], OrderKey: "ORD-1002", PaidAt: "2025-07-10T10:51:23", PaymentID: "P-SIGNED-1", ServiceID: "DEMO01", TotalAmount: "9267.00" },
    });
    expect(paid).toEqual({});
    const error = await client.ConfirmOrderPayment({
      confirmation: { Currency: "MDL", Lines: [{ Amount: "1.00", LineID: "L1" }], OrderKey: "ORD-NOPE", PaidAt: "2025-07-10T10:51:23", PaymentID: "P-SIGNED-2", ServiceID: "DEMO01", TotalAmount: "1.00" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFault);
    expect(isFault(error as SoapFault, "UnknownOrder")).toBe(true);
  });

  it("an unsigned request is refused with AuthenticationFailed before any handler runs", async () => {
    seen.length = 0;
    const error = await mpayClient({ wsSecurity: false }).GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFault);
    expect(isFault(error as SoapFault, "AuthenticationFailed")).toBe(true);
    expect((error as SoapFault).reason).toMatch(/the request is not signed/);
    expect(seen).toHaveLength(0);
  });

  it("a request signed by a certificate that is not the pinned MPay one is refused", async () => {
    const error = await mpayClient({ wsSecurity: { identity: pki.provider, trust: new TrustStore({ anchors: [pki.ca] }) } })
      .GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } })
      .catch((e: unknown) => e);
    expect(isFault(error as SoapFault, "AuthenticationFailed")).toBe(true);
  });

  it("the client refuses an answer signed by a certificate it does not trust", async () => {
    const error = await mpayClient({ wsSecurity: { identity: pki.mpay, trust: new TrustStore({ anchors: [pki.ca], pins: [pki.mpay.certificate] }) } })
      .GetOrderDetails({ query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureRejected);
    expect((error as SignatureRejected).reason).toBe("untrusted");
  });

  it("without wsSecurity, a server or client for a WSDL whose policy asks for signatures refuses to be created", () => {
    expect(() => createServiceProviderHandler(new OrderBook(builtInOrders))).toThrow(/policy requires WS-Security.*wsSecurity: false/);
    expect(() => new ServiceProviderClient({ endpoint: "http://127.0.0.1:1/" })).toThrow(/policy requires WS-Security/);
  });

  it("an unsigned fault stays readable; a fault with a forged signature is refused", async () => {
    const answer = (body: string) => {
      const peer = createServer((req, res) => {
        req.resume();
        req.on("end", () => res.writeHead(500, { "content-type": "text/xml; charset=utf-8" }).end(body));
      });
      return new Promise<Server>((resolve) => peer.listen(0, "127.0.0.1", () => resolve(peer)));
    };
    const faultEnvelope = writeEnvelope(writeFault(new SoapFault("UnknownOrder", "no such order"), "https://mpay.gov.md"));
    const query = { query: { OrderKey: "ORD-1001", ServiceID: "DEMO01" } };
    for (const [body, expectation] of [
      [faultEnvelope, "fault"],
      [signEnvelope(faultEnvelope, { identity: pki.provider, algorithm: "rsa-sha1" }), "fault"],
      [signEnvelope(faultEnvelope, { identity: pki.provider, algorithm: "rsa-sha1" }).replace("no such order", "InvoiceAlreadyPaid"), "refused"],
    ] as const) {
      const peer = await answer(body);
      try {
        const error = await mpayClient({ endpoint: `http://127.0.0.1:${(peer.address() as AddressInfo).port}/` }).GetOrderDetails(query).catch((e: unknown) => e);
        if (expectation === "fault") expect(isFault(error as SoapFault, "UnknownOrder")).toBe(true);
        else expect((error as SignatureRejected).reason).toBe("digest");
      } finally {
        await new Promise<void>((resolve) => peer.close(() => resolve()));
      }
    }
  });
});
