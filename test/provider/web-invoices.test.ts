/**
 * The invoice REST client against a test peer on 127.0.0.1 that behaves like MPay's documented
 * endpoints: ids, PDF download with its file name, PDF bytes in A4/A5; then every failure kind,
 * mutual TLS, and no key material in any error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import { inspect } from "node:util";
import { readFileSync } from "node:fs";
import { endpointsAt, fileNameOf, InvoiceApiError, MPayInvoiceClient, type InvoiceClientOptions } from "@mpay-kit/provider/web";
import { testPki } from "../helpers/pki.ts";

/** A small, well-formed one-page PDF of the given page size (points), with a correct xref table. */
function tinyPdf(width: number, height: number): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Contents 4 0 R /Resources << >> >>`,
    "<< /Length 0 >>\nstream\n\nendstream",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

const A4 = tinyPdf(595, 842);
const A5 = tinyPdf(420, 595);
const INVOICE = "00069002233014";

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly accept: string | undefined;
}

/** MPay's invoice endpoints as documented, plus misbehaviour chosen by the order key. */
function mpayInvoiceApi(seen: Seen[], stalled: ServerResponse[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, "http://x");
    const query = Object.fromEntries(url.searchParams);
    seen.push({ method: req.method!, path: url.pathname, query, accept: req.headers.accept });
    if (req.method !== "GET") return void res.writeHead(405).end();
    const key = query.orderKey ?? "";
    if (query.serviceID !== "MDS02") return void res.writeHead(404, { "content-type": "text/plain" }).end("Service not found");
    switch (key) {
      case "STALL":
        stalled.push(res);
        return;
      case "SLOW-BODY":
        res.writeHead(200, { "content-type": "application/pdf" });
        res.write(A4.subarray(0, 10));
        stalled.push(res);
        return;
      case "HTML":
        return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<html><body>Login</body></html>");
      case "NOT-PDF":
        return void res.writeHead(200, { "content-type": "application/pdf" }).end("hello, not a PDF");
      case "BIG":
        return void res.writeHead(200, { "content-type": "application/pdf" }).end(Buffer.concat([A4, Buffer.alloc(2 * 1024 * 1024, 32)]));
      case "FAIL":
        return void res.writeHead(500, { "content-type": "application/json" }).end(`{"error":"database \u0000\n down","detail":"${"x".repeat(5000)}"}`);
      case "NOPE":
        return void res.writeHead(404, { "content-type": "text/plain" }).end("Invoice not found");
    }
    if (url.pathname === "/api/invoices") {
      res.setHeader("content-type", "application/json; charset=utf-8");
      if (key === "NUMBERS") return void res.end(`[69002233015, "${INVOICE}", 12345678901234567890]`);
      if (key === "BAD-JSON") return void res.end("[not json");
      if (key === "OBJECT") return void res.end('{"ids": []}');
      if (key === "FRACTION") return void res.end("[1.5]");
      if (key === "NONE") return void res.end("[]");
      return void res.end(JSON.stringify([INVOICE]));
    }
    if (url.pathname === "/api/Invoices/DownloadInvoicePdf") {
      const disposition =
        key === "UTF8"
          ? `attachment; filename="Nota de plata.pdf"; filename*=UTF-8''Not%C4%83%20de%20plat%C4%83%20${INVOICE}.pdf`
          : key === "NO-NAME"
            ? "attachment"
            : key === "PATH"
              ? 'attachment; filename="../../evil\t.pdf"'
              : `attachment; filename="Nota de plata ${INVOICE}.pdf"`;
      return void res.writeHead(200, { "content-type": key === "OCTETS" ? "application/octet-stream" : "application/pdf", "content-disposition": disposition }).end(A4);
    }
    if (url.pathname === "/api/Invoices/GetPdfInvoiceBytes") {
      const pdf = query.pageFormat === "A5" ? A5 : A4;
      if (key === "JSON") return void res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(pdf.toString("base64")));
      if (key === "JSON-NOT-PDF") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Buffer.from("nope").toString("base64")));
      if (key === "JSON-NOT-BASE64") return void res.writeHead(200, { "content-type": "application/json" }).end('"%%%"');
      return void res.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
    }
    res.writeHead(404).end();
  };
}

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

async function failure(promise: Promise<unknown>): Promise<InvoiceApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvoiceApiError);
    return error as InvoiceApiError;
  }
  throw new Error("expected the request to fail");
}

const seen: Seen[] = [];
const stalled: ServerResponse[] = [];
let http: Server;
let origin: string;
const clients: MPayInvoiceClient[] = [];
function client(options: Partial<InvoiceClientOptions> = {}): MPayInvoiceClient {
  const c = new MPayInvoiceClient({ environment: endpointsAt(origin), ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  http = createHttpServer(mpayInvoiceApi(seen, stalled));
  origin = `http://127.0.0.1:${await listen(http)}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  for (const res of stalled) res.destroy();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

describe("invoice ids", () => {
  it("GET /api/invoices?serviceID=..&orderKey=.. gives the order's InvoiceIDs", async () => {
    const before = seen.length;
    expect(await client().invoiceIds("MDS02", "MDS02250710092629689")).toEqual([INVOICE]);
    expect(seen.slice(before)).toEqual([{ method: "GET", path: "/api/invoices", query: { serviceID: "MDS02", orderKey: "MDS02250710092629689" }, accept: "application/json" }]);
    expect(await client().invoiceIds("MDS02", "NONE")).toEqual([]);
  });

  it("ids sent as JSON numbers keep all their digits", async () => {
    expect(await client().invoiceIds("MDS02", "NUMBERS")).toEqual(["69002233015", INVOICE, "12345678901234567890"]);
  });

  it("query values are encoded", async () => {
    const before = seen.length;
    await client().invoiceIds("MDS02", "a&b=c d");
    expect(seen[before]!.query).toEqual({ serviceID: "MDS02", orderKey: "a&b=c d" });
  });

  it("refuses answers that are not an array of ids", async () => {
    for (const key of ["BAD-JSON", "OBJECT", "FRACTION"]) {
      const error = await failure(client().invoiceIds("MDS02", key));
      expect(error.problem, key).toBe("malformed");
      expect(error.status, key).toBe(200);
    }
    const html = await failure(client().invoiceIds("MDS02", "HTML"));
    expect(html.problem).toBe("content-type");
    expect(html.message).toMatch(/content type "text\/html; charset=utf-8", not JSON/);
  });
});

describe("invoice PDF download", () => {
  it("returns the PDF and the documented file name, and reads the InvoiceID from it", async () => {
    const before = seen.length;
    const pdf = await client().downloadInvoicePdf("MDS02", "K1");
    expect(Buffer.from(pdf.bytes).equals(A4)).toBe(true);
    expect(pdf.fileName).toBe(`Nota de plata ${INVOICE}.pdf`);
    expect(pdf.invoiceId).toBe(INVOICE);
    expect(seen[before]).toMatchObject({ method: "GET", path: "/api/Invoices/DownloadInvoicePdf", query: { serviceID: "MDS02", orderKey: "K1" } });
  });

  it("prefers the RFC 5987/8187 filename* over filename", async () => {
    const pdf = await client().downloadInvoicePdf("MDS02", "UTF8");
    expect(pdf.fileName).toBe(`Notă de plată ${INVOICE}.pdf`);
    expect(pdf.invoiceId).toBeUndefined();
  });

  it("no file name, a path or control characters in it", async () => {
    expect((await client().downloadInvoicePdf("MDS02", "NO-NAME")).fileName).toBeUndefined();
    expect((await client().downloadInvoicePdf("MDS02", "PATH")).fileName).toBe("evil.pdf");
    expect(fileNameOf(undefined)).toBeUndefined();
    // In a quoted string a backslash escapes the next character: the value here is C:\Users\evil.pdf.
    expect(fileNameOf('attachment; filename="C:\\\\Users\\\\evil.pdf"')).toBe("evil.pdf");
    expect(fileNameOf('attachment; filename=".."')).toBeUndefined();
    expect(fileNameOf("attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf")).toBe("€ rates.pdf");
    expect(fileNameOf("attachment; filename*=iso-8859-1'en'%A3%20rates.pdf")).toBe("£ rates.pdf");
  });

  it("accepts application/octet-stream when the bytes are a PDF; refuses other types and non-PDF bytes", async () => {
    expect((await client().downloadInvoicePdf("MDS02", "OCTETS")).fileName).toBe(`Nota de plata ${INVOICE}.pdf`);
    expect((await failure(client().downloadInvoicePdf("MDS02", "HTML"))).problem).toBe("content-type");
    const notPdf = await failure(client().downloadInvoicePdf("MDS02", "NOT-PDF"));
    expect(notPdf.problem).toBe("malformed");
    expect(notPdf.message).toMatch(/16 bytes that are not a PDF/);
  });
});

describe("invoice PDF bytes", () => {
  it("A4 by default (no pageFormat sent), A5 on request", async () => {
    const before = seen.length;
    expect(Buffer.from(await client().invoicePdfBytes("MDS02", "K1")).equals(A4)).toBe(true);
    expect(Buffer.from(await client().invoicePdfBytes("MDS02", "K1", { pageFormat: "A5" })).equals(A5)).toBe(true);
    expect(Buffer.from(await client().invoicePdfBytes("MDS02", "K1", { pageFormat: "A4" })).equals(A4)).toBe(true);
    expect(seen.slice(before).map((s) => [s.path, s.query])).toEqual([
      ["/api/Invoices/GetPdfInvoiceBytes", { serviceID: "MDS02", orderKey: "K1" }],
      ["/api/Invoices/GetPdfInvoiceBytes", { serviceID: "MDS02", orderKey: "K1", pageFormat: "A5" }],
      ["/api/Invoices/GetPdfInvoiceBytes", { serviceID: "MDS02", orderKey: "K1", pageFormat: "A4" }],
    ]);
    expect(A5.toString("latin1")).toContain("/MediaBox [0 0 420 595]");
  });

  it("reads a JSON base64 string of the bytes too, and checks it is a PDF", async () => {
    expect(Buffer.from(await client().invoicePdfBytes("MDS02", "JSON", { pageFormat: "A5" })).equals(A5)).toBe(true);
    expect((await failure(client().invoicePdfBytes("MDS02", "JSON-NOT-PDF"))).problem).toBe("malformed");
    expect((await failure(client().invoicePdfBytes("MDS02", "JSON-NOT-BASE64"))).problem).toBe("malformed");
    await expect(client().invoicePdfBytes("MDS02", "K1", { pageFormat: "Letter" as "A4" })).rejects.toThrow(TypeError);
  });
});

describe("clear errors", () => {
  it("an HTTP error status, with the start of the body as one printable line", async () => {
    const notFound = await failure(client().downloadInvoicePdf("MDS02", "NOPE"));
    expect(notFound.problem).toBe("http-status");
    expect(notFound.status).toBe(404);
    expect(notFound.message).toBe(`${origin}/api/Invoices/DownloadInvoicePdf?serviceID=MDS02&orderKey=NOPE answered HTTP 404: Invoice not found`);
    const failed = await failure(client().invoiceIds("MDS02", "FAIL"));
    expect(failed.status).toBe(500);
    expect(failed.message).toMatch(/HTTP 500: \{"error":"database down","detail":"x+…$/);
    expect(failed.message.length).toBeLessThan(400);
    const unknownService = await failure(client().invoiceIds("OTHER", "K1"));
    expect(unknownService.status).toBe(404);
  });

  it("a response timeout, whether the answer never starts or stops halfway", async () => {
    const c = client({ responseTimeoutMs: 300 });
    const started = Date.now();
    const never = await failure(c.invoiceIds("MDS02", "STALL"));
    expect(never.problem).toBe("timeout");
    expect(never.message).toMatch(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await failure(c.downloadInvoicePdf("MDS02", "SLOW-BODY"))).problem).toBe("timeout");
  });

  it("the caller's abort", async () => {
    const controller = new AbortController();
    const pending = failure(client().invoiceIds("MDS02", "STALL", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    expect((await pending).problem).toBe("aborted");
  });

  it("an answer over the size limit", async () => {
    const error = await failure(client({ maxResponseBytes: 1024 * 1024 }).downloadInvoicePdf("MDS02", "BIG"));
    expect(error.problem).toBe("too-large");
  });

  it("a connect timeout when the TLS handshake never completes", async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => void sockets.push(socket));
    const port = await listen(silent);
    try {
      const error = await failure(client({ environment: endpointsAt(`https://127.0.0.1:${port}`), connectTimeoutMs: 300 }).invoiceIds("MDS02", "K1"));
      expect(error.problem).toBe("connect-timeout");
      expect(error.message).toMatch(/within 300 ms/);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it("a refused connection", async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(client({ environment: endpointsAt(`http://127.0.0.1:${port}`) }).invoiceIds("MDS02", "K1"));
    expect(error.problem).toBe("network");
    expect(error.code).toBe("ECONNREFUSED");
  });

  it("settings are checked up front", () => {
    expect(() => client({ connectTimeoutMs: 0 })).toThrow(/connectTimeoutMs must be a positive number/);
    expect(() => client({ responseTimeoutMs: -1 })).toThrow(TypeError);
    expect(() => client({ tls: { cert: "x" } })).toThrow(/needs its private key/);
  });
});

describe("mutual TLS", () => {
  const PASSPHRASE = "correct horse battery staple 77";
  let https: Server;
  let tlsOrigin: string;
  let encryptedKey: string;
  let keyBody: string;

  beforeAll(async () => {
    const pki = testPki();
    encryptedKey = pki.provider.privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: PASSPHRASE }) as string;
    keyBody = (pki.provider.privateKey.export({ format: "pem", type: "pkcs8" }) as string).split("\n")[5]!;
    https = createHttpsServer(
      { key: readFileSync(pki.mpay.keyPath), cert: readFileSync(pki.mpay.certPath), ca: readFileSync(pki.caPath), requestCert: true, rejectUnauthorized: true },
      mpayInvoiceApi(seen, stalled),
    );
    tlsOrigin = `https://127.0.0.1:${await listen(https)}`;
  });

  afterAll(async () => {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
  });

  const trusted = () => ({ ca: readFileSync(testPki().caPath, "utf8") });

  it("presents the client certificate (encrypted key and passphrase) and checks MPay's", async () => {
    const pki = testPki();
    const c = client({ environment: endpointsAt(tlsOrigin), tls: { ...trusted(), cert: pki.provider.certificate, key: encryptedKey, passphrase: PASSPHRASE } });
    expect(await c.invoiceIds("MDS02", "K1")).toEqual([INVOICE]);
    const viaKeyObject = client({ environment: endpointsAt(tlsOrigin), tls: { ...trusted(), cert: readFileSync(pki.provider.certPath), key: pki.provider.privateKey } });
    expect(Buffer.from(await viaKeyObject.invoicePdfBytes("MDS02", "K1", { pageFormat: "A5" })).equals(A5)).toBe(true);
  });

  it("without a client certificate MPay refuses the connection", async () => {
    const error = await failure(client({ environment: endpointsAt(tlsOrigin), tls: trusted() }).invoiceIds("MDS02", "K1"));
    expect(["tls", "network"]).toContain(error.problem);
    // TLS 1.3: the server closes after the handshake; the message says what that likely means.
    if (error.problem === "network") expect(error.message).toMatch(/closed the connection without an answer .*client certificates/);
  });

  it("an untrusted server certificate is a TLS error, and nothing in it quotes the key or passphrase", async () => {
    const pki = testPki();
    const error = await failure(client({ environment: endpointsAt(tlsOrigin), tls: { cert: pki.provider.certificate, key: encryptedKey, passphrase: PASSPHRASE } }).invoiceIds("MDS02", "K1"));
    expect(error.problem).toBe("tls");
    expect(error.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    for (const text of [inspect(error, { showHidden: true, depth: null }), JSON.stringify(error), String(error.stack)]) {
      expect(text).not.toContain(PASSPHRASE);
      expect(text).not.toContain(keyBody);
      expect(text).not.toContain(encryptedKey.split("\n")[3]!);
      expect(text).not.toContain("PRIVATE KEY");
    }
  });

  it("a wrong passphrase is refused up front without quoting the key", () => {
    try {
      client({ environment: endpointsAt(tlsOrigin), tls: { cert: testPki().provider.certificate, key: encryptedKey, passphrase: "wrong" } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      const text = inspect(error, { showHidden: true, depth: null });
      expect(text).toMatch(/private key cannot be read/);
      expect(text).not.toContain("wrong\"");
      expect(text).not.toContain(encryptedKey.split("\n")[3]!);
    }
  });
});
