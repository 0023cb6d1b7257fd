/**
 * Descriptor-driven encoding: TypeScript values → XML text, in schema order.
 *
 * Each type descriptor is compiled once into a writer closure (cached in a WeakMap). Values are
 * checked on the way out exactly as they are on the way in (required members, occurrences,
 * lexical forms, facets), so the runtime never sends what the peer's schema would refuse.
 *
 * Namespaces: element names never carry prefixes. Each element that changes namespace declares
 * it as the default namespace (`xmlns="..."`), which is what WCF peers write for DataContract
 * payloads and is correct for any reader that resolves names by namespace. `xsi:nil` uses the
 * prefix `i` (as WCF does), and QName values get a `q<n>` prefix declared on their element.
 */
import type { ComplexTypeMeta, ElementMeta, SimpleTypeMeta, TypeMeta } from "../meta.ts";
import { CodecError } from "../errors.ts";
import { XSI } from "../xml/namespaces.ts";
import { escapeAttribute, escapeText } from "../xml/write.ts";
import { applyWhiteSpace, builtinCodecs, describe } from "./builtins.ts";
import { compileFacets } from "./facets.ts";
import type { QName } from "./values.ts";
import type { XmlElement } from "../xml/node.ts";

/** Writes the start-tag tail (attributes), the content and the end tag of one element. */
type Writer = (value: unknown, path: string, out: string[], defaultNs: string, endTag: string) => void;

const writers = new WeakMap<TypeMeta, Writer>();

// Characters XML 1.0 cannot carry at all, even escaped; lone surrogates cannot be encoded as UTF-8.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Encodes one element, appending its XML text to `out`.
 * @param defaultNs the default namespace in scope where the element is written (`""` at the top).
 * @throws CodecError naming the member path and what is wrong.
 */
export function encodeElement(meta: ElementMeta, value: unknown, out: string[], defaultNs = ""): void {
  writeElement(meta, value, meta.name, out, defaultNs);
}

/** Encodes one element to a string; see {@link encodeElement}. */
export function encodeElementToString(meta: ElementMeta, value: unknown, defaultNs = ""): string {
  const out: string[] = [];
  writeElement(meta, value, meta.name, out, defaultNs);
  return out.join("");
}

function writeElement(meta: ElementMeta, value: unknown, path: string, out: string[], parentNs: string): void {
  out.push("<", meta.name);
  if (meta.ns !== parentNs) out.push(' xmlns="', escapeAttribute(meta.ns), '"');
  const endTag = `</${meta.name}>`;
  if (value === null) {
    if (!meta.nillable) throw new CodecError("encode", "nil", path, `${meta.name} is not nillable; leave it out or give a value`);
    out.push(` xmlns:i="${XSI}" i:nil="true"/>`);
    return;
  }
  writerFor(meta.type())(value, path, out, meta.ns, endTag);
}

function writerFor(type: TypeMeta): Writer {
  let writer = writers.get(type);
  if (writer === undefined) {
    let compiled: Writer | undefined;
    writers.set(type, (v, p, o, d, e) => compiled!(v, p, o, d, e));
    compiled = compile(type);
    writers.set(type, compiled);
    writer = compiled;
  }
  return writer;
}

function compile(type: TypeMeta): Writer {
  switch (type.kind) {
    case "simple":
      return compileSimple(type);
    case "complex":
      return compileComplex(type);
    case "any":
      return (value, path, out, _defaultNs, endTag) => {
        if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== "element") {
          throw new CodecError("encode", "invalid", path, `expected a parsed XML element for ${type.label}, got ${describe(value)}`);
        }
        out.push(">", serializeContent(value as XmlElement), endTag);
      };
  }
}

/** Checks and formats a simple value; returns its lexical form. */
function simpleLexical(type: SimpleTypeMeta): (value: unknown, path: string) => string {
  const codec = builtinCodecs[type.builtin];
  const whiteSpace = type.facets.whiteSpace ?? codec.whiteSpace;
  const facets = compileFacets(type, codec);
  return (value, path) => {
    const formatted = codec.format(value);
    if ("error" in formatted) throw new CodecError("encode", "invalid", path, formatted.error);
    const lexical = applyWhiteSpace(formatted.lexical, whiteSpace);
    if (NOT_XML_CHAR.test(lexical)) throw new CodecError("encode", "invalid", path, "contains a character that XML 1.0 cannot carry");
    const lexError = codec.checkLexical(lexical);
    if (lexError !== undefined) throw new CodecError("encode", "invalid", path, lexError);
    const facetError = facets?.(lexical);
    if (facetError !== undefined) {
      const shown = lexical.length > 60 ? `${lexical.slice(0, 57)}...` : lexical;
      throw new CodecError("encode", "invalid", path, `value ${JSON.stringify(shown)} ${facetError}`);
    }
    return lexical;
  };
}

function compileSimple(type: SimpleTypeMeta): Writer {
  const lexicalOf = simpleLexical(type);
  const isQName = builtinCodecs[type.builtin].shape === "qname";
  return (value, path, out, defaultNs, endTag) => {
    const lexical = lexicalOf(value, path);
    if (isQName) {
      const q = value as QName;
      if (q.namespace === defaultNs) out.push(">", escapeText(q.localName), endTag);
      else if (q.namespace === "") throw new CodecError("encode", "invalid", path, "a QName in no namespace cannot be written inside an element in a namespace");
      else out.push(' xmlns:q1="', escapeAttribute(q.namespace), '">q1:', escapeText(q.localName), endTag);
      return;
    }
    if (lexical === "") out.push("/>");
    else out.push(">", escapeText(lexical), endTag);
  };
}

function compileComplex(type: ComplexTypeMeta): Writer {
  const particles = type.content;
  const known = new Set<string>([...particles.map((p) => p.name), ...type.attributes.map((a) => a.name)]);
  const attributes = type.attributes.map((a) => ({ meta: a, lexicalOf: simpleLexical(a.type()) }));
  const knownList = [...known].join(", ");

  const writeParticles = (value: Record<string, unknown>, path: string, out: string[], defaultNs: string) => {
    for (const p of particles) {
      const v = value[p.name];
      const memberPath = `${path}.${p.name}`;
      if (v === undefined) {
        if (p.minOccurs > 0) throw new CodecError("encode", "missing", memberPath, `missing required member ${p.name}`);
        continue;
      }
      if (p.maxOccurs > 1) {
        if (!Array.isArray(v)) throw new CodecError("encode", "invalid", memberPath, `expected an array (${p.name} may repeat), got ${describe(v)}`);
        checkCount(p, v.length, memberPath);
        v.forEach((item, i) => writeElement(p, item, `${memberPath}[${i}]`, out, defaultNs));
      } else {
        writeElement(p, v, memberPath, out, defaultNs);
      }
    }
  };

  if (type.arrayItem !== undefined) {
    const item = particles[type.arrayItem]!;
    return (value, path, out, defaultNs, endTag) => {
      if (!Array.isArray(value)) throw new CodecError("encode", "invalid", path, `expected an array of ${item.name}, got ${describe(value)}`);
      checkCount(item, value.length, path);
      if (value.length === 0) {
        out.push("/>");
        return;
      }
      out.push(">");
      value.forEach((v, i) => writeElement(item, v, `${path}[${i}]`, out, defaultNs));
      out.push(endTag);
    };
  }

  return (value, path, out, defaultNs, endTag) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new CodecError("encode", "invalid", path, `expected an object of type ${type.label}, got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!known.has(key) && record[key] !== undefined) {
        throw new CodecError("encode", "unexpected", `${path}.${key}`, `unknown member ${key} for ${type.label}; known members: ${knownList || "none"}`);
      }
    }
    for (const { meta, lexicalOf } of attributes) {
      const v = record[meta.name];
      if (v === undefined) {
        if (meta.required) throw new CodecError("encode", "missing", `${path}.${meta.name}`, `missing required attribute ${meta.name}`);
        continue;
      }
      if (meta.ns !== "") throw new CodecError("encode", "invalid", `${path}.${meta.name}`, "qualified attributes are not supported yet");
      out.push(" ", meta.name, '="', escapeAttribute(lexicalOf(v, `${path}.${meta.name}`)), '"');
    }
    const start = out.length;
    out.push(">");
    writeParticles(record, path, out, defaultNs);
    if (out.length === start + 1) out[start] = "/>";
    else out.push(endTag);
  };
}

function checkCount(p: ElementMeta, n: number, path: string): void {
  if (n < p.minOccurs) throw new CodecError("encode", "missing", path, `${p.name} must occur at least ${p.minOccurs} time${p.minOccurs === 1 ? "" : "s"}, got ${n}`);
  if (n > p.maxOccurs) throw new CodecError("encode", "too-many", path, `${p.name} may occur at most ${p.maxOccurs} times, got ${n}`);
}

/** Re-serializes the content of a parsed element (for `xs:anyType` members kept as raw XML). */
function serializeContent(el: XmlElement): string {
  const out: string[] = [];
  const write = (e: XmlElement, inheritedDefault: string) => {
    out.push("<", e.local);
    if (e.ns !== inheritedDefault) out.push(' xmlns="', escapeAttribute(e.ns), '"');
    for (const a of e.attributes) {
      if (a.ns === "") out.push(" ", a.local, '="', escapeAttribute(a.value), '"');
    }
    out.push(">");
    for (const c of e.children) {
      if (c.kind === "text") out.push(escapeText(c.value));
      else write(c, e.ns);
    }
    out.push("</", e.local, ">");
  };
  for (const c of el.children) {
    if (c.kind === "text") out.push(escapeText(c.value));
    else write(c, el.ns);
  }
  return out.join("");
}
