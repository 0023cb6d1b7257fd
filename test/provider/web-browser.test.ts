/**
 * The pay redirect page in a real browser (Debian's chromium through playwright-core): with
 * script, under a Content-Security-Policy that allows only the page's script by its hash, it POSTs
 * the fields to the pay page by itself; without script, its <noscript> button does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { endpointsAt, payRedirectPage } from "@mpay-kit/provider/web";

const CHROMIUM = "/usr/bin/chromium";

/** The POST, or a clear failure when the browser never sends it. */
function within<T>(promise: Promise<T>, ms = 15_000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no POST reached the pay page within ${ms} ms`)), ms).unref())]);
}

describe.skipIf(!existsSync(CHROMIUM))("pay redirect in chromium", () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let posted: (fields: [string, string][]) => void = () => undefined;
  // Values a browser must carry through unchanged: markup, quotes, ampersands, non-ASCII.
  const request = { serviceId: "MDS02", orderKey: `"'<b>&amp; ț`, returnUrl: "https://shop.example/paid?a=1&b=ă" };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === "GET" && req.url === "/pay") {
        const page = payRedirectPage(endpointsAt(origin), request, { language: "en" });
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": `default-src 'none'; script-src ${page.scriptHash}; form-action ${origin}` });
        return void res.end(page.html);
      }
      if (req.method === "POST" && req.url === "/service/pay") {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          posted([...new URLSearchParams(Buffer.concat(chunks).toString("utf8"))]);
          res.writeHead(200, { "content-type": "text/plain" }).end("MPay pay page");
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const expected: [string, string][] = [
    ["ServiceID", request.serviceId],
    ["OrderKey", request.orderKey],
    ["ReturnUrl", "https://shop.example/paid?a=1&b=%C4%83"],
  ];

  it("submits itself under a strict CSP that allows only its script's hash", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const arrived = new Promise<[string, string][]>((resolve) => (posted = resolve));
      await page.goto(`${origin}/pay`);
      expect(await within(arrived)).toEqual(expected);
      await page.waitForURL(`${origin}/service/pay`);
      expect(await page.textContent("body")).toBe("MPay pay page");
    } finally {
      await context.close();
    }
  }, 60_000);

  it("without JavaScript, the <noscript> button submits the same form", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      let early = false;
      posted = () => (early = true);
      await page.goto(`${origin}/pay`);
      expect(early).toBe(false);
      const arrived = new Promise<[string, string][]>((resolve) => (posted = resolve));
      await page.getByRole("button", { name: "Continue" }).click();
      expect(await within(arrived)).toEqual(expected);
    } finally {
      await context.close();
    }
  }, 60_000);
});
