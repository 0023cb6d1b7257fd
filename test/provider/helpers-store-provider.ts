/**
 * One provider process of the multi-process tests:
 *   node --conditions=mpay-kit-source test/provider/helpers-store-provider.ts --db <file | postgres://…> [--schema <s>]
 *        --applications <table> --label <name> --pki <dir made by the harness's certs.sh>
 * Prints its endpoint URL on the first line; on SIGTERM stops listening, closes the ledger and exits.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadCertificates, loadCredentials } from "@mpay-kit/runtime/security";
import { openPaymentLedger } from "../../provider/src/store/index.ts";
import { startConfirmationServer } from "./helpers-store-server.ts";

const { values } = parseArgs({ options: { db: { type: "string" }, schema: { type: "string" }, applications: { type: "string" }, label: { type: "string" }, pki: { type: "string" } } });
if (values.db === undefined || values.applications === undefined || values.label === undefined || values.pki === undefined) {
  process.stderr.write("usage: helpers-store-provider.ts --db <location> [--schema <s>] --applications <table> --label <name> --pki <dir>\n");
  process.exit(2);
}
const ledger = await openPaymentLedger(values.db, values.schema === undefined ? {} : { schema: values.schema });
const dir = values.pki;
const pki = {
  ca: loadCertificates(join(dir, "ca.crt"))[0]!,
  mpay: { certificate: loadCertificates(join(dir, "mpay.crt"))[0]! },
  provider: loadCredentials({ cert: join(dir, "provider.crt"), key: join(dir, "provider.key") }),
};
// The handler's default log: conflicts and store failures as JSON lines on stderr.
const server = await startConfirmationServer(ledger, values.applications, values.label, pki, true);
process.stdout.write(`${server.url}\n`);
process.once("SIGTERM", () => {
  void server.close().then(() => ledger.close()).then(() => process.exit(0));
});
