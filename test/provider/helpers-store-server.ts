/**
 * A provider built the way a user builds one: the generated IServiceProvider server, WS-Security
 * with the test PKI (MPay's certificate pinned), and ConfirmOrderPayment through
 * `confirmOrderPaymentOnce` writing one row per application to the user's own table.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { X509Certificate } from "node:crypto";
import { TrustStore, type SigningIdentity } from "@mpay-kit/runtime/security";
import { createServiceProviderHandler, fault } from "@mpay-kit/mpay-service-provider";
import { confirmOrderPaymentOnce, type ConfirmationEvent, type PaymentLedger } from "../../provider/src/store/index.ts";
import { recordApplication } from "./helpers-store.ts";

/** The certificates the provider needs: its own identity, the CA, and MPay's certificate (pinned). */
export interface ProviderPki {
  readonly ca: X509Certificate;
  readonly mpay: { readonly certificate: X509Certificate };
  readonly provider: SigningIdentity;
}

export interface ConfirmationServer {
  readonly url: string;
  readonly events: ConfirmationEvent[];
  close(): Promise<void>;
}

/**
 * Starts the provider on 127.0.0.1 (any free port); `label` goes into each application row. Events
 * are collected in `events`, or with `defaultLog` left to the handler's default (JSON lines on stderr).
 */
export async function startConfirmationServer(ledger: PaymentLedger<unknown>, applications: string, label: string, pki: ProviderPki, defaultLog = false): Promise<ConfirmationServer> {
  const events: ConfirmationEvent[] = [];
  const handler = createServiceProviderHandler(
    {
      GetOrderDetails: () => {
        throw fault("UnknownService", "this test provider only confirms payments");
      },
      ConfirmOrderPayment: confirmOrderPaymentOnce(
        ledger,
        async (confirmation, tx) => {
          // A turn of the event loop inside the transaction, so that deliveries interleave.
          await new Promise((resolve) => setImmediate(resolve));
          await recordApplication(tx, applications, confirmation, label);
        },
        defaultLog ? {} : { onEvent: (event) => events.push(event) },
      ),
    },
    {
      wsSecurity: { identity: pki.provider, trust: new TrustStore({ anchors: [pki.ca], pins: [pki.mpay.certificate] }) },
      onError: (error) => process.stderr.write(`store test provider ${label}: ${(error as Error).message}\n`),
    },
  );
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ServiceProvider.svc`,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
