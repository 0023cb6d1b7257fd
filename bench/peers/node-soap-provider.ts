/**
 * A peer implementation of MPay's IServiceProvider built with node-soap (the `soap` npm
 * package) from OUR WSDL file, serving the same built-in orders as the example provider.
 *
 * Used by the interop test (our generated client calls it) and by the benchmark (it is the
 * baseline our server is compared with).
 *
 *   node --conditions=mpay-kit-source bench/peers/node-soap-provider.ts [--port <port>]
 *
 * prints its endpoint URL (`http://127.0.0.1:<port>/ServiceProvider.svc`) on the first line.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as soap from "soap";
import type { OrderDetails } from "@mpay-kit/mpay-service-provider";
import { builtInOrders } from "../../examples/provider/src/orders.ts";

/** Absolute path of the contract; node-soap resolves the relative xsd imports against it. */
export const WSDL_PATH = resolve(import.meta.dirname, "../../wsdl/mpay/ServiceProvider.wsdl");
export const SERVICE_PATH = "/ServiceProvider.svc";

/** A value as node-soap's serializer wants it. */
type SoapValue = string | number | boolean | null | { [key: string]: SoapValue } | SoapValue[];

/** The item element of each array member of OrderDetails and OrderLine (WCF's ArrayOf* wrappers). */
const ARRAY_ITEM: Readonly<Record<string, string>> = { Lines: "OrderLine", Properties: "OrderProperty" };

/**
 * Our shape (arrays as plain arrays) to node-soap's (arrays under their item element:
 * `Lines: { OrderLine: [...] }`). node-soap writes members in the order of the object's keys,
 * not the schema's; the schema's order here is WCF's ordinal alphabetical order, so the keys
 * are sorted (JavaScript's default sort compares UTF-16 code units: ordinal for these names).
 */
function toNodeSoap(value: unknown, sort: boolean, key = ""): SoapValue {
  if (Array.isArray(value)) {
    const item = ARRAY_ITEM[key];
    if (item === undefined) throw new TypeError(`no item element known for the array ${key}`);
    return { [item]: value.map((v) => toNodeSoap(v, sort)) };
  }
  if (value === null || typeof value !== "object") return value as SoapValue;
  const out: { [key: string]: SoapValue } = {};
  const keys = Object.keys(value);
  for (const k of sort ? keys.sort() : keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = toNodeSoap(v, sort, k);
  }
  return out;
}

/**
 * One of our `OrderDetails` as node-soap serializes it; `memberOrder: "as-given"` keeps the
 * object's key order (to show what node-soap does with it).
 */
export function toNodeSoapOrder(order: OrderDetails, memberOrder: MemberOrder = "schema"): SoapValue {
  return toNodeSoap(order, memberOrder === "schema");
}

/** `schema`: members sorted into the schema's order (default); `as-given`: the objects' key order. */
export type MemberOrder = "schema" | "as-given";

export interface NodeSoapProviderOptions {
  /** The orders served (default: the example provider's built-in orders). */
  readonly orders?: readonly OrderDetails[];
  readonly memberOrder?: MemberOrder;
}

/** The node-soap service object: `services[service][port][operation]`. */
export function nodeSoapServices(orders: readonly OrderDetails[] = builtInOrders, memberOrder: MemberOrder = "schema"): soap.IServices {
  // By ServiceID, then OrderKey, as the example provider's OrderBook looks orders up.
  const byKey = new Map<string, Map<string, unknown>>();
  for (const o of orders) {
    let ofService = byKey.get(o.ServiceID);
    if (ofService === undefined) byKey.set(o.ServiceID, (ofService = new Map()));
    ofService.set(o.OrderKey, toNodeSoapOrder(o, memberOrder));
  }
  const known = new Set(orders.map((o) => `${o.ServiceID}\u0000${o.OrderKey}`));
  return {
    ServiceProvider: {
      BasicHttpBinding_IServiceProvider: {
        GetOrderDetails(args: { query?: { OrderKey?: string; ServiceID?: string } }) {
          const q = args.query ?? {};
          const order = byKey.get(q.ServiceID ?? "")?.get(q.OrderKey ?? "");
          return { GetOrderDetailsResult: { OrderDetails: order === undefined ? [] : [order] } };
        },
        ConfirmOrderPayment(args: { confirmation?: { OrderKey?: string; ServiceID?: string } }) {
          const c = args.confirmation ?? {};
          if (!known.has(`${c.ServiceID ?? ""}\u0000${c.OrderKey ?? ""}`)) {
            // A SOAP 1.1 fault. node-soap writes the faultcode text as given; `tns` is declared on its
            // Envelope (it copies the WSDL's prefixes there), so the code is a QName in the contract
            // namespace, as WS-I Basic Profile 1.1 (R1004) wants.
            throw { Fault: { faultcode: "tns:UnknownOrder", faultstring: `The OrderKey '${c.OrderKey ?? ""}' is unknown for service '${c.ServiceID ?? ""}'.`, statusCode: 500 } };
          }
          return {};
        },
      },
    },
  };
}

export interface RunningPeer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the node-soap peer on 127.0.0.1 (port 0: any free port). */
export async function startNodeSoapProvider(port = 0, options: NodeSoapProviderOptions = {}): Promise<RunningPeer> {
  const xml = readFileSync(WSDL_PATH, "utf8");
  const server = createServer((req, res) => {
    // node-soap answers only its own path; anything else gets a plain 404 here.
    if ((req.url ?? "/").split("?")[0] !== SERVICE_PATH) res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePromise());
  });
  await new Promise<void>((resolvePromise, reject) => {
    soap.listen(server, {
      path: SERVICE_PATH,
      services: nodeSoapServices(options.orders, options.memberOrder),
      xml,
      uri: WSDL_PATH,
      // Faults already carry a statusCode; no stack traces on the wire.
      suppressStack: true,
      // Content-Length instead of chunked answers, as our server and WCF send.
      enableChunkedEncoding: false,
      callback: (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolvePromise()),
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}${SERVICE_PATH}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`node-soap-provider: --port must be a port number, got ${JSON.stringify(values.port)}\n`);
    process.exit(2);
  }
  const peer = await startNodeSoapProvider(port);
  process.stdout.write(`${peer.url}\n`);
  const stop = () => void peer.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
