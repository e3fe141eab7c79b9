import { describe, expect, it } from "vitest";
import { localClockAt } from "../src/time/local-clock.js";

const clockAt = (iso: string, timezone: string) => localClockAt(new Date(iso), timezone);

describe("localClockAt", () => {
  it("when an instant is read in several zones, then each shows its own date and time", () => {
    expect(clockAt("2026-12-31T23:30:00Z", "UTC")).toEqual({ date: "2026-12-31", time: "23:30" });
    expect(clockAt("2026-12-31T23:30:00Z", "Asia/Tokyo")).toEqual({ date: "2027-01-01", time: "08:30" });
    expect(clockAt("2026-12-31T23:30:00Z", "Asia/Kolkata")).toEqual({ date: "2027-01-01", time: "05:00" });
    expect(clockAt("2026-12-31T23:30:00Z", "America/Los_Angeles")).toEqual({ date: "2026-12-31", time: "15:30" });
    expect(clockAt("2027-01-01T00:00:00Z", "Pacific/Kiritimati")).toEqual({ date: "2027-01-01", time: "14:00" });
  });

  it("when local midnight is read, then the hour is 00, not 24", () => {
    expect(clockAt("2026-05-05T04:00:00Z", "America/New_York")).toEqual({ date: "2026-05-05", time: "00:00" });
    expect(clockAt("2026-05-04T22:00:00Z", "Europe/Berlin")).toEqual({ date: "2026-05-05", time: "00:00" });
  });

  it("when an instant is late in its minute, then the time is cut to the minute, not rounded up", () => {
    expect(clockAt("2026-06-01T20:59:59.999Z", "UTC")).toEqual({ date: "2026-06-01", time: "20:59" });
    expect(clockAt("2026-06-01T23:59:59.999Z", "UTC")).toEqual({ date: "2026-06-01", time: "23:59" });
  });

  // Each row: a UTC instant and what a wall clock in the zone shows, on both sides of the change.
  const dstCases: Array<{ zone: string; change: string; readings: Array<[string, string, string]> }> = [
    {
      zone: "America/New_York",
      change: "spring forward 2026-03-08, 02:00 EST becomes 03:00 EDT",
      readings: [
        ["2026-03-07T13:00:00Z", "2026-03-07", "08:00"],
        ["2026-03-08T06:59:00Z", "2026-03-08", "01:59"],
        ["2026-03-08T07:00:00Z", "2026-03-08", "03:00"],
        ["2026-03-08T12:00:00Z", "2026-03-08", "08:00"],
        ["2026-03-09T12:00:00Z", "2026-03-09", "08:00"],
      ],
    },
    {
      zone: "America/New_York",
      change: "fall back 2026-11-01, 02:00 EDT becomes 01:00 EST",
      readings: [
        ["2026-10-31T12:00:00Z", "2026-10-31", "08:00"],
        ["2026-11-01T05:30:00Z", "2026-11-01", "01:30"],
        ["2026-11-01T05:59:00Z", "2026-11-01", "01:59"],
        ["2026-11-01T06:00:00Z", "2026-11-01", "01:00"],
        ["2026-11-01T06:30:00Z", "2026-11-01", "01:30"],
        ["2026-11-01T13:00:00Z", "2026-11-01", "08:00"],
        ["2026-11-02T13:00:00Z", "2026-11-02", "08:00"],
      ],
    },
    {
      zone: "Europe/Berlin",
      change: "spring forward 2026-03-29, 02:00 CET becomes 03:00 CEST",
      readings: [
        ["2026-03-28T07:00:00Z", "2026-03-28", "08:00"],
        ["2026-03-29T00:59:00Z", "2026-03-29", "01:59"],
        ["2026-03-29T01:00:00Z", "2026-03-29", "03:00"],
        ["2026-03-29T06:00:00Z", "2026-03-29", "08:00"],
        ["2026-03-30T06:00:00Z", "2026-03-30", "08:00"],
      ],
    },
    {
      zone: "Europe/Berlin",
      change: "fall back 2026-10-25, 03:00 CEST becomes 02:00 CET",
      readings: [
        ["2026-10-24T06:00:00Z", "2026-10-24", "08:00"],
        ["2026-10-25T00:30:00Z", "2026-10-25", "02:30"],
        ["2026-10-25T00:59:00Z", "2026-10-25", "02:59"],
        ["2026-10-25T01:00:00Z", "2026-10-25", "02:00"],
        ["2026-10-25T01:30:00Z", "2026-10-25", "02:30"],
        ["2026-10-25T07:00:00Z", "2026-10-25", "08:00"],
        ["2026-10-26T07:00:00Z", "2026-10-26", "08:00"],
      ],
    },
    {
      zone: "Australia/Sydney",
      change: "fall back 2026-04-05, 03:00 AEDT becomes 02:00 AEST",
      readings: [
        ["2026-04-03T21:00:00Z", "2026-04-04", "08:00"],
        ["2026-04-04T15:59:00Z", "2026-04-05", "02:59"],
        ["2026-04-04T16:00:00Z", "2026-04-05", "02:00"],
        ["2026-04-04T22:00:00Z", "2026-04-05", "08:00"],
        ["2026-04-05T22:00:00Z", "2026-04-06", "08:00"],
      ],
    },
    {
      zone: "Australia/Sydney",
      change: "spring forward 2026-10-04, 02:00 AEST becomes 03:00 AEDT",
      readings: [
        ["2026-10-02T22:00:00Z", "2026-10-03", "08:00"],
        ["2026-10-03T15:59:00Z", "2026-10-04", "01:59"],
        ["2026-10-03T16:00:00Z", "2026-10-04", "03:00"],
        ["2026-10-03T21:00:00Z", "2026-10-04", "08:00"],
        ["2026-10-04T21:00:00Z", "2026-10-05", "08:00"],
      ],
    },
  ];

  for (const { zone, change, readings } of dstCases) {
    it(`when ${zone} has its ${change}, then the wall clock follows it`, () => {
      const shown = readings.map(([instant]) => {
        const clock = clockAt(instant, zone);
        return [instant, clock.date, clock.time];
      });
      expect(shown).toEqual(readings);
    });
  }

  it("when the timezone is unknown, then it throws a RangeError", () => {
    expect(() => clockAt("2026-06-01T12:00:00Z", "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});
