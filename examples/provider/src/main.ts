/**
 * `npm run example:provider -- --port <port> [--orders <file.json>] [--db <payments.db | postgres://...>] [--log]
 *    [--cert <provider.pem> --key <provider-key.pem> --trust <ca.pem> [--pin <mpay.pem>]]`
 *
 * Starts the example e-service on 127.0.0.1 and prints its endpoint URL on the first line;
 * the WSDL is at `<url>?wsdl`. With `--cert`, it requires WS-Security signed requests whose
 * signer chains to `--trust` (and is the `--pin` certificate when given), and signs its answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { listenSoap, type ClientRefusal, type RunningSoapServer, type ServerTlsOptions } from "@mpay-kit/runtime";
import { parseArgs } from "node:util";
import { createServiceProviderHandler, type ServiceProviderHandlers } from "@mpay-kit/mpay-service-provider";
import { confirmOrderPaymentOnce, openPaymentLedger, type PaymentLedger } from "@mpay-kit/provider/store";
import { exchangeLogger, healthEndpoint, shutDownGracefully } from "@mpay-kit/provider/operate";
import { OrderBook } from "./order-book.ts";
import { builtInOrders } from "./orders.ts";
import { loadOrders, OrdersFileError } from "./load-orders.ts";
import { CredentialError, loadCertificates, loadCredentials, TrustStore, type WsSecurityServerSettings } from "@mpay-kit/runtime/security";

const USAGE = `usage: npm run example:provider -- [--port <port>] [--orders <file.json>] [--db <file | postgres://...>] [--log]
         [--cert <provider.pem> --key <provider-key.pem> --trust <ca.pem> [--pin <mpay.pem>]]

  --port <port>        TCP port on 127.0.0.1 (default 0: any free port)
  --orders <file>      a JSON array of OrderDetails objects replacing the built-in orders
                       (decimals and date-times as strings, members named as in the WSDL)
  --log                one JSON line per SOAP exchange on standard output (operation,
                       ServiceID, OrderKey, PaymentID, outcome, fault code, duration)
  --db <location>      the payment ledger: a SQLite file, or a postgres:// URL. Each
                       ConfirmOrderPayment is applied once and kept there with its signed
                       request as evidence (mpay-evidence export/verify); payments already in
                       it are applied to the orders at start. Default: in memory only
  --cert <file>        this provider's certificate (PEM), or a PKCS#12 .pfx/.p12 with --password;
                       turns WS-Security on: requests must be signed, answers are signed
  --key <file>         the private key of --cert (PEM; --password if it is encrypted)
  --password <secret>  password of the .pfx or of the encrypted key
  --trust <file>       trust anchors (PEM) that MPay's signing certificate must chain to
  --pin <file>         MPay's certificate (PEM): only this signer is accepted
  --key-info <form>    how answers name the key: x509 (default), bst, ski or issuer-serial
  --tls                listen on HTTPS with --cert/--key and require a client certificate
                       chained to --trust (mutual TLS, as MPay connects)
`;

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: "string", default: "0" },
        orders: { type: "string" },
        db: { type: "string" },
        log: { type: "boolean", default: false },
        cert: { type: "string" },
        key: { type: "string" },
        password: { type: "string" },
        trust: { type: "string" },
        pin: { type: "string" },
        "key-info": { type: "string" },
        tls: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0-65535), got ${JSON.stringify(args.port)}`, 2);
  let orders = builtInOrders;
  if (args.orders !== undefined) {
    try {
      orders = await loadOrders(args.orders);
    } catch (error) {
      if (error instanceof OrdersFileError) fail(error.message, 1);
      throw error;
    }
  }
  // Without --cert the example runs unsigned, which the WSDL's policy does not allow unless said explicitly.
  const security = args.cert === undefined ? false : messageSecurity(args);
  const book = new OrderBook(orders);
  const ledger = args.db === undefined ? undefined : await openLedger(args.db, book);
  const handlers: ServiceProviderHandlers =
    ledger === undefined
      ? book
      : {
          GetOrderDetails: (input) => book.GetOrderDetails(input),
          // The ledger applies each PaymentID once (across restarts and processes) and keeps its evidence.
          ConfirmOrderPayment: confirmOrderPaymentOnce(ledger, (confirmation) => {
            book.ConfirmOrderPayment({ confirmation });
          }),
        };
  const handler = createServiceProviderHandler(handlers, {
    wsSecurity: security,
    ...(args.log === true ? { onExchange: exchangeLogger() } : {}),
    onError: (error, operation) => process.stderr.write(`example-provider: ${operation ?? "request"}: ${(error as Error).message ?? String(error)}\n`),
  });
  // GET /health: 200 while the ledger answers (always, without one), 503 otherwise.
  const health = healthEndpoint(ledger);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (health(req, res)) return;
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    if (path !== "/ServiceProvider.svc") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`No service here. The endpoint is /ServiceProvider.svc (WSDL at /ServiceProvider.svc?wsdl).\n`);
      return;
    }
    handler(req, res);
  };
  let running: RunningSoapServer;
  try {
    running = await listenSoap(listener, {
      port,
      ...(args.tls === true ? { tls: tlsSettings(args), onRefusal: (r: ClientRefusal) => process.stderr.write(`example-provider: TLS client refused: ${r.reason}\n`) } : {}),
    });
  } catch (error) {
    fail(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`, 1);
  }
  const endpoint = `${running.url}ServiceProvider.svc`;
  process.stdout.write(`${endpoint}\n`);
  process.stdout.write(`example-provider: ${orders.length} orders loaded; WSDL at ${endpoint}?wsdl\n`);
  if (args.tls === true) process.stdout.write("example-provider: HTTPS with client certificates chained to --trust required (mutual TLS)\n");
  process.stdout.write(security === false ? "example-provider: WS-Security off (no --cert): requests are not verified, answers not signed\n" : "example-provider: WS-Security on: signed requests required, answers signed\n");
  // SIGTERM/SIGINT: stop accepting, let confirmations in progress finish, close the ledger, exit.
  shutDownGracefully({
    servers: [running],
    resources: ledger === undefined ? [] : [ledger],
    onEvent: (event) => {
      if (event.kind === "failed") process.stderr.write(`example-provider: stopping failed: ${(event.error as Error).message}\n`);
    },
  });
}

/** Opens the payment ledger and applies the payments it already holds to the in-memory orders. */
async function openLedger(location: string, book: OrderBook): Promise<PaymentLedger<unknown>> {
  let ledger: PaymentLedger<unknown>;
  try {
    ledger = await openPaymentLedger(location);
    await ledger.check();
  } catch (error) {
    fail(`cannot open the payment ledger ${location}: ${(error as Error).message}`, 1);
  }
  for (const id of await ledger.paymentIds()) {
    const payment = await ledger.payment(id);
    if (payment === undefined) continue;
    try {
      book.ConfirmOrderPayment({ confirmation: payment.confirmation });
    } catch (error) {
      // A payment for an order this run does not know (another --orders file): kept, not applied.
      process.stderr.write(`example-provider: payment ${id} in the ledger not applied to the orders: ${(error as Error).message}\n`);
    }
  }
  return ledger;
}

interface SecurityArgs {
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly password?: string | undefined;
  readonly trust?: string | undefined;
  readonly pin?: string | undefined;
  readonly "key-info"?: string | undefined;
}

const KEY_INFO_FORMS = ["x509", "bst", "ski", "issuer-serial"] as const;

/** Mutual TLS from the same files as WS-Security: this provider's certificate, MPay's anchors. */
function tlsSettings(args: SecurityArgs): ServerTlsOptions {
  if (args.cert === undefined || args.trust === undefined) fail("--tls needs --cert, --key (or a .pfx) and --trust", 2);
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      fail(`cannot read ${file}: ${(error as Error).message}`, 1);
    }
  };
  const pfx = /\.(pfx|p12)$/i.test(args.cert);
  return {
    ...(pfx ? { pfx: read(args.cert) } : { cert: read(args.cert), key: read(args.key!) }),
    ...(args.password === undefined ? {} : { passphrase: args.password }),
    ca: read(args.trust),
  };
}

/**
 * WS-Security from the command line: the keys and trust; algorithm and Timestamp come from the
 * WSDL's policy through the generated package. Refused at start-up with a clear message when
 * anything is off.
 */
function messageSecurity(args: SecurityArgs): Omit<WsSecurityServerSettings, "policy"> {
  if (args.trust === undefined) fail("--cert needs --trust <ca.pem>: the authorities MPay's signing certificate must chain to", 2);
  const keyInfo = args["key-info"] ?? "x509";
  if (!(KEY_INFO_FORMS as readonly string[]).includes(keyInfo)) fail(`--key-info must be one of ${KEY_INFO_FORMS.join(", ")}, got ${JSON.stringify(keyInfo)}`, 2);
  const pfx = args.cert !== undefined && /\.(pfx|p12)$/i.test(args.cert);
  if (!pfx && args.key === undefined) fail("--cert needs --key <provider-key.pem> (or give a .pfx/.p12 with --password)", 2);
  try {
    const identity = pfx
      ? loadCredentials({ pfx: args.cert!, password: args.password ?? "" })
      : loadCredentials({ cert: args.cert!, key: args.key!, ...(args.password === undefined ? {} : { passphrase: args.password }) });
    const anchors = loadCertificates(args.trust);
    const pinned = args.pin === undefined ? [] : loadCertificates(args.pin);
    const trust = new TrustStore({ anchors, peers: pinned, pins: pinned });
    return {
      identity,
      trust,
      keyInfo: keyInfo as (typeof KEY_INFO_FORMS)[number],
      onRejected: (error) => process.stderr.write(`example-provider: request refused (${error.reason}): ${error.message}\n`),
    };
  } catch (error) {
    if (error instanceof CredentialError) fail(error.message, 1);
    throw error;
  }
}

function fail(message: string, code: number): never {
  process.stderr.write(`example-provider: ${message}\n`);
  process.exit(code);
}

await main();
