/**
 * Replay detection: a signature value accepted once is refused if it comes again before the
 * message it signed expires. Kept in memory per process; a cluster of servers needs a shared
 * store (implement {@link ReplayCache} over it).
 */

/** Remembers accepted signature values until their messages expire. */
export interface ReplayCache {
  /**
   * Records `signatureValue` as seen until `until`. Returns `false` when it was already seen
   * and has not expired: the message is a replay.
   */
  remember(signatureValue: string, until: Date, now: Date): boolean;
}

/**
 * An in-memory {@link ReplayCache} bounded in size. When full, it refuses new entries rather
 * than forgetting live ones (forgetting would reopen the replay window): the caller gets a
 * `false`, which rejects the message, fail closed.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #maxEntries: number;
  #nextSweep = 0;

  /** @param maxEntries live signatures kept at most (default 1,000,000: about 200 MB at worst). */
  constructor(maxEntries = 1_000_000) {
    this.#maxEntries = maxEntries;
  }

  remember(signatureValue: string, until: Date, now: Date): boolean {
    const t = now.getTime();
    const seenUntil = this.#seen.get(signatureValue);
    if (seenUntil !== undefined && seenUntil > t) return false;
    if (t >= this.#nextSweep) this.#sweep(t);
    if (this.#seen.size >= this.#maxEntries) return false;
    this.#seen.set(signatureValue, until.getTime());
    return true;
  }

  /** Live entries (for monitoring). */
  get size(): number {
    return this.#seen.size;
  }

  #sweep(t: number): void {
    for (const [value, until] of this.#seen) if (until <= t) this.#seen.delete(value);
    // At most once a second, so a full cache cannot make every request pay for a sweep.
    this.#nextSweep = t + 1_000;
  }
}
