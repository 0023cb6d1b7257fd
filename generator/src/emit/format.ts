/**
 * Formatting with prettier and one fixed configuration, written here rather than read from any
 * `.prettierrc`, so that generated files are byte-identical on every machine. Prettier is pinned
 * to an exact version in `generator/package.json` for the same reason.
 */
import { format } from "prettier";

// biome-ignore format: want this to read well
const TYPESCRIPT = {
  parser: "typescript",
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
  return format(text, TYPESCRIPT);
}

/** JSON with comments (tsconfig.json), with the same fixed settings. */
export async function formatJson(text: string): Promise<string> {
  return format(text, { ...TYPESCRIPT, parser: "json" });
}
