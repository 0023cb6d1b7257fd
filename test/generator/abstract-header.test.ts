/**
 * Given a header block and a declared fault's detail that name abstract elements, want them read
 * as their substitution groups, as an abstract Body part is: the header value and the fault
 * detail are the `$element`-tagged unions of the members, the runtime finds the block or the
 * detail by any member's name, and the generated client and server talk through members over
 * HTTP. And a `soap:headerfault` is not skipped silently: a located warning says it is not typed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ARTIFACTS, declaration, diagnostics, generateFixture, run, tscOutput, warnings } from "./helpers.ts";

const desk = readFileSync(join(import.meta.dirname, "fixtures/abstract-header/desk.wsdl"), "utf8");
const out = join(ARTIFACTS, "abstract-header");
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("an abstract element as a header block or a fault detail", () => {
  it("the header values and the fault detail are the unions of the members, each named by $element", async () => {
    const { files, result } = await run({ "main.wsdl": desk });
    expect(result.warnings).toEqual([]);
    const meta = files["src/meta.ts"]!;
    expect(declaration(meta, "operations")).toContain(
      [
        "  File: operation<",
        "    File,",
        "    Filed,",
        '    { readonly Credential?: (Password & { $element: "Password" }) | (Token & { $element: "Token" }) },',
        '    { readonly Stamp?: { $element: "Accepted"; $value: string } | { $element: "Queued"; $value: string } },',
        '    { Refused: (Conflict & { $element: "Conflict" }) | ((Problem | Conflict) & { $element: "NotFound" }) }',
        "  >({",
      ].join("\n"),
    );
    expect(declaration(meta, "operations")).toContain('faults: [{ name: "Refused", element: ProblemElement }],\n    inputHeaders: [CredentialElement],\n    outputHeaders: [StampElement],');
    expect(declaration(meta, "ProblemElement")).toBe(
      [
        "/** Descriptor of element `{urn:desk}Problem`. */",
        'export const ProblemElement = element("Problem", "urn:desk", () => ProblemMeta, {',
        "  substitutes: () => [",
        '    { name: "Conflict", element: ConflictElement },',
        '    { name: "NotFound", element: NotFoundElement },',
        "  ],",
        "  abstract: true,",
        "});",
      ].join("\n"),
    );
    // The members' types are what the client's signatures name.
    expect(files["src/client.ts"]).toContain('import type { File, Filed, Password, Token } from "./types.ts";');
  });

  it("an abstract header block nothing may stand for is refused, naming where it is used", async () => {
    const lonely = desk.replace('substitutionGroup="tns:Credential"', "").replace('substitutionGroup="tns:Credential"', "");
    expect((await diagnostics({ "main.wsdl": lonely })).join("\n")).toContain(
      "element {urn:desk}Credential is abstract and no element of its substitution group may stand for it (a request header block of operation File)",
    );
    const noProblem = desk.replace('substitutionGroup="tns:Problem"', "").replace('substitutionGroup="tns:Problem"', "");
    expect((await diagnostics({ "main.wsdl": noProblem })).join("\n")).toContain("(the detail of fault Refused of operation File)");
  });

  it("the generated package types a member and refuses the abstract element itself", { timeout: 120_000 }, async () => {
    await generateFixture("abstract-header", "desk.wsdl");
    writeFileSync(
      join(out, "src/check.ts"),
      [
        'import type { DeskClient } from "./client.ts";',
        'import type { DeskHandlers } from "./server.ts";',
        'import { isOperationFault, operationFault, operations } from "./index.ts";',
        "export async function calls(client: DeskClient): Promise<string | undefined> {",
        '  await client.File({ name: "a" }, { soapHeaders: { Credential: { $element: "Token", user: "u", token: "t" } } });',
        "  // @ts-expect-error Credential is abstract: the header value must name a member",
        '  await client.File({ name: "a" }, { soapHeaders: { Credential: { user: "u" } } });',
        "  // @ts-expect-error a Password needs its password",
        '  await client.File({ name: "a" }, { soapHeaders: { Credential: { $element: "Password", user: "u" } } });',
        '  const { headers } = await client.File({ name: "a" }, { responseHeaders: true });',
        "  return headers.Stamp?.$value;",
        "}",
        'export const conflict = operationFault(operations.File, "Refused", { $element: "Conflict", message: "taken", with: 7 });',
        "// @ts-expect-error Problem is abstract: the detail must name a member",
        'operationFault(operations.File, "Refused", { message: "no" });',
        "export function withOf(error: unknown): number | undefined {",
        '  return isOperationFault(error, operations.File, "Refused") && error.detailValue.$element === "Conflict" ? error.detailValue.with : undefined;',
        "}",
        "export const handlers: DeskHandlers = {",
        "  File(input, context) {",
        '    context.responseHeaders = { Stamp: { $element: "Accepted", $value: context.headers.Credential?.user ?? input.name } };',
        "    return { id: 1 };",
        "  },",
        "};",
        "",
      ].join("\n"),
    );
    expect(tscOutput(["--noEmit", "-p", out])).toBe("");
  });

  it("the generated client and server carry a member as the header block and as the fault detail over HTTP", { timeout: 60_000 }, async () => {
    // (Generated by the test above into `out`.)
    type Call = (input: unknown, options?: object) => Promise<unknown>;
    const { DeskClient } = (await import(join(out, "src/client.ts"))) as { DeskClient: new (o: { endpoint: string }) => { File: Call } };
    const { createDeskHandler } = (await import(join(out, "src/server.ts"))) as { createDeskHandler: (h: object) => (req: IncomingMessage, res: ServerResponse) => void };
    const { operations, operationFault, isOperationFault } = (await import(join(out, "src/index.ts"))) as {
      operations: { File: never };
      operationFault: (op: never, name: string, detail: unknown) => Error;
      isOperationFault: (e: unknown, op: never, name: string) => boolean;
    };
    const seen: unknown[] = [];
    const server = createServer(
      createDeskHandler({
        File: (input: { name: string }, context: { headers: { Credential?: { $element: string } }; responseHeaders: unknown }) => {
          seen.push(context.headers.Credential);
          if (input.name === "taken") throw operationFault(operations.File, "Refused", { $element: "Conflict", message: "taken", with: 7 });
          if (input.name === "gone") throw operationFault(operations.File, "Refused", { $element: "NotFound", message: "gone" });
          context.responseHeaders = { Stamp: { $element: input.name === "later" ? "Queued" : "Accepted", $value: input.name } };
          return { id: 1 };
        },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/desk`;
    try {
      const client = new DeskClient({ endpoint });
      const token = { $element: "Token", user: "u", token: "t" };
      expect(await client.File({ name: "a" }, { soapHeaders: { Credential: token }, responseHeaders: true })).toEqual({ output: { id: 1 }, headers: { Stamp: { $element: "Accepted", $value: "a" } } });
      expect(await client.File({ name: "later" }, { soapHeaders: { Credential: { $element: "Password", user: "v", password: "p" } }, responseHeaders: true })).toEqual({
        output: { id: 1 },
        headers: { Stamp: { $element: "Queued", $value: "later" } },
      });
      const taken = await client.File({ name: "taken" }).catch((e: unknown) => e);
      expect(isOperationFault(taken, operations.File, "Refused")).toBe(true);
      expect((taken as { detailValue: unknown }).detailValue).toEqual({ $element: "Conflict", message: "taken", with: 7 });
      const gone = await client.File({ name: "gone" }).catch((e: unknown) => e);
      expect((gone as { detailValue: unknown }).detailValue).toEqual({ $element: "NotFound", message: "gone" });
      expect(seen).toEqual([token, { $element: "Password", user: "v", password: "p" }, undefined, undefined]);

      // On the wire: the members' own names, in the Header and in the detail.
      const post = (header: string, name: string) =>
        fetch(endpoint, {
          method: "POST",
          headers: { "content-type": "text/xml; charset=utf-8", soapaction: '"urn:desk/File"' },
          body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>${header}</s:Header><s:Body><File xmlns="urn:desk"><name>${name}</name></File></s:Body></s:Envelope>`,
        });
      const answer = await post('<Token xmlns="urn:desk"><user>w</user><token>x</token></Token>', "taken");
      expect(answer.status).toBe(500);
      expect(await answer.text()).toContain('<detail><Conflict xmlns="urn:desk"><message>taken</message><with>7</with></Conflict></detail>');
      expect(seen.at(-1)).toEqual({ $element: "Token", user: "w", token: "x" });
      const ok = await post('<Password xmlns="urn:desk"><user>w</user><password>x</password></Password>', "b");
      expect(await ok.text()).toContain('<Accepted xmlns="urn:desk">b</Accepted>');
      // The abstract element itself never stands, and two members are the one header twice.
      const head = await post('<Credential xmlns="urn:desk"><user>w</user></Credential>', "c");
      expect(head.status).toBe(500);
      expect(await head.text()).toContain("is abstract and cannot stand itself");
      const twice = await post('<Token xmlns="urn:desk"><user>w</user><token>x</token></Token><Password xmlns="urn:desk"><user>w</user><password>x</password></Password>', "d");
      expect(twice.status).toBe(500);
      expect(await twice.text()).toContain("the header {urn:desk}Credential comes twice (as {urn:desk}Token and {urn:desk}Password)");
      expect(seen).toHaveLength(6);
      // A member marked mustUnderstand is understood: it is the declared block.
      const must = await post('<Token xmlns="urn:desk" xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:mustUnderstand="1"><user>m</user><token>u</token></Token>', "e");
      expect(must.status).toBe(200);
      expect(seen.at(-1)).toEqual({ $element: "Token", user: "m", token: "u" });
    } finally {
      server.close();
    }
  });
});

describe("an abstract response header block marked mustUnderstand", () => {
  it("is understood by the generated client as any member of its group", { timeout: 60_000 }, async () => {
    type Call = (input: unknown, options?: object) => Promise<unknown>;
    const { DeskClient } = (await import(join(out, "src/client.ts"))) as { DeskClient: new (o: { endpoint: string }) => { File: Call } };
    const stamp = (name: string) =>
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><${name} xmlns="urn:desk" s:mustUnderstand="1">x</${name}></s:Header><s:Body><Filed xmlns="urn:desk"><id>3</id></Filed></s:Body></s:Envelope>`;
    let answer = stamp("Queued");
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "text/xml; charset=utf-8" }).end(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new DeskClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/desk` });
      expect(await client.File({ name: "a" }, { responseHeaders: true })).toEqual({ output: { id: 3 }, headers: { Stamp: { $element: "Queued", $value: "x" } } });
      // A block outside the group, marked mustUnderstand, is still not understood.
      answer = stamp("Elsewhere");
      await expect(client.File({ name: "a" })).rejects.toThrow(/Elsewhere/);
    } finally {
      server.close();
    }
  });
});

describe("soap:headerfault", () => {
  it("is not skipped silently: a located warning says that it is not typed", async () => {
    const withHeaderFault = desk.replace(
      '<soap:header message="tns:Auth" part="credential" use="literal"/>',
      '<soap:header message="tns:Auth" part="credential" use="literal">\n        <soap:headerfault message="tns:Refusal" part="problem" use="literal"/>\n      </soap:header>',
    );
    expect(withHeaderFault).not.toBe(desk);
    expect(await warnings({ "main.wsdl": withHeaderFault })).toEqual([
      "main.wsdl:40:9: warning: soap:headerfault (message tns:Refusal, part problem) of a soap:header in wsdl:input of binding operation File is not typed: such a fault reaches callers as a SoapFault (code, reason, detail as XML), and the header block it names, sent in the fault's Header, is not read",
    ]);
  });
});
