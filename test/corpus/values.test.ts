/**
 * The corpus value builder: facets satisfied, optional members filled once, recursion bounded,
 * unsatisfiable and unknown descriptors reported; and the value comparison.
 */
import { describe, expect, it } from "vitest";
import { builtin, complexType, element, attribute, simpleType, anyType } from "@mpay-kit/runtime/codegen/v1";
import { decodeElement, encodeElementToString, parseXml, type ComplexTypeMeta, type Facets, type SimpleTypeMeta } from "@mpay-kit/runtime";
import { difference, patternSamples, QNAME_NS, UnknownDescriptor, UnsatisfiableValue, ValueBuilder } from "./values.ts";

const simple = (base: SimpleTypeMeta["builtin"], facets: Facets) => new ValueBuilder().simple(simpleType("t", base, facets));

describe("simple values", () => {
  it.each<[SimpleTypeMeta["builtin"], Facets, unknown]>([
    ["string", {}, "v1"],
    ["string", { length: 3 }, "v1a"],
    ["string", { minLength: 10 }, "v1abcdefgh"],
    ["string", { maxLength: 1 }, "v"],
    ["string", { enumeration: ["Red", "Green"] }, "Red"],
    ["string", { patterns: ["[A-Z]{3}"] }, "AZB"],
    ["string", { patterns: ["\\d{4}-\\d{2}"] }, "1091-10"],
    ["string", { patterns: ["(ab|cd)+x?"] }, "abx"],
    ["string", { patterns: ["[^a-z]+"] }, "A"],
    ["token", { patterns: ["\\p{Lu}\\p{Ll}*"], minLength: 3, maxLength: 3 }, "Aab"],
    ["int", {}, 1],
    ["int", { minInclusive: "10", maxInclusive: "20" }, 10],
    ["int", { minExclusive: "5" }, 6],
    ["int", { maxExclusive: "-3" }, -4],
    ["long", {}, "1"],
    ["decimal", { fractionDigits: 0 }, "1"],
    ["decimal", { totalDigits: 2, fractionDigits: 1, minInclusive: "3.5" }, "3.5"],
    ["decimal", { minExclusive: "99.95", maxInclusive: "100" }, "100"],
    ["double", { maxExclusive: "0" }, -1.5],
    ["boolean", {}, true],
    ["dateTime", {}, "2024-05-06T07:08:09Z"],
    ["date", { minInclusive: "2030-01-01" }, "2030-01-01"],
    ["hexBinary", { length: 2 }, new Uint8Array([1, 38])],
    ["QName", {}, { namespace: QNAME_NS, localName: "name1" }],
  ])("xs:%s %j → %j", (base, facets, want) => {
    expect(simple(base, facets)).toEqual(want);
  });

  it("refuses what no candidate satisfies, naming the facet", () => {
    expect(() => simple("string", { patterns: ["[a-z]{3}"], length: 5 })).toThrow(UnsatisfiableValue);
    expect(() => simple("int", { minInclusive: "5", maxInclusive: "4" })).toThrow(/satisfies its facets/);
  });

  it("samples alternatives and repetitions of a pattern", () => {
    const samples = patternSamples("(A|BB)[0-9]{2,3}", [0]);
    expect(samples).toContain("A09");
    expect(samples).toContain("BB091");
    expect(samples.every((s) => /^(A|BB)[0-9]{2,3}$/.test(s))).toBe(true);
    expect(patternSamples("(unclosed", [0])).toEqual([]);
  });

  it("numbers strings, keeps IDs unique, and reuses a pattern's value within a message", () => {
    const b = new ValueBuilder();
    const id = simpleType("id", "ID");
    expect([b.simple(id), b.simple(id)]).toEqual(["id1", "id2"]);
    const plain = builtin("string");
    expect(b.simple(plain)).not.toBe(b.simple(plain));
  });
});

describe("complex values", () => {
  const Leaf = complexType("Leaf", [element("name", "urn:t", () => builtin("string"))]);
  const Node: ComplexTypeMeta = complexType(
    "Node",
    [
      element("leaf", "urn:t", () => Leaf, { minOccurs: 0 }),
      element("child", "urn:t", () => Node, { minOccurs: 0 }),
      element("items", "urn:t", () => Leaf, { minOccurs: 0, maxOccurs: Infinity, nillable: true }),
      element("any", "urn:t", () => anyType(), { minOccurs: 0 }),
    ],
    { attributes: [attribute("id", "", () => builtin("int")), attribute("kind", "", () => builtin("string"), { fixed: "node" })] },
  );
  const root = element("Root", "urn:t", () => Node);

  it("fills optional members once, two items (the second null when nillable), recursion bounded", () => {
    const value = new ValueBuilder().element(root) as Record<string, unknown>;
    expect(value["id"]).toBe(1);
    expect(value["kind"]).toBe("node");
    expect(value["leaf"]).toEqual({ name: "v2" });
    // The recursive member holds its required content only: Node is on the stack.
    expect(value["child"]).toEqual({});
    expect(value["items"]).toEqual([{ name: "v3" }, null]);
  });

  it("round-trips through the codec to an equal value", () => {
    const value = new ValueBuilder().element(root);
    const xml = encodeElementToString(root, value);
    expect(difference(value, decodeElement(parseXml(xml).root, root))).toBeUndefined();
  });

  it("throws on required recursion and on descriptor fields it does not know", () => {
    const Loop: ComplexTypeMeta = complexType("Loop", [element("again", "", () => Loop)]);
    expect(() => new ValueBuilder().element(element("L", "", () => Loop))).toThrow(UnsatisfiableValue);
    const withChoice = { ...complexType("C", []), mixedContent: true } as ComplexTypeMeta;
    expect(() => new ValueBuilder().element(element("C", "", () => withChoice))).toThrow(UnknownDescriptor);
    expect(() => new ValueBuilder().element(element("S", "", () => ({ kind: "list" }) as never))).toThrow(/type descriptor kind "list"/);
  });
});

describe("choices between alternatives that recurse", () => {
  it("takes the derived type, or the choice branch, whose required content ends soonest", () => {
    // Address needs a Part, which is abstract: Address again, or Flat, which needs nothing.
    const Part: ComplexTypeMeta = complexType("Part", [], { typeName: { ns: "", local: "Part", ts: "Part" }, abstract: true, derived: () => [Address, Flat] });
    const Address: ComplexTypeMeta = complexType("Address", [element("part", "", () => Part)], { typeName: { ns: "", local: "Address", ts: "Address" } });
    const Flat: ComplexTypeMeta = complexType("Flat", [element("no", "", () => builtin("int"), { minOccurs: 0 })], { typeName: { ns: "", local: "Flat", ts: "Flat" } });
    const value = new ValueBuilder().element(element("A", "", () => Address)) as { part: { $type: string } };
    expect(value.part.$type).toBe("Flat");
    // <choice><element name="again" type="Tree"/><element name="leaf" type="xs:string"/></choice>, required.
    const Tree: ComplexTypeMeta = complexType("Tree", [element("again", "", () => Tree, { minOccurs: 0 }), element("leaf", "", () => builtin("string"), { minOccurs: 0 })], {
      choices: [{ required: true, branches: [{ members: [0], required: [0] }, { members: [1], required: [1] }] }],
    });
    const tree = new ValueBuilder().element(element("T", "", () => Tree));
    expect(tree).toEqual({ leaf: "v1" });
    expect(difference(tree, decodeElement(parseXml(encodeElementToString(element("T", "", () => Tree), tree)).root, element("T", "", () => Tree)))).toBeUndefined();
  });

  it("says precisely why a strict xs:any cannot be satisfied", () => {
    // <element name="hl7"><complexType><sequence><any/></sequence></complexType></element>: the only global element holds the wildcard again.
    const Hl7: ComplexTypeMeta = complexType("Hl7", [], { wildcard: { position: 0, minOccurs: 1, maxOccurs: 1, namespaces: { kind: "any" }, processContents: "strict" } });
    const hl7 = element("hl7", "urn:hl7", () => Hl7);
    expect(() => new ValueBuilder([hl7]).element(hl7)).toThrow("each one the contract declares ({urn:hl7}hl7) holds this content again: no finite value exists");
    expect(() => new ValueBuilder([]).element(hl7)).toThrow("and the contract declares none");
  });

  it("fills an xs:any in a choice only when its branch is the one chosen", () => {
    const Cfg: ComplexTypeMeta = complexType("Cfg", [element("name", "", () => builtin("string"), { minOccurs: 0 })], {
      wildcard: { position: 1, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "any" }, processContents: "lax" },
      choices: [{ required: true, branches: [{ members: [], required: [], wildcard: true }, { members: [0], required: [0] }] }],
    });
    const value = new ValueBuilder().element(element("C", "", () => Cfg)) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["$any"]);
  });
});

describe("difference", () => {
  it("finds the first differing member, bytes, lengths and raw XML", () => {
    expect(difference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toBeUndefined();
    expect(difference({ a: 1, b: [1, 2] }, { a: 1, b: [1] })).toBe("b: 2 items became 1");
    expect(difference({ a: "x" }, { a: "y" })).toBe('a: "x" became "y"');
    expect(difference({ a: "x" }, {})).toBe("a: missing after decoding");
    expect(difference({}, { a: null })).toBe("a: appeared after decoding");
    expect(difference(new Uint8Array([1]), new Uint8Array([2]))).toBe(": bytes differ");
    const x = parseXml('<w><i xmlns="urn:a" k="1">t</i></w>').root;
    const y = parseXml('<other xmlns:p="urn:a"><p:i k="1">t</p:i></other>').root;
    const z = parseXml('<w><i xmlns="urn:b" k="1">t</i></w>').root;
    expect(difference(x, y)).toBeUndefined();
    expect(difference(x, z)).toBe(": raw XML content differs");
  });
});

describe("substitution groups, repeated choices, several xs:any", () => {
  const Item: ComplexTypeMeta = complexType("Item", [element("subject", "", () => builtin("string"))]);
  const Deep: ComplexTypeMeta = complexType("Deep", [element("inner", "", () => Item)]);
  const Note = element("Note", "", () => Item);
  const Nested = element("Nested", "", () => Deep);
  const Tag = element("Tag", "", () => builtin("token"));

  it("a reference to a head takes the substitute whose value ends soonest, named in $element; the codec round-trips it", () => {
    const Box = element("Box", "", () =>
      complexType("Box", [
        element("Item", "", () => Item, { abstract: true, substitutes: () => [{ name: "Nested", element: Nested }, { name: "Note", element: Note }] }),
        element("Label", "", () => builtin("string"), { maxOccurs: 2, substitutes: () => [{ name: "Tag", element: Tag }] }),
      ]),
    );
    const value = new ValueBuilder().element(Box);
    // Note's value ends at once, Nested's a level down; a simple-typed substitute is { $element, $value }, the second item the head's own.
    expect(value).toEqual({ Item: { $element: "Note", subject: "v1" }, Label: [{ $element: "Tag", $value: "v2" }, "v3"] });
    expect(difference(value, decodeElement(parseXml(encodeElementToString(Box, value)).root, Box))).toBeUndefined();
    const Empty = element("Empty", "", () => complexType("Empty", [element("Item", "", () => Item, { abstract: true, substitutes: () => [] })]));
    expect(() => new ValueBuilder().element(Empty)).toThrow("Item is abstract and no element may stand for it");
  });

  it("a required repeated choice gets one element even when the type is filled already; further xs:any get their elements after the first's", () => {
    const Tags: ComplexTypeMeta = complexType("Tags", [element("a", "", () => builtin("string"), { minOccurs: 0, maxOccurs: Infinity }), element("b", "", () => builtin("int"), { minOccurs: 0, maxOccurs: Infinity })], {
      unordered: true,
      choices: [{ required: true, repeated: true, branches: [{ members: [0], required: [] }, { members: [1], required: [] }] }],
    });
    const Pair = element("Pair", "", () => complexType("Pair", [element("first", "", () => Tags), element("second", "", () => Tags)]));
    const pair = new ValueBuilder().element(Pair) as { first: unknown; second: unknown };
    expect(pair.second).toEqual({ a: ["v5"] });
    expect(difference(pair, decodeElement(parseXml(encodeElementToString(Pair, pair)).root, Pair))).toBeUndefined();
    const Two = element("Two", "", () =>
      complexType("Two", [element("mid", "", () => builtin("string"))], {
        wildcard: { position: 0, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "list", list: ["urn:a"] }, processContents: "lax" },
        moreWildcards: [{ position: 1, minOccurs: 1, maxOccurs: 1, namespaces: { kind: "list", list: ["urn:b"] }, processContents: "skip" }],
      }),
    );
    const two = new ValueBuilder().element(Two) as { $any: { ns: string }[] };
    expect(two.$any.map((e) => e.ns)).toEqual(["urn:a", "urn:b"]);
    expect(difference(two, decodeElement(parseXml(encodeElementToString(Two, two)).root, Two))).toBeUndefined();
  });
});
