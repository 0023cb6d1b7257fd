/**
 * Where MPay's HTTP side lives (CONTRACT.md, "The rest of MPay that an e-service touches").
 */

/** The addresses of one MPay installation. */
export interface MPayEndpoints {
  /** The pay page the browser POSTs ServiceID, OrderKey and ReturnUrl to. */
  readonly payPage: string;
  /**
   * Base of the POS terminal URLs (`{base}/Pay/{ServiceId}/{OrderKey}`, `{base}/PayInvoice/{InvoiceId}`);
   * undefined where the contract does not document it.
   */
  readonly posTerminal: string | undefined;
  /** Origin of the invoice REST API (`{origin}/api/invoices`, `{origin}/api/Invoices/...`). */
  readonly invoiceApi: string;
}

/** MPay staging, as documented. */
export const MPAY_STAGING: MPayEndpoints = Object.freeze({
  payPage: "https://mpay.staging.egov.md/service/pay",
  posTerminal: "https://mpay.staging.egov.md/PosTerminal",
  invoiceApi: "https://mpay.staging.egov.md:8443",
});

/**
 * MPay production, as documented: the pay page and the invoice API host (`mpay.gov.md:8443`). The
 * contract gives the POS terminal URLs on the staging host only, so production's is left undefined
 * rather than guessed; pass your own {@link MPayEndpoints} once MPay tells you the address.
 */
export const MPAY_PRODUCTION: MPayEndpoints = Object.freeze({
  payPage: "https://mpay.gov.md/service/pay",
  posTerminal: undefined,
  invoiceApi: "https://mpay.gov.md:8443",
});

/** `"staging"`, `"production"`, or the endpoints of another installation (e.g. a local sandbox). */
export type MPayEnvironment = "staging" | "production" | MPayEndpoints;

/** The endpoints of an environment. */
export function endpointsOf(environment: MPayEnvironment): MPayEndpoints {
  if (environment === "staging") return MPAY_STAGING;
  if (environment === "production") return MPAY_PRODUCTION;
  return environment;
}

/**
 * The endpoints of a stand-in for MPay served at `origin` with MPay's paths (`/service/pay`,
 * `/PosTerminal`, `/api/...`), such as a local sandbox.
 * @throws TypeError when `origin` is not an http(s) URL.
 */
export function endpointsAt(origin: string | URL): MPayEndpoints {
  const url = new URL(origin);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`an MPay origin is an http(s) URL, got ${url.protocol}`);
  const base = url.origin;
  return Object.freeze({ payPage: `${base}/service/pay`, posTerminal: `${base}/PosTerminal`, invoiceApi: base });
}
