/**
 * `npm run example:provider -- --port <port> [--orders <file.json>]`
 *
 * Starts the example e-service on 127.0.0.1 and prints its endpoint URL on the first line;
 * the WSDL is at `<url>?wsdl`.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { createServiceProviderHandler } from "@mpay-kit/mpay-service-provider";
import { OrderBook } from "./order-book.ts";
import { builtInOrders } from "./orders.ts";
import { loadOrders, OrdersFileError } from "./load-orders.ts";

const USAGE = `usage: npm run example:provider -- [--port <port>] [--orders <file.json>]

  --port <port>        TCP port on 127.0.0.1 (default 0: any free port)
  --orders <file>      a JSON array of OrderDetails objects replacing the built-in orders
                       (decimals and date-times as strings, members named as in the WSDL)
`;

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options: { port: { type: "string", default: "0" }, orders: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
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
  const book = new OrderBook(orders);
  const handler = createServiceProviderHandler(book, {
    onError: (error, operation) => process.stderr.write(`example-provider: ${operation ?? "request"}: ${(error as Error).message ?? String(error)}\n`),
  });
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/ServiceProvider.svc") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`No service here. The endpoint is /ServiceProvider.svc (WSDL at /ServiceProvider.svc?wsdl).\n`);
      return;
    }
    handler(req, res);
  });
  server.on("error", (error) => fail(`cannot listen on 127.0.0.1:${port}: ${error.message}`, 1));
  server.listen(port, "127.0.0.1", () => {
    const address = server.address();
    const actual = typeof address === "object" && address !== null ? address.port : port;
    process.stdout.write(`http://127.0.0.1:${actual}/ServiceProvider.svc\n`);
    process.stdout.write(`example-provider: ${orders.length} orders loaded; WSDL at http://127.0.0.1:${actual}/ServiceProvider.svc?wsdl\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function fail(message: string, code: number): never {
  process.stderr.write(`example-provider: ${message}\n`);
  process.exit(code);
}

await main();
