/**
 * Character-class helpers shared by the XML parser and writer.
 *
 * The productions are those of XML 1.0 Fifth Edition (§2.2 Char, §2.3 NameStartChar /
 * NameChar) and Namespaces in XML 1.0 (NCName = Name without ':'). They operate on UTF-16
 * code units; supplementary-plane name characters ([#x10000-#xEFFFF]) are accepted as a
 * high surrogate in D800–DB7F followed by any low surrogate, which is exactly that range.
 */

/** The namespace the `xml` prefix is permanently bound to. */
export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
/** The namespace of `xmlns` declarations; no element, attribute or prefix may use it. */
export const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";

/**
 * ASCII lookup: bit 1 = NameStartChar (excluding ':'), bit 2 = NameChar (excluding ':').
 * A table beats a chain of range comparisons on the hot path of every tag.
 */
export const ASCII_NAME: Uint8Array = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const start = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    const rest = start || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
    table[c] = (start ? 1 : 0) | (rest ? 2 : 0);
  }
  return table;
})();

/** True when the BMP code unit `c` (not ':') may start an NCName; surrogates are handled by callers. */
export function isNameStartCode(c: number): boolean {
  if (c < 0x80) return (ASCII_NAME[c]! & 1) !== 0;
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

/** True when the BMP code unit `c` (not ':') may continue an NCName; surrogates are handled by callers. */
export function isNameCode(c: number): boolean {
  if (c < 0x80) return (ASCII_NAME[c]! & 2) !== 0;
  return (
    c === 0xb7 ||
    (c >= 0x300 && c <= 0x36f) ||
    c === 0x203f ||
    c === 0x2040 ||
    isNameStartCode(c)
  );
}

/**
 * Length of the NCName starting at `start` in `s` (0 when none starts there). Stops at the
 * first code unit that cannot continue a name, including ':'.
 */
export function scanNCName(s: string, start: number): number {
  const n = s.length;
  let i = start;
  if (i >= n) return 0;
  let c = s.charCodeAt(i);
  if (c < 0x80) {
    if ((ASCII_NAME[c]! & 1) === 0) return 0;
    i++;
  } else if (c >= 0xd800 && c <= 0xdb7f) {
    const d = s.charCodeAt(i + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return 0;
    i += 2;
  } else if (isNameStartCode(c)) {
    i++;
  } else {
    return 0;
  }
  while (i < n) {
    c = s.charCodeAt(i);
    if (c < 0x80) {
      if ((ASCII_NAME[c]! & 2) === 0) break;
      i++;
    } else if (c >= 0xd800 && c <= 0xdb7f) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) break;
      i += 2;
    } else if (isNameCode(c)) {
      i++;
    } else {
      break;
    }
  }
  return i - start;
}

/** True when `s` is a non-empty NCName (an XML Name without colons). */
export function isNCName(s: string): boolean {
  return s.length > 0 && scanNCName(s, 0) === s.length;
}

/**
 * Index of the first code unit in `s` that is not an XML 1.0 Char (lone surrogates, C0 controls
 * other than tab/LF/CR, U+FFFE, U+FFFF), or -1 when every character is allowed.
 */
export function findInvalidChar(s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    } else if (c >= 0xd800) {
      if (c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff) || i + 1 >= to) return i;
        i++;
      } else if (c <= 0xdfff || c >= 0xfffe) {
        return i;
      }
    }
  }
  return -1;
}

/** `U+0001`-style rendering of the code point at `i`, for error messages. */
export function describeCodePoint(s: string, i: number): string {
  const cp = s.codePointAt(i) ?? 0;
  return "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * Namespace names must be URI references (Namespaces in XML 1.0 §2). A full RFC 3986 parse is
 * out of scope; this rejects what can never appear in one: whitespace and controls,
 * `"<>\^`{|}`, a `%` not followed by two hex digits, a second `#`, and `[`/`]` outside the
 * authority. Non-ASCII characters are allowed (IRIs), unlike libxml2.
 */
export function isValidNamespaceName(uri: string): boolean {
  if (INVALID_URI_CHARACTER.test(uri)) return false;
  const hash = uri.indexOf("#");
  if (hash !== -1 && uri.indexOf("#", hash + 1) !== -1) return false;
  const bracket = uri.search(/[[\]]/);
  if (bracket === -1) return true;
  // IP-literal brackets are legal only in the authority: after "scheme://", before the next '/'.
  const scheme = uri.indexOf("://");
  if (scheme === -1) return false;
  const authorityStart = scheme + 3;
  let authorityEnd = uri.indexOf("/", authorityStart);
  if (authorityEnd === -1) authorityEnd = uri.length;
  for (let i = bracket; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if ((c === 0x5b || c === 0x5d) && !(i >= authorityStart && i < authorityEnd)) return false;
  }
  return true;
}

/** Characters that never occur in a URI reference, and '%' not starting a percent-encoding. */
const INVALID_URI_CHARACTER = /[\u0000-\u0020"<>\\^`{|}\u007f]|%(?![0-9A-Fa-f]{2})/;
