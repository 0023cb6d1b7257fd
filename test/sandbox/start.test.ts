/**
 * `npm start`'s script (sandbox/src/start.ts) as a newcomer runs it: one line with the URL, the
 * example provider loaded with `--orders`, a test PKI made in the data folder, a payment confirmed
 * through both, and Ctrl-C (SIGINT) stopping both processes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "../helpers/provider.ts";
import { DEMO_ORDERS_FILE, eventually, get, openInvoice, paymentIdOf, submitPay, tempDir } from "./harness.ts";

let child: ChildProcess | undefined;
afterEach(() => {
  // The whole group: the example provider too, should the test fail before Ctrl-C.
  if (child !== undefined && child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
});

function firstLine(process: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line within 30 s; stderr: ${stderr()}`)), 30_000);
    process.once("exit", (code) => reject(new Error(`exited with ${code}; stderr: ${stderr()}`)));
    createInterface({ input: process.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
}

describe("npm start", () => {
  it("prints one line with the URL, serves the given orders, confirms a payment, and stops both processes on Ctrl-C (SIGINT to the process group)", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const orders = (JSON.parse(readFileSync(DEMO_ORDERS_FILE, "utf8")) as { OrderKey: string; Reason: string }[]).filter((o) => o.OrderKey === "ORD-1001");
    orders[0]!.Reason = "Comanda din fișierul de test";
    const ordersFile = join(dir, "orders.json");
    writeFileSync(ordersFile, JSON.stringify(orders));
    child = spawn(process.execPath, ["--conditions=mpay-kit-source", "sandbox/src/start.ts", "--port", "0", "--orders", ordersFile, "--data-dir", join(dir, "data")], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that SIGINT can reach the whole group as Ctrl-C in a terminal does.
      detached: true,
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const line = await firstLine(child, () => stderr);
    const m = /^Offline MPay is running: open (http:\/\/127\.0\.0\.1:\d+)\/ \(example provider at (http:\/\/127\.0\.0\.1:\d+\/ServiceProvider\.svc);/.exec(line);
    expect(m, line).not.toBeNull();
    const [, base, providerUrl] = m!;
    expect(existsSync(join(dir, "data/pki/ca.pem"))).toBe(true);
    expect(existsSync(join(dir, "data/sandbox.db"))).toBe(true);

    const home = await get(base!, "/");
    expect(home.body).toContain("Comanda din fișierul de test");
    expect(home.body).not.toContain("ORD-1002");
    const { page } = await openInvoice(base!, "ORD-1001");
    const paid = await submitPay(base!, page);
    const paymentId = paymentIdOf(paid.location!)!;
    await eventually(async () => ((await get(base!, `/payments/${paymentId}`)).body.includes('data-state="confirmed"') ? true : undefined), "the confirmation");

    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(0);
    await expect(fetch(providerUrl!, { method: "POST", body: "" })).rejects.toThrow();
    await expect(fetch(base!)).rejects.toThrow();
    expect(stderr).toBe("");
  });
});
