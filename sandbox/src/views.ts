/**
 * The sandbox's pages: plain HTML forms that work without JavaScript, every value escaped by the
 * {@link html} template, every word from the language's string table.
 */
import type { OrderDetails } from "@mpay-kit/mpay-service-provider";
import { amountField, invoiceLines, isPayable, orderProperties, propertyField } from "./checkout.ts";
import { html, type SafeHtml } from "./html.ts";
import { strings, type Language, type Strings } from "./i18n.ts";
import { formatAmount, sum } from "./money.ts";
import type { AttemptRecord, CheckoutRecord, InvoiceRecord, PaymentRecord } from "./store.ts";

/** An order the home page offers to pay, as an e-service's "Pay" button would. */
export interface DemoOrder {
  readonly serviceId: string;
  readonly orderKey: string;
  readonly reason?: string;
  readonly amount?: string;
  readonly currency?: string;
}

/** A link to `path` in `language` (`path` may carry a query already). */
export function href(path: string, language: Language): string {
  return `${path}${path.includes("?") ? "&" : "?"}lang=${language}`;
}

function other(language: Language): Language {
  return language === "ro" ? "en" : "ro";
}

/** A date-time written by the provider (Moldovan wall-clock time, no offset) for people. */
export function wallClock(value: string | undefined): string {
  if (value === undefined) return "";
  const m = /^(-?\d{4,}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  return m === null ? value : `${m[1]} ${m[2]}`;
}

/** An instant of the sandbox's own, in Moldovan time. */
export function localTime(date: Date | undefined, language: Language): string {
  if (date === undefined) return "";
  return new Intl.DateTimeFormat(language === "ro" ? "ro-MD" : "en-GB", { timeZone: "Europe/Chisinau", dateStyle: "short", timeStyle: "medium" }).format(date);
}

interface LayoutOptions {
  readonly title: string;
  /** Where the language switch leads (the same page in the other language). */
  readonly switchPath: string;
  /** Seconds after which the page reloads itself (a payment waiting for its confirmation). */
  readonly refreshSeconds?: number;
}

export function layout(language: Language, options: LayoutOptions, body: SafeHtml): SafeHtml {
  const s = strings(language);
  return html`<!doctype html>
<html lang="${s.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title === s.appName ? s.appName : `${options.title} · ${s.appName}`}</title>
<link rel="stylesheet" href="/assets/sandbox.css">
${options.refreshSeconds === undefined ? "" : html`<meta http-equiv="refresh" content="${options.refreshSeconds}">`}
</head>
<body>
<header class="top">
<a class="brand" href="${href("/", language)}">MPay <span>offline</span></a>
<nav><a href="${href("/pay-existing", language)}">${s.navPayExisting}</a><a href="${href("/payments", language)}">${s.navPayments}</a></nav>
<a class="lang" hreflang="${other(language)}" href="${href(options.switchPath, other(language))}">${s.switchLanguage}</a>
</header>
<main>
${body}
</main>
<footer>${s.tagline}</footer>
</body>
</html>
`;
}

function errorList(s: Strings, errors: readonly string[]): SafeHtml | "" {
  if (errors.length === 0) return "";
  return html`<div class="notice bad" role="alert"><strong>${s.fixErrors}</strong><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>`;
}

export function homePage(language: Language, view: { readonly providerEndpoint: string; readonly demoOrders: readonly DemoOrder[]; readonly returnUrl: string }): SafeHtml {
  const s = strings(language);
  const demo =
    view.demoOrders.length === 0
      ? ""
      : html`<section class="card" id="demo">
<h2>${s.demoTitle}</h2>
<p class="small">${s.demoIntro}</p>
<table class="demo">
<thead><tr><th>${s.orderKey}</th><th>${s.reason}</th><th class="num">${s.amountDue}</th><th></th></tr></thead>
<tbody>
${view.demoOrders.map(
  (o) => html`<tr>
<td><code>${o.orderKey}</code></td><td>${o.reason ?? ""}</td>
<td class="num">${o.amount === undefined ? s.notKnown : `${formatAmount(o.amount, language)} ${o.currency ?? ""}`}</td>
<td class="num"><form method="post" action="/service/pay">
<input type="hidden" name="ServiceID" value="${o.serviceId}"><input type="hidden" name="OrderKey" value="${o.orderKey}">
<input type="hidden" name="ReturnUrl" value="${`${view.returnUrl}?order=${encodeURIComponent(o.orderKey)}`}"><input type="hidden" name="lang" value="${language}">
<button type="submit" data-order="${o.orderKey}">${s.demoPay}</button></form></td>
</tr>`,
)}
</tbody>
</table>
</section>`;
  return layout(
    language,
    { title: s.homeTitle, switchPath: "/" },
    html`<h1>${s.homeTitle}</h1>
<section class="card"><p>${s.homeIntro}</p>
<dl class="facts"><dt>${s.homeProvider}</dt><dd><code>${view.providerEndpoint}</code></dd></dl></section>
${demo}
${payExistingForm(s, language, view.demoOrders[0]?.serviceId ?? "", "")}`,
  );
}

function payExistingForm(s: Strings, language: Language, serviceId: string, orderKey: string): SafeHtml {
  return html`<form class="card" method="post" action="/service/pay">
<h2>${s.payExistingTitle}</h2>
<p class="small">${s.payExistingIntro}</p>
<input type="hidden" name="lang" value="${language}">
<label for="ServiceID">${s.serviceId}</label><input type="text" id="ServiceID" name="ServiceID" value="${serviceId}" maxlength="36" required>
<label for="OrderKey">${s.orderKey}</label><input type="text" id="OrderKey" name="OrderKey" value="${orderKey}" maxlength="36" required>
<div class="actions"><button type="submit">${s.continue}</button></div>
</form>`;
}

export function payExistingPage(language: Language, serviceId: string, orderKey: string): SafeHtml {
  const s = strings(language);
  return layout(language, { title: s.payExistingTitle, switchPath: "/pay-existing" }, payExistingForm(s, language, serviceId, orderKey));
}

export interface InvoiceView {
  readonly checkout: CheckoutRecord;
  readonly invoice: InvoiceRecord;
  /** The order's status with expiry applied. */
  readonly status: OrderDetails["Status"];
  /** Why the order could not be refreshed from the provider (the page shows the last answer). */
  readonly staleReason?: string;
  readonly errors?: readonly string[];
  /** The submitted form, to keep what the payer typed. */
  readonly values?: URLSearchParams;
}

export function invoicePage(language: Language, view: InvoiceView): SafeHtml {
  const s = strings(language);
  const order = view.invoice.order;
  const payable = isPayable(view.status);
  const lines = invoiceLines(order);
  const value = (name: string, fallback: string) => view.values?.get(name) ?? fallback;
  const knownDue = lines.every((l) => l.due !== undefined) ? sum(lines.map((l) => l.due!)) : undefined;
  const totalDue = order.TotalAmountDue ?? knownDue;
  const properties = orderProperties(order);
  const money = (amount: string) => `${formatAmount(amount, language)} ${order.Currency}`;
  const body = html`<h1>${s.invoiceTitle} <small>${s.invoiceId} <span class="mono">${view.invoice.invoiceId}</span></small></h1>
${view.staleReason === undefined ? "" : html`<div class="notice warn">${view.staleReason}</div>`}
${errorList(s, view.errors ?? [])}
<section class="card">
<dl class="facts">
<dt>${s.service}</dt><dd><code>${order.ServiceID}</code></dd>
<dt>${s.orderKey}</dt><dd><code>${order.OrderKey}</code></dd>
<dt>${s.customer}</dt><dd>${order.CustomerName} <span class="small">(${s.customerTypes[order.CustomerType] ?? order.CustomerType}, ${order.CustomerID})</span></dd>
<dt>${s.reason}</dt><dd>${order.Reason}</dd>
${order.IssuedAt === undefined ? "" : html`<dt>${s.issuedAt}</dt><dd>${wallClock(order.IssuedAt)}</dd>`}
<dt>${s.dueDate}</dt><dd>${order.DueDate === undefined ? s.noDueDate : wallClock(order.DueDate)}</dd>
<dt>${s.status}</dt><dd><span class="badge ${view.status}" id="order-status">${s.statuses[view.status] ?? view.status}</span></dd>
</dl>
</section>
${
  payable
    ? html`<form class="card" method="post" action="/checkout/${view.checkout.checkoutId}/pay">
<input type="hidden" name="lang" value="${language}">
<input type="hidden" name="version" value="${view.invoice.version}">`
    : html`<section class="card">`
}
<h2>${s.lines}</h2>
<table class="lines">
<thead><tr><th>${s.line}</th><th>${s.reason}</th><th>${s.beneficiary}</th><th class="num">${s.amountDue}</th>${payable ? html`<th class="num">${s.amountToPay}</th>` : ""}</tr></thead>
<tbody>
${lines.map((l) => {
  const account = l.line.DestinationAccount;
  const lineProperties = (l.line.Properties ?? []).filter((p) => p !== null && p.IsVisible !== false);
  return html`<tr>
<td class="nowrap"><code>${l.line.LineID}</code></td>
<td>${l.line.Reason}${lineProperties.map((p) => html`<div class="small">${p!.DisplayName}: ${p!.Value}</div>`)}</td>
<td>${account.BeneficiaryName ?? ""}<div class="small mono">${account.BankAccount ?? account.TreasuryAccount ?? ""} ${account.BankCode ?? ""}</div></td>
<td class="num">${l.due === undefined ? html`<span class="small">${s.notKnown}</span>` : money(l.due)}</td>
${
  !payable
    ? ""
    : l.amountEditable
      ? html`<td class="num"><input type="text" class="amount" inputmode="decimal" name="${amountField(l.index)}" aria-label="${s.amountToPay} ${l.line.LineID}" value="${value(amountField(l.index), l.due ?? "")}">
${l.partial ? html`<div class="hint">${s.partialAllowed}</div>` : ""}${l.advance ? html`<div class="hint">${s.advanceAllowed}</div>` : ""}</td>`
      : html`<td class="num">${money(l.due ?? "0")}</td>`
}
</tr>`;
})}
</tbody>
${totalDue === undefined ? "" : html`<tfoot><tr><td colspan="3">${s.totalDue}</td><td class="num" id="total-due">${money(totalDue)}</td>${payable ? html`<td></td>` : ""}</tr></tfoot>`}
</table>
${
  properties.length === 0
    ? ""
    : html`<h2 class="spaced">${s.properties}</h2><dl class="facts">${properties.map(({ index, property: p }) =>
        payable && p.Modifiable === true
          ? html`<dt><label for="${propertyField(index)}">${p.DisplayName}${p.Required === true ? html` <span class="small">(${s.required})</span>` : ""}</label></dt>
<dd><input type="text" id="${propertyField(index)}" name="${propertyField(index)}" maxlength="255" value="${value(propertyField(index), p.Value)}"><div class="hint">${s.editableHint}</div></dd>`
          : html`<dt>${p.DisplayName}</dt><dd>${p.Value}</dd>`,
      )}</dl>`
}
${
  payable
    ? html`<div class="actions"><button type="submit" id="pay">${s.pay}</button><span class="small">${s.payNote}</span></div>`
    : html`<div class="notice bad spaced" id="not-payable">${s.notPayable(s.statuses[view.status] ?? view.status)}</div>`
}
${payable ? html`</form>` : html`</section>`}
<p class="actions"><a class="button secondary" href="${href(`/api/Invoices/DownloadInvoicePdf?serviceID=${encodeURIComponent(order.ServiceID)}&orderKey=${encodeURIComponent(order.OrderKey)}`, language)}">${s.downloadReceipt}</a>
${view.checkout.returnUrl === undefined ? "" : html`<a href="${view.checkout.returnUrl}">${s.returnToService}</a>`}</p>`;
  return layout(language, { title: s.invoiceTitle, switchPath: `/checkout/${view.checkout.checkoutId}` }, body);
}

function attemptsTable(s: Strings, language: Language, attempts: readonly AttemptRecord[]): SafeHtml {
  if (attempts.length === 0) return html`<p class="small">${s.noAttempts}</p>`;
  return html`<table class="attempts">
<thead><tr><th>${s.attemptNumber}</th><th>${s.attemptTime}</th><th>${s.outcome}</th><th>${s.faultCode}</th><th>${s.message}</th><th class="num">${s.duration}</th><th>${s.nextRetry}</th></tr></thead>
<tbody>${attempts.map(
    (a) => html`<tr class="attempt ${a.outcome}"><td>${a.number}</td><td>${localTime(a.startedAt, language)}</td><td><span class="badge ${a.outcome}">${s.outcomes[a.outcome] ?? a.outcome}</span></td>
<td><code>${a.faultCode ?? ""}</code></td><td class="small">${a.message ?? ""}</td><td class="num">${a.durationMs} ms</td><td>${localTime(a.nextRetryAt, language)}</td></tr>`,
  )}</tbody></table>`;
}

export function paymentPage(language: Language, view: { readonly payment: PaymentRecord; readonly attempts: readonly AttemptRecord[]; readonly checkout: CheckoutRecord | undefined }): SafeHtml {
  const s = strings(language);
  const p = view.payment;
  const confirmed = p.state === "confirmed";
  const body = html`<h1>${s.resultTitlePaid}</h1>
<div class="notice ${confirmed ? "ok" : "warn"}" id="payment-state" data-state="${p.state}">${confirmed ? s.resultConfirmed : html`${s.resultPending} <span class="small">${s.resultRefreshNote}</span>`}</div>
<section class="card">
<dl class="facts">
<dt>${s.paymentId}</dt><dd><code id="payment-id">${p.paymentId}</code></dd>
<dt>${s.order}</dt><dd><code>${p.serviceId}</code> / <code>${p.orderKey}</code></dd>
<dt>${s.paidAt}</dt><dd>${wallClock(p.paidAt)}</dd>
<dt>${s.totalPaid}</dt><dd id="total-paid">${formatAmount(p.totalAmount, language)} ${p.currency}</dd>
<dt>${s.state}</dt><dd><span class="badge ${p.state}">${s.states[p.state] ?? p.state}</span></dd>
</dl>
<div class="actions">
${view.checkout?.returnUrl === undefined ? "" : html`<a class="button" id="return" href="${view.checkout.returnUrl}">${s.returnToService}</a>`}
<a class="button secondary" href="${href(`/api/Invoices/DownloadInvoicePdf?serviceID=${encodeURIComponent(p.serviceId)}&orderKey=${encodeURIComponent(p.orderKey)}`, language)}">${s.downloadReceipt}</a>
</div>
</section>
<section class="card">
<h2>${s.attemptsTitle}</h2>
${attemptsTable(s, language, view.attempts)}
${
  confirmed
    ? ""
    : html`<form method="post" action="/payments/${p.paymentId}/retry" class="actions"><input type="hidden" name="lang" value="${language}"><button type="submit" class="secondary">${s.retryNow}</button>
<span class="small">${s.nextRetry}: ${localTime(p.nextAttemptAt, language)}</span></form>`
}
</section>`;
  return layout(language, { title: s.resultTitlePaid, switchPath: `/payments/${p.paymentId}`, ...(confirmed ? {} : { refreshSeconds: 2 }) }, body);
}

export function paymentsPage(language: Language, payments: readonly { readonly payment: PaymentRecord; readonly lastAttempt: AttemptRecord | undefined }[]): SafeHtml {
  const s = strings(language);
  const rows = payments.map(
    ({ payment: p, lastAttempt: a }) => html`<tr class="payment ${p.state}">
<td>${localTime(p.createdAt, language)}</td>
<td><a href="${href(`/payments/${p.paymentId}`, language)}"><code>${p.paymentId}</code></a></td>
<td><code>${p.serviceId}</code> / <code>${p.orderKey}</code></td>
<td class="num">${formatAmount(p.totalAmount, language)} ${p.currency}</td>
<td><span class="badge ${p.state}">${s.states[p.state] ?? p.state}</span></td>
<td class="num">${p.attempts}</td>
<td class="small">${a === undefined || a.outcome === "confirmed" ? "" : html`<code>${a.faultCode ?? ""}</code> ${a.message ?? ""}`}</td>
<td>${localTime(p.nextAttemptAt, language)}</td>
</tr>`,
  );
  return layout(
    language,
    { title: s.paymentsTitle, switchPath: "/payments", ...(payments.some((p) => p.payment.state === "pending") ? { refreshSeconds: 5 } : {}) },
    html`<h1>${s.paymentsTitle}</h1><p class="small">${s.paymentsIntro}</p>
<section class="card">${
      payments.length === 0
        ? html`<p>${s.noPayments}</p>`
        : html`<table><thead><tr><th>${s.paidAt}</th><th>${s.paymentId}</th><th>${s.order}</th><th class="num">${s.amount}</th><th>${s.state}</th><th class="num">${s.attempts}</th><th>${s.message}</th><th>${s.nextRetry}</th></tr></thead>
<tbody>${rows}</tbody></table>`
    }</section>`,
  );
}

export function messagePage(language: Language, view: { readonly title: string; readonly message: string; readonly back?: string }): SafeHtml {
  const s = strings(language);
  return layout(
    language,
    { title: view.title, switchPath: "/" },
    html`<h1>${view.title}</h1><div class="notice bad" role="alert" id="error">${view.message}</div>
<p class="actions"><a class="button secondary" href="${href(view.back ?? "/", language)}">${s.back}</a></p>`,
  );
}

export function returnedPage(language: Language, orderKey: string | undefined): SafeHtml {
  const s = strings(language);
  return layout(
    language,
    { title: s.returnedTitle, switchPath: orderKey === undefined ? "/returned" : `/returned?order=${encodeURIComponent(orderKey)}` },
    html`<h1>${s.returnedTitle}</h1><section class="card"><p>${s.returnedText}</p>
${orderKey === undefined ? "" : html`<dl class="facts"><dt>${s.orderKey}</dt><dd><code id="returned-order">${orderKey}</code></dd></dl>`}
<p class="actions"><a class="button" href="${href("/", language)}">${s.navHome}</a></p></section>`,
  );
}
