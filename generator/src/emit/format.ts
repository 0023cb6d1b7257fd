/**
 * Formatting with prettier and one fixed configuration, written here rather than read from any
 * `.prettierrc`, so that generated files are byte-identical on every machine. Prettier is pinned
 * to an exact version in `generator/package.json` for the same reason.
 *
 * Only prettier's standalone core and the two plugins it needs are loaded: `babel` (the `babel-ts`
 * parser for TypeScript and the `json` parser) and `estree` (their printers). The `prettier` entry
 * point also loads its configuration and plugin machinery, and `parser: "typescript"` a second
 * TypeScript compiler: a process formatting the MPay package's sources took 0.54 s and 127 MiB
 * that way, 0.40 s and 98 MiB this way, for the same output (the code we generate is declarations,
 * calls and literals; `test/generator/format.test.ts` checks generated files against the full
 * entry point with the `typescript` parser).
 */
import * as babel from "prettier/plugins/babel";
import * as estree from "prettier/plugins/estree";
import type { Plugin } from "prettier";
import { format } from "prettier/standalone";

const PLUGINS: Plugin[] = [babel, estree];

/** The settings (with the parser for TypeScript); tests check the output against full prettier with them. */
// biome-ignore format: want this to read well
export const PRETTIER_OPTIONS = {
  parser: "babel-ts",
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
  proseWrap: "preserve",
  embeddedLanguageFormatting: "off",
} as const;

export async function formatTypeScript(text: string): Promise<string> {
  return format(text, { ...PRETTIER_OPTIONS, plugins: PLUGINS });
}

/** JSON with comments (tsconfig.json), with the same fixed settings. */
export async function formatJson(text: string): Promise<string> {
  return format(text, { ...PRETTIER_OPTIONS, parser: "json", plugins: PLUGINS });
}
