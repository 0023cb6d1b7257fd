/**
 * Graceful shutdown: on SIGTERM or SIGINT, stop accepting connections, let the requests in
 * progress (confirmations among them) finish and be answered, then close the payment ledger, then
 * exit. A confirmation that is cut off would be retried by MPay anyway; finishing it saves a
 * retry and keeps the ledger's transaction from being rolled back half-way through a deploy.
 */

/** Anything that stops accepting and waits for requests in progress (the runtime's `RunningSoapServer`). */
export interface ClosableServer {
  close(graceMs?: number): Promise<void>;
}

export interface GracefulShutdownOptions {
  /** The servers to close first (all at once). */
  readonly servers: readonly ClosableServer[];
  /** Closed after the servers (e.g. the payment ledger). */
  readonly resources?: readonly { close(): Promise<void> }[];
  /** How long requests in progress may take before their connections are cut (default 10 000 ms). */
  readonly graceMs?: number;
  /** Signals to act on (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called when a signal starts the shutdown, and with the error if closing failed. */
  readonly onEvent?: (event: { readonly kind: "stopping"; readonly signal: NodeJS.Signals } | { readonly kind: "failed"; readonly error: unknown }) => void;
  /** What to do at the end (default: `process.exit` with 0, or 1 when closing failed). */
  readonly exit?: (code: number) => void;
}

/**
 * Installs the signal handlers; returns a function that runs the same shutdown without a signal
 * (for tests and for programs with their own reasons to stop). A second signal while stopping
 * does nothing (the grace period still bounds the wait).
 */
export function shutDownGracefully(options: GracefulShutdownOptions): (signal?: NodeJS.Signals) => Promise<void> {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = "SIGTERM"): Promise<void> => {
    stopping ??= (async () => {
      options.onEvent?.({ kind: "stopping", signal });
      let code = 0;
      try {
        await Promise.all(options.servers.map((s) => s.close(options.graceMs ?? 10_000)));
        for (const resource of options.resources ?? []) await resource.close();
      } catch (error) {
        code = 1;
        options.onEvent?.({ kind: "failed", error });
      }
      for (const s of signals) process.off(s, onSignal);
      exit(code);
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => void stop(signal);
  for (const s of signals) process.on(s, onSignal);
  return stop;
}
