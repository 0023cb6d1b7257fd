/**
 * The offline MPay driven by plain HTTP form posts, against the example provider (signed both
 * ways, its own process) on 127.0.0.1: order → invoice → pay → confirmed, partial payments,
 * orders that cannot be paid, a provider that is down or answers faults for a while, a sandbox
 * restarted with confirmations pending, and ReturnUrl validation.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningProvider } from "../helpers/provider.ts";
import type { RunningSandbox } from "../../sandbox/src/server.ts";
import { eventually, get, inputValue, openInvoice, ordersWithout, payAction, paymentIdOf, pki, portOf, post, startSignedProvider, startTestSandbox, submitPay } from "./harness.ts";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

async function provider(options: Parameters<typeof startSignedProvider>[0] = {}): Promise<RunningProvider> {
  const p = await startSignedProvider(options);
  stops.push(() => p.stop());
  return p;
}

async function sandbox(providerUrl: string, options: Parameters<typeof startTestSandbox>[1] = {}): Promise<RunningSandbox & { dataDir: string }> {
  const s = await startTestSandbox(providerUrl, options);
  stops.push(() => s.close());
  return s;
}

beforeAll(() => {
  pki();
});

/** Pays and returns the payment's id (the result page's). */
async function pay(base: string, page: string, fields: Record<string, string> = {}): Promise<string> {
  const paid = await submitPay(base, page, fields);
  expect(paid.status, paid.body.slice(0, 400)).toBe(303);
  return paymentIdOf(paid.location!)!;
}

async function confirmed(s: RunningSandbox, paymentId: string): Promise<void> {
  await eventually(() => (s.store.payment(paymentId)?.state === "confirmed" ? true : undefined), `payment ${paymentId} confirmed`);
}

describe("order → invoice → pay → confirmed", () => {
  it("shows the invoice from the provider's signed answer, pays it, confirms it once, and the provider then reports the order paid", async () => {
    const p = await provider();
    const s = await sandbox(p.url);
    const { page } = await openInvoice(s.url, "ORD-1001");
    expect(page).toContain("Taxă de urgență (eliberare în 24 de ore)");
    expect(page).toContain("150.00 MDL");
    expect(page).toContain('id="order-status">Active<');
    // Fixed amounts (no partial, no advance): no amount inputs.
    expect(inputValue(page, "amount.0")).toBeUndefined();
    const paymentId = await pay(s.url, page);
    const result = await get(s.url, `/payments/${paymentId}?lang=en`);
    expect(result.status).toBe(200);
    expect(result.body).toContain('id="total-paid">150.00 MDL<');
    await confirmed(s, paymentId);
    const payment = s.store.payment(paymentId)!;
    expect(payment.confirmation).toMatchObject({ ServiceID: "DEMO01", OrderKey: "ORD-1001", TotalAmount: "150.00", Currency: "MDL", InvoiceID: payment.invoiceId });
    expect(payment.confirmation.Lines.map((l) => [l?.LineID, l?.Amount])).toEqual([["L1", "100.00"], ["L2", "50.00"]]);
    expect(payment.confirmation.PaidAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(s.store.attempts(paymentId).map((a) => a.outcome)).toEqual(["confirmed"]);
    const done = await get(s.url, `/payments/${paymentId}?lang=en`);
    expect(done.body).toContain('data-state="confirmed"');
    expect(done.body).toContain('href="http://shop.example/back?order=ORD-1001"');
    // The provider applied it: a new visit shows the order paid, with nothing to pay.
    const again = await openInvoice(s.url, "ORD-1001");
    expect(again.page).toContain('id="order-status">Paid<');
    expect(payAction(again.page)).toBeUndefined();
  });

  it("over mutual TLS: an https provider requiring the sandbox's client certificate", async () => {
    const p = await provider({ tls: true });
    expect(p.url).toMatch(/^https:/);
    const s = await sandbox(p.url);
    const { page } = await openInvoice(s.url, "ORD-1001");
    const paymentId = await pay(s.url, page);
    await confirmed(s, paymentId);
    expect(s.store.attempts(paymentId).map((a) => a.outcome)).toEqual(["confirmed"]);
  });

  it("a pay form sent twice takes one payment", async () => {
    const p = await provider();
    const s = await sandbox(p.url);
    const { page } = await openInvoice(s.url, "ORD-1001");
    const [a, b] = await Promise.all([submitPay(s.url, page), submitPay(s.url, page)]);
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(a.location).toBe(b.location);
    expect(s.store.payments()).toHaveLength(1);
  });

  it("pages are Romanian by default and English with lang=en, every value escaped", async () => {
    const p = await provider();
    const s = await sandbox(p.url);
    const home = await get(s.url, "/");
    expect(home.body).toContain('<html lang="ro">');
    expect(home.body).toContain("Achită o comandă existentă");
    const en = await get(s.url, "/?lang=en");
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain("Pay an existing order");
    expect(en.headers.get("content-security-policy")).toContain("default-src 'none'");
    const typed = await get(s.url, `/pay-existing?lang=en&OrderKey=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(typed.body).not.toContain("<script>");
    expect(typed.body).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("pay an existing order: ServiceID and order key typed, no ReturnUrl", async () => {
    const p = await provider();
    const s = await sandbox(p.url);
    const form = await get(s.url, "/pay-existing?lang=en");
    expect(form.body).toContain('action="/service/pay"');
    const start = await post(s.url, "/service/pay", { ServiceID: "DEMO01", OrderKey: "ORD-1002", lang: "en" });
    expect(start.status).toBe(303);
    const page = (await get(s.url, start.location!)).body;
    expect(page).toContain("9,267.00 MDL");
    expect(page).not.toContain("Back to the e-service");
    const unknown = await post(s.url, "/service/pay", { ServiceID: "DEMO01", OrderKey: "NO-SUCH-ORDER", lang: "en" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("The provider has no order NO-SUCH-ORDER for service DEMO01.");
    const badService = await post(s.url, "/service/pay", { ServiceID: "NOPE", OrderKey: "ORD-1", lang: "en" });
    expect(badService.status).toBe(502);
    expect(badService.body).toContain("UnknownService");
  });
});

describe("partial payments", () => {
  it("pays part of an order that allows it; the provider then asks only for the rest", async () => {
    const p = await provider();
    const s = await sandbox(p.url);
    const { page } = await openInvoice(s.url, "ORD-1002");
    expect(inputValue(page, "amount.0")).toBe("9267.00");
    expect(page).toContain("You may pay part of this amount.");
    // More than due: advance payments are not allowed on this order.
    const over = await submitPay(s.url, page, { "amount.0": "10000" });
    expect(over.status).toBe(422);
    expect(over.body).toContain("does not allow paying more than is due");
    const bad = await submitPay(s.url, page, { "amount.0": "12,3,4" });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain("type an amount such as 100 or 100,50");
    const badIdn = await submitPay(s.url, page, { "amount.0": "100", "property.2": "2006022048427" });
    expect(badIdn.status).toBe(422);
    expect(badIdn.body).toContain("must be a valid IDNP or IDNO");
    expect(s.store.payments()).toHaveLength(0);

    const paymentId = await pay(s.url, page, { "amount.0": "1 000,50", "property.1": "079123456" });
    await confirmed(s, paymentId);
    const c = s.store.payment(paymentId)!.confirmation;
    expect(c.TotalAmount).toBe("1000.50");
    expect(c.Properties).toEqual([{ Name: "Telephone", Value: "079123456" }, { Name: "Payer", Value: "2006022048426" }]);
    const after = await openInvoice(s.url, "ORD-1002");
    expect(after.page).toContain('id="order-status">Partially paid<');
    expect(inputValue(after.page, "amount.0")).toBe("8266.50");
    const second = await pay(s.url, after.page, { "amount.0": "8266.50" });
    await confirmed(s, second);
    const paid = await openInvoice(s.url, "ORD-1002");
    expect(paid.page).toContain('id="order-status">Paid<');
  });
});

describe("orders that cannot be paid", () => {
  for (const [orderKey, status] of [["ORD-EXPIRED", "Expired"], ["ORD-PAID", "Paid"]] as const) {
    it(`${orderKey}: the invoice says ${status} and has no pay form; a pay post is refused and records nothing`, async () => {
      const p = await provider();
      const s = await sandbox(p.url);
      const { url, page } = await openInvoice(s.url, orderKey);
      expect(page).toContain(`id="order-status">${status}<`);
      expect(page).toContain('id="not-payable"');
      expect(payAction(page)).toBeUndefined();
      const checkoutId = /\/checkout\/([0-9a-f-]{36})/.exec(url)![1]!;
      const refused = await post(s.url, `/checkout/${checkoutId}/pay`, { version: inputValue(page, "version")!, lang: "en" });
      expect(refused.status).toBe(409);
      expect(refused.body).toContain("This order cannot be paid");
      expect(s.store.payments()).toHaveLength(0);
    });
  }
});

describe("confirmation retries", () => {
  it("provider down when the payer pays: the payment is taken, retried with backoff, and confirmed exactly once when the provider is back", async () => {
    const first = await provider();
    const port = portOf(first.url);
    const s = await sandbox(first.url);
    const { page } = await openInvoice(s.url, "ORD-1001");
    await first.stop();
    const paymentId = await pay(s.url, page);
    await eventually(() => (s.store.attempts(paymentId).length >= 3 ? true : undefined), "three failed attempts");
    const failed = s.store.attempts(paymentId);
    expect(failed.every((a) => a.outcome === "unreachable" && a.nextRetryAt !== undefined)).toBe(true);
    // The delays grow (exponential, capped at 150 ms with up to half of it random).
    const gaps = failed.slice(1).map((a, i) => a.startedAt.getTime() - failed[i]!.startedAt.getTime());
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(15);
    const list = await get(s.url, "/payments?lang=en");
    expect(list.body).toContain(paymentId);
    expect(list.body).toContain("Waiting for confirmation");

    await provider({ port });
    await confirmed(s, paymentId);
    const attempts = s.store.attempts(paymentId);
    expect(attempts.filter((a) => a.outcome === "confirmed")).toHaveLength(1);
    expect(attempts.at(-1)!.outcome).toBe("confirmed");
    // Nothing more is sent after the success.
    await new Promise((r) => setTimeout(r, 400));
    expect(s.store.attempts(paymentId)).toHaveLength(attempts.length);
    const after = await openInvoice(s.url, "ORD-1001");
    expect(after.page).toContain('id="order-status">Paid<');
  });

  it("provider answering a fault for a while (it does not know the order yet): the faults are shown, and the retries end in one confirmation", async () => {
    const first = await provider();
    const port = portOf(first.url);
    const s = await sandbox(first.url);
    const { page } = await openInvoice(s.url, "ORD-1001");
    await first.stop();
    const forgetful = await provider({ port, orders: ordersWithout("ORD-1001") });
    const paymentId = await pay(s.url, page);
    await eventually(() => (s.store.attempts(paymentId).filter((a) => a.outcome === "fault").length >= 2 ? true : undefined), "two faults");
    const fault = s.store.attempts(paymentId)[0]!;
    expect(fault.faultCode).toBe("UnknownOrder");
    expect(fault.message).toContain("ORD-1001");
    const detail = await get(s.url, `/payments/${paymentId}?lang=en`);
    expect(detail.body).toContain("<code>UnknownOrder</code>");
    expect(detail.body).toContain('<meta http-equiv="refresh"');
    await forgetful.stop();
    await provider({ port });
    await confirmed(s, paymentId);
    const outcomes = s.store.attempts(paymentId).map((a) => a.outcome);
    // Faults, perhaps a refused connection while the provider restarts, then one confirmation.
    expect(outcomes.at(-1)).toBe("confirmed");
    expect(outcomes.slice(0, -1)).not.toContain("confirmed");
    expect(outcomes).toContain("fault");
  });

  it("a sandbox restarted with a confirmation pending resumes it from its database", async () => {
    const first = await provider();
    const port = portOf(first.url);
    const s1 = await startTestSandbox(first.url);
    const { page } = await openInvoice(s1.url, "ORD-1001");
    await first.stop();
    const paymentId = await pay(s1.url, page);
    await eventually(() => (s1.store.attempts(paymentId).length >= 1 ? true : undefined), "a failed attempt");
    await s1.close();
    const p = await provider({ port });
    const s2 = await sandbox(p.url, { dataDir: s1.dataDir });
    await confirmed(s2, paymentId);
    const attempts = s2.store.attempts(paymentId);
    expect(attempts[0]!.outcome).toBe("unreachable");
    expect(attempts.filter((a) => a.outcome === "confirmed")).toHaveLength(1);
  });

  it("the provider applied the payment but its answer was refused: every repeat is delivered with the same content, and the order is paid once", async () => {
    const p = await provider();
    const s1 = await startTestSandbox(p.url);
    const { page } = await openInvoice(s1.url, "ORD-1002");
    await s1.close();
    // The same data, but a sandbox that accepts only a different signer: the provider's signed answers are refused.
    const distrustful = await startTestSandbox(p.url, { dataDir: s1.dataDir, pin: pki().mpayCertPath });
    const paymentId = await pay(distrustful.url, page, { "amount.0": "1000" });
    await eventually(() => (distrustful.store.attempts(paymentId).length >= 3 ? true : undefined), "three refused answers");
    const refused = distrustful.store.attempts(paymentId);
    expect(refused.every((a) => a.outcome === "rejected")).toBe(true);
    await distrustful.close();
    const s = await sandbox(p.url, { dataDir: s1.dataDir });
    await confirmed(s, paymentId);
    // Delivered at least four times, applied once: 9267.00 - 1000 is due, not less.
    const after = await openInvoice(s.url, "ORD-1002");
    expect(inputValue(after.page, "amount.0")).toBe("8267.00");
    expect(after.page).toContain('id="order-status">Partially paid<');
  });

  it("retry now makes a pending payment due at once", async () => {
    const first = await provider();
    const s = await startTestSandbox(first.url);
    stops.push(() => s.close());
    const { page } = await openInvoice(s.url, "ORD-1001");
    await first.stop();
    const paymentId = await pay(s.url, page);
    await eventually(() => (s.store.attempts(paymentId).length >= 1 ? true : undefined), "a failed attempt");
    const before = s.store.attempts(paymentId).length;
    const retried = await post(s.url, `/payments/${paymentId}/retry`, { lang: "en" });
    expect(retried.status).toBe(303);
    await eventually(() => (s.store.attempts(paymentId).length > before ? true : undefined), "another attempt");
  });
});

describe("ReturnUrl", () => {
  let p: RunningProvider;
  let s: RunningSandbox;
  beforeAll(async () => {
    p = await startSignedProvider();
    s = await startTestSandbox(p.url);
  });
  afterAll(async () => {
    await s?.close();
    await p?.stop();
  });

  it("accepts absolute http and https URLs and links back to them, escaped", async () => {
    const back = 'https://shop.example/done?x="1"&y=<2>';
    const { page } = await openInvoice(s.url, "ORD-1001", { ReturnUrl: back });
    expect(page).toContain('href="https://shop.example/done?x=&quot;1&quot;&amp;y=&lt;2&gt;"');
    const paymentId = await pay(s.url, page);
    const result = await get(s.url, `/payments/${paymentId}`);
    expect(result.body).toContain('id="return" href="https://shop.example/done?x=&quot;1&quot;&amp;y=&lt;2&gt;"');
  });

  for (const bad of ["javascript:alert(1)", "/relative/path", "ftp://files.example/x", "data:text/html,hi", "http://user:secret@shop.example/", "not a url"]) {
    it(`refuses ${JSON.stringify(bad)} before calling the provider`, async () => {
      const answer = await post(s.url, "/service/pay", { ServiceID: "DEMO01", OrderKey: "ORD-ADVANCE", ReturnUrl: bad, lang: "en" });
      expect(answer.status).toBe(400);
      expect(answer.body).toContain("ReturnUrl must be an absolute http or https address.");
      expect(s.store.invoiceFor("DEMO01", "ORD-ADVANCE")).toBeUndefined();
    });
  }
});
