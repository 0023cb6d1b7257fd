/**
 * `@mpay-kit/provider/operate`: running a provider in production: one JSON log line per SOAP
 * exchange, a health endpoint that says whether the payment ledger is reachable, and a graceful
 * shutdown that lets confirmations in progress finish.
 */
export { exchangeLogEntry, exchangeLogger, type ExchangeLogEntry, type ExchangeLogOptions, type ExchangeSummary } from "./exchange-log.ts";
export { checkHealth, healthEndpoint, type HealthCheckable, type HealthEndpointOptions, type HealthReport } from "./health.ts";
export { shutDownGracefully, type ClosableServer, type GracefulShutdownOptions } from "./shutdown.ts";
