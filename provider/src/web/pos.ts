/**
 * MPay's POS terminal payment (CONTRACT.md: "POST .../PosTerminal/Pay/{ServiceId}/{OrderKey} or
 * .../PosTerminal/PayInvoice/{InvoiceId}"). The contract documents no body for these POSTs, so the
 * forms carry no field.
 */
import { endpointsOf, type MPayEnvironment } from "./endpoints.ts";
import { renderAutoSubmitPage, type AutoSubmitOptions, type AutoSubmitPage, type HtmlForm } from "./html.ts";

/**
 * One path segment, percent-encoded. `.` and `..` are refused: URL parsing (WHATWG, as browsers and
 * HTTP clients do it) removes them even when written `%2E`, so the URL would name another path.
 */
function segment(name: string, value: string): string {
  if (value === "") throw new RangeError(`${name} is empty`);
  if (value === "." || value === "..") throw new RangeError(`${name} ${JSON.stringify(value)} cannot stand in a URL path`);
  return encodeURIComponent(value);
}

function base(environment: MPayEnvironment): string {
  const posTerminal = endpointsOf(environment).posTerminal;
  if (posTerminal === undefined) {
    throw new TypeError("the contract documents POS terminal URLs for MPay staging only: give the production address as MPayEndpoints.posTerminal");
  }
  return posTerminal.replace(/\/+$/, "");
}

/** `POST {PosTerminal}/Pay/{ServiceId}/{OrderKey}`: pay an order at a POS terminal. */
export function posTerminalPayUrl(environment: MPayEnvironment, serviceId: string, orderKey: string): string {
  return `${base(environment)}/Pay/${segment("ServiceID", serviceId)}/${segment("OrderKey", orderKey)}`;
}

/** `POST {PosTerminal}/PayInvoice/{InvoiceId}`: pay an MPay invoice at a POS terminal. */
export function posTerminalPayInvoiceUrl(environment: MPayEnvironment, invoiceId: string): string {
  return `${base(environment)}/PayInvoice/${segment("InvoiceID", invoiceId)}`;
}

/** The page that POSTs the browser to a POS terminal URL (from {@link posTerminalPayUrl} or {@link posTerminalPayInvoiceUrl}). */
export function posTerminalPage(url: string, options: AutoSubmitOptions = {}): AutoSubmitPage & { readonly form: HtmlForm } {
  const form: HtmlForm = { action: url, method: "POST", fields: [] };
  return { form, ...renderAutoSubmitPage(form, options) };
}
