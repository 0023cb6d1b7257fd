#!/usr/bin/env node
/**
 * `mpay-evidence`: export the kept evidence of payments and check it again later.
 *
 *   node --conditions=mpay-kit-source provider/src/store/cli.ts export --db <file.db | postgres://…> --out <dir> [--payment <id>]… [--schema <name>]
 *   node --conditions=mpay-kit-source provider/src/store/cli.ts verify <dir | request.xml> --trust <ca.pem> [--pin <mpay.pem>] [--received-at <ISO time>] [--signer <cert.pem>]
 *
 * Exit codes: 0 done / the evidence holds; 1 the evidence does not hold; 2 usage; 3 cannot read the
 * store or the files.
 */
import { X509Certificate } from "node:crypto";
import { parseArgs } from "node:util";
import { loadCertificates } from "@mpay-kit/runtime/security";
import { openPaymentLedger } from "./open.ts";
import { exportEvidence, verifyEvidenceFiles } from "./evidence.ts";

const USAGE = `usage:
  mpay-evidence export --db <file.db | postgres://...> --out <dir> [--payment <PaymentID>]... [--schema <name>]
      writes <dir>/<PaymentID>/ with request.xml (the exact signed bytes), signer.pem, evidence.json;
      every recorded payment when no --payment is given
  mpay-evidence verify <dir | request.xml> --trust <ca.pem> [--pin <mpay.pem>] [--intermediate <ca.pem>]
                       [--received-at <ISO time>] [--signer <cert.pem>] [--max-age <seconds>]
      checks the signature again with the runtime's verifier, with the clock at the time received
      (from evidence.json, or --received-at for a bare request), then the signer and the content;
      exit 0 when the evidence holds, 1 when it does not
`;

class UsageError extends Error {}

async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: "string" }, out: { type: "string" }, payment: { type: "string", multiple: true }, schema: { type: "string" } },
  });
  if (values.db === undefined) throw new UsageError("export needs --db <file.db | postgres://...>");
  if (values.out === undefined) throw new UsageError("export needs --out <dir>");
  const ledger = await openPaymentLedger(values.db, values.schema === undefined ? {} : { schema: values.schema });
  try {
    const ids = values.payment ?? (await ledger.paymentIds());
    let missing = 0;
    for (const id of ids) {
      try {
        const dir = await exportEvidence(ledger, id, values.out);
        process.stdout.write(`${id}\t${dir}\n`);
      } catch (error) {
        missing++;
        process.stderr.write(`mpay-evidence: ${(error as Error).message}\n`);
      }
    }
    process.stderr.write(`mpay-evidence: exported ${ids.length - missing} of ${ids.length} payment(s) to ${values.out}\n`);
    return missing === 0 ? 0 : 3;
  } finally {
    await ledger.close();
  }
}

async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: "string", multiple: true },
      pin: { type: "string", multiple: true },
      intermediate: { type: "string", multiple: true },
      "received-at": { type: "string" },
      signer: { type: "string" },
      "max-age": { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("verify takes one folder or request file");
  if (values.trust === undefined) throw new UsageError("verify needs --trust <ca.pem>: the anchors MPay's certificate chained to when the request was received");
  let receivedAt: Date | undefined;
  if (values["received-at"] !== undefined) {
    receivedAt = new Date(values["received-at"]);
    if (Number.isNaN(receivedAt.getTime())) throw new UsageError(`--received-at ${JSON.stringify(values["received-at"])} is not a date-time`);
  }
  let maxAge: number | undefined;
  if (values["max-age"] !== undefined) {
    maxAge = Number(values["max-age"]);
    if (!Number.isFinite(maxAge) || maxAge <= 0) throw new UsageError("--max-age must be a positive number of seconds");
  }
  const certificates = (files: string[] | undefined) => (files ?? []).flatMap((f) => loadCertificates(f));
  const path = positionals[0]!;
  const verdict = await verifyEvidenceFiles(path, {
    anchors: certificates(values.trust),
    pins: certificates(values.pin),
    intermediates: certificates(values.intermediate),
    ...(receivedAt === undefined ? {} : { receivedAt }),
    ...(values.signer === undefined ? {} : { signer: loadCertificates(values.signer)[0] as X509Certificate }),
    ...(maxAge === undefined ? {} : { timestamp: { maxAgeSeconds: maxAge } }),
  });
  const id = verdict.paymentId ?? verdict.record?.paymentId ?? "(unknown payment)";
  for (const c of verdict.checks) process.stdout.write(`${c.ok ? "ok  " : "FAIL"} ${c.check}: ${c.detail}\n`);
  process.stdout.write(verdict.holds ? `EVIDENCE HOLDS: payment ${id}, ${path}\n` : `EVIDENCE DOES NOT HOLD: payment ${id}, ${path}\n`);
  return verdict.holds ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "export") return await exportCommand(rest);
    if (command === "verify") return await verifyCommand(rest);
    if (command === "help" || command === "--help" || command === "-h") {
      process.stdout.write(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? "give a command: export or verify" : `unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true) {
      process.stderr.write(`mpay-evidence: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`mpay-evidence: ${(error as Error).message}\n`);
    return 3;
  }
}

process.exitCode = await main(process.argv.slice(2));
