/**
 * Delivering ConfirmOrderPayment until the provider accepts it, as MPay does: every pending payment
 * in the store is sent when due; a fault or a missing answer schedules the next attempt after an
 * exponentially growing delay, capped, with jitter so that many payments failing together (a
 * provider restart) do not come back together. The schedule lives in SQLite, so a restarted
 * sandbox picks up where it stopped; the confirmation's content (PaymentID, PaidAt, amounts) is
 * stored once and sent identically every time, which is what lets the provider recognise a repeat.
 */
import type { ProviderConnection } from "./mpay-client.ts";
import { ProviderCallError } from "./mpay-client.ts";
import type { AttemptRecord, PaymentRecord, SandboxStore } from "./store.ts";

export interface RetryPolicy {
  /** Delay after the first failed attempt, in ms. */
  readonly baseDelayMs: number;
  /** Longest delay between two attempts, in ms: the exponential growth stops here. */
  readonly maxDelayMs: number;
  /** Share of each delay that is random, 0 (none) to 1 (anywhere from 0 to the delay). */
  readonly jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.5 };

/** The delay before the attempt that follows failed attempt number `failures` (1-based). */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(exponential * (1 - policy.jitter) + exponential * policy.jitter * random());
}

export interface ConfirmationWorkerOptions {
  readonly policy?: RetryPolicy;
  /** Payments sent at once (default 4). */
  readonly concurrency?: number;
  /** Told about every attempt (logging). */
  readonly onAttempt?: (payment: PaymentRecord, attempt: AttemptRecord) => void;
  readonly random?: () => number;
  /** Told about an unexpected error of a pass (the store failing); the next kick tries again. */
  readonly onError?: (error: unknown) => void;
}

export class ConfirmationWorker {
  readonly #store: SandboxStore;
  readonly #connection: ProviderConnection;
  readonly #policy: RetryPolicy;
  readonly #concurrency: number;
  readonly #options: ConfirmationWorkerOptions;
  readonly #inFlight = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(store: SandboxStore, connection: ProviderConnection, options: ConfirmationWorkerOptions = {}) {
    this.#store = store;
    this.#connection = connection;
    this.#policy = options.policy ?? DEFAULT_RETRY_POLICY;
    if (!(this.#policy.baseDelayMs > 0) || !(this.#policy.maxDelayMs >= this.#policy.baseDelayMs) || !(this.#policy.jitter >= 0 && this.#policy.jitter <= 1)) {
      throw new RangeError("retry policy: baseDelayMs > 0, maxDelayMs >= baseDelayMs and 0 <= jitter <= 1 are required");
    }
    this.#concurrency = options.concurrency ?? 4;
    this.#options = options;
  }

  /** Sends whatever is due now (a new payment, a "retry now"), then sleeps until the next due one. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#pass !== undefined) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pass = this.#run()
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
      this.#pass = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      } else this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#stopped) return;
    const due = this.#store.nextDue();
    if (due === undefined) return;
    // setTimeout's limit is about 24.8 days; a later wake-up simply looks again.
    const wait = Math.min(Math.max(due.getTime() - Date.now(), 0), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.kick(), wait);
  }

  async #run(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      const due = this.#store.duePayments(new Date(), this.#concurrency + this.#inFlight.size).filter((p) => !this.#inFlight.has(p.paymentId)).slice(0, this.#concurrency);
      if (due.length === 0) return;
      await Promise.all(due.map((payment) => this.#attempt(payment)));
    }
  }

  async #attempt(payment: PaymentRecord): Promise<void> {
    this.#inFlight.add(payment.paymentId);
    const started = new Date();
    const clock = performance.now();
    try {
      let attempt: AttemptRecord;
      try {
        await this.#connection.confirmPayment(payment.confirmation);
        attempt = this.#store.recordAttempt(payment.paymentId, started, performance.now() - clock, { outcome: "confirmed" });
      } catch (error) {
        if (!(error instanceof ProviderCallError)) throw error;
        const problem = error.problem;
        const next = new Date(Date.now() + retryDelayMs(payment.attempts + 1, this.#policy, this.#options.random));
        attempt = this.#store.recordAttempt(payment.paymentId, started, performance.now() - clock, {
          outcome: problem.kind,
          ...(problem.kind === "fault" ? { faultCode: problem.code } : {}),
          message: problem.message,
          nextAttemptAt: next,
        });
      }
      this.#options.onAttempt?.(payment, attempt);
    } finally {
      this.#inFlight.delete(payment.paymentId);
    }
  }

  /** Stops scheduling, and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pass;
  }
}
