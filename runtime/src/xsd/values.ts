/**
 * TypeScript shapes of XSD values that JavaScript has no lossless native type for.
 *
 * Decimals, big integers and date/time values are carried as their XSD lexical form, exactly as
 * they stand on the wire: `"9267.00"` stays `"9267.00"`, an offset-less WCF `2025-07-10T10:51:23`
 * keeps having no offset. The codec checks the lexical form in both directions; converting to a
 * JavaScript `Date` is explicit and needs a time zone (see `datetime.ts`).
 */

/** `xs:decimal` in its lexical form, e.g. `"9267.00"`. Never a JavaScript number. */
export type Decimal = string;

/** `xs:integer`, `xs:long`, `xs:unsignedLong` and the unbounded integer types, in lexical form. */
export type BigInteger = string;

/** `xs:dateTime` in lexical form, e.g. `"2025-07-10T10:51:23"` or `"2025-07-10T07:51:25.959Z"`. */
export type DateTime = string;

/** `xs:date` in lexical form, e.g. `"2025-07-10"`. */
export type XsdDate = string;

/** `xs:time` in lexical form, e.g. `"10:51:23"`. */
export type XsdTime = string;

/** `xs:duration` in lexical form, e.g. `"P1DT2H"`. */
export type Duration = string;

/** `xs:QName`: a namespace-qualified name; the prefix is chosen by the writer. */
export interface QName {
  readonly namespace: string;
  readonly localName: string;
}
