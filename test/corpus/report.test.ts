/**
 * The corpus record: what counts as a regression, and the docs section it renders into.
 */
import { describe, expect, it } from "vitest";
import type { Category, CorpusEntry } from "./corpus.ts";
import { compare, currentTables, renderTables, replaceTables, BEGIN, END, type CorpusRecord } from "./report.ts";

const record: CorpusRecord = {
  "s/a.wsdl": { category: "doc-literal", outcome: "pass", operations: { Op: "ok" } },
  "s/b.wsdl": { category: "doc-literal", outcome: "type-checks", reason: "decode: x", operations: { Op: "ok", Other: "decode: x" } },
  "s/c.wsdl": { category: "broken-on-purpose", outcome: "refused", reason: "contract: y", blockers: ["contract: y"], located: true },
  "s/d.wsdl": { category: "doc-literal", outcome: "refused", reason: "unsupported: xs:choice", blockers: ["unsupported: xs:choice"], located: true },
};

describe("compare", () => {
  it("accepts the same run", () => {
    expect(compare(record, record)).toEqual({ regressions: [], improvements: [], changed: [] });
  });

  it("fails a worse outcome, a lost operation, a lost line and a crash; reports improvements", () => {
    const now: CorpusRecord = {
      "s/a.wsdl": { category: "doc-literal", outcome: "generated", reason: "type-check: TS1", operations: { Op: "ok" } },
      "s/b.wsdl": { category: "doc-literal", outcome: "type-checks", reason: "decode: z", operations: { Op: "decode: z", Other: "ok" } },
      "s/c.wsdl": { category: "broken-on-purpose", outcome: "refused", reason: "contract: y", blockers: ["contract: y"], located: false },
      "s/d.wsdl": { category: "doc-literal", outcome: "pass", operations: { Op: "ok" } },
    };
    const { regressions, improvements } = compare(record, now);
    expect(regressions).toEqual([
      "s/a.wsdl: pass -> generated (type-check: TS1)",
      "s/b.wsdl: operation Op: ok -> decode: z",
      "s/c.wsdl: the first error no longer names a file and line",
    ]);
    expect(improvements).toEqual(["s/b.wsdl: operation Other now round-trips", "s/d.wsdl: refused -> pass"]);
    expect(compare(record, { ...record, "s/c.wsdl": { category: "broken-on-purpose", outcome: "crashed", reason: "crash: boom" } }).regressions).toEqual([
      "s/c.wsdl: refused -> crashed (crash: boom)",
    ]);
  });
});

describe("rpc-literal entries", () => {
  const rpc: CorpusRecord = {
    "node-soap/r.wsdl": { category: "rpc-literal", outcome: "pass", operations: { Op: "ok" } },
    "strong-soap/s.wsdl": { category: "rpc-literal", outcome: "refused", reason: "contract: z", blockers: ["contract: z"], located: true },
    "node-soap/e.wsdl": { category: "rpc-encoded", outcome: "refused", reason: "unsupported: SOAP encoding", blockers: ["unsupported: SOAP encoding"], located: true },
  };
  const entry = (id: string, category: Category): CorpusEntry => ({
    id,
    source: id.slice(0, id.indexOf("/")),
    category,
    wsdl: `/corpus/${id}`,
    problems: [],
    features: [],
    wsdlFeatures: [],
    note: "",
    slug: id.replace(/[^a-z]+/g, "-"),
  });
  const entries = Object.entries(rpc).map(([id, r]) => entry(id, r.category));

  it("are held to the doc-literal standard: a worse outcome or a lost operation is a regression", () => {
    expect(compare(rpc, { ...rpc, "node-soap/r.wsdl": { category: "rpc-literal", outcome: "refused", reason: "unsupported: x", blockers: [], located: true } }).regressions).toEqual([
      "node-soap/r.wsdl: pass -> refused (unsupported: x)",
    ]);
    expect(compare(rpc, { ...rpc, "node-soap/r.wsdl": { category: "rpc-literal", outcome: "type-checks", reason: "decode: y", operations: { Op: "decode: y" } } }).regressions).toEqual([
      "node-soap/r.wsdl: pass -> type-checks (decode: y)",
      "node-soap/r.wsdl: operation Op: ok -> decode: y",
    ]);
  });

  it("have a pass-rate table of their own, with only the sources that have such entries; rpc-encoded stays with the refusals", () => {
    const tables = renderTables(rpc, entries);
    const section = tables.slice(tables.indexOf("### Pass rate of the rpc-literal entries"), tables.indexOf("### The other categories"));
    expect(section.trim().split("\n")).toEqual([
      "### Pass rate of the rpc-literal entries, per source",
      "",
      "| source | entries | generated | type-check | pass | pass rate | operations round-tripped |",
      "|---|---:|---:|---:|---:|---:|---:|",
      "| node-soap | 1 | 1 | 1 | 1 | 100.0% | 1 of 1 |",
      "| strong-soap | 1 | 0 | 0 | 0 | 0.0% | 0 of 0 |",
      "| **all** | 2 | 1 | 1 | 1 | 50.0% | 1 of 1 |",
    ]);
    const others = tables.slice(tables.indexOf("### The other categories"), tables.indexOf("### Failure categories"));
    expect(others).toContain("| rpc-encoded | 1 | 1 | 0 | 0 | 0 |");
    expect(others).not.toContain("rpc-literal");
  });
});

describe("the docs section", () => {
  it("is replaced between its markers and read back", () => {
    const doc = `# T\n\n${BEGIN}\nold\n${END}\n\nafter\n`;
    const next = replaceTables(doc, "| new |");
    expect(next).toBe(`# T\n\n${BEGIN}\n\n| new |\n\n${END}\n\nafter\n`);
    expect(currentTables(next)).toBe("| new |");
    expect(() => replaceTables("# no markers", "x")).toThrow(/lacks the markers/);
  });
});
