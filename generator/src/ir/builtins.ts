/**
 * The XSD built-in types and how each appears in TypeScript (the decided mapping).
 *
 * Value types that JavaScript has no lossless native type for are lexical strings behind a
 * named alias from the runtime (`Decimal`, `BigInteger`, `DateTime`, ...), so a reader of the
 * generated code sees what the string holds.
 */
import type { BuiltinTypeName } from "@mpay-kit/runtime";

/** TypeScript spelling of a built-in's value. Names other than primitives are runtime types. */
export type BuiltinTsType =
  | "string"
  | "boolean"
  | "number"
  | "Decimal"
  | "BigInteger"
  | "DateTime"
  | "XsdDate"
  | "XsdTime"
  | "Duration"
  | "Uint8Array"
  | "QName"
  | "XmlElement";

export interface BuiltinInfo {
  readonly ts: BuiltinTsType;
  /** The value is the lexical string itself (an enumeration facet can become a union of literals). */
  readonly stringFamily: boolean;
}

const S = (stringFamily = true): BuiltinInfo => ({ ts: "string", stringFamily });

export const BUILTINS: Readonly<Record<BuiltinTypeName | "anyType", BuiltinInfo>> = {
  anyType: { ts: "XmlElement", stringFamily: false },
  anySimpleType: S(),
  string: S(),
  normalizedString: S(),
  token: S(),
  language: S(),
  Name: S(),
  NCName: S(),
  NMTOKEN: S(),
  NMTOKENS: S(false),
  ID: S(),
  IDREF: S(),
  IDREFS: S(false),
  ENTITY: S(),
  ENTITIES: S(false),
  anyURI: S(),
  NOTATION: S(false),
  boolean: { ts: "boolean", stringFamily: false },
  decimal: { ts: "Decimal", stringFamily: false },
  integer: { ts: "BigInteger", stringFamily: false },
  nonPositiveInteger: { ts: "BigInteger", stringFamily: false },
  negativeInteger: { ts: "BigInteger", stringFamily: false },
  nonNegativeInteger: { ts: "BigInteger", stringFamily: false },
  positiveInteger: { ts: "BigInteger", stringFamily: false },
  long: { ts: "BigInteger", stringFamily: false },
  unsignedLong: { ts: "BigInteger", stringFamily: false },
  int: { ts: "number", stringFamily: false },
  unsignedInt: { ts: "number", stringFamily: false },
  short: { ts: "number", stringFamily: false },
  unsignedShort: { ts: "number", stringFamily: false },
  byte: { ts: "number", stringFamily: false },
  unsignedByte: { ts: "number", stringFamily: false },
  float: { ts: "number", stringFamily: false },
  double: { ts: "number", stringFamily: false },
  dateTime: { ts: "DateTime", stringFamily: false },
  date: { ts: "XsdDate", stringFamily: false },
  time: { ts: "XsdTime", stringFamily: false },
  duration: { ts: "Duration", stringFamily: false },
  gYear: S(false),
  gYearMonth: S(false),
  gMonth: S(false),
  gMonthDay: S(false),
  gDay: S(false),
  base64Binary: { ts: "Uint8Array", stringFamily: false },
  hexBinary: { ts: "Uint8Array", stringFamily: false },
  QName: { ts: "QName", stringFamily: false },
};

export function isBuiltinName(name: string): name is BuiltinTypeName | "anyType" {
  return Object.hasOwn(BUILTINS, name);
}
