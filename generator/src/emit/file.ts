/**
 * The `GeneratedFile` façade: the only module that touches ts-morph.
 *
 * Emitters describe declarations (interfaces, type aliases, constants, functions, classes) with
 * plain data and code strings; the façade builds them with ts-morph, collects imports (deduped,
 * sorted, type-only where possible, runtime symbols only through `symbols.ts`), puts the
 * `@generated` preamble first, and formats the result with prettier's fixed configuration.
 */
import { Project, VariableDeclarationKind, type SourceFile } from "ts-morph";
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

let project: Project | undefined;
let counter = 0;

export class GeneratedFile {
  /** Path inside the generated package, e.g. `src/types.ts`. */
  readonly path: string;
  readonly #preamble: string;
  readonly #file: SourceFile;
  readonly #imports = new Map<string, Map<string, boolean>>();

  constructor(path: string, preamble: string) {
    this.path = path;
    this.#preamble = preamble;
    project ??= new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
    // A unique name per file: several generations may be under way at once (async formatting).
    this.#file = project.createSourceFile(`/generated-${++counter}.ts`, "");
  }

  /** A blank line before every declaration but the first (prettier keeps one blank line, never adds one). */
  #separator(): string {
    return this.#file.getStatements().length === 0 ? "" : "\n";
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

  interface(spec: { name: string; docs: string | undefined; properties?: readonly PropertySpec[]; methods?: readonly MethodSignatureSpec[] }): void {
    this.#file.addInterface({
      leadingTrivia: this.#separator(),
      name: spec.name,
      isExported: true,
      docs: docs(spec.docs),
      properties: (spec.properties ?? []).map((p) => ({ name: p.key, type: p.type, hasQuestionToken: p.optional, docs: docs(p.docs) })),
      methods: (spec.methods ?? []).map((m) => ({ name: m.name, docs: docs(m.docs), parameters: m.parameters.map(parameter), returnType: m.returnType })),
    });
  }

  typeAlias(spec: { name: string; docs: string | undefined; type: string }): void {
    this.#file.addTypeAlias({ leadingTrivia: this.#separator(), name: spec.name, isExported: true, docs: docs(spec.docs), type: spec.type });
  }

  constant(spec: { name: string; docs: string | undefined; exported: boolean; type?: string; initializer: string }): void {
    this.#file.addVariableStatement({
      leadingTrivia: this.#separator(),
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
    this.#file.addFunction({
      leadingTrivia: this.#separator(),
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
    this.#file.addClass({
      leadingTrivia: this.#separator(),
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
      })),
    });
  }

  /** `export * from "./x.ts"` or `export { a, type B } from "module"`. */
  reexport(module: string, names?: readonly { name: string; typeOnly: boolean }[]): void {
    this.#file.addExportDeclaration({
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
    this.#file.insertImportDeclarations(
      0,
      modules.map((module) => {
        const names = [...this.#imports.get(module)!.entries()].sort(([a], [b]) => compareStrings(a, b));
        const allTypes = names.every(([, typeOnly]) => typeOnly);
        return {
          moduleSpecifier: module,
          isTypeOnly: allTypes,
          namedImports: names.map(([name, typeOnly]) => ({ name, isTypeOnly: !allTypes && typeOnly })),
        };
      }),
    );
    const text = `${this.#preamble}\n\n${this.#file.getFullText()}`;
    project?.removeSourceFile(this.#file);
    return formatTypeScript(text);
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
