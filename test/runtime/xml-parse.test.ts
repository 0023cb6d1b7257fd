import { describe, expect, it } from "vitest";
import type { XmlElement, XmlNode } from "../../runtime/src/xml/node.ts";
import { parseXml, XmlParseError, type ParseOptions } from "../../runtime/src/xml/parse.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";

/**
 * Compact rendering of a tree for table tests: `{ns}local[{ns}attr="v" ...](children)`, text as
 * a JSON string. Attributes keep document order.
 */
function show(node: XmlNode): string {
  if (node.kind === "text") return JSON.stringify(node.value);
  const attrs = node.attributes.map((a) => `{${a.ns}}${a.local}=${JSON.stringify(a.value)}`);
  return (
    `{${node.ns}}${node.local}` +
    (attrs.length > 0 ? `[${attrs.join(" ")}]` : "") +
    (node.children.length > 0 ? `(${node.children.map(show).join(", ")})` : "")
  );
}

function parseError(xml: string, options?: ParseOptions): XmlParseError {
  try {
    parseXml(xml, options);
  } catch (e) {
    if (e instanceof XmlParseError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(xml)} to be rejected`);
}

function elements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [root];
  for (const c of root.children) if (c.kind === "element") out.push(...elements(c));
  return out;
}

interface Accept {
  readonly name: string;
  readonly xml: string;
  readonly want: string;
  readonly options?: ParseOptions;
}

interface Reject {
  readonly name: string;
  readonly xml: string;
  /** Substring of the error's reason (message without the position prefix). */
  readonly error: string;
  readonly options?: ParseOptions;
}

const accepts: readonly Accept[] = [
  // Document structure and XML declaration.
  { name: "empty element root", xml: "<a/>", want: "{}a" },
  { name: "whitespace, comments and PIs around the root", xml: " \n<!--c--><?pi x?>\t<a/> <!--d--><?pi?>\r\n", want: "{}a" },
  { name: "XML declaration", xml: '<?xml version="1.0"?><a/>', want: "{}a" },
  { name: "declaration with UTF-8, standalone and single quotes", xml: "<?xml version='1.0' encoding='UTF-8' standalone='yes'?><a/>", want: "{}a" },
  { name: "lower-case utf-8 and spaces around =", xml: '<?xml version = "1.0" encoding = "utf-8" ?>\n<a/>', want: "{}a" },
  { name: "leading BOM", xml: "\uFEFF<?xml version=\"1.0\"?><a/>", want: "{}a" },
  { name: "leading BOM without declaration", xml: "\uFEFF<a/>", want: "{}a" },
  { name: "PI whose target only starts with xml", xml: "<?xml-stylesheet href='s.xsl'?><a/>", want: "{}a" },
  // Elements, text, references.
  { name: "nested elements and text", xml: "<a>x<b>y</b>z<c/></a>", want: '{}a("x", {}b("y"), "z", {}c)' },
  { name: "end tag with trailing whitespace", xml: "<a><b></b \n></a >", want: "{}a({}b)" },
  { name: "predefined entities", xml: "<a>&lt;&gt;&amp;&quot;&apos;</a>", want: '{}a("<>&\\"\'")' },
  { name: "decimal and hex character references", xml: "<a>&#65;&#x42;&#x1F600;&#233;</a>", want: `{}a(${JSON.stringify("AB\u{1F600}é")})` },
  { name: "character references to TAB, LF, CR", xml: "<a>&#9;&#10;&#13;</a>", want: '{}a("\\t\\n\\r")' },
  { name: "CDATA merged with text, comments and PIs dropped", xml: "<a>a&amp;b<![CDATA[<c>&amp;]]><!--x-->d<?p q?>e</a>", want: '{}a("a&b<c>&amp;de")' },
  { name: "empty CDATA adds nothing", xml: "<a><![CDATA[]]></a>", want: "{}a" },
  { name: "CDATA may contain ]] and ]", xml: "<a><![CDATA[]]]]></a>", want: '{}a("]]")' },
  { name: "']]' and ']>' are fine in text", xml: "<a>]] ]></a>", want: '{}a("]] ]>")' },
  { name: "whitespace-only text is kept by default", xml: "<a>\n  <b> </b>\n</a>", want: '{}a("\\n  ", {}b(" "), "\\n")' },
  { name: "CRLF and lone CR become LF in text", xml: "<a>1\r\n2\r3\r\r\n4</a>", want: '{}a("1\\n2\\n3\\n\\n4")' },
  { name: "CR normalized inside CDATA", xml: "<a><![CDATA[1\r\n2\r3]]></a>", want: '{}a("1\\n2\\n3")' },
  { name: "non-BMP and non-ASCII text", xml: "<a>\u{1F600}中文\u0085\u2028</a>", want: `{}a(${JSON.stringify("\u{1F600}中文\u0085\u2028")})` },
  // Attributes.
  { name: "single and double quotes", xml: `<a x='1"' y="2'"/>`, want: `{}a[{}x="1\\"" {}y="2'"]` },
  { name: "whitespace around =", xml: '<a x = "1"\n\ty\t=\t"2" />', want: '{}a[{}x="1" {}y="2"]' },
  { name: "attribute-value normalization: TAB, LF, CR, CRLF become one space each", xml: '<a x="1\t2\n3\r4\r\n5"/>', want: '{}a[{}x="1 2 3 4 5"]' },
  { name: "character references are not normalized", xml: '<a x="&#9;&#10;&#13;&#32;"/>', want: '{}a[{}x="\\t\\n\\r "]' },
  { name: "entities in attribute values", xml: "<a x='&lt;&amp;&gt;&quot;&apos;'/>", want: `{}a[{}x="<&>\\"'"]` },
  { name: "'>' is allowed in an attribute value", xml: '<a x="a>b"/>', want: '{}a[{}x="a>b"]' },
  { name: "empty attribute value", xml: '<a x=""/>', want: '{}a[{}x=""]' },
  // Names.
  { name: "names with digits, dots, hyphens, underscores", xml: "<_a.b-1><c2/></_a.b-1>", want: "{}_a.b-1({}c2)" },
  { name: "non-ASCII names", xml: "<é中\u00B7\u0300><\u{10000}/></é中\u00B7\u0300>", want: "{}é中\u00B7\u0300({}\u{10000})" },
  { name: "attribute and element may share a name", xml: '<a a="1"/>', want: '{}a[{}a="1"]' },
  // Namespaces.
  { name: "default namespace applies to the element and descendants", xml: '<a xmlns="urn:d"><b/></a>', want: "{urn:d}a({urn:d}b)" },
  { name: "unprefixed attributes are in no namespace", xml: '<a xmlns="urn:d" x="1"/>', want: '{urn:d}a[{}x="1"]' },
  { name: "prefixed element and attribute", xml: '<p:a xmlns:p="urn:p" p:x="1"/>', want: '{urn:p}a[{urn:p}x="1"]' },
  { name: "declaration after use in the same start tag", xml: '<p:a p:x="1" xmlns:p="urn:p"/>', want: '{urn:p}a[{urn:p}x="1"]' },
  { name: "xmlns=\"\" undeclares the default namespace", xml: '<a xmlns="urn:d"><b xmlns=""><c/></b><d/></a>', want: "{urn:d}a({}b({}c), {urn:d}d)" },
  { name: "inner redeclaration of a prefix shadows the outer one", xml: '<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/></p:b><p:d/></p:a>', want: "{urn:1}a({urn:2}b({urn:2}c), {urn:1}d)" },
  { name: "same local name, different namespaces is not a duplicate", xml: '<a xmlns:p="urn:1" xmlns:q="urn:2" p:x="1" q:x="2" x="3"/>', want: '{}a[{urn:1}x="1" {urn:2}x="2" {}x="3"]' },
  { name: "xml prefix is predeclared", xml: '<a xml:lang="en" xml:space="preserve"/>', want: `{}a[{${XML_NS}}lang="en" {${XML_NS}}space="preserve"]` },
  { name: "xml prefix may be declared to its own namespace", xml: `<xml:a xmlns:xml="${XML_NS}"/>`, want: `{${XML_NS}}a` },
  { name: "relative namespace names are accepted", xml: '<a xmlns="rel/path"/>', want: "{rel/path}a" },
  { name: "namespace names may be IRIs and use references", xml: '<a xmlns="urn:ü&amp;%20"/>', want: "{urn:ü&%20}a" },
  { name: "element named xmlns without prefix", xml: "<xmlns/>", want: "{}xmlns" },
  { name: "attribute names starting with xmlns but not xmlns", xml: '<a xmlnsx="1"/>', want: '{}a[{}xmlnsx="1"]' },
  // Options.
  {
    name: "keepWhitespaceText: false drops indentation but keeps simple values",
    xml: "<a>\n  <b> </b>\n  <c>\n</c>\n  x\n</a>",
    options: { keepWhitespaceText: false },
    want: '{}a({}b(" "), {}c("\\n"), "\\n  x\\n")',
  },
  { name: "depth exactly at maxDepth", xml: "<a><b><c/></b></a>", options: { maxDepth: 3 }, want: "{}a({}b({}c))" },
  { name: "attributes exactly at maxAttributes (declarations count)", xml: '<a xmlns="u" x="1"/>', options: { maxAttributes: 2 }, want: '{u}a[{}x="1"]' },
];

const rejects: readonly Reject[] = [
  // Document structure.
  { name: "empty input", xml: "", error: "no root element" },
  { name: "only whitespace and a comment", xml: " <!-- x --> ", error: "no root element" },
  { name: "text before the root", xml: "x<a/>", error: "text is not allowed before the root element" },
  { name: "text after the root", xml: "<a/>x", error: "text is not allowed after the root element" },
  { name: "reference after the root", xml: "<a/>&amp;", error: "reference outside the root element" },
  { name: "second root", xml: "<a/><b/>", error: "only one root element is allowed" },
  { name: "end tag before any start tag", xml: "</a>", error: "end tag without a matching start tag" },
  { name: "CDATA outside the root", xml: "<a/><![CDATA[x]]>", error: "CDATA section outside the root element" },
  // XML declaration.
  { name: "declaration after whitespace", xml: ' <?xml version="1.0"?><a/>', error: "the XML declaration is allowed only at the very start" },
  { name: "declaration after a comment", xml: '<!--c--><?xml version="1.0"?><a/>', error: "the XML declaration is allowed only at the very start" },
  { name: "declaration inside content", xml: '<a><?xml version="1.0"?></a>', error: "the XML declaration is allowed only at the very start" },
  { name: "declaration without version", xml: '<?xml encoding="UTF-8"?><a/>', error: 'must start with version="1.0"' },
  { name: "empty declaration", xml: "<?xml?><a/>", error: "malformed XML declaration" },
  { name: "version 1.1", xml: '<?xml version="1.1"?><a/>', error: 'XML version "1.1" is not supported' },
  { name: "declared encoding other than UTF-8", xml: '<?xml version="1.0" encoding="ISO-8859-1"?><a/>', error: "encoding ISO-8859-1 is not supported; send UTF-8" },
  { name: "declared UTF-16", xml: '<?xml version="1.0" encoding="UTF-16"?><a/>', error: "encoding UTF-16 is not supported; send UTF-8" },
  { name: "missing whitespace between pseudo-attributes", xml: '<?xml version="1.0"encoding="UTF-8"?><a/>', error: "malformed XML declaration" },
  { name: "capitalized pseudo-attribute", xml: '<?xml version="1.0" Encoding="UTF-8"?><a/>', error: "malformed XML declaration" },
  { name: "invalid standalone", xml: '<?xml version="1.0" standalone="maybe"?><a/>', error: 'standalone must be "yes" or "no"' },
  { name: "standalone before encoding", xml: '<?xml version="1.0" standalone="yes" encoding="UTF-8"?><a/>', error: "malformed XML declaration" },
  // DTDs and entities: refused by construction.
  { name: "DOCTYPE", xml: "<!DOCTYPE a><a/>", error: "DOCTYPE is not allowed" },
  {
    name: "billion laughs",
    xml: '<!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>',
    error: "DOCTYPE is not allowed",
  },
  { name: "external entity (XXE)", xml: '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', error: "DOCTYPE is not allowed" },
  { name: "DOCTYPE inside content", xml: "<a><!DOCTYPE a></a>", error: "DOCTYPE is not allowed" },
  { name: "other markup declarations", xml: "<a><!ELEMENT a ANY></a>", error: "malformed markup declaration" },
  { name: "undeclared entity in text", xml: "<a>&foo;</a>", error: "undeclared entity &foo;" },
  { name: "undeclared entity in an attribute", xml: '<a x="&nbsp;"/>', error: "undeclared entity &nbsp;" },
  { name: "entity names are case-sensitive", xml: "<a>&LT;</a>", error: "undeclared entity &LT;" },
  { name: "bare ampersand", xml: "<a>a & b</a>", error: "'&' must start an entity or character reference" },
  { name: "reference without ';'", xml: "<a>&lt</a>", error: "malformed entity reference" },
  { name: "character reference without digits", xml: "<a>&#;</a>", error: "malformed character reference" },
  { name: "character reference with upper-case X", xml: "<a>&#X41;</a>", error: "malformed character reference" },
  { name: "character reference to NUL", xml: "<a>&#0;</a>", error: "&#0; is not an allowed XML character" },
  { name: "character reference to a control character", xml: "<a>&#x1;</a>", error: "&#x1; is not an allowed XML character" },
  { name: "character reference to a surrogate", xml: "<a>&#xD800;</a>", error: "&#xD800; is not an allowed XML character" },
  { name: "character reference to U+FFFE", xml: "<a>&#xFFFE;</a>", error: "&#xFFFE; is not an allowed XML character" },
  { name: "character reference beyond U+10FFFF", xml: "<a>&#x110000;</a>", error: "is not an allowed XML character" },
  { name: "huge decimal character reference", xml: "<a>&#99999999999999999999999;</a>", error: "is not an allowed XML character" },
  // Elements.
  { name: "end tag mismatch", xml: "<a></b>", error: "end tag </b> does not match start tag <a>" },
  { name: "end tag with a longer name", xml: "<a></ab>", error: "end tag </ab> does not match start tag <a>" },
  { name: "end tag with a shorter name", xml: "<ab></a>", error: "end tag </a> does not match start tag <ab>" },
  { name: "end tag with an extra local part", xml: "<a></a:b>", error: "end tag </a:b> does not match start tag <a>" },
  { name: "end tag with a non-ASCII continuation", xml: "<a></aé>", error: "end tag </aé> does not match start tag <a>" },
  { name: "end tag prefix mismatch", xml: '<p:a xmlns:p="u" xmlns:q="u"></q:a>', error: "end tag </q:a> does not match start tag <p:a>" },
  { name: "unclosed element at end of input", xml: "<a><b></b>", error: "element <a> (line 1, column 1) is not closed" },
  { name: "input ends inside a start tag", xml: "<a", error: "unexpected end of input inside a start tag" },
  { name: "input ends inside an end tag", xml: "<a></a", error: "expected '>' to close end tag </a>" },
  { name: "whitespace before the element name", xml: "< a/>", error: "expected element name" },
  { name: "'/' without '>'", xml: "<a/ >", error: "expected '>' after '/'" },
  // Attributes.
  { name: "'<' in an attribute value", xml: '<a x="a<b"/>', error: "'<' is not allowed in an attribute value" },
  { name: "unquoted attribute value", xml: "<a x=1/>", error: "expected a quoted attribute value" },
  { name: "attribute without value", xml: "<a x/>", error: "expected '='" },
  { name: "unterminated attribute value", xml: '<a x="1/>', error: "unterminated attribute value" },
  { name: "missing whitespace between attributes", xml: '<a x="1"y="2"/>', error: "expected whitespace, '>' or '/>'" },
  { name: "duplicate attribute", xml: '<a x="1" x="2"/>', error: "duplicate attribute x" },
  { name: "duplicate namespace declaration", xml: '<a xmlns:p="u" xmlns:p="v"/>', error: "duplicate attribute xmlns:p" },
  { name: "duplicate default namespace declaration", xml: '<a xmlns="u" xmlns="u"/>', error: "duplicate attribute xmlns" },
  {
    name: "duplicate attribute by expanded name",
    xml: '<a xmlns:p="urn:u" xmlns:q="urn:u" p:x="1" q:x="2"/>',
    error: "duplicate attribute {urn:u}x (written as p:x and q:x)",
  },
  // Comments, PIs, CDATA.
  { name: "'--' inside a comment", xml: "<a><!-- a -- b --></a>", error: "'--' is not allowed inside a comment" },
  { name: "comment ending in '--->'", xml: "<a><!-- a ---></a>", error: "'--' is not allowed inside a comment" },
  { name: "unterminated comment", xml: "<a><!-- a </a>", error: "unterminated comment" },
  { name: "PI target xml in another case", xml: "<a><?XmL x?></a>", error: "processing instruction target 'XmL' is reserved" },
  { name: "PI target with a colon", xml: "<a><?p:q x?></a>", error: "colons are not allowed in processing instruction targets" },
  { name: "PI without whitespace after the target", xml: "<a><?pi\u00D7x?></a>", error: "expected whitespace after the processing instruction target" },
  { name: "PI without a target", xml: "<a><? x?></a>", error: "expected a processing instruction target" },
  { name: "unterminated PI", xml: "<a><?pi x</a>", error: "unterminated processing instruction" },
  { name: "']]>' in text", xml: "<a>x]]>y</a>", error: "']]>' is not allowed in text" },
  { name: "unterminated CDATA", xml: "<a><![CDATA[x</a>", error: "unterminated CDATA section" },
  { name: "lower-case CDATA keyword", xml: "<a><![cdata[x]]></a>", error: "malformed markup declaration" },
  // Characters.
  { name: "control character in text", xml: "<a>\u0001</a>", error: "character U+0001 is not allowed in XML" },
  { name: "NUL in text", xml: "<a>\u0000</a>", error: "character U+0000 is not allowed in XML" },
  { name: "control character in an attribute", xml: '<a x="\u001F"/>', error: "character U+001F is not allowed" },
  { name: "control character in a comment", xml: "<a><!--\u0002--></a>", error: "character U+0002 is not allowed" },
  { name: "control character in a PI", xml: "<a><?pi \u0003?></a>", error: "character U+0003 is not allowed" },
  { name: "control character in CDATA", xml: "<a><![CDATA[\u0004]]></a>", error: "character U+0004 is not allowed" },
  { name: "U+FFFE in text", xml: "<a>\uFFFE</a>", error: "character U+FFFE is not allowed" },
  { name: "U+FFFF in an attribute", xml: '<a x="\uFFFF"/>', error: "character U+FFFF is not allowed" },
  { name: "lone high surrogate", xml: "<a>\uD800x</a>", error: "character U+D800 is not allowed" },
  { name: "lone low surrogate", xml: "<a>\uDC00</a>", error: "character U+DC00 is not allowed" },
  // Names.
  { name: "name starting with a digit", xml: "<1a/>", error: "expected element name" },
  { name: "name starting with '-'", xml: "<-a/>", error: "expected element name" },
  { name: "name starting with a combining mark", xml: "<\u0300a/>", error: "expected element name" },
  { name: "name with a character outside NameChar", xml: "<a\u00D7/>", error: "expected whitespace, '>' or '/>'" },
  { name: "element name with two colons", xml: '<a:b:c xmlns:a="u"/>', error: "element name has more than one colon" },
  { name: "element name with an empty prefix", xml: "<:a/>", error: "element name has an empty namespace prefix" },
  { name: "element name with an empty local part", xml: '<a: xmlns:a="u"/>', error: "has an empty or invalid local part" },
  { name: "local part starting with a digit", xml: '<p:1 xmlns:p="u"/>', error: "has an empty or invalid local part" },
  { name: "attribute name with an empty prefix", xml: '<a :x="1"/>', error: "attribute name has an empty namespace prefix" },
  { name: "xmlns: with an empty prefix", xml: '<a xmlns:="u"/>', error: "has an empty or invalid local part" },
  // Namespaces.
  { name: "undeclared element prefix", xml: "<p:a/>", error: "undeclared namespace prefix 'p' on element <p:a>" },
  { name: "undeclared attribute prefix", xml: '<a p:x="1"/>', error: "undeclared namespace prefix 'p' on attribute p:x" },
  { name: "prefix out of scope after its element", xml: '<a><b xmlns:p="u"/><p:c/></a>', error: "undeclared namespace prefix 'p'" },
  { name: "undeclaring a prefix", xml: '<a xmlns:p=""/>', error: 'xmlns:p="" is not allowed' },
  { name: "xml prefix bound elsewhere", xml: '<a xmlns:xml="urn:x"/>', error: "the xml prefix must not be bound" },
  { name: "another prefix bound to the xml namespace", xml: `<a xmlns:x="${XML_NS}"/>`, error: "must not be bound to any prefix other than xml" },
  { name: "default namespace bound to the xml namespace", xml: `<a xmlns="${XML_NS}"/>`, error: "must not be bound to any prefix other than xml" },
  { name: "declaring the xmlns prefix", xml: '<a xmlns:xmlns="urn:x"/>', error: "the xmlns prefix must not be declared" },
  { name: "binding the xmlns namespace", xml: '<a xmlns:p="http://www.w3.org/2000/xmlns/"/>', error: "must not be declared" },
  { name: "element with the xmlns prefix", xml: "<xmlns:a/>", error: "element names must not use the xmlns prefix" },
  { name: "namespace name with a space", xml: '<a xmlns="urn:a b"/>', error: 'namespace name "urn:a b" is not a valid URI reference' },
  { name: "namespace name with a bad percent escape", xml: '<a xmlns:p="urn:%zz"/>', error: "is not a valid URI reference" },
  { name: "namespace name with two fragments", xml: '<a xmlns:p="urn:a#b#c"/>', error: "is not a valid URI reference" },
  // Limits.
  { name: "depth beyond maxDepth", xml: "<a><b><c/></b></a>", options: { maxDepth: 2 }, error: "maximum element depth 2 exceeded" },
  { name: "empty element beyond maxDepth", xml: "<a><b/></a>", options: { maxDepth: 1 }, error: "maximum element depth 1 exceeded" },
  { name: "too many attributes", xml: '<a x="1" y="2" z="3"/>', options: { maxAttributes: 2 }, error: "too many attributes (the limit is 2)" },
  { name: "name too long", xml: "<abcdef/>", options: { maxNameLength: 5 }, error: "element name is longer than 5 characters" },
];

describe("parseXml accepts", () => {
  it.each(accepts)("$name", ({ xml, want, options }) => {
    expect(show(parseXml(xml, options).root)).toBe(want);
  });
});

describe("parseXml rejects", () => {
  it.each(rejects)("$name", ({ xml, error, options }) => {
    const e = parseError(xml, options);
    expect(e).toBeInstanceOf(XmlParseError);
    expect(e).toBeInstanceOf(Error);
    expect(e.reason).toContain(error);
    expect(e.message).toBe(`line ${e.line}, column ${e.column}: ${e.reason}`);
  });
});

describe("parseXml error positions", () => {
  it("reports the end tag position of a mismatch", () => {
    const xml = "<a>\n  <b>\n    x</c>\n  </b>\n</a>";
    const e = parseError(xml);
    expect(e.message).toBe("line 3, column 6: end tag </c> does not match start tag <b>");
    expect(e.offset).toBe(xml.indexOf("</c>"));
    expect(e.line).toBe(3);
    expect(e.column).toBe(6);
  });

  it("counts CRLF and lone CR as one line end each", () => {
    const e = parseError("<a>\r\n\r<b>\r\n&bad;</b></a>");
    expect([e.line, e.column]).toEqual([4, 1]);
    expect(e.reason).toContain("undeclared entity &bad;");
  });

  it("points at the offending character", () => {
    const xml = '<a x="1">\n  text \u0001</a>';
    const e = parseError(xml);
    expect(e.offset).toBe(xml.indexOf("\u0001"));
    expect([e.line, e.column]).toEqual([2, 8]);
  });

  it("reports a DOCTYPE at its position", () => {
    const e = parseError('<?xml version="1.0"?>\n<!DOCTYPE a>\n<a/>');
    expect([e.line, e.column, e.offset]).toEqual([2, 1, 22]);
  });
});

describe("parseXml tree details", () => {
  it("records namespace declarations in document order and resolved names", () => {
    const { root } = parseXml('<s:E xmlns:s="urn:s" xmlns="urn:d" a="1"><B xmlns:x="urn:x" x:t="v"/></s:E>');
    expect(root).toMatchObject({ kind: "element", ns: "urn:s", local: "E", prefix: "s" });
    expect(root.namespaces).toEqual([
      { prefix: "s", uri: "urn:s" },
      { prefix: "", uri: "urn:d" },
    ]);
    expect(root.attributes).toEqual([{ ns: "", local: "a", prefix: "", value: "1" }]);
    const b = root.children[0];
    expect(b?.kind).toBe("element");
    if (b?.kind !== "element") return;
    expect(b).toMatchObject({ ns: "urn:d", local: "B", prefix: "" });
    expect(b.namespaces).toEqual([{ prefix: "x", uri: "urn:x" }]);
    expect(b.attributes).toEqual([{ ns: "urn:x", local: "t", prefix: "x", value: "v" }]);
  });

  it("links parents", () => {
    const { root } = parseXml("<a><b><c/></b></a>");
    expect(root.parent).toBeUndefined();
    const [b] = root.children;
    if (b?.kind !== "element") throw new Error("expected an element");
    expect(b.parent).toBe(root);
    const [c] = b.children;
    if (c?.kind !== "element") throw new Error("expected an element");
    expect(c.parent).toBe(b);
  });

  it("merges adjacent character data into one text node", () => {
    const { root } = parseXml("<a>1&amp;<![CDATA[2]]><!--x-->3<?p?>4&#53;</a>");
    expect(root.children).toEqual([{ kind: "text", value: "1&234" + "5" }]);
  });

  it("nests namespace scopes deeply and restores them", () => {
    let xml = "";
    for (let i = 0; i < 100; i++) xml += `<p:e${i} xmlns:p="urn:${i}">`;
    for (let i = 99; i >= 0; i--) xml += `</p:e${i}>`;
    const all = elements(parseXml(xml).root);
    expect(all.map((e) => e.ns)).toEqual(Array.from({ length: 100 }, (_, i) => `urn:${i}`));
  });

  it("accepts the default depth limit of 256 and rejects 257", () => {
    const nest = (n: number) => "<a>".repeat(n) + "</a>".repeat(n);
    expect(() => parseXml(nest(256))).not.toThrow();
    expect(parseError(nest(257)).reason).toContain("maximum element depth 256 exceeded");
  });

  it("accepts 256 attributes by default and rejects 257", () => {
    const tag = (n: number) => `<a ${Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(" ")}/>`;
    expect(parseXml(tag(256)).root.attributes).toHaveLength(256);
    expect(parseError(tag(257)).reason).toContain("too many attributes");
  });

  it("keeps namespace lookups cheap when hostile input piles up declarations", () => {
    // 200 levels x 200 declarations in scope, then many elements using the outermost prefix:
    // a lookup that walked the scope chain would do 40,000 comparisons per name here.
    let xml = "";
    for (let d = 0; d < 200; d++) {
      xml += d === 0 ? `<p:e xmlns:p="urn:root"` : "<p:e";
      for (let k = 0; k < 200; k++) xml += ` xmlns:d${d}x${k}="urn:${k}"`;
      xml += ">";
    }
    xml += "<p:leaf/>".repeat(20000);
    xml += "</p:e>".repeat(200);
    const { root } = parseXml(xml);
    expect(root.ns).toBe("urn:root");
  });

  it("detects duplicates among many attributes", () => {
    const attrs = Array.from({ length: 40 }, (_, i) => `a${i}="${i}"`).join(" ");
    expect(parseError(`<a ${attrs} a7="x"/>`).reason).toContain("duplicate attribute a7");
    const ns = Array.from({ length: 20 }, (_, i) => `xmlns:p${i}="urn:same"`).join(" ");
    expect(parseError(`<a ${ns} p3:x="1" p11:x="2"/>`).reason).toContain("duplicate attribute {urn:same}x (written as p3:x and p11:x)");
    const many = Array.from({ length: 20 }, (_, i) => `p${i}:a${i}="1"`).join(" ");
    expect(parseError(`<a ${ns} ${many} p5:a3="2"/>`).reason).toContain("duplicate attribute {urn:same}a3 (written as p3:a3 and p5:a3)");
    expect(parseXml(`<a ${ns} ${many}/>`).root.attributes).toHaveLength(20);
  });
});

describe("parseXml offsets and positions", () => {
  const samples: readonly string[] = [
    "<a/>",
    '<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope xmlns:s="urn:s">\n  <s:Body>\n    <m:Op xmlns:m="urn:m" a="1">text</m:Op>\n    <e/>\n  </s:Body>\n</s:Envelope>\n',
    "\uFEFF<a><b x='1'\n y='2'/><c>t<d/>u</c ></a>",
    "<a>\r\n<b>\r<c/>\r\n</b></a>",
    "<a>\u{1F600}<b/>\r<c><![CDATA[<x>]]></c><!-- <z/> --></a>",
    '<r><p:q xmlns:p="u"\n\n\n><w/></p:q></r>',
  ];

  it.each(samples.map((s) => [JSON.stringify(s).slice(0, 40), s]))("element source slices: %s", (_, xml) => {
    for (const el of elements(parseXml(xml).root)) {
      const src = xml.slice(el.start, el.end);
      const qname = el.prefix === "" ? el.local : `${el.prefix}:${el.local}`;
      expect(src.startsWith(`<${qname}`)).toBe(true);
      const empty = /^<[^>]*\/>$/.test(src);
      if (!empty) expect(src).toMatch(new RegExp(`</${qname}\\s*>$`));
      // The slice is itself the same element once the declarations it inherits are supplied.
      const inherited = new Map<string, string>();
      for (let p = el.parent; p !== undefined; p = p.parent) {
        for (const d of p.namespaces) if (!inherited.has(d.prefix)) inherited.set(d.prefix, d.uri);
      }
      for (const d of el.namespaces) inherited.delete(d.prefix);
      const decls = [...inherited].map(([p, u]) => ` ${p === "" ? "xmlns" : `xmlns:${p}`}="${u}"`).join("");
      expect(show(parseXml(src.replace(/^(<[^\s/>]+)/, `$1${decls}`)).root)).toBe(show(el));
    }
  });

  it.each(samples.map((s) => [JSON.stringify(s).slice(0, 40), s]))("line and column of elements: %s", (_, xml) => {
    for (const el of elements(parseXml(xml).root)) {
      // Independent computation: split on any line end.
      const before = xml.slice(0, el.start).replace(/^\uFEFF/, "");
      const lines = before.split(/\r\n|\r|\n/);
      expect([el.line, el.column]).toEqual([lines.length, lines[lines.length - 1]!.length + 1]);
    }
  });

  it("gives exact source slices for a signed-body style lookup", () => {
    const xml = '<E xmlns="urn:e"><H/><Body Id="b1"><x>1</x></Body></E>';
    const body = elements(parseXml(xml).root).find((e) => e.local === "Body");
    expect(body && xml.slice(body.start, body.end)).toBe('<Body Id="b1"><x>1</x></Body>');
    expect(body).toMatchObject({ line: 1, column: 22 });
  });
});

describe("parseXml long text runs (crossed by a regular expression after 32 characters)", () => {
  const run = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwYWJjZGVmZ2hpams="; // 60 plain characters
  const text = (el: XmlElement) => el.children.map((c: XmlNode) => (c.kind === "text" ? c.value : "")).join("");

  it("keeps every character and still handles what follows the run", () => {
    expect(text(parseXml(`<a>${run}</a>`).root)).toBe(run);
    expect(text(parseXml(`<a>${run}&amp;${run}</a>`).root)).toBe(`${run}&${run}`);
    expect(text(parseXml(`<a>${run}\r\n${run}\r${run}</a>`).root)).toBe(`${run}\n${run}\n${run}`);
    expect(text(parseXml(`<a>${run}\u{1F600}\t${run}</a>`).root)).toBe(`${run}\u{1F600}\t${run}`);
  });

  it("still refuses, at the right offset, what XML forbids after a long run", () => {
    for (const [bad, reason] of [
      ["\u0001", /not allowed in XML/],
      ["\ud800x", /not allowed in XML/],
      ["\uffff", /not allowed in XML/],
      ["]]>", /']]>' is not allowed/],
      ["&bogus;", /bogus/],
    ] as const) {
      const xml = `<a>${run}${bad}</a>`;
      let error: unknown;
      try {
        parseXml(xml);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(bad)).toBeInstanceOf(XmlParseError);
      expect((error as XmlParseError).reason).toMatch(reason);
      expect((error as XmlParseError).offset).toBe(3 + run.length);
    }
  });
});

describe("parseXml long attribute values (crossed by a regular expression after 24 characters)", () => {
  const run = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"; // plain, either quote
  const value = (xml: string) => (parseXml(xml).root.attributes[0]!).value;

  it("keeps every character, in both quotes, and still normalizes and expands what follows the run", () => {
    expect(value(`<a v="${run}"/>`)).toBe(run);
    expect(value(`<a v='${run}'/>`)).toBe(run);
    expect(value(`<a v="${run}'${run}"/>`)).toBe(`${run}'${run}`);
    expect(value(`<a v='${run}"${run}'/>`)).toBe(`${run}"${run}`);
    expect(value(`<a v="${run}&amp;&#x41;${run}"/>`)).toBe(`${run}&A${run}`);
    expect(value(`<a v="${run}\t${run}\r\n${run}\n${run}\r${run}"/>`)).toBe(`${run} ${run} ${run} ${run} ${run}`);
    expect(value(`<a v="${run}\u{1F600}>]]>${run}"/>`)).toBe(`${run}\u{1F600}>]]>${run}`);
    expect(parseXml(`<a v="${run}" w='${run}'>x</a>`).root.attributes.map((a) => a.value)).toEqual([run, run]);
  });

  it("still refuses, at the right offset, what XML forbids after a long run", () => {
    for (const [bad, reason] of [
      ["\u0001", /not allowed in XML/],
      ["\ud800x", /not allowed in XML/],
      ["\udc00", /not allowed in XML/],
      ["\ufffe", /not allowed in XML/],
      ["<", /'<' is not allowed in an attribute value/],
      ["&bogus;", /bogus/],
      ["&", /must start an entity/],
    ] as const) {
      for (const quote of ['"', "'"]) {
        const xml = `<a v=${quote}${run}${bad}${quote}/>`;
        let error: unknown;
        try {
          parseXml(xml);
        } catch (e) {
          error = e;
        }
        expect(error, JSON.stringify(bad)).toBeInstanceOf(XmlParseError);
        expect((error as XmlParseError).reason).toMatch(reason);
        expect((error as XmlParseError).offset).toBe(6 + run.length);
      }
    }
    expect(() => parseXml(`<a v="${run}/>`)).toThrow(/unterminated attribute value|unexpected end/);
  });
});

describe("parseXml processingInstructions: refuse (how SOAP messages are read)", () => {
  it("refuses a processing instruction anywhere, and still accepts the XML declaration", () => {
    const refuse = { processingInstructions: "refuse" } as const;
    expect(parseXml('<?xml version="1.0" encoding="utf-8"?><a>x</a>', refuse).root.local).toBe("a");
    for (const xml of ["<?pi x?><a/>", "<a><?pi?></a>", "<a/><?pi x?>", "<a>text<?audit note?>more</a>"]) {
      expect(() => parseXml(xml, refuse), xml).toThrow(/processing instruction <\?\w+ \.\.\.\?> is not allowed/);
      expect(() => parseXml(xml), xml).not.toThrow();
    }
  });
});
