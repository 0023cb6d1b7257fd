/**
 * The codec on XSD constructs beyond flat sequences, each written XML judged by libxml2 against
 * the schema the descriptors stand for (the descriptors are hand-written here, as the generator
 * would write them; the generator's own output is tested in test/generator/ and test/corpus/).
 */
import { describe, expect, it } from "vitest";
import libxml from "libxmljs2";
import { attribute, builtin, complexType, element, listType, simpleType, unionType } from "../../runtime/src/codegen/v1/index.ts";
import type { ComplexTypeMeta, ElementMeta } from "../../runtime/src/meta.ts";
import { decodeElement } from "../../runtime/src/xsd/decode.ts";
import { encodeElementToString } from "../../runtime/src/xsd/encode.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { CodecError } from "../../runtime/src/errors.ts";
import { translatePattern } from "../../runtime/src/xsd/facets.ts";

const NS = "urn:codec-xsd";
const OTHER = "urn:codec-xsd:other";

/** libxml2's errors for `xml` against a schema whose body is `body` (target namespace {@link NS}). */
function schemaErrors(body: string, xml: string, extra = ""): string[] {
  const xsd = libxml.parseXml(
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="${NS}" targetNamespace="${NS}" elementFormDefault="qualified"${extra}>${body}</xs:schema>`,
  );
  const doc = libxml.parseXml(xml);
  return doc.validate(xsd) ? [] : doc.validationErrors.map((e) => e.message.trim());
}

function encodeError(meta: ElementMeta, value: unknown): CodecError {
  try {
    encodeElementToString(meta, value);
  } catch (error) {
    if (error instanceof CodecError) return error;
    throw error;
  }
  throw new Error("expected a CodecError");
}

function roundTrip(meta: ElementMeta, value: unknown): { xml: string; decoded: unknown } {
  const xml = encodeElementToString(meta, value);
  return { xml, decoded: decodeElement(parseXml(xml).root, meta) };
}

describe("decimal and float facets", () => {
  const Amount = simpleType(`{${NS}}Amount`, "decimal", { minInclusive: "10", maxExclusive: "100.5", totalDigits: 4, fractionDigits: 2 });
  const AmountElement = element("Amount", NS, () => Amount);
  const amountSchema = `<xs:element name="Amount"><xs:simpleType><xs:restriction base="xs:decimal"><xs:minInclusive value="10"/><xs:maxExclusive value="100.5"/><xs:totalDigits value="4"/><xs:fractionDigits value="2"/></xs:restriction></xs:simpleType></xs:element>`;

  it.each(["10", "10.00", "99.99", "100.4", "0010.5"])("accepts %s, as libxml2 does", (lexical) => {
    const { xml, decoded } = roundTrip(AmountElement, lexical);
    expect(decoded).toBe(lexical);
    expect(schemaErrors(amountSchema, xml)).toEqual([]);
  });

  it.each([
    ["9", "must be at least 10"],
    ["9.999", "must be at least 10"],
    ["100.5", "must be less than 100.5"],
    ["-50", "must be at least 10"],
    ["12.345", "at most 4 digits in all"],
    ["99.991", "at most 4 digits in all"],
    ["100.45", "at most 4 digits in all"],
  ])("refuses %s in both directions (%s), as libxml2 does", (lexical, detail) => {
    expect(encodeError(AmountElement, lexical).message).toContain(detail);
    expect(() => decodeElement(parseXml(`<Amount xmlns="${NS}">${lexical}</Amount>`).root, AmountElement)).toThrow(detail);
    expect(schemaErrors(amountSchema, `<Amount xmlns="${NS}">${lexical}</Amount>`)).not.toEqual([]);
  });

  it("checks fractionDigits apart from totalDigits", () => {
    const Rate = element("Rate", NS, () => simpleType("Rate", "decimal", { fractionDigits: 1 }));
    expect(encodeError(Rate, "1.25").message).toContain("at most 1 digits after the decimal point");
    expect(roundTrip(Rate, "1.50").decoded).toBe("1.50");
  });

  it("compares float and double bounds as numbers, not as text", () => {
    const Ratio = element("Ratio", NS, () => simpleType("Ratio", "double", { minInclusive: "2", maxInclusive: "1E3" }));
    expect(roundTrip(Ratio, 10).decoded).toBe(10);
    expect(roundTrip(Ratio, 1000).decoded).toBe(1000);
    expect(encodeError(Ratio, 1.5).message).toContain("must be at least 2");
    expect(encodeError(Ratio, 1001).message).toContain("must be at most 1E3");
    expect(encodeError(Ratio, NaN).message).toContain("must be at least 2");
  });
});

describe("attributes", () => {
  const Tagged = complexType(`{${NS}}Tagged`, [element("Name", NS, () => builtin("string"))], {
    attributes: [
      attribute("code", OTHER, () => builtin("string"), { required: true }),
      attribute("lang", "http://www.w3.org/XML/1998/namespace", () => builtin("language")),
      attribute("kind", "", () => builtin("QName")),
      attribute("scope", OTHER, () => builtin("QName")),
    ],
  });
  const TaggedElement = element("Tagged", NS, () => Tagged);
  const schema =
    `<xs:import namespace="${OTHER}" schemaLocation="other.xsd"/><xs:import namespace="http://www.w3.org/XML/1998/namespace"/>` +
    `<xs:element name="Tagged"><xs:complexType><xs:sequence><xs:element name="Name" type="xs:string"/></xs:sequence>` +
    `<xs:attribute ref="o:code" use="required"/><xs:attribute ref="xml:lang"/><xs:attribute name="kind" type="xs:QName"/><xs:attribute ref="o:scope"/></xs:complexType></xs:element>`;

  /** libxml2 cannot load other.xsd from a string: the attributes in OTHER are checked by the codec's own round trip, and their markup here. */
  it("writes qualified and xml: attributes with prefixes, and QName values with their namespace", () => {
    const value = { Name: "n", code: "C1", lang: "ro-MD", kind: { namespace: OTHER, localName: "Sale" }, scope: { namespace: NS, localName: "Local" } };
    const { xml, decoded } = roundTrip(TaggedElement, value);
    expect(xml).toBe(
      `<Tagged xmlns="${NS}" xmlns:a0="${OTHER}" a0:code="C1" xml:lang="ro-MD" xmlns:p2="${OTHER}" kind="p2:Sale" xmlns:a3="${OTHER}" a3:scope="Local"><Name>n</Name></Tagged>`,
    );
    expect(decoded).toEqual(value);
    const doc = libxml.parseXml(xml);
    expect(doc.root()!.attr("kind")!.value()).toBe("p2:Sale");
    expect(schema).toContain("o:code");
  });

  it("libxml2 accepts a QName attribute in another namespace and an unqualified one", () => {
    const Kinded = element("Kinded", NS, () => complexType("Kinded", [], { attributes: [attribute("kind", "", () => builtin("QName"), { required: true })] }));
    const body = `<xs:element name="Kinded"><xs:complexType><xs:attribute name="kind" type="xs:QName" use="required"/></xs:complexType></xs:element>`;
    for (const kind of [{ namespace: OTHER, localName: "Sale" }, { namespace: NS, localName: "Own" }]) {
      const { xml, decoded } = roundTrip(Kinded, { kind });
      expect(decoded).toEqual({ kind });
      expect(schemaErrors(body, xml)).toEqual([]);
    }
    expect(encodeError(Kinded, { kind: { namespace: "", localName: "x" } }).message).toContain("QName in no namespace");
  });

  it("libxml2 accepts qualified attributes (attributeFormDefault)", () => {
    const Q = element("Q", NS, () => complexType("Q", [], { attributes: [attribute("a", NS, () => builtin("int"), { required: true }), attribute("b", NS, () => builtin("string"))] }));
    const body = `<xs:element name="Q"><xs:complexType><xs:attribute name="a" type="xs:int" use="required"/><xs:attribute name="b" type="xs:string"/></xs:complexType></xs:element>`;
    const { xml, decoded } = roundTrip(Q, { a: 5, b: "x" });
    expect(decoded).toEqual({ a: 5, b: "x" });
    expect(schemaErrors(body, xml, ` attributeFormDefault="qualified"`)).toEqual([]);
    // The same XML with the attributes unqualified is what libxml2 refuses.
    expect(schemaErrors(body, `<Q xmlns="${NS}" a="5"/>`, ` attributeFormDefault="qualified"`)).not.toEqual([]);
  });
});

describe("xs:simpleContent", () => {
  const Currency = simpleType(`{${NS}}Currency`, "string", { enumeration: ["MDL", "EUR"] });
  const Money = complexType(`{${NS}}Money`, [], {
    attributes: [attribute("currency", "", () => Currency, { required: true }), attribute("note", "", () => builtin("string"))],
    simpleContent: () => simpleType("Money value", "decimal", { fractionDigits: 2 }),
  });
  const Order = complexType(`{${NS}}Order`, [element("Total", NS, () => Money), element("Code", NS, () => complexType("Code", [], { simpleContent: () => builtin("QName") }), { minOccurs: 0, nillable: true })]);
  const OrderElement = element("Order", NS, () => Order);
  const schema =
    `<xs:simpleType name="Currency"><xs:restriction base="xs:string"><xs:enumeration value="MDL"/><xs:enumeration value="EUR"/></xs:restriction></xs:simpleType>` +
    `<xs:complexType name="Money"><xs:simpleContent><xs:extension base="t:Amount"><xs:attribute name="currency" type="t:Currency" use="required"/><xs:attribute name="note" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>` +
    `<xs:simpleType name="Amount"><xs:restriction base="xs:decimal"><xs:fractionDigits value="2"/></xs:restriction></xs:simpleType>` +
    `<xs:element name="Order"><xs:complexType><xs:sequence><xs:element name="Total" type="t:Money"/><xs:element name="Code" minOccurs="0" nillable="true"><xs:complexType><xs:simpleContent><xs:extension base="xs:QName"/></xs:simpleContent></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>`;

  it("writes the text and the attributes, reads them back, and libxml2 accepts it", () => {
    const value = { Total: { $value: "12.50", currency: "MDL", note: "a<b" }, Code: { $value: { namespace: OTHER, localName: "X" } } };
    const { xml, decoded } = roundTrip(OrderElement, value);
    expect(xml).toBe(`<Order xmlns="${NS}"><Total currency="MDL" note="a&lt;b">12.50</Total><Code xmlns:q1="${OTHER}">q1:X</Code></Order>`);
    expect(decoded).toEqual(value);
    expect(schemaErrors(schema, xml)).toEqual([]);
    const nil = roundTrip(OrderElement, { Total: { $value: "0", currency: "EUR" }, Code: null });
    expect(nil.decoded).toEqual({ Total: { $value: "0", currency: "EUR" }, Code: null });
    expect(schemaErrors(schema, nil.xml)).toEqual([]);
  });

  it("reads the text whatever the prefixes, and checks it and the attributes in both directions", () => {
    expect(decodeElement(parseXml(`<o:Order xmlns:o="${NS}"><o:Total currency="EUR">7</o:Total></o:Order>`).root, OrderElement)).toEqual({ Total: { $value: "7", currency: "EUR" } });
    expect(encodeError(OrderElement, { Total: { $value: "1.234", currency: "MDL" } }).path).toBe("Order.Total.$value");
    expect(encodeError(OrderElement, { Total: { currency: "MDL" } }).message).toContain("missing required member $value");
    expect(encodeError(OrderElement, { Total: { $value: "1", currency: "USD" } }).path).toBe("Order.Total.currency");
    expect(encodeError(OrderElement, { Total: { $value: "1", currency: "MDL", Currency: "x" } }).message).toContain("unknown member Currency");
    expect(encodeError(OrderElement, { Total: "1" }).message).toContain("(its text as $value, and its attributes)");
    const decodeFails = (xml: string) => () => decodeElement(parseXml(xml).root, OrderElement);
    expect(decodeFails(`<Order xmlns="${NS}"><Total>7</Total></Order>`)).toThrow("missing required attribute currency");
    expect(decodeFails(`<Order xmlns="${NS}"><Total currency="MDL">x</Total></Order>`)).toThrow("not a valid decimal");
    expect(decodeFails(`<Order xmlns="${NS}"><Total currency="MDL"><b/></Total></Order>`)).toThrow("contains element");
    expect(decodeFails(`<Order xmlns="${NS}"><Total currency="MDL" extra="1">7</Total></Order>`)).toThrow("unexpected attribute extra");
    for (const bad of [`<Order xmlns="${NS}"><Total>7</Total></Order>`, `<Order xmlns="${NS}"><Total currency="MDL">x</Total></Order>`]) expect(schemaErrors(schema, bad)).not.toEqual([]);
  });
});

describe("type derivation (xsi:type)", () => {
  const Animal: ComplexTypeMeta = complexType(`{${NS}}Animal`, [element("name", NS, () => builtin("string"))], {
    typeName: { ns: NS, local: "Animal", ts: "Animal" },
    abstract: true,
    derived: () => [Dog, Puppy, Cat],
  });
  const Dog: ComplexTypeMeta = complexType(`{${NS}}Dog`, [element("name", NS, () => builtin("string")), element("barks", NS, () => builtin("boolean"))], {
    typeName: { ns: NS, local: "Dog", ts: "Dog" },
    derived: () => [Puppy],
  });
  const Puppy: ComplexTypeMeta = complexType(`{${OTHER}}Puppy`, [element("name", NS, () => builtin("string")), element("barks", NS, () => builtin("boolean")), element("age", NS, () => builtin("int"))], {
    typeName: { ns: OTHER, local: "Puppy", ts: "Puppy" },
  });
  const Cat: ComplexTypeMeta = complexType(`{${NS}}Cat`, [element("name", NS, () => builtin("string"))], { typeName: { ns: NS, local: "Cat", ts: "Cat" } });
  const Zoo = element("Zoo", NS, () => complexType("Zoo", [element("animal", NS, () => Animal, { maxOccurs: Infinity }), element("dog", NS, () => Dog, { minOccurs: 0 })]));
  const schema =
    `<xs:complexType name="Animal" abstract="true"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType>` +
    `<xs:complexType name="Dog"><xs:complexContent><xs:extension base="t:Animal"><xs:sequence><xs:element name="barks" type="xs:boolean"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>` +
    `<xs:complexType name="Cat"><xs:complexContent><xs:restriction base="t:Animal"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:restriction></xs:complexContent></xs:complexType>` +
    `<xs:element name="Zoo"><xs:complexType><xs:sequence><xs:element name="animal" type="t:Animal" maxOccurs="unbounded"/><xs:element name="dog" type="t:Dog" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`;

  it("writes xsi:type for a derived value, reads it back by namespace into $type, and libxml2 accepts it", () => {
    const value = { animal: [{ $type: "Dog", name: "Rex", barks: true }, { $type: "Cat", name: "Tom" }], dog: { name: "Fido", barks: false } };
    const { xml, decoded } = roundTrip(Zoo, value);
    expect(xml).toBe(
      `<Zoo xmlns="${NS}"><animal xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="Dog"><name>Rex</name><barks>true</barks></animal>` +
        `<animal xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="Cat"><name>Tom</name></animal><dog><name>Fido</name><barks>false</barks></dog></Zoo>`,
    );
    expect(decoded).toEqual(value);
    expect(schemaErrors(schema, xml)).toEqual([]);
    // Any prefix, any declaration place: the namespace decides.
    const prefixed = `<z:Zoo xmlns:z="${NS}" xmlns:x="http://www.w3.org/2001/XMLSchema-instance" xmlns:q="${NS}"><z:animal x:type="q:Cat"><z:name>T</z:name></z:animal></z:Zoo>`;
    expect(decodeElement(parseXml(prefixed).root, Zoo)).toEqual({ animal: [{ $type: "Cat", name: "T" }] });
  });

  it("names a derived type in another namespace with a declared prefix, two levels down", () => {
    const value = { animal: [{ $type: "Puppy", name: "Bit", barks: true, age: 1 }], dog: { $type: "Puppy", name: "Bo", barks: false, age: 2 } };
    const { xml, decoded } = roundTrip(Zoo, value);
    expect(xml).toContain(`<animal xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:d="${OTHER}" i:type="d:Puppy">`);
    expect(decoded).toEqual(value);
  });

  it("refuses an abstract value, an unknown $type and an xsi:type outside the family, in both directions", () => {
    expect(encodeError(Zoo, { animal: [{ name: "x" }] }).message).toContain("is abstract: name the value's type in $type (one of Dog, Puppy, Cat)");
    expect(encodeError(Zoo, { animal: [{ $type: "Cow", name: "x" }] }).path).toBe("Zoo.animal[0].$type");
    expect(encodeError(Zoo, { animal: [{ $type: "Cat", name: "y" }], dog: { $type: "Cat", name: "x" } }).message).toContain('"Cat" is not a concrete type derived from');
    expect(encodeError(Zoo, { animal: [{ $type: "Cat", name: "x", barks: true }] }).message).toContain("unknown member barks");
    const decodeFails = (inner: string) => () => decodeElement(parseXml(`<Zoo xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${inner}</Zoo>`).root, Zoo);
    expect(decodeFails(`<animal><name>x</name></animal>`)).toThrow("is abstract");
    expect(decodeFails(`<animal i:type="Animal"><name>x</name></animal>`)).toThrow("is not a concrete type derived from");
    expect(decodeFails(`<dog i:type="Cat"><name>x</name></dog>`)).toThrow(`xsi:type {${NS}}Cat is not a type derived from`);
    expect(decodeFails(`<animal i:type="zz:Dog"><name>x</name></animal>`)).toThrow("undeclared prefix");
    expect(schemaErrors(schema, `<Zoo xmlns="${NS}"><animal><name>x</name></animal></Zoo>`)).not.toEqual([]);
  });
});

describe("xs:choice, xs:all", () => {
  // <choice> (card | (iban, bic?)) then <all> of x, y.
  const Payment = complexType(
    `{${NS}}Payment`,
    [
      element("card", NS, () => builtin("string"), { minOccurs: 0 }),
      element("iban", NS, () => builtin("string"), { minOccurs: 0 }),
      element("bic", NS, () => builtin("string"), { minOccurs: 0 }),
    ],
    { choices: [{ required: true, branches: [{ members: [0], required: [0] }, { members: [1, 2], required: [1] }] }] },
  );
  const PaymentElement = element("Payment", NS, () => Payment);
  const paymentSchema = `<xs:element name="Payment"><xs:complexType><xs:choice><xs:element name="card" type="xs:string"/><xs:sequence><xs:element name="iban" type="xs:string"/><xs:element name="bic" type="xs:string" minOccurs="0"/></xs:sequence></xs:choice></xs:complexType></xs:element>`;
  const Point = element("Point", NS, () => complexType("Point", [element("x", NS, () => builtin("int")), element("y", NS, () => builtin("int"))], { unordered: true }));
  const pointSchema = `<xs:element name="Point"><xs:complexType><xs:all><xs:element name="x" type="xs:int"/><xs:element name="y" type="xs:int"/></xs:all></xs:complexType></xs:element>`;

  it("writes one branch, reads it back, and libxml2 accepts it", () => {
    for (const value of [{ card: "4111" }, { iban: "MD24", bic: "AGRN" }, { iban: "MD24" }]) {
      const { xml, decoded } = roundTrip(PaymentElement, value);
      expect(decoded).toEqual(value);
      expect(schemaErrors(paymentSchema, xml)).toEqual([]);
    }
  });

  it("refuses two branches, none, and a branch without its required member, as libxml2 does", () => {
    const cases: [unknown, string, string][] = [
      [{ card: "1", iban: "2" }, "card and iban are alternatives (xs:choice): give only one of them", `<card>1</card><iban>2</iban>`],
      [{}, "one of card, iban + bic is required (xs:choice)", ``],
      [{ bic: "B" }, "missing required member iban of the chosen alternative", `<bic>B</bic>`],
    ];
    for (const [value, detail, inner] of cases) {
      expect(encodeError(PaymentElement, value).message).toContain(detail);
      const xml = `<Payment xmlns="${NS}">${inner}</Payment>`;
      expect(() => decodeElement(parseXml(xml).root, PaymentElement)).toThrow(detail);
      expect(schemaErrors(paymentSchema, xml)).not.toEqual([]);
    }
  });

  it("xs:all reads its members in any order, and writes them in schema order", () => {
    const xml = `<Point xmlns="${NS}"><y>2</y><x>1</x></Point>`;
    expect(schemaErrors(pointSchema, xml)).toEqual([]);
    expect(decodeElement(parseXml(xml).root, Point)).toEqual({ x: 1, y: 2 });
    const written = roundTrip(Point, { y: 2, x: 1 });
    expect(written.xml).toBe(`<Point xmlns="${NS}"><x>1</x><y>2</y></Point>`);
    expect(schemaErrors(pointSchema, written.xml)).toEqual([]);
    expect(() => decodeElement(parseXml(`<Point xmlns="${NS}"><y>2</y><x>1</x><x>1</x></Point>`).root, Point)).toThrow("at most 1 time");
  });
});

describe("xs:any", () => {
  // <sequence><element name="id"/><any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/><element name="end"/></sequence>
  const Open = complexType(`{${NS}}Open`, [element("id", NS, () => builtin("int")), element("end", NS, () => builtin("string"))], {
    wildcard: { position: 1, minOccurs: 0, maxOccurs: Infinity, namespaces: { kind: "other", ns: NS }, processContents: "lax" },
  });
  const OpenElement = element("Open", NS, () => Open);
  const schema = `<xs:element name="Open"><xs:complexType><xs:sequence><xs:element name="id" type="xs:int"/><xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/><xs:element name="end" type="xs:string"/></xs:sequence></xs:complexType></xs:element>`;

  it("keeps the elements it matched as XML, writes them back in place, and libxml2 accepts it", () => {
    const xml = `<o:Open xmlns:o="${NS}" xmlns:x="${OTHER}"><o:id>1</o:id><x:note lang="ro">salut <x:b>lume</x:b></x:note><x:more/><o:end>e</o:end></o:Open>`;
    expect(schemaErrors(schema, xml)).toEqual([]);
    const value = decodeElement<{ id: number; $any: { local: string; ns: string }[]; end: string }>(parseXml(xml).root, OpenElement);
    expect(value.id).toBe(1);
    expect(value.$any.map((e) => `{${e.ns}}${e.local}`)).toEqual([`{${OTHER}}note`, `{${OTHER}}more`]);
    const written = encodeElementToString(OpenElement, value);
    expect(written).toBe(`<Open xmlns="${NS}"><id>1</id><note xmlns="${OTHER}" lang="ro">salut <b>lume</b></note><more xmlns="${OTHER}"></more><end>e</end></Open>`);
    expect(schemaErrors(schema, written)).toEqual([]);
    expect(decodeElement(parseXml(written).root, OpenElement)).toMatchObject({ id: 1, end: "e" });
  });

  it("keeps qualified attributes and the element's own prefix declarations (for QName values) when it writes matched elements back", () => {
    const xml = `<Open xmlns="${NS}"><id>1</id><x:note xmlns:x="${OTHER}" xmlns:q="urn:q" x:lang="ro" xml:space="preserve" kind="q:a"/><end>e</end></Open>`;
    const value = decodeElement(parseXml(xml).root, OpenElement);
    const written = encodeElementToString(OpenElement, value);
    expect(written).toBe(`<Open xmlns="${NS}"><id>1</id><note xmlns="${OTHER}" xmlns:x="${OTHER}" xmlns:q="urn:q" x:lang="ro" xml:space="preserve" kind="q:a"></note><end>e</end></Open>`);
    const note = (decodeElement(parseXml(written).root, OpenElement) as { $any: { attributes: { ns: string; local: string; value: string }[] }[] }).$any[0]!;
    expect(note.attributes.map((a) => `{${a.ns}}${a.local}=${a.value}`)).toEqual([`{${OTHER}}lang=ro`, "{http://www.w3.org/XML/1998/namespace}space=preserve", "{}kind=q:a"]);
  });

  it("refuses an element in a namespace the wildcard excludes, in both directions", () => {
    const own = parseXml(`<extra xmlns="${NS}"/>`).root;
    expect(encodeError(OpenElement, { id: 1, $any: [own], end: "e" }).message).toContain("in a namespace the xs:any does not allow");
    expect(() => decodeElement(parseXml(`<Open xmlns="${NS}"><id>1</id><extra/><end>e</end></Open>`).root, OpenElement)).toThrow("unexpected element");
    expect(encodeError(OpenElement, { id: 1, $any: "x", end: "e" }).message).toContain("expected an array of parsed XML elements");
    expect(schemaErrors(schema, `<Open xmlns="${NS}"><id>1</id><extra/><end>e</end></Open>`)).not.toEqual([]);
  });
});

describe("a model group that repeats", () => {
  // <sequence><element name="head"/><sequence maxOccurs="unbounded"><element name="k"/><element name="v" minOccurs="0" maxOccurs="2"/></sequence><element name="end"/></sequence>
  const Pair = complexType(`anonymous type of {${NS}}Pairs/kAndV`, [element("k", NS, () => builtin("string")), element("v", NS, () => builtin("int"), { minOccurs: 0, maxOccurs: 2 })]);
  const Pairs = complexType(`{${NS}}Pairs`, [
    element("head", NS, () => builtin("string")),
    { ...element("kAndV", "", () => Pair, { maxOccurs: Infinity }), group: true },
    element("end", NS, () => builtin("string"), { minOccurs: 0 }),
  ]);
  const PairsElement = element("Pairs", NS, () => Pairs);
  const schema = `<xs:element name="Pairs"><xs:complexType><xs:sequence><xs:element name="head" type="xs:string"/><xs:sequence maxOccurs="unbounded"><xs:element name="k" type="xs:string"/><xs:element name="v" type="xs:int" minOccurs="0" maxOccurs="2"/></xs:sequence><xs:element name="end" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`;

  it("is an array of occurrences whose elements stand directly in the parent, split where a sequence starts again", () => {
    const value = { head: "h", kAndV: [{ k: "a", v: [1, 2] }, { k: "b" }, { k: "c", v: [3] }], end: "e" };
    const { xml, decoded } = roundTrip(PairsElement, value);
    expect(xml).toBe(`<Pairs xmlns="${NS}"><head>h</head><k>a</k><v>1</v><v>2</v><k>b</k><k>c</k><v>3</v><end>e</end></Pairs>`);
    expect(schemaErrors(schema, xml)).toEqual([]);
    expect(decoded).toEqual(value);
    // A member that has all its occurrences starts the next occurrence too: v, v, v is two of them, which need a k each.
    expect(() => decodeElement(parseXml(`<Pairs xmlns="${NS}"><head>h</head><k>a</k><v>1</v><v>2</v><v>3</v></Pairs>`).root, PairsElement)).toThrow("missing required member k");
    expect(schemaErrors(schema, `<Pairs xmlns="${NS}"><head>h</head><k>a</k><v>1</v><v>2</v><v>3</v></Pairs>`)).not.toEqual([]);
  });

  it("checks its occurrences in both directions", () => {
    expect(encodeError(PairsElement, { head: "h", kAndV: [] }).message).toContain("kAndV must occur at least 1 time");
    expect(() => decodeElement(parseXml(`<Pairs xmlns="${NS}"><head>h</head></Pairs>`).root, PairsElement)).toThrow("missing required member kAndV");
    expect(encodeError(PairsElement, { head: "h", kAndV: [{ v: [1] }] }).path).toBe("Pairs.kAndV[0].k");
    const Twice = complexType("Twice", [{ ...element("kAndV", "", () => Pair, { maxOccurs: 2 }), group: true }]);
    const TwiceElement = element("Twice", NS, () => Twice);
    expect(() => decodeElement(parseXml(`<Twice xmlns="${NS}"><k>a</k><k>b</k><k>c</k></Twice>`).root, TwiceElement)).toThrow("kAndV may occur at most 2 times, found 3");
  });
});

describe("xs:anyAttribute", () => {
  // <complexType><sequence><element name="id"/></sequence><attribute name="code"/><anyAttribute namespace="##other" processContents="lax"/></complexType>
  // and a global attribute {OTHER}level of type xs:int, which a lax wildcard checks values against.
  const Open = {
    ...complexType(`{${NS}}Open`, [element("id", NS, () => builtin("int"))], { attributes: [attribute("code", "", () => builtin("string"))] }),
    anyAttribute: { namespaces: { kind: "other", ns: NS }, processContents: "lax", declared: () => [attribute("level", OTHER, () => builtin("int"))] },
  } satisfies ComplexTypeMeta;
  const OpenElement = element("Open", NS, () => Open);
  const schema = (pc: string) =>
    `<xs:element name="Open"><xs:complexType><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence><xs:attribute name="code" type="xs:string"/><xs:anyAttribute namespace="##other" processContents="${pc}"/></xs:complexType></xs:element>`;

  it("keeps the attributes it matched by namespace, never by prefix, in document order, and writes them back", () => {
    const xml = `<o:Open xmlns:o="${NS}" xmlns:x="${OTHER}" xmlns:y="urn:third" code="c" x:level="3" y:note="n &amp; m" xml:lang="ro"><o:id>1</o:id></o:Open>`;
    const value = decodeElement(parseXml(xml).root, OpenElement);
    expect(value).toEqual({
      id: 1,
      code: "c",
      $anyAttributes: [
        { ns: OTHER, local: "level", value: "3" },
        { ns: "urn:third", local: "note", value: "n & m" },
        { ns: "http://www.w3.org/XML/1998/namespace", local: "lang", value: "ro" },
      ],
    });
    const written = encodeElementToString(OpenElement, value);
    expect(written).toBe(`<Open xmlns="${NS}" code="c" xmlns:w0="${OTHER}" w0:level="3" xmlns:w1="urn:third" w1:note="n &amp; m" xml:lang="ro"><id>1</id></Open>`);
    expect(decodeElement(parseXml(written).root, OpenElement)).toEqual(value);
    // libxml2 agrees for the attributes a skip wildcard takes (it has no declaration of level here).
    expect(schemaErrors(schema("skip"), written)).toEqual([]);
  });

  it("refuses what the wildcard does not allow, in both directions", () => {
    // ##other excludes the target namespace and no namespace.
    expect(() => decodeElement(parseXml(`<Open xmlns="${NS}" other="1"><id>1</id></Open>`).root, OpenElement)).toThrow("unexpected attribute other");
    expect(() => decodeElement(parseXml(`<o:Open xmlns:o="${NS}" o:own="1"><o:id>1</o:id></o:Open>`).root, OpenElement)).toThrow(`unexpected attribute {${NS}}own`);
    expect(encodeError(OpenElement, { id: 1, $anyAttributes: [{ ns: "", local: "other", value: "1" }] }).message).toContain("in a namespace the xs:anyAttribute does not allow");
    expect(schemaErrors(schema("skip"), `<Open xmlns="${NS}" other="1"><id>1</id></Open>`)).not.toEqual([]);
    // lax: a declared attribute's value is checked; strict: an undeclared one is refused.
    expect(() => decodeElement(parseXml(`<Open xmlns="${NS}" xmlns:x="${OTHER}" x:level="high"><id>1</id></Open>`).root, OpenElement)).toThrow("attribute {urn:codec-xsd:other}level");
    expect(encodeError(OpenElement, { id: 1, $anyAttributes: [{ ns: OTHER, local: "level", value: "high" }] }).path).toBe("Open.$anyAttributes[0]");
    const Strict = { ...Open, anyAttribute: { ...Open.anyAttribute, processContents: "strict" } } satisfies ComplexTypeMeta;
    const StrictElement = element("Open", NS, () => Strict);
    expect(() => decodeElement(parseXml(`<Open xmlns="${NS}" xmlns:y="urn:third" y:note="n"><id>1</id></Open>`).root, StrictElement)).toThrow("unexpected attribute {urn:third}note");
    expect(encodeError(StrictElement, { id: 1, $anyAttributes: [{ ns: "urn:third", local: "note", value: "n" }] }).message).toContain("no global declaration");
    expect(encodeElementToString(StrictElement, { id: 1, $anyAttributes: [{ ns: OTHER, local: "level", value: "2" }] })).toContain('w0:level="2"');
    // Shapes and names that would make broken or misleading XML.
    expect(encodeError(OpenElement, { id: 1, $anyAttributes: [{ ns: OTHER, local: 'a="1" b', value: "1" }] }).message).toContain("is not an attribute name");
    expect(encodeError(OpenElement, { id: 1, $anyAttributes: [{ ns: OTHER, local: "n", value: "1" }, { ns: OTHER, local: "n", value: "2" }] }).message).toContain("given twice");
    expect(encodeError(OpenElement, { id: 1, $anyAttributes: [{ ns: "http://www.w3.org/2001/XMLSchema-instance", local: "type", value: "x" }] }).message).toContain("written by the codec");
    expect(encodeError(OpenElement, { id: 1, $anyAttributes: { ns: OTHER } }).message).toContain("expected an array");
    // Lenient reading skips and reports what it cannot keep.
    const skipped: string[] = [];
    const lenient = decodeElement(parseXml(`<Open xmlns="${NS}" other="1"><id>1</id></Open>`).root, OpenElement, { strict: false, onUnknown: (u) => skipped.push(u.name) });
    expect(lenient).toEqual({ id: 1 });
    expect(skipped).toEqual(["other"]);
  });

  it("on simple content too", () => {
    const Money = {
      ...complexType(`{${NS}}Money`, [], { simpleContent: () => builtin("decimal") }),
      anyAttribute: { namespaces: { kind: "any" }, processContents: "skip" },
    } satisfies ComplexTypeMeta;
    const MoneyElement = element("Money", NS, () => Money);
    const { xml, decoded } = roundTrip(MoneyElement, { $value: "1.50", $anyAttributes: [{ ns: "", local: "currency", value: "MDL" }] });
    expect(xml).toBe(`<Money xmlns="${NS}" currency="MDL">1.50</Money>`);
    expect(decoded).toEqual({ $value: "1.50", $anyAttributes: [{ ns: "", local: "currency", value: "MDL" }] });
  });
});

describe("xs:any in an xs:choice", () => {
  // <sequence><element name="id"/><choice><element name="name"/><any namespace="##other" processContents="lax"/></choice></sequence>
  const Cfg = complexType(`{${NS}}Cfg`, [element("id", NS, () => builtin("int")), element("name", NS, () => builtin("string"), { minOccurs: 0 })], {
    wildcard: { position: 2, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "other", ns: NS }, processContents: "lax" },
    choices: [{ required: true, branches: [{ members: [1], required: [1] }, { members: [], required: [], wildcard: true }] }],
  });
  const CfgElement = element("Cfg", NS, () => Cfg);
  const schema = `<xs:element name="Cfg"><xs:complexType><xs:sequence><xs:element name="id" type="xs:int"/><xs:choice><xs:element name="name" type="xs:string"/><xs:any namespace="##other" processContents="lax"/></xs:choice></xs:sequence></xs:complexType></xs:element>`;

  it("an element the wildcard matched chooses its branch; the other branch then cannot be given too", () => {
    const xml = `<Cfg xmlns="${NS}"><id>1</id><x xmlns="${OTHER}">y</x></Cfg>`;
    expect(schemaErrors(schema, xml)).toEqual([]);
    const value = decodeElement<{ $any: unknown[] }>(parseXml(xml).root, CfgElement);
    expect(value.$any).toHaveLength(1);
    expect(encodeElementToString(CfgElement, value)).toBe(xml);
    expect(encodeError(CfgElement, { ...value, name: "n" }).message).toContain("name and $any are alternatives (xs:choice)");
    expect(() => decodeElement(parseXml(`<Cfg xmlns="${NS}"><id>1</id><name>n</name><x xmlns="${OTHER}">y</x></Cfg>`).root, CfgElement)).toThrow("alternatives");
    expect(() => decodeElement(parseXml(`<Cfg xmlns="${NS}"><id>1</id></Cfg>`).root, CfgElement)).toThrow("one of name, $any is required");
    expect(schemaErrors(schema, `<Cfg xmlns="${NS}"><id>1</id></Cfg>`)).not.toEqual([]);
  });
});

describe("mixed content", () => {
  // <complexType mixed="true"><sequence><element name="b" maxOccurs="unbounded"/><any namespace="##other" processContents="lax" minOccurs="0"/></sequence></complexType>
  const Para = {
    ...complexType(`{${NS}}Para`, [element("b", NS, () => builtin("string"), { minOccurs: 0, maxOccurs: Infinity })], {
      wildcard: { position: 1, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "other", ns: NS }, processContents: "lax" },
    }),
    mixed: true,
  } satisfies ComplexTypeMeta;
  const ParaElement = element("Para", NS, () => Para);
  const schema = `<xs:element name="Para"><xs:complexType mixed="true"><xs:sequence><xs:element name="b" type="xs:string" minOccurs="0" maxOccurs="unbounded"/><xs:any namespace="##other" processContents="lax" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`;

  it("keeps the text before each child element and after the last in $text, and writes it back between them", () => {
    const xml = `<Para xmlns="${NS}">Hello <b>dear</b> and <b>kind</b>, see <x xmlns="${OTHER}">here</x> &amp; more</Para>`;
    expect(schemaErrors(schema, xml)).toEqual([]);
    const value = decodeElement<{ b: string[]; $text: string[] }>(parseXml(xml).root, ParaElement);
    expect(value.b).toEqual(["dear", "kind"]);
    expect(value.$text).toEqual(["Hello ", " and ", ", see ", " & more"]);
    expect(encodeElementToString(ParaElement, value)).toBe(xml);
    // Text only, and no text at all.
    expect(roundTrip(ParaElement, { $text: ["just <text>"] })).toEqual({ xml: `<Para xmlns="${NS}">just &lt;text&gt;</Para>`, decoded: { $text: ["just <text>"] } });
    expect(roundTrip(ParaElement, { b: ["x"] }).decoded).toEqual({ b: ["x"] });
    // Fewer pieces than gaps leave the others empty; more than there are gaps is refused.
    expect(encodeElementToString(ParaElement, { b: ["x", "y"], $text: ["a"] })).toBe(`<Para xmlns="${NS}">a<b>x</b><b>y</b></Para>`);
    expect(encodeError(ParaElement, { b: ["x"], $text: ["a", "b", "c"] }).message).toContain("3 pieces of text for 1 child elements");
    expect(encodeError(ParaElement, { $text: "a" }).message).toContain("expected an array of strings");
  });

  it("element-only content still refuses text", () => {
    const Plain = complexType(`{${NS}}Plain`, [element("b", NS, () => builtin("string"))]);
    expect(() => decodeElement(parseXml(`<Plain xmlns="${NS}">x<b>y</b></Plain>`).root, element("Plain", NS, () => Plain))).toThrow('unexpected text "x"');
  });
});

describe("xs:list", () => {
  const Codes = listType(`{${NS}}Codes`, () => simpleType("Code", "int", { minInclusive: "1" }), { maxLength: 3 });
  const Tagged = element("Tagged", NS, () => complexType("Tagged", [element("codes", NS, () => Codes)], { attributes: [attribute("days", "", () => listType("Days", () => builtin("date")))] }));
  const schema =
    `<xs:simpleType name="Codes"><xs:restriction><xs:simpleType><xs:list><xs:simpleType><xs:restriction base="xs:int"><xs:minInclusive value="1"/></xs:restriction></xs:simpleType></xs:list></xs:simpleType><xs:maxLength value="3"/></xs:restriction></xs:simpleType>` +
    `<xs:element name="Tagged"><xs:complexType><xs:sequence><xs:element name="codes" type="t:Codes"/></xs:sequence><xs:attribute name="days"><xs:simpleType><xs:list itemType="xs:date"/></xs:simpleType></xs:attribute></xs:complexType></xs:element>`;

  it("is an array of item values, written separated by spaces, and libxml2 accepts it", () => {
    const value = { codes: [1, 20, 3], days: ["2025-07-10", "2025-07-11"] };
    const { xml, decoded } = roundTrip(Tagged, value);
    expect(xml).toBe(`<Tagged xmlns="${NS}" days="2025-07-10 2025-07-11"><codes>1 20 3</codes></Tagged>`);
    expect(decoded).toEqual(value);
    expect(schemaErrors(schema, xml)).toEqual([]);
    expect(decodeElement(parseXml(`<Tagged xmlns="${NS}"><codes>\n  4   5 </codes></Tagged>`).root, Tagged)).toEqual({ codes: [4, 5] });
    expect(roundTrip(Tagged, { codes: [] }).decoded).toEqual({ codes: [] });
  });

  it("checks every item and counts items for the length facets, in both directions, as libxml2 does", () => {
    expect(encodeError(Tagged, { codes: [1, 2, 3, 4] }).message).toContain("must have at most 3 items, has 4");
    expect(encodeError(Tagged, { codes: [1, 0] }).path).toBe("Tagged.codes[1]");
    expect(encodeError(Tagged, { codes: 1 }).message).toContain("is a list");
    for (const [inner, detail] of [
      ["1 2 3 4", "must have at most 3 items"],
      ["1 0", "must be at least 1"],
      ["1 x", "not a valid int"],
    ] as const) {
      const xml = `<Tagged xmlns="${NS}"><codes>${inner}</codes></Tagged>`;
      expect(() => decodeElement(parseXml(xml).root, Tagged)).toThrow(detail);
      expect(schemaErrors(schema, xml)).not.toEqual([]);
    }
  });
});

describe("xs:union", () => {
  const Size = unionType(`{${NS}}Size`, () => [simpleType("Int", "int", { minInclusive: "0" }), simpleType("Word", "string", { enumeration: ["auto", "none"] })]);
  const Box = element("Box", NS, () => complexType("Box", [element("size", NS, () => Size, { maxOccurs: 3 })]));
  const schema =
    `<xs:simpleType name="Size"><xs:union><xs:simpleType><xs:restriction base="xs:int"><xs:minInclusive value="0"/></xs:restriction></xs:simpleType>` +
    `<xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="auto"/><xs:enumeration value="none"/></xs:restriction></xs:simpleType></xs:union></xs:simpleType>` +
    `<xs:element name="Box"><xs:complexType><xs:sequence><xs:element name="size" type="t:Size" maxOccurs="3"/></xs:sequence></xs:complexType></xs:element>`;

  it("is a value of the first member type that accepts it, both ways, and libxml2 accepts it", () => {
    const { xml, decoded } = roundTrip(Box, { size: [12, "auto"] });
    expect(xml).toBe(`<Box xmlns="${NS}"><size>12</size><size>auto</size></Box>`);
    expect(decoded).toEqual({ size: [12, "auto"] });
    expect(schemaErrors(schema, xml)).toEqual([]);
  });

  it("refuses what no member type accepts, as libxml2 does", () => {
    expect(encodeError(Box, { size: [-1] }).message).toContain("no member type of {urn:codec-xsd}Size accepts the value");
    expect(encodeError(Box, { size: ["big"] }).message).toContain("is not one of the allowed values: auto, none");
    const xml = `<Box xmlns="${NS}"><size>big</size></Box>`;
    expect(() => decodeElement(parseXml(xml).root, Box)).toThrow("no member type");
    expect(schemaErrors(schema, xml)).not.toEqual([]);
  });
});

describe("xsi:nil and required attributes", () => {
  it("refuses null for a type with a required attribute (a nil element still needs it), as libxml2 does", () => {
    const Coded = complexType("Coded", [], { attributes: [attribute("code", "", () => builtin("string"), { required: true })] });
    const List = element("List", NS, () => complexType("List", [element("item", NS, () => Coded, { maxOccurs: 2, nillable: true })]));
    expect(encodeError(List, { item: [{ code: "a" }, null] }).message).toContain('cannot be nil: its type requires attribute code, which xsi:nil="true" would lack');
    const body = `<xs:complexType name="Coded"><xs:attribute name="code" type="xs:string" use="required"/></xs:complexType><xs:element name="List"><xs:complexType><xs:sequence><xs:element name="item" type="t:Coded" maxOccurs="2" nillable="true"/></xs:sequence></xs:complexType></xs:element>`;
    expect(schemaErrors(body, `<List xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><item code="a"/><item i:nil="true"/></List>`)).not.toEqual([]);
    expect(schemaErrors(body, roundTrip(List, { item: [{ code: "a" }] }).xml)).toEqual([]);
  });
});

describe("XSD patterns in JavaScript", () => {
  it("an escaped hyphen outside a class is a hyphen (JavaScript's u flag refuses \\- there); inside a class it stays escaped", () => {
    const date = translatePattern("(((([0-9]{4}(\\-))[0-9]{2})(\\-))[0-9]{2})");
    expect(date.test("2025-07-10")).toBe(true);
    expect(date.test("2025x07-10")).toBe(false);
    const range = translatePattern("[a\\-z]+");
    expect(range.test("a-z")).toBe(true);
    expect(range.test("b")).toBe(false);
    expect(translatePattern("\\d+\\.\\d{2}").test("9267.00")).toBe(true);
  });
});

describe("substitution groups", () => {
  // Item (abstract) ← Message ← Fax (another namespace), Note (Item's type); Label (string) ← Tag (nillable token); Code (no group).
  const Item: ComplexTypeMeta = complexType(`{${NS}}Item`, [element("subject", NS, () => builtin("string"))]);
  const Message: ComplexTypeMeta = complexType(`{${NS}}Message`, [element("subject", NS, () => builtin("string")), element("to", NS, () => builtin("string"))]);
  const Fax: ComplexTypeMeta = complexType(`{${OTHER}}Fax`, [element("subject", NS, () => builtin("string")), element("to", NS, () => builtin("string")), element("number", OTHER, () => builtin("string"))]);
  const MessageElement = element("Message", NS, () => Message);
  const FaxElement = element("Fax", OTHER, () => Fax, { nillable: true });
  const NoteElement = element("Note", NS, () => Item);
  const TagElement = element("Tag", NS, () => builtin("token"), { nillable: true });
  const Folder = element(
    "Folder",
    NS,
    () =>
      complexType("Folder", [
        element("Item", NS, () => Item, { maxOccurs: Infinity, abstract: true, substitutes: () => [{ name: "Fax", element: FaxElement }, { name: "Message", element: MessageElement }, { name: "Note", element: NoteElement }] }),
        element("Label", NS, () => builtin("string"), { minOccurs: 0, substitutes: () => [{ name: "Tag", element: TagElement }] }),
        element("Code", NS, () => builtin("string")),
      ]),
  );
  const schema =
    `<xs:import namespace="${OTHER}"/>` +
    `<xs:complexType name="Item"><xs:sequence><xs:element name="subject" type="xs:string"/></xs:sequence></xs:complexType>` +
    `<xs:complexType name="Message"><xs:complexContent><xs:extension base="t:Item"><xs:sequence><xs:element name="to" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>` +
    `<xs:element name="Item" type="t:Item" abstract="true"/><xs:element name="Message" type="t:Message" substitutionGroup="t:Item"/><xs:element name="Note" type="t:Item" substitutionGroup="t:Item"/>` +
    `<xs:element name="Label" type="xs:string"/><xs:element name="Tag" type="xs:token" substitutionGroup="t:Label" nillable="true"/>` +
    `<xs:element name="Folder"><xs:complexType><xs:sequence><xs:element ref="t:Item" maxOccurs="unbounded"/><xs:element ref="t:Label" minOccurs="0"/><xs:element name="Code" type="xs:string"/></xs:sequence></xs:complexType></xs:element>`;

  it("writes the element $element names (the head's when it names none), reads the element back into $element, and libxml2 accepts it", () => {
    const value = {
      Item: [
        { subject: "a", to: "b", $element: "Message" },
        { subject: "c", $element: "Note" },
      ],
      Label: { $element: "Tag", $value: "urgent" },
      Code: "x",
    };
    const { xml, decoded } = roundTrip(Folder, value);
    expect(xml).toBe(`<Folder xmlns="${NS}"><Message><subject>a</subject><to>b</to></Message><Note><subject>c</subject></Note><Tag>urgent</Tag><Code>x</Code></Folder>`);
    expect(decoded).toEqual(value);
    expect(schemaErrors(schema, xml)).toEqual([]);
    // The head's own value: $element left out, or naming it; it reads back without.
    const plain = roundTrip(Folder, { Item: [{ $element: "Note", subject: "n" }], Label: "plain", Code: "x" });
    expect(plain.xml).toContain("<Label>plain</Label>");
    expect(plain.decoded).toEqual({ Item: [{ $element: "Note", subject: "n" }], Label: "plain", Code: "x" });
  });

  it("a member in another namespace is declared where it is written; a nil member is { $element, $value: null }", () => {
    const value = { Item: [{ $element: "Fax", subject: "s", to: "t", number: "1" }, { $element: "Fax", $value: null }], Label: { $element: "Tag", $value: null }, Code: "x" };
    const { xml, decoded } = roundTrip(Folder, value);
    expect(xml).toContain(`<Fax xmlns="${OTHER}"><subject xmlns="${NS}">s</subject><to xmlns="${NS}">t</to><number>1</number></Fax>`);
    expect(xml).toContain(`<Fax xmlns="${OTHER}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/>`);
    expect(xml).toContain(`<Tag xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/>`);
    expect(decoded).toEqual(value);
    const prefixed = `<f:Folder xmlns:f="${NS}" xmlns:o="${OTHER}"><o:Fax><f:subject>s</f:subject><f:to>t</f:to><o:number>2</o:number></o:Fax><f:Code>x</f:Code></f:Folder>`;
    expect(decodeElement(parseXml(prefixed).root, Folder)).toEqual({ Item: [{ $element: "Fax", subject: "s", to: "t", number: "2" }], Code: "x" });
  });

  it("a substitute in a repeated model group is found as the group's (occurrences split where the sequence starts again)", () => {
    const Pair = complexType("Pair", [
      element("Item", NS, () => Item, { abstract: true, substitutes: () => [{ name: "Message", element: MessageElement }, { name: "Note", element: NoteElement }] }),
      element("n", NS, () => builtin("int")),
    ]);
    const Pairs = element("Pairs", NS, () => complexType("Pairs", [element("pair", "", () => Pair, { maxOccurs: Infinity, group: true })]));
    const value = { pair: [{ Item: { $element: "Message", subject: "a", to: "b" }, n: 1 }, { Item: { $element: "Note", subject: "c" }, n: 2 }] };
    const { xml, decoded } = roundTrip(Pairs, value);
    expect(xml).toBe(`<Pairs xmlns="${NS}"><Message><subject>a</subject><to>b</to></Message><n>1</n><Note><subject>c</subject></Note><n>2</n></Pairs>`);
    expect(decoded).toEqual(value);
  });

  it("refuses an abstract head alone, a non-member and a wrong shape when writing; the head and unknown elements when reading, naming what may stand", () => {
    expect(encodeError(Folder, { Item: [{ subject: "a" }], Code: "x" }).message).toContain("Item is abstract: name the element that stands for it in $element (one of Fax, Message, Note)");
    const stranger = encodeError(Folder, { Item: [{ $element: "Label", subject: "a" }], Code: "x" });
    expect(stranger.path).toBe("Folder.Item[0].$element");
    expect(stranger.message).toContain('$element "Label" is not an element that may stand for Item; allowed: Fax, Message, Note');
    expect(encodeError(Folder, { Item: [{ $element: "Item", subject: "a" }], Code: "x" }).message).toContain("allowed: Fax, Message, Note");
    expect(encodeError(Folder, { Item: [{ $element: "Note", subject: "a", to: "b" }], Code: "x" }).message).toContain("unknown member to");
    expect(encodeError(Folder, { Item: [{ $element: "Note", subject: "a" }], Label: { $element: "Tag", $value: "a", extra: 1 }, Code: "x" }).path).toBe("Folder.Label.extra");
    expect(encodeError(Folder, { Item: [{ $element: "Note", subject: "a" }], Label: { $element: "Label", $value: "a" }, Code: "x" }).message).toContain("allowed: Label, Tag");
    const decodeFails = (inner: string) => () => decodeElement(parseXml(`<Folder xmlns="${NS}">${inner}<Code>x</Code></Folder>`).root, Folder);
    expect(decodeFails(`<Item><subject>a</subject></Item>`)).toThrow(`{${NS}}Item is abstract and cannot stand itself (line 1); one of {${OTHER}}Fax, {${NS}}Message, {${NS}}Note stands in its place`);
    expect(decodeFails(`<Memo><subject>a</subject></Memo>`)).toThrow(`unexpected element {${NS}}Memo (line 1, column 31); where Item stands: {${OTHER}}Fax, {${NS}}Message, {${NS}}Note; where Label stands: {${NS}}Label, {${NS}}Tag`);
    expect(decodeFails(`<Note><subject>a</subject><to>b</to></Note>`)).toThrow("unexpected element");
    expect(schemaErrors(schema, `<Folder xmlns="${NS}"><Item><subject>a</subject></Item><Code>x</Code></Folder>`)).not.toEqual([]);
  });
});

describe("several xs:any in one type", () => {
  // <sequence><any namespace="urn:a" minOccurs="0"/><element name="mid"/><any namespace="##other" processContents="lax" minOccurs="1" maxOccurs="2"/></sequence>
  const A = "urn:codec-xsd:a";
  const Two = complexType(`{${NS}}Two`, [element("mid", NS, () => builtin("string"))], {
    wildcard: { position: 0, minOccurs: 0, maxOccurs: 1, namespaces: { kind: "list", list: [A] }, processContents: "lax" },
    moreWildcards: [{ position: 1, minOccurs: 1, maxOccurs: 2, namespaces: { kind: "other", ns: NS }, processContents: "lax" }],
  });
  const TwoElement = element("Two", NS, () => Two);
  const schema = `<xs:element name="Two"><xs:complexType><xs:sequence><xs:any namespace="${A}" processContents="lax" minOccurs="0"/><xs:element name="mid" type="xs:string"/><xs:any namespace="##other" processContents="lax" maxOccurs="2"/></xs:sequence></xs:complexType></xs:element>`;
  const el = (ns: string, local: string) => parseXml(`<${local} xmlns="${ns}"/>`).root;

  it("share $any in document order: the reader gives each element to the xs:any where it stands, the writer hands them out in order, and libxml2 accepts it", () => {
    const xml = `<Two xmlns="${NS}"><x xmlns="${A}"/><mid>m</mid><y xmlns="${A}"/><z xmlns="${OTHER}"/></Two>`;
    expect(schemaErrors(schema, xml)).toEqual([]);
    const value = decodeElement<{ $any: { local: string }[]; mid: string }>(parseXml(xml).root, TwoElement);
    expect(value.$any.map((e) => e.local)).toEqual(["x", "y", "z"]);
    const written = encodeElementToString(TwoElement, value);
    expect(written).toBe(`<Two xmlns="${NS}"><x xmlns="${A}"></x><mid>m</mid><y xmlns="${A}"></y><z xmlns="${OTHER}"></z></Two>`);
    expect(schemaErrors(schema, written)).toEqual([]);
    // An element of urn:a with only the second xs:any left for it: the first takes none, so that the second gets its one.
    const second = encodeElementToString(TwoElement, { mid: "m", $any: [el(A, "only")] });
    expect(second).toBe(`<Two xmlns="${NS}"><mid>m</mid><only xmlns="${A}"></only></Two>`);
    expect(schemaErrors(schema, second)).toEqual([]);
    expect(decodeElement(parseXml(second).root, TwoElement)).toMatchObject({ mid: "m", $any: [{ local: "only" }] });
  });

  it("refuses what no xs:any takes or too few, in both directions", () => {
    expect(encodeError(TwoElement, { mid: "m", $any: [] }).message).toContain("xs:any number 2 (before member 1) must match at least 1 elements, got 0");
    expect(encodeError(TwoElement, { mid: "m", $any: [el(A, "a"), el(A, "b"), el(OTHER, "c"), el(OTHER, "d")] }).message).toContain("fits none of the type's xs:any where it stands");
    expect(encodeError(TwoElement, { mid: "m", $any: [el(NS, "own")] }).path).toBe("Two.$any[0]");
    const decodeFails = (inner: string) => () => decodeElement(parseXml(`<Two xmlns="${NS}">${inner}</Two>`).root, TwoElement);
    expect(decodeFails(`<mid>m</mid>`)).toThrow("xs:any number 2 (before member 1) must match 1 to 2 elements, found 0");
    expect(decodeFails(`<mid>m</mid><own/>`)).toThrow("unexpected element");
    expect(decodeFails(`<mid>m</mid><a xmlns="${OTHER}"/><b xmlns="${OTHER}"/><c xmlns="${OTHER}"/>`)).toThrow("must match 1 to 2 elements, found 3");
  });
});

describe("a repeated xs:choice that is required", () => {
  // <choice maxOccurs="unbounded"><element name="file"/><element name="item"/></choice>
  const Attachments = element("Attachments", NS, () =>
    complexType("Attachments", [element("file", NS, () => builtin("string"), { minOccurs: 0, maxOccurs: Infinity }), element("item", NS, () => builtin("int"), { minOccurs: 0, maxOccurs: Infinity })], {
      unordered: true,
      choices: [{ required: true, repeated: true, branches: [{ members: [0], required: [] }, { members: [1], required: [] }] }],
    }),
  );
  const schema = `<xs:element name="Attachments"><xs:complexType><xs:choice maxOccurs="unbounded"><xs:element name="file" type="xs:string"/><xs:element name="item" type="xs:int"/></xs:choice></xs:complexType></xs:element>`;

  it("takes any alternatives, interleaved, but not none: in both directions, as libxml2 judges", () => {
    const { xml, decoded } = roundTrip(Attachments, { file: ["a"], item: [1, 2] });
    expect(decoded).toEqual({ file: ["a"], item: [1, 2] });
    expect(schemaErrors(schema, xml)).toEqual([]);
    expect(encodeError(Attachments, { file: [] }).message).toContain("at least one of file, item is required (a repeated xs:choice)");
    expect(encodeError(Attachments, {}).message).toContain("at least one of file, item is required");
    expect(() => decodeElement(parseXml(`<Attachments xmlns="${NS}"/>`).root, Attachments)).toThrow("at least one of file, item is required");
    expect(schemaErrors(schema, `<Attachments xmlns="${NS}"/>`)).not.toEqual([]);
  });
});

describe("an element's block narrows the types xsi:type may name there", () => {
  const typeName = (local: string) => ({ ns: NS, local, ts: local });
  const name = () => element("name", NS, () => builtin("string"));
  const barks = () => element("barks", NS, () => builtin("boolean"));
  // Animal ← Dog (extension) ← Puppy (extension); Animal ← Cat (restriction); Dog ← Toy (restriction).
  const Animal: ComplexTypeMeta = complexType(`{${NS}}Animal`, [name()], { typeName: typeName("Animal"), derived: () => [Cat, Dog, Puppy, Toy] });
  const Dog: ComplexTypeMeta = complexType(`{${NS}}Dog`, [name(), barks()], { typeName: typeName("Dog"), derived: () => [Puppy, Toy] });
  const Puppy: ComplexTypeMeta = complexType(`{${NS}}Puppy`, [name(), barks(), element("age", NS, () => builtin("int"))], { typeName: typeName("Puppy") });
  const Cat: ComplexTypeMeta = complexType(`{${NS}}Cat`, [name()], { typeName: typeName("Cat") });
  const Toy: ComplexTypeMeta = complexType(`{${NS}}Toy`, [name(), barks()], { typeName: typeName("Toy") });
  // As the generator writes them: `derived` on the element only where its block leaves some out.
  const Pets = element(
    "Pets",
    NS,
    () =>
      complexType("Pets", [
        element("pet", NS, () => Animal, { minOccurs: 0, maxOccurs: Infinity, derived: () => [Cat] }), // block="extension"
        element("kid", NS, () => Animal, { minOccurs: 0, derived: () => [Dog, Puppy] }), // block="restriction"
        element("shy", NS, () => Animal, { minOccurs: 0, derived: () => [] }), // block="#all"
        element("any", NS, () => Animal, { minOccurs: 0 }),
      ]),
  );
  const derivations =
    `<xs:complexType name="Animal"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType>` +
    `<xs:complexType name="Dog"><xs:complexContent><xs:extension base="t:Animal"><xs:sequence><xs:element name="barks" type="xs:boolean"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>` +
    `<xs:complexType name="Puppy"><xs:complexContent><xs:extension base="t:Dog"><xs:sequence><xs:element name="age" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>` +
    `<xs:complexType name="Cat"><xs:complexContent><xs:restriction base="t:Animal"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:restriction></xs:complexContent></xs:complexType>` +
    `<xs:complexType name="Toy"><xs:complexContent><xs:restriction base="t:Dog"><xs:sequence><xs:element name="name" type="xs:string"/><xs:element name="barks" type="xs:boolean"/></xs:sequence></xs:restriction></xs:complexContent></xs:complexType>`;
  const schema =
    derivations +
    `<xs:element name="Pets"><xs:complexType><xs:sequence>` +
    `<xs:element name="pet" type="t:Animal" block="extension" minOccurs="0" maxOccurs="unbounded"/><xs:element name="kid" type="t:Animal" block="restriction" minOccurs="0"/>` +
    `<xs:element name="shy" type="t:Animal" block="#all" minOccurs="0"/><xs:element name="any" type="t:Animal" minOccurs="0"/>` +
    `</xs:sequence></xs:complexType></xs:element>`;
  const pets = (inner: string) => `<Pets xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${inner}</Pets>`;
  const decodeFails = (inner: string) => () => decodeElement(parseXml(pets(inner)).root, Pets);

  it("writes and reads the types the block leaves, and libxml2 agrees", () => {
    const value = {
      pet: [{ name: "Generic" }, { $type: "Cat", name: "Tom" }],
      kid: { $type: "Puppy", name: "Bit", barks: true, age: 1 },
      shy: { name: "Shy" },
      any: { $type: "Toy", name: "Robo", barks: false },
    };
    const { xml, decoded } = roundTrip(Pets, value);
    expect(decoded).toEqual(value);
    expect(schemaErrors(schema, xml)).toEqual([]);
  });

  it("refuses a $type the block leaves out, naming the allowed ones", () => {
    const blocked = encodeError(Pets, { pet: [{ $type: "Dog", name: "Rex", barks: true }] });
    expect(blocked.path).toBe("Pets.pet[0].$type");
    expect(blocked.message).toBe('Pets.pet[0].$type: $type "Dog" may not stand where pet is declared (the element\'s or its type\'s block leaves it out); allowed: Animal, Cat');
    // Puppy derives by extension twice, Toy by a restriction of an extension: both blocked by either method.
    expect(encodeError(Pets, { pet: [{ $type: "Toy", name: "Robo", barks: true }] }).message).toContain("allowed: Animal, Cat");
    expect(encodeError(Pets, { kid: { $type: "Toy", name: "Robo", barks: true } }).message).toContain("allowed: Animal, Dog, Puppy");
    expect(encodeError(Pets, { kid: { $type: "Cat", name: "Tom" } }).message).toContain("allowed: Animal, Dog, Puppy");
    expect(encodeError(Pets, { shy: { $type: "Cat", name: "Tom" } }).message).toContain("allowed: Animal");
    expect(encodeError(Pets, { shy: { $type: "Cow", name: "x" } }).message).toContain('$type "Cow" may not stand where shy is declared');
    // Without a block, every derived type still stands.
    expect(encodeElementToString(Pets, { any: { $type: "Puppy", name: "Bit", barks: true, age: 1 } })).toContain('i:type="Puppy"');
  });

  it("refuses an xsi:type the block leaves out, naming the allowed ones, as libxml2 does", () => {
    const cases: [string, string][] = [
      [`<pet i:type="Dog"><name>x</name><barks>true</barks></pet>`, `allowed: {${NS}}Animal, {${NS}}Cat`],
      [`<pet i:type="Puppy"><name>x</name><barks>true</barks><age>1</age></pet>`, `allowed: {${NS}}Animal, {${NS}}Cat`],
      [`<kid i:type="Cat"><name>x</name></kid>`, `allowed: {${NS}}Animal, {${NS}}Dog, {${NS}}Puppy`],
      [`<kid i:type="Toy"><name>x</name><barks>true</barks></kid>`, `allowed: {${NS}}Animal, {${NS}}Dog, {${NS}}Puppy`],
      [`<shy i:type="Cat"><name>x</name></shy>`, `allowed: {${NS}}Animal`],
    ];
    for (const [inner, allowed] of cases) {
      expect(decodeFails(inner)).toThrow(allowed);
      expect(decodeFails(inner)).toThrow("may not stand where");
      expect(schemaErrors(schema, pets(inner))).not.toEqual([]);
    }
    // Naming the declared type itself is never blocked.
    expect(decodeElement(parseXml(pets(`<shy i:type="Animal"><name>x</name></shy>`)).root, Pets)).toEqual({ shy: { name: "x" } });
    expect(schemaErrors(schema, pets(`<shy i:type="Animal"><name>x</name></shy>`))).toEqual([]);
  });

  it("an abstract declared type whose derived types are all blocked takes no value, naming none", () => {
    const Shape: ComplexTypeMeta = complexType(`{${NS}}Shape`, [], { typeName: typeName("Shape"), abstract: true, derived: () => [Square] });
    const Square: ComplexTypeMeta = complexType(`{${NS}}Square`, [], { typeName: typeName("Square") });
    const Box = element("Box", NS, () => complexType("Box", [element("shape", NS, () => Shape, { derived: () => [] })]));
    expect(encodeError(Box, { shape: {} }).message).toContain("is abstract: name the value's type in $type (one of none)");
    expect(encodeError(Box, { shape: { $type: "Square" } }).message).toContain("allowed: none");
    expect(() => decodeElement(parseXml(`<Box xmlns="${NS}"><shape/></Box>`).root, Box)).toThrow("needs xsi:type naming one of none");
  });
});

describe("an abstract element decoded or encoded on its own (a message part): one of its substitution group stands", () => {
  const Command: ComplexTypeMeta = complexType(`{${NS}}Command`, [element("id", NS, () => builtin("int"))]);
  const Create: ComplexTypeMeta = complexType(`{${NS}}Create`, [element("id", NS, () => builtin("int")), element("text", NS, () => builtin("string"))]);
  const CreateElement = element("Create", NS, () => Create);
  const DeleteElement = element("Delete", OTHER, () => Command);
  const DoneElement = element("Done", NS, () => builtin("string"));
  const FailedElement = element("Failed", NS, () => builtin("token"), { nillable: true });
  // As the generator writes an abstract element that a message part names.
  const CommandElement = element("Command", NS, () => Command, { substitutes: () => [{ name: "Create", element: CreateElement }, { name: "Delete", element: DeleteElement }], abstract: true });
  const OutcomeElement = element("Outcome", NS, () => builtin("string"), { substitutes: () => [{ name: "Done", element: DoneElement }, { name: "Failed", element: FailedElement }], abstract: true });

  it("writes the member $element names and reads any member back into $element", () => {
    const create = { $element: "Create", id: 1, text: "hello" };
    const { xml, decoded } = roundTrip(CommandElement, create);
    expect(xml).toBe(`<Create xmlns="${NS}"><id>1</id><text>hello</text></Create>`);
    expect(decoded).toEqual(create);
    const del = roundTrip(CommandElement, { $element: "Delete", id: 2 });
    expect(del.xml).toBe(`<Delete xmlns="${OTHER}"><id xmlns="${NS}">2</id></Delete>`);
    expect(del.decoded).toEqual({ $element: "Delete", id: 2 });
    expect(roundTrip(OutcomeElement, { $element: "Done", $value: "ok" })).toEqual({ xml: `<Done xmlns="${NS}">ok</Done>`, decoded: { $element: "Done", $value: "ok" } });
    expect(roundTrip(OutcomeElement, { $element: "Failed", $value: null }).decoded).toEqual({ $element: "Failed", $value: null });
  });

  it("refuses the abstract element itself and an element outside the group, naming the members, both ways", () => {
    expect(encodeError(CommandElement, { id: 1 }).message).toContain("Command is abstract: name the element that stands for it in $element (one of Create, Delete)");
    expect(encodeError(CommandElement, { $element: "Ping", id: 1 }).message).toContain('$element "Ping" is not an element that may stand for Command; allowed: Create, Delete');
    const decodeFails = (xml: string) => () => decodeElement(parseXml(xml).root, CommandElement);
    expect(decodeFails(`<Command xmlns="${NS}"><id>1</id></Command>`)).toThrow(`{${NS}}Command is abstract and cannot stand itself (line 1); one of {${NS}}Create, {${OTHER}}Delete stands in its place`);
    expect(decodeFails(`<Ping xmlns="${NS}"/>`)).toThrow(`expected element {${NS}}Create, {${OTHER}}Delete (where {${NS}}Command stands), found {${NS}}Ping`);
    expect(decodeFails(`<Delete xmlns="${NS}"><id>1</id></Delete>`)).toThrow("found {urn:codec-xsd}Delete");
    // A member's own content is checked as usual.
    expect(decodeFails(`<Create xmlns="${NS}"><id>1</id></Create>`)).toThrow("text");
  });

  it("an element without substitutes is still only itself", () => {
    expect(() => decodeElement(parseXml(`<Create xmlns="${NS}"><id>1</id></Create>`).root, DeleteElement)).toThrow(`expected element {${OTHER}}Delete, found {${NS}}Create`);
  });
});

describe("xs:union with QName members", () => {
  // int | QName, as an element's content, an attribute, and simple content's text.
  const Ref = unionType(`{${NS}}Ref`, () => [builtin("int"), builtin("QName")]);
  const Link = complexType("Link", [], { attributes: [attribute("to", "", () => Ref)], simpleContent: () => Ref });
  const Links = element("Links", NS, () => complexType("Links", [element("ref", NS, () => Ref, { maxOccurs: Infinity }), element("link", NS, () => Link, { minOccurs: 0 })]));
  const schema =
    `<xs:simpleType name="Ref"><xs:union memberTypes="xs:int xs:QName"/></xs:simpleType>` +
    `<xs:element name="Links"><xs:complexType><xs:sequence><xs:element name="ref" type="t:Ref" maxOccurs="unbounded"/>` +
    `<xs:element name="link" minOccurs="0"><xs:complexType><xs:simpleContent><xs:extension base="t:Ref"><xs:attribute name="to" type="t:Ref"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>` +
    `</xs:sequence></xs:complexType></xs:element>`;

  it("writes a QName value with its namespace declared where it is written (element text, attribute, simple content), reads it back by namespace", () => {
    const value = {
      ref: [7, { namespace: OTHER, localName: "Far" }, { namespace: NS, localName: "Near" }],
      link: { $value: { namespace: OTHER, localName: "Text" }, to: { namespace: OTHER, localName: "Attr" } },
    };
    const { xml, decoded } = roundTrip(Links, value);
    expect(xml).toBe(
      `<Links xmlns="${NS}"><ref>7</ref><ref xmlns:q1="${OTHER}">q1:Far</ref><ref>Near</ref>` +
        `<link xmlns:p0="${OTHER}" to="p0:Attr" xmlns:q1="${OTHER}">q1:Text</link></Links>`,
    );
    expect(decoded).toEqual(value);
    expect(schemaErrors(schema, xml)).toEqual([]);
  });

  it("reads the text as the first member type that takes it: an int before a QName; an undeclared prefix is no QName", () => {
    const read = (inner: string) => decodeElement(parseXml(`<Links xmlns="${NS}" xmlns:o="${OTHER}">${inner}</Links>`).root, Links);
    expect(read(`<ref>12</ref><ref>o:x</ref><ref>x</ref>`)).toEqual({ ref: [12, { namespace: OTHER, localName: "x" }, { namespace: NS, localName: "x" }] });
    expect(() => read(`<ref>zz:x</ref>`)).toThrow("no member type of {urn:codec-xsd}Ref accepts the value");
  });

  it("refuses a value no member takes, a QName in no namespace inside a namespace, a list of such unions and whole-union facets", () => {
    expect(encodeError(Links, { ref: ["text"] }).message).toContain("no member type of {urn:codec-xsd}Ref accepts the value");
    expect(encodeError(Links, { ref: [{ namespace: "", localName: "x" }] }).message).toContain("a QName in no namespace cannot be written inside an element in a namespace");
    const Refs = element("Refs", NS, () => listType("Refs", () => Ref));
    expect(encodeError(Refs, [1]).message).toContain("a union with QName members cannot be written as a list item");
    const Faceted = element("F", NS, () => unionType("F", () => [builtin("QName")], { patterns: ["a:.*"] }));
    expect(encodeError(Faceted, { namespace: NS, localName: "x" }).message).toContain("a union with QName members and facets of its own cannot be written yet");
  });
});
