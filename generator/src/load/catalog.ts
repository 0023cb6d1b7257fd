/**
 * A catalog maps absolute import URLs to local files, because the generator never fetches
 * anything over the network (real WCF WSDLs import their schemas through `http://` URLs that
 * often no longer resolve).
 *
 * Format (JSON), paths relative to the catalog file:
 *
 * ```json
 * {
 *   "map": { "http://example.org/schemas/order.xsd": "./order.xsd" },
 *   "rewrite": [ { "prefix": "http://example.org/schemas/", "to": "./schemas/" } ]
 * }
 * ```
 *
 * An exact `map` entry wins; otherwise the longest matching `rewrite` prefix is replaced by `to`
 * (plain concatenation, as XML catalogs' `rewriteURI` does; end `to` with `/` for a folder).
 */
import { dirname, resolve } from "node:path";

export interface Catalog {
  /** Display path of the catalog file, for diagnostics. */
  readonly display: string;
  readonly map: ReadonlyMap<string, string>;
  /** Sorted longest prefix first. */
  readonly rewrite: readonly { readonly prefix: string; readonly to: string }[];
}

/** Parses a catalog file; returns an error text instead of throwing. Local paths become absolute. */
export function parseCatalog(text: string, path: string, display: string): Catalog | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `invalid catalog: not valid JSON (${(e as Error).message})` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { error: "invalid catalog: must be a JSON object with \"map\" and/or \"rewrite\"" };
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== "map" && k !== "rewrite") return { error: `invalid catalog: unknown key ${JSON.stringify(k)}; known keys: map, rewrite` };
  }
  const base = dirname(path);
  const map = new Map<string, string>();
  if (o["map"] !== undefined) {
    const m = o["map"];
    if (typeof m !== "object" || m === null || Array.isArray(m)) return { error: "invalid catalog: \"map\" must be an object of URL → file" };
    for (const [url, file] of Object.entries(m)) {
      if (typeof file !== "string" || file === "") return { error: `invalid catalog: map entry ${JSON.stringify(url)} must be a file path` };
      map.set(url, resolve(base, file));
    }
  }
  const rewrite: { prefix: string; to: string }[] = [];
  if (o["rewrite"] !== undefined) {
    const r = o["rewrite"];
    if (!Array.isArray(r)) return { error: "invalid catalog: \"rewrite\" must be an array of { prefix, to }" };
    for (const [i, entry] of r.entries()) {
      const e = entry as Record<string, unknown> | null;
      if (typeof e !== "object" || e === null || typeof e["prefix"] !== "string" || typeof e["to"] !== "string" || e["prefix"] === "") {
        return { error: `invalid catalog: rewrite[${i}] must be { "prefix": "<url prefix>", "to": "<local folder>" }` };
      }
      const to = e["to"];
      // Keep a trailing separator: the rest of the URL is appended to it.
      rewrite.push({ prefix: e["prefix"], to: resolve(base, to) + (/[\\/]$/.test(to) || to === "" || to === "." ? "/" : "") });
    }
  }
  rewrite.sort((a, b) => b.prefix.length - a.prefix.length || (a.prefix < b.prefix ? -1 : 1));
  return { display, map, rewrite };
}

/** The local file for an absolute URL, or `undefined` when the catalog does not map it. */
export function lookupCatalog(catalog: Catalog | undefined, url: string): string | undefined {
  if (catalog === undefined) return undefined;
  const exact = catalog.map.get(url);
  if (exact !== undefined) return exact;
  for (const { prefix, to } of catalog.rewrite) {
    if (url.startsWith(prefix)) {
      const rest = url.slice(prefix.length).replace(/[?#].*$/, "");
      let decoded = rest;
      try {
        decoded = decodeURIComponent(rest);
      } catch {
        // keep the raw text
      }
      // XML catalog rewriteURI semantics: plain concatenation (`to` keeps its trailing slash).
      return resolve(to + decoded);
    }
  }
  return undefined;
}
