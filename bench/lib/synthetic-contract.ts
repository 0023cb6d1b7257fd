/**
 * A synthetic document/literal contract of a chosen size, for the generator's scaling check
 * (bench/codegen.ts) and its smoke test (test/generator/scaling.test.ts).
 *
 * Deterministic: the same size always gives the same text. `complexTypes` named complex types,
 * each with a handful of members of various built-in types (a facet-restricted anonymous string,
 * long, decimal, dateTime, boolean), an enumeration member, references to other types (a chain
 * and a repeated cross-link, so recursion occurs), a nested optional sequence and an attribute;
 * every fourth type extends one of k/20 base types (which add date, double and anyURI members),
 * every sixth has a choice. One enumeration per five
 * complex types, one operation per ten, each using two of the types. The schema sits in its own
 * XSD file that the WSDL imports, as real contracts do.
 */

/** Namespace of the synthetic contract. */
export const SYNTHETIC_NS = "urn:example:synthetic";

export interface SyntheticContract {
  /** File name → text: `contract.wsdl` and `contract.xsd`. */
  readonly files: Readonly<Record<"contract.wsdl" | "contract.xsd", string>>;
  /** Named complex types: `Type<i>` and the bases `Base<j>` that a quarter of them extend. */
  readonly complexTypes: number;
  readonly enumerations: number;
  readonly operations: number;
  /** UTF-8 bytes of the WSDL and the XSD together. */
  readonly bytes: number;
}

/** The contract with `types` complex types `Type<i>` (at least 10), plus their bases. */
export function synthesizeContract(types: number): SyntheticContract {
  if (!Number.isInteger(types) || types < 10) throw new RangeError(`types must be an integer >= 10, got ${types}`);
  const k = types;
  const enumerations = Math.ceil(k / 5);
  const operations = Math.ceil(k / 10);
  const bases = Math.ceil(k / 20);
  const xsd: string[] = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${SYNTHETIC_NS}" targetNamespace="${SYNTHETIC_NS}" elementFormDefault="qualified">`,
  ];

  for (let e = 0; e < enumerations; e++) {
    const values = ["Open", "Pending", "Closed", `Extra${e}`].slice(0, 2 + (e % 3));
    xsd.push(
      `  <xs:simpleType name="Status${e}">`,
      `    <xs:annotation><xs:documentation>Status set ${e}.</xs:documentation></xs:annotation>`,
      `    <xs:restriction base="xs:string">`,
      ...values.map((v) => `      <xs:enumeration value="${v}"/>`),
      `    </xs:restriction>`,
      `  </xs:simpleType>`,
    );
  }

  // Bases of the derived types hold only simple members. (A base whose members lead to a type
  // derived from it is refused today: see docs/benchmarks-codegen.md.)
  for (let b = 0; b < bases; b++) {
    xsd.push(
      `  <xs:complexType name="Base${b}">`,
      `    <xs:sequence>`,
      `      <xs:element name="key" type="xs:string"/>`,
      `      <xs:element name="created" type="xs:date" minOccurs="0"/>`,
      `      <xs:element name="weight" type="xs:double" minOccurs="0"/>`,
      `    </xs:sequence>`,
      `    <xs:attribute name="source" type="xs:anyURI"/>`,
      `  </xs:complexType>`,
    );
  }

  for (let i = 0; i < k; i++) {
    const status = `tns:Status${i % enumerations}`;
    const crossLink = (i * 7 + 3) % k;
    const derived = i % 4 === 3;
    xsd.push(`  <xs:complexType name="Type${i}">`, `    <xs:annotation><xs:documentation>Synthetic type ${i}.</xs:documentation></xs:annotation>`);
    if (derived) {
      // An extension adds members of its own names (the base's are inherited).
      xsd.push(
        `    <xs:complexContent>`,
        `      <xs:extension base="tns:Base${Math.floor(i / 4) % bases}">`,
        `        <xs:sequence>`,
        `          <xs:element name="extra${i}" type="xs:string"/>`,
        `          <xs:element name="extraStatus" type="${status}" minOccurs="0"/>`,
        `          <xs:element name="related" type="tns:Type${crossLink}" minOccurs="0" maxOccurs="unbounded"/>`,
        `        </xs:sequence>`,
        `        <xs:attribute name="origin" type="xs:string"/>`,
        `      </xs:extension>`,
        `    </xs:complexContent>`,
        `  </xs:complexType>`,
      );
      continue;
    }
    xsd.push(
      `    <xs:sequence>`,
      `      <xs:element name="id" type="xs:long"/>`,
      `      <xs:element name="label">`,
      `        <xs:simpleType><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="${32 + (i % 64)}"/></xs:restriction></xs:simpleType>`,
      `      </xs:element>`,
      `      <xs:element name="amount" type="xs:decimal" minOccurs="0"/>`,
      `      <xs:element name="when" type="xs:dateTime" nillable="true"/>`,
      `      <xs:element name="flag" type="xs:boolean" minOccurs="0"/>`,
      `      <xs:element name="status" type="${status}"/>`,
      ...(i + 1 < k ? [`      <xs:element name="next" type="tns:Type${i + 1}" minOccurs="0"/>`] : []),
      `      <xs:element name="items" type="tns:Type${crossLink}" minOccurs="0" maxOccurs="unbounded"/>`,
      `      <xs:sequence minOccurs="0">`,
      `        <xs:element name="note" type="xs:string"/>`,
      `        <xs:element name="noteCount" type="xs:int"/>`,
      `      </xs:sequence>`,
      ...(i % 6 === 5
        ? [`      <xs:choice>`, `        <xs:element name="byCode" type="xs:token"/>`, `        <xs:element name="byNumber" type="xs:int"/>`, `      </xs:choice>`]
        : []),
      `    </xs:sequence>`,
      `    <xs:attribute name="version" type="xs:int"/>`,
      `  </xs:complexType>`,
    );
  }

  for (let o = 0; o < operations; o++) {
    xsd.push(
      `  <xs:element name="Operation${o}">`,
      `    <xs:complexType>`,
      `      <xs:sequence>`,
      `        <xs:element name="subject" type="tns:Type${(o * 10) % k}"/>`,
      `        <xs:element name="limit" type="xs:int" minOccurs="0"/>`,
      `      </xs:sequence>`,
      `    </xs:complexType>`,
      `  </xs:element>`,
      `  <xs:element name="Operation${o}Response">`,
      `    <xs:complexType>`,
      `      <xs:sequence>`,
      `        <xs:element name="result" type="tns:Type${(o * 10 + 5) % k}" minOccurs="0" maxOccurs="unbounded"/>`,
      `      </xs:sequence>`,
      `    </xs:complexType>`,
      `  </xs:element>`,
    );
  }
  xsd.push(`</xs:schema>`, ``);

  const ops = Array.from({ length: operations }, (_, o) => o);
  const wsdl = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"`,
    `                  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${SYNTHETIC_NS}"`,
    `                  name="Synthetic" targetNamespace="${SYNTHETIC_NS}">`,
    `  <wsdl:types>`,
    `    <xs:schema targetNamespace="${SYNTHETIC_NS}/imports">`,
    `      <xs:import namespace="${SYNTHETIC_NS}" schemaLocation="contract.xsd"/>`,
    `    </xs:schema>`,
    `  </wsdl:types>`,
    ...ops.flatMap((o) => [
      `  <wsdl:message name="Operation${o}In"><wsdl:part name="parameters" element="tns:Operation${o}"/></wsdl:message>`,
      `  <wsdl:message name="Operation${o}Out"><wsdl:part name="parameters" element="tns:Operation${o}Response"/></wsdl:message>`,
    ]),
    `  <wsdl:portType name="SyntheticPortType">`,
    ...ops.flatMap((o) => [
      `    <wsdl:operation name="Operation${o}">`,
      `      <wsdl:input message="tns:Operation${o}In"/>`,
      `      <wsdl:output message="tns:Operation${o}Out"/>`,
      `    </wsdl:operation>`,
    ]),
    `  </wsdl:portType>`,
    `  <wsdl:binding name="SyntheticBinding" type="tns:SyntheticPortType">`,
    `    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>`,
    ...ops.flatMap((o) => [
      `    <wsdl:operation name="Operation${o}">`,
      `      <soap:operation soapAction="${SYNTHETIC_NS}/Operation${o}" style="document"/>`,
      `      <wsdl:input><soap:body use="literal"/></wsdl:input>`,
      `      <wsdl:output><soap:body use="literal"/></wsdl:output>`,
      `    </wsdl:operation>`,
    ]),
    `  </wsdl:binding>`,
    `  <wsdl:service name="SyntheticService">`,
    `    <wsdl:port name="SyntheticPort" binding="tns:SyntheticBinding">`,
    `      <soap:address location="https://synthetic.example/service"/>`,
    `    </wsdl:port>`,
    `  </wsdl:service>`,
    `</wsdl:definitions>`,
    ``,
  ].join("\n");
  const schema = xsd.join("\n");
  return {
    files: { "contract.wsdl": wsdl, "contract.xsd": schema },
    complexTypes: k + bases,
    enumerations,
    operations,
    bytes: Buffer.byteLength(wsdl) + Buffer.byteLength(schema),
  };
}
