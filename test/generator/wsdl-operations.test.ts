/**
 * Given WSDL operations beyond one Body element each way, want the generated package to type
 * them and the generated client and server to carry them: declared header blocks
 * (`soap:header`), one-way operations (no `wsdl:output`) and messages without a body part
 * (empty Bodies). The fixture is `fixtures/operations/desk.wsdl`; the package is written under
 * `test-artifacts/generator/desk`, type-checked with tsc (with a consumer that must and must not
 * compile), then served on 127.0.0.1 and called with its own client.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { formatDiagnostic, generateContract } from "@mpay-kit/codegen";
import type { OperationMeta, RequestContext } from "@mpay-kit/runtime";
import { ARTIFACTS, REPO, declaration, diagnostics, lines, run, wsdl } from "./helpers.ts";

const out = join(ARTIFACTS, "desk");
let files: Record<string, string> = {};
let warned: string[] = [];

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  const result = await generateContract({ wsdl: "test/generator/fixtures/operations/desk.wsdl", out: relative(REPO, out), package: "@test/desk" }, { baseDir: REPO });
  warned = result.warnings.map(formatDiagnostic);
  for (const f of result.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
    files[f.file] = f.contents;
  }
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the descriptors", () => {
  it("header blocks, one-way and empty Bodies are in the operation descriptors", () => {
    const meta = files["src/meta.ts"]!;
    expect(declaration(meta, "operations")).toBe(
      lines(
        "/** The operations of port DeskPort, by name, in the portType's order. */",
        "export const operations = {",
        "  Ask: operation<",
        "    Ask,",
        "    AskResponse,",
        "    { readonly Auth?: Auth; readonly Trace?: string },",
        "    { readonly Session?: string },",
        "    { Refused: Refusal }",
        "  >({",
        '    name: "Ask",',
        '    soapAction: "urn:desk/Ask",',
        '    style: "document-literal-wrapped",',
        "    input: AskElement,",
        "    output: AskResponseElement,",
        '    faults: [{ name: "Refused", element: RefusalElement }],',
        "    inputHeaders: [AuthElement, TraceElement],",
        "    outputHeaders: [SessionElement],",
        "  }),",
        "  Notify: operation<Notify, void>({",
        '    name: "Notify",',
        '    soapAction: "urn:desk/Notify",',
        '    style: "document-literal-wrapped",',
        "    input: NotifyElement,",
        "    oneWay: true,",
        "  }),",
        "  Ping: operation<void, PingResponse>({",
        '    name: "Ping",',
        '    soapAction: "urn:desk/Ping",',
        '    style: "document-literal-wrapped",',
        "    output: PingResponseElement,",
        "  }),",
        '  Reset: operation<void, void>({ name: "Reset", soapAction: "urn:desk/Reset", style: "document-literal-wrapped" }),',
        "  Swap: operation<{ left: string; right: number; note: string }, { right: number; left: string }>({",
        '    name: "Swap",',
        '    soapAction: "urn:desk/Swap",',
        '    style: "document-literal-wrapped",',
        '    inputParts: [',
        '      { part: "left", element: LeftElement },',
        '      { part: "right", element: RightElement },',
        '      { part: "note", element: noteElement },',
        "    ],",
        '    outputParts: [',
        '      { part: "right", element: RightElement },',
        '      { part: "left", element: LeftElement },',
        "    ],",
        "  }),",
        "};",
      ),
    );
  });

  it("the handlers: typed header context, no input for an empty request Body, void for no response", () => {
    const server = files["src/server.ts"]!;
    expect(server.replace(/\s+/g, " ")).toContain(
      "Ask( input: Ask, context: RequestContext<{ readonly Auth?: Auth; readonly Trace?: string }, { readonly Session?: string }>, ): AskResponse | Promise<AskResponse>;",
    );
    expect(server).toContain("Notify(input: Notify, context: RequestContext): void | Promise<void>;");
    expect(server).toContain("Ping(context: RequestContext): PingResponse | Promise<PingResponse>;");
    expect(server).toContain("Reset(context: RequestContext): void | Promise<void>;");
    expect(server.replace(/\s+/g, " ")).toContain("Swap( input: { left: string; right: number; note: string }, context: RequestContext, ): { right: number; left: string } | Promise<{ right: number; left: string }>;");
  });

  it("a document-style part that names a type is an element named after it, in no namespace, with a warning", () => {
    expect(files["src/meta.ts"]).toContain('export const noteElement = element("note", "", () => builtin("string"));');
    expect(warned).toEqual([
      expect.stringMatching(/desk\.wsdl:\d+:\d+: warning: operation Swap: part note names a type, not an element \(document style wants element=, WS-I Basic Profile R2204\); read as an element note in no namespace of that type; write element=/),
    ]);
  });
});

describe("the TypeScript API", () => {
  it("compiles what is right and refuses what is not (tsc on the generated package)", () => {
    writeFileSync(
      join(out, "src/check.ts"),
      [
        'import { DeskClient, type DeskHandlers } from "./index.ts";',
        "declare const client: DeskClient;",
        'export const plain: Promise<{ Answer: string }> = client.Ask({ Question: "q" }, { soapHeaders: { Auth: { User: "u" } } });',
        'export const both = client.Ask({ Question: "q" }, { responseHeaders: true }).then((r) => r.headers.Session ?? r.output.Answer);',
        "export const ping = client.Ping().then((r) => r.At);",
        "export const reset: Promise<void> = client.Reset();",
        "// @ts-expect-error a header the operation does not declare",
        'client.Ask({ Question: "q" }, { soapHeaders: { Session: "s" } });',
        "// @ts-expect-error a header value of the wrong type",
        'client.Ask({ Question: "q" }, { soapHeaders: { Auth: { Level: 1 } } });',
        "// @ts-expect-error an empty request Body takes no input",
        "client.Ping({ Question: \"q\" }, {});",
        "export const handlers: DeskHandlers = {",
        "  Ask(input, context) {",
        "    context.responseHeaders = { Session: context.headers.Auth?.User ?? input.Question };",
        '    return { Answer: "a" };',
        "  },",
        "  Notify() {},",
        '  Ping: () => ({ At: "now" }),',
        "  Reset: () => undefined,",
        "  Swap: (input) => ({ right: input.right, left: input.left }),",
        "};",
        'import { isOperationFault, operationFault, operations } from "./index.ts";',
        "export function reasonOf(error: unknown): string | undefined {",
        '  return isOperationFault(error, operations.Ask, "Refused") ? error.detailValue.Why : undefined;',
        "}",
        'export const refusal = operationFault(operations.Ask, "Refused", { Why: "closed" });',
        "// @ts-expect-error a detail of the wrong shape",
        'operationFault(operations.Ask, "Refused", { Why: 1 });',
        "// @ts-expect-error a fault the operation does not declare",
        'operationFault(operations.Ask, "Other", { Why: "x" });',
        "export const wrong: DeskHandlers = {",
        "  ...handlers,",
        "  Ask(_input, context) {",
        "    // @ts-expect-error a response header of the wrong type",
        "    context.responseHeaders = { Session: 1 };",
        '    return { Answer: "a" };',
        "  },",
        "};",
        "",
      ].join("\n"),
    );
    let output = "";
    try {
      execFileSync(join(REPO, "node_modules/.bin/tsc"), ["--noEmit", "-p", out], { cwd: REPO, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  }, 60_000);
});

describe("the generated client and server, over HTTP", () => {
  it("carry header blocks both ways, a one-way call and empty Bodies", async () => {
    // (Typed here by hand: the package exists only once the test has generated it; the tsc test checks its own types.)
    const pkg = (await import(pathToFileURL(join(out, "src/index.ts")).href)) as DeskPackage;
    const notes: string[] = [];
    const server: Server = createServer(
      pkg.createDeskHandler({
        Ask(input: { Question: string }, context: RequestContext<{ Auth?: { User: string }; Trace?: string }, { Session?: string }>) {
          if (input.Question === "no") throw pkg.operationFault(pkg.operations.Ask, "Refused", { Why: "closed", RetryAfter: 60 }, { reason: "we are closed" });
          context.responseHeaders = { Session: `session of ${context.headers.Auth?.User ?? "nobody"}` };
          return { Answer: `${input.Question}? ${context.headers.Trace ?? "untraced"}` };
        },
        Notify(input: { Note: string }) {
          notes.push(input.Note);
        },
        Ping: () => ({ At: "noon" }),
        Reset() {
          notes.length = 0;
        },
        Swap: (input: { left: string; right: number; note: string }) => ({ right: input.right + 1, left: `${input.left} ${input.note}` }),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = new pkg.DeskClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/desk` });
    try {
      expect(await client.Ask({ Question: "why" }, { soapHeaders: { Auth: { User: "ana", Level: 2 }, Trace: "t1" }, responseHeaders: true })).toEqual({
        output: { Answer: "why? t1" },
        headers: { Session: "session of ana" },
      });
      expect(await client.Ask({ Question: "why" })).toEqual({ Answer: "why? untraced" });
      const refused = await client.Ask({ Question: "no" }).catch((error: unknown) => error);
      expect(pkg.isOperationFault(refused, pkg.operations.Ask, "Refused")).toBe(true);
      expect(refused).toMatchObject({ code: "Client", reason: "we are closed", declared: "Refused", detailValue: { Why: "closed", RetryAfter: 60 } });
      await expect(client.Notify({ Note: "hello" })).resolves.toBeUndefined();
      expect(notes).toEqual(["hello"]);
      expect(await client.Ping()).toEqual({ At: "noon" });
      await expect(client.Reset()).resolves.toBeUndefined();
      expect(notes).toEqual([]);
      expect(await client.Swap({ left: "l", right: 1, note: "n" })).toEqual({ right: 2, left: "l n" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

interface DeskPackage {
  createDeskHandler(handlers: object): RequestListener;
  operations: { Ask: OperationMeta };
  operationFault(operation: OperationMeta, name: string, detail: unknown, options?: { reason?: string }): Error;
  isOperationFault(error: unknown, operation: OperationMeta, name: string): boolean;
  DeskClient: new (options: { endpoint: string }) => {
    Ask(input: { Question: string }, options?: object): Promise<unknown>;
    Notify(input: { Note: string }): Promise<void>;
    Ping(): Promise<unknown>;
    Reset(): Promise<void>;
    Swap(input: { left: string; right: number; note: string }): Promise<unknown>;
  };
}

describe("refusals", () => {
  const headerBinding = (header: string) =>
    wsdl(
      `<xs:element name="Op"><xs:complexType/></xs:element><xs:element name="OpResponse"><xs:complexType/></xs:element><xs:element name="H" type="xs:string"/>`,
    ).replace('<wsdl:input><soap:body use="literal"/></wsdl:input>', `<wsdl:input><soap:body use="literal"/>${header}</wsdl:input>`);

  it("a soap:header naming a part its message lacks", async () => {
    const found = await diagnostics({ "main.wsdl": headerBinding('<soap:header message="tns:OpIn" part="nope" use="literal"/>') });
    expect(found.join("\n")).toContain("operation Op: soap:header names part nope of message OpIn, which has no such part");
  });

  it("a soap:header whose message no file defines is left out, with a warning (as node-soap and zeep read it)", async () => {
    const { result, files } = await run({ "main.wsdl": headerBinding('<soap:header message="tns:Missing" part="h" use="literal"/>') });
    expect(result.warnings.map(formatDiagnostic).join("\n")).toMatch(/main\.wsdl:\d+:\d+: .*no message \{urn:test\}Missing.*the soap:header is left out/);
    expect(files["src/meta.ts"]).not.toContain("inputHeaders");
  });

  it("an encoded soap:header", async () => {
    const found = await diagnostics({ "main.wsdl": headerBinding('<soap:header message="tns:OpIn" part="parameters" use="encoded"/>') });
    expect(found.join("\n")).toContain('operation Op: a soap:header with use="encoded" is not supported');
  });
});
