/**
 * The shared WSDL corpus, end to end: every non-duplicate entry of ../shared/wsdl-corpus is
 * generated; the packages (doc-literal and rpc-literal alike) are type-checked (one tsc run for
 * all) and round-tripped per operation (build a value from the descriptors, encode, validate
 * with libxml2 against the entry's own schemas, decode, compare); rpc-encoded and
 * broken-on-purpose entries must be refused with a located diagnostic, never crash the generator.
 *
 * What works today is recorded in test/corpus/expected.json; a run that does worse on any entry
 * or operation fails. `UPDATE_CORPUS=1 npx vitest run test/corpus` rewrites the record and the
 * tables of docs/corpus.md after an intended change (see docs/corpus.md).
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic, type Diagnostic } from "@mpay-kit/codegen";
import { blockers, classifyRefusal, classifyTypeError } from "./classify.ts";
import { CORPUS, CORPUS_ARTIFACTS, REPO, corpusEntries, generateEntry, haveCorpus, typeCheckBatch, type CorpusEntry, type Generation } from "./corpus.ts";
import { compare, currentTables, recordText, renderTables, replaceTables, type CorpusRecord, type EntryRecord } from "./report.ts";
import { roundTrip } from "./roundtrip.ts";
import { catalogFor } from "./catalogs.ts";

const EXPECTED = join(import.meta.dirname, "expected.json");
const DOC = join(REPO, "docs/corpus.md");
const update = process.env["UPDATE_CORPUS"] === "1";
const present = haveCorpus();
if (!present && process.env["CI"] !== "true") {
  console.warn(`corpus tests skipped: ${CORPUS} is absent (it is present in this project's CI, where its absence fails the run)`);
}

/** A diagnostic line that names a file first: `file:line:col: ...` or `file: ...`. */
const LOCATED = /^[^:\s][^:]*(:\d+:\d+)?: \S/;

afterAll(() => {
  if (!update) rmSync(CORPUS_ARTIFACTS, { recursive: true, force: true });
});

describe.skipIf(!present && process.env["CI"] !== "true")("the shared WSDL corpus", () => {
  it("is present (CI=true requires ../shared/wsdl-corpus)", () => {
    expect(present, `${CORPUS} is missing`).toBe(true);
  });

  it.skipIf(!present)("generates, type-checks and round-trips as recorded in expected.json", { timeout: 180_000 }, async () => {
    const started = performance.now();
    const entries = corpusEntries();
    const generations = new Map<string, Generation>();
    // Entries whose own test suites serve their remote imports from local files get a catalog that says so.
    const catalogs = new Map(entries.map((entry) => [entry.id, catalogFor(entry)]));
    for (const entry of entries) generations.set(entry.id, await generateEntry(entry, undefined, catalogs.get(entry.id)));
    const generatedMs = performance.now() - started;

    const generated = entries.filter((e) => generations.get(e.id)!.kind === "generated");
    const typeErrors = await typeCheckBatch(generated.map((e) => e.slug));
    const typedMs = performance.now() - started - generatedMs;

    const record: Record<string, EntryRecord> = {};
    const crashes: string[] = [];
    for (const entry of entries) {
      const g = generations.get(entry.id)!;
      if (g.kind === "crashed") {
        crashes.push(`${entry.id}: ${g.error.stack ?? g.error.message}`);
        record[entry.id] = { category: entry.category, outcome: "crashed", reason: `crash: ${g.error.message.split("\n")[0]!.slice(0, 80)}` };
      } else if (g.kind === "refused") {
        record[entry.id] = refusal(entry, g.diagnostics);
      } else {
        const operations = await roundTrip(g.outDir, entry.wsdl, CORPUS, catalogs.get(entry.id));
        const errors = typeErrors.get(entry.slug) ?? [];
        const failing = Object.values(operations).find((o) => o !== "ok");
        const outcome = errors.length > 0 ? "generated" : failing === undefined ? "pass" : "type-checks";
        const reason = errors.length > 0 ? classifyTypeError(errors[0]!.code, errors[0]!.text) : failing;
        record[entry.id] = { category: entry.category, outcome, ...(reason === undefined ? {} : { reason }), operations };
      }
    }
    const roundTripMs = performance.now() - started - generatedMs - typedMs;

    printSummary(record, entries, { generatedMs, typedMs, roundTripMs });

    // Never a crash: a contract the generator cannot take is a diagnostic, not a stack trace.
    expect(crashes).toEqual([]);
    // Every refusal names the file (and, for broken-on-purpose entries, the line) it is about.
    for (const entry of entries) {
      const g = generations.get(entry.id)!;
      if (g.kind !== "refused") continue;
      const errors = g.diagnostics.filter((d) => d.severity === "error");
      expect(errors.length, entry.id).toBeGreaterThan(0);
      for (const d of errors) {
        expect(formatDiagnostic(d), entry.id).toMatch(LOCATED);
        expect(formatDiagnostic(d), `${entry.id}: a stack trace in a diagnostic`).not.toMatch(/\n\s+at /);
      }
      if (entry.category === "broken-on-purpose") expect(record[entry.id]!.located, `${entry.id}: ${formatDiagnostic(errors[0]!)}`).toBe(true);
    }
    // An rpc/encoded contract is refused (or, one day, supported), never generated as if it were literal.
    for (const entry of entries.filter((e) => e.category === "rpc-encoded")) {
      expect(record[entry.id]!.outcome, entry.id).toBe("refused");
    }

    const tables = renderTables(record, entries);
    if (update) {
      writeFileSync(EXPECTED, recordText(record));
      writeFileSync(DOC, replaceTables(readFileSync(DOC, "utf8"), tables));
      console.log(`corpus: wrote ${EXPECTED} and the tables of ${DOC}`);
      return;
    }
    expect(existsSync(EXPECTED), "no test/corpus/expected.json: run with UPDATE_CORPUS=1 to record").toBe(true);
    const expected = JSON.parse(readFileSync(EXPECTED, "utf8")) as CorpusRecord;
    const { regressions, improvements, changed } = compare(expected, record);
    if (improvements.length > 0 || changed.length > 0) {
      console.log(
        [`corpus: better than recorded (or different reasons); record with UPDATE_CORPUS=1:`, ...improvements.map((s) => `  + ${s}`), ...changed.map((s) => `  ~ ${s}`)].join("\n"),
      );
    }
    expect(regressions, "worse than test/corpus/expected.json").toEqual([]);
  });

  it.skipIf(!present)("docs/corpus.md shows the tables of expected.json", () => {
    const expected = JSON.parse(readFileSync(EXPECTED, "utf8")) as CorpusRecord;
    expect(currentTables(readFileSync(DOC, "utf8")), "run with UPDATE_CORPUS=1").toBe(renderTables(expected, corpusEntries()));
  });
});

function refusal(entry: CorpusEntry, diagnostics: readonly Diagnostic[]): EntryRecord {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  return {
    category: entry.category,
    outcome: "refused",
    reason: classifyRefusal(diagnostics),
    blockers: blockers(diagnostics),
    located: first !== undefined && first.file !== "" && first.line > 0,
  };
}

function printSummary(record: CorpusRecord, entries: readonly CorpusEntry[], times: { generatedMs: number; typedMs: number; roundTripMs: number }): void {
  /** `doc-literal round trip 177/202 (87.6%): node-soap 91/103, ...` */
  const passRate = (category: "doc-literal" | "rpc-literal") => {
    const list = entries.filter((e) => e.category === category);
    const pass = list.filter((e) => record[e.id]!.outcome === "pass").length;
    const bySource = new Map<string, [number, number]>();
    for (const e of list) {
      const [p, n] = bySource.get(e.source) ?? [0, 0];
      bySource.set(e.source, [p + (record[e.id]!.outcome === "pass" ? 1 : 0), n + 1]);
    }
    const rate = list.length === 0 ? "-" : `${((100 * pass) / list.length).toFixed(1)}%`;
    return `corpus: ${category} round trip ${pass}/${list.length} (${rate}): ${[...bySource].map(([src, [p, n]]) => `${src} ${p}/${n}`).join(", ")}`;
  };
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    [
      passRate("doc-literal"),
      passRate("rpc-literal"),
      `corpus: ${entries.length} entries; generation ${s(times.generatedMs)}, tsc ${s(times.typedMs)}, round trips ${s(times.roundTripMs)}`,
    ].join("\n"),
  );
}
