import { describe, expect, it } from "vitest";
import { builtin, complexType, element, simpleType } from "../../runtime/src/codegen/v1/index.ts";
import type { ElementMeta, TypeMeta } from "../../runtime/src/meta.ts";
import { decodeElement, type UnknownContent } from "../../runtime/src/xsd/decode.ts";
import { encodeElementToString } from "../../runtime/src/xsd/encode.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { CodecError } from "../../runtime/src/errors.ts";

const NS = "urn:test";
const Status = simpleType(`{${NS}}Status`, "string", { enumeration: ["Active", "Paid"] });
const Line = complexType(`{${NS}}Line`, [
  element("Amount", NS, () => builtin("decimal")),
  element("Note", NS, () => simpleType("Note", "string", { maxLength: 5 }), { minOccurs: 0 }),
]);
const ArrayOfLine = complexType(`{${NS}}ArrayOfLine`, [element("Line", NS, () => Line, { minOccurs: 0, maxOccurs: Infinity, nillable: true })], {
  arrayItem: 0,
});
const Order: TypeMeta = complexType(`{${NS}}Order`, [
  element("Count", NS, () => builtin("int"), { minOccurs: 0 }),
  element("Due", NS, () => builtin("dateTime"), { minOccurs: 0, nillable: true }),
  element("Key", NS, () => builtin("string")),
  element("Lines", NS, () => ArrayOfLine),
  element("Paid", NS, () => builtin("boolean"), { minOccurs: 0 }),
  element("Sub", NS, () => Order, { minOccurs: 0 }),
  element("Status", NS, () => Status),
  element("Tag", NS, () => builtin("string"), { minOccurs: 0, maxOccurs: 3 }),
]);
const OrderElement: ElementMeta = element("Order", NS, () => Order);

function decode(xml: string, strict = true, onUnknown?: (c: UnknownContent) => void): unknown {
  return decodeElement(parseXml(xml).root, OrderElement, { strict, ...(onUnknown ? { onUnknown } : {}) });
}

function decodeError(xml: string): CodecError {
  try {
    decode(xml);
  } catch (error) {
    if (error instanceof CodecError) return error;
    throw error;
  }
  throw new Error("expected a CodecError");
}

const minimal = `<Order xmlns="${NS}"><Key>K1</Key><Lines><Line><Amount>9267.00</Amount></Line></Lines><Status>Active</Status></Order>`;

describe("decode", () => {
  it("reads values typed and exact", () => {
    const xml = `<o:Order xmlns:o="${NS}"><o:Count>3</o:Count><o:Due>2025-07-10T10:51:23</o:Due><o:Key> spaced key </o:Key><o:Lines><o:Line><o:Amount>9267.00</o:Amount><o:Note>a</o:Note></o:Line><o:Line><o:Amount>-0.50</o:Amount></o:Line></o:Lines><o:Paid>1</o:Paid><o:Status>Paid</o:Status><o:Tag>x</o:Tag><o:Tag>y</o:Tag></o:Order>`;
    expect(decode(xml)).toEqual({
      Count: 3,
      Due: "2025-07-10T10:51:23",
      Key: " spaced key ",
      Lines: [{ Amount: "9267.00", Note: "a" }, { Amount: "-0.50" }],
      Paid: true,
      Status: "Paid",
      Tag: ["x", "y"],
    });
  });

  it("is prefix-agnostic: default namespace, prefixes and redeclarations read the same", () => {
    const a = decode(minimal);
    const b = decode(`<p:Order xmlns:p="${NS}"><p:Key>K1</p:Key><q:Lines xmlns:q="${NS}"><Line xmlns="${NS}"><Amount>9267.00</Amount></Line></q:Lines><p:Status>Active</p:Status></p:Order>`);
    expect(b).toEqual(a);
  });

  it("reads xsi:nil as null where nillable, an empty array wrapper as []", () => {
    const xml = `<Order xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Due i:nil="true"/><Key>K</Key><Lines><Line i:nil="true"/></Lines><Status>Active</Status></Order>`;
    expect(decode(xml)).toEqual({ Due: null, Key: "K", Lines: [null], Status: "Active" });
    expect(decode(`<Order xmlns="${NS}"><Key>K</Key><Lines/><Status>Active</Status></Order>`)).toEqual({ Key: "K", Lines: [], Status: "Active" });
  });

  it("reads recursive types", () => {
    const xml = `<Order xmlns="${NS}"><Key>A</Key><Lines/><Sub><Key>B</Key><Lines/><Status>Paid</Status></Sub><Status>Active</Status></Order>`;
    expect(decode(xml)).toEqual({ Key: "A", Lines: [], Sub: { Key: "B", Lines: [], Status: "Paid" }, Status: "Active" });
  });

  it.each([
    [`<Order xmlns="${NS}"><Lines/><Status>Active</Status></Order>`, "missing", "Order.Key", "missing required member Key"],
    [`<Order xmlns="${NS}"><Key>K</Key><Lines/><Status>Gone</Status></Order>`, "invalid", "Order.Status", "is not one of the allowed values: Active, Paid"],
    [`<Order xmlns="${NS}"><Key>K</Key><Lines><Line><Amount>1.0</Amount><Note>toolong</Note></Line></Lines><Status>Paid</Status></Order>`, "invalid", "Order.Lines[0].Note", "must be at most 5 characters long, is 7"],
    [`<Order xmlns="${NS}"><Key>K</Key><Lines><Line><Amount>1,50</Amount></Line></Lines><Status>Paid</Status></Order>`, "invalid", "Order.Lines[0].Amount", "not a valid decimal"],
    [`<Order xmlns="${NS}"><Count>2147483648</Count><Key>K</Key><Lines/><Status>Paid</Status></Order>`, "invalid", "Order.Count", "above the int maximum"],
    [`<Order xmlns="${NS}"><Key>K</Key><Bogus/><Lines/><Status>Paid</Status></Order>`, "unexpected", "Order.Bogus", "unexpected element {urn:test}Bogus"],
    [`<Order xmlns="${NS}"><Key>K</Key><Lines/><Status xmlns="urn:other">Paid</Status></Order>`, "unexpected", "Order.Status", "unexpected element {urn:other}Status"],
    [`<Order xmlns="${NS}"><Lines/><Key>K</Key><Status>Paid</Status></Order>`, "order", "Order.Key", "Key is out of order"],
    [`<Order xmlns="${NS}"><Key>K</Key><Key>K</Key><Lines/><Status>Paid</Status></Order>`, "too-many", "Order.Key", "at most 1 time"],
    [`<Order xmlns="${NS}"><Key>K</Key><Lines/><Status>Paid</Status><Tag>1</Tag><Tag>2</Tag><Tag>3</Tag><Tag>4</Tag></Order>`, "too-many", "Order.Tag", "at most 3 times"],
    [`<Order xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Key i:nil="true"/><Lines/><Status>Paid</Status></Order>`, "nil", "Order.Key", "not nillable"],
    [`<Order xmlns="${NS}"><Key>K<b/></Key><Lines/><Status>Paid</Status></Order>`, "unexpected", "Order.Key", "contains element"],
    [`<Order xmlns="${NS}">stray<Key>K</Key><Lines/><Status>Paid</Status></Order>`, "unexpected", "Order", 'unexpected text "stray"'],
    [`<Order xmlns="${NS}" extra="1"><Key>K</Key><Lines/><Status>Paid</Status></Order>`, "unexpected", "Order", "unexpected attribute extra"],
    [`<Order xmlns="${NS}"><Due>2025-02-29T10:00:00</Due><Key>K</Key><Lines/><Status>Paid</Status></Order>`, "invalid", "Order.Due", "does not exist in month 02"],
  ])("refuses %s (%s at %s)", (xml, problem, path, detail) => {
    const error = decodeError(xml);
    expect(error.problem).toBe(problem);
    expect(error.path).toBe(path);
    expect(error.message).toContain(detail);
  });

  it("leniently skips and reports unknown content, but never loses required members", () => {
    const seen: UnknownContent[] = [];
    const xml = `<Order xmlns="${NS}" extra="1">...<Key>K</Key><New>x</New><Lines/><Status>Paid</Status></Order>`;
    expect(decode(xml, false, (c) => seen.push(c))).toEqual({ Key: "K", Lines: [], Status: "Paid" });
    expect(seen.map((c) => `${c.kind} ${c.name} at ${c.path}`)).toEqual(["attribute extra at Order", "text ... at Order", "element {urn:test}New at Order.New"]);
    expect(() => decode(`<Order xmlns="${NS}"><New/><Lines/><Status>Paid</Status></Order>`, false)).toThrow(/missing required member Key/);
    // Out of order is tolerated leniently, and reported.
    const order: UnknownContent[] = [];
    expect(decode(`<Order xmlns="${NS}"><Status>Paid</Status><Lines/><Key>K</Key></Order>`, false, (c) => order.push(c))).toEqual({ Key: "K", Lines: [], Status: "Paid" });
    expect(order.map((c) => `${c.kind} ${c.name} at ${c.path}`)).toEqual(["order {urn:test}Lines at Order.Lines", "order {urn:test}Key at Order.Key"]);
  });
});

describe("encode", () => {
  it("writes schema order with the default namespace, and round-trips exactly", () => {
    const value = { Status: "Active", Key: "a<b&c", Lines: [{ Note: "n", Amount: "9267.00" }], Tag: ["t"], Due: "2025-07-10T10:51:23" };
    const xml = encodeElementToString(OrderElement, value);
    expect(xml).toBe(
      `<Order xmlns="${NS}"><Due>2025-07-10T10:51:23</Due><Key>a&lt;b&amp;c</Key><Lines><Line><Amount>9267.00</Amount><Note>n</Note></Line></Lines><Status>Active</Status><Tag>t</Tag></Order>`,
    );
    expect(decode(xml)).toEqual({ Due: "2025-07-10T10:51:23", Key: "a<b&c", Lines: [{ Amount: "9267.00", Note: "n" }], Status: "Active", Tag: ["t"] });
  });

  it("writes null as xsi:nil where nillable", () => {
    const xml = encodeElementToString(OrderElement, { Due: null, Key: "K", Lines: [null], Status: "Paid" });
    expect(xml).toContain(`<Due xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/>`);
    expect(decode(xml)).toEqual({ Due: null, Key: "K", Lines: [null], Status: "Paid" });
  });

  it("keeps whitespace and line breaks in strings through a round trip", () => {
    const key = "line one\r\nline\ttwo  ";
    const xml = encodeElementToString(OrderElement, { Key: key, Lines: [], Status: "Paid" });
    expect((decode(xml) as { Key: string }).Key).toBe(key);
  });

  it.each([
    [{ Lines: [], Status: "Paid" }, "Order.Key", "missing required member Key"],
    [{ Key: "K", Lines: [], Status: "Paid", Totl: "1" }, "Order.Totl", "unknown member Totl"],
    [{ Key: "K", Lines: [{ Amount: 1.5 }], Status: "Paid" }, "Order.Lines[0].Amount", "expected a decimal string, got a number"],
    [{ Key: "K", Lines: [{ Amount: "1e5" }], Status: "Paid" }, "Order.Lines[0].Amount", "not a valid decimal"],
    [{ Key: "K", Lines: [], Status: "paid" }, "Order.Status", "is not one of the allowed values"],
    [{ Key: null, Lines: [], Status: "Paid" }, "Order.Key", "not nillable"],
    [{ Key: "K", Lines: [], Status: "Paid", Tag: "x" }, "Order.Tag", "expected an array"],
    [{ Key: "K\u0001", Lines: [], Status: "Paid" }, "Order.Key", "cannot carry"],
    [{ Key: "K", Lines: [], Status: "Paid", Count: 1.5 }, "Order.Count", "expected an integer number"],
  ])("refuses %j", (value, path, detail) => {
    let error: unknown;
    try {
      encodeElementToString(OrderElement, value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).path).toBe(path);
    expect((error as CodecError).message).toContain(detail);
  });
});

describe("member names that are special in JavaScript", () => {
  it("a member named __proto__ is an own property and never replaces the prototype", () => {
    const T = complexType("T", [element("__proto__", NS, () => builtin("string"), { minOccurs: 0 }), element("constructor", NS, () => builtin("string"), { minOccurs: 0 })]);
    const E = element("T", NS, () => T);
    const value = decodeElement<Record<string, unknown>>(parseXml(`<T xmlns="${NS}"><__proto__>x</__proto__><constructor>y</constructor></T>`).root, E);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toBe("x");
    expect(value.constructor).toBe("y");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
