/**
 * The kept evidence of a payment, out of the ledger and checked again later.
 *
 * An export is one folder per payment:
 *   request.xml        the exact bytes MPay sent (the signed SOAP message), unchanged
 *   signer.pem         the signer's certificate as verified when the request arrived (if signed)
 *   evidence.json      what the ledger recorded: PaymentID, content, times, deliveries, SHA-256 of request.xml
 *   conflict-N.request.xml / conflict-N.signer.pem   refused deliveries of the same PaymentID with other content
 *
 * Re-verification runs the runtime's own verifier (`verifyEnvelope`) over the stored bytes with the
 * clock set to the time the request was received, so that the signature's freshness and the
 * certificate's validity are judged as they were then, not now; then it checks that the signer is
 * the recorded one and that the signed Body is the recorded payment.
 */
import { createHash, X509Certificate } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { decodeElement, parseXml, readEnvelope } from "@mpay-kit/runtime";
import { SignatureRejected, TrustStore, verifyEnvelope, type SignatureAlgorithm, type TimestampRules } from "@mpay-kit/runtime/security";
import { ServiceProviderService, type ConfirmOrderPayment } from "@mpay-kit/mpay-service-provider";
import { paymentContent, serializeContent } from "./content.ts";
import type { PaymentLedger } from "./ledger.ts";

/** Version tag of `evidence.json`. */
export const EVIDENCE_FORMAT = "mpay-kit/payment-evidence/1";

/** The contents of `evidence.json`. */
export interface EvidenceRecord {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly paymentId: string;
  readonly serviceId: string;
  readonly orderKey: string;
  readonly currency: string;
  readonly totalAmount: string;
  /** The canonical content the ledger compares deliveries by (see content.ts). */
  readonly content: string;
  readonly firstReceivedAt: string;
  readonly lastReceivedAt: string;
  readonly deliveries: number;
  /** SHA-256 (hex) of request.xml. */
  readonly requestSha256: string;
  readonly signer: { readonly subject: string; readonly serialNumber: string; readonly fingerprint256: string } | null;
  readonly conflicts: readonly { readonly receivedAt: string; readonly difference: string; readonly request: string; readonly signer: string | null; readonly requestSha256: string }[];
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function pem(der: Uint8Array): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** A folder name for a PaymentID: as it is when it is a plain name, else made safe and kept unique. */
export function evidenceFolderName(paymentId: string): string {
  const safe = paymentId.replace(/[^A-Za-z0-9._-]/g, "_");
  if (safe === paymentId && safe !== "." && safe !== ".." && safe !== "") return safe;
  return `${safe.slice(0, 80)}-${sha256(Buffer.from(paymentId, "utf8")).slice(0, 12)}`;
}

/**
 * Writes the evidence of one recorded payment into `<outDir>/<PaymentID>/`.
 * @returns the folder written
 * @throws Error when the ledger has no such payment
 */
export async function exportEvidence(ledger: PaymentLedger<unknown>, paymentId: string, outDir: string): Promise<string> {
  const payment = await ledger.payment(paymentId);
  if (payment === undefined) throw new Error(`no payment ${JSON.stringify(paymentId)} is recorded`);
  const conflicts = await ledger.conflicts(paymentId);
  const dir = join(outDir, evidenceFolderName(paymentId));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "request.xml"), payment.request);
  let signer: EvidenceRecord["signer"] = null;
  if (payment.signerCertificate !== undefined) {
    const certificate = new X509Certificate(payment.signerCertificate);
    signer = { subject: certificate.subject, serialNumber: certificate.serialNumber, fingerprint256: certificate.fingerprint256 };
    await writeFile(join(dir, "signer.pem"), pem(payment.signerCertificate));
  }
  const conflictFiles: EvidenceRecord["conflicts"][number][] = [];
  for (const [i, conflict] of conflicts.entries()) {
    const request = `conflict-${i + 1}.request.xml`;
    await writeFile(join(dir, request), conflict.request);
    let signerFile: string | null = null;
    if (conflict.signerCertificate !== undefined) {
      signerFile = `conflict-${i + 1}.signer.pem`;
      await writeFile(join(dir, signerFile), pem(conflict.signerCertificate));
    }
    conflictFiles.push({ receivedAt: conflict.receivedAt.toISOString(), difference: conflict.difference, request, signer: signerFile, requestSha256: sha256(conflict.request) });
  }
  const record: EvidenceRecord = {
    format: EVIDENCE_FORMAT,
    paymentId: payment.paymentId,
    serviceId: payment.serviceId,
    orderKey: payment.orderKey,
    currency: payment.currency,
    totalAmount: payment.totalAmount,
    content: serializeContent(payment.content),
    firstReceivedAt: payment.firstReceivedAt.toISOString(),
    lastReceivedAt: payment.lastReceivedAt.toISOString(),
    deliveries: payment.deliveries,
    requestSha256: sha256(payment.request),
    signer,
    conflicts: conflictFiles,
  };
  await writeFile(join(dir, "evidence.json"), `${JSON.stringify(record, null, 2)}\n`);
  return dir;
}

/** What the evidence is checked against. */
export interface EvidenceCheckOptions {
  /** Trust anchors (CA certificates) the signer must chain to, as on the day it was received. */
  readonly anchors: readonly X509Certificate[];
  /** When given, the signer must also be one of these (MPay's certificate). */
  readonly pins?: readonly X509Certificate[];
  /** Intermediate CA certificates. */
  readonly intermediates?: readonly X509Certificate[];
  /** Freshness rules applied at the time received (default the runtime's: 300 s age, 60 s skew). */
  readonly timestamp?: TimestampRules;
  /** Accepted signature algorithms (default both families). */
  readonly algorithms?: readonly SignatureAlgorithm[];
}

/** One piece of evidence to check. */
export interface EvidenceToCheck {
  readonly request: Uint8Array;
  /** When it was received: the verifier's clock. */
  readonly receivedAt: Date;
  /** The signer recorded with it (needed when the message names its key without carrying the certificate). */
  readonly signer?: X509Certificate | undefined;
  /** The PaymentID and canonical content recorded with it; the signed Body must say the same. */
  readonly paymentId?: string | undefined;
  readonly content?: string | undefined;
  /** SHA-256 (hex) recorded for the request bytes: the file must not have changed since the export. */
  readonly requestSha256?: string | undefined;
}

/** The verdict: `holds` only when every check passed. */
export interface EvidenceVerdict {
  readonly holds: boolean;
  /** Each check, in order, with what it found. */
  readonly checks: readonly { readonly check: string; readonly ok: boolean; readonly detail: string }[];
  /** The verified signer (when the signature verified). */
  readonly signer: X509Certificate | undefined;
  /** The PaymentID in the signed Body (when it could be read). */
  readonly paymentId: string | undefined;
}

/** Checks kept evidence again: signature, freshness and trust at the time received, signer, content. */
export function verifyEvidence(evidence: EvidenceToCheck, options: EvidenceCheckOptions): EvidenceVerdict {
  const checks: { check: string; ok: boolean; detail: string }[] = [];
  const verdict = (signer?: X509Certificate, paymentId?: string): EvidenceVerdict => ({ holds: checks.every((c) => c.ok), checks, signer, paymentId });
  if (evidence.requestSha256 !== undefined) {
    const actual = sha256(evidence.request);
    checks.push({ check: "bytes", ok: actual === evidence.requestSha256.toLowerCase(), detail: actual === evidence.requestSha256.toLowerCase() ? `SHA-256 ${actual} as recorded` : `SHA-256 ${actual}, recorded ${evidence.requestSha256}: the file changed after the export` });
  }
  let document;
  let envelope;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(evidence.request);
    document = parseXml(text, { processingInstructions: "refuse" });
    envelope = readEnvelope(document);
  } catch (error) {
    checks.push({ check: "message", ok: false, detail: `not a readable SOAP envelope: ${(error as Error).message}` });
    return verdict();
  }
  const trust = new TrustStore({
    anchors: options.anchors,
    ...(options.intermediates === undefined ? {} : { intermediates: options.intermediates }),
    ...(evidence.signer === undefined ? {} : { peers: [evidence.signer] }),
    ...(options.pins === undefined || options.pins.length === 0 ? {} : { pins: options.pins }),
  });
  let signer: X509Certificate;
  try {
    const verified = verifyEnvelope(document, envelope, {
      trust,
      now: () => evidence.receivedAt,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      ...(options.algorithms === undefined ? {} : { algorithms: options.algorithms }),
    });
    signer = verified.signer;
    const stamp = verified.timestamp === undefined ? "no Timestamp" : `Timestamp ${verified.timestamp.created} to ${verified.timestamp.expires ?? "(no Expires)"}`;
    checks.push({ check: "signature", ok: true, detail: `valid ${verified.algorithm} signature over the Body and Timestamp, by ${signer.subject.replaceAll("\n", ", ")}, trusted at ${evidence.receivedAt.toISOString()}; ${stamp}` });
  } catch (error) {
    if (!(error instanceof SignatureRejected)) throw error;
    checks.push({ check: "signature", ok: false, detail: `refused (${error.reason}): ${error.message}` });
    return verdict();
  }
  if (evidence.signer !== undefined) {
    const same = Buffer.from(signer.raw).equals(Buffer.from(evidence.signer.raw));
    checks.push({ check: "signer", ok: same, detail: same ? `the recorded certificate (SHA-256 ${signer.fingerprint256})` : `signed by ${signer.fingerprint256}, but ${evidence.signer.fingerprint256} was recorded` });
  }
  let paymentId: string | undefined;
  try {
    const operation = ServiceProviderService.operations.ConfirmOrderPayment;
    if (envelope.payload === undefined) throw new Error("the Body is empty");
    const input = decodeElement<ConfirmOrderPayment>(envelope.payload, operation.input);
    if (input.confirmation === undefined) throw new Error("the request holds no confirmation");
    paymentId = input.confirmation.PaymentID;
    const content = serializeContent(paymentContent(input.confirmation));
    const problems: string[] = [];
    if (evidence.paymentId !== undefined && evidence.paymentId !== paymentId) problems.push(`PaymentID ${paymentId}, recorded ${evidence.paymentId}`);
    if (evidence.content !== undefined && evidence.content !== content) problems.push(`content ${content}, recorded ${evidence.content}`);
    checks.push({ check: "content", ok: problems.length === 0, detail: problems.length === 0 ? `the signed Body confirms payment ${paymentId} with the recorded content` : `the signed Body says ${problems.join("; ")}` });
  } catch (error) {
    checks.push({ check: "content", ok: false, detail: `the signed Body is not a ConfirmOrderPayment request: ${(error as Error).message}` });
  }
  return verdict(signer, paymentId);
}

/**
 * Checks an exported folder (or its `request.xml`, or a bare request file with `receivedAt`).
 * @param path a folder written by {@link exportEvidence}, a file in it, or any saved request
 * @param receivedAt required for a bare request without `evidence.json` beside it
 */
export async function verifyEvidenceFiles(path: string, options: EvidenceCheckOptions & { readonly receivedAt?: Date; readonly signer?: X509Certificate }): Promise<EvidenceVerdict & { readonly record: EvidenceRecord | undefined }> {
  const isDir = (await stat(path)).isDirectory();
  const dir = isDir ? path : dirname(path);
  const requestPath = isDir ? join(path, "request.xml") : path;
  let record: EvidenceRecord | undefined;
  const recordText = await readFile(join(dir, "evidence.json"), "utf8").catch(() => undefined);
  // A bare request file (not the exported request.xml) is checked on its own.
  if (recordText !== undefined && (isDir || basename(path) === "request.xml" || basename(path) === "evidence.json")) {
    const parsed = JSON.parse(recordText) as EvidenceRecord;
    if (parsed.format !== EVIDENCE_FORMAT) throw new Error(`${join(dir, "evidence.json")} is not ${EVIDENCE_FORMAT} evidence`);
    record = parsed;
  }
  const request = await readFile(record === undefined ? requestPath : join(dir, "request.xml"));
  let signer = options.signer;
  if (signer === undefined && record?.signer != null) signer = new X509Certificate(await readFile(join(dir, "signer.pem")));
  const receivedAt = options.receivedAt ?? (record === undefined ? undefined : new Date(record.firstReceivedAt));
  if (receivedAt === undefined) throw new Error(`${path}: no evidence.json beside it, so give the time the request was received`);
  const verdict = verifyEvidence(
    {
      request,
      receivedAt,
      signer,
      paymentId: record?.paymentId,
      content: record?.content,
      requestSha256: record?.requestSha256,
    },
    options,
  );
  return { ...verdict, record };
}
