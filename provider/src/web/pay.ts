/**
 * Sending the payer to MPay's pay page (CONTRACT.md: "browser POST (form) to .../service/pay with
 * ServiceID, OrderKey, optional ReturnUrl (MPay returns the browser there with GET)").
 *
 * The contract documents no GET form of the pay page, and no parameters MPay adds when it sends the
 * browser back to ReturnUrl: put whatever the provider needs to recognise the order into ReturnUrl
 * itself ({@link returnUrlWith}).
 */
import { endpointsOf, type MPayEnvironment } from "./endpoints.ts";
import { renderAutoSubmitPage, type AutoSubmitOptions, type HtmlForm } from "./html.ts";

/** What the pay page is told. */
export interface PayRequest {
  /** The provider's service in MPay (at most 36 characters, as in OrderDetailsQuery). */
  readonly serviceId: string;
  /** The order's key (at most 36 characters), the one MPay will pass to GetOrderDetails. */
  readonly orderKey: string;
  /** Where MPay sends the browser back, with GET: an absolute http(s) URL. */
  readonly returnUrl?: string | URL;
}

/** The form that opens MPay's pay page: for a page of your own, or for {@link payRedirectPage}. */
export interface PayForm extends HtmlForm {
  readonly method: "POST";
  readonly fields: readonly { readonly name: "ServiceID" | "OrderKey" | "ReturnUrl"; readonly value: string }[];
}

/** Most characters of ServiceID and OrderKey (OrderDetailsQuery's documented maximum lengths). */
const MAX_KEY_LENGTH = 36;

function checkKey(name: string, value: string): void {
  if (value === "") throw new RangeError(`${name} is empty`);
  const length = [...value].length;
  if (length > MAX_KEY_LENGTH) throw new RangeError(`${name} is ${length} characters long; MPay takes at most ${MAX_KEY_LENGTH}`);
}

/**
 * A ReturnUrl as an absolute http(s) URL. Other schemes (`javascript:`, `data:`) would let a
 * crafted link run script in the provider's origin when MPay follows it, so they are refused.
 * @throws TypeError for a relative URL or another scheme.
 */
export function checkReturnUrl(returnUrl: string | URL): string {
  let url: URL;
  try {
    url = new URL(returnUrl);
  } catch {
    throw new TypeError("ReturnUrl must be an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`ReturnUrl must be an http or https URL, not ${url.protocol}`);
  if (url.username !== "" || url.password !== "") throw new TypeError("ReturnUrl must not carry credentials");
  return url.href;
}

/**
 * `base` with `parameters` added to its query, encoded (e.g. the order key, so the return page knows
 * which order the payer comes back from).
 */
export function returnUrlWith(base: string | URL, parameters: Readonly<Record<string, string>>): string {
  const url = new URL(checkReturnUrl(base));
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  return url.href;
}

/**
 * The POST form that opens MPay's pay page for an order, with the fields in the documented names.
 * @throws RangeError for an empty or too long ServiceID/OrderKey; TypeError for a bad ReturnUrl.
 */
export function payForm(environment: MPayEnvironment, request: PayRequest): PayForm {
  checkKey("ServiceID", request.serviceId);
  checkKey("OrderKey", request.orderKey);
  const fields: { name: "ServiceID" | "OrderKey" | "ReturnUrl"; value: string }[] = [
    { name: "ServiceID", value: request.serviceId },
    { name: "OrderKey", value: request.orderKey },
  ];
  if (request.returnUrl !== undefined) fields.push({ name: "ReturnUrl", value: checkReturnUrl(request.returnUrl) });
  return { action: endpointsOf(environment).payPage, method: "POST", fields };
}

/** The pay form and the page that submits it. */
export interface PayRedirect {
  readonly form: PayForm;
  /** An HTML page that POSTs the form on load, with a button for browsers without script. */
  readonly html: string;
  /** CSP source (`'sha256-…'`) that allows the page's one script. */
  readonly scriptHash: string;
}

/**
 * The page that sends the payer's browser to MPay's pay page: serve it as `text/html; charset=utf-8`
 * in answer to the provider's own "Pay" button.
 *
 * @example
 * ```ts
 * const { html } = payRedirectPage("staging", { serviceId: "MDS02", orderKey, returnUrl: "https://shop.example/paid" });
 * response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
 * ```
 */
export function payRedirectPage(environment: MPayEnvironment, request: PayRequest, options: AutoSubmitOptions = {}): PayRedirect {
  const form = payForm(environment, request);
  const page = renderAutoSubmitPage(form, options);
  return { form, html: page.html, scriptHash: page.scriptHash };
}

/**
 * The pay request in a form body as a browser posts it (`application/x-www-form-urlencoded`), for a
 * stand-in for MPay's pay page such as a local sandbox. The same checks as {@link payForm}: the
 * documented field names, ServiceID and OrderKey of 1 to 36 characters, an optional absolute http(s)
 * ReturnUrl; a field sent twice is refused as ambiguous.
 * @throws RangeError or TypeError naming the field that is wrong.
 */
export function readPayForm(body: string | URLSearchParams): PayRequest {
  const form = typeof body === "string" ? new URLSearchParams(body) : body;
  const single = (name: string): string | undefined => {
    const values = form.getAll(name);
    if (values.length > 1) throw new RangeError(`${name} is sent ${values.length} times`);
    return values[0];
  };
  const serviceId = single("ServiceID");
  const orderKey = single("OrderKey");
  const returnUrl = single("ReturnUrl");
  if (serviceId === undefined) throw new RangeError("ServiceID is missing");
  if (orderKey === undefined) throw new RangeError("OrderKey is missing");
  checkKey("ServiceID", serviceId);
  checkKey("OrderKey", orderKey);
  return { serviceId, orderKey, ...(returnUrl === undefined || returnUrl === "" ? {} : { returnUrl: checkReturnUrl(returnUrl) }) };
}
