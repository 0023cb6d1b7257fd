/**
 * The signed ConfirmOrderPayment deliveries of the confirmations benchmark (bench/confirmations.ts).
 *
 * - {@link deliveryPlan}: which payment pool body `i` delivers, and whether it is its first
 *   delivery or a repeat: body `2j` is the first delivery of payment `j`, body `2j + 1` a repeat
 *   of payment `⌊j / 2⌋` (already delivered, by then usually long confirmed; at the very start
 *   possibly still in flight on another connection, as MPay's retries may be). So half the
 *   deliveries are first ones, half repeats.
 * - {@link writeBenchOrders}: the orders file the provider loads: one order per payment (each
 *   payment pays its order in full), and a few for the checks.
 * - {@link signConfirmationPool}: the pool signed as MPay signs (BinarySecurityToken, Timestamp,
 *   RSA-SHA1, exclusive C14N) in worker threads; every body is signed anew, repeats included
 *   (MPay signs each retry: its own Timestamp and SignatureValue), so a server's replay cache
 *   accepts each once. The pool is bench/signed-request.ts's format, for bench/signed-load.ts.
 */
import { availableParallelism } from "node:os";
import { writeFileSync } from "node:fs";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { encodeElementToString, writeEnvelope } from "@mpay-kit/runtime";
import { loadCredentials, signEnvelope } from "@mpay-kit/runtime/security";
import { ServiceProviderService, type OrderDetails, type PaymentConfirmation } from "@mpay-kit/mpay-service-provider";
import { packBodies, poolFromWorkers, type Pki, type RequestPool } from "./signed-request.ts";

export const BENCH_SERVICE_ID = "DEMO01";
/** What each order asks and each payment pays. */
export const BENCH_AMOUNT = "100.00";

/** The HTTP headers of every delivery. */
export const CONFIRM_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/xml; charset=utf-8",
  soapaction: '"https://mpay.gov.md/IServiceProvider/ConfirmOrderPayment"',
};

/** Pool body `i`: the payment it delivers and whether it is a repeat. */
export function deliveryPlan(i: number): { readonly payment: number; readonly repeat: boolean } {
  const j = i >> 1;
  return i % 2 === 0 ? { payment: j, repeat: false } : { payment: j >> 1, repeat: true };
}

/** Payments a pool of `size` bodies pays (one order each). */
export const paymentsIn = (size: number): number => (size + 1) >> 1;

export const benchOrderKey = (payment: number) => `BENCH-${String(payment).padStart(7, "0")}`;
export const checkOrderKey = (n: number) => `CHECK-${n}`;

/** The confirmation of payment `payment` (or of check order `check`): the same content on every delivery. */
export function benchConfirmation(payment: number, runId: string, check = false): PaymentConfirmation {
  return {
    Currency: "MDL",
    Lines: [{ Amount: BENCH_AMOUNT, LineID: "L1" }],
    OrderKey: check ? checkOrderKey(payment) : benchOrderKey(payment),
    PaidAt: "2025-07-10T10:51:23",
    PaymentID: `${runId}-${check ? "check" : "p"}-${payment}`,
    ServiceID: BENCH_SERVICE_ID,
    TotalAmount: BENCH_AMOUNT,
  };
}

/** Writes the orders file: `payments` bench orders and `checks` check orders, all Active, 100.00 due. */
export function writeBenchOrders(file: string, payments: number, checks: number): void {
  const account = { BankAccount: "MD77TRGAAA14153401000000", BankCode: "TREZMD2X", BankFiscalCode: "1006601000255", BeneficiaryName: "Agenția Servicii Publice" };
  const order = (orderKey: string): OrderDetails => ({
    Currency: "MDL",
    CustomerID: "2006022048426",
    CustomerName: "Ion Popescu",
    CustomerType: "Person",
    Lines: [{ AmountDue: BENCH_AMOUNT, DestinationAccount: account, LineID: "L1", Reason: "Taxa de stat" }],
    OrderKey: orderKey,
    Reason: "Benchmark",
    ServiceID: BENCH_SERVICE_ID,
    Status: "Active",
    TotalAmountDue: BENCH_AMOUNT,
  });
  const orders = [...Array.from({ length: payments }, (_, p) => order(benchOrderKey(p))), ...Array.from({ length: checks }, (_, n) => order(checkOrderKey(n)))];
  writeFileSync(file, JSON.stringify(orders));
}

/** A ConfirmOrderPayment envelope for `confirmation`, signed by MPay's key as MPay signs. */
export function signedConfirmation(confirmation: PaymentConfirmation, identity: ReturnType<typeof loadCredentials>, ttlSeconds: number): string {
  const envelope = writeEnvelope(encodeElementToString(ServiceProviderService.operations.ConfirmOrderPayment.input, { confirmation }));
  return signEnvelope(envelope, { identity, algorithm: "rsa-sha1", keyInfo: "bst", timestampSeconds: ttlSeconds });
}

interface SignJob {
  readonly kind: "mpay-kit-bench-sign-confirmations";
  readonly mpayCert: string;
  readonly mpayKey: string;
  readonly runId: string;
  readonly from: number;
  readonly to: number;
  readonly ttlSeconds: number;
}

function signShare(job: SignJob): { bytes: Buffer; offsets: Uint32Array } {
  const identity = loadCredentials({ cert: job.mpayCert, key: job.mpayKey });
  return packBodies(job.to - job.from, (k) => signedConfirmation(benchConfirmation(deliveryPlan(job.from + k).payment, job.runId), identity, job.ttlSeconds));
}

if (!isMainThread && (workerData as Partial<SignJob> | null)?.kind === "mpay-kit-bench-sign-confirmations") {
  const share = signShare(workerData as SignJob);
  parentPort!.postMessage({ bytes: new Uint8Array(share.bytes), offsets: share.offsets });
}

/** Signs the pool of `size` deliveries of run `runId` in worker threads (default one per CPU), in plan order. */
export async function signConfirmationPool(pki: Pki, runId: string, size: number, options: { readonly ttlSeconds: number; readonly threads?: number }): Promise<RequestPool> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), size));
  const signedAt = Date.now();
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((size * t) / threads));
  const jobs = Array.from({ length: threads }, (_, t): SignJob => ({ kind: "mpay-kit-bench-sign-confirmations", mpayCert: pki.mpayCert, mpayKey: pki.mpayKey, runId, from: bounds[t]!, to: bounds[t + 1]!, ttlSeconds: options.ttlSeconds }));
  return poolFromWorkers(new URL(import.meta.url), jobs, signedAt);
}
