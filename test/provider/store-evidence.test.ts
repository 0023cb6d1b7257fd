/**
 * Kept evidence, out and back: the export writes the exact signed bytes, the signer and the record;
 * re-verification runs the runtime's verifier with the clock at the time received (so an old
 * request still holds, and the same request judged "now" would not); any change to the bytes, a
 * wrong trust anchor or pin, or a record that disagrees with the signed Body makes it fail. Through
 * the `mpay-evidence` CLI as well, on each store.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { evidenceFolderName, exportEvidence, verifyEvidence, verifyEvidenceFiles, type EvidenceRecord } from "../../provider/src/store/index.ts";
import { confirmation, signedDelivery, storeFactories, type StoreUnderTest } from "./helpers-store.ts";
import { repoRoot } from "../helpers/provider.ts";
import { testPki } from "../helpers/pki.ts";

const run = promisify(execFile);

/** Runs the CLI; resolves with its exit code and output (never rejects on a non-zero exit). */
async function evidenceCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--conditions=mpay-kit-source", "provider/src/store/cli.ts", ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  testPki();
});

describe("evidence folder names", () => {
  it("a plain PaymentID is its own folder; anything else is made safe and stays unique", () => {
    expect(evidenceFolderName("a1b2c3d4-0000-4000-8000-000000000001")).toBe("a1b2c3d4-0000-4000-8000-000000000001");
    const a = evidenceFolderName("../etc/passwd");
    const b = evidenceFolderName("__etc_passwd");
    expect(a).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(a).not.toBe(b);
    expect(evidenceFolderName("..")).not.toBe("..");
  });
});

describe.each(storeFactories)("evidence kept in the $name ledger", (factory) => {
  let store: StoreUnderTest;
  let out: string;
  // Received just after the test PKI was made (its certificates are valid from then on); judged
  // ten minutes later, the same request is older than the 300 s freshness window.
  let receivedAt: Date;
  let later: Date;
  const c = confirmation("EV-1", { TotalAmount: "150.00", Lines: [{ LineID: "L1", Amount: "150.00" }] });

  beforeEach(async () => {
    receivedAt = new Date(Date.parse(testPki().mpay.certificate.validFrom) + 1000);
    later = new Date(receivedAt.getTime() + 10 * 60_000);
    store = await factory.open();
    out = mkdtempSync(join(tmpdir(), "mpay-evidence-"));
    await store.ledger.confirmOnce(c, signedDelivery(c, receivedAt), () => {});
    await store.ledger.confirmOnce(c, signedDelivery(c, new Date(receivedAt.getTime() + 30_000)), () => {});
    const other = { ...c, TotalAmount: "15.00", Lines: [{ LineID: "L1", Amount: "15.00" }] };
    await store.ledger.confirmOnce(other, signedDelivery(other, new Date(receivedAt.getTime() + 60_000)), () => {}).catch(() => {});
  });
  afterEach(async () => {
    await store.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  it("exports the exact bytes, the signer and the record; re-verification at the time received holds", async () => {
    const pki = testPki();
    const dir = await exportEvidence(store.ledger, "EV-1", out);
    expect(dir).toBe(join(out, "EV-1"));
    expect(readdirSync(dir).sort()).toEqual(["conflict-1.request.xml", "conflict-1.signer.pem", "evidence.json", "request.xml", "signer.pem"]);
    const recorded = (await store.ledger.payment("EV-1"))!;
    expect(readFileSync(join(dir, "request.xml")).equals(Buffer.from(recorded.request))).toBe(true);
    expect(new X509Certificate(readFileSync(join(dir, "signer.pem"))).fingerprint256).toBe(pki.mpay.certificate.fingerprint256);
    const record = JSON.parse(readFileSync(join(dir, "evidence.json"), "utf8")) as EvidenceRecord;
    expect(record).toMatchObject({ paymentId: "EV-1", totalAmount: "150.00", deliveries: 2, firstReceivedAt: receivedAt.toISOString(), signer: { fingerprint256: pki.mpay.certificate.fingerprint256 } });
    expect(record.conflicts).toEqual([expect.objectContaining({ difference: "TotalAmount 15 (recorded 150); Lines [L1=15] (recorded [L1=150])", request: "conflict-1.request.xml" })]);

    const verdict = await verifyEvidenceFiles(dir, { anchors: [pki.ca], pins: [pki.mpay.certificate] });
    expect(verdict.checks.map((x) => [x.check, x.ok])).toEqual([["bytes", true], ["signature", true], ["signer", true], ["content", true]]);
    expect(verdict.holds).toBe(true);
    expect(verdict.paymentId).toBe("EV-1");
    // The conflicting delivery's bytes were kept as signed too.
    const conflict = verifyEvidence({ request: readFileSync(join(dir, "conflict-1.request.xml")), receivedAt: new Date(receivedAt.getTime() + 60_000) }, { anchors: [pki.ca] });
    expect(conflict.holds).toBe(true);
  });

  it("fails when judged later instead of at the time received, under another anchor or pin, or when the record disagrees", async () => {
    const pki = testPki();
    const recorded = (await store.ledger.payment("EV-1"))!;
    const evidence = { request: recorded.request, receivedAt: recorded.firstReceivedAt, signer: pki.mpay.certificate, paymentId: "EV-1" };
    expect(verifyEvidence(evidence, { anchors: [pki.ca] }).holds).toBe(true);
    const now = verifyEvidence({ ...evidence, receivedAt: later }, { anchors: [pki.ca] });
    expect(now.holds).toBe(false);
    expect(now.checks.at(-1)!.detail).toMatch(/refused \(timestamp\): the message is too old/);
    const rogue = verifyEvidence(evidence, { anchors: [pki.rogue.certificate] });
    expect(rogue.holds).toBe(false);
    expect(rogue.checks.at(-1)!.detail).toMatch(/refused \(untrusted\)/);
    expect(verifyEvidence(evidence, { anchors: [pki.ca], pins: [pki.provider.certificate] }).holds).toBe(false);
    // A recorded signer other than the one that signed.
    const otherSigner = verifyEvidence({ ...evidence, signer: pki.provider.certificate }, { anchors: [pki.ca] });
    expect(otherSigner.checks.find((x) => x.check === "signer")).toMatchObject({ ok: false });
    // The signed Body says another PaymentID than the record.
    const otherId = verifyEvidence({ ...evidence, paymentId: "EV-2" }, { anchors: [pki.ca] });
    expect(otherId.checks.find((x) => x.check === "content")).toMatchObject({ ok: false, detail: expect.stringMatching(/PaymentID EV-1, recorded EV-2/) });
  });

  it("a changed byte breaks it: the digest no longer matches", async () => {
    const pki = testPki();
    const dir = await exportEvidence(store.ledger, "EV-1", out);
    const tampered = join(out, "tampered");
    cpSync(dir, tampered, { recursive: true });
    const text = readFileSync(join(tampered, "request.xml"), "utf8");
    expect(text).toContain(">150.00<");
    writeFileSync(join(tampered, "request.xml"), text.replaceAll(">150.00<", ">151.00<"));
    const verdict = await verifyEvidenceFiles(tampered, { anchors: [pki.ca] });
    expect(verdict.holds).toBe(false);
    expect(verdict.checks.find((x) => x.check === "bytes")).toMatchObject({ ok: false });
    expect(verdict.checks.find((x) => x.check === "signature")).toMatchObject({ ok: false, detail: expect.stringMatching(/refused \(digest\)/) });
    // Without the recorded hash (a bare request), the signature alone catches it.
    const bare = verifyEvidence({ request: readFileSync(join(tampered, "request.xml")), receivedAt }, { anchors: [pki.ca] });
    expect(bare.checks).toEqual([expect.objectContaining({ check: "signature", ok: false })]);
    // A record edited to another amount no longer matches the signed Body.
    const edited = join(out, "edited");
    cpSync(dir, edited, { recursive: true });
    const record = JSON.parse(readFileSync(join(edited, "evidence.json"), "utf8")) as EvidenceRecord;
    writeFileSync(join(edited, "evidence.json"), JSON.stringify({ ...record, content: record.content.replace('"150"', '"1500"') }));
    const editedVerdict = await verifyEvidenceFiles(edited, { anchors: [pki.ca] });
    expect(editedVerdict.checks.find((x) => x.check === "content")).toMatchObject({ ok: false });
    expect(editedVerdict.holds).toBe(false);
  });

  it("mpay-evidence export and verify: exit 0 when it holds, 1 when it does not, 2 on misuse", async () => {
    const pki = testPki();
    const db = store.schema === undefined ? ["--db", store.location] : ["--db", store.location, "--schema", store.schema];
    const exported = await evidenceCli("export", ...db, "--out", out);
    expect(exported).toMatchObject({ code: 0, stdout: `EV-1\t${join(out, "EV-1")}\n` });
    expect(exported.stderr).toMatch(/exported 1 of 1 payment/);
    const holds = await evidenceCli("verify", join(out, "EV-1"), "--trust", pki.caPath, "--pin", pki.mpay.certPath);
    expect(holds.code).toBe(0);
    expect(holds.stdout).toMatch(/^ok {3}signature: valid rsa-sha1 signature/m);
    expect(holds.stdout).toMatch(/EVIDENCE HOLDS: payment EV-1/);

    const missing = await evidenceCli("export", ...db, "--out", out, "--payment", "NOPE");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no payment "NOPE" is recorded/);
    // What follows does not depend on the store: checked once (each run of the CLI is a Node start).
    if (factory.name !== "sqlite") return;

    // A bare request file needs the time it was received.
    const bareFile = join(out, "bare.xml");
    cpSync(join(out, "EV-1", "request.xml"), bareFile);
    expect((await evidenceCli("verify", bareFile, "--trust", pki.caPath)).code).toBe(3);
    const bare = await evidenceCli("verify", bareFile, "--trust", pki.caPath, "--received-at", receivedAt.toISOString());
    expect(bare.code).toBe(0);
    expect((await evidenceCli("verify", bareFile, "--trust", pki.caPath, "--received-at", later.toISOString())).code).toBe(1);

    const text = readFileSync(join(out, "EV-1", "request.xml"), "utf8");
    writeFileSync(join(out, "EV-1", "request.xml"), text.replace("EV-1<", "EV-9<"));
    const broken = await evidenceCli("verify", join(out, "EV-1"), "--trust", pki.caPath);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^FAIL signature: refused \(digest\)/m);
    expect(broken.stdout).toMatch(/EVIDENCE DOES NOT HOLD/);

    expect((await evidenceCli("verify", join(out, "EV-1"))).code).toBe(2);
    expect((await evidenceCli("frobnicate")).code).toBe(2);
  }, 60_000);
});
