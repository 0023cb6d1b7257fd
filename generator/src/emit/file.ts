/**
 * The `GeneratedFile` façade: the only module that touches ts-morph.
 *
 * Emitters describe declarations (interfaces, type aliases, constants, functions, classes) with
 * plain data and code strings; the façade turns them into ts-morph structures, collects imports
 * (deduped, sorted, type-only where possible, runtime symbols only through `symbols.ts`), prints
 * the whole file once with ts-morph's `printStructure`, puts the `@generated` preamble first, and
 * formats the result with prettier's fixed configuration.
 *
 * Printing structures needs no `Project`: no source file is created, parsed or manipulated (each
 * `sourceFile.add*()` call re-parses the whole file, which cost ~0.5 s and ~40 MiB for the MPay
 * contract), and no type checker or lib file is loaded.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";
import { compareStrings } from "../diagnostics.ts";
import { formatTypeScript } from "./format.ts";
import { RUNTIME_MODULE, RUNTIME_SYMBOLS, type RuntimeSymbol } from "./symbols.ts";

export interface PropertySpec {
  /** Already a valid property key (see `propertyKey`). */
  readonly key: string;
  readonly type: string;
  readonly optional: boolean;
  readonly docs: string | undefined;
}

export interface ParameterSpec {
  readonly name: string;
  readonly type: string;
  readonly optional?: boolean;
  readonly initializer?: string;
}

export interface MethodSpec {
  /** Already a valid method name (identifier, quoted string or computed `[...]`). */
  readonly name: string;
  readonly docs: string | undefined;
  readonly parameters: readonly ParameterSpec[];
  readonly returnType: string;
  readonly body: readonly string[];
  readonly async?: boolean;
  /** Overload signatures (the implementation's own `docs` are then usually left out). */
  readonly overloads?: readonly { readonly docs: string | undefined; readonly parameters: readonly ParameterSpec[]; readonly returnType: string }[];
}

export interface MethodSignatureSpec {
  readonly name: string;
  readonly docs: string | undefined;
  readonly parameters: readonly ParameterSpec[];
  readonly returnType: string;
}

/** Width of documentation text in a doc comment, indentation and ` * ` aside. */
const DOC_WIDTH = 100;

/**
 * Turns documentation text into a safe JSDoc body: `*\/` cannot end the comment early, and long
 * lines are wrapped at spaces (never inside `{@link ...}` or a fenced code block), continuing
 * list items under their text.
 */
export function docText(text: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.replace(/\*\//g, "*\\/").split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced || line.length <= DOC_WIDTH || line.startsWith("```")) {
      out.push(line);
      continue;
    }
    const indent = /^\s*(?:[-*] |\d+\. )?/.exec(line)![0].replace(/./g, " ");
    const words = line.match(/\{@link [^}]*\}|\S+/g) ?? [];
    const lead = /^\s*/.exec(line)![0];
    let current = lead;
    for (const word of words) {
      if (current.trim() !== "" && current.length + 1 + word.length > DOC_WIDTH) {
        out.push(current);
        current = indent + word;
      } else {
        current = current.trim() === "" ? current + word : `${current} ${word}`;
      }
    }
    if (current.trim() !== "") out.push(current);
  }
  return out.join("\n");
}

// ts-morph is CommonJS in a package without a "type" field: through `import`, Node would first
// compile its 0.9 MB once more to look for ES module syntax (15-30 ms a run).
const { printStructure, StructureKind, VariableDeclarationKind } = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;

/**
 * Leading trivia of every declaration, the first included (it follows the imports or the
 * preamble): prettier keeps at most one blank line and never adds one.
 */
const BLANK_LINE = "\n";

/** The text of a verbatim literal's stand-in, before its number. */
const VERBATIM = "mpay-codegen verbatim literal ";
const VERBATIM_STAND_IN = new RegExp(`\`${VERBATIM}(\\d+)\n\``, "g");

export class GeneratedFile {
  /** Path inside the generated package, e.g. `src/types.ts`. */
  readonly path: string;
  readonly #preamble: string;
  readonly #statements: TsMorph.StatementStructures[] = [];
  readonly #imports = new Map<string, Map<string, boolean>>();
  readonly #verbatim: string[] = [];

  constructor(path: string, preamble: string) {
    this.path = path;
    this.#preamble = preamble;
  }

  /**
   * A multi-line template literal (`` `...` ``, no `${}`) to place in the file as it is: ts-morph
   * and prettier see a short stand-in, and the literal replaces it in the formatted text.
   *
   * This is exact: prettier prints a template literal's text unchanged, and any template literal
   * holding a line break breaks every group around it, so the layout around the stand-in (also a
   * multi-line template literal) is the layout around the literal. It spares the code writer and
   * the parser the served documents' text (most of `documents.ts`). A literal without a line break
   * is placed directly, since its length can decide whether what surrounds it fits on one line.
   */
  verbatim(literal: string): string {
    if (!literal.includes("\n")) return literal;
    this.#verbatim.push(literal);
    return `\`${VERBATIM}${this.#verbatim.length - 1}\n\``;
  }

  /** Imports a runtime symbol (from the one module generated code may use); returns its local name. */
  runtime(symbol: RuntimeSymbol): string {
    this.#addImport(RUNTIME_MODULE, symbol, RUNTIME_SYMBOLS[symbol].typeOnly);
    return symbol;
  }

  /** Imports a name from another generated file (`./types.ts`). */
  local(module: string, name: string, typeOnly: boolean): string {
    this.#addImport(module, name, typeOnly);
    return name;
  }

  #addImport(module: string, name: string, typeOnly: boolean): void {
    let names = this.#imports.get(module);
    if (names === undefined) {
      names = new Map();
      this.#imports.set(module, names);
    }
    // A value import also serves type positions.
    names.set(name, (names.get(name) ?? true) && typeOnly);
  }

  interface(spec: { name: string; docs: string | undefined; extends?: string; properties?: readonly PropertySpec[]; methods?: readonly MethodSignatureSpec[] }): void {
    this.#statements.push({
      kind: StructureKind.Interface,
      leadingTrivia: BLANK_LINE,
      name: spec.name,
      isExported: true,
      ...(spec.extends === undefined ? {} : { extends: [spec.extends] }),
      docs: docs(spec.docs),
      properties: (spec.properties ?? []).map((p) => ({ name: p.key, type: p.type, hasQuestionToken: p.optional, docs: docs(p.docs) })),
      methods: (spec.methods ?? []).map((m) => ({ name: m.name, docs: docs(m.docs), parameters: m.parameters.map(parameter), returnType: m.returnType })),
    });
  }

  typeAlias(spec: { name: string; docs: string | undefined; type: string }): void {
    this.#statements.push({ kind: StructureKind.TypeAlias, leadingTrivia: BLANK_LINE, name: spec.name, isExported: true, docs: docs(spec.docs), type: spec.type });
  }

  constant(spec: { name: string; docs: string | undefined; exported: boolean; type?: string; initializer: string }): void {
    this.#statements.push({
      kind: StructureKind.VariableStatement,
      leadingTrivia: BLANK_LINE,
      isExported: spec.exported,
      declarationKind: VariableDeclarationKind.Const,
      docs: docs(spec.docs),
      declarations: [{ name: spec.name, initializer: spec.initializer, ...(spec.type === undefined ? {} : { type: spec.type }) }],
    });
  }

  function(spec: {
    name: string;
    docs: string | undefined;
    parameters: readonly ParameterSpec[];
    returnType: string;
    body: readonly string[];
    overloads?: readonly { docs: string | undefined; typeParameters?: readonly string[]; parameters: readonly ParameterSpec[]; returnType: string }[];
  }): void {
    this.#statements.push({
      kind: StructureKind.Function,
      leadingTrivia: BLANK_LINE,
      name: spec.name,
      isExported: true,
      docs: spec.overloads === undefined ? docs(spec.docs) : [],
      parameters: spec.parameters.map(parameter),
      returnType: spec.returnType,
      statements: [...spec.body],
      ...(spec.overloads === undefined
        ? {}
        : {
            overloads: spec.overloads.map((o) => ({
              docs: docs(o.docs),
              typeParameters: [...(o.typeParameters ?? [])],
              parameters: o.parameters.map(parameter),
              returnType: o.returnType,
            })),
          }),
    });
  }

  class(spec: {
    name: string;
    docs: string | undefined;
    fields: readonly { name: string; type: string }[];
    constructor: { docs: string | undefined; parameters: readonly ParameterSpec[]; body: readonly string[] };
    methods: readonly MethodSpec[];
  }): void {
    this.#statements.push({
      kind: StructureKind.Class,
      leadingTrivia: BLANK_LINE,
      name: spec.name,
      isExported: true,
      docs: docs(spec.docs),
      properties: spec.fields.map((f) => ({ name: f.name, type: f.type, isReadonly: true })),
      ctors: [{ docs: docs(spec.constructor.docs), parameters: spec.constructor.parameters.map(parameter), statements: [...spec.constructor.body] }],
      methods: spec.methods.map((m) => ({
        name: m.name,
        isAsync: m.async === true,
        docs: docs(m.docs),
        parameters: m.parameters.map(parameter),
        returnType: m.returnType,
        statements: [...m.body],
        ...(m.overloads === undefined ? {} : { overloads: m.overloads.map((o) => ({ docs: docs(o.docs), parameters: o.parameters.map(parameter), returnType: o.returnType })) }),
      })),
    });
  }

  /** `export * from "./x.ts"` or `export { a, type B } from "module"`. */
  reexport(module: string, names?: readonly { name: string; typeOnly: boolean }[]): void {
    this.#statements.push({
      kind: StructureKind.ExportDeclaration,
      moduleSpecifier: module,
      ...(names === undefined ? {} : { namedExports: names.map((n) => ({ name: n.name, isTypeOnly: n.typeOnly })) }),
    });
  }

  /** `export { SoapFault, type CallOptions } from "<runtime module>"`. */
  reexportRuntime(symbols: readonly RuntimeSymbol[]): void {
    this.reexport(
      RUNTIME_MODULE,
      [...symbols].sort(compareStrings).map((name) => ({ name, typeOnly: RUNTIME_SYMBOLS[name].typeOnly })),
    );
  }

  /** The formatted file text. */
  async render(): Promise<string> {
    const modules = [...this.#imports.keys()].sort((a, b) => moduleRank(a) - moduleRank(b) || compareStrings(a, b));
    const imports: TsMorph.StatementStructures[] = modules.map((module) => {
      const names = [...this.#imports.get(module)!.entries()].sort(([a], [b]) => compareStrings(a, b));
      const allTypes = names.every(([, typeOnly]) => typeOnly);
      return {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: module,
        isTypeOnly: allTypes,
        namedImports: names.map(([name, typeOnly]) => ({ name, isTypeOnly: !allTypes && typeOnly })),
      };
    });
    // The whole file printed from its structure at once (see the top of this file).
    const body = printStructure({ kind: StructureKind.SourceFile, statements: [...imports, ...this.#statements] });
    const text = `${this.#preamble}\n\n${body}`;
    const formatted = await formatTypeScript(text);
    if (this.#verbatim.length === 0) return formatted;
    const placed = new Set<number>();
    const out = formatted.replace(VERBATIM_STAND_IN, (standIn, index: string) => {
      const i = Number(index);
      if (placed.has(i) || i >= this.#verbatim.length) throw new Error(`${this.path}: unexpected ${JSON.stringify(standIn)} in the formatted text`);
      placed.add(i);
      return this.#verbatim[i]!;
    });
    if (placed.size !== this.#verbatim.length) throw new Error(`${this.path}: a verbatim literal's stand-in is missing from the formatted text`);
    return out;
  }
}

/** Package imports before relative ones. */
function moduleRank(module: string): number {
  return module.startsWith(".") ? 1 : 0;
}

function docs(text: string | undefined): string[] {
  return text === undefined || text === "" ? [] : [docText(text)];
}

function parameter(p: ParameterSpec): { name: string; type: string; hasQuestionToken?: boolean; initializer?: string } {
  return {
    name: p.name,
    type: p.type,
    ...(p.optional === true ? { hasQuestionToken: true } : {}),
    ...(p.initializer === undefined ? {} : { initializer: p.initializer }),
  };
}
