/**
 * What the corpus test records per entry (test/corpus/expected.json), how a run compares with
 * the record (regressions fail; improvements are reported), and the tables of docs/corpus.md,
 * rendered from the record so that the document always says what the test asserts.
 */
import { SOURCES, type Category, type CorpusEntry } from "./corpus.ts";

/** How far an entry got, worst first. */
export const OUTCOMES = ["crashed", "refused", "generated", "type-checks", "pass"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One entry's record in expected.json. */
export interface EntryRecord {
  readonly category: Category;
  /**
   * `pass`: generated, type-checks, and every operation round-trips (an entry without operations
   * passes on the first two); `type-checks`: generated and type-checks, some operation fails;
   * `generated`: generated, does not type-check; `refused`: a diagnostic; `crashed`: an exception.
   */
  readonly outcome: Outcome;
  /** The first failure's category (absent when the entry passes). */
  readonly reason?: string;
  /** Refused entries: every category among the errors of the phase that stopped generation. */
  readonly blockers?: readonly string[];
  /** Refused entries: whether the first error names a file and a line. */
  readonly located?: boolean;
  /** Generated entries: `ok` or the first failure, per operation. */
  readonly operations?: Readonly<Record<string, string>>;
}

export type CorpusRecord = Readonly<Record<string, EntryRecord>>;

const rank = (o: Outcome) => OUTCOMES.indexOf(o);

/** Differences between the record and a run: regressions (the test fails) and improvements (reported). */
export function compare(expected: CorpusRecord, actual: CorpusRecord): { regressions: string[]; improvements: string[]; changed: string[] } {
  const regressions: string[] = [];
  const improvements: string[] = [];
  const changed: string[] = [];
  for (const [id, was] of Object.entries(expected)) {
    const now = actual[id];
    if (now === undefined) {
      changed.push(`${id}: no longer in the corpus`);
      continue;
    }
    const refusalWanted = was.category === "rpc-encoded" || was.category === "broken-on-purpose";
    if (was.outcome !== now.outcome) {
      const worse = now.outcome === "crashed" || (!refusalWanted && rank(now.outcome) < rank(was.outcome));
      (worse ? regressions : improvements).push(`${id}: ${was.outcome} -> ${now.outcome}${now.reason === undefined ? "" : ` (${now.reason})`}`);
    }
    if (was.located === true && now.located === false) regressions.push(`${id}: the first error no longer names a file and line`);
    for (const [op, outcome] of Object.entries(was.operations ?? {})) {
      const current = now.operations?.[op];
      if (outcome === "ok" && current !== "ok" && now.outcome !== "refused" && now.outcome !== "crashed") {
        regressions.push(`${id}: operation ${op}: ok -> ${current ?? "gone"}`);
      } else if (outcome !== "ok" && current === "ok") improvements.push(`${id}: operation ${op} now round-trips`);
    }
    if (JSON.stringify(was) !== JSON.stringify(now) && !regressions.some((r) => r.startsWith(`${id}:`)) && !improvements.some((r) => r.startsWith(`${id}:`))) {
      changed.push(`${id}: ${now.reason ?? now.outcome}`);
    }
  }
  for (const id of Object.keys(actual)) if (expected[id] === undefined) changed.push(`${id}: new entry (${actual[id]!.outcome})`);
  return { regressions, improvements, changed };
}

/** The record as JSON text, entries sorted by id. */
export function recordText(record: CorpusRecord): string {
  const sorted = Object.fromEntries(Object.keys(record).sort().map((id) => [id, record[id]]));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

const pct = (n: number, d: number) => (d === 0 ? "-" : `${((100 * n) / d).toFixed(1)}%`);
const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;

/** Strips the `(input)`/`(output)` suffix, so one category counts once per entry. */
function bare(reason: string): string {
  return reason.replace(/ \((input|output)\)$/, "");
}

/** Every failure category an entry shows (not only its first). */
function allReasons(r: EntryRecord): string[] {
  const out = new Set<string>(r.blockers ?? []);
  if (r.reason !== undefined) out.add(bare(r.reason));
  for (const o of Object.values(r.operations ?? {})) if (o !== "ok") out.add(bare(o));
  return [...out];
}

/** The generated tables of docs/corpus.md (between its markers). */
export function renderTables(record: CorpusRecord, entries: readonly CorpusEntry[]): string {
  const out: string[] = [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const docLit = Object.entries(record).filter(([, r]) => r.category === "doc-literal");
  const rpcLit = Object.entries(record).filter(([, r]) => r.category === "rpc-literal");

  const row = (label: string, list: [string, EntryRecord][]) => {
    const generated = list.filter(([, r]) => rank(r.outcome) >= rank("generated")).length;
    const typed = list.filter(([, r]) => rank(r.outcome) >= rank("type-checks")).length;
    const pass = list.filter(([, r]) => r.outcome === "pass").length;
    const ops = list.flatMap(([, r]) => Object.values(r.operations ?? {}));
    const okOps = ops.filter((o) => o === "ok").length;
    out.push(`| ${label} | ${list.length} | ${generated} | ${typed} | ${pass} | ${pct(pass, list.length)} | ${okOps} of ${ops.length} |`);
  };
  // Literal entries, doc and rpc alike, are held to one standard: generate, type-check, round-trip.
  for (const [category, list] of [["doc-literal", docLit], ["rpc-literal", rpcLit]] as const) {
    out.push(`### Pass rate of the ${category} entries, per source`, "");
    out.push("| source | entries | generated | type-check | pass | pass rate | operations round-tripped |");
    out.push("|---|---:|---:|---:|---:|---:|---:|");
    for (const source of SOURCES) {
      const of = list.filter(([id]) => byId.get(id)?.source === source);
      // (A source without entries of the category adds nothing but a row of zeros.)
      if (of.length > 0 || category === "doc-literal") row(source, of);
    }
    row("**all**", list);
    out.push("");
  }

  out.push("### The other categories", "");
  out.push("| category | entries | refused, first error with file:line | refused, without a line | generated | crashed |");
  out.push("|---|---:|---:|---:|---:|---:|");
  for (const category of ["rpc-encoded", "no-soap-binding", "broken-on-purpose"] as const) {
    const list = Object.values(record).filter((r) => r.category === category);
    const located = list.filter((r) => r.outcome === "refused" && r.located === true).length;
    const unlocated = list.filter((r) => r.outcome === "refused" && r.located !== true).length;
    const generated = list.filter((r) => rank(r.outcome) >= rank("generated")).length;
    const crashed = list.filter((r) => r.outcome === "crashed").length;
    out.push(`| ${category} | ${list.length} | ${located} | ${unlocated} | ${generated} | ${crashed} |`);
  }
  out.push("");

  out.push("### Failure categories of the doc-literal entries", "");
  out.push(
    "*first*: entries that this category stops first (generation stops at its first failing phase; a",
    "round trip at each operation's first failure). *anywhere*: entries where it shows at all (every error",
    "of the phase that stopped generation, every operation's failure), i.e. how many entries need it fixed.",
    "",
  );
  out.push("| category | first | anywhere |", "|---|---:|---:|");
  const first = new Map<string, number>();
  const anywhere = new Map<string, number>();
  for (const [, r] of docLit) {
    if (r.reason !== undefined) first.set(bare(r.reason), (first.get(bare(r.reason)) ?? 0) + 1);
    for (const reason of allReasons(r)) anywhere.set(reason, (anywhere.get(reason) ?? 0) + 1);
  }
  const categories = [...anywhere.keys()].sort((a, b) => (anywhere.get(b)! - anywhere.get(a)!) || (first.get(b) ?? 0) - (first.get(a) ?? 0) || (a < b ? -1 : 1));
  for (const c of categories) out.push(`| ${code(c)} | ${first.get(c) ?? 0} | ${anywhere.get(c)} |`);
  out.push("");

  out.push("### Manifest features of the doc-literal entries", "");
  out.push(
    "The manifest's XSD and WSDL features (MANIFEST.md, \"Legend\") of each entry's closure, against the outcome:",
    "entries that have the feature, how many pass, and the most common first failure of those that do not.",
    "A feature is not necessarily the cause: an entry fails at its first problem, whatever else it has.",
    "",
  );
  out.push("| feature | entries | pass | most common first failure (entries) |", "|---|---:|---:|---|");
  const features = new Map<string, [string, EntryRecord][]>();
  for (const [id, r] of docLit) {
    const e = byId.get(id);
    for (const f of [...(e?.features ?? []), ...(e?.wsdlFeatures ?? []).map((w) => `wsdl: ${w}`)]) {
      const list = features.get(f) ?? [];
      list.push([id, r]);
      features.set(f, list);
    }
  }
  for (const [feature, list] of [...features].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))) {
    const pass = list.filter(([, r]) => r.outcome === "pass").length;
    const reasons = new Map<string, number>();
    for (const [, r] of list) if (r.reason !== undefined) reasons.set(bare(r.reason), (reasons.get(bare(r.reason)) ?? 0) + 1);
    const top = [...reasons].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0];
    out.push(`| ${feature} | ${list.length} | ${pass} | ${top === undefined ? "" : `${code(top[0])} (${top[1]})`} |`);
  }
  out.push("");

  out.push("### Failing doc-literal entries", "");
  out.push("XSD features and lint problems are the manifest's (MANIFEST.md, \"Legend\") for the entry's closure.", "");
  out.push("| entry | outcome | first failure | XSD features | manifest problems |", "|---|---|---|---|---|");
  // `round trip 3/10`: generated and type-checked, 3 of its 10 operations round-trip.
  for (const [id, r] of docLit.sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (r.outcome === "pass") continue;
    const e = byId.get(id);
    const ops = Object.values(r.operations ?? {});
    const okOps = ops.filter((o) => o === "ok").length;
    const outcome = r.outcome === "type-checks" ? `round trip ${okOps}/${ops.length}` : r.outcome;
    out.push(`| ${code(id)} | ${outcome} | ${r.reason === undefined ? "" : code(r.reason)} | ${e?.features.join(", ") ?? ""} | ${e?.problems.join(", ") ?? ""} |`);
  }
  out.push("");

  out.push("### Other entries", "");
  out.push("| entry | category | outcome | first error |", "|---|---|---|---|");
  for (const [id, r] of Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (r.category === "doc-literal") continue;
    out.push(`| ${code(id)} | ${r.category} | ${r.outcome}${r.outcome === "refused" && r.located !== true ? " (no line)" : ""} | ${r.reason === undefined ? "" : code(r.reason)} |`);
  }
  return out.join("\n");
}

export const BEGIN = "<!-- corpus tables: generated by test/corpus/corpus.test.ts with UPDATE_CORPUS=1; do not edit -->";
export const END = "<!-- end of corpus tables -->";

/** Replaces the generated section of docs/corpus.md. */
export function replaceTables(doc: string, tables: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/corpus.md lacks the markers ${BEGIN} ... ${END}`);
  return `${doc.slice(0, start + BEGIN.length)}\n\n${tables}\n\n${doc.slice(end)}`;
}

/** The generated section of docs/corpus.md. */
export function currentTables(doc: string): string | undefined {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  return start < 0 || end < start ? undefined : doc.slice(start + BEGIN.length, end).trim();
}
