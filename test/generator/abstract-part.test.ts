/**
 * Given a message part that names an abstract element (document/literal), want it read as its
 * substitution group: the operation's value is the `$element`-tagged union of the members that may
 * stand in the Body, the descriptor lists them, and the generated package's descriptors write and
 * read each member. Two operations that the Body would no longer tell apart are refused (an
 * abstract header block or fault detail: abstract-header.test.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ARTIFACTS, declaration, diagnostics, generateFixture, run, tscOutput } from "./helpers.ts";

const notes = readFileSync(join(import.meta.dirname, "fixtures/abstract-part/notes.wsdl"), "utf8");
const out = join(ARTIFACTS, "abstract-part");
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("an abstract element as a message part", () => {
  it("the operation's value is the union of the members that may stand, each named by $element", async () => {
    const { files, result } = await run({ "main.wsdl": notes });
    expect(result.warnings).toEqual([]);
    const meta = files["src/meta.ts"]!;
    expect(declaration(meta, "operations")).toContain(
      [
        "  Run: operation<",
        '    (Create & { $element: "Create" }) | ((Command | Create) & { $element: "Delete" }),',
        '    { $element: "Done"; $value: string } | { $element: "Failed"; $value: string | null }',
        "  >({",
      ].join("\n"),
    );
    expect(declaration(meta, "operations")).toContain("input: CommandElement,\n    output: OutcomeElement,");
    // Draft is abstract: never in the Body.
    expect(declaration(meta, "CommandElement")).toBe(
      [
        "/** Descriptor of element `{urn:notes}Command`. */",
        'export const CommandElement = element("Command", "urn:notes", () => CommandMeta, {',
        "  substitutes: () => [",
        '    { name: "Create", element: CreateElement },',
        '    { name: "Delete", element: DeleteElement },',
        "  ],",
        "  abstract: true,",
        "});",
      ].join("\n"),
    );
    expect(files["src/client.ts"]).toContain('import type { Command, Create, Ping, Pong } from "./types.ts";');
  });

  it("the generated package compiles a member and refuses the abstract element itself; its descriptors write and read each member", { timeout: 120_000 }, async () => {
    await generateFixture("abstract-part", "notes.wsdl");
    writeFileSync(
      join(out, "src/check.ts"),
      [
        'import type { NotesClient } from "./client.ts";',
        'import type { NotesHandlers } from "./server.ts";',
        "export async function calls(client: NotesClient): Promise<string> {",
        '  await client.Run({ $element: "Create", id: 1, text: "t" });',
        '  await client.Run({ $element: "Delete", id: 2 });',
        "  // @ts-expect-error Command is abstract: the value must name a member",
        "  await client.Run({ id: 3 });",
        "  // @ts-expect-error Draft is abstract",
        '  await client.Run({ $element: "Draft", id: 4, text: "t" });',
        "  // @ts-expect-error Create needs its text",
        '  await client.Run({ $element: "Create", id: 5 });',
        '  const outcome = await client.Run({ $element: "Delete", id: 6 });',
        '  return outcome.$element === "Done" ? outcome.$value : (outcome.$value ?? "nil");',
        "}",
        'export const handlers: Pick<NotesHandlers, "Run"> = { Run: (input) => (input.$element === "Create" ? { $element: "Done", $value: input.text } : { $element: "Failed", $value: null }) };',
        "",
      ].join("\n"),
    );
    expect(tscOutput(["--noEmit", "-p", out])).toBe("");

    const { operations } = (await import(join(out, "src/meta.ts"))) as { operations: { Run: { input: never; output: never } } };
    const { encodeElementToString, decodeElement, parseXml } = await import("@mpay-kit/runtime");
    const xml = encodeElementToString(operations.Run.input, { $element: "Create", id: 1, text: "hello" });
    expect(xml).toBe('<Create xmlns="urn:notes"><id>1</id><text>hello</text></Create>');
    expect(decodeElement(parseXml(xml).root, operations.Run.input)).toEqual({ $element: "Create", id: 1, text: "hello" });
    expect(decodeElement(parseXml('<Failed xmlns="urn:notes" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/>').root, operations.Run.output)).toEqual({ $element: "Failed", $value: null });
    expect(() => decodeElement(parseXml('<Command xmlns="urn:notes"><id>1</id></Command>').root, operations.Run.input)).toThrow("is abstract and cannot stand itself");
  });

  it("the generated client and server talk through each member over HTTP: the server routes every member to the operation", { timeout: 60_000 }, async () => {
    // (Generated by the test above into `out`.)
    const { NotesClient } = (await import(join(out, "src/client.ts"))) as { NotesClient: new (o: { endpoint: string }) => { Run(v: unknown): Promise<unknown>; Ping(v: unknown): Promise<unknown> } };
    const { createNotesHandler } = (await import(join(out, "src/server.ts"))) as { createNotesHandler: (h: object) => (req: IncomingMessage, res: ServerResponse) => void };
    const seen: unknown[] = [];
    const server = createServer(
      createNotesHandler({
        Run: (input: { $element: string; id: number; text?: string }) => {
          seen.push(input);
          return input.$element === "Create" ? { $element: "Done", $value: `created ${input.id}` } : { $element: "Failed", $value: null };
        },
        Ping: () => ({}),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new NotesClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notes` });
      expect(await client.Run({ $element: "Create", id: 1, text: "t" })).toEqual({ $element: "Done", $value: "created 1" });
      expect(await client.Run({ $element: "Delete", id: 2 })).toEqual({ $element: "Failed", $value: null });
      expect(await client.Ping({})).toEqual({});
      expect(seen).toEqual([
        { $element: "Create", id: 1, text: "t" },
        { $element: "Delete", id: 2 },
      ]);
      // The abstract element itself names no operation's Body.
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/notes`, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8", soapaction: '"urn:notes/Run"' },
        body: '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Command xmlns="urn:notes"><id>1</id></Command></s:Body></s:Envelope>',
      });
      expect(answer.status).toBe(500);
      expect(await answer.text()).toContain("is for Run, but the Body holds {urn:notes}Command");
    } finally {
      server.close();
    }
  });

  it("two operations the Body element no longer tells apart are refused", async () => {
    const clash = notes.replace('<wsdl:part name="parameters" element="tns:Ping"/>', '<wsdl:part name="parameters" element="tns:Delete"/>');
    const problems = await diagnostics({ "main.wsdl": clash });
    expect(problems.join("\n")).toContain(
      "operations Run and Ping both take {urn:notes}Delete in the request Body (Run names abstract {urn:notes}Command; Ping names it): the server could not tell them apart; name a concrete element in one of the messages, or give the operations disjoint substitution groups",
    );
  });

  it("an abstract element nothing may stand for is refused", async () => {
    const lonely = notes.replace('substitutionGroup="tns:Outcome"', "").replace('substitutionGroup="tns:Outcome"', "");
    expect((await diagnostics({ "main.wsdl": lonely })).join("\n")).toContain("element {urn:notes}Outcome is abstract and no element of its substitution group may stand for it (a message part of operation Run)");
  });
});
