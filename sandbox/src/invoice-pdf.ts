/**
 * The payment note ("Nota de plată") as a one-page PDF: the order as the provider last described
 * it, and the payments the sandbox took for it. Lines that do not fit the page are summed up in
 * one "and N more" line: the document stays one page, as MPay's does.
 */
import type { OrderDetails } from "@mpay-kit/mpay-service-provider";
import { invoiceLines } from "./checkout.ts";
import { strings, type Language } from "./i18n.ts";
import { formatAmount, sum } from "./money.ts";
import { PdfPage, renderPdf, textWidth, wrapText, type PageFormat } from "./pdf.ts";
import type { PaymentRecord } from "./store.ts";
import { localTime, wallClock } from "./views.ts";

export interface InvoicePdfInput {
  readonly invoiceId: string;
  readonly order: OrderDetails;
  /** The order's status with expiry applied. */
  readonly status: OrderDetails["Status"];
  readonly payments: readonly PaymentRecord[];
  readonly format: PageFormat;
  readonly language: Language;
  readonly now: Date;
}

/** The file name MPay gives the download: `Nota de plata {invoiceID}.pdf`. */
export function invoiceFileName(invoiceId: string): string {
  return `Nota de plata ${invoiceId}.pdf`;
}

export function invoicePdf(input: InvoicePdfInput): Buffer {
  const s = strings(input.language);
  const page = new PdfPage(input.format);
  const k = page.width / 595.28;
  const margin = 42 * k;
  const size = 9.5 * k;
  const leading = size * 1.45;
  const right = page.width - margin;
  const usable = right - margin;
  const order = input.order;
  const money = (amount: string) => `${formatAmount(amount, input.language)} ${order.Currency}`;
  let y = page.height - margin;

  page.text(margin, y - 14 * k, s.pdfTitle, { size: 18 * k, bold: true });
  page.textRight(right, y - 14 * k, `${s.invoiceId} ${input.invoiceId}`, { size: size * 0.85, grey: 0.35 });
  y -= 30 * k;
  page.rule(margin, y, right, y, 1.2 * k, 0.2);
  y -= leading * 1.4;

  const labelWidth = 95 * k;
  const fact = (label: string, value: string) => {
    const lines = wrapText(value, usable - labelWidth, size);
    page.text(margin, y, label, { size, grey: 0.4 });
    for (const line of lines) {
      page.text(margin + labelWidth, y, line, { size });
      y -= leading;
    }
  };
  fact(s.service, order.ServiceID);
  fact(s.orderKey, order.OrderKey);
  fact(s.customer, `${order.CustomerName} (${s.customerTypes[order.CustomerType] ?? order.CustomerType})`);
  fact(s.pdfCustomerId, order.CustomerID);
  fact(s.reason, order.Reason);
  if (order.IssuedAt !== undefined) fact(s.issuedAt, wallClock(order.IssuedAt));
  fact(s.dueDate, order.DueDate === undefined ? s.noDueDate : wallClock(order.DueDate));
  fact(s.status, s.statuses[input.status] ?? input.status);
  y -= leading * 0.6;

  // The lines table: reason and beneficiary on the left, the amount due right-aligned.
  const amountColumn = 105 * k;
  const textColumn = usable - amountColumn - 10 * k;
  page.text(margin, y, s.lines, { size, bold: true });
  page.textRight(right, y, s.amountDue, { size, bold: true });
  y -= leading * 0.5;
  page.rule(margin, y, right, y, 0.6 * k);
  y -= leading;
  const footerSpace = (3 + Math.min(input.payments.length, 6) * 1.1 + 3) * leading;
  const lines = invoiceLines(order);
  let shown = 0;
  for (const line of lines) {
    const reason = wrapText(`${line.line.LineID} \u2014 ${line.line.Reason}`, textColumn, size);
    const account = line.line.DestinationAccount;
    const beneficiary = [account.BeneficiaryName, account.BankAccount ?? account.TreasuryAccount, account.BankCode].filter((v) => v !== undefined && v !== "").join(" \u00b7 ");
    const needed = (reason.length + (beneficiary === "" ? 0 : 1)) * leading + leading * 0.4;
    if (y - needed < margin + footerSpace) break;
    page.textRight(right, y, line.due === undefined ? s.notKnown : money(line.due), { size });
    for (const text of reason) {
      page.text(margin, y, text, { size });
      y -= leading;
    }
    if (beneficiary !== "") {
      page.text(margin + 8 * k, y + leading * 0.15, wrapText(beneficiary, textColumn - 8 * k, size * 0.8)[0]!, { size: size * 0.8, grey: 0.4 });
      y -= leading * 0.9;
    }
    y -= leading * 0.4;
    shown++;
  }
  if (shown < lines.length) {
    page.text(margin, y, `\u2026 +${lines.length - shown}`, { size, grey: 0.4 });
    y -= leading;
  }
  page.rule(margin, y + leading * 0.5, right, y + leading * 0.5, 0.6 * k);
  const total = order.TotalAmountDue ?? (lines.every((l) => l.due !== undefined) ? sum(lines.map((l) => l.due!)) : undefined);
  y -= leading * 0.3;
  page.text(margin, y, s.totalDue, { size: size * 1.1, bold: true });
  page.textRight(right, y, total === undefined ? s.notKnown : money(total), { size: size * 1.1, bold: true });
  y -= leading * 2;

  if (input.payments.length > 0) {
    page.text(margin, y, s.paymentsTitle, { size, bold: true });
    y -= leading;
    for (const p of input.payments.slice(-6)) {
      page.text(margin, y, `${wallClock(p.paidAt)}  ${p.paymentId}`, { size: size * 0.85 });
      page.textRight(right, y, `${money(p.totalAmount)}  (${s.states[p.state] ?? p.state})`, { size: size * 0.85 });
      y -= leading * 1.1;
    }
  }

  const note = `${s.pdfGenerated} ${localTime(input.now, input.language)}`;
  const noteSize = size * 0.75;
  page.text(margin + Math.max(0, (usable - textWidth(note, noteSize)) / 2), margin * 0.6, note, { size: noteSize, grey: 0.45 });
  return renderPdf(page, { title: `${s.pdfTitle} ${input.invoiceId}`, producer: "mpay-kit offline MPay sandbox", created: input.now });
}
