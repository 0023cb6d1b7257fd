/**
 * One structured log line (JSON) per SOAP exchange, with what an operator searches by: the
 * operation, ServiceID, OrderKey, PaymentID, the outcome, the fault code and the duration.
 *
 * Never logged: keys, certificates, signatures or message bodies. The identifiers come from the
 * decoded request (so only a request that decoded has them), are cut to a bounded length and are
 * written as JSON strings (control characters escaped), so a hostile value cannot forge lines.
 */

import type { ExchangeSummary } from "@mpay-kit/runtime";

export type { ExchangeSummary };

/** The JSON object of one log line. */
export interface ExchangeLogEntry {
  readonly time: string;
  readonly level: "info" | "warn" | "error";
  readonly event: "soap-exchange";
  readonly operation: string | null;
  readonly serviceId: string | null;
  readonly orderKey: string | null;
  readonly paymentId: string | null;
  /** `ok`; `fault` (the service answered a fault); `refused` (the request was refused before any handler ran: routing, schema, signature); `error` (an internal error). */
  readonly outcome: "ok" | "fault" | "refused" | "error";
  readonly faultCode: string | null;
  readonly status: number;
  readonly durationMs: number;
}

export interface ExchangeLogOptions {
  /** Where lines go (default: standard output, one line each). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

/** Longest identifier kept in a log line (MPay's are at most 36 characters). */
const MAX_ID_LENGTH = 64;
/** Fault codes the service itself answers for a refused or broken request (SOAP's and MPay's). */
const REFUSAL_CODES = new Set(["Client", "VersionMismatch", "MustUnderstand", "AuthenticationFailed", "AuthorizationFailed"]);
const ERROR_CODES = new Set(["Server", "InternalError"]);

function identifier(value: unknown): string | null {
  if (typeof value !== "string") return null;
  return value.length > MAX_ID_LENGTH ? `${value.slice(0, MAX_ID_LENGTH)}…` : value;
}

/** The identifiers of an IServiceProvider request: `query` (GetOrderDetails) or `confirmation` (ConfirmOrderPayment). */
function identifiers(input: unknown): { serviceId: string | null; orderKey: string | null; paymentId: string | null } {
  const record = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const inner = record["query"] ?? record["confirmation"];
  const fields = typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : {};
  return { serviceId: identifier(fields["ServiceID"]), orderKey: identifier(fields["OrderKey"]), paymentId: identifier(fields["PaymentID"]) };
}

/** The log entry of one exchange. */
export function exchangeLogEntry(summary: ExchangeSummary, time: Date = new Date()): ExchangeLogEntry {
  const code = summary.fault?.code ?? null;
  const outcome: ExchangeLogEntry["outcome"] =
    summary.fault === undefined && summary.status < 400
      ? "ok"
      : code !== null && ERROR_CODES.has(code)
        ? "error"
        : summary.operation === undefined || summary.input === undefined || (code !== null && REFUSAL_CODES.has(code))
          ? "refused"
          : "fault";
  return {
    time: time.toISOString(),
    level: outcome === "ok" ? "info" : outcome === "error" ? "error" : "warn",
    event: "soap-exchange",
    operation: summary.operation ?? null,
    ...identifiers(summary.input),
    outcome,
    faultCode: code,
    status: summary.status,
    durationMs: Math.round(summary.durationMs * 100) / 100,
  };
}

/**
 * A `onExchange` callback that writes one JSON line per exchange.
 *
 * @example
 * ```ts
 * createServiceProviderHandler(handlers, { wsSecurity, onExchange: exchangeLogger() });
 * // {"time":"2025-07-10T07:51:23.120Z","level":"info","event":"soap-exchange","operation":"ConfirmOrderPayment",
 * //  "serviceId":"DEMO01","orderKey":"ORD-1001","paymentId":"P-1","outcome":"ok","faultCode":null,"status":200,"durationMs":3.4}
 * ```
 */
export function exchangeLogger(options: ExchangeLogOptions = {}): (summary: ExchangeSummary) => void {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  return (summary) => write(JSON.stringify(exchangeLogEntry(summary, now())));
}
