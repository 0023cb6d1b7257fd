/**
 * One codec per XSD built-in simple type: whitespace handling, lexical checks, and the mapping
 * between the lexical form and the TypeScript value (see `values.ts` for why decimals, big
 * integers and dates stay strings).
 *
 * A codec never rounds, never shifts a time zone and never accepts a lexical form the XSD
 * type does not allow, in either direction.
 */
import type { BuiltinTypeName } from "../meta.ts";

/** How the value of a built-in type is represented in TypeScript. */
export type ValueShape = "string" | "boolean" | "number" | "bytes" | "qname";

export interface BuiltinCodec {
  readonly name: BuiltinTypeName;
  readonly shape: ValueShape;
  /** The whiteSpace facet the type fixes (XSD Part 2, 4.3.6). */
  readonly whiteSpace: "preserve" | "replace" | "collapse";
  /** Checks the (whitespace-processed) lexical form; returns an error text or `undefined`. */
  readonly checkLexical: (lexical: string) => string | undefined;
  /** Lexical form → value (only called after `checkLexical` passed). */
  readonly parse: (lexical: string) => unknown;
  /**
   * Value → lexical form, or an error text when the value has the wrong shape or range. Given a
   * string that `checkLexical` accepts, it returns that very string (the encoder skips the call
   * for such strings; test/runtime/encode-straight-line.test.ts holds every codec to it).
   */
  readonly format: (value: unknown) => { lexical: string } | { error: string };
  /**
   * Whether every lexical form `format` returns already passes `checkLexical` (the encoder then
   * checks again only when whitespace processing changed it).
   */
  readonly formatIsChecked: boolean;
  /**
   * Whether every lexical form that passes `checkLexical` is printable ASCII without `&`, `<` or
   * `>`: the writer then copies it without the escaping scan.
   */
  readonly plainLexical: boolean;
  /**
   * Whether the value space is decimal (xs:decimal and the integers): bounds compare exactly on
   * the decimal form, and totalDigits / fractionDigits apply. Floats compare as numbers.
   */
  readonly numeric: boolean;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-?INF|NaN)$/;
const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DURATION = /^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;
const G_YEAR = /^-?\d{4,}(Z|[+-]\d{2}:\d{2})?$/;
const G_YEAR_MONTH = /^-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d{2}:\d{2})?$/;
const G_MONTH = /^--(0[1-9]|1[0-2])(Z|[+-]\d{2}:\d{2})?$/;
const G_MONTH_DAY = /^--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d{2}:\d{2})?$/;
const G_DAY = /^---(0[1-9]|[12]\d|3[01])(Z|[+-]\d{2}:\d{2})?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const LANGUAGE = /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/;
// Pragmatic XML Name productions (XML 1.0 5th edition NameStartChar / NameChar ranges).
const NAME_START = "A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, "u");
const NAME = new RegExp(`^[:${NAME_START}][:${NAME_CHAR}]*$`, "u");
const NMTOKEN = new RegExp(`^[:${NAME_CHAR}]+$`, "u");
const QNAME_LEX = new RegExp(`^(?:[${NAME_START}][${NAME_CHAR}]*:)?[${NAME_START}][${NAME_CHAR}]*$`, "u");

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The value of the two ASCII digits at `i`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether `s` is certainly a valid dateTime of the everyday shape (a four-digit year, hours up
 * to 23): a scan without allocations for what almost every message carries. `false` means
 * "not decided here": the full check then runs and words the error.
 */
function isPlainDateTime(s: string): boolean {
  const n = s.length;
  if (n < 19) return false;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (century < 0 || yy < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const year = century * 100 + yy;
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = 19;
  if (i < n && s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start) return false;
  }
  if (i === n) return true;
  const c = s.charCodeAt(i);
  if (c === 90) return i + 1 === n;
  if ((c !== 43 && c !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
  const offsetHours = twoDigits(s, i + 1);
  const offsetMinutes = twoDigits(s, i + 4);
  return offsetHours >= 0 && offsetMinutes >= 0 && offsetMinutes <= 59 && (offsetHours < 14 || (offsetHours === 14 && offsetMinutes === 0));
}

/**
 * Whether `s` matches DECIMAL (`[+-]?(\d+(\.\d*)?|\.\d+)`): a scan without the regex call, which
 * cost several times the scan for the short amounts messages carry (a differential test holds the
 * two together).
 */
function isDecimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  const intStart = i;
  while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
  let digits = i - intStart;
  if (c === 46) {
    const fracStart = ++i;
    c = s.charCodeAt(i);
    while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
    digits += i - fracStart;
  }
  return i === n && digits > 0;
}

function checkOffset(offset: string | undefined): string | undefined {
  if (offset === undefined || offset === "Z") return undefined;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (minutes > 59 || hours > 14 || (hours === 14 && minutes !== 0)) return `time zone offset ${offset} is out of range`;
  return undefined;
}

function checkDate(year: string, month: string, day: string): string | undefined {
  if (/^-?0000$/.test(year)) return "year 0000 is not allowed";
  if (year.replace("-", "").length > 4 && year.replace("-", "").startsWith("0")) return "year has a leading zero";
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12) return `month ${month} is out of range`;
  if (d < 1 || d > daysInMonth(Number(year), m)) return `day ${day} does not exist in month ${month}`;
  return undefined;
}

function checkTime(hour: string, minute: string, second: string, fraction: string | undefined): string | undefined {
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (h === 24) {
    return mi === 0 && s === 0 && (fraction === undefined || /^\.0+$/.test(fraction)) ? undefined : "hour 24 is only allowed as 24:00:00";
  }
  if (h > 23) return `hour ${hour} is out of range`;
  if (mi > 59) return `minute ${minute} is out of range`;
  if (s > 59) return `second ${second} is out of range`;
  return undefined;
}

const ok = (lexical: string) => ({ lexical });
const bad = (error: string) => ({ error });

function stringCodec(name: BuiltinTypeName, whiteSpace: BuiltinCodec["whiteSpace"], pattern?: RegExp, what?: string): BuiltinCodec {
  return {
    name,
    shape: "string",
    whiteSpace,
    numeric: false,
    checkLexical: (s) => (pattern === undefined || pattern.test(s) ? undefined : `"${s}" is not a valid ${what ?? name}`),
    parse: (s) => s,
    format: (v) => (typeof v === "string" ? ok(v) : bad(`expected a string, got ${describe(v)}`)),
    formatIsChecked: pattern === undefined,
    plainLexical: false,
  };
}

function integerCodec(name: BuiltinTypeName, min: bigint | undefined, max: bigint | undefined, asNumber: boolean): BuiltinCodec {
  const check = (s: string): string | undefined => {
    if (!INTEGER.test(s)) return `"${s}" is not a valid ${name} (an integer)`;
    const n = BigInt(s);
    if (min !== undefined && n < min) return `${s} is below the ${name} minimum ${min}`;
    if (max !== undefined && n > max) return `${s} is above the ${name} maximum ${max}`;
    return undefined;
  };
  return {
    name,
    shape: asNumber ? "number" : "string",
    whiteSpace: "collapse",
    numeric: true,
    checkLexical: check,
    parse: (s) => (asNumber ? Number(s) : s),
    format: (v) => {
      let lexical: string;
      if (asNumber) {
        if (typeof v !== "number" || !Number.isInteger(v)) return bad(`expected an integer number, got ${describe(v)}`);
        lexical = String(v);
      } else {
        if (typeof v !== "string") return bad(`expected an integer in a string (lossless ${name}), got ${describe(v)}`);
        lexical = v;
      }
      const error = check(lexical);
      return error === undefined ? ok(lexical) : bad(error);
    },
    formatIsChecked: true,
    plainLexical: true,
  };
}

function floatCodec(name: BuiltinTypeName): BuiltinCodec {
  return {
    name,
    shape: "number",
    whiteSpace: "collapse",
    numeric: false,
    checkLexical: (s) => (FLOAT.test(s) ? undefined : `"${s}" is not a valid ${name}`),
    parse: (s) => (s === "INF" ? Infinity : s === "-INF" ? -Infinity : s === "NaN" ? NaN : Number(s)),
    format: (v) => {
      if (typeof v !== "number") return bad(`expected a number, got ${describe(v)}`);
      if (Number.isNaN(v)) return ok("NaN");
      if (v === Infinity) return ok("INF");
      if (v === -Infinity) return ok("-INF");
      if (name === "float" && Math.abs(v) > 3.4028234663852886e38) return bad(`${v} is out of range for float`);
      return ok(Object.is(v, -0) ? "-0" : String(v));
    },
    formatIsChecked: false,
    plainLexical: true,
  };
}

function lexicalCodec(name: BuiltinTypeName, check: (s: string) => string | undefined, plainLexical = true, numeric = false): BuiltinCodec {
  return {
    name,
    shape: "string",
    whiteSpace: "collapse",
    numeric,
    checkLexical: check,
    parse: (s) => s,
    format: (v) => {
      if (typeof v !== "string") return bad(`expected a ${name} string, got ${describe(v)}`);
      const error = check(v);
      return error === undefined ? ok(v) : bad(error);
    },
    formatIsChecked: true,
    plainLexical,
  };
}

function checkDateTime(s: string): string | undefined {
  return isPlainDateTime(s) ? undefined : checkDateTimeByPattern(s);
}

function checkDateTimeByPattern(s: string): string | undefined {
  const m = DATE_TIME.exec(s);
  if (m === null) return `"${s}" is not a valid dateTime (expected YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm])`;
  const [, y, mo, d, h, mi, sec, frac, tz] = m as unknown as string[];
  return checkDate(y!, mo!, d!) ?? checkTime(h!, mi!, sec!, frac) ?? checkOffset(tz);
}

function checkDateOnly(s: string): string | undefined {
  const m = DATE.exec(s);
  if (m === null) return `"${s}" is not a valid date (expected YYYY-MM-DD[Z|±hh:mm])`;
  return checkDate(m[1]!, m[2]!, m[3]!) ?? checkOffset(m[4]);
}

function checkTimeOnly(s: string): string | undefined {
  const m = TIME.exec(s);
  if (m === null) return `"${s}" is not a valid time (expected hh:mm:ss[.fff][Z|±hh:mm])`;
  return checkTime(m[1]!, m[2]!, m[3]!, m[4]) ?? checkOffset(m[5]);
}

function patternCheck(re: RegExp, name: string) {
  return (s: string) => (re.test(s) ? undefined : `"${s}" is not a valid ${name}`);
}

function bytesCodec(name: "base64Binary" | "hexBinary"): BuiltinCodec {
  const isBase64 = name === "base64Binary";
  return {
    name,
    shape: "bytes",
    whiteSpace: "collapse",
    numeric: false,
    // base64Binary may carry line breaks and spaces inside (MIME style); they are not data.
    checkLexical: (s) => {
      const compact = isBase64 ? s.replace(/[ \t\r\n]/g, "") : s;
      return (isBase64 ? BASE64 : HEX).test(compact) ? undefined : `the text is not valid ${name}`;
    },
    parse: (s) => new Uint8Array(Buffer.from(isBase64 ? s.replace(/[ \t\r\n]/g, "") : s, isBase64 ? "base64" : "hex")),
    format: (v) =>
      v instanceof Uint8Array
        ? ok(isBase64 ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex").toUpperCase())
        : bad(`expected a Uint8Array, got ${describe(v)}`),
    formatIsChecked: false,
    plainLexical: !isBase64,
  };
}

/** Short description of a value's shape for error messages; never prints the value itself. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Uint8Array) return "bytes";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

const I = (n: bigint) => n;

/** Every built-in codec by name. */
export const builtinCodecs: Readonly<Record<BuiltinTypeName, BuiltinCodec>> = {
  anySimpleType: stringCodec("anySimpleType", "preserve"),
  string: stringCodec("string", "preserve"),
  normalizedString: stringCodec("normalizedString", "replace"),
  token: stringCodec("token", "collapse"),
  language: stringCodec("language", "collapse", LANGUAGE, "language tag"),
  Name: stringCodec("Name", "collapse", NAME),
  NCName: stringCodec("NCName", "collapse", NCNAME),
  NMTOKEN: stringCodec("NMTOKEN", "collapse", NMTOKEN),
  NMTOKENS: stringCodec("NMTOKENS", "collapse", new RegExp(`^[:${NAME_CHAR}]+(?: [:${NAME_CHAR}]+)*$`, "u")),
  ID: stringCodec("ID", "collapse", NCNAME),
  IDREF: stringCodec("IDREF", "collapse", NCNAME),
  IDREFS: stringCodec("IDREFS", "collapse", new RegExp(`^[${NAME_START}][${NAME_CHAR}]*(?: [${NAME_START}][${NAME_CHAR}]*)*$`, "u")),
  ENTITY: stringCodec("ENTITY", "collapse", NCNAME),
  ENTITIES: stringCodec("ENTITIES", "collapse", new RegExp(`^[${NAME_START}][${NAME_CHAR}]*(?: [${NAME_START}][${NAME_CHAR}]*)*$`, "u")),
  anyURI: stringCodec("anyURI", "collapse"),
  boolean: {
    name: "boolean",
    shape: "boolean",
    whiteSpace: "collapse",
    numeric: false,
    checkLexical: (s) => (s === "true" || s === "false" || s === "1" || s === "0" ? undefined : `"${s}" is not a valid boolean (true, false, 1 or 0)`),
    parse: (s) => s === "true" || s === "1",
    format: (v) => (typeof v === "boolean" ? ok(v ? "true" : "false") : bad(`expected a boolean, got ${describe(v)}`)),
    formatIsChecked: true,
    plainLexical: true,
  },
  decimal: lexicalCodec("decimal", (s) => (isDecimal(s) ? undefined : `"${s}" is not a valid decimal (digits with an optional sign and decimal point)`), true, true),
  integer: integerCodec("integer", undefined, undefined, false),
  nonPositiveInteger: integerCodec("nonPositiveInteger", undefined, I(0n), false),
  negativeInteger: integerCodec("negativeInteger", undefined, I(-1n), false),
  nonNegativeInteger: integerCodec("nonNegativeInteger", I(0n), undefined, false),
  positiveInteger: integerCodec("positiveInteger", I(1n), undefined, false),
  long: integerCodec("long", I(-9223372036854775808n), I(9223372036854775807n), false),
  unsignedLong: integerCodec("unsignedLong", I(0n), I(18446744073709551615n), false),
  int: integerCodec("int", I(-2147483648n), I(2147483647n), true),
  unsignedInt: integerCodec("unsignedInt", I(0n), I(4294967295n), true),
  short: integerCodec("short", I(-32768n), I(32767n), true),
  unsignedShort: integerCodec("unsignedShort", I(0n), I(65535n), true),
  byte: integerCodec("byte", I(-128n), I(127n), true),
  unsignedByte: integerCodec("unsignedByte", I(0n), I(255n), true),
  float: floatCodec("float"),
  double: floatCodec("double"),
  dateTime: lexicalCodec("dateTime", checkDateTime),
  date: lexicalCodec("date", checkDateOnly),
  time: lexicalCodec("time", checkTimeOnly),
  duration: lexicalCodec("duration", patternCheck(DURATION, "duration")),
  gYear: lexicalCodec("gYear", patternCheck(G_YEAR, "gYear")),
  gYearMonth: lexicalCodec("gYearMonth", patternCheck(G_YEAR_MONTH, "gYearMonth")),
  gMonth: lexicalCodec("gMonth", patternCheck(G_MONTH, "gMonth")),
  gMonthDay: lexicalCodec("gMonthDay", patternCheck(G_MONTH_DAY, "gMonthDay")),
  gDay: lexicalCodec("gDay", patternCheck(G_DAY, "gDay")),
  base64Binary: bytesCodec("base64Binary"),
  hexBinary: bytesCodec("hexBinary"),
  QName: {
    name: "QName",
    shape: "qname",
    whiteSpace: "collapse",
    numeric: false,
    checkLexical: patternCheck(QNAME_LEX, "QName"),
    // Resolution against the in-scope namespaces happens in the decoder, which has the element.
    parse: (s) => s,
    format: (v) =>
      typeof v === "object" && v !== null && typeof (v as { localName?: unknown }).localName === "string" && typeof (v as { namespace?: unknown }).namespace === "string"
        ? ok((v as { localName: string }).localName)
        : bad(`expected a QName { namespace, localName }, got ${describe(v)}`),
    formatIsChecked: false,
    plainLexical: false,
  },
  NOTATION: stringCodec("NOTATION", "collapse", QNAME_LEX),
};

/** @internal The fast paths next to the checks they shortcut, for differential tests. */
export const fastPathsForTests = { isPlainDateTime, checkDateTimeByPattern, isDecimal, isDecimalByPattern: (s: string) => DECIMAL.test(s), changedByWhiteSpace: (s: string, collapse: boolean) => changedByWhiteSpace(s, collapse) };

/** Applies a whiteSpace facet to a lexical value. */
export function applyWhiteSpace(s: string, mode: BuiltinCodec["whiteSpace"]): string {
  if (mode === "preserve" || !changedByWhiteSpace(s, mode === "collapse")) return s;
  const replaced = s.replace(/[\t\n\r]/g, " ");
  return mode === "replace" ? replaced : replaced.replace(/ {2,}/g, " ").trim();
}

/** Whether the whiteSpace facet would change `s` (a scan: most values need nothing done). */
function changedByWhiteSpace(s: string, collapse: boolean): boolean {
  const last = s.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = s.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13) return true;
    if (collapse && c === 32 && (i === 0 || i === last || s.charCodeAt(i + 1) === 32)) return true;
  }
  return false;
}
