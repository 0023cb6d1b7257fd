/**
 * rpc/literal against independent SOAP stacks, on one contract of our own,
 * `test/generator/fixtures/rpc/quotes.wsdl` (generated into test-artifacts/interop/rpc-quotes):
 *
 * - Debian's python3-zeep, given only our generated server's `?wsdl`, calls every operation: what
 *   zeep sends reaches the handlers as typed values (parts and a header block), and what the
 *   handlers return reaches zeep (parts, an array, an empty wrapper's answer, a typed fault).
 * - Our generated client calls a node-soap (`soap` npm package) server built from the same WSDL.
 *   node-soap reads our requests exactly. Its rpc responses break the contract (a finding, not a
 *   bug of ours): it qualifies the part accessors with the WSDL's namespace (`<tns:quote>`, where
 *   WS-I Basic Profile R2735 and WSDL 1.1 section 3.5 want them unqualified) and writes the content
 *   of a qualified schema type without its namespace; its fault detail loses the element's
 *   namespace. The strict decoder refuses such a response, naming the accessor.
 * - So that node-soap is heard in the other direction too, its client calls our server: it reads
 *   our rpc responses and faults, and our server reads its requests. (node-soap's client refuses an
 *   rpc message without parts, "invalid message definition for rpc style binding": not called.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import * as soap from "soap";
import { generateContract } from "@mpay-kit/codegen";
import { CodecError, SoapFault, parseXml, type OperationMeta, type RequestContext, type XmlElement } from "@mpay-kit/runtime";

const run = promisify(execFile);
const python = "/usr/bin/python3";
const hasZeep = existsSync(python) && (await run(python, ["-c", "import zeep"]).then(() => true, () => false));
const skipZeep = !hasZeep && process.env.CI !== "true";
if (skipZeep) console.warn("zeep rpc/literal interop skipped: /usr/bin/python3 has no zeep (apt-get install python3-zeep)");

const REPO = join(import.meta.dirname, "../..");
const WSDL = join(REPO, "test/generator/fixtures/rpc/quotes.wsdl");
const OUT = join(REPO, "test-artifacts/interop/rpc-quotes");

interface Quote {
  Symbol: string;
  Price: string;
  Currency: "MDL" | "EUR";
  Note?: string;
}
type Call = { operation: string; input: unknown; headers?: unknown };
interface QuotesPackage {
  createQuoteServiceHandler(handlers: object): RequestListener;
  operations: { GetQuote: OperationMeta };
  operationFault(operation: OperationMeta, name: string, detail: unknown, options?: { reason?: string }): Error;
  isOperationFault(error: unknown, operation: OperationMeta, name: string): boolean;
  QuoteServiceClient: new (options: { endpoint: string }) => {
    GetQuote(input: { symbol: string; currency: string }, options?: { soapHeaders?: { Auth?: { User: string } } }): Promise<{ quote: Quote; stale: boolean }>;
    ListQuotes(input: { prefix: string }): Promise<{ quotes: Quote[] }>;
    Ping(input: object): Promise<{ alive: boolean }>;
    Notify(input: { text: string }): Promise<void>;
  };
}

let pkg: QuotesPackage;
let ours: Server;
let ourUrl = "";
/** What our server's handlers received, in order. */
const received: Call[] = [];

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  const result = await generateContract({ wsdl: relative(REPO, WSDL), out: relative(REPO, join(OUT, "pkg")), package: "@test/rpc-quotes" }, { baseDir: REPO });
  for (const f of result.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
  }
  pkg = (await import(pathToFileURL(join(OUT, "pkg/src/index.ts")).href)) as QuotesPackage;
  ours = createServer(
    pkg.createQuoteServiceHandler({
      GetQuote(input: { symbol: string; currency: "MDL" | "EUR" }, context: RequestContext<{ Auth?: { User: string } }>) {
        received.push({ operation: "GetQuote", input, headers: context.headers });
        if (input.symbol === "NONE") throw pkg.operationFault(pkg.operations.GetQuote, "UnknownSymbol", { Symbol: input.symbol }, { reason: "unknown symbol" });
        return { quote: { Symbol: input.symbol, Price: "12.50", Currency: input.currency, Note: `for ${context.headers.Auth?.User ?? "nobody"}` }, stale: input.currency === "EUR" };
      },
      ListQuotes(input: { prefix: string }) {
        received.push({ operation: "ListQuotes", input });
        return { quotes: [{ Symbol: `${input.prefix}1`, Price: "1", Currency: "MDL" }, { Symbol: `${input.prefix}2`, Price: "2.5", Currency: "EUR", Note: "ă ț" }] };
      },
      Ping(input: object) {
        received.push({ operation: "Ping", input });
        return { alive: true };
      },
      Notify(input: { text: string }) {
        received.push({ operation: "Notify", input });
      },
    }),
  );
  await new Promise<void>((resolve) => ours.listen(0, "127.0.0.1", resolve));
  ourUrl = `http://127.0.0.1:${(ours.address() as AddressInfo).port}/quotes`;
}, 60_000);

afterAll(async () => {
  if (ours !== undefined) await new Promise<void>((resolve) => ours.close(() => resolve()));
  rmSync(OUT, { recursive: true, force: true });
});

interface ZeepAnswer {
  ok: boolean;
  body?: unknown;
  request?: string;
  response?: string | null;
  fault?: { code: string; message: string; detail: string[] | null };
}

async function zeep(operation: string, args: unknown, headers: unknown = {}): Promise<ZeepAnswer> {
  const script = new URL("./zeep_rpc.py", import.meta.url).pathname;
  const { stdout } = await run(python, [script, `${ourUrl}?wsdl`, operation, JSON.stringify(args), JSON.stringify(headers)], { timeout: 30_000 });
  return JSON.parse(stdout) as ZeepAnswer;
}

describe.skipIf(skipZeep)("zeep calls our generated rpc/literal server", () => {
  it("parts and a header block reach the handler; the response's parts reach zeep", async () => {
    received.length = 0;
    const answer = await zeep("GetQuote", { symbol: "ABC", currency: "EUR" }, { auth: { User: "ana" } });
    expect(received).toEqual([{ operation: "GetQuote", input: { symbol: "ABC", currency: "EUR" }, headers: { Auth: { User: "ana" } } }]);
    expect(answer).toMatchObject({ ok: true, body: { quote: { Symbol: "ABC", Price: "12.50", Currency: "EUR", Note: "for ana" }, stale: true } });
    // zeep wrote the wrapper in soap:body's namespace and the accessors unqualified, as we read them.
    const elements = (e: XmlElement) => e.children.filter((c): c is XmlElement => c.kind === "element");
    const body = elements(parseXml(answer.request!).root).find((e) => e.local === "Body")!;
    expect(elements(body).map((w) => [`{${w.ns}}${w.local}`, elements(w).map((a) => `{${a.ns}}${a.local}`)])).toEqual([["{urn:quotes}GetQuote", ["{}symbol", "{}currency"]]]);
  });

  it("an array part, and text beyond ASCII", async () => {
    const answer = await zeep("ListQuotes", { prefix: "Q" });
    // (zeep unwraps a response of one part to that part's value.)
    expect(answer.body).toEqual([
      { Symbol: "Q1", Price: "1", Currency: "MDL", Note: null },
      { Symbol: "Q2", Price: "2.5", Currency: "EUR", Note: "ă ț" },
    ]);
  });

  it("a request without parts is an empty wrapper; a one-way call reaches the handler", async () => {
    received.length = 0;
    expect((await zeep("Ping", {})).body).toBe(true);
    expect(await zeep("Notify", { text: "hello" })).toMatchObject({ ok: true, body: null, response: null });
    expect(received).toEqual([
      { operation: "Ping", input: {} },
      { operation: "Notify", input: { text: "hello" } },
    ]);
  });

  it("a declared fault reaches zeep with its detail element", async () => {
    const answer = await zeep("GetQuote", { symbol: "NONE", currency: "MDL" });
    expect(answer).toEqual({
      ok: false,
      fault: { code: expect.stringMatching(/(^|:)Client$/), message: "unknown symbol", detail: [expect.stringMatching(/^<UnknownSymbol xmlns="urn:quotes:types"[^>]*><Symbol>NONE<\/Symbol><\/UnknownSymbol>$/)] },
    });
  });
});

describe("our generated client calls a node-soap rpc/literal server built from the same WSDL", () => {
  let peer: Server;
  let client: InstanceType<QuotesPackage["QuoteServiceClient"]>;
  /** What node-soap's handlers received: its reading of our requests. */
  const heard: unknown[] = [];
  beforeAll(async () => {
    peer = createServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => peer.listen(0, "127.0.0.1", resolve));
    soap.listen(
      peer,
      "/quotes",
      {
        QuoteService: {
          QuotePort: {
            GetQuote(args: { symbol: string; currency: string }, _callback: unknown, headers: unknown) {
              heard.push(["GetQuote", args, headers]);
              if (args.symbol === "NONE") throw { Fault: { faultcode: "soap:Client", faultstring: "unknown symbol", detail: { UnknownSymbol: { Symbol: "NONE" } } } };
              return { quote: { Symbol: args.symbol, Price: "12.50", Currency: args.currency }, stale: false };
            },
            ListQuotes(args: { prefix: string }) {
              heard.push(["ListQuotes", args]);
              return { quotes: { Quote: [{ Symbol: `${args.prefix}1`, Price: "1", Currency: "MDL" }] } };
            },
            Ping(args: unknown) {
              heard.push(["Ping", args]);
              return { alive: true };
            },
          },
        },
      },
      readFileSync(WSDL, "utf8"),
    );
    client = new pkg.QuoteServiceClient({ endpoint: `http://127.0.0.1:${(peer.address() as AddressInfo).port}/quotes` });
  });
  afterAll(async () => {
    if (peer !== undefined) await new Promise<void>((resolve) => peer.close(() => resolve()));
  });

  it("node-soap reads our requests: parts, a header block, an empty wrapper", async () => {
    heard.length = 0;
    await client.GetQuote({ symbol: "ABC", currency: "EUR" }, { soapHeaders: { Auth: { User: "ana" } } }).catch(() => undefined);
    await client.ListQuotes({ prefix: "Q" }).catch(() => undefined);
    await client.Ping({}).catch(() => undefined);
    // (node-soap gives a wrapper without children as null.)
    expect(heard).toEqual([["GetQuote", { symbol: "ABC", currency: "EUR" }, { Auth: { User: "ana" } }], ["ListQuotes", { prefix: "Q" }], ["Ping", null]]);
  });

  it("the strict decoder refuses node-soap's rpc response, whose accessors are qualified (R2735 wants them unqualified)", async () => {
    for (const [call, path] of [
      [() => client.GetQuote({ symbol: "ABC", currency: "EUR" }), "GetQuoteResponse.quote"],
      [() => client.ListQuotes({ prefix: "Q" }), "ListQuotesResponse.quotes"],
      [() => client.Ping({}), "PingResponse.alive"],
    ] as const) {
      const error: unknown = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(CodecError);
      expect((error as CodecError).path).toBe(path);
      expect((error as CodecError).message).toContain(`unexpected element {urn:quotes}${path.slice(path.indexOf(".") + 1)}`);
    }
  });

  it("node-soap's fault arrives as a SoapFault; its detail lost the element's namespace, so it stays untyped", async () => {
    const error: unknown = await client.GetQuote({ symbol: "NONE", currency: "MDL" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SoapFault);
    expect(error).toMatchObject({ code: "Client", reason: "unknown symbol" });
    expect(pkg.isOperationFault(error, pkg.operations.GetQuote, "UnknownSymbol")).toBe(false);
  });
});

describe("node-soap's client calls our generated rpc/literal server", () => {
  type NodeSoapClient = Record<string, (args: unknown) => Promise<[unknown, string]>> & { addSoapHeader(header: unknown, name: string, prefix: string, ns: string): void };
  let client: NodeSoapClient;
  beforeAll(async () => {
    client = (await soap.createClientAsync(`${ourUrl}?wsdl`, { endpoint: ourUrl })) as unknown as NodeSoapClient;
  });

  it("our server reads its requests, and it reads our responses", async () => {
    received.length = 0;
    client.addSoapHeader({ Auth: { User: "bo" } }, "", "t", "urn:quotes:types");
    const [quote] = await client.GetQuoteAsync!({ symbol: "XYZ", currency: "MDL" });
    expect(quote).toEqual({ quote: { Symbol: "XYZ", Price: "12.50", Currency: "MDL", Note: "for bo" }, stale: false });
    const [list] = await client.ListQuotesAsync!({ prefix: "L" });
    expect(list).toEqual({ quotes: { Quote: [{ Symbol: "L1", Price: "1", Currency: "MDL" }, { Symbol: "L2", Price: "2.5", Currency: "EUR", Note: "ă ț" }] } });
    await client.NotifyAsync!({ text: "from node-soap" });
    expect(received).toEqual([
      { operation: "GetQuote", input: { symbol: "XYZ", currency: "MDL" }, headers: { Auth: { User: "bo" } } },
      { operation: "ListQuotes", input: { prefix: "L" } },
      { operation: "Notify", input: { text: "from node-soap" } },
    ]);
  });

  it("it reads our declared fault and its detail", async () => {
    const error = (await client.GetQuoteAsync!({ symbol: "NONE", currency: "MDL" }).then(
      () => undefined,
      (e: unknown) => e,
    )) as { root?: { Envelope?: { Body?: { Fault?: { faultcode?: string; detail?: unknown } } } } } | undefined;
    expect(error?.root?.Envelope?.Body?.Fault).toMatchObject({ faultcode: expect.stringMatching(/(^|:)Client$/), detail: { UnknownSymbol: { Symbol: "NONE" } } });
  });
});
