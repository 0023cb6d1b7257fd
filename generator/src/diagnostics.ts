/**
 * Diagnostics: what the generator tells a user about their contract.
 *
 * Every problem the generator finds in its input is a {@link Diagnostic} that says where (file,
 * line, column of the offending element or attribute), what, and what the user can do about it
 * (`hint`, often listing the names that do exist). The CLI prints one line per diagnostic,
 * `file:line:col: message; hint`, and never a stack trace: a stack trace means a bug in the
 * generator, not in the contract.
 */

export type Severity = "error" | "warning";

/** Where a diagnostic points: a display path (relative to the config file) and a 1-based position. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic extends SourceLocation {
  readonly severity: Severity;
  readonly message: string;
  /** What to do about it, or what exists instead. */
  readonly hint?: string;
}

/** `file:line:col: message; hint` (warnings carry `warning: ` before the message). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file === "" ? "" : d.line > 0 ? `${d.file}:${d.line}:${d.column}: ` : `${d.file}: `;
  const severity = d.severity === "warning" ? "warning: " : "";
  return `${where}${severity}${d.message}${d.hint === undefined ? "" : `; ${d.hint}`}`;
}

/** Diagnostics in a stable order: by file, line, column, then message. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || compareStrings(a.message, b.message),
  );
}

/** Code-unit string order: unlike `localeCompare`, it does not depend on the ICU data of the Node build. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Thrown when generation cannot go on; carries every diagnostic collected so far (errors and warnings). */
export class DiagnosticError extends Error {
  override readonly name = "DiagnosticError";
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const sorted = sortDiagnostics(diagnostics);
    const errors = sorted.filter((d) => d.severity === "error");
    super(errors.map(formatDiagnostic).join("\n") || "generation failed");
    this.diagnostics = sorted;
  }
}

/** Collects diagnostics during one phase; {@link Diagnostics.check} throws when any error was reported. */
export class Diagnostics {
  readonly #list: Diagnostic[] = [];
  readonly #seen = new Set<string>();

  get list(): readonly Diagnostic[] {
    return this.#list;
  }

  error(at: SourceLocation, message: string, hint?: string): void {
    this.add("error", at, message, hint);
  }

  warning(at: SourceLocation, message: string, hint?: string): void {
    this.add("warning", at, message, hint);
  }

  add(severity: Severity, at: SourceLocation, message: string, hint: string | undefined): void {
    const d: Diagnostic = {
      severity,
      file: at.file,
      line: at.line,
      column: at.column,
      message,
      ...(hint === undefined ? {} : { hint }),
    };
    // The same construct can be reached along several paths (a type used twice): report it once.
    const key = formatDiagnostic(d);
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#list.push(d);
  }

  addAll(list: readonly Diagnostic[]): void {
    for (const d of list) this.add(d.severity, d, d.message, d.hint);
  }

  hasErrors(): boolean {
    return this.#list.some((d) => d.severity === "error");
  }

  /** Throws a {@link DiagnosticError} when an error was reported. */
  check(): void {
    if (this.hasErrors()) throw new DiagnosticError(this.#list);
  }
}

/** A location for problems about a whole file (or about no file at all, with `file` = `""`). */
export function fileLocation(file: string): SourceLocation {
  return { file, line: 0, column: 0 };
}
