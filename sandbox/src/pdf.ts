/**
 * A minimal PDF 1.4 writer: one page, text in the standard Type1 fonts Helvetica and
 * Helvetica-Bold, thin rules. Enough for a payment note, and small enough to read in one sitting
 * (see docs/decisions.md for why no PDF library).
 *
 * Romanian text: WinAnsiEncoding has â, î and Â, Î but not ă, ș, ț (nor Ă, Ș, Ț). The fonts use
 * WinAnsiEncoding with a /Differences array that puts the standard glyph names abreve, Abreve,
 * scommaaccent, Scommaaccent, tcommaaccent and Tcommaaccent (all in the core fonts' character
 * sets) on six codes WinAnsi leaves unused, and a /ToUnicode CMap maps every code back to Unicode,
 * so the text is both drawn and copied/searched correctly. The cedilla forms ş ţ Ş Ţ, still common
 * in Romanian data, are drawn with the comma-below glyphs (the correct Romanian letters). Any
 * other character outside WinAnsi (Cyrillic, for instance) loses its accents or becomes "?".
 */

/** Page sizes in PDF points (1/72 inch). */
export const PAGE_SIZES = {
  A4: { width: 595.28, height: 841.89 },
  A5: { width: 419.53, height: 595.28 },
} as const;
export type PageFormat = keyof typeof PAGE_SIZES;

/** WinAnsi codes 0x80-0x9F that have a character. */
const WIN_ANSI_HIGH: Readonly<Record<string, number>> = {
  "\u20ac": 0x80, "\u201a": 0x82, "\u0192": 0x83, "\u201e": 0x84, "\u2026": 0x85, "\u2020": 0x86, "\u2021": 0x87, "\u02c6": 0x88,
  "\u2030": 0x89, "\u0160": 0x8a, "\u2039": 0x8b, "\u0152": 0x8c, "\u017d": 0x8e, "\u2018": 0x91, "\u2019": 0x92, "\u201c": 0x93,
  "\u201d": 0x94, "\u2022": 0x95, "\u2013": 0x96, "\u2014": 0x97, "\u02dc": 0x98, "\u2122": 0x99, "\u0161": 0x9a, "\u203a": 0x9b,
  "\u0153": 0x9c, "\u017e": 0x9e, "\u0178": 0x9f,
};

/** Romanian letters missing from WinAnsi, on codes WinAnsi leaves undefined (0x7F is DEL). */
const ROMANIAN: readonly { readonly code: number; readonly glyph: string; readonly chars: string; readonly unicode: number }[] = [
  { code: 0x81, glyph: "abreve", chars: "\u0103", unicode: 0x0103 },
  { code: 0x8d, glyph: "Abreve", chars: "\u0102", unicode: 0x0102 },
  { code: 0x8f, glyph: "scommaaccent", chars: "\u0219\u015f", unicode: 0x0219 },
  { code: 0x90, glyph: "Scommaaccent", chars: "\u0218\u015e", unicode: 0x0218 },
  { code: 0x9d, glyph: "tcommaaccent", chars: "\u021b\u0163", unicode: 0x021b },
  { code: 0x7f, glyph: "Tcommaaccent", chars: "\u021a\u0162", unicode: 0x021a },
];

const CODE_OF = new Map<string, number>();
for (const [char, code] of Object.entries(WIN_ANSI_HIGH)) CODE_OF.set(char, code);
for (const r of ROMANIAN) for (const c of r.chars) CODE_OF.set(c, r.code);

/** The byte that draws `char` in the fonts' encoding, or undefined. */
function codeOf(char: string): number | undefined {
  const cp = char.codePointAt(0)!;
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return CODE_OF.get(char);
}

/** Text as the fonts' one-byte codes: NFC first, then accents dropped, then "?". */
export function encodeText(text: string): number[] {
  const codes: number[] = [];
  for (const char of text.normalize("NFC")) {
    let code = codeOf(char);
    if (code === undefined) {
      const base = char.normalize("NFD").replace(/\p{M}/gu, "");
      code = base.length === 1 ? codeOf(base) : undefined;
    }
    if (code === undefined && /\s/u.test(char)) code = 0x20;
    codes.push(code ?? 0x3f);
  }
  return codes;
}

/** Helvetica advance widths (1/1000 em) of codes 0x20-0x7E, from Adobe's core-font metrics. */
const HELVETICA_ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/**
 * Approximate width of `text` in points: exact for ASCII in Helvetica, the width of a typical
 * letter otherwise; bold letters are about 8% wider. Used to right-align amounts and wrap lines.
 */
export function textWidth(text: string, size: number, bold = false): number {
  let units = 0;
  for (const code of encodeText(text)) {
    const regular = code >= 0x20 && code <= 0x7e ? HELVETICA_ASCII[code - 0x20]! : code === 0xa0 ? 278 : 556;
    // Helvetica-Bold has the same digits and punctuation; its letters are wider.
    const letter = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code >= 0x80;
    units += bold && letter ? regular * 1.08 : regular;
  }
  return (units * size) / 1000;
}

/** Splits `text` into lines no wider than `width`, at spaces (a longer word is cut). */
export function wrapText(text: string, width: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const candidate = current === "" ? word : `${current} ${word}`;
    if (textWidth(candidate, size, bold) <= width) {
      current = candidate;
      continue;
    }
    if (current !== "") lines.push(current);
    current = word;
    while (textWidth(current, size, bold) > width && current.length > 1) {
      let cut = current.length - 1;
      while (cut > 1 && textWidth(current.slice(0, cut), size, bold) > width) cut--;
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current !== "") lines.push(current);
  return lines.length === 0 ? [""] : lines;
}

/** A PDF literal string of font codes, ASCII only (octal escapes for the rest). */
function literal(codes: readonly number[]): string {
  let out = "(";
  for (const c of codes) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c < 0x20 || c > 0x7e) out += `\\${c.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(c);
  }
  return `${out})`;
}

/** A PDF text string for the Info dictionary: UTF-16BE with a byte order mark, as octal escapes. */
function infoString(text: string): string {
  let out = "(\\376\\377";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out += `\\${(unit >> 8).toString(8).padStart(3, "0")}\\${(unit & 0xff).toString(8).padStart(3, "0")}`;
  }
  return `${out})`;
}

const n = (value: number) => (Math.round(value * 100) / 100).toString();

export interface TextOptions {
  readonly size: number;
  readonly bold?: boolean;
  /** Grey level 0 (black) to 1 (white). */
  readonly grey?: number;
}

/** One page being drawn; coordinates in points from the bottom left corner. */
export class PdfPage {
  readonly width: number;
  readonly height: number;
  readonly #ops: string[] = [];

  constructor(format: PageFormat) {
    this.width = PAGE_SIZES[format].width;
    this.height = PAGE_SIZES[format].height;
  }

  text(x: number, y: number, text: string, options: TextOptions): void {
    const grey = options.grey ?? 0;
    this.#ops.push(`BT ${n(grey)} g /${options.bold === true ? "F2" : "F1"} ${n(options.size)} Tf ${n(x)} ${n(y)} Td ${literal(encodeText(text))} Tj ET`);
  }

  /** Text whose right edge is at `right`. */
  textRight(right: number, y: number, text: string, options: TextOptions): void {
    this.text(right - textWidth(text, options.size, options.bold), y, text, options);
  }

  rule(x1: number, y1: number, x2: number, y2: number, width = 0.5, grey = 0.6): void {
    this.#ops.push(`${n(grey)} G ${n(width)} w ${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`);
  }

  /** The content stream. */
  content(): string {
    return `${this.#ops.join("\n")}\n`;
  }
}

export interface PdfInfo {
  readonly title: string;
  readonly producer: string;
  readonly created: Date;
}

function pdfDate(date: Date): string {
  const p = (v: number) => String(v).padStart(2, "0");
  return `D:${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
}

function toUnicodeCMap(): string {
  const chars: [number, number][] = [...Object.entries(WIN_ANSI_HIGH).map(([c, code]): [number, number] => [code, c.codePointAt(0)!]), ...ROMANIAN.map((r): [number, number] => [r.code, r.unicode])];
  chars.sort((a, b) => a[0] - b[0]);
  const hex = (v: number, digits: number) => `<${v.toString(16).toUpperCase().padStart(digits, "0")}>`;
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<00> <FF>",
    "endcodespacerange",
    `${chars.length} beginbfchar`,
    ...chars.map(([code, unicode]) => `${hex(code, 2)} ${hex(unicode, 4)}`),
    "endbfchar",
    "2 beginbfrange",
    "<20> <7E> <0020>",
    "<A0> <FF> <00A0>",
    "endbfrange",
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
    "",
  ].join("\n");
}

/** The whole file: catalog, one page, two fonts, their encoding and ToUnicode map, and the Info. */
export function renderPdf(page: PdfPage, info: PdfInfo): Buffer {
  const stream = (body: string) => `<< /Length ${Buffer.byteLength(body, "latin1")} >>\nstream\n${body}endstream`;
  const differences = ROMANIAN.map((r) => `${r.code} /${r.glyph}`).join(" ");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${n(page.width)} ${n(page.height)}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> /ProcSet [/PDF /Text] >> /Contents 6 0 R >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 7 0 R /ToUnicode 8 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding 7 0 R /ToUnicode 8 0 R >>",
    stream(page.content()),
    `<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [${differences}] >>`,
    stream(toUnicodeCMap()),
    `<< /Title ${infoString(info.title)} /Producer ${infoString(info.producer)} /CreationDate (${pdfDate(info.created)}) >>`,
  ];
  // A binary comment line after the header tells transfer tools the file is not plain text.
  let body = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  // Each cross-reference entry is exactly 20 bytes, ending in space + newline.
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
