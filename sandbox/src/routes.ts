/**
 * The sandbox's HTTP surface: MPay's pay page (`POST /service/pay`), the invoice and payment pages,
 * the invoice REST endpoints, and the developer's view of payments and confirmation attempts.
 * Every page is a plain HTML form; the routes read and write through the store, call the provider
 * through the MPay-side client, and hand new payments to the retry worker.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { buildConfirmation, effectiveStatus, isPayable } from "./checkout.ts";
import { STYLESHEET } from "./assets.ts";
import type { SafeHtml } from "./html.ts";
import { isLanguage, strings, type Language, type Strings } from "./i18n.ts";
import { invoiceFileName, invoicePdf } from "./invoice-pdf.ts";
import { ProviderCallError, type ProviderConnection, type ProviderProblem } from "./mpay-client.ts";
import type { PageFormat } from "./pdf.ts";
import type { ConfirmationWorker } from "./retry.ts";
import type { CheckoutRecord, InvoiceRecord, SandboxStore } from "./store.ts";
import { homePage, href, invoicePage, messagePage, payExistingPage, paymentPage, paymentsPage, returnedPage, type DemoOrder } from "./views.ts";

export interface RouteContext {
  readonly store: SandboxStore;
  readonly connection: ProviderConnection;
  readonly worker: ConfirmationWorker;
  readonly defaultLanguage: Language;
  readonly demoOrders: readonly DemoOrder[];
  /** The sandbox's own base URL (`http://127.0.0.1:8090`), when the request's Host cannot be used. */
  readonly baseUrl: () => string;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

/** Largest form body accepted. */
const MAX_FORM_BYTES = 64 * 1024;
/** Longest ReturnUrl accepted. */
const MAX_RETURN_URL = 2048;
const ID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  // No script anywhere; forms post only to the sandbox itself.
  "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function sendHtml(res: ServerResponse, status: number, page: SafeHtml): void {
  const body = Buffer.from(page.markup, "utf8");
  res.writeHead(status, { ...HTML_HEADERS, "content-length": body.length }).end(body);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, "cache-control": "no-store", "content-length": 0 }).end();
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  res.writeHead(status, { "content-type": status >= 400 ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8", "content-length": body.length, "cache-control": "no-store" }).end(body);
}

/** Reads an `application/x-www-form-urlencoded` body. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new HttpError(415, "forms must be sent as application/x-www-form-urlencoded");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new HttpError(413, `the form is larger than ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** A parameter by name, ignoring case (ASP.NET binds MPay's parameters so). */
function param(params: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of params) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function languageOf(req: IncomingMessage, ...sources: (string | null | undefined)[]): Language | undefined {
  for (const s of sources) if (isLanguage(s)) return s;
  const accept = (req.headers["accept-language"] ?? "").toLowerCase();
  const first = /^\s*([a-z]{2})/.exec(accept)?.[1];
  return isLanguage(first) ? first : undefined;
}

/**
 * Whether `value` may be a ReturnUrl: an absolute http or https URL without credentials. Anything
 * else (javascript:, data:, a relative path) would turn the "back" link into an attack.
 */
export function isAcceptableReturnUrl(value: string): boolean {
  if (value.length > MAX_RETURN_URL) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
}

function problemText(s: Strings, problem: ProviderProblem): string {
  if (problem.kind === "fault") return s.providerFault(problem.code, problem.message);
  if (problem.kind === "unreachable") return s.providerUnreachable(problem.message);
  return s.providerBadAnswer(problem.message);
}

export function createRoutes(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  const { store, connection, worker } = ctx;

  /** The sandbox's base URL as the browser reached it, for the demo ReturnUrl. */
  const baseOf = (req: IncomingMessage) => {
    const host = req.headers.host;
    return host !== undefined && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `http://${host}` : ctx.baseUrl();
  };

  async function servicePay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const language = languageOf(req, form.get("lang")) ?? ctx.defaultLanguage;
    const s = strings(language);
    const serviceId = (param(form, "ServiceID") ?? "").trim();
    const orderKey = (param(form, "OrderKey") ?? "").trim();
    const returnUrl = (param(form, "ReturnUrl") ?? "").trim();
    const problems: string[] = [];
    if (serviceId === "") problems.push(s.missingField("ServiceID"));
    else if (serviceId.length > 36) problems.push(s.tooLong("ServiceID", 36));
    if (orderKey === "") problems.push(s.missingField("OrderKey"));
    else if (orderKey.length > 36) problems.push(s.tooLong("OrderKey", 36));
    if (returnUrl !== "" && !isAcceptableReturnUrl(returnUrl)) problems.push(s.badReturnUrl);
    if (problems.length > 0) return sendHtml(res, 400, messagePage(language, { title: s.badRequest, message: problems.join(" "), back: "/pay-existing" }));
    let order;
    try {
      order = await connection.orderDetails(serviceId, orderKey, language);
    } catch (error) {
      if (!(error instanceof ProviderCallError)) throw error;
      ctx.log(`GetOrderDetails ${serviceId}/${orderKey}: ${error.message}`);
      return sendHtml(res, 502, messagePage(language, { title: s.errorTitle, message: problemText(s, error.problem), back: "/pay-existing" }));
    }
    if (order === undefined) return sendHtml(res, 404, messagePage(language, { title: s.errorTitle, message: s.orderNotFound(serviceId, orderKey), back: "/pay-existing" }));
    const invoice = store.saveInvoice(order, ctx.now());
    const checkout = store.createCheckout(invoice.invoiceId, returnUrl === "" ? undefined : returnUrl, language, ctx.now());
    redirect(res, href(`/checkout/${checkout.checkoutId}`, language));
  }

  /** The invoice brought up to date from the provider, or the stored one with the reason it could not be. */
  async function refreshed(invoice: InvoiceRecord, s: Strings, language: Language): Promise<{ invoice: InvoiceRecord; staleReason?: string }> {
    try {
      const order = await connection.orderDetails(invoice.serviceId, invoice.orderKey, language);
      if (order === undefined) return { invoice, staleReason: s.orderNotFound(invoice.serviceId, invoice.orderKey) };
      return { invoice: store.saveInvoice(order, ctx.now()) };
    } catch (error) {
      if (!(error instanceof ProviderCallError)) throw error;
      return { invoice, staleReason: problemText(s, error.problem) };
    }
  }

  function checkoutOf(id: string, language: Language): CheckoutRecord {
    const checkout = store.checkout(id);
    if (checkout === undefined) throw new HttpError(404, strings(language).unknownCheckout);
    return checkout;
  }

  async function showCheckout(req: IncomingMessage, res: ServerResponse, id: string, query: URLSearchParams): Promise<void> {
    const checkout = checkoutOf(id, languageOf(req, query.get("lang")) ?? ctx.defaultLanguage);
    const language = languageOf(req, query.get("lang"), checkout.language) ?? ctx.defaultLanguage;
    const paid = store.paymentForCheckout(id);
    if (paid !== undefined) return redirect(res, href(`/payments/${paid.paymentId}`, language));
    const s = strings(language);
    const { invoice, staleReason } = await refreshed(store.invoice(checkout.invoiceId)!, s, language);
    sendHtml(res, 200, invoicePage(language, { checkout, invoice, status: effectiveStatus(invoice.order, ctx.now()), ...(staleReason === undefined ? {} : { staleReason }) }));
  }

  async function pay(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const form = await readForm(req);
    const checkout = checkoutOf(id, languageOf(req, form.get("lang")) ?? ctx.defaultLanguage);
    const language = languageOf(req, form.get("lang"), checkout.language) ?? ctx.defaultLanguage;
    const s = strings(language);
    const existing = store.paymentForCheckout(id);
    // A pay form sent twice (double click, back and resend) pays once.
    if (existing !== undefined) return redirect(res, href(`/payments/${existing.paymentId}`, language));
    // The payment is taken on the invoice as the payer saw it: MPay holds the order, so a provider
    // that is down at this moment does not stop the payment, only delays its confirmation.
    const invoice = store.invoice(checkout.invoiceId)!;
    const now = ctx.now();
    const status = effectiveStatus(invoice.order, now);
    const again = (code: number, errors: readonly string[]) => sendHtml(res, code, invoicePage(language, { checkout, invoice, status, errors, values: form }));
    if (form.get("version") !== invoice.version) return again(409, [s.orderChanged]);
    if (!isPayable(status)) return again(409, [s.notPayable(s.statuses[status] ?? status)]);
    const attempt = buildConfirmation(invoice.order, invoice.invoiceId, form, s, now);
    if (!attempt.ok) return again(422, attempt.errors);
    const { payment, created } = store.recordPayment({ checkoutId: checkout.checkoutId, invoiceId: invoice.invoiceId, confirmation: attempt.confirmation }, now);
    if (created) {
      ctx.log(`payment ${payment.paymentId}: ${payment.totalAmount} ${payment.currency} for ${payment.serviceId}/${payment.orderKey}`);
      worker.kick();
    }
    redirect(res, href(`/payments/${payment.paymentId}`, language));
  }

  function showPayment(req: IncomingMessage, res: ServerResponse, paymentId: string, query: URLSearchParams): void {
    const payment = store.payment(paymentId);
    const checkout = payment?.checkoutId === undefined ? undefined : store.checkout(payment.checkoutId);
    const language = languageOf(req, query.get("lang"), checkout?.language) ?? ctx.defaultLanguage;
    if (payment === undefined) throw new HttpError(404, strings(language).notFound);
    sendHtml(res, 200, paymentPage(language, { payment, attempts: store.attempts(paymentId), checkout }));
  }

  async function retryPayment(req: IncomingMessage, res: ServerResponse, paymentId: string): Promise<void> {
    const form = await readForm(req);
    const language = languageOf(req, form.get("lang")) ?? ctx.defaultLanguage;
    if (store.payment(paymentId) === undefined) throw new HttpError(404, strings(language).notFound);
    if (store.retryNow(paymentId, ctx.now())) worker.kick();
    redirect(res, href(`/payments/${paymentId}`, language));
  }

  /** `serviceID` and `orderKey` of an invoice REST call. */
  function orderOf(query: URLSearchParams): { serviceId: string; orderKey: string } {
    const serviceId = param(query, "serviceID")?.trim() ?? "";
    const orderKey = param(query, "orderKey")?.trim() ?? "";
    if (serviceId === "" || orderKey === "") throw new HttpError(400, "serviceID and orderKey are required");
    return { serviceId, orderKey };
  }

  async function invoicePdfResponse(res: ServerResponse, query: URLSearchParams, download: boolean, req: IncomingMessage): Promise<void> {
    const { serviceId, orderKey } = orderOf(query);
    const formatParam = (param(query, "pageFormat") ?? "A4").toUpperCase();
    if (formatParam !== "A4" && formatParam !== "A5") throw new HttpError(400, `pageFormat must be A4 or A5, not ${JSON.stringify(param(query, "pageFormat"))}`);
    const language = languageOf(req, query.get("lang")) ?? "ro";
    let invoice = store.invoiceFor(serviceId, orderKey);
    // The latest answer wins: the note shows the order as the provider describes it now, when it can be asked.
    try {
      const order = await connection.orderDetails(serviceId, orderKey, language);
      if (order !== undefined) invoice = store.saveInvoice(order, ctx.now());
      else if (invoice === undefined) throw new HttpError(404, `no order ${orderKey} for service ${serviceId}`);
    } catch (error) {
      if (!(error instanceof ProviderCallError)) throw error;
      if (invoice === undefined) throw new HttpError(502, `the provider could not be asked for the order: ${error.message}`);
    }
    const now = ctx.now();
    const pdf = invoicePdf({
      invoiceId: invoice.invoiceId,
      order: invoice.order,
      status: effectiveStatus(invoice.order, now),
      payments: store.paymentsForOrder(serviceId, orderKey),
      format: formatParam as PageFormat,
      language,
      now,
    });
    const name = invoiceFileName(invoice.invoiceId);
    res
      .writeHead(200, {
        "content-type": "application/pdf",
        "content-length": pdf.length,
        "content-disposition": `${download ? "attachment" : "inline"}; filename="${name.replace(/["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      })
      .end(pdf);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const path = url.pathname;
    const query = url.searchParams;
    const method = req.method ?? "GET";
    const only = (allowed: "GET" | "POST") => {
      if (method === allowed || (allowed === "GET" && method === "HEAD")) return true;
      res.writeHead(405, { allow: allowed === "GET" ? "GET, HEAD" : "POST", "content-type": "text/plain; charset=utf-8" }).end(`Use ${allowed}.\n`);
      return false;
    };
    const language = () => languageOf(req, query.get("lang")) ?? ctx.defaultLanguage;
    let m: RegExpExecArray | null;

    if (path === "/") {
      if (only("GET")) sendHtml(res, 200, homePage(language(), { providerEndpoint: connection.endpoint, demoOrders: ctx.demoOrders, returnUrl: `${baseOf(req)}/returned` }));
    } else if (path === "/service/pay") {
      if (method === "GET") redirect(res, href("/pay-existing", language()));
      else if (only("POST")) await servicePay(req, res);
    } else if (path === "/pay-existing") {
      if (only("GET")) sendHtml(res, 200, payExistingPage(language(), param(query, "ServiceID") ?? "", param(query, "OrderKey") ?? ""));
    } else if ((m = new RegExp(`^/checkout/${ID}$`).exec(path)) !== null) {
      if (only("GET")) await showCheckout(req, res, m[1]!, query);
    } else if ((m = new RegExp(`^/checkout/${ID}/pay$`).exec(path)) !== null) {
      if (only("POST")) await pay(req, res, m[1]!);
    } else if (path === "/payments") {
      if (only("GET")) sendHtml(res, 200, paymentsPage(language(), store.payments().map((payment) => ({ payment, lastAttempt: store.attempts(payment.paymentId).at(-1) }))));
    } else if ((m = new RegExp(`^/payments/${ID}$`).exec(path)) !== null) {
      if (only("GET")) showPayment(req, res, m[1]!, query);
    } else if ((m = new RegExp(`^/payments/${ID}/retry$`).exec(path)) !== null) {
      if (only("POST")) await retryPayment(req, res, m[1]!);
    } else if (path === "/returned") {
      if (only("GET")) sendHtml(res, 200, returnedPage(language(), query.get("order") ?? undefined));
    } else if (path.toLowerCase() === "/api/invoices") {
      if (only("GET")) {
        const { serviceId, orderKey } = orderOf(query);
        const invoice = store.invoiceFor(serviceId, orderKey);
        sendJson(res, 200, invoice === undefined ? [] : [invoice.invoiceId]);
      }
    } else if (path.toLowerCase() === "/api/invoices/downloadinvoicepdf") {
      if (only("GET")) await invoicePdfResponse(res, query, true, req);
    } else if (path.toLowerCase() === "/api/invoices/getpdfinvoicebytes") {
      if (only("GET")) await invoicePdfResponse(res, query, false, req);
    } else if (path === "/assets/sandbox.css") {
      if (only("GET")) res.writeHead(200, { "content-type": "text/css; charset=utf-8", "cache-control": "max-age=300", "x-content-type-options": "nosniff" }).end(STYLESHEET);
    } else if (path === "/health") {
      if (only("GET")) sendJson(res, 200, { ok: true, provider: connection.endpoint, pendingConfirmations: store.pendingCount() });
    } else if (path === "/favicon.ico") {
      res.writeHead(204).end();
    } else {
      throw new HttpError(404, strings(language()).notFound);
    }
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) ctx.log(`${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const path = (req.url ?? "").toLowerCase();
      const message = error instanceof HttpError ? error.message : "internal error (see the sandbox's log)";
      if (path.startsWith("/api/")) return sendJson(res, status, { title: message, status });
      // Discard whatever of the request is unread, so that the answer is not lost to a reset.
      req.resume();
      const language = languageOf(req, new URL(req.url ?? "/", "http://sandbox.invalid").searchParams.get("lang")) ?? ctx.defaultLanguage;
      const s = strings(language);
      sendHtml(res, status, messagePage(language, { title: status === 404 ? s.notFoundTitle : s.errorTitle, message }));
    });
  };
}
