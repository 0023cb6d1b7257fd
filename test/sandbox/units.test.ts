/** The sandbox's small pieces on their own: escaping, backoff, amounts, IDNP/IDNO, PDF text encoding. */
import { describe, expect, it } from "vitest";
import { html, trustedHtml } from "../../sandbox/src/html.ts";
import { retryDelayMs } from "../../sandbox/src/retry.ts";
import { add, compare, formatAmount, parsePayerAmount } from "../../sandbox/src/money.ts";
import { isValidIdn } from "../../sandbox/src/checkout.ts";
import { encodeText } from "../../sandbox/src/pdf.ts";
import { isAcceptableReturnUrl } from "../../sandbox/src/routes.ts";

describe("html template", () => {
  it("escapes every interpolated value, in text and in attributes, and composes nested templates unescaped", () => {
    const value = `"'<b>&</b>`;
    const inner = html`<i>${value}</i>`;
    expect(html`<p title="${value}">${value}${inner}${[inner, "<x>"]}${null}${undefined}${false}${0}</p>`.markup).toBe(
      '<p title="&quot;&#39;&lt;b&gt;&amp;&lt;/b&gt;">&quot;&#39;&lt;b&gt;&amp;&lt;/b&gt;<i>&quot;&#39;&lt;b&gt;&amp;&lt;/b&gt;</i><i>&quot;&#39;&lt;b&gt;&amp;&lt;/b&gt;</i>&lt;x&gt;0</p>',
    );
    expect(html`${trustedHtml("<br>")}`.markup).toBe("<br>");
  });
});

describe("retry delays", () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 };
  it("double after each failure, stop at the cap, and keep half of each delay fixed", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect([1, 2, 3, 7].map((n) => retryDelayMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 30000]);
    expect(retryDelayMs(1000, policy, () => 0.5)).toBe(45000);
  });
  it("spread out: many payments failing together do not all come back together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, policy)));
    expect(delays.size).toBeGreaterThan(25);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});

describe("amounts", () => {
  it("read as payers type them, computed exactly, shown per language", () => {
    expect(["12", "12.5", "12,50", "1 234,56", "0.1"].map(parsePayerAmount)).toEqual(["12.00", "12.50", "12.50", "1234.56", "0.10"]);
    expect(["", "-1", "1.234", "1e3", "12,3,4", "abc"].map(parsePayerAmount)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(add("0.1", "0.2")).toBe("0.30");
    expect(compare("9267.00", "9267")).toBe(0);
    expect(formatAmount("9267.00", "ro")).toBe("9\u00a0267,00");
    expect(formatAmount("1234567.5", "en")).toBe("1,234,567.50");
  });
});

describe("IDNP/IDNO check digit", () => {
  it("accepts a valid code and refuses a changed digit or a wrong length", () => {
    expect(isValidIdn("2006022048426")).toBe(true);
    expect(isValidIdn("2006022048427")).toBe(false);
    expect(isValidIdn("200602204842")).toBe(false);
    expect(isValidIdn("20060220484a6")).toBe(false);
  });
});

describe("PDF text encoding", () => {
  it("puts ă ș ț (and the cedilla forms) on the remapped codes, keeps WinAnsi's own letters, and replaces what the fonts cannot draw", () => {
    expect(encodeText("ăĂșȘțȚşţâîÂÎ")).toEqual([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x7f, 0x8f, 0x9d, 0xe2, 0xee, 0xc2, 0xce]);
    expect(encodeText("€ – ok")).toEqual([0x80, 0x20, 0x96, 0x20, 0x6f, 0x6b]);
    expect(encodeText("ĉЖ")).toEqual([0x63, 0x3f]);
  });
});

describe("ReturnUrl", () => {
  it("only absolute http(s) URLs without credentials", () => {
    expect(isAcceptableReturnUrl("https://e-service.gov.md/orders/1?x=1")).toBe(true);
    expect(isAcceptableReturnUrl("http://127.0.0.1:3000/back")).toBe(true);
    for (const bad of ["javascript:alert(1)", "//evil.example/", "/back", "ftp://x/", "https://u:p@x/", `https://x/${"a".repeat(2100)}`]) expect(isAcceptableReturnUrl(bad), bad).toBe(false);
  });
});
