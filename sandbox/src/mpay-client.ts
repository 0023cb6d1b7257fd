/**
 * MPay's side of the wire: the sandbox calls the provider through our generated
 * `ServiceProviderClient`, signing every request as MPay (WS-Security, the policy's algorithm,
 * BinarySecurityToken reference as MPay does) and verifying the provider's signed answers; over
 * HTTPS it presents MPay's certificate (mutual TLS).
 */
import { CodecError, SoapFault, TransportError, type ClientTlsOptions } from "@mpay-kit/runtime";
import type { Credentials, TrustStore } from "@mpay-kit/runtime/security";
import { ServiceProviderClient, type OrderDetails, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";

export interface ProviderConnectionOptions {
  /** The provider's IServiceProvider endpoint URL. */
  readonly endpoint: string;
  /**
   * MPay's signing identity and the trust for the provider's signatures; `false` sends unsigned
   * requests and accepts unsigned answers (only for a provider run without WS-Security).
   */
  readonly security: { readonly identity: Credentials; readonly trust: TrustStore } | false;
  /** Client certificate and server anchors for an https endpoint. */
  readonly tls?: ClientTlsOptions;
  /** Time allowed for one call (default 10 000 ms). */
  readonly timeoutMs?: number;
}

/** Why a call to the provider did not succeed, in the words the pages and the attempt log use. */
export type ProviderProblem =
  | { readonly kind: "fault"; readonly code: string; readonly message: string }
  | { readonly kind: "unreachable"; readonly message: string }
  | { readonly kind: "rejected"; readonly message: string };

/** A failed call, with what went wrong. */
export class ProviderCallError extends Error {
  override readonly name = "ProviderCallError";
  readonly problem: ProviderProblem;
  constructor(problem: ProviderProblem, options?: { cause?: unknown }) {
    super(problem.kind === "fault" ? `${problem.code}: ${problem.message}` : problem.message, options);
    this.problem = problem;
  }
}

/** The problem behind an error thrown by a generated client call. */
export function problemOf(error: unknown): ProviderProblem {
  if (error instanceof SoapFault) return { kind: "fault", code: error.code, message: error.reason };
  if (error instanceof TransportError) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && cause.message !== "" && !error.message.includes(cause.message) ? `${error.message} (${cause.message})` : error.message;
    // "protocol": an answer arrived but this client cannot accept it; every other problem means no usable answer.
    return { kind: error.problem === "protocol" ? "rejected" : "unreachable", message: detail };
  }
  // A CodecError (the answer breaks the schema) or a refused signature on the answer.
  if (error instanceof CodecError) return { kind: "rejected", message: error.message };
  return { kind: "rejected", message: error instanceof Error ? error.message : String(error) };
}

export class ProviderConnection {
  readonly endpoint: string;
  readonly #client: ServiceProviderClient;

  constructor(options: ProviderConnectionOptions) {
    this.endpoint = options.endpoint;
    this.#client = new ServiceProviderClient({
      endpoint: options.endpoint,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      // MPay's own requests name their key with a BinarySecurityToken reference (CONTRACT.md).
      wsSecurity: options.security === false ? false : { identity: options.security.identity, trust: options.security.trust, keyInfo: "bst" },
    });
  }

  /**
   * The order as the provider describes it now, or `undefined` when it has no such order.
   * @throws ProviderCallError
   */
  async orderDetails(serviceId: string, orderKey: string, language: string): Promise<OrderDetails | undefined> {
    let answer;
    try {
      answer = await this.#client.GetOrderDetails({ query: { Language: language, OrderKey: orderKey, ServiceID: serviceId } });
    } catch (error) {
      throw new ProviderCallError(problemOf(error), { cause: error });
    }
    const orders = (answer.GetOrderDetailsResult ?? []).filter((o): o is OrderDetails => o !== null);
    // The provider answers the matching orders; anything else in the list is not this order.
    return orders.find((o) => o.ServiceID === serviceId && o.OrderKey === orderKey);
  }

  /**
   * Delivers one payment confirmation; resolves when the provider answered without a fault.
   * @throws ProviderCallError
   */
  async confirmPayment(confirmation: PaymentConfirmation): Promise<void> {
    try {
      await this.#client.ConfirmOrderPayment({ confirmation });
    } catch (error) {
      throw new ProviderCallError(problemOf(error), { cause: error });
    }
  }

  /** Closes the pooled connections, where the generated client offers it (it has no close() today). */
  async close(): Promise<void> {
    const client: object = this.#client;
    if ("close" in client && typeof client.close === "function") await (client.close as () => Promise<void>).call(client);
  }
}
