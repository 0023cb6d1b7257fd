/**
 * Members that share an element name (`ElementMeta.member`), read by position: hand-written
 * descriptors for what the generator tests do not reach (lenient reading, unordered content).
 */
import { describe, expect, it } from "vitest";
import { attribute, builtin, complexType, element } from "../../runtime/src/codegen/v1/index.ts";
import { decodeElement, type UnknownContent } from "../../runtime/src/xsd/decode.ts";
import { encodeElementToString } from "../../runtime/src/xsd/encode.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";

const NS = "urn:same";
const Seq = complexType(`{${NS}}Seq`, [element("a", NS, () => builtin("int")), element("b", NS, () => builtin("string"), { minOccurs: 0 }), element("a", NS, () => builtin("int"), { maxOccurs: 2, member: "a_2" })], {
  attributes: [attribute("b", "", () => builtin("boolean"), { member: "b_2" })],
});
const SeqElement = element("Seq", NS, () => Seq);
const read = (xml: string, onUnknown?: (c: UnknownContent) => void) => decodeElement(parseXml(xml).root, SeqElement, onUnknown === undefined ? {} : { strict: false, onUnknown });

describe("members that share an element name", () => {
  it("each element goes to the member its position makes it; the attribute to its own property", () => {
    const xml = `<Seq xmlns="${NS}" b="true"><a>1</a><b>x</b><a>2</a><a>3</a></Seq>`;
    const value = { b_2: true, a: 1, b: "x", a_2: [2, 3] };
    expect(read(xml)).toEqual(value);
    expect(encodeElementToString(SeqElement, value)).toBe(xml);
  });

  it("too many of the later member is an error; leniently, an out-of-order one is reported and read", () => {
    expect(() => read(`<Seq xmlns="${NS}"><a>1</a><a>2</a><a>3</a><a>4</a></Seq>`)).toThrow("a may occur at most 2 times");
    const seen: string[] = [];
    expect(read(`<Seq xmlns="${NS}"><a>1</a><a>2</a><b>x</b></Seq>`, (c) => seen.push(`${c.kind} ${c.path}`))).toEqual({ a: 1, a_2: [2], b: "x" });
    expect(seen).toEqual(["order Seq.b"]);
  });

  it("in unordered content each goes to the first member of its name with room left", () => {
    const All = complexType(`{${NS}}All`, [element("a", NS, () => builtin("int")), element("c", NS, () => builtin("int"), { minOccurs: 0 }), element("a", NS, () => builtin("int"), { maxOccurs: 2, member: "a_2" })], { unordered: true });
    const AllElement = element("All", NS, () => All);
    expect(decodeElement(parseXml(`<All xmlns="${NS}"><a>1</a><c>0</c><a>2</a><a>3</a></All>`).root, AllElement)).toEqual({ a: 1, c: 0, a_2: [2, 3] });
    expect(decodeElement(parseXml(`<All xmlns="${NS}"><a>1</a><a>2</a></All>`).root, AllElement)).toEqual({ a: 1, a_2: [2] });
  });
});
