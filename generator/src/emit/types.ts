/**
 * `src/types.ts`: the TypeScript shape of every value, one declaration per reached schema type.
 *
 * - complex type → `interface` with one property per member, named exactly as in the schema;
 *   `minOccurs=0` → optional, `nillable` → `| null`, repeated → array; simple content → a
 *   `$value` property (the text) before the attributes;
 * - string enumeration → `export const XValues = [...] as const` and `type X = (typeof XValues)[number]`;
 * - other named simple type → `type X = <base>` (facets in its TSDoc);
 * - array wrapper (`ArrayOfX`) → nothing: members of that type are plain arrays.
 */
import { propertyKey } from "../ir/names.ts";
import { facetNotes, memberDocs, origin, paragraphs } from "./docs.ts";
import { GeneratedFile } from "./file.ts";
import { ANY_ATTRIBUTES_PROPERTY, ANY_ATTRIBUTES_TS_TYPE, MIXED_TEXT_PROPERTY, concreteTypes, literalsTsType, isOptional, memberTsType, propertyOf, referencedNames, SIMPLE_CONTENT_PROPERTY, tsType, TYPE_PROPERTY, WILDCARD_PROPERTY, type ContractModel, type Decl, type TypeUse } from "./model.ts";
import type { RuntimeSymbol } from "./symbols.ts";
import type { WildcardNamespaces } from "../ir/model.ts";

export function emitTypes(model: ContractModel, preamble: string): GeneratedFile {
  const f = new GeneratedFile("src/types.ts", preamble);
  const useRuntimeTypes = (use: TypeUse) => {
    for (const name of referencedNames(use).runtime) f.runtime(name as RuntimeSymbol);
  };
  for (const d of model.decls) {
    switch (d.kind) {
      case "complex": {
        // An extension declares only what its base lacks (member names are unique along the chain).
        const inherited = new Set(d.base?.members.map(propertyOf) ?? []);
        const own = d.members.filter((m) => !inherited.has(propertyOf(m)));
        for (const m of own) {
          useRuntimeTypes(m.type);
          for (const s of m.substitutes ?? []) useRuntimeTypes(s.element.type);
        }
        const properties = own.map((m) => ({ key: propertyKey(propertyOf(m)), type: memberTsType(m), optional: isOptional(m), docs: memberDocs(m) }));
        if (d.simpleContent !== undefined) {
          useRuntimeTypes(d.simpleContent);
          properties.unshift({ key: propertyKey(SIMPLE_CONTENT_PROPERTY), type: tsType(d.simpleContent), optional: false, docs: "The element's text (`xs:simpleContent`)." });
        }
        if (d.wildcard !== undefined) {
          useRuntimeTypes({ kind: "builtin", name: "anyType" });
          properties.push({
            key: propertyKey(WILDCARD_PROPERTY),
            type: `${tsType({ kind: "builtin", name: "anyType" })}[]`,
            optional: d.wildcard.minOccurs === 0 && d.moreWildcards.every((w) => w.minOccurs === 0),
            docs:
              d.moreWildcards.length === 0
                ? "Elements the schema leaves open (`xs:any`), as parsed XML."
                : `Elements the schema leaves open (its ${d.moreWildcards.length + 1} \`xs:any\`), as parsed XML, in document order: each goes to the first \`xs:any\` that takes it.`,
          });
        }
        if (d.mixed) {
          properties.push({
            key: propertyKey(MIXED_TEXT_PROPERTY),
            type: "string[]",
            optional: true,
            docs: "The text between the child elements (`mixed=\"true\"`): `$text[k]` stands before the k-th child element (in document order, `$any` ones too), the last entry after the last one.",
          });
        }
        if (d.anyAttribute !== undefined) {
          properties.push({
            key: propertyKey(ANY_ATTRIBUTES_PROPERTY),
            type: ANY_ATTRIBUTES_TS_TYPE,
            optional: true,
            docs: `Attributes the schema leaves open (\`xs:anyAttribute\`, ${wildcardWords(d.anyAttribute.namespaces)}), in document order: namespace (\`""\` for none), local name and value as written.`,
          });
        }
        if (d.family) {
          const names = concreteTypes(d).map((t) => JSON.stringify(t.name));
          properties.unshift({
            key: propertyKey(TYPE_PROPERTY),
            type: names.length === 0 ? "never" : names.join(" | "),
            optional: true,
            docs: d.abstract ? "The value's type (`xsi:type`): this one is abstract, so one derived from it." : "The value's type (`xsi:type`) where a base type is declared; may be left out.",
          });
        }
        // A repeated choice's members are optional arrays (that one element is required, only the codec checks).
        const choices = d.choices.filter((c) => c.repeated !== true);
        if (choices.length === 0) {
          f.interface({ name: d.name, docs: paragraphs(d.documentation, `From ${origin(d)}.`), ...(d.base === undefined ? {} : { extends: d.base.name }), properties });
          break;
        }
        // xs:choice: the members outside every choice, and per choice a union of its branches, where
        // a branch's members are as declared and every other branch's are `?: never`, so that
        // exactly one branch can be given (or none, when the choice is optional).
        const inChoice = new Set(choices.flatMap((c) => c.branches.flatMap((b) => b.members)));
        const byName = new Map(d.members.map((m) => [propertyOf(m), m]));
        const unions = choices.map((c) => {
          const alternatives = c.branches.map((b) =>
            objectType(
              c.branches.flatMap((other) =>
                other.members.map((name) => {
                  const m = byName.get(name)!;
                  if (other !== b) return `${propertyKey(name)}?: never`;
                  return `${propertyKey(name)}${b.required.includes(name) ? "" : "?"}: ${memberTsType(m)}`;
                }),
              ),
            ),
          );
          if (!c.required) alternatives.push(objectType(c.branches.flatMap((b) => b.members.map((name) => `${propertyKey(name)}?: never`))));
          return `(${[...new Set(alternatives)].join(" | ")})`;
        });
        const inChoiceKeys = new Set([...inChoice].map(propertyKey));
        const rest = properties.filter((p) => !inChoiceKeys.has(p.key));
        const common = objectType(rest.map((p) => `${p.docs === undefined ? "" : `\n/** ${p.docs} */\n`}${p.key}${p.optional ? "?" : ""}: ${p.type}`));
        f.typeAlias({ name: d.name, docs: paragraphs(d.documentation, `From ${origin(d)}.`), type: [common, ...unions].join(" & ") });
        break;
      }
      case "enum":
        f.constant({
          name: d.valuesName,
          exported: true,
          docs: `The values of {@link ${d.name}}, in schema order.`,
          initializer: `[${d.values.map((v) => JSON.stringify(v.value)).join(", ")}] as const`,
        });
        f.typeAlias({ name: d.name, docs: enumDocs(d), type: `(typeof ${d.valuesName})[number]` });
        break;
      case "alias":
        if (d.literals !== undefined) {
          // A union restricted by an enumeration: its values' types (a member's where a value is no literal).
          for (const l of d.literals) if (typeof l !== "string") useRuntimeTypes(l);
          f.typeAlias({ name: d.name, docs: paragraphs(d.documentation, `From ${origin(d)} (a union restricted to an enumeration of its values).`), type: literalsTsType(d.literals) });
          break;
        }
        if (d.members !== undefined) {
          d.members.forEach(useRuntimeTypes);
          f.typeAlias({ name: d.name, docs: paragraphs(d.documentation, `From ${origin(d)} (a union: a value of one of its member types).`), type: [...new Set(d.members.map(tsType))].join(" | ") || "never" });
          break;
        }
        if (d.item !== undefined) {
          useRuntimeTypes(d.item);
          const item = tsType(d.item);
          f.typeAlias({ name: d.name, docs: paragraphs(d.documentation, `From ${origin(d)} (a list: items separated by spaces).`), type: item.includes("|") ? `(${item})[]` : `${item}[]` });
          break;
        }
        useRuntimeTypes({ kind: "builtin", name: d.builtin });
        f.typeAlias({
          name: d.name,
          docs: paragraphs(d.documentation, facetNotes(d.facets), `From ${origin(d)} (a restriction of xs:${d.builtin}).`),
          type: tsType({ kind: "builtin", name: d.builtin }),
        });
        break;
      case "array":
      case "inline":
        break;
    }
  }
  return f;
}

/** The namespaces a wildcard allows, in words. */
function wildcardWords(n: WildcardNamespaces): string {
  if (n.kind === "any") return "any namespace";
  if (n.kind === "other") return n.ns === "" ? "any namespace but none" : `any namespace but none and ${n.ns}`;
  return n.list.length === 0 ? "no attribute at all" : n.list.map((ns) => (ns === "" ? "no namespace" : ns)).join(", ");
}

function enumDocs(d: Extract<Decl, { kind: "enum" }>): string | undefined {
  const { enumeration: _, ...rest } = d.facets;
  const values = d.values.some((v) => v.documentation !== undefined)
    ? d.values.map((v) => `- \`${v.value}\`${v.documentation === undefined ? "" : `: ${v.documentation.replace(/\n+/g, " ")}`}`).join("\n")
    : undefined;
  return paragraphs(d.documentation, values, facetNotes(rest), `From ${origin(d)}.`);
}

/** An object type literal of property signatures. */
function objectType(properties: readonly string[]): string {
  return properties.length === 0 ? "{}" : `{ ${properties.join("; ")} }`;
}
