/**
 * The synthetic contracts of the scaling benchmark (bench/lib/synthetic-contract.ts, used by
 * `npm run bench:codegen`) are real input: they generate without diagnostics, declare every type
 * and operation they were built with, and the packages type-check. Nothing here is timed; the
 * benchmark measures.
 */
import { describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { generateContract, memoryHost } from "@mpay-kit/codegen";
import { synthesizeContract } from "../../bench/lib/synthetic-contract.ts";
import { typeCheckBatch } from "../corpus/corpus.ts";
import { ARTIFACTS, declaredNames, writeGenerated } from "./helpers.ts";

const ROOT = join(ARTIFACTS, "scaling");
const SIZES = [20, 40] as const;

async function generateSynthetic(size: number) {
  const contract = synthesizeContract(size);
  const dir = join(ROOT, `synthetic-${size}`);
  const host = memoryHost(Object.fromEntries(Object.entries(contract.files).map(([name, text]) => [join(ROOT, "contract", name), text])));
  const result = await generateContract({ wsdl: "contract/contract.wsdl", out: `synthetic-${size}`, package: `@bench/synthetic-${size}` }, { baseDir: ROOT, host });
  rmSync(dir, { recursive: true, force: true });
  writeGenerated(result.files);
  return { contract, result, files: new Map(result.files.map((f) => [f.file, f.contents])) };
}

describe("the scaling benchmark's synthetic contracts", async () => {
  const generated: ({ size: number } & Awaited<ReturnType<typeof generateSynthetic>>)[] = [];
  for (const size of SIZES) generated.push({ size, ...(await generateSynthetic(size)) });

  it("are deterministic and twice the input at twice the size", () => {
    expect(synthesizeContract(20).files).toEqual(synthesizeContract(20).files);
    const [small, large] = generated;
    expect(large!.contract.bytes / small!.contract.bytes).toBeGreaterThan(1.9);
    expect(large!.contract.bytes / small!.contract.bytes).toBeLessThan(2.1);
  });

  it.each(SIZES.map((size, i) => [size, i] as const))("%i types: every type and operation is generated, without warnings", (size, i) => {
    const { contract, result, files } = generated[i]!;
    expect(result.warnings).toEqual([]);
    expect(result.operations).toBe(contract.operations);
    const names = new Set(declaredNames(files.get("src/types.ts")!));
    const wanted = [
      ...Array.from({ length: size }, (_, t) => `Type${t}`),
      ...Array.from({ length: contract.complexTypes - size }, (_, b) => `Base${b}`),
      ...Array.from({ length: contract.enumerations }, (_, e) => `Status${e}`),
    ];
    expect(wanted.filter((n) => !names.has(n))).toEqual([]);
    // A derived type extends its base; a type with a choice is a union.
    expect(files.get("src/types.ts")).toMatch(/^export interface Type3 extends Base\d+ \{/m);
    expect(files.get("src/types.ts")).toMatch(/^export type Type5 = /m);
  });

  it("the packages type-check (tsc --strict, the generated tsconfig's options)", async () => {
    const errors = await typeCheckBatch(
      SIZES.map((s) => `synthetic-${s}`),
      ROOT,
    );
    expect(Object.fromEntries([...errors].map(([slug, list]) => [slug, list.map((e) => e.text)]))).toEqual({ "synthetic-20": [], "synthetic-40": [] });
  }, 120_000);
});
