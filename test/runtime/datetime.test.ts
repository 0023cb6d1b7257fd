import { describe, expect, it } from "vitest";
import { dateTimeFromDate, dateTimeToDate } from "../../runtime/src/xsd/datetime.ts";

const CHISINAU = "Europe/Chisinau";

describe("dateTimeToDate", () => {
  it.each([
    // Summer time in Moldova is UTC+3, winter time UTC+2.
    ["2025-07-10T10:51:23", "2025-07-10T07:51:23.000Z"],
    ["2025-07-10T09:26:29.463", "2025-07-10T06:26:29.463Z"],
    ["2025-01-15T12:00:00", "2025-01-15T10:00:00.000Z"],
    ["2025-07-10T07:19:31.938Z", "2025-07-10T07:19:31.938Z"],
    ["2025-07-10T10:00:00+05:30", "2025-07-10T04:30:00.000Z"],
    ["2025-12-31T24:00:00", "2025-12-31T22:00:00.000Z"],
  ])("%s in Chisinau is %s", (value, iso) => {
    expect(dateTimeToDate(value, CHISINAU).toISOString()).toBe(iso);
  });

  it("refuses a wall-clock time that clocks skip, unless told which offset to use", () => {
    // 2025-03-30 03:00 local: clocks jump from 03:00 to 04:00 in Europe/Chisinau.
    expect(() => dateTimeToDate("2025-03-30T03:30:00", CHISINAU)).toThrow(/does not exist in Europe\/Chisinau/);
    expect(dateTimeToDate("2025-03-30T03:30:00", CHISINAU, { disambiguation: "earlier" }).toISOString()).toBe("2025-03-30T01:30:00.000Z");
    expect(dateTimeToDate("2025-03-30T03:30:00", CHISINAU, { disambiguation: "later" }).toISOString()).toBe("2025-03-30T00:30:00.000Z");
  });

  it("refuses a wall-clock time that occurs twice, unless told which one", () => {
    // 2025-10-26 04:00 local: clocks go back to 03:00, so 03:30 happens twice.
    expect(() => dateTimeToDate("2025-10-26T03:30:00", CHISINAU)).toThrow(/occurs twice/);
    expect(dateTimeToDate("2025-10-26T03:30:00", CHISINAU, { disambiguation: "earlier" }).toISOString()).toBe("2025-10-26T00:30:00.000Z");
    expect(dateTimeToDate("2025-10-26T03:30:00", CHISINAU, { disambiguation: "later" }).toISOString()).toBe("2025-10-26T01:30:00.000Z");
  });

  it("refuses precision a Date cannot hold and invalid values", () => {
    expect(() => dateTimeToDate("2025-07-10T10:51:23.1234", CHISINAU)).toThrow(/sub-millisecond/);
    expect(dateTimeToDate("2025-07-10T10:51:23.1230000", CHISINAU).toISOString()).toBe("2025-07-10T07:51:23.123Z");
    expect(() => dateTimeToDate("2025-02-30T10:00:00", CHISINAU)).toThrow(/does not exist in month/);
    expect(() => dateTimeToDate("10/07/2025", CHISINAU)).toThrow(/not a valid dateTime/);
  });
});

describe("dateTimeFromDate", () => {
  it("writes wall-clock time without an offset by default, as WCF does", () => {
    expect(dateTimeFromDate(new Date("2025-07-10T07:51:23Z"), CHISINAU)).toBe("2025-07-10T10:51:23");
    expect(dateTimeFromDate(new Date("2025-07-10T06:26:29.463Z"), CHISINAU)).toBe("2025-07-10T09:26:29.463");
    expect(dateTimeFromDate(new Date("2025-01-15T10:00:00Z"), CHISINAU, { offset: true })).toBe("2025-01-15T12:00:00+02:00");
    expect(dateTimeFromDate(new Date("2025-07-10T07:51:23Z"), CHISINAU, { fractionDigits: 3, offset: true })).toBe("2025-07-10T10:51:23.000+03:00");
    expect(() => dateTimeFromDate(new Date("2025-07-10T07:51:23.5Z"), CHISINAU, { fractionDigits: 0 })).toThrow(/would drop/);
  });

  it("round-trips through dateTimeToDate", () => {
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 3_600_000 * 7 + 1234) {
      const text = dateTimeFromDate(new Date(t), CHISINAU, { offset: true });
      expect(dateTimeToDate(text, CHISINAU).getTime()).toBe(t);
    }
  });
});
