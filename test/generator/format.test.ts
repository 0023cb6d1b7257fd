/**
 * Formatting: the generator prints with ts-morph's structure printer, formats with prettier's
 * standalone core and the `babel-ts` parser, and splices the served documents' template literals
 * into the formatted text (`GeneratedFile.verbatim`). Every file it writes must be exactly what the
 * full `prettier` entry with the `typescript` parser leaves unchanged (`tsconfig.json` too, with
 * the `json` parser; `package.json` is `JSON.stringify`'s).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "prettier";
import { PRETTIER_OPTIONS } from "../../generator/src/emit/format.ts";
import { REPO, run, wsdl } from "./helpers.ts";

async function expectFormatted(file: string, text: string): Promise<void> {
  if (file.endsWith(".ts")) expect(await format(text, { ...PRETTIER_OPTIONS, parser: "typescript" }), file).toBe(text);
  else if (file === "tsconfig.json") expect(await format(text, { ...PRETTIER_OPTIONS, parser: "json" }), file).toBe(text);
}

function packageFiles(dir: string): [string, string][] {
  const out: [string, string][] = [];
  for (const file of ["package.json", "tsconfig.json", ...readdirSync(join(dir, "src")).map((f) => `src/${f}`)]) {
    out.push([file, readFileSync(join(dir, file), "utf8")]);
  }
  return out;
}

describe("generated files are what prettier (typescript parser) prints", () => {
  it.each([
    ["the MPay package", join(REPO, "generated/mpay-service-provider")],
    ["the shop snapshot", join(REPO, "test/generator/fixtures/shop/expected")],
  ])("%s", async (_, dir) => {
    for (const [file, text] of packageFiles(dir)) await expectFormatted(file, text);
  });

  it("served documents with awkward text keep every character, and the file stays formatted", async () => {
    const main = wsdl(
      `      <xs:import namespace="urn:one" schemaLocation="one.xsd"/>
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="v" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`,
    )
      .replace("<wsdl:types>", "<wsdl:types>\n  <!-- `mpay-codegen verbatim literal 0\n` ${x} \\` \\${y} \\\\ \t tab, 😀, end -->")
      .replace(/\n/g, "\r\n");
    // One line, no line break: placed directly.
    const one = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:one"><!-- \`\${a}\` --></xs:schema>`;
    const { files } = await run({ "main.wsdl": main, "one.xsd": one });
    const text = files["src/documents.ts"]!;
    await expectFormatted("src/documents.ts", text);
    const module = await import(`data:text/javascript,${encodeURIComponent(text.replace(/^import .*$/m, "").replace(": readonly ServedDocument[]", ""))}`);
    const docs = module.documents as { key: string; text: string }[];
    expect(docs.map((d) => d.text)).toEqual([main, one]);
    for (const [file, contents] of Object.entries(files)) await expectFormatted(file, contents);
  });
});
