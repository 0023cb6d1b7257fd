/**
 * HTML built from template literals in which every interpolated value is escaped, unless it is
 * already {@link SafeHtml} (the result of another `html` template). There is no other way to put
 * text into a page, so an order's reason, a fault message or a ReturnUrl cannot inject markup.
 */

/** Markup that is safe to embed: made by {@link html} (or {@link trustedHtml} for constants). */
export class SafeHtml {
  readonly markup: string;
  constructor(markup: string) {
    this.markup = markup;
  }
  toString(): string {
    return this.markup;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text escaped for element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * The tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` results, arrays of
 * them, and `null`/`undefined`/`false` (rendered as nothing) compose pages.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Marks a constant string of markup (never a value from a request or a provider) as safe. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
