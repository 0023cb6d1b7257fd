/**
 * The direct reader (runtime/src/soap/direct-read.ts) against the full path it shortcuts:
 * parseXml + readEnvelope + routing + decodeElement.
 *
 * Whatever the direct reader accepts, the full path must accept too, routed to the same
 * operation and decoded to a value deep-equal to the direct one (own properties, property order
 * included). What it is unsure of is the full path's to judge, so nothing is checked then, except
 * that the everyday requests below are read directly (else the shortcut would do nothing).
 *
 * Inputs: unsigned requests of both MPay operations made from the decoded example messages
 * (`../shared/mpay/examples`), in several spellings (prefixes, whitespace, XML declaration),
 * plus thousands of deterministic mutations of each: the parser differential's
 * (test/helpers/xml-mutations.ts) and schema-level ones (members dropped, repeated, reordered,
 * emptied, values lengthened or broken).
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createSoapRequestHandler, decodeElement, parseXml, readEnvelope, writeEnvelope, type RequestContext } from "../../runtime/src/index.ts";
import { SOAP_PARSE_OPTIONS } from "../../runtime/src/soap/envelope.ts";
import { compileDirectReader } from "../../runtime/src/soap/direct-read.ts";
import { encodeElementToString } from "../../runtime/src/xsd/encode.ts";
import type { OperationMeta } from "../../runtime/src/meta.ts";
import { ServiceProviderService, operations } from "../../generated/mpay-service-provider/src/index.ts";
import { mulberry32, mutations } from "../helpers/xml-mutations.ts";

const EXAMPLES = "../shared/mpay/examples";
const read = compileDirectReader(ServiceProviderService, true)!;
const quoted = (op: OperationMeta) => `"${op.soapAction}"`;

/** What the full path makes of a request: the operation and input, or why it refused. */
function fullPath(text: string, soapAction: string): { operation: OperationMeta; input: unknown } | { refused: string } {
  try {
    const envelope = readEnvelope(parseXml(text, SOAP_PARSE_OPTIONS), "both");
    if (envelope.version !== "1.1") return { refused: "SOAP 1.2" };
    if (envelope.headers.length > 0 || envelope.payload === undefined || envelope.payloads !== undefined) return { refused: "not one payload without headers" };
    const payload = envelope.payload;
    const operation = Object.values(operations).find((op) => op.input!.name === payload.local && op.input!.ns === payload.ns);
    if (operation === undefined || quoted(operation) !== soapAction) return { refused: "not routed by comparison" };
    return { operation, input: decodeElement(payload, operation.input!) };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** An unsigned request holding the decoded Body of an example message. */
function unsignedRequest(file: string, op: OperationMeta): string {
  const envelope = readEnvelope(parseXml(readFileSync(`${EXAMPLES}/${file}`, "utf8")));
  // (Leniently: the published example abbreviates one list with "...".)
  return writeEnvelope(encodeElementToString(op.input!, decodeElement(envelope.payload!, op.input!, { strict: false })));
}

const bases: { name: string; op: OperationMeta; text: string }[] = [];
for (const [file, op] of [
  ["GetOrderDetails.request.xml", operations.GetOrderDetails],
  ["ConfirmOrderPayment.request.xml", operations.ConfirmOrderPayment],
] as const) {
  const plain = unsignedRequest(file, op);
  bases.push({ name: `${file}: as our client writes it`, op, text: plain });
  bases.push({ name: `${file}: XML declaration, indented`, op, text: `<?xml version="1.0" encoding="utf-8"?>\n${plain.replace(/></g, ">\n  <")}\n` });
  // Not one of the usual prologues: the envelope is read tag by tag.
  bases.push({
    name: `${file}: envelope declaring more namespaces, prefix e`,
    op,
    text: plain
      .replace(/<(\/?)s:/g, "<$1e:")
      .replace('xmlns:s="', 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"\n  xmlns:e="'),
  });
  bases.push({
    name: `${file}: other prefixes, payload prefixed`,
    op,
    text: plain
      .replace(/<(\/?)s:/g, "<$1soapenv:")
      .replace('xmlns:s="', 'xmlns:soapenv="')
      .replace(`<${op.input!.name} xmlns="${op.input!.ns}">`, `<m:${op.input!.name} xmlns:m="${op.input!.ns}" xmlns="${op.input!.ns}">`)
      .replace(`</${op.input!.name}>`, `</m:${op.input!.name}>`),
  });
}

/** Schema-level mutations: members dropped, repeated, swapped, emptied; values lengthened or broken. */
function schemaMutations(text: string, seed: number, count: number): string[] {
  const rng = mulberry32(seed);
  const simple = [...text.matchAll(/<([A-Za-z][\w.-]*)>([^<]*)<\/\1>/g)];
  const out: string[] = [];
  for (let k = 0; k < count && simple.length > 0; k++) {
    const m = simple[Math.floor(rng() * simple.length)]!;
    const at = m.index;
    const whole = m[0];
    const [, name, value] = m;
    const next = simple.find((n) => n.index === at + whole.length);
    const variants = [
      text.slice(0, at) + text.slice(at + whole.length), // dropped
      text.slice(0, at) + whole + whole + text.slice(at + whole.length), // repeated
      next === undefined ? text : text.slice(0, at) + next[0] + whole + text.slice(next.index + next[0].length), // swapped with the next
      text.slice(0, at) + `<${name}/>` + text.slice(at + whole.length), // empty tag
      text.slice(0, at) + `<${name}></${name}>` + text.slice(at + whole.length), // empty
      text.slice(0, at) + `<${name}>${value}${"x".repeat(40)}</${name}>` + text.slice(at + whole.length), // too long
      text.slice(0, at) + `<${name}> ${value}\t</${name}>` + text.slice(at + whole.length), // whitespace around
      text.slice(0, at) + `<${name}>${value}.5e</${name}>` + text.slice(at + whole.length), // lexically broken number or date
      text.slice(0, at) + `<${name}>${value}ă</${name}>` + text.slice(at + whole.length), // non-ASCII
      text.slice(0, at) + `<${name} >${value}</${name} >` + text.slice(at + whole.length), // spaces in tags
      text.slice(0, at) + `<Unknown>${value}</Unknown>` + text.slice(at + whole.length), // renamed
      text.slice(0, at) + `<${name} xmlns="urn:other">${value}</${name}>` + text.slice(at + whole.length), // other namespace
      text.slice(0, at) + `<${name} xmlns="${operations.GetOrderDetails.input!.ns}">${value}</${name}>` + text.slice(at + whole.length), // same namespace again
      text.slice(0, at) + `<${name} xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/>` + text.slice(at + whole.length), // nil
    ];
    out.push(variants[Math.floor(rng() * variants.length)]!);
  }
  return out;
}

function expectSameAsFullPath(text: string, soapAction: string): "direct" | "unsure" {
  const direct = read(text, soapAction);
  if (direct === undefined) return "unsure";
  const full = fullPath(text, soapAction);
  if ("refused" in full) expect.fail(`the direct reader accepted what the full path refuses (${full.refused}):\n${text}`);
  expect(direct.operation).toBe(full.operation);
  expect(direct.input).toStrictEqual(full.input);
  // Same property order, member by member, all the way down.
  expect(JSON.stringify(direct.input)).toBe(JSON.stringify(full.input));
  return "direct";
}

describe("direct reader", () => {
  it("reads the everyday requests of both operations directly, as the full path does", () => {
    for (const base of bases) {
      expect(expectSameAsFullPath(base.text, quoted(base.op)), base.name).toBe("direct");
    }
  });

  it("never accepts what the full path refuses, and reads what it accepts alike (mutations)", () => {
    const verdicts = { direct: 0, unsure: 0 };
    bases.forEach((base, b) => {
      const texts = [...mutations(base.text, 1000 + b, 400).map((m) => m.text), ...schemaMutations(base.text, 2000 + b, 400)];
      for (const text of texts) verdicts[expectSameAsFullPath(text, quoted(base.op))]++;
    });
    // Both outcomes must be exercised for the comparison to mean anything.
    expect(verdicts.direct).toBeGreaterThan(300);
    expect(verdicts.unsure).toBeGreaterThan(1000);
  });

  it("leaves to the full path what routing by comparison does not settle", () => {
    const base = bases[0]!;
    for (const action of [base.op.soapAction, quoted(operations.ConfirmOrderPayment), "", '""']) expect(read(base.text, action)).toBeUndefined();
    expect(read(base.text, [quoted(base.op)])).toBeUndefined();
    expect(read(base.text, undefined)).toBeUndefined();
    // A header block, a SOAP 1.2 envelope, a comment, a reference, CDATA, an attribute: unsure.
    const header = base.text.replace("<s:Body>", '<s:Header><h:Trace xmlns:h="urn:h">1</h:Trace></s:Header><s:Body>');
    const soap12 = base.text.replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope");
    const comment = base.text.replace("<s:Body>", "<s:Body><!-- c -->");
    const reference = base.text.replace(">MDS02<", ">MDS&#48;2<");
    const cdata = base.text.replace(">MDS02<", "><![CDATA[MDS02]]><");
    const attribute = base.text.replace("<s:Body>", '<s:Body s:encodingStyle="urn:x">');
    for (const text of [header, soap12, comment, reference, cdata, attribute]) {
      expect(text).not.toBe(base.text);
      expect(read(text, quoted(base.op))).toBeUndefined();
    }
  });

  it("the server answers a directly read request as before, and still hands the handler the parsed message", async () => {
    const seen: string[] = [];
    const handler = createSoapRequestHandler(ServiceProviderService, {
      GetOrderDetails: (input: never, context: RequestContext) => {
        // The tree is parsed when asked for.
        seen.push(`${context.message.envelope.payload?.local} ${context.message.document.root.local} ${JSON.stringify(input)}`);
        return { GetOrderDetailsResult: [] };
      },
      ConfirmOrderPayment: () => ({}),
    });
    const base = bases[0]!;
    const { status, body } = await callListener(handler, base.text, quoted(base.op));
    expect(status).toBe(200);
    expect(body).toContain("<GetOrderDetailsResult/>");
    const full = fullPath(base.text, quoted(base.op));
    expect("input" in full).toBe(true);
    expect(seen).toEqual([`GetOrderDetails Envelope ${JSON.stringify((full as { input: unknown }).input)}`]);
  });
});

/** Posts a request to a listener served on 127.0.0.1: the status and body it answers. */
async function callListener(listener: ReturnType<typeof createSoapRequestHandler>, body: string, soapAction: string): Promise<{ status: number; body: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8", soapaction: soapAction },
      body,
    });
    return { status: response.status, body: await response.text() };
  } finally {
    server.close();
  }
}
