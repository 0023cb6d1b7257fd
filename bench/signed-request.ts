/**
 * The signed requests of the WS-Security benchmark (bench/signed.ts) and the checks on what the
 * servers answer.
 *
 * - {@link makePki}: a throwaway development PKI from `mpay-codegen certs` (CA, MPay, provider).
 * - {@link signPool}: N distinct GetOrderDetails(ORD-1001) requests signed as MPay signs them
 *   (BinarySecurityToken, Timestamp, Body and Timestamp referenced, RSA-SHA1, exclusive C14N),
 *   signed by our runtime in worker threads. Each has its own Ids and Timestamp, so its own
 *   SignatureValue: a server with a replay cache accepts each exactly once.
 * - {@link writePool} / {@link readPool}: the pool as two files (the bodies back to back, and
 *   their offsets), for the load generator's process.
 * - {@link verifySignedAnswer}: our verifier (runtime/src/security/verify.ts) on an answer,
 *   trusting only the provider certificate under the CA.
 * - {@link tamper}: a signed request with its Body changed after signing.
 */
import { availableParallelism } from "node:os";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { parseXml, readEnvelope } from "@mpay-kit/runtime";
import { loadCertificates, loadCredentials, signEnvelope, TrustStore, verifyEnvelope, type VerifiedSignature } from "@mpay-kit/runtime/security";
import { runToEnd } from "./lib/processes.ts";
import { REQUEST_BODY, REQUEST_HEADERS } from "./request.ts";

const root = resolve(import.meta.dirname, "..");

/** The HTTP headers of every signed request (those of the unsigned benchmark). */
export const SIGNED_REQUEST_HEADERS = REQUEST_HEADERS;

/** The files of a development PKI (PEM), as `mpay-codegen certs` names them. */
export interface Pki {
  readonly dir: string;
  readonly ca: string;
  readonly mpayCert: string;
  readonly mpayKey: string;
  readonly providerCert: string;
  readonly providerKey: string;
}

/** Writes a fresh development PKI into `dir` (which must not hold one) with our generator's `certs` command. */
export async function makePki(dir: string): Promise<Pki> {
  const { code, stderr, stdout } = await runToEnd(process.execPath, ["--conditions=mpay-kit-source", "generator/src/cli.ts", "certs", dir], { cwd: root, timeoutMs: 60_000 });
  if (code !== 0) throw new Error(`mpay-codegen certs ${dir} failed (exit ${code}): ${stderr}${stdout}`);
  return {
    dir,
    ca: join(dir, "ca.pem"),
    mpayCert: join(dir, "mpay.pem"),
    mpayKey: join(dir, "mpay-key.pem"),
    providerCert: join(dir, "provider.pem"),
    providerKey: join(dir, "provider-key.pem"),
  };
}

/** Signed request bodies back to back; body `i` is `bytes[offsets[i] .. offsets[i + 1])`. */
export interface RequestPool {
  readonly bytes: Buffer;
  readonly offsets: Uint32Array;
  /** When signing started (every Timestamp's Created is at or after it). */
  readonly signedAt: number;
}

export const poolSize = (pool: RequestPool): number => pool.offsets.length - 1;

export function poolBody(pool: RequestPool, i: number): Buffer {
  return pool.bytes.subarray(pool.offsets[i]!, pool.offsets[i + 1]!);
}

interface SignJob {
  readonly kind: "mpay-kit-bench-sign-pool";
  readonly mpayCert: string;
  readonly mpayKey: string;
  readonly count: number;
  readonly ttlSeconds: number;
}

/** Bodies made one by one, packed as one buffer and its offsets (what a signing worker sends back). */
export function packBodies(count: number, body: (i: number) => string): { bytes: Buffer; offsets: Uint32Array } {
  const parts: Buffer[] = [];
  const offsets = new Uint32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(body(i), "utf8");
    parts.push(bytes);
    at += bytes.length;
    offsets[i + 1] = at;
  }
  return { bytes: Buffer.concat(parts, at), offsets };
}

/** One worker's share: signs `count` requests and sends them back as one buffer and its offsets. */
function signShare(job: SignJob): { bytes: Buffer; offsets: Uint32Array } {
  const identity = loadCredentials({ cert: job.mpayCert, key: job.mpayKey });
  // As MPay signs: the certificate in a BinarySecurityToken, RSA-SHA1 (the contract's policy).
  return packBodies(job.count, () => signEnvelope(REQUEST_BODY, { identity, algorithm: "rsa-sha1", keyInfo: "bst", timestampSeconds: job.ttlSeconds }));
}

if (!isMainThread && (workerData as Partial<SignJob> | null)?.kind === "mpay-kit-bench-sign-pool") {
  const share = signShare(workerData as SignJob);
  // Copied into the message (Buffer.concat may return a view of a shared pool, which cannot be transferred).
  parentPort!.postMessage({ bytes: new Uint8Array(share.bytes), offsets: share.offsets });
}

/**
 * Signs `count` distinct requests with MPay's key in `threads` worker threads (default: one per
 * CPU). Timestamps last `ttlSeconds` (Expires); servers also refuse a Created older than their
 * maximum age (ours: 300 s), so use the pool within a few minutes.
 */
export async function signPool(pki: Pki, count: number, options: { readonly ttlSeconds: number; readonly threads?: number }): Promise<RequestPool> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), count));
  const signedAt = Date.now();
  const jobs = Array.from({ length: threads }, (_, t): SignJob => {
    const share = Math.floor(count / threads) + (t < count % threads ? 1 : 0);
    return { kind: "mpay-kit-bench-sign-pool", mpayCert: pki.mpayCert, mpayKey: pki.mpayKey, count: share, ttlSeconds: options.ttlSeconds };
  });
  return poolFromWorkers(new URL(import.meta.url), jobs, signedAt);
}

/**
 * Runs one worker thread per job on the module at `moduleUrl` (whose worker code answers with
 * `{ bytes, offsets }`, see {@link packBodies}) and joins the shares, in job order, into one pool.
 */
export async function poolFromWorkers(moduleUrl: URL, jobs: readonly object[], signedAt: number): Promise<RequestPool> {
  const shares = await Promise.all(
    jobs.map(
      (job) =>
        new Promise<{ bytes: Uint8Array; offsets: Uint32Array }>((resolvePromise, reject) => {
          const worker = new Worker(moduleUrl, { workerData: job, execArgv: ["--conditions=mpay-kit-source"] });
          worker.once("message", (m: { bytes: Uint8Array; offsets: Uint32Array }) => resolvePromise(m));
          worker.once("error", reject);
          worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`a signing worker exited with code ${code}`))));
        }),
    ),
  );
  const total = shares.reduce((n, s) => n + s.bytes.length, 0);
  const bytes = Buffer.concat(
    shares.map((s) => s.bytes),
    total,
  );
  const offsets = new Uint32Array(shares.reduce((n, s) => n + s.offsets.length - 1, 0) + 1);
  let i = 0;
  let base = 0;
  for (const s of shares) {
    for (let k = 1; k < s.offsets.length; k++) offsets[++i] = base + s.offsets[k]!;
    base += s.bytes.length;
  }
  return { bytes, offsets, signedAt };
}

/** Writes the pool as `<dir>/pool.bin` (bodies) and `<dir>/pool.idx` (offsets, little-endian u32). */
export function writePool(dir: string, pool: RequestPool): { bodies: string; index: string } {
  const bodies = join(dir, "pool.bin");
  const index = join(dir, "pool.idx");
  writeFileSync(bodies, pool.bytes);
  writeFileSync(index, new Uint8Array(pool.offsets.buffer, pool.offsets.byteOffset, pool.offsets.byteLength));
  return { bodies, index };
}

export function readPool(files: { readonly bodies: string; readonly index: string }, signedAt: number): RequestPool {
  const bytes = readFileSync(files.bodies);
  const raw = readFileSync(files.index);
  const offsets = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  if (offsets.length < 2 || offsets[offsets.length - 1] !== bytes.length) throw new Error(`${files.index} does not index ${files.bodies}`);
  return { bytes, offsets, signedAt };
}

/**
 * Verifies a signed answer with our verifier: the signer must be the provider certificate,
 * chained to the CA; the Body and the Timestamp must be signed; the Timestamp fresh.
 * @throws SignatureRejected (or a parse error) when it is not.
 */
export function verifySignedAnswer(text: string, pki: Pki): VerifiedSignature {
  const document = parseXml(text);
  const envelope = readEnvelope(document);
  const provider = loadCertificates(pki.providerCert);
  const trust = new TrustStore({ anchors: loadCertificates(pki.ca), peers: provider, pins: provider });
  return verifyEnvelope(document, envelope, { trust });
}

/** The request with its order key changed after signing: the Body's digest no longer matches. */
export function tamper(body: string): string {
  const changed = body.replace("<OrderKey>ORD-1001</OrderKey>", "<OrderKey>ORD-1002</OrderKey>");
  if (changed === body) throw new Error("tamper: the request holds no <OrderKey>ORD-1001</OrderKey>");
  return changed;
}
