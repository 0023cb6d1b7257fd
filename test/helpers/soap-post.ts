/**
 * Sending raw (possibly hostile) SOAP requests to a running endpoint and reading the answer:
 * HTTP status, whether it is a SOAP fault, the fault code resolved to its namespace (never by
 * prefix), and whether the answer carries a WS-Security header.
 */
import { request } from "node:http";
import type { Readable } from "node:stream";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { readEnvelope } from "../../runtime/src/soap/envelope.ts";
import { inScopePrefixes, textOf } from "../../runtime/src/security/tree.ts";
import { SOAP_NS, WSSE_NS } from "./wssec-forge.ts";

export interface PostOptions {
  /** The SOAPAction header value, without quotes (default: none sent). */
  readonly soapAction?: string;
  readonly contentType?: string;
  readonly timeoutMs?: number;
}

/** A SOAP fault's code as `{namespace}local`, and its reason. */
export interface FaultSeen {
  readonly namespace: string;
  readonly code: string;
  readonly reason: string;
}

export interface SoapAnswer {
  readonly status: number;
  readonly text: string;
  /** The fault, when the Body holds a `soap:Fault`. */
  readonly fault: FaultSeen | undefined;
  /** Whether the answer has a `wsse:Security` header block. */
  readonly signed: boolean;
  /** The Body's element, as `{namespace}local` (undefined for an empty or unreadable answer). */
  readonly payload: string | undefined;
  /** Milliseconds from sending to the end of the answer. */
  readonly elapsedMs: number;
}

/**
 * POSTs `body` as is and resolves with the answer. A server that answers before reading all of a
 * large body (413) and closes the connection still yields its answer: write errors after the
 * response started are ignored.
 */
export function postSoap(url: string, body: string | Uint8Array, options: PostOptions = {}): Promise<SoapAnswer> {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": options.contentType ?? "text/xml; charset=utf-8",
          "content-length": String(bytes.length),
          ...(options.soapAction === undefined ? {} : { soapaction: `"${options.soapAction}"` }),
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => resolve(readAnswer(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"), performance.now() - started)));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 10_000} ms`)));
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.end(bytes);
  });
}

/** Reads an HTTP answer as a SOAP 1.1 envelope (a non-SOAP answer yields no fault and no payload). */
export function readAnswer(status: number, text: string, elapsedMs = 0): SoapAnswer {
  let fault: FaultSeen | undefined;
  let signed = false;
  let payload: string | undefined;
  try {
    const envelope = readEnvelope(parseXml(text));
    signed = envelope.headers.some((h) => h.ns === WSSE_NS && h.local === "Security");
    const p = envelope.payload;
    if (p !== undefined) {
      payload = `{${p.ns}}${p.local}`;
      if (p.ns === SOAP_NS && p.local === "Fault") {
        const codeEl = p.children.find((c) => c.kind === "element" && c.ns === "" && c.local === "faultcode");
        const reasonEl = p.children.find((c) => c.kind === "element" && c.ns === "" && c.local === "faultstring");
        const qname = codeEl?.kind === "element" ? textOf(codeEl).trim() : "";
        const colon = qname.indexOf(":");
        const prefix = colon < 0 ? "" : qname.slice(0, colon);
        const namespace = codeEl?.kind === "element" ? (prefix === "" ? "" : inScopePrefixes(codeEl).get(prefix) ?? `(undeclared prefix ${prefix})`) : "";
        fault = { namespace, code: qname.slice(colon + 1), reason: reasonEl?.kind === "element" ? textOf(reasonEl) : "" };
      }
    }
  } catch {
    // Not a SOAP envelope: the caller sees status and text.
  }
  return { status, text, fault, signed, payload, elapsedMs };
}

/** Collects the lines a child process writes to a stream (e.g. the provider's stderr log). */
export class LineLog {
  readonly #lines: string[] = [];
  #partial = "";
  readonly #waiters = new Set<() => void>();

  constructor(stream: Readable) {
    stream.on("data", (chunk: Buffer) => {
      const parts = (this.#partial + chunk.toString("utf8")).split("\n");
      this.#partial = parts.pop() ?? "";
      this.#lines.push(...parts);
      for (const wake of this.#waiters) wake();
    });
  }

  /** A position: lines written after it are {@link since} it. */
  mark(): number {
    return this.#lines.length;
  }

  since(mark: number): string[] {
    return this.#lines.slice(mark);
  }

  /** The first line after `mark` matching `pattern`, waiting up to `timeoutMs` for it; undefined if none came. */
  async waitFor(pattern: RegExp, mark: number, timeoutMs = 2000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.since(mark).find((l) => pattern.test(l));
      if (line !== undefined || Date.now() >= deadline) return line;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        this.#waiters.add(wake);
      });
    }
  }
}
