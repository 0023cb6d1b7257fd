/**
 * How other projects consume what we generate: a throwaway project outside the repo depends on
 * the packed runtime and the packed generated package (npm tarballs, as a registry would serve
 * them), imports them, type-checks, and makes a call from the generated client to the generated
 * server.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });

describe("a project outside the repo", () => {
  it("installs the packed packages, type-checks against them and makes a call", { timeout: 180_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "mpay-consumer-"));
    try {
      npm(["pack", "--pack-destination", dir, "--workspace", "runtime", "--workspace", "generated/mpay-service-provider"], root);
      const tarballs = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
      expect(tarballs).toHaveLength(2);
      const dependencies = Object.fromEntries(
        tarballs.map((t) => [t.startsWith("mpay-kit-runtime") ? "@mpay-kit/runtime" : "@mpay-kit/mpay-service-provider", `file:./${t}`]),
      );
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }, null, 2));
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: "nodenext",
            moduleResolution: "nodenext",
            target: "es2023",
            outDir: "out",
            skipLibCheck: false,
            typeRoots: [join(root, "node_modules/@types")],
            types: ["node"],
          },
          files: ["main.ts"],
        }),
      );
      writeFileSync(
        join(dir, "main.ts"),
        `import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ServiceProviderClient, createServiceProviderHandler, fault, isFault, type OrderDetails } from "@mpay-kit/mpay-service-provider";

const order: OrderDetails = {
  Currency: "MDL", CustomerID: "2006022048426", CustomerName: "Ion", CustomerType: "Person",
  Lines: [{ AmountDue: "9267.00", DestinationAccount: {}, LineID: "L1", Reason: "Taxa" }],
  OrderKey: "K1", Reason: "Test", ServiceID: "S1", Status: "Active", TotalAmountDue: "9267.00",
};
const server = createServer(createServiceProviderHandler({
  GetOrderDetails: (input) => ({ GetOrderDetailsResult: input.query?.OrderKey === "K1" ? [order] : [] }),
  ConfirmOrderPayment: () => { throw fault("UnknownOrder", "no such order"); },
}, { wsSecurity: false }));
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const client = new ServiceProviderClient({ endpoint: \`http://127.0.0.1:\${(server.address() as AddressInfo).port}/\`, wsSecurity: false });
const answer = await client.GetOrderDetails({ query: { OrderKey: "K1", ServiceID: "S1" } });
let faultCode = "";
try {
  await client.ConfirmOrderPayment({ confirmation: { Currency: "MDL", Lines: [], OrderKey: "X", PaidAt: "2025-07-10T10:51:23", PaymentID: "P1", ServiceID: "S1", TotalAmount: "1.00" } });
} catch (error) {
  if (isFault(error, "UnknownOrder")) faultCode = error.code;
}
server.close();
console.log(JSON.stringify({ total: answer.GetOrderDetailsResult?.[0]?.TotalAmountDue, faultCode }));
`,
      );
      npm(["install", "--offline", "--no-package-lock"], dir);
      execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
      const output = execFileSync(process.execPath, [join(dir, "out/main.js")], { encoding: "utf8", cwd: dir });
      expect(JSON.parse(output)).toEqual({ total: "9267.00", faultCode: "UnknownOrder" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
