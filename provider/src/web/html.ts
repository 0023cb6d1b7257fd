/**
 * An HTML page holding one form that submits itself: the way a server sends a browser on with a
 * POST. Everything variable in it is escaped; the only script is the one-line auto-submit, and a
 * `<noscript>` button does the same without script.
 */
import { createHash } from "node:crypto";

/** A form a browser submits. */
export interface HtmlForm {
  readonly action: string;
  readonly method: "POST" | "GET";
  /** Fields in the order they are sent. */
  readonly fields: readonly { readonly name: string; readonly value: string }[];
}

/** Languages of the page's few words: MPay's own three. */
export type PageLanguage = "ro" | "en" | "ru";

export interface AutoSubmitOptions {
  /** Language of the title, the notice and the button (default `ro`). */
  readonly language?: PageLanguage;
  /** A CSP nonce for the auto-submit script, when the page is served with `script-src 'nonce-…'`. */
  readonly nonce?: string;
}

/** The page, and the CSP source that allows its script by hash. */
export interface AutoSubmitPage {
  readonly html: string;
  /**
   * `'sha256-…'` of the auto-submit script, for a `Content-Security-Policy: script-src` that allows
   * exactly this script. The script text is the same on every page, so so is the hash.
   */
  readonly scriptHash: string;
}

const WORDS: Record<PageLanguage, { title: string; notice: string; button: string }> = {
  ro: { title: "Redirecționare către MPay", notice: "Dacă pagina nu se deschide singură, apăsați butonul.", button: "Continuați" },
  en: { title: "Redirecting to MPay", notice: "If the page does not open by itself, press the button.", button: "Continue" },
  ru: { title: "Переход в MPay", notice: "Если страница не открылась сама, нажмите кнопку.", button: "Продолжить" },
};

const FORM_ID = "mpay-redirect";
/** `HTMLFormElement.prototype.submit`, so that a field named "submit" cannot shadow the method. */
const SCRIPT = `HTMLFormElement.prototype.submit.call(document.getElementById("${FORM_ID}"));`;
const SCRIPT_HASH = `'sha256-${createHash("sha256").update(SCRIPT, "utf8").digest("base64")}'`;

/** Escapes text for an HTML attribute value in double quotes, or for element content. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

/** The auto-submitting page of `form`. */
export function renderAutoSubmitPage(form: HtmlForm, options: AutoSubmitOptions = {}): AutoSubmitPage {
  const language = options.language ?? "ro";
  const words = WORDS[language];
  const inputs = form.fields.map((f) => `<input type="hidden" name="${escapeHtml(f.name)}" value="${escapeHtml(f.value)}">`).join("\n");
  const nonce = options.nonce === undefined ? "" : ` nonce="${escapeHtml(options.nonce)}"`;
  const html = `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(words.title)}</title>
</head>
<body>
<form id="${FORM_ID}" method="${form.method.toLowerCase()}" action="${escapeHtml(form.action)}">
${inputs}
<noscript><p>${escapeHtml(words.notice)}</p><button type="submit">${escapeHtml(words.button)}</button></noscript>
</form>
<script${nonce}>${SCRIPT}</script>
</body>
</html>
`;
  return { html, scriptHash: SCRIPT_HASH };
}
