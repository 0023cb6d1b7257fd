/**
 * TypeScript identifiers for schema and WSDL names.
 *
 * Rules (see also `emit/model.ts`, which decides the allocation order):
 * - An XSD name is kept as it is whenever it is a valid identifier (`ServiceID`,
 *   `TotalAmountDue`, `orderLine`): no case changes, no prefixes.
 * - Characters an identifier cannot hold (`-`, `.` are legal in XML names) become `_`.
 * - A reserved word, or a name the generated code itself needs (runtime symbols, `Promise`, ...),
 *   gets a trailing `_` (`delete` → `delete_`, `Decimal` → `Decimal_`).
 * - A name already taken gets the first free suffix `_2`, `_3`, ... Names are allocated in a
 *   fixed order that does not depend on file order, so the suffixes are stable.
 *
 * Property names are never changed: a member that is not a valid identifier is written as a
 * quoted property name (`"first-name"?: string`).
 */

/** ECMAScript reserved words, strict-mode reserved words, and TypeScript's predefined type names. */
const RESERVED_WORDS = [
  // ECMAScript 2023 reserved words
  "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
  "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new",
  "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with",
  "yield",
  // strict mode and module code
  "let", "static", "implements", "interface", "package", "private", "protected", "public", "arguments", "eval",
  // TypeScript: names a type alias or interface cannot take, and contextual keywords best avoided
  "any", "unknown", "never", "object", "string", "number", "boolean", "symbol", "bigint", "undefined", "type",
  "namespace", "module", "declare", "abstract", "as", "asserts", "infer", "is", "keyof", "readonly", "unique",
  "satisfies", "accessor", "constructor", "require", "exports",
];

/** Globals the generated code refers to: a declaration with the same name would shadow them. */
const GLOBALS_USED = [
  "Array", "Promise", "Uint8Array", "Record", "ReturnType", "Readonly", "Object", "String", "Number", "Boolean",
  "Error", "Infinity", "NaN", "globalThis", "Symbol", "Date", "Map", "Set", "JSON", "Math",
];

/** Every name the allocator never hands out as is. */
export const RESERVED: ReadonlySet<string> = new Set([...RESERVED_WORDS, ...GLOBALS_USED]);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

/** Whether `s` can be written as a bare identifier (reserved words aside). */
export function isIdentifierName(s: string): boolean {
  return IDENTIFIER.test(s);
}

/** An XML name made into an identifier shape: invalid characters become `_`, a leading digit gets a `_`. */
export function toIdentifier(name: string): string {
  let out = "";
  for (const ch of name) out += /[\p{ID_Continue}$\u200C\u200D]/u.test(ch) ? ch : "_";
  if (out === "") return "_";
  if (!/[\p{ID_Start}$_]/u.test(String.fromCodePoint(out.codePointAt(0)!))) out = `_${out}`;
  return out;
}

/** A property key as written in an interface or object literal: bare when possible, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifierName(name) ? name : JSON.stringify(name);
}

/** One scope of top-level identifiers (a generated package re-exports all its files from one index). */
export class NameScope {
  readonly #reserved: ReadonlySet<string>;
  readonly #used = new Set<string>();

  constructor(extraReserved: Iterable<string> = []) {
    this.#reserved = new Set([...RESERVED, ...extraReserved]);
  }

  /** Whether a name is taken or reserved. */
  has(name: string): boolean {
    return this.#used.has(name) || this.#reserved.has(name);
  }

  /**
   * Takes the identifier closest to `wanted`: itself, else with `_` (reserved), else with the
   * first free `_2`, `_3`, ... suffix.
   */
  allocate(wanted: string): string {
    let base = toIdentifier(wanted);
    if (this.#reserved.has(base)) base = `${base}_`;
    let name = base;
    for (let n = 2; this.#used.has(name) || this.#reserved.has(name); n++) name = `${base.replace(/_$/, "")}_${n}`;
    this.#used.add(name);
    return name;
  }
}
