/**
 * Determinism: byte-identical output on every run, whatever the order of the input files, of the
 * contracts in the config, or of the components inside the schemas; adding a type adds only its
 * own lines.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generate, memoryHost, type ContractOptions } from "@mpay-kit/codegen";
import { run, VROOT, type Files } from "./helpers.ts";

const fixture = join(import.meta.dirname, "fixtures/shop");
const shop = {
  "shop/shop.wsdl": readFileSync(join(fixture, "shop.wsdl"), "utf8"),
  "shop/shop.xsd": readFileSync(join(fixture, "shop.xsd"), "utf8"),
};
const contract = { wsdl: "shop/shop.wsdl", out: "out/shop", package: "@example/shop", faults: { codes: ["A", "B"] } };

function hostOf(files: Files, order: "forward" | "reverse") {
  const entries = Object.entries(files).map(([name, text]) => [resolve(VROOT, name), text] as const);
  return memoryHost(Object.fromEntries(order === "forward" ? entries : entries.reverse()));
}

/** Reverses the order of the top-level components of a schema file. */
function reverseComponents(xsd: string): string {
  const start = xsd.indexOf(">", xsd.indexOf("<xs:schema")) + 1;
  const end = xsd.lastIndexOf("</xs:schema>");
  const body = xsd.slice(start, end);
  const components = body.split(/\n(?=  <xs:(?:element|complexType|simpleType) name=)/);
  return xsd.slice(0, start) + [components[0], ...components.slice(1).reverse()].join("\n") + "\n" + xsd.slice(end);
}

describe("determinism", () => {
  it("two runs are byte-identical", async () => {
    const a = await run(shop, contract);
    const b = await run(shop, contract);
    expect(b.files).toEqual(a.files);
  });

  it("the order of the files and of the contracts does not matter", async () => {
    const second: ContractOptions = { ...contract, out: "out/second", package: "@example/second" };
    const forward = await generate({ contracts: [contract, second], baseDir: VROOT, host: hostOf(shop, "forward") });
    const reverse = await generate({ contracts: [second, contract], baseDir: VROOT, host: hostOf(shop, "reverse") });
    expect(reverse.map((f) => [f.path, f.contents])).toEqual(forward.map((f) => [f.path, f.contents]));
  });

  it("the order of components in the schema changes only the served copy of the schema", async () => {
    const reordered = { ...shop, "shop/shop.xsd": reverseComponents(shop["shop/shop.xsd"]) };
    expect(reordered["shop/shop.xsd"]).not.toBe(shop["shop/shop.xsd"]);
    const a = await run(shop, contract);
    const b = await run(reordered, contract);
    for (const file of Object.keys(a.files)) {
      if (file === "src/documents.ts") continue;
      expect(b.files[file], file).toBe(a.files[file]);
    }
  });

  it("adding a type adds only its own lines", async () => {
    const a = await run(shop, contract);
    const added = {
      ...shop,
      "shop/shop.xsd": shop["shop/shop.xsd"]
        .replace('<xs:element name="price" type="tns:Money"/>', '<xs:element name="price" type="tns:Money"/>\n      <xs:element minOccurs="0" name="note" type="tns:Note"/>')
        .replace("</xs:schema>", '  <xs:simpleType name="Note"><xs:restriction base="xs:string"/></xs:simpleType>\n</xs:schema>'),
    };
    const b = await run(added, contract);
    const removedLines = (before: string, after: string) => {
      const kept = new Set(after.split("\n"));
      return before.split("\n").filter((l) => !kept.has(l));
    };
    const addedLines = (before: string, after: string) => removedLines(after, before);
    expect(removedLines(a.files["src/types.ts"]!, b.files["src/types.ts"]!)).toEqual([]);
    expect(addedLines(a.files["src/types.ts"]!, b.files["src/types.ts"]!)).toEqual([
      "  note?: Note;",
      "/** From simpleType `{urn:example:shop}Note` (a restriction of xs:string). */",
      "export type Note = string;",
    ]);
    expect(removedLines(a.files["src/meta.ts"]!, b.files["src/meta.ts"]!)).toEqual([]);
    expect(addedLines(a.files["src/meta.ts"]!, b.files["src/meta.ts"]!)).toEqual([
      '  element("note", "urn:example:shop", () => NoteMeta, { minOccurs: 0 }),',
      "/** Descriptor of {@link Note}. */",
      'export const NoteMeta = simpleType("{urn:example:shop}Note", "string");',
    ]);
  });
});
