/**
 * A health endpoint for load balancers and orchestrators: `GET /health` answers 200 when the
 * payment ledger answers a query within a bound, 503 otherwise. It says nothing else about the
 * store (no connection string, no error text beyond its kind), and reads no request body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** What the health endpoint checks: anything with the ledger's `check()`. */
export interface HealthCheckable {
  check(): Promise<void>;
}

export interface HealthEndpointOptions {
  /** The path (default `/health`). */
  readonly path?: string;
  /** How long the store may take to answer (default 2 000 ms). */
  readonly timeoutMs?: number;
}

/** The body of a health answer. */
export interface HealthReport {
  readonly status: "ok" | "unavailable";
  readonly store: "reachable" | "unreachable" | "timeout" | "none";
}

/** Checks the store once, bounded by `timeoutMs`. */
export async function checkHealth(store: HealthCheckable | undefined, timeoutMs = 2_000): Promise<HealthReport> {
  if (store === undefined) return { status: "ok", store: "none" };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([store.check().then(() => "reachable" as const), timeout]);
    return result === "reachable" ? { status: "ok", store: "reachable" } : { status: "unavailable", store: "timeout" };
  } catch {
    return { status: "unavailable", store: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A request listener for the health path: returns `true` when it answered the request (the path
 * matched), `false` to let the caller route it elsewhere.
 *
 * @example
 * ```ts
 * const health = healthEndpoint(ledger);
 * createServer((req, res) => health(req, res) || soapHandler(req, res));
 * ```
 */
export function healthEndpoint(store: HealthCheckable | undefined, options: HealthEndpointOptions = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const path = options.path ?? "/health";
  const timeoutMs = options.timeoutMs ?? 2_000;
  return (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    if ((q === -1 ? url : url.slice(0, q)) !== path) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("GET only\n");
      return true;
    }
    void checkHealth(store, timeoutMs).then((report) => {
      const body = JSON.stringify(report);
      res.writeHead(report.status === "ok" ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    });
    return true;
  };
}
