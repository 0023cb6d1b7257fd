/** Response-time samples of a load run, and their summary (shared by bench/load.ts and bench/signed-load.ts). */

/** Latency percentiles in fractional milliseconds. */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Response times of 2xx answers, in a growing typed array. */
export class Samples {
  #data: Float64Array;
  #length = 0;
  /** @param capacity initial room; it doubles as needed. */
  constructor(capacity = 1 << 16) {
    this.#data = new Float64Array(capacity);
  }
  add(ms: number): void {
    if (this.#length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#length++] = ms;
  }
  summary(): LatencySummary {
    const sorted = this.#data.subarray(0, this.#length).sort();
    const n = sorted.length;
    if (n === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
    const at = (q: number) => sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i]!;
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[n - 1]!), mean: round(sum / n) };
  }
}
