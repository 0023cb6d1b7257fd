/**
 * TSDoc text for generated declarations: the schema's own documentation, then notes the
 * TypeScript type cannot express (facets, defaults), then where the declaration came from.
 */
import type { Facets } from "@mpay-kit/runtime";
import type { Decl, Member } from "./model.ts";

/** Joins paragraphs, skipping empty ones. */
export function paragraphs(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== "");
  return kept.length === 0 ? undefined : kept.join("\n\n");
}

/** One line of facet notes: `Minimum length: 1. Maximum length: 36.` (the enumeration is left to the union). */
export function facetNotes(f: Facets): string | undefined {
  const notes: string[] = [];
  if (f.length !== undefined) notes.push(`Length: ${f.length}.`);
  if (f.minLength !== undefined) notes.push(`Minimum length: ${f.minLength}.`);
  if (f.maxLength !== undefined) notes.push(`Maximum length: ${f.maxLength}.`);
  for (const p of f.patterns ?? []) notes.push(`Pattern: \`${p}\`.`);
  if (f.minInclusive !== undefined) notes.push(`Minimum: ${f.minInclusive}.`);
  if (f.minExclusive !== undefined) notes.push(`Greater than ${f.minExclusive}.`);
  if (f.maxInclusive !== undefined) notes.push(`Maximum: ${f.maxInclusive}.`);
  if (f.maxExclusive !== undefined) notes.push(`Less than ${f.maxExclusive}.`);
  if (f.totalDigits !== undefined) notes.push(`Total digits: ${f.totalDigits}.`);
  if (f.fractionDigits !== undefined) notes.push(`Fraction digits: ${f.fractionDigits}.`);
  if (f.whiteSpace !== undefined) notes.push(`Whitespace: ${f.whiteSpace}.`);
  return notes.length === 0 ? undefined : notes.join(" ");
}

/** The TSDoc of a property: documentation, facets of an anonymous simple type, default / fixed value. */
export function memberDocs(m: Member): string | undefined {
  const notes: string[] = [];
  if (m.type.kind === "decl" && m.type.decl.kind === "inline") {
    const f = facetNotes(m.type.decl.facets);
    if (f !== undefined) notes.push(f);
  }
  if (m.default !== undefined) notes.push(`Default: \`${m.default}\`.`);
  if (m.fixed !== undefined) notes.push(`Fixed: \`${m.fixed}\`.`);
  if (m.kind === "attribute") notes.push(m.property === undefined ? "An XML attribute." : `The XML attribute \`${m.name}\` (an earlier member of the type has that name too).`);
  else if (m.property !== undefined) notes.push(`Element \`${m.name}\` on the wire: an earlier member of the type has that name too (they are told apart by position).`);
  return paragraphs(m.documentation, notes.join(" "));
}

/** `complexType {ns}Name` / `anonymous complexType of element {ns}Name`: what a declaration was generated from. */
export function origin(d: Decl): string {
  const kind = d.node.kind;
  return d.label.startsWith("anonymous type of ") ? `the anonymous ${kind} of \`${d.label.slice("anonymous type of ".length)}\`` : `${kind} \`${d.label}\``;
}
