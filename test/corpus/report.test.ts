/**
 * The corpus record: what counts as a regression, and the docs section it renders into.
 */
import { describe, expect, it } from "vitest";
import { compare, currentTables, replaceTables, BEGIN, END, type CorpusRecord } from "./report.ts";

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

describe("the docs section", () => {
  it("is replaced between its markers and read back", () => {
    const doc = `# T\n\n${BEGIN}\nold\n${END}\n\nafter\n`;
    const next = replaceTables(doc, "| new |");
    expect(next).toBe(`# T\n\n${BEGIN}\n\n| new |\n\n${END}\n\nafter\n`);
    expect(currentTables(next)).toBe("| new |");
    expect(() => replaceTables("# no markers", "x")).toThrow(/lacks the markers/);
  });
});
