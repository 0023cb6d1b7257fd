/**
 * Given WSDL operations beyond one Body element each way, want the generated package to type
 * them and the generated client and server to carry them: declared header blocks
 * (`soap:header`), one-way operations (no `wsdl:output`) and messages without a body part
 * (empty Bodies). The fixture is `fixtures/operations/desk.wsdl`; the package is written under
 * `test-artifacts/generator/desk`, type-checked with tsc (with a consumer that must and must not
 * compile), then served on 127.0.0.1 and called with its own client.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { formatDiagnostic, generateContract } from "@mpay-kit/codegen";
import { parseXml, type OperationMeta, type RequestContext, type XmlElement } from "@mpay-kit/runtime";
import { validateMessages } from "../../generator/src/validate.ts";
import { ARTIFACTS, declaration, diagnostics, lines, REPO, run, tscOutput, writeGenerated, wsdl } from "./helpers.ts";

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
    expect(tscOutput(["--noEmit", "-p", out])).toBe("");
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

// ---------------------------------------------------------------------------------------------
// rpc/literal (WSDL 1.1 section 3.5; WS-I Basic Profile 1.1 R2717, R2729, R2735, R2203)

/**
 * An rpc/literal WSDL of one operation `Op` with `input` and `output` parts (`<wsdl:part .../>`
 * text) and a `soap:body` written `body` (default `use="literal" namespace="urn:rpc"`); the schema
 * (namespace `urn:test`, qualified) holds `schema`.
 */
function rpcWsdl(options: { schema?: string; input?: string; output?: string; body?: string; operation?: string; style?: string } = {}): string {
  const op = options.operation ?? "Op";
  const body = options.body ?? 'use="literal" namespace="urn:rpc"';
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:test" targetNamespace="urn:test" name="Test">
  <wsdl:types>
    <xs:schema targetNamespace="urn:test" elementFormDefault="qualified">${options.schema ?? ""}</xs:schema>
  </wsdl:types>
  <wsdl:message name="In">${options.input ?? '<wsdl:part name="a" type="xs:string"/>'}</wsdl:message>
  <wsdl:message name="Out">${options.output ?? '<wsdl:part name="b" type="xs:int"/>'}</wsdl:message>
  <wsdl:portType name="IPort">
    <wsdl:operation name="${op}"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:IPort">
    <soap:binding style="${options.style ?? "rpc"}" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="${op}">
      <soap:operation soapAction="urn:test/${op}"/>
      <wsdl:input><soap:body ${body}/></wsdl:input>
      <wsdl:output><soap:body ${body}/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="Svc">
    <wsdl:port name="Port" binding="tns:Binding"><soap:address location="http://localhost/svc"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}

describe("rpc/literal: the given contract, the wanted descriptors", () => {
  it("a wrapper per message, named after the operation (+Response) in soap:body's namespace, one unqualified accessor per part", async () => {
    const { files: pkg, result } = await run({ "main.wsdl": rpcWsdl({ input: '<wsdl:part name="a" type="xs:string"/><wsdl:part name="n" type="tns:Count"/>', schema: '<xs:simpleType name="Count"><xs:restriction base="xs:int"/></xs:simpleType>' }) });
    expect(result.warnings.map(formatDiagnostic)).toEqual([]);
    const meta = pkg["src/meta.ts"]!;
    expect(meta).toContain('export const OpElement = element("Op", "urn:rpc", () => OpMeta);');
    expect(meta).toContain('export const OpResponseElement = element("OpResponse", "urn:rpc", () => OpResponseMeta);');
    // The operation says it is rpc/literal, and so do the service's and the client's docs.
    expect(meta).toMatch(/operation<[^>]*>\(\{\s*name: "Op",\s*soapAction: "[^"]*",\s*style: "rpc-literal",/);
    expect(meta).toContain("SOAP 1.1, rpc/literal.");
    expect(pkg["src/client.ts"]).toContain("SOAP 1.1, rpc/literal).");
    // Accessors in no namespace (R2735), though the schema of their types is qualified.
    expect(declaration(meta, "OpMeta")).toBe(
      lines(
        "/** Descriptor of {@link Op}. */",
        'export const OpMeta = complexType("anonymous type of {urn:rpc}Op", [',
        '  element("a", "", () => builtin("string")),',
        '  element("n", "", () => CountMeta),',
        "]);",
      ),
    );
    expect(declaration(meta, "operations")).toContain("input: OpElement,\n    output: OpResponseElement,");
    expect(declaration(pkg["src/types.ts"]!, "Op")).toBe(
      lines(
        "/**",
        " * The rpc/literal request of operation Op: one accessor per part of message In.",
        " *",
        " * From the anonymous complexType of `{urn:rpc}Op`.",
        " */",
        "export interface Op {",
        "  a: string;",
        "  n: Count;",
        "}",
      ),
    );
  });

  it("soap:body parts= chooses the accessors and their order", async () => {
    const { files: pkg } = await run({
      "main.wsdl": rpcWsdl({ input: '<wsdl:part name="a" type="xs:string"/><wsdl:part name="b" type="xs:int"/><wsdl:part name="c" type="xs:boolean"/>', body: 'use="literal" namespace="urn:rpc" parts="c a"' }),
    });
    expect(declaration(pkg["src/meta.ts"]!, "OpMeta")).toContain('[\n  element("c", "", () => builtin("boolean")),\n  element("a", "", () => builtin("string")),\n]');
  });

  it("a message without parts is an empty wrapper", async () => {
    const { files: pkg } = await run({ "main.wsdl": rpcWsdl({ input: "", output: "" }) });
    const meta = pkg["src/meta.ts"]!;
    expect(meta).toContain('export const OpMeta = complexType("anonymous type of {urn:rpc}Op", []);');
    expect(declaration(meta, "operations")).toContain("input: OpElement,\n    output: OpResponseElement,");
    expect(pkg["src/types.ts"]).toContain("export interface Op {}");
  });

  it("without soap:body namespace the wrapper is in no namespace, with a warning (WS-I R2717)", async () => {
    const { files: pkg, result } = await run({ "main.wsdl": rpcWsdl({ body: 'use="literal"' }) });
    expect(pkg["src/meta.ts"]).toContain('export const OpElement = element("Op", "", () => OpMeta);');
    expect(result.warnings.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^main\.wsdl:\d+:\d+: warning: operation Op: the rpc soap:body of its input has no namespace attribute \(WS-I Basic Profile R2717 requires one\); its wrapper element is read in no namespace/),
      expect.stringMatching(/^main\.wsdl:\d+:\d+: warning: operation Op: the rpc soap:body of its output has no namespace attribute/),
    ]);
  });

  it("a part that names an element is that global element in the wrapper, with a warning (WS-I R2203)", async () => {
    const { files: pkg, result } = await run({
      "main.wsdl": rpcWsdl({ schema: '<xs:element name="Item" type="xs:string"/>', input: '<wsdl:part name="item" element="tns:Item"/><wsdl:part name="a" type="xs:string"/>' }),
    });
    expect(declaration(pkg["src/meta.ts"]!, "OpMeta")).toContain('[\n  element("Item", "urn:test", () => builtin("string")),\n  element("a", "", () => builtin("string")),\n]');
    expect(result.warnings.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^main\.wsdl:\d+:\d+: warning: operation Op: part item names an element, not a type \(rpc style wants type=, WS-I Basic Profile R2203\); read as that element \{urn:test\}Item inside the rpc wrapper/),
    ]);
  });

  it("real schema types keep their names; a wrapper whose name a schema type has takes the next free one", async () => {
    const { files: pkg } = await run({ "main.wsdl": rpcWsdl({ schema: '<xs:complexType name="Op"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>', input: '<wsdl:part name="op" type="tns:Op"/>' }) });
    const types = pkg["src/types.ts"]!;
    expect(declaration(types, "Op")).toBe(lines("/** From complexType `{urn:test}Op`. */", "export interface Op {", "  x: string;", "}"));
    expect(declaration(types, "Op_2")).toContain("export interface Op_2 {\n  op: Op;\n}");
    expect(pkg["src/meta.ts"]).toContain('export const OpElement = element("Op", "urn:rpc", () => Op_2Meta);');
  });

  it("refuses a wrapper that has the name of a global element of its namespace: a message could be read as either", async () => {
    const found = await diagnostics({ "main.wsdl": rpcWsdl({ body: 'use="literal" namespace="urn:test"', schema: '<xs:element name="Op" type="xs:string"/>' }) });
    expect(found).toEqual([
      expect.stringMatching(/^main\.wsdl:\d+:\d+: operation Op: the rpc wrapper element \{urn:test\}Op of its input has the name of a global element the schema declares \(main\.wsdl:5:\d+\); a message could be read as either; give soap:body another namespace/),
    ]);
  });

  it("rpc/encoded stays refused, for its encoding", async () => {
    const found = await diagnostics({ "main.wsdl": rpcWsdl({ body: 'use="encoded" namespace="urn:rpc" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"' }) });
    expect(found).toEqual([expect.stringMatching(/operation Op: SOAP encoding \(use="encoded", SOAP 1\.1 section 5\) is not supported/)]);
  });
});

describe("rpc/literal: the libxml2 oracle (mpay-codegen validate) declares the wrappers as the generator reads them", () => {
  it("judges the accessors unqualified, their content by the types' schema, and the wrapper in soap:body's namespace", () => {
    const envelope = (body: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;
    const quote = '<t:Symbol>A</t:Symbol><t:Price>1.5</t:Price><t:Currency>MDL</t:Currency>';
    const verdicts = validateMessages({ wsdl: join(REPO, "test/generator/fixtures/rpc/quotes.wsdl"), baseDir: REPO }, [
      { file: "request.xml", text: envelope('<q:GetQuote xmlns:q="urn:quotes"><symbol>A</symbol><currency>EUR</currency></q:GetQuote>') },
      { file: "response.xml", text: envelope(`<GetQuoteResponse xmlns="urn:quotes"><quote xmlns="" xmlns:t="urn:quotes:types">${quote}</quote><stale xmlns="">true</stale></GetQuoteResponse>`) },
      { file: "empty.xml", text: envelope('<Ping xmlns="urn:quotes"/>') },
      { file: "qualified.xml", text: envelope('<q:GetQuote xmlns:q="urn:quotes"><q:symbol>A</q:symbol><q:currency>EUR</q:currency></q:GetQuote>') },
      { file: "order.xml", text: envelope('<q:GetQuote xmlns:q="urn:quotes"><currency>EUR</currency><symbol>A</symbol></q:GetQuote>') },
      { file: "elsewhere.xml", text: envelope("<GetQuote><symbol>A</symbol><currency>EUR</currency></GetQuote>") },
    ]);
    expect(verdicts.map((v) => [v.file, v.errors.length === 0 ? "valid" : v.errors[0]!.replace(/^\d+: /, "")])).toEqual([
      ["request.xml", "valid"],
      ["response.xml", "valid"],
      ["empty.xml", "valid"],
      ["qualified.xml", expect.stringContaining("Element '{urn:quotes}symbol': This element is not expected. Expected is ( symbol )")],
      ["order.xml", expect.stringContaining("Element 'currency': This element is not expected. Expected is ( symbol )")],
      ["elsewhere.xml", expect.stringContaining("No matching global declaration available for the validation root")],
    ]);
  });
});

const quotesOut = join(ARTIFACTS, "quotes");

describe("rpc/literal: the generated client and server (fixtures/rpc/quotes.wsdl)", () => {
  let pkg: QuotesPackage;
  let server: Server;
  let url = "";
  beforeAll(async () => {
    rmSync(quotesOut, { recursive: true, force: true });
    const result = await generateContract({ wsdl: "test/generator/fixtures/rpc/quotes.wsdl", out: relative(REPO, quotesOut), package: "@test/quotes" }, { baseDir: REPO });
    expect(result.warnings.map(formatDiagnostic)).toEqual([]);
    writeGenerated(result.files);
    pkg = (await import(pathToFileURL(join(quotesOut, "src/index.ts")).href)) as QuotesPackage;
    const notes: string[] = [];
    server = createServer(
      pkg.createQuoteServiceHandler({
        GetQuote(input: { symbol: string; currency: string }, context: RequestContext<{ Auth?: { User: string } }>) {
          if (input.symbol === "NONE") throw pkg.operationFault(pkg.operations.GetQuote, "UnknownSymbol", { Symbol: input.symbol }, { reason: "unknown symbol" });
          return { quote: { Symbol: input.symbol, Price: "12.50", Currency: input.currency, Note: context.headers.Auth?.User ?? "anonymous" }, stale: false };
        },
        ListQuotes: (input: { prefix: string }) => ({ quotes: [{ Symbol: `${input.prefix}1`, Price: "1", Currency: "MDL" }, { Symbol: `${input.prefix}2`, Price: "2.5", Currency: "EUR" }] }),
        Ping: () => ({ alive: true }),
        Notify(input: { text: string }) {
          notes.push(input.text);
        },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/quotes`;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    rmSync(quotesOut, { recursive: true, force: true });
  });

  it("the package type-checks, and refuses a call without a part", () => {
    writeFileSync(
      join(quotesOut, "src/check.ts"),
      [
        'import { QuoteServiceClient, type QuoteServiceHandlers } from "./index.ts";',
        "declare const client: QuoteServiceClient;",
        'export const price: Promise<string> = client.GetQuote({ symbol: "A", currency: "MDL" }, { soapHeaders: { Auth: { User: "u" } } }).then((r) => r.quote.Price);',
        "export const alive: Promise<boolean> = client.Ping({}).then((r) => r.alive);",
        "// @ts-expect-error the currency part is missing",
        'client.GetQuote({ symbol: "A" });',
        "// @ts-expect-error a currency the enumeration lacks",
        'client.GetQuote({ symbol: "A", currency: "USD" });',
        "export const handlers: QuoteServiceHandlers = {",
        '  GetQuote: (input) => ({ quote: { Symbol: input.symbol, Price: "1", Currency: input.currency }, stale: true }),',
        "  ListQuotes: () => ({ quotes: [] }),",
        "  Ping: () => ({ alive: true }),",
        "  Notify() {},",
        "};",
        "",
      ].join("\n"),
    );
    expect(tscOutput(["--noEmit", "-p", quotesOut])).toBe("");
  }, 60_000);

  it("call each other: parts, a header block, a typed fault, an empty wrapper, one-way", async () => {
    const client = new pkg.QuoteServiceClient({ endpoint: url });
    expect(await client.GetQuote({ symbol: "ABC", currency: "EUR" }, { soapHeaders: { Auth: { User: "ana" } } })).toEqual({
      quote: { Symbol: "ABC", Price: "12.50", Currency: "EUR", Note: "ana" },
      stale: false,
    });
    const refused = await client.GetQuote({ symbol: "NONE", currency: "MDL" }).catch((error: unknown) => error);
    expect(pkg.isOperationFault(refused, pkg.operations.GetQuote, "UnknownSymbol")).toBe(true);
    expect(refused).toMatchObject({ reason: "unknown symbol", detailValue: { Symbol: "NONE" } });
    expect(await client.ListQuotes({ prefix: "Q" })).toEqual({
      quotes: [
        { Symbol: "Q1", Price: "1", Currency: "MDL" },
        { Symbol: "Q2", Price: "2.5", Currency: "EUR" },
      ],
    });
    expect(await client.Ping({})).toEqual({ alive: true });
    await expect(client.Notify({ text: "hi" })).resolves.toBeUndefined();
  });

  it("on the wire: the wrapper in soap:body's namespace, accessors unqualified, their content in the types' namespace", async () => {
    const post = async (action: string, body: string) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8", soapaction: `"${action}"` },
        body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`,
      });
      return { status: response.status, text: await response.text() };
    };
    const answer = await post("urn:quotes/GetQuote", '<q:GetQuote xmlns:q="urn:quotes"><symbol>XYZ</symbol><currency>MDL</currency></q:GetQuote>');
    expect(answer.status).toBe(200);
    // Names as {namespace}local, whatever the prefixes: the Body's element and two levels below it.
    const elements = (e: XmlElement) => e.children.filter((c): c is XmlElement => c.kind === "element");
    const tree = (e: XmlElement, depth: number): unknown => ({ [`{${e.ns}}${e.local}`]: depth === 0 ? undefined : elements(e).map((c) => tree(c, depth - 1)) });
    const body = elements(parseXml(answer.text).root).find((e) => e.local === "Body")!;
    expect(elements(body).map((e) => tree(e, 2))).toEqual([
      {
        "{urn:quotes}GetQuoteResponse": [
          { "{}quote": [{ "{urn:quotes:types}Symbol": undefined }, { "{urn:quotes:types}Price": undefined }, { "{urn:quotes:types}Currency": undefined }, { "{urn:quotes:types}Note": undefined }] },
          { "{}stale": [] },
        ],
      },
    ]);
    // A qualified accessor is not the contract's message: refused as a client error.
    const qualified = await post("urn:quotes/GetQuote", '<q:GetQuote xmlns:q="urn:quotes"><q:symbol>XYZ</q:symbol><q:currency>MDL</q:currency></q:GetQuote>');
    expect(qualified.status).toBe(500);
    expect(qualified.text).toMatch(/<faultcode\b[^>]*>[^<]*Client</);
    expect(qualified.text).toContain("unexpected element {urn:quotes}symbol");
    // The wrapper in another namespace names no operation.
    const elsewhere = await post("urn:quotes/GetQuote", "<GetQuote><symbol>XYZ</symbol><currency>MDL</currency></GetQuote>");
    expect(elsewhere.text).toMatch(/<faultcode\b[^>]*>[^<]*Client</);
    expect(elsewhere.text).toContain("the Body holds {}GetQuote");
  });
});

interface QuotesPackage {
  createQuoteServiceHandler(handlers: object): RequestListener;
  operations: { GetQuote: OperationMeta };
  operationFault(operation: OperationMeta, name: string, detail: unknown, options?: { reason?: string }): Error;
  isOperationFault(error: unknown, operation: OperationMeta, name: string): boolean;
  QuoteServiceClient: new (options: { endpoint: string }) => {
    GetQuote(input: { symbol: string; currency: string }, options?: object): Promise<unknown>;
    ListQuotes(input: { prefix: string }): Promise<unknown>;
    Ping(input: object): Promise<unknown>;
    Notify(input: { text: string }): Promise<void>;
  };
}
