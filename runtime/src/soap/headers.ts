/**
 * Header blocks a binding declares (`soap:header`, WSDL 1.1 section 3.7): typed values keyed by
 * the element's local name, written before the Body and read back from the received Header. An
 * abstract element's block travels as a member of its substitution group (named in `$element`).
 * And Bodies of several parts: typed values keyed by part name, one element each, in order.
 */
import { CodecError } from "../errors.ts";
import type { BodyPartMeta, ElementMeta } from "../meta.ts";
import type { XmlElement } from "../xml/node.ts";
import { decodeElement, type DecodeOptions } from "../xsd/decode.ts";
import { SOAP11_ENV, SOAP12_ENV } from "../xml/namespaces.ts";

/** An object without members, shared: the headers of a message that carries none of the declared ones. */
export const NO_HEADER_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Writes the declared header blocks that `values` holds, in declaration order. A value under a
 * name the operation does not declare is an error (it would otherwise vanish without a word).
 * @throws CodecError for such a name, or a value that breaks its element's schema.
 */
export function encodeHeaders(
  declared: readonly ElementMeta[] | undefined,
  values: unknown,
  encode: (meta: ElementMeta, value: unknown) => string,
  where: string,
): string {
  if (values === undefined || values === null) return "";
  if (typeof values !== "object") throw new CodecError("encode", "invalid", `${where} headers`, "the header values must be an object keyed by header element name");
  const record = values as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (declared === undefined || !declared.some((h) => h.name === name)) {
      const known = declared === undefined || declared.length === 0 ? "none" : declared.map((h) => h.name).join(", ");
      throw new CodecError("encode", "unexpected", `${where} headers.${name}`, `the operation declares no header ${name}; declared: ${known}`);
    }
  }
  let out = "";
  for (const meta of declared ?? []) {
    const value = record[meta.name];
    if (value === undefined) continue;
    try {
      out += encode(meta, value);
    } catch (error) {
      if (error instanceof CodecError) throw new CodecError("encode", error.problem, `${where} headers.${error.path}`, error.detail);
      throw error;
    }
  }
  return out;
}

/**
 * Reads the declared header blocks out of a received Header, keyed by local name; blocks the
 * operation does not declare are left alone (the `mustUnderstand` check is the caller's).
 * @throws CodecError for a declared block that breaks its schema, or one that comes twice.
 */
export function decodeHeaders(declared: readonly ElementMeta[], blocks: readonly XmlElement[], options: DecodeOptions | undefined, where: string): Record<string, unknown> {
  if (blocks.length === 0) return {};
  const out: Record<string, unknown> = {};
  for (const meta of declared) {
    // An abstract block (a substitution group's head) arrives as one of its members.
    const group = meta.substitutes === undefined ? undefined : substitutionGroupNames(meta);
    let found: XmlElement | undefined;
    for (const block of blocks) {
      if (group === undefined ? block.local !== meta.name || block.ns !== meta.ns : !group.has(`${block.ns} ${block.local}`)) continue;
      if (found !== undefined) {
        const which = group === undefined ? `the header {${meta.ns}}${meta.name} comes twice` : `the header {${meta.ns}}${meta.name} comes twice (as {${found.ns}}${found.local} and {${block.ns}}${block.local})`;
        throw new CodecError("decode", "too-many", `${where} headers.${meta.name}`, which);
      }
      found = block;
    }
    if (found === undefined) continue;
    try {
      out[meta.name] = decodeElement(withoutSoapAttributes(found), meta, options);
    } catch (error) {
      if (error instanceof CodecError) throw new CodecError("decode", error.problem, `${where} headers.${error.path}`, error.detail);
      throw error;
    }
  }
  return out;
}

const groupNames = new WeakMap<ElementMeta, ReadonlySet<string>>();

/**
 * The elements (`namespace local name`) that may travel for a descriptor with substitutes (an
 * abstract header block or fault detail): its members, and the head itself, so that a head sent
 * in their place is refused by the codec with its reason rather than ignored. Built once per
 * descriptor, on first use: a descriptor's substitutes are a thunk (element constants may refer
 * to one another), so they cannot be read when the generated module is loaded.
 */
export function substitutionGroupNames(meta: ElementMeta): ReadonlySet<string> {
  let names = groupNames.get(meta);
  if (names === undefined) {
    names = new Set([`${meta.ns} ${meta.name}`, ...(meta.substitutes?.() ?? []).map((s) => `${s.element.ns} ${s.element.name}`)]);
    groupNames.set(meta, names);
  }
  return names;
}

/**
 * Whether a received element is one that `meta` reads: itself, or, for a descriptor with
 * substitutes, one of the elements that may stand for it.
 */
export function standsFor(meta: ElementMeta, el: XmlElement): boolean {
  if (meta.substitutes === undefined) return el.local === meta.name && el.ns === meta.ns;
  return substitutionGroupNames(meta).has(`${el.ns} ${el.local}`);
}

/**
 * The `{namespace}local` names of the header blocks a declared header may arrive as (its own,
 * or its substitution group's members for an abstract one): what counts as understood for
 * `mustUnderstand`.
 */
export function headerBlockNames(meta: ElementMeta): readonly string[] {
  if (meta.substitutes === undefined) return [`{${meta.ns}}${meta.name}`];
  return [...(meta.abstract === true ? [] : [`{${meta.ns}}${meta.name}`]), ...meta.substitutes().map((s) => `{${s.element.ns}}${s.element.name}`)];
}

/**
 * The block without the attributes SOAP itself puts on header blocks (`mustUnderstand`,
 * `actor`/`role`, `relay`, `encodingStyle`), which its schema does not declare. A shallow copy,
 * made only when there are some: children and their parent links stay the parsed tree's.
 */
function withoutSoapAttributes(block: XmlElement): XmlElement {
  if (!block.attributes.some((a) => a.ns === SOAP11_ENV || a.ns === SOAP12_ENV)) return block;
  return { ...block, attributes: block.attributes.filter((a) => a.ns !== SOAP11_ENV && a.ns !== SOAP12_ENV) };
}

/**
 * Writes a Body of several parts: one element per part, in order, from the value's member named
 * after the part (every part is required, as every part of a message is).
 * @throws CodecError for a value that is not an object, lacks a part or breaks its schema.
 */
export function encodeParts(parts: readonly BodyPartMeta[], value: unknown, encode: (meta: ElementMeta, value: unknown) => string, where: string): string {
  if (typeof value !== "object" || value === null) throw new CodecError("encode", "invalid", where, `the value must be an object with one member per message part (${parts.map((p) => p.part).join(", ")})`);
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!parts.some((p) => p.part === name)) throw new CodecError("encode", "unexpected", `${where}.${name}`, `the message has no part ${name}; parts: ${parts.map((p) => p.part).join(", ")}`);
  }
  let out = "";
  for (const p of parts) {
    const v = record[p.part];
    if (v === undefined) throw new CodecError("encode", "missing", `${where}.${p.part}`, `part ${p.part} is missing`);
    try {
      out += encode(p.element, v);
    } catch (error) {
      if (error instanceof CodecError) throw new CodecError("encode", error.problem, `${where}.${p.part}: ${error.path}`, error.detail);
      throw error;
    }
  }
  return out;
}

/**
 * Reads a Body of several parts: its elements, one per part, in order.
 * @throws CodecError for an element missing, extra, out of order or breaking its schema.
 */
export function decodeParts(parts: readonly BodyPartMeta[], elements: readonly XmlElement[], options: DecodeOptions | undefined, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const el = elements[i];
    if (el === undefined) throw new CodecError("decode", "missing", `${where}.${p.part}`, `the Body lacks part ${p.part} ({${p.element.ns}}${p.element.name})`);
    try {
      out[p.part] = decodeElement(el, p.element, options);
    } catch (error) {
      if (error instanceof CodecError) throw new CodecError("decode", error.problem, `${where}.${p.part}: ${error.path}`, error.detail);
      throw error;
    }
  }
  const extra = elements[parts.length];
  if (extra !== undefined) throw new CodecError("decode", "unexpected", where, `the Body holds {${extra.ns}}${extra.local} after its ${parts.length} parts`);
  return out;
}
