/**
 * The one request the benchmarks send outside the load generator: a check before measuring.
 */
import { request } from "node:http";

/** One POST on a fresh connection (no agent), with a 10 s bound; resolves with the status and the body as text. */
export function postOnce(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<{ status: number; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on("error", reject);
    req.end(body);
  });
}
