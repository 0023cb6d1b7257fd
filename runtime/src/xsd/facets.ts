/**
 * Facet checks, compiled once per simple type. They run on the whitespace-processed lexical
 * form, in both directions, so the codec never sends or accepts a value the schema forbids.
 */
import type { Facets, SimpleTypeMeta } from "../meta.ts";
import type { BuiltinCodec } from "./builtins.ts";

export type FacetCheck = (lexical: string) => string | undefined;

/** Number of Unicode code points: XSD lengths count characters, not UTF-16 units. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

interface DecimalParts {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
}

/** Splits a decimal or integer lexical form into sign, integer digits and fraction digits, normalized. */
function decimalParts(s: string): DecimalParts {
  let negative = false;
  let body = s;
  if (body.startsWith("-") || body.startsWith("+")) {
    negative = body.startsWith("-");
    body = body.slice(1);
  }
  const dot = body.indexOf(".");
  const int = (dot < 0 ? body : body.slice(0, dot)).replace(/^0+/, "");
  const frac = dot < 0 ? "" : body.slice(dot + 1).replace(/0+$/, "");
  const zero = int === "" && frac === "";
  return { negative: negative && !zero, int, frac };
}

/** Exact comparison of two decimal lexical forms: negative, zero or positive like `a - b`. */
export function compareDecimal(a: string, b: string): number {
  const x = decimalParts(a);
  const y = decimalParts(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const sign = x.negative ? -1 : 1;
  if (x.int.length !== y.int.length) return sign * (x.int.length - y.int.length);
  if (x.int !== y.int) return sign * (x.int < y.int ? -1 : 1);
  const len = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(len, "0");
  const fy = y.frac.padEnd(len, "0");
  return fx === fy ? 0 : sign * (fx < fy ? -1 : 1);
}

/**
 * Translates an XSD regular expression (XSD Part 2, appendix F) to a JavaScript one. XSD
 * patterns are implicitly anchored; `\i`, `\c` and their negations become name-character
 * classes. Character-class subtraction and Unicode block escapes (`\p{IsBasicLatin}`) have no
 * JavaScript equivalent and are refused with a clear message instead of being guessed.
 */
export function translatePattern(pattern: string): RegExp {
  const nameStart = "A-Z_a-z:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD";
  const nameChar = `${nameStart}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1];
      i++;
      if (n === "i") out += inClass ? nameStart : `[${nameStart}]`;
      else if (n === "I") out += `[^${nameStart}]`;
      else if (n === "c") out += inClass ? nameChar : `[${nameChar}]`;
      else if (n === "C") out += `[^${nameChar}]`;
      else if ((n === "p" || n === "P") && pattern.startsWith("{Is", i + 1)) {
        throw new Error(`pattern ${JSON.stringify(pattern)} uses a Unicode block escape (\\${n}{Is...}), which JavaScript cannot express`);
      } else if (n === "-" && !inClass) out += "-"; // XSD's escaped hyphen is a plain one out there; JavaScript's u flag refuses `\-` outside a class
      else out += `\\${n ?? ""}`;
      continue;
    }
    if (c === "[") {
      if (inClass) throw new Error(`pattern ${JSON.stringify(pattern)} uses character-class subtraction, which is not supported`);
      inClass = true;
    } else if (c === "]") inClass = false;
    else if (c === "-" && inClass && pattern[i + 1] === "[") {
      throw new Error(`pattern ${JSON.stringify(pattern)} uses character-class subtraction, which is not supported`);
    } else if ((c === "^" || c === "$") && !inClass) {
      // Not anchors in XSD: literal characters.
      out += `\\${c}`;
      continue;
    }
    out += c;
  }
  return new RegExp(`^(?:${out})$`, "u");
}

/** Compiles the facets of a simple type into one check. */
export function compileFacets(type: SimpleTypeMeta, codec: BuiltinCodec): FacetCheck | undefined {
  const f: Facets = type.facets;
  const checks: FacetCheck[] = [];
  const isBytes = codec.shape === "bytes";
  const lengthOf = (s: string) => (isBytes ? byteLength(s, codec.name) : codePoints(s));
  const unit = isBytes ? "bytes" : "characters";
  if (f.length !== undefined) {
    const n = f.length;
    checks.push((s) => (lengthOf(s) !== n ? `must be exactly ${n} ${unit} long, is ${lengthOf(s)}` : undefined));
  }
  if (f.minLength !== undefined) {
    const n = f.minLength;
    checks.push((s) => (lengthOf(s) < n ? `must be at least ${n} ${unit} long, is ${lengthOf(s)}` : undefined));
  }
  if (f.maxLength !== undefined) {
    const n = f.maxLength;
    // A string has at most as many characters as UTF-16 units: most values need no count.
    checks.push(isBytes ? (s) => (lengthOf(s) > n ? `must be at most ${n} ${unit} long, is ${lengthOf(s)}` : undefined) : (s) => (s.length > n && codePoints(s) > n ? `must be at most ${n} ${unit} long, is ${codePoints(s)}` : undefined));
  }
  if (f.patterns !== undefined) {
    for (const p of f.patterns) {
      const re = translatePattern(p);
      checks.push((s) => (re.test(s) ? undefined : `does not match the pattern ${p}`));
    }
  }
  if (f.enumeration !== undefined) {
    const allowed = new Set(f.enumeration);
    const list = f.enumeration.length <= 12 ? f.enumeration.join(", ") : `${f.enumeration.slice(0, 12).join(", ")}, ... (${f.enumeration.length} values)`;
    checks.push((s) => (allowed.has(s) ? undefined : `is not one of the allowed values: ${list}`));
  }
  if (codec.numeric) {
    const bound = (limit: string | undefined, ok: (cmp: number) => boolean, words: string) => {
      if (limit === undefined) return;
      checks.push((s) => (ok(compareDecimal(s, limit)) ? undefined : `must be ${words} ${limit}`));
    };
    bound(f.minInclusive, (c) => c >= 0, "at least");
    bound(f.maxInclusive, (c) => c <= 0, "at most");
    bound(f.minExclusive, (c) => c > 0, "greater than");
    bound(f.maxExclusive, (c) => c < 0, "less than");
    if (f.totalDigits !== undefined) {
      const n = f.totalDigits;
      checks.push((s) => {
        const p = decimalParts(s);
        const digits = (p.int.length === 0 ? 0 : p.int.length) + p.frac.length;
        return digits > n ? `must have at most ${n} digits in all` : undefined;
      });
    }
    if (f.fractionDigits !== undefined) {
      const n = f.fractionDigits;
      checks.push((s) => (decimalParts(s).frac.length > n ? `must have at most ${n} digits after the decimal point` : undefined));
    }
  } else if (codec.name === "float" || codec.name === "double") {
    // Bounds of floats compare as numbers (NaN is in no range; INF and -INF order as numbers).
    const parse = (s: string) => (s === "INF" ? Infinity : s === "-INF" ? -Infinity : Number(s));
    const bound = (limit: string | undefined, ok: (value: number, limit: number) => boolean, words: string) => {
      if (limit === undefined) return;
      const l = parse(limit);
      checks.push((s) => (ok(parse(s), l) ? undefined : `must be ${words} ${limit}`));
    };
    bound(f.minInclusive, (v, l) => v >= l, "at least");
    bound(f.maxInclusive, (v, l) => v <= l, "at most");
    bound(f.minExclusive, (v, l) => v > l, "greater than");
    bound(f.maxExclusive, (v, l) => v < l, "less than");
  } else if (f.minInclusive !== undefined || f.maxInclusive !== undefined || f.minExclusive !== undefined || f.maxExclusive !== undefined) {
    // Date and time bounds compare lexically, which is exact for values written in the same form.
    const bound = (limit: string | undefined, ok: (cmp: number) => boolean, words: string) => {
      if (limit === undefined) return;
      checks.push((s) => (ok(s < limit ? -1 : s > limit ? 1 : 0) ? undefined : `must be ${words} ${limit}`));
    };
    bound(f.minInclusive, (c) => c >= 0, "at least");
    bound(f.maxInclusive, (c) => c <= 0, "at most");
    bound(f.minExclusive, (c) => c > 0, "after");
    bound(f.maxExclusive, (c) => c < 0, "before");
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (s) => {
    for (const check of checks) {
      const error = check(s);
      if (error !== undefined) return error;
    }
    return undefined;
  };
}

function byteLength(lexical: string, name: string): number {
  if (name === "hexBinary") return lexical.length / 2;
  const compact = lexical.replace(/[ \t\r\n]/g, "");
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  return (compact.length / 4) * 3 - padding;
}
