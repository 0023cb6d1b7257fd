/**
 * The invoice REST endpoints as CONTRACT.md documents them, and the PDF they serve, read back by a
 * small independent parser: cross-reference offsets, one page, the media box, the fonts, and the
 * text decoded through the file's own ToUnicode map (checked against its /Differences glyphs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningProvider } from "../helpers/provider.ts";
import type { RunningSandbox } from "../../sandbox/src/server.ts";
import { eventually, get, openInvoice, paymentIdOf, startSignedProvider, startTestSandbox, submitPay } from "./harness.ts";

let provider: RunningProvider;
let sandbox: RunningSandbox;

beforeAll(async () => {
  provider = await startSignedProvider();
  sandbox = await startTestSandbox(provider.url);
});
afterAll(async () => {
  await sandbox?.close();
  await provider?.stop();
});

async function fetchBytes(path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(new URL(path, sandbox.url));
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

interface ParsedPdf {
  readonly objects: Map<number, string>;
  readonly pages: string[];
  readonly pageCount: number;
  readonly mediaBox: number[];
  readonly text: string[];
  readonly positions: [number, number][];
}

/** Glyph names of the Adobe Glyph List that a Romanian text needs. */
const GLYPHS: Record<string, number> = { abreve: 0x103, Abreve: 0x102, scommaaccent: 0x219, Scommaaccent: 0x218, tcommaaccent: 0x21b, Tcommaaccent: 0x21a };

function unescapeLiteral(body: string): number[] {
  const codes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      codes.push(c.charCodeAt(0));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1] ?? "")) digits += body[++i];
      codes.push(parseInt(digits, 8));
    } else codes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return codes;
}

function parsePdf(bytes: Buffer): ParsedPdf {
  const file = bytes.toString("latin1");
  expect(file.startsWith("%PDF-1.4\n")).toBe(true);
  expect(file.trimEnd().endsWith("%%EOF")).toBe(true);
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(file)![1]);
  expect(file.slice(startxref, startxref + 4)).toBe("xref");
  const xref = /^xref\n0 (\d+)\n/.exec(file.slice(startxref))!;
  const count = Number(xref[1]);
  const objects = new Map<number, string>();
  for (let i = 1; i < count; i++) {
    const entry = file.slice(startxref + xref[0].length + i * 20, startxref + xref[0].length + (i + 1) * 20);
    expect(entry).toMatch(/^\d{10} 00000 n \n$/);
    const offset = Number(entry.slice(0, 10));
    expect(file.slice(offset, offset + `${i} 0 obj`.length)).toBe(`${i} 0 obj`);
    objects.set(i, file.slice(offset, file.indexOf("endobj", offset)));
  }
  const trailer = /trailer\s*<<(.*?)>>/s.exec(file)![1]!;
  const root = objects.get(Number(/\/Root (\d+) 0 R/.exec(trailer)![1]))!;
  const pagesObject = objects.get(Number(/\/Pages (\d+) 0 R/.exec(root)![1]))!;
  const pageCount = Number(/\/Count (\d+)/.exec(pagesObject)![1]);
  const pages = [...objects.values()].filter((o) => /\/Type \/Page\b(?!s)/.test(o));
  const page = pages[0]!;
  const mediaBox = /\/MediaBox \[([^\]]+)\]/.exec(page)![1]!.trim().split(/\s+/).map(Number);
  const stream = (o: string) => {
    const length = Number(/\/Length (\d+)/.exec(o)![1]);
    const start = o.indexOf("stream\n") + "stream\n".length;
    return o.slice(start, start + length);
  };
  // Fonts: standard Type1, one encoding object, one ToUnicode CMap.
  const fontRefs = [...page.matchAll(/\/F\d (\d+) 0 R/g)].map((m) => objects.get(Number(m[1]))!);
  expect(fontRefs.length).toBeGreaterThan(0);
  for (const font of fontRefs) expect(font).toMatch(/\/Subtype \/Type1 \/BaseFont \/Helvetica(-Bold)? /);
  const encoding = objects.get(Number(/\/Encoding (\d+) 0 R/.exec(fontRefs[0]!)![1]))!;
  expect(encoding).toContain("/BaseEncoding /WinAnsiEncoding");
  const cmap = stream(objects.get(Number(/\/ToUnicode (\d+) 0 R/.exec(fontRefs[0]!)![1]))!);
  const toUnicode = new Map<number, number>();
  for (const block of cmap.matchAll(/beginbfchar\n([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-F]{2})> <([0-9A-F]{4})>/g)) toUnicode.set(parseInt(m[1]!, 16), parseInt(m[2]!, 16));
  }
  for (const block of cmap.matchAll(/beginbfrange\n([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-F]{2})> <([0-9A-F]{2})> <([0-9A-F]{4})>/g)) {
      for (let c = parseInt(m[1]!, 16); c <= parseInt(m[2]!, 16); c++) toUnicode.set(c, parseInt(m[3]!, 16) + c - parseInt(m[1]!, 16));
    }
  }
  // Every /Differences glyph must be the character ToUnicode says.
  const differences = /\/Differences \[([^\]]*)\]/.exec(encoding)![1]!;
  for (const m of differences.matchAll(/(\d+) \/(\w+)/g)) expect(toUnicode.get(Number(m[1])), m[2]).toBe(GLYPHS[m[2]!]);
  const content = stream(objects.get(Number(/\/Contents (\d+) 0 R/.exec(page)![1]))!);
  const text: string[] = [];
  const positions: [number, number][] = [];
  for (const m of content.matchAll(/([\d.]+) ([\d.]+) Td \(((?:\\.|[^\\)])*)\) Tj/g)) {
    positions.push([Number(m[1]), Number(m[2])]);
    text.push(String.fromCodePoint(...unescapeLiteral(m[3]!).map((c) => toUnicode.get(c) ?? 0xfffd)));
  }
  return { objects, pages, pageCount, mediaBox, text, positions };
}

describe("invoice REST endpoints", () => {
  it("api/invoices lists the invoice MPay made for the order; DownloadInvoicePdf sends it as 'Nota de plata {invoiceID}.pdf'", async () => {
    expect(JSON.parse((await get(sandbox.url, "/api/invoices?serviceID=DEMO01&orderKey=ORD-1001")).body)).toEqual([]);
    const { page } = await openInvoice(sandbox.url, "ORD-1001");
    const ids = JSON.parse((await get(sandbox.url, "/api/invoices?serviceID=DEMO01&orderKey=ORD-1001")).body) as string[];
    expect(ids).toHaveLength(1);
    expect(page).toContain(ids[0]);
    const pdf = await fetchBytes("/api/Invoices/DownloadInvoicePdf?serviceID=DEMO01&orderKey=ORD-1001");
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="Nota de plata ${ids[0]}\\.pdf"`));
    const parsed = parsePdf(pdf.bytes);
    expect(parsed.pageCount).toBe(1);
    expect(parsed.pages).toHaveLength(1);
    expect(parsed.mediaBox).toEqual([0, 0, 595.28, 841.89]);
    const text = parsed.text.join("\n");
    // Romanian by default, with its diacritics drawn and decodable.
    expect(text).toContain("Notă de plată");
    expect(text).toContain("Eliberarea certificatului de naștere");
    expect(text).toContain("L2 — Taxă de urgență (eliberare în 24 de ore)");
    expect(text).toContain("Agenția Servicii Publice");
    expect(text).toContain("150,00 MDL");
    expect(text).toContain("Activă");
    for (const [x, y] of parsed.positions) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(595.28);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(841.89);
    }
  });

  it("GetPdfInvoiceBytes: A4 by default, A5 when asked, English with lang=en; the payments taken are listed", async () => {
    const { page } = await openInvoice(sandbox.url, "ORD-1002");
    const paid = await submitPay(sandbox.url, page, { "amount.0": "267" });
    const paymentId = paymentIdOf(paid.location!)!;
    await eventually(() => (sandbox.store.payment(paymentId)?.state === "confirmed" ? true : undefined), "confirmation");
    const a4 = await fetchBytes("/api/Invoices/GetPdfInvoiceBytes?serviceID=DEMO01&orderKey=ORD-1002");
    expect(a4.status).toBe(200);
    expect(a4.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(parsePdf(a4.bytes).mediaBox).toEqual([0, 0, 595.28, 841.89]);
    const a5 = await fetchBytes("/api/Invoices/GetPdfInvoiceBytes?serviceID=DEMO01&orderKey=ORD-1002&pageFormat=A5&lang=en");
    const parsed = parsePdf(a5.bytes);
    expect(parsed.pageCount).toBe(1);
    expect(parsed.mediaBox).toEqual([0, 0, 419.53, 595.28]);
    const text = parsed.text.join("\n");
    expect(text).toContain("Payment note");
    expect(text).toContain("SRL Pădurea Verde (Organization)");
    // After the partial payment the provider asks for the rest: the note shows its latest answer.
    expect(text).toContain("9,000.00 MDL");
    expect(text).toContain("Partially paid");
    expect(text).toContain(paymentId);
    for (const [x, y] of parsed.positions) {
      expect(x).toBeLessThan(419.53);
      expect(y).toBeLessThan(595.28);
    }
  });

  it("answers problems as JSON: a bad page format, missing parameters, an unknown order", async () => {
    const format = await get(sandbox.url, "/api/Invoices/GetPdfInvoiceBytes?serviceID=DEMO01&orderKey=ORD-1001&pageFormat=Letter");
    expect(format.status).toBe(400);
    expect(JSON.parse(format.body).title).toContain("pageFormat must be A4 or A5");
    const missing = await get(sandbox.url, "/api/invoices?serviceID=DEMO01");
    expect(missing.status).toBe(400);
    const unknown = await get(sandbox.url, "/api/Invoices/DownloadInvoicePdf?serviceID=DEMO01&orderKey=NOPE");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
  });
});

// A second, independent reader when the machine has one (Debian's poppler-utils): not installed by
// .ci/run, so this part runs only where a developer has it.
describe.runIf(existsSync("/usr/bin/pdftotext") && existsSync("/usr/bin/pdfinfo"))("poppler reads the note", () => {
  it("one A5 page, and the Romanian text extracted as written", async () => {
    await openInvoice(sandbox.url, "ORD-EXPIRED");
    const pdf = await fetchBytes("/api/Invoices/GetPdfInvoiceBytes?serviceID=DEMO01&orderKey=ORD-EXPIRED&pageFormat=A5");
    const file = join(mkdtempSync(join(tmpdir(), "mpay-sandbox-pdf-")), "note.pdf");
    writeFileSync(file, pdf.bytes);
    const info = execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" });
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(/^Page size:\s+419\.53 x 595\.28 pts$/m);
    expect(info).toMatch(/^PDF version:\s+1\.4$/m);
    const text = execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("Notă de plată");
    expect(text).toContain("Amendă de circulație");
    expect(text).toContain("Inspectoratul General al Poliției");
    expect(text).toContain("Expirată");
  });
});
