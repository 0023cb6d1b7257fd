/**
 * The pay-page redirect and the POS terminal URLs: documented addresses and field names, escaping,
 * ReturnUrl checks.
 */
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import {
  MPAY_PRODUCTION,
  MPAY_STAGING,
  checkReturnUrl,
  endpointsAt,
  escapeHtml,
  payForm,
  payRedirectPage,
  posTerminalPage,
  posTerminalPayInvoiceUrl,
  posTerminalPayUrl,
  readPayForm,
  returnUrlWith,
} from "@mpay-kit/provider/web";

/** The hidden inputs of a page, unescaped, in order (the page's markup is ours and regular). */
function inputsOf(html: string): [string, string][] {
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]);
}

describe("pay redirect", () => {
  it("POSTs ServiceID, OrderKey and ReturnUrl to the documented staging and production pay pages", () => {
    const request = { serviceId: "MDS02", orderKey: "MDS02250710092629689", returnUrl: "https://shop.example/paid?order=1" };
    expect(payForm("staging", request)).toEqual({
      action: "https://mpay.staging.egov.md/service/pay",
      method: "POST",
      fields: [
        { name: "ServiceID", value: "MDS02" },
        { name: "OrderKey", value: "MDS02250710092629689" },
        { name: "ReturnUrl", value: "https://shop.example/paid?order=1" },
      ],
    });
    expect(payForm("production", request).action).toBe("https://mpay.gov.md/service/pay");
    expect(payForm(MPAY_STAGING, request).action).toBe(MPAY_STAGING.payPage);
    expect(payForm(endpointsAt("http://127.0.0.1:8081"), request).action).toBe("http://127.0.0.1:8081/service/pay");
  });

  it("ReturnUrl is optional", () => {
    expect(payForm("staging", { serviceId: "S", orderKey: "K" }).fields.map((f) => f.name)).toEqual(["ServiceID", "OrderKey"]);
  });

  it("the page auto-submits the form, with a <noscript> button, and escapes every value", () => {
    const hostile = `"><script>alert(1)</script>&'`;
    const { html, form, scriptHash } = payRedirectPage("staging", { serviceId: "MDS02", orderKey: hostile.slice(0, 36), returnUrl: "https://shop.example/back?a=1&b=<x>" });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<form id="mpay-redirect" method="post" action="https://mpay.staging.egov.md/service/pay">');
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;");
    expect(inputsOf(html)).toEqual(form.fields.map((f) => [f.name, f.value]));
    // URL serialization percent-encodes < and >; & stays and is escaped in the attribute.
    expect(inputsOf(html)[2]).toEqual(["ReturnUrl", "https://shop.example/back?a=1&b=%3Cx%3E"]);
    expect(html).toMatch(/<noscript><p>[^<]+<\/p><button type="submit">Continuați<\/button><\/noscript>\s*<\/form>/);
    // One script, and the hash given for CSP is the hash of exactly its text.
    const scripts = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(scriptHash).toBe(`'sha256-${createHash("sha256").update(scripts[0]!).digest("base64")}'`);
  });

  it("the page speaks ro, en or ru and takes a CSP nonce", () => {
    expect(payRedirectPage("staging", { serviceId: "S", orderKey: "K" }, { language: "en" }).html).toMatch(/<html lang="en">[\s\S]*<title>Redirecting to MPay<\/title>[\s\S]*>Continue<\/button>/);
    expect(payRedirectPage("staging", { serviceId: "S", orderKey: "K" }, { language: "ru" }).html).toContain('<html lang="ru">');
    expect(payRedirectPage("staging", { serviceId: "S", orderKey: "K" }, { nonce: 'n"1' }).html).toContain('<script nonce="n&quot;1">');
  });

  it("refuses an empty or too long ServiceID or OrderKey (at most 36 characters)", () => {
    expect(() => payForm("staging", { serviceId: "S", orderKey: "k".repeat(36) })).not.toThrow();
    expect(() => payForm("staging", { serviceId: "S", orderKey: "ă".repeat(36) })).not.toThrow();
    expect(() => payForm("staging", { serviceId: "S", orderKey: "k".repeat(37) })).toThrow(/OrderKey is 37 characters long/);
    expect(() => payForm("staging", { serviceId: "", orderKey: "K" })).toThrow(/ServiceID is empty/);
  });

  it("ReturnUrl: an absolute http(s) URL without credentials", () => {
    expect(checkReturnUrl("https://shop.example/paid")).toBe("https://shop.example/paid");
    expect(checkReturnUrl(new URL("http://127.0.0.1:8080/return"))).toBe("http://127.0.0.1:8080/return");
    for (const bad of ["/paid", "javascript:alert(1)", "data:text/html,hi", "ftp://shop.example/", "https://user:pw@shop.example/"]) {
      expect(() => payForm("staging", { serviceId: "S", orderKey: "K", returnUrl: bad }), bad).toThrow(TypeError);
    }
  });

  it("returnUrlWith adds encoded query parameters", () => {
    expect(returnUrlWith("https://shop.example/paid?lang=ro", { order: "A&B =1" })).toBe("https://shop.example/paid?lang=ro&order=A%26B+%3D1");
    expect(() => returnUrlWith("javascript:x", {})).toThrow(TypeError);
  });

  it("readPayForm reads what the form posts (for a stand-in for MPay), with the same checks", () => {
    const request = { serviceId: "MDS02", orderKey: "a&b=c ă", returnUrl: "https://shop.example/paid?x=1" };
    const body = new URLSearchParams(payForm("staging", request).fields.map((f): [string, string] => [f.name, f.value])).toString();
    expect(readPayForm(body)).toEqual(request);
    expect(readPayForm("ServiceID=S&OrderKey=K")).toEqual({ serviceId: "S", orderKey: "K" });
    expect(readPayForm("ServiceID=S&OrderKey=K&ReturnUrl=")).toEqual({ serviceId: "S", orderKey: "K" });
    expect(() => readPayForm("ServiceID=S")).toThrow(/OrderKey is missing/);
    expect(() => readPayForm("OrderKey=K")).toThrow(/ServiceID is missing/);
    expect(() => readPayForm("ServiceID=S&OrderKey=K&OrderKey=L")).toThrow(/OrderKey is sent 2 times/);
    expect(() => readPayForm(`ServiceID=S&OrderKey=${"k".repeat(37)}`)).toThrow(/37 characters/);
    expect(() => readPayForm("ServiceID=S&OrderKey=K&ReturnUrl=javascript%3Aalert(1)")).toThrow(TypeError);
  });

  it("escapeHtml escapes the five characters that matter", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(escapeHtml("Agenția Moldsilva")).toBe("Agenția Moldsilva");
  });
});

describe("POS terminal URLs", () => {
  it("are the documented staging paths, with each segment encoded", () => {
    expect(posTerminalPayUrl("staging", "MDS02", "MDS02250710092629689")).toBe("https://mpay.staging.egov.md/PosTerminal/Pay/MDS02/MDS02250710092629689");
    expect(posTerminalPayInvoiceUrl("staging", "00069002233014")).toBe("https://mpay.staging.egov.md/PosTerminal/PayInvoice/00069002233014");
    expect(posTerminalPayUrl("staging", "MDS02", "a/b?c#d e")).toBe("https://mpay.staging.egov.md/PosTerminal/Pay/MDS02/a%2Fb%3Fc%23d%20e");
    // URL parsing removes a "." or ".." segment, even percent-encoded: such keys are refused.
    expect(new URL("https://h/PosTerminal/Pay/MDS02/%2E%2E").pathname).toBe("/PosTerminal/Pay/");
    expect(() => posTerminalPayUrl("staging", "MDS02", "..")).toThrow(/cannot stand in a URL path/);
    expect(() => posTerminalPayInvoiceUrl("staging", ".")).toThrow(/cannot stand in a URL path/);
    expect(posTerminalPayUrl("staging", "MDS02", "...")).toBe("https://mpay.staging.egov.md/PosTerminal/Pay/MDS02/...");
    expect(() => posTerminalPayUrl("staging", "MDS02", "")).toThrow(/OrderKey is empty/);
  });

  it("production's are not documented: an explicit address is required", () => {
    expect(MPAY_PRODUCTION.posTerminal).toBeUndefined();
    expect(() => posTerminalPayUrl("production", "MDS02", "K")).toThrow(/staging only/);
    expect(posTerminalPayUrl({ ...MPAY_PRODUCTION, posTerminal: "https://pos.example/PosTerminal/" }, "MDS02", "K")).toBe("https://pos.example/PosTerminal/Pay/MDS02/K");
  });

  it("a page POSTs the browser there, with no field", () => {
    const page = posTerminalPage(posTerminalPayInvoiceUrl("staging", "1&2"));
    expect(page.form).toEqual({ action: "https://mpay.staging.egov.md/PosTerminal/PayInvoice/1%262", method: "POST", fields: [] });
    expect(page.html).toContain('action="https://mpay.staging.egov.md/PosTerminal/PayInvoice/1%262"');
    expect(inputsOf(page.html)).toEqual([]);
  });

  it("endpointsAt refuses what is not http(s)", () => {
    expect(() => endpointsAt("file:///etc")).toThrow(TypeError);
    expect(endpointsAt("https://sandbox.example:9443/ignored/path")).toEqual({
      payPage: "https://sandbox.example:9443/service/pay",
      posTerminal: "https://sandbox.example:9443/PosTerminal",
      invoiceApi: "https://sandbox.example:9443",
    });
  });
});
