/**
 * `@mpay-kit/provider/web`: the HTTP side of MPay that an e-service touches: the pay-page redirect
 * (an auto-submitting POST form), POS terminal URLs, and a client for the invoice REST endpoints.
 */
export { MPAY_PRODUCTION, MPAY_STAGING, endpointsAt, endpointsOf, type MPayEndpoints, type MPayEnvironment } from "./endpoints.ts";
export { escapeHtml, renderAutoSubmitPage, type AutoSubmitOptions, type AutoSubmitPage, type HtmlForm, type PageLanguage } from "./html.ts";
export { checkReturnUrl, payForm, payRedirectPage, readPayForm, returnUrlWith, type PayForm, type PayRedirect, type PayRequest } from "./pay.ts";
export { posTerminalPage, posTerminalPayInvoiceUrl, posTerminalPayUrl } from "./pos.ts";
export {
  InvoiceApiError,
  MPayInvoiceClient,
  fileNameOf,
  type InvoiceApiProblem,
  type InvoiceClientOptions,
  type InvoicePdf,
  type PageFormat,
  type RequestOptions,
} from "./invoices.ts";
