/**
 * The generated MPay package's time helpers: the contract's offset-less date-times are Moldovan
 * wall-clock times (`timeZone` in wsdl/codegen.json), converted to and from `Date` in that zone.
 */
import { describe, expect, it } from "vitest";
import type { DateTime } from "@mpay-kit/runtime";
import { contractTimeZone, fromDate, toDate } from "@mpay-kit/mpay-service-provider";

describe("the MPay package's time helpers", () => {
  it("names the contract's time zone", () => {
    expect(contractTimeZone).toBe("Europe/Chisinau");
  });

  it("reads an offset-less date-time in Moldovan time (summer: UTC+3)", () => {
    expect(toDate("2025-07-10T10:51:23").toISOString()).toBe("2025-07-10T07:51:23.000Z");
  });

  it("writes an instant as Moldovan wall-clock time without an offset (winter: UTC+2)", () => {
    const text: DateTime = fromDate(new Date("2025-01-15T10:00:00Z"));
    expect(text).toBe("2025-01-15T12:00:00");
    expect(fromDate(new Date("2025-01-15T10:00:00Z"), { offset: true })).toBe("2025-01-15T12:00:00+02:00");
  });

  it("keeps an explicit offset and refuses a wall-clock time the spring-forward gap skips", () => {
    expect(toDate("2025-07-10T10:51:23Z").toISOString()).toBe("2025-07-10T10:51:23.000Z");
    // Moldova moves its clocks from 03:00 to 04:00 on the last Sunday of March.
    expect(() => toDate("2025-03-30T03:30:00")).toThrow(RangeError);
    expect(toDate("2025-03-30T03:30:00", { disambiguation: "later" }).toISOString()).toBe("2025-03-30T00:30:00.000Z");
  });
});
