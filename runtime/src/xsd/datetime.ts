/**
 * Converting `xs:dateTime` values to and from JavaScript `Date`, always with an explicit
 * time zone.
 *
 * WCF peers such as MPay write local wall-clock times without an offset
 * (`2025-07-10T10:51:23` is Moldovan time). Such a value names an instant only together with
 * a time zone, so the helpers take one (an IANA name like `Europe/Chisinau`) and refuse,
 * rather than guess, when the wall-clock time does not exist (the spring-forward gap) or
 * exists twice (the autumn overlap) unless told which one is meant.
 */
import type { DateTime } from "./values.ts";
import { builtinCodecs } from "./builtins.ts";

const PARTS = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))?$/;

/** For a wall-clock time that occurs twice (or never) in the time zone. */
export type Disambiguation = "reject" | "earlier" | "later";

export interface ToDateOptions {
  /** What to do with a wall-clock time that is ambiguous or skipped (default `"reject"`). */
  readonly disambiguation?: Disambiguation;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClockAt(instant: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  const year = Number(parts.year) * (parts.era === "BC" ? -1 : 1) + (parts.era === "BC" ? 1 : 0);
  return { year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The time zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClockAt(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant an `xs:dateTime` names. A value with `Z` or an offset names its instant by
 * itself; an offset-less value is read as wall-clock time in `timeZone`.
 * @throws RangeError for an invalid value, sub-millisecond digits a `Date` cannot hold, or a
 * wall-clock time that is skipped or repeated in `timeZone` (unless `disambiguation` says which).
 */
export function dateTimeToDate(value: DateTime, timeZone: string, options: ToDateOptions = {}): Date {
  const error = builtinCodecs.dateTime.checkLexical(value);
  if (error !== undefined) throw new RangeError(error);
  const m = PARTS.exec(value)!;
  const fraction = m[7] ?? "";
  if (fraction.replace(/0+$/, "").length > 3) throw new RangeError(`${value} has sub-millisecond digits that a Date cannot hold`);
  const ms = Number(fraction.padEnd(3, "0").slice(0, 3));
  let hour = Number(m[4]);
  let dayCarry = 0;
  if (hour === 24) {
    hour = 0;
    dayCarry = 1;
  }
  const utcFields = Date.UTC(0, Number(m[2]) - 1, Number(m[3]) + dayCarry, hour, Number(m[5]), Number(m[6]), ms);
  // Date.UTC maps years 0-99 to 1900-1999; set the year separately to stay exact.
  const base = new Date(utcFields);
  base.setUTCFullYear(Number(m[1]) + (base.getUTCFullYear() - 1900));
  const asUtc = base.getTime();
  if (m[8] !== undefined) {
    const offset = m[8] === "Z" ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
    return new Date(asUtc - offset);
  }
  const candidates = new Set<number>();
  for (const probe of [asUtc - 86_400_000, asUtc + 86_400_000]) {
    const instant = asUtc - offsetAt(probe, timeZone);
    if (offsetAt(instant, timeZone) === asUtc - instant) candidates.add(instant);
  }
  const sorted = [...candidates].sort((a, b) => a - b);
  const mode = options.disambiguation ?? "reject";
  if (sorted.length === 1) return new Date(sorted[0]!);
  if (sorted.length === 0) {
    if (mode === "reject") throw new RangeError(`${value} does not exist in ${timeZone} (clocks skip it); pass disambiguation "earlier" or "later"`);
    // Skipped time: read it with the offset in force before ("earlier") or after ("later") the jump.
    const before = offsetAt(asUtc - 86_400_000, timeZone);
    const after = offsetAt(asUtc + 86_400_000, timeZone);
    return new Date(asUtc - (mode === "earlier" ? before : after));
  }
  if (mode === "reject") throw new RangeError(`${value} occurs twice in ${timeZone} (clocks go back); pass disambiguation "earlier" or "later"`);
  return new Date(mode === "earlier" ? sorted[0]! : sorted[sorted.length - 1]!);
}

export interface FromDateOptions {
  /** Write the zone's UTC offset (`+03:00`) after the time. Default `false`: wall-clock time only, as WCF peers write it. */
  readonly offset?: boolean;
  /** Fraction-of-second digits: `0`, `3`, or `"auto"` (default: 3 digits only when the milliseconds are not zero). */
  readonly fractionDigits?: 0 | 3 | "auto";
}

/**
 * The wall-clock `xs:dateTime` of an instant in `timeZone`.
 * @throws RangeError for an invalid Date, or milliseconds that `fractionDigits: 0` would drop.
 */
export function dateTimeFromDate(date: Date, timeZone: string, options: FromDateOptions = {}): DateTime {
  const instant = date.getTime();
  if (Number.isNaN(instant)) throw new RangeError("invalid Date");
  const w = wallClockAt(instant, timeZone);
  const ms = ((instant % 1000) + 1000) % 1000;
  const digits = options.fractionDigits ?? "auto";
  if (digits === 0 && ms !== 0) throw new RangeError(`${date.toISOString()} has milliseconds that fractionDigits 0 would drop`);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const year = w.year < 0 ? `-${pad(-w.year, 4)}` : pad(w.year, 4);
  let text = `${year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (digits === 3 || (digits === "auto" && ms !== 0)) text += `.${pad(ms, 3)}`;
  if (options.offset === true) {
    const offsetMinutes = Math.round(offsetAt(instant, timeZone) / 60_000);
    const sign = offsetMinutes < 0 ? "-" : "+";
    const abs = Math.abs(offsetMinutes);
    text += `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  return text;
}
