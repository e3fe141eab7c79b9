import { describe, expect, it } from "vitest";
import { dueInTimezone, instantOf, type Due } from "../src/time.js";

describe("the instant a wall clock shows", () => {
  it.each<[string, string, string, string]>([
    ["Europe/Berlin", "2026-06-01", "09:00", "2026-06-01T07:00:00Z"],
    ["Europe/Berlin", "2026-12-01", "09:00", "2026-12-01T08:00:00Z"],
    ["America/New_York", "2026-12-02", "10:00", "2026-12-02T15:00:00Z"],
    ["Asia/Kolkata", "2026-06-01", "09:00", "2026-06-01T03:30:00Z"],
    ["Asia/Kathmandu", "2026-06-01", "09:00", "2026-06-01T03:15:00Z"],
    ["Pacific/Auckland", "2026-01-01", "09:00", "2025-12-31T20:00:00Z"],
    ["Pacific/Auckland", "2026-07-01", "00:30", "2026-06-30T12:30:00Z"],
    ["UTC", "2026-02-28", "23:59", "2026-02-28T23:59:00Z"],
  ])("when a clock in %s shows %s %s, then the instant is %s", (timezone, date, time, instant) => {
    expect(instantOf(date, time, timezone)).toEqual(new Date(instant));
  });

  it.each<[string, string, string, string]>([
    ["Europe/Berlin", "2026-03-29", "02:30", "2026-03-29T01:30:00Z"],
    ["America/New_York", "2026-03-08", "02:30", "2026-03-08T07:30:00Z"],
  ])("when %s skips %s %s at spring-forward, then the time moves forward by the gap", (timezone, date, time, instant) => {
    expect(instantOf(date, time, timezone)).toEqual(new Date(instant));
  });

  it.each<[string, string, string, string]>([
    ["Europe/Berlin", "2026-10-25", "02:30", "2026-10-25T00:30:00Z"],
    ["America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00Z"],
  ])("when %s shows %s %s twice at fall-back, then the first is taken", (timezone, date, time, instant) => {
    expect(instantOf(date, time, timezone)).toEqual(new Date(instant));
  });

  it.each<[string, string, string]>([
    ["2026-02-30", "09:00", "UTC"],
    ["2026-1-1", "09:00", "UTC"],
    ["2026-01-01", "24:00", "UTC"],
    ["2026-01-01", "9:00", "UTC"],
    ["2026-01-01", "09:00", "Mars/Olympus_Mons"],
  ])("when the date %j, time %j or timezone %j is malformed, then it throws a RangeError", (date, time, timezone) => {
    expect(() => instantOf(date, time, timezone)).toThrow(RangeError);
  });
});

describe("a due seen in another timezone", () => {
  it("when the due is pinned, then it keeps its instant and its date and time follow the new clock", () => {
    const due: Due = { date: "2026-12-02", time: "23:20", at: new Date("2026-12-03T04:20:00Z"), pinned: true };
    expect(dueInTimezone(due, "Europe/Berlin")).toEqual({
      date: "2026-12-03",
      time: "05:20",
      at: new Date("2026-12-03T04:20:00Z"),
      pinned: true,
    });
  });

  it("when the due is not pinned, then it keeps its date and time and its instant follows the new clock", () => {
    const due: Due = { date: "2026-12-03", time: "17:00", at: new Date("2026-12-03T22:00:00Z"), pinned: false };
    expect(dueInTimezone(due, "Europe/Berlin")).toEqual({
      date: "2026-12-03",
      time: "17:00",
      at: new Date("2026-12-03T16:00:00Z"),
      pinned: false,
    });
  });

  it("when the due has only a date, then it stays as it is", () => {
    const due: Due = { date: "2026-12-04", time: null, at: null, pinned: false };
    expect(dueInTimezone(due, "Asia/Kolkata")).toEqual(due);
  });
});
