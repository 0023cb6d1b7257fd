/**
 * Given an element's `block` (or its type's, or the schema's `blockDefault`), want the types that
 * `$type` / `xsi:type` may name there narrowed (XSD 1.0 Part 1, 3.3.4 clause 4.3 and 3.4.6): in the
 * TypeScript type, in the descriptor, and in what the generated package compiles. The codec's
 * reading of the descriptors is tested in test/runtime/codec-xsd.test.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, declaration, lines, run, strictFileArgs, tscOutput, warnings } from "./helpers.ts";

const fixture = join(import.meta.dirname, "fixtures/derivation-block");
const files = () => ({ "main.wsdl": readFileSync(join(fixture, "pets.wsdl"), "utf8"), "keepers.xsd": readFileSync(join(fixture, "keepers.xsd"), "utf8") });

async function generated(): Promise<{ types: string; meta: string }> {
  const { files: out } = await run(files());
  return { types: out["src/types.ts"]!, meta: out["src/meta.ts"]! };
}

describe("an element's block narrows the derived types that may stand there", () => {
  it("the TypeScript type lists only the types left, and $type may name only them", async () => {
    const { types } = await generated();
    expect(declaration(types, "Adopt")).toBe(
      lines(
        "/** From the anonymous complexType of `{urn:pets}Adopt`. */",
        "export interface Adopt {",
        // block="extension": Dog and Puppy (extension of an extension) are out; Cat (restriction) stays.
        '  pet: ((Animal | Cat) & { $type?: "Animal" | "Cat" })[];',
        // block="restriction": Cat is out.
        '  kid?: (Animal | Dog | Puppy) & { $type?: "Animal" | "Dog" | "Puppy" };',
        // block="#all": only the declared type.
        '  shy?: Animal & { $type?: "Animal" };',
        // No block: every derived type, as before.
        "  any?: Animal | Cat | Dog | Puppy;",
        // The type's own block="extension" holds wherever it is declared.
        '  guard?: (Guarded | GuardedLess) & { $type?: "Guarded" | "GuardedLess" };',
        // blockDefault="restriction" of the schema declaring Keeper.
        '  Keeper?: (Animal | Dog | Puppy) & { $type?: "Animal" | "Dog" | "Puppy" };',
        // An abstract type whose only derived type is blocked: nothing but nil.
        "  shape?: never | null;",
        "}",
      ),
    );
    // The types themselves are unchanged: Animal's $type still names its whole family.
    expect(declaration(types, "Animal")).toContain('$type?: "Animal" | "Cat" | "Dog" | "Puppy";');
  });

  it("the descriptor of each narrowed element lists the derived types left (none where nothing is left out)", async () => {
    const { meta } = await generated();
    const adopt = declaration(meta, "AdoptMeta");
    expect(adopt).toContain('element("pet", "urn:pets", () => AnimalMeta, { maxOccurs: Infinity, derived: () => [CatMeta] })');
    expect(adopt).toContain('element("kid", "urn:pets", () => AnimalMeta, { minOccurs: 0, derived: () => [DogMeta, PuppyMeta] })');
    expect(adopt).toContain('element("shy", "urn:pets", () => AnimalMeta, { minOccurs: 0, derived: () => [] })');
    expect(adopt).toContain('element("any", "urn:pets", () => AnimalMeta, { minOccurs: 0 })');
    expect(adopt).toContain('element("guard", "urn:pets", () => GuardedMeta, { minOccurs: 0, derived: () => [GuardedLessMeta] })');
    expect(declaration(meta, "KeeperElement")).toContain("derived: () => [DogMeta, PuppyMeta]");
    expect(declaration(meta, "AnimalMeta")).toContain("derived: () => [CatMeta, DogMeta, PuppyMeta]");
  });

  it("an abstract type with every derived type blocked is a warning at the element", async () => {
    expect(await warnings(files())).toEqual([
      expect.stringContaining("{urn:pets}Shape is abstract and the block in force at element shape leaves out every type derived from it; no value may stand there (only nil)"),
    ]);
  });

  it("a blocked $type does not compile (tsc on the generated types)", async () => {
    const { types } = await generated();
    const dir = join(ARTIFACTS, "derivation-block-types");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "types.ts"), types);
    writeFileSync(
      join(dir, "check.ts"),
      [
        'import type { Adopt } from "./types.ts";',
        'export const ok: Adopt = { pet: [{ name: "a" }, { $type: "Cat", name: "c" }], kid: { $type: "Puppy", name: "p", barks: true, age: 1 }, shy: { name: "s" }, any: { $type: "Dog", name: "d", barks: false }, guard: { $type: "GuardedLess" }, Keeper: { $type: "Dog", name: "d", barks: true } };',
        "// @ts-expect-error pet blocks extension: Dog may not stand there",
        'export const dog: Adopt = { pet: [{ $type: "Dog", name: "d", barks: true }] };',
        "// @ts-expect-error pet blocks extension: Puppy neither",
        'export const puppy: Adopt = { pet: [{ $type: "Puppy", name: "p", barks: true, age: 1 }] };',
        "// @ts-expect-error kid blocks restriction: Cat may not stand there",
        'export const cat: Adopt = { pet: [], kid: { $type: "Cat", name: "c" } };',
        "// @ts-expect-error shy blocks every derivation",
        'export const shyCat: Adopt = { pet: [], shy: { $type: "Cat", name: "c" } };',
        "// @ts-expect-error Guarded blocks extension itself",
        'export const more: Adopt = { pet: [], guard: { $type: "GuardedMore", extra: "x" } };',
        "// @ts-expect-error Keeper's schema blocks restriction by default",
        'export const keeperCat: Adopt = { pet: [], Keeper: { $type: "Cat", name: "c" } };',
        "// @ts-expect-error Square is blocked and Shape abstract: only nil",
        'export const square: Adopt = { pet: [], shape: { $type: "Square", side: 1 } };',
        'export const nilShape: Adopt = { pet: [], shape: null };',
        "",
      ].join("\n"),
    );
    expect(tscOutput(strictFileArgs(join(dir, "check.ts")))).toBe("");
  }, 60_000);
});
