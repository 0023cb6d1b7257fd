/** Command-line helpers shared by the benchmark runners. */

/** A numeric option within [min, max]; anything else ends the process with a usage error (exit 2). */
export function numberOption(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    process.stderr.write(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}
