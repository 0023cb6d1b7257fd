/**
 * Golden files: whole contracts of our own (`golden/<name>/contract/`, each with a `codegen.json`
 * whose `out` is `../expected`) generated and compared, every file byte for byte, with the
 * committed package in `golden/<name>/expected/` (which the repository's type-check compiles).
 *
 * After an intended change of the output, re-record them and review the diff:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/generator/golden.test.ts
 *
 * The contracts: `bookstore` (derived types sent with xsi:type, a choice, simple content with
 * attributes, enumerations, nillable against optional, a list type, facets, a fault) and
 * `registry` (wsdl:import, xs:import across two namespaces plus a chameleon xs:include, an
 * absolute schemaLocation mapped by a catalog, the same local name in two namespaces).
 * The small `fixtures/shop` contract has its own snapshots (emit.test.ts); MPay's package is
 * checked by `npm run generate -- --check`.
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { generateContract, readConfig } from "@mpay-kit/codegen";
import { REPO } from "./helpers.ts";

const GOLDEN = join(import.meta.dirname, "golden");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";
const CONTRACTS = ["bookstore", "registry"] as const;

/** Files under a folder, by path relative to it with `/` separators, sorted. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...listFiles(join(dir, e.name), `${prefix}${e.name}/`));
    else if (e.isFile()) out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

/**
 * A unified diff of two texts as one hunk: the lines between their common head and tail, with
 * three lines of context, cut after `maxLines` lines. Enough to see what changed in a golden file.
 */
function shortDiff(file: string, expected: string, actual: string, maxLines = 40): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - 3);
  const aEnd = Math.min(a.length, a.length - tail + 3);
  const bEnd = Math.min(b.length, b.length - tail + 3);
  const lines = [
    `--- golden/${file}`,
    `+++ generated/${file}`,
    `@@ -${from + 1},${aEnd - from} +${from + 1},${bEnd - from} @@`,
    ...a.slice(from, head).map((l) => ` ${l}`),
    ...a.slice(head, a.length - tail).map((l) => `-${l}`),
    ...b.slice(head, b.length - tail).map((l) => `+${l}`),
    ...a.slice(a.length - tail, aEnd).map((l) => ` ${l}`),
  ];
  return lines.length > maxLines + 3 ? [...lines.slice(0, maxLines + 3), `... (${lines.length - maxLines - 3} more diff lines)`].join("\n") : lines.join("\n");
}

/** Generates a golden contract from its codegen.json; returns the package folder and its files. */
async function generateGolden(name: string): Promise<{ outDir: string; files: Map<string, string> }> {
  const { contracts, baseDir } = readConfig(join(GOLDEN, name, "contract/codegen.json"));
  expect(contracts).toHaveLength(1);
  const result = await generateContract(contracts[0]!, { baseDir });
  return { outDir: result.outDir, files: new Map(result.files.map((f) => [f.file, f.contents])) };
}

describe.each(CONTRACTS)("the golden contract %s", (name) => {
  it("generates exactly the committed files, byte for byte", async () => {
    const { outDir, files } = await generateGolden(name);
    expect(outDir).toBe(join(GOLDEN, name, "expected"));
    if (UPDATE) {
      for (const stale of listFiles(outDir)) if (!files.has(stale)) rmSync(join(outDir, stale));
      for (const [file, text] of files) {
        mkdirSync(dirname(join(outDir, file)), { recursive: true });
        writeFileSync(join(outDir, file), text);
      }
      return;
    }
    const rerecord = `after an intended change, re-record: UPDATE_GOLDEN=1 npx vitest run test/generator/golden.test.ts`;
    const committed = listFiles(outDir);
    expect([...files.keys()].sort(), `the generated files of ${name} differ from golden/${name}/expected/; ${rerecord}`).toEqual(committed);
    for (const [file, text] of [...files].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const golden = readFileSync(join(outDir, file), "utf8");
      if (golden !== text) {
        expect.fail(`golden/${name}/expected/${file} differs from the generated file (${rerecord}):\n${shortDiff(`${name}/${file}`, golden, text)}`);
      }
    }
  });

  it("holds no absolute path, no timestamp, and the notice names the WSDL relative to the config", async () => {
    const { files } = await generateGolden(name);
    const wsdl = `${name}.wsdl`;
    for (const [file, text] of files) {
      expect(text, file).not.toContain(REPO);
      expect(text, file).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(text, file).toContain(`@generated by mpay-codegen from ${wsdl}. Do not edit.`);
    }
  });
});

describe("the golden contracts' inputs", () => {
  it("are our own files, not copies of the shared corpus", () => {
    for (const name of CONTRACTS) {
      const dir = join(GOLDEN, name, "contract");
      for (const file of listFiles(dir)) expect(readFileSync(join(dir, file), "utf8"), `${name}/contract/${file}`).not.toMatch(/wsdl-corpus|shared\//);
    }
  });

  it("registry reaches every file: the abstract WSDL, both schemas, the chameleon include and the catalog-mapped import", async () => {
    const { files } = await generateGolden("registry");
    const documents = files.get("src/documents.ts")!;
    for (const key of ["wsdl", "wsdl=registry-abstract.wsdl", "xsd=people.xsd", "xsd=common.xsd", "xsd=places.xsd"]) expect(documents).toContain(`key: "${key}"`);
    // The two Address types of two namespaces keep distinct names.
    const types = files.get("src/types.ts")!;
    expect(types).toMatch(/^export interface Address \{/m);
    expect(types).toMatch(/^export interface Address_2 \{/m);
    expect(relative(REPO, GOLDEN)).toBe(join("test", "generator", "golden"));
  });

  it("the diff shown on a mismatch names the file and marks the changed lines", () => {
    const diff = shortDiff("x/src/a.ts", "one\ntwo\nthree\nfour\n", "one\ntwo\n3\nfour\n");
    expect(diff).toBe(["--- golden/x/src/a.ts", "+++ generated/x/src/a.ts", "@@ -1,5 +1,5 @@", " one", " two", "-three", "+3", " four", " "].join("\n"));
  });
});
