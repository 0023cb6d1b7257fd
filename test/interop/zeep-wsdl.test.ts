/**
 * An independent SOAP client (Debian's python3-zeep), given only the ?wsdl of a generated server
 * (the fixture `test/generator/fixtures/operations/desk.wsdl`, and the same contract bound to
 * SOAP 1.2), sends declared header blocks and reads the response's, in both SOAP versions.
 * (zeep names header values by part, `auth`; our API by element, `Auth`.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { generateContract } from "@mpay-kit/codegen";
import type { OperationMeta, RequestContext } from "@mpay-kit/runtime";

const run = promisify(execFile);
const python = "/usr/bin/python3";
const hasZeep = existsSync(python) && (await run(python, ["-c", "import zeep"]).then(() => true, () => false));
const skip = !hasZeep && process.env.CI !== "true";
if (skip) console.warn("zeep interop skipped: /usr/bin/python3 has no zeep (apt-get install python3-zeep)");

const REPO = join(import.meta.dirname, "../..");
const FIXTURE = join(REPO, "test/generator/fixtures/operations/desk.wsdl");

interface ZeepAnswer {
  ok: boolean;
  body?: unknown;
  headers?: unknown;
  contentType?: string;
  request?: string;
  fault?: { code: string; message: string; detail: string[] | null };
}

async function zeep(url: string, operation: string, args: unknown, headers: unknown): Promise<ZeepAnswer> {
  const script = new URL("./zeep_headers.py", import.meta.url).pathname;
  const { stdout } = await run(python, [script, `${url}?wsdl`, operation, JSON.stringify(args), JSON.stringify(headers)], { timeout: 30_000 });
  return JSON.parse(stdout) as ZeepAnswer;
}

/** Generates the contract (written to `wsdlText`'s folder) into test-artifacts, serves it on 127.0.0.1. */
async function serve(name: string, wsdlText: string): Promise<{ url: string; server: Server; out: string }> {
  const out = join(REPO, "test-artifacts/interop", name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "desk.wsdl"), wsdlText);
  const result = await generateContract({ wsdl: relative(REPO, join(out, "desk.wsdl")), out: relative(REPO, join(out, "pkg")), package: `@test/${name}` }, { baseDir: REPO });
  for (const f of result.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
  }
  const pkg = (await import(pathToFileURL(join(out, "pkg/src/index.ts")).href)) as {
    createDeskHandler(handlers: object): RequestListener;
    operations: { Ask: OperationMeta };
    operationFault(operation: OperationMeta, name: string, detail: unknown, options?: { reason?: string }): Error;
  };
  const server = createServer(
    pkg.createDeskHandler({
      Ask(input: { Question: string }, context: RequestContext<{ Auth?: { User: string; Level?: number }; Trace?: string }, { Session?: string }>) {
        if (input.Question === "no") throw pkg.operationFault(pkg.operations.Ask, "Refused", { Why: "closed", RetryAfter: 60 }, { reason: "we are closed" });
        context.responseHeaders = { Session: `session of ${context.headers.Auth?.User ?? "nobody"} at level ${context.headers.Auth?.Level ?? "-"}` };
        return { Answer: `${input.Question}? (${context.headers.Trace ?? "untraced"})` };
      },
      Notify() {},
      Ping: () => ({ At: "noon" }),
      Reset() {},
      Swap: (input: { left: string; right: number }) => ({ right: input.right, left: input.left }),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/desk`, server, out };
}

describe.skipIf(skip)("zeep calls a generated server with declared header blocks", () => {
  const running: { server: Server; out: string }[] = [];
  let url11 = "";
  let url12 = "";
  beforeAll(async () => {
    const text = readFileSync(FIXTURE, "utf8");
    const s11 = await serve("desk11", text);
    // The same contract bound to SOAP 1.2: soap12:binding, soap12:operation, soap12:body/header, soap12:address.
    const s12 = await serve("desk12", text.replace('xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"', 'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap12/"'));
    running.push(s11, s12);
    url11 = s11.url;
    url12 = s12.url;
  }, 60_000);
  afterAll(async () => {
    for (const r of running) {
      await new Promise<void>((resolve) => r.server.close(() => resolve()));
      rmSync(r.out, { recursive: true, force: true });
    }
  });

  it("SOAP 1.1: zeep's header blocks reach the handler, and zeep reads the response's", async () => {
    const answer = await zeep(url11, "Ask", { Question: "why" }, { auth: { User: "ana", Level: 3 }, trace: "t-9" });
    expect(answer.ok).toBe(true);
    expect(answer.contentType).toMatch(/^text\/xml/);
    expect(answer.body).toEqual({ Answer: "why? (t-9)" });
    expect(answer.headers).toEqual({ session: "session of ana at level 3" });
  });

  it("SOAP 1.2: zeep sends application/soap+xml with the action, and reads the SOAP 1.2 answer and its header", async () => {
    const answer = await zeep(url12, "Ask", { Question: "how" }, { auth: { User: "bo" } });
    expect(answer.ok).toBe(true);
    expect(answer.contentType).toMatch(/^application\/soap\+xml; charset=utf-8; action="urn:desk\/Ask"/);
    expect(answer.request).toContain("http://www.w3.org/2003/05/soap-envelope");
    expect(answer.body).toEqual({ Answer: "how? (untraced)" });
    expect(answer.headers).toEqual({ session: "session of bo at level -" });
  });

  it("a declared fault reaches zeep with its detail element, in both versions", async () => {
    // (zeep gives a SOAP 1.1 code as written, prefix and all, and a SOAP 1.2 one as a Clark name.)
    for (const [url, code] of [
      [url11, /^s:Client$/],
      [url12, /^\{http:\/\/www\.w3\.org\/2003\/05\/soap-envelope\}Sender$|Sender$/],
    ] as const) {
      const answer = await zeep(url, "Ask", { Question: "no" }, {});
      expect(answer.ok).toBe(false);
      expect(answer.fault).toEqual({
        code: expect.stringMatching(code),
        message: "we are closed",
        detail: [expect.stringMatching(/^<Refusal xmlns="urn:desk"[^>]*><Why>closed<\/Why><RetryAfter>60<\/RetryAfter><\/Refusal>$/)],
      });
    }
  });
});
