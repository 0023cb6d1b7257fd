import { describe, expect, it } from "vitest";
import type { XmlNode } from "../../runtime/src/xml/node.ts";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { escapeAttribute, escapeText, XmlWriter } from "../../runtime/src/xml/write.ts";
import { mulberry32 } from "../helpers/xml-mutations.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** Expanded-name rendering of a parsed tree: `{ns}local[{ns}attr="v"](children)`. */
function show(node: XmlNode): string {
  if (node.kind === "text") return JSON.stringify(node.value);
  const attrs = node.attributes.map((a) => `{${a.ns}}${a.local}=${JSON.stringify(a.value)}`).sort();
  return (
    `{${node.ns}}${node.local}` +
    (attrs.length > 0 ? `[${attrs.join(" ")}]` : "") +
    (node.children.length > 0 ? `(${node.children.map(show).join(", ")})` : "")
  );
}

const TRICKY_VALUES = [
  "",
  "plain",
  " ",
  "\t\n\r\n\r",
  "a & b < c > d",
  `quotes " and '`,
  "]]>",
  "x]]>y]]",
  "&amp; is not an entity here",
  "\u{1F600} é 中文 \u0085 \u2028",
  "  leading and trailing  ",
  "line1\r\nline2\rline3\nline4",
];

describe("escapeText", () => {
  it.each([
    ["a&b", "a&amp;b"],
    ["a<b", "a&lt;b"],
    ["a>b", "a&gt;b"],
    ["]]>", "]]&gt;"],
    ["a\rb", "a&#13;b"],
    ["a\r\nb", "a&#13;\nb"],
    [`"'\t\n`, `"'\t\n`],
    ["\u{1F600}", "\u{1F600}"],
  ])("%j -> %j", (input, want) => {
    expect(escapeText(input)).toBe(want);
  });

  it("returns the same string when nothing needs escaping", () => {
    const s = "nothing to do here, \u00e9\u{1F600}";
    expect(escapeText(s)).toBe(s);
  });

  it.each(["\u0000", "a\u0001", "\u001F", "\uFFFE", "\uFFFF", "\uD800", "x\uDC00", "\uDBFFa"])(
    "rejects %j, which XML 1.0 cannot represent",
    (s) => {
      expect(() => escapeText(s)).toThrow(RangeError);
      expect(() => escapeAttribute(s)).toThrow(RangeError);
    },
  );
});

describe("escapeAttribute", () => {
  it.each([
    ["a&b", "a&amp;b"],
    ["a<b", "a&lt;b"],
    ['a"b', "a&quot;b"],
    ["a\tb", "a&#9;b"],
    ["a\nb", "a&#10;b"],
    ["a\rb", "a&#13;b"],
    ["a'b>c", "a'b>c"],
  ])("%j -> %j", (input, want) => {
    expect(escapeAttribute(input)).toBe(want);
  });
});

describe("escaping round-trips through parseXml", () => {
  it.each(TRICKY_VALUES.map((v) => [v]))("%j", (value) => {
    const xml = `<a x="${escapeAttribute(value)}">${escapeText(value)}</a>`;
    const { root } = parseXml(xml);
    expect(root.attributes[0]?.value).toBe(value);
    const text = root.children.map((c) => (c.kind === "text" ? c.value : "")).join("");
    expect(text).toBe(value);
  });
});

describe("XmlWriter", () => {
  it("writes empty elements as <a/> and closes non-empty ones", () => {
    const w = new XmlWriter();
    w.startElement("", "a").startElement("", "b").endElement().element("", "c", "t").element("", "d", "").endElement();
    expect(w.toString()).toBe("<a><b/><c>t</c><d/></a>");
  });

  it("escapes text and attributes", () => {
    const w = new XmlWriter();
    w.startElement("", "a").attribute("", "x", 'a"<&\t\n\r>').text("1 < 2 & ]]> \r").endElement();
    expect(w.toString()).toBe('<a x="a&quot;&lt;&amp;&#9;&#10;&#13;>">1 &lt; 2 &amp; ]]&gt; &#13;</a>');
  });

  it("writes an XML declaration on request", () => {
    const w = new XmlWriter({ xmlDeclaration: true });
    w.element("", "a");
    expect(w.toString()).toBe('<?xml version="1.0" encoding="UTF-8"?><a/>');
  });

  it("generates prefixes ns1, ns2, ... and reuses the in-scope one", () => {
    const w = new XmlWriter();
    w.startElement("urn:a", "root")
      .startElement("urn:a", "child")
      .attribute("urn:b", "x", "1")
      .startElement("urn:b", "grand")
      .attribute("urn:b", "y", "2")
      .endElement()
      .endElement()
      .endElement();
    expect(w.toString()).toBe(
      '<ns1:root xmlns:ns1="urn:a"><ns1:child xmlns:ns2="urn:b" ns2:x="1"><ns2:grand ns2:y="2"/></ns1:child></ns1:root>',
    );
  });

  it("declares again, with the same generated prefix, once a declaration went out of scope", () => {
    const w = new XmlWriter();
    w.startElement("", "r").element("urn:a", "x").element("urn:b", "y").element("urn:a", "z").endElement();
    expect(w.toString()).toBe('<r><ns1:x xmlns:ns1="urn:a"/><ns2:y xmlns:ns2="urn:b"/><ns1:z xmlns:ns1="urn:a"/></r>');
  });

  it("uses caller-declared prefixes, declared before the element starts", () => {
    const w = new XmlWriter();
    w.declare("soap", "urn:soap").declare("tns", "urn:tns");
    w.startElement("urn:soap", "Envelope").startElement("urn:soap", "Body").element("urn:tns", "Op").endElement().endElement();
    expect(w.toString()).toBe(
      '<soap:Envelope xmlns:soap="urn:soap" xmlns:tns="urn:tns"><soap:Body><tns:Op/></soap:Body></soap:Envelope>',
    );
  });

  it("applies a declaration made right after startElement to that element's own name", () => {
    const w = new XmlWriter();
    w.startElement("urn:x", "a").declare("x", "urn:x").attribute("urn:x", "at", "v").endElement();
    expect(w.toString()).toBe('<x:a xmlns:x="urn:x" x:at="v"/>');
  });

  it("declares the namespaces given in startElement options, in order", () => {
    const w = new XmlWriter();
    w.startElement("urn:s", "E", { namespaces: { s: "urn:s", "": "urn:d", t: "urn:t" } }).element("urn:d", "b").endElement();
    expect(w.toString()).toBe('<s:E xmlns:s="urn:s" xmlns="urn:d" xmlns:t="urn:t"><b/></s:E>');
  });

  it("does not repeat a declaration already in scope", () => {
    const w = new XmlWriter();
    w.declare("p", "urn:p").startElement("urn:p", "a");
    w.startElement("urn:p", "b").declare("p", "urn:p").endElement().endElement();
    expect(w.toString()).toBe('<p:a xmlns:p="urn:p"><p:b/></p:a>');
  });

  it("does not reuse a prefix that an inner declaration shadows", () => {
    const w = new XmlWriter();
    w.declare("p", "urn:1").startElement("urn:1", "a");
    w.startElement("urn:2", "b", { namespaces: { p: "urn:2" } }).element("urn:1", "c").endElement().endElement();
    const xml = w.toString();
    expect(xml).toBe('<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><ns1:c xmlns:ns1="urn:1"/></p:b></p:a>');
    expect(show(parseXml(xml).root)).toBe("{urn:1}a({urn:2}b({urn:1}c))");
  });

  describe("default namespace", () => {
    it("declares xmlns once and keeps descendants unprefixed", () => {
      const w = new XmlWriter();
      w.startElement("urn:t", "Op", { defaultNamespace: true })
        .element("urn:t", "a", "1", { defaultNamespace: true })
        .element("urn:t", "b", "2")
        .endElement();
      expect(w.toString()).toBe('<Op xmlns="urn:t"><a>1</a><b>2</b></Op>');
    });

    it('undeclares it with xmlns="" for a child in no namespace', () => {
      const w = new XmlWriter();
      w.startElement("urn:t", "Op", { defaultNamespace: true })
        .startElement("", "plain")
        .element("", "deeper", "x")
        .element("urn:t", "back", "y", { defaultNamespace: true })
        .endElement()
        .element("", "sibling")
        .endElement();
      const xml = w.toString();
      expect(xml).toBe(
        '<Op xmlns="urn:t"><plain xmlns=""><deeper>x</deeper><back xmlns="urn:t">y</back></plain><sibling xmlns=""/></Op>',
      );
      expect(show(parseXml(xml).root)).toBe('{urn:t}Op({}plain({}deeper("x"), {urn:t}back("y")), {}sibling)');
    });

    it('writes no xmlns="" when no default namespace is in scope', () => {
      const w = new XmlWriter();
      w.startElement("urn:p", "a").element("", "b").endElement();
      expect(w.toString()).toBe('<ns1:a xmlns:ns1="urn:p"><b/></ns1:a>');
    });

    it("switches the default namespace for a child in another namespace", () => {
      const w = new XmlWriter();
      w.startElement("urn:1", "a", { defaultNamespace: true }).element("urn:2", "b", undefined, { defaultNamespace: true }).endElement();
      expect(w.toString()).toBe('<a xmlns="urn:1"><b xmlns="urn:2"/></a>');
    });

    it("never puts attributes in the default namespace", () => {
      const w = new XmlWriter();
      w.startElement("urn:t", "a", { defaultNamespace: true }).attribute("urn:t", "q", "1").attribute("", "u", "2").endElement();
      const xml = w.toString();
      expect(xml).toBe('<a xmlns="urn:t" xmlns:ns1="urn:t" ns1:q="1" u="2"/>');
      expect(show(parseXml(xml).root)).toBe('{urn:t}a[{urn:t}q="1" {}u="2"]');
    });

    it("can be declared with declare(\"\", uri)", () => {
      const w = new XmlWriter();
      w.declare("", "urn:d").startElement("urn:d", "a").element("urn:d", "b").endElement();
      expect(w.toString()).toBe('<a xmlns="urn:d"><b/></a>');
    });
  });

  it("writes the xml namespace with the xml prefix and no declaration", () => {
    const w = new XmlWriter();
    w.startElement("", "a").attribute(XML_NS, "lang", "en").endElement();
    expect(w.toString()).toBe('<a xml:lang="en"/>');
    expect(parseXml(w.toString()).root.attributes[0]).toMatchObject({ ns: XML_NS, local: "lang" });
  });

  it("prefixFor finds or declares a prefix for QName-valued content", () => {
    const w = new XmlWriter();
    w.declare("xsd", "http://www.w3.org/2001/XMLSchema").startElement("", "a");
    const xsd = w.prefixFor("http://www.w3.org/2001/XMLSchema");
    const t = w.prefixFor("urn:types");
    w.attribute("http://www.w3.org/2001/XMLSchema-instance", "type", `${t}:Money`).text(`${xsd}:string`).endElement();
    expect(w.toString()).toBe(
      '<a xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns1="urn:types" xmlns:ns2="http://www.w3.org/2001/XMLSchema-instance" ns2:type="ns1:Money">xsd:string</a>',
    );
    const w2 = new XmlWriter();
    w2.startElement("", "a").text("x");
    expect(() => w2.prefixFor("urn:nowhere")).toThrow(/not in scope/);
  });

  it("inserts raw fragments verbatim after closing the start tag", () => {
    const w = new XmlWriter();
    w.startElement("urn:s", "Body").raw('<m:Op xmlns:m="urn:m"/>').endElement();
    expect(w.toString()).toBe('<ns1:Body xmlns:ns1="urn:s"><m:Op xmlns:m="urn:m"/></ns1:Body>');
  });

  it("is deterministic", () => {
    const build = () => {
      const w = new XmlWriter();
      w.startElement("urn:a", "r");
      for (let i = 0; i < 5; i++) w.startElement(`urn:${i % 3}`, `e${i}`).attribute(`urn:${(i + 1) % 3}`, "x", `${i}`).text("t").endElement();
      return w.endElement().toString();
    };
    expect(build()).toBe(build());
  });

  describe("misuse", () => {
    it("rejects attribute() after content", () => {
      const w = new XmlWriter().startElement("", "a").text("x");
      expect(() => w.attribute("", "b", "1")).toThrow(/must follow startElement/);
    });
    it("rejects duplicate attributes", () => {
      const w = new XmlWriter().startElement("", "a").attribute("urn:x", "b", "1");
      expect(() => w.attribute("urn:x", "b", "2")).toThrow(/duplicate attribute/);
    });
    it("rejects namespace declarations written as attributes", () => {
      const w = new XmlWriter().startElement("", "a");
      expect(() => w.attribute("", "xmlns", "u")).toThrow(/declare\(\)/);
      expect(() => w.attribute("http://www.w3.org/2000/xmlns/", "p", "u")).toThrow(/declare\(\)/);
    });
    it("rejects invalid names", () => {
      expect(() => new XmlWriter().startElement("", "a:b")).toThrow(/invalid element local name/);
      expect(() => new XmlWriter().startElement("", "1a")).toThrow(/invalid element local name/);
      expect(() => new XmlWriter().startElement("", "a").attribute("", "", "v")).toThrow(/invalid attribute local name/);
      expect(() => new XmlWriter().declare("a b", "urn:x")).toThrow(/invalid namespace prefix/);
    });
    it("rejects impossible declarations", () => {
      expect(() => new XmlWriter().declare("p", "")).toThrow(/cannot be undeclared/);
      expect(() => new XmlWriter().declare("xml", "urn:x")).toThrow(/xml prefix/);
      expect(() => new XmlWriter().declare("x", XML_NS)).toThrow(/xml prefix/);
      expect(() => new XmlWriter().declare("xmlns", "urn:x")).toThrow(/xmlns/);
      const w = new XmlWriter().startElement("", "a").declare("p", "urn:1");
      expect(() => w.declare("p", "urn:2")).toThrow(/already declared on this element/);
    });
    it("rejects namespace names the parser would refuse", () => {
      // Checked when the declaration is made, i.e. when the start tag is written.
      expect(() => new XmlWriter().startElement("urn:a b", "a").endElement()).toThrow(/not a valid URI reference/);
      expect(() => new XmlWriter().declare("p", "urn:%zz").startElement("", "a")).toThrow(/not a valid URI reference/);
    });
    it("rejects a default namespace that cannot exist", () => {
      expect(() => new XmlWriter().startElement("", "a", { defaultNamespace: true })).toThrow(/cannot be the default namespace/);
      expect(() => new XmlWriter().startElement(XML_NS, "a", { defaultNamespace: true })).toThrow(/cannot be the default namespace/);
    });
    it("rejects unbalanced endElement and toString with open elements", () => {
      expect(() => new XmlWriter().endElement()).toThrow(/without an open element/);
      expect(() => new XmlWriter().startElement("", "a").toString()).toThrow(/still open/);
    });
  });
});

describe("XmlWriter round trip: parseXml(write(tree)) has the same expanded names and values", () => {
  interface Model {
    readonly ns: string;
    readonly local: string;
    readonly useDefault: boolean;
    readonly attributes: readonly { readonly ns: string; readonly local: string; readonly value: string }[];
    readonly children: readonly (Model | string)[];
  }

  const NAMESPACES = ["", "", "urn:a", "urn:b", "http://example.com/c#", XML_NS];

  function randomTree(rng: () => number, depth: number): Model {
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
    let ns = pick(NAMESPACES.filter((n) => n !== XML_NS));
    const useDefault = ns !== "" && rng() < 0.4;
    const attributes: Model["attributes"][number][] = [];
    const attrCount = Math.floor(rng() * 4);
    for (let i = 0; i < attrCount; i++) {
      const ans = pick(NAMESPACES);
      const local = ans === XML_NS ? pick(["lang", "space"]) : pick(["x", "y", "type"]);
      if (attributes.some((a) => a.ns === ans && a.local === local)) continue;
      attributes.push({ ns: ans, local, value: pick(TRICKY_VALUES) });
    }
    const children: (Model | string)[] = [];
    const childCount = depth > 3 ? 0 : Math.floor(rng() * 4);
    for (let i = 0; i < childCount; i++) {
      if (rng() < 0.3) {
        const v = pick(TRICKY_VALUES.filter((t) => t !== ""));
        // Adjacent text merges on parsing; keep the model in merged form.
        const last = children[children.length - 1];
        if (typeof last === "string") children[children.length - 1] = last + v;
        else children.push(v);
      } else {
        children.push(randomTree(rng, depth + 1));
      }
    }
    if (ns === XML_NS) ns = "";
    return { ns, local: pick(["a", "b", "item", "Body"]), useDefault, attributes, children };
  }

  function write(w: XmlWriter, m: Model): void {
    w.startElement(m.ns, m.local, { defaultNamespace: m.useDefault });
    for (const a of m.attributes) w.attribute(a.ns, a.local, a.value);
    for (const c of m.children) {
      if (typeof c === "string") w.text(c);
      else write(w, c);
    }
    w.endElement();
  }

  function showModel(m: Model | string): string {
    if (typeof m === "string") return JSON.stringify(m);
    const attrs = m.attributes.map((a) => `{${a.ns}}${a.local}=${JSON.stringify(a.value)}`).sort();
    return (
      `{${m.ns}}${m.local}` +
      (attrs.length > 0 ? `[${attrs.join(" ")}]` : "") +
      (m.children.length > 0 ? `(${m.children.map(showModel).join(", ")})` : "")
    );
  }

  it.each(Array.from({ length: 200 }, (_, i) => [i]))("seed %i", (seed) => {
    const model = randomTree(mulberry32(seed + 1), 0);
    const w = new XmlWriter({ xmlDeclaration: seed % 2 === 0 });
    if (seed % 3 === 0) w.declare("pa", "urn:a");
    write(w, model);
    const xml = w.toString();
    expect(show(parseXml(xml).root)).toBe(showModel(model));
    // Same calls, same bytes.
    const again = new XmlWriter({ xmlDeclaration: seed % 2 === 0 });
    if (seed % 3 === 0) again.declare("pa", "urn:a");
    write(again, model);
    expect(again.toString()).toBe(xml);
  });
});
