/**
 * The shared WSDL corpus (`../shared/wsdl-corpus`, see its MANIFEST.md): its entries, and
 * generating and type-checking them in one batch.
 *
 * Packages are written under `test-artifacts/corpus/<slug>/` (git-ignored, inside the repository
 * so that `@mpay-kit/runtime` resolves to the workspace) and type-checked together by one `tsc`
 * run over a tsconfig that includes every package's `src`: one compiler start instead of one per
 * package, with errors attributed back to their package by path.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { DiagnosticError, generateContract, type ContractResult, type Diagnostic } from "@mpay-kit/codegen";

/** The repository root, and the shared folder beside it (present in this project's CI). */
export const REPO = join(import.meta.dirname, "../..");
export const CORPUS = join(REPO, "../shared/wsdl-corpus");
/** Where corpus packages are generated (git-ignored). */
export const CORPUS_ARTIFACTS = join(REPO, "test-artifacts/corpus");

/** A manifest category (MANIFEST.md, "Legend"). */
export type Category = "doc-literal" | "rpc-literal" | "rpc-encoded" | "no-soap-binding" | "broken-on-purpose";

/** The manifest's sources, in the order docs/corpus.md reports them. */
export const SOURCES = ["node-soap", "python-zeep", "wsdl-tsclient", "strong-soap", "wsdltophp-packagegenerator"] as const;

/** One non-duplicate entry of the manifest. */
export interface CorpusEntry {
  /** `<source dir>/<path>`: the key in expected.json and docs/corpus.md. */
  readonly id: string;
  readonly source: string;
  readonly category: Category;
  /** Absolute path of the entry WSDL. */
  readonly wsdl: string;
  /** The manifest's automatic lint of the entry's closure (`unqualified-ref`, `external-ns-ref`, ...), by name. */
  readonly problems: readonly string[];
  /** XSD features of the closure, as the manifest lists them (`choice`, `ext`, `simpleContent`, ...). */
  readonly features: readonly string[];
  /** WSDL features of the closure, as the manifest lists them (`soap-header`, `faults`, `one-way`, ...). */
  readonly wsdlFeatures: readonly string[];
  readonly note: string;
  /** A folder name unique in the corpus: lower case letters, digits and dashes. */
  readonly slug: string;
}

interface ManifestEntry {
  readonly path: string;
  readonly category: Category;
  readonly duplicate_of: string | null;
  readonly prob: Readonly<Record<string, unknown>>;
  readonly feats: readonly string[];
  readonly wfeats: readonly string[];
  readonly note: string;
}

/** Whether the shared corpus is present. */
export function haveCorpus(): boolean {
  return existsSync(join(CORPUS, "manifest.json"));
}

/** Every entry of the manifest that is not a duplicate of an earlier one, in manifest order. */
export function corpusEntries(): CorpusEntry[] {
  const manifest = JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")) as {
    sources: { dir: string; entries: ManifestEntry[] }[];
  };
  const slugs = new Set<string>();
  const out: CorpusEntry[] = [];
  for (const source of manifest.sources) {
    for (const e of source.entries) {
      if (e.duplicate_of !== null) continue;
      const id = `${source.dir}/${e.path}`;
      let slug = id
        .toLowerCase()
        .replace(/\.(wsdl|txt|xml)$/, "")
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
      while (slugs.has(slug)) slug += "-x";
      slugs.add(slug);
      out.push({
        id,
        source: source.dir,
        category: e.category,
        wsdl: join(CORPUS, source.dir, e.path),
        problems: Object.keys(e.prob).sort(),
        features: [...e.feats].sort(),
        wsdlFeatures: [...e.wfeats].sort(),
        note: e.note,
        slug,
      });
    }
  }
  return out;
}

/** The outcome of generating one entry. */
export type Generation =
  | { readonly kind: "generated"; readonly result: ContractResult; readonly outDir: string; readonly ms: number }
  | { readonly kind: "refused"; readonly diagnostics: readonly Diagnostic[]; readonly ms: number }
  | { readonly kind: "crashed"; readonly error: Error; readonly ms: number };

/**
 * Generates one entry into `<root>/<slug>` and writes its files (removing an older copy first),
 * with `catalog` (a file) for its absolute import URLs when it has one.
 * Never throws: a `DiagnosticError` is a refusal, anything else a crash (a generator bug).
 */
export async function generateEntry(entry: CorpusEntry, root: string = CORPUS_ARTIFACTS, catalog?: string): Promise<Generation> {
  const outDir = join(root, entry.slug);
  rmSync(outDir, { recursive: true, force: true });
  const started = performance.now();
  try {
    const result = await generateContract(
      { wsdl: entry.wsdl, out: relative(dirname(entry.wsdl), outDir), package: `@corpus/${entry.slug}`, ...(catalog === undefined ? {} : { catalog }) },
      { baseDir: dirname(entry.wsdl), displayDir: CORPUS },
    );
    for (const f of result.files) {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.contents);
    }
    return { kind: "generated", result, outDir, ms: performance.now() - started };
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof DiagnosticError) return { kind: "refused", diagnostics: error.diagnostics, ms };
    return { kind: "crashed", error: error instanceof Error ? error : new Error(String(error)), ms };
  }
}

/** One `tsc` error, attributed to a package folder of the batch. */
export interface TypeError {
  readonly slug: string;
  /** `src/types.ts(12,3): error TS2322: ...` (the path inside the package). */
  readonly text: string;
  /** `TS2322`. */
  readonly code: string;
}

/**
 * Type-checks the packages `slugs` (folders of `root`) in one `tsc --noEmit` run under the
 * generated packages' own compiler options (`tsc --strict` and the rest, from one package's
 * tsconfig.json). Returns the errors by package; an error outside every package throws.
 */
export async function typeCheckBatch(slugs: readonly string[], root: string = CORPUS_ARTIFACTS): Promise<Map<string, TypeError[]>> {
  const errors = new Map<string, TypeError[]>(slugs.map((s) => [s, []]));
  if (slugs.length === 0) return errors;
  const own = readFileSync(join(root, slugs[0]!, "tsconfig.json"), "utf8").replace(/^\/\/.*\n/, "");
  const options = (JSON.parse(own) as { compilerOptions: Record<string, unknown> }).compilerOptions;
  const project = join(root, "tsconfig.json");
  writeFileSync(project, JSON.stringify({ compilerOptions: { ...options, rootDir: ".", noEmit: true, outDir: undefined }, include: slugs.map((s) => `${s}/src`) }, null, 2));
  const tsc = join(REPO, "node_modules/.bin/tsc");
  let output: string;
  try {
    await promisify(execFile)(tsc, ["-p", project, "--pretty", "false"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return errors;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    output = `${stdout ?? ""}${stderr ?? ""}`;
    if (output === "") throw e;
  }
  // `<slug>/src/file.ts(line,col): error TSnnnn: message`, continuation lines indented.
  let last: TypeError[] | undefined;
  for (const line of output.split("\n")) {
    const m = /^([^/\s]+)\/(.+?\(\d+,\d+\): error (TS\d+): .*)$/.exec(line);
    if (m !== null && errors.has(m[1]!)) {
      last = errors.get(m[1]!)!;
      last.push({ slug: m[1]!, text: m[2]!, code: m[3]! });
    } else if (line.startsWith(" ") && last !== undefined) {
      continue;
    } else if (line.trim() !== "") {
      throw new Error(`tsc reported an error outside the corpus packages:\n${output.slice(0, 4000)}`);
    }
  }
  return errors;
}
