import { describe, expect, it } from "vitest";
import { DEFAULT_SUMMARY_TIME, isQuietTime, summarySendTime } from "../src/quiet-hours.policy.js";

describe("isQuietTime", () => {
  it("when the time is just before 21:00 or from 08:00 on, then it is not quiet", () => {
    for (const time of ["08:00", "08:01", "12:00", "20:58", "20:59"]) expect([time, isQuietTime(time)]).toEqual([time, false]);
  });

  it("when the time is from 21:00 until just before 08:00, then it is quiet", () => {
    for (const time of ["21:00", "21:01", "23:59", "00:00", "03:30", "07:59"])
      expect([time, isQuietTime(time)]).toEqual([time, true]);
  });
});

describe("summarySendTime", () => {
  it("when the chosen time is outside quiet hours, then the summary goes out at that time", () => {
    expect(["08:00", "12:30", "20:59"].map(summarySendTime)).toEqual(["08:00", "12:30", "20:59"]);
  });

  it("when the chosen time is inside quiet hours, then the summary goes out at 08:00", () => {
    expect(["21:00", "23:00", "00:00", "06:15", "07:00", "07:59"].map(summarySendTime)).toEqual(Array(6).fill("08:00"));
  });

  it("when the user chose nothing, then the default time is 08:00 and is sent as is", () => {
    expect(DEFAULT_SUMMARY_TIME).toBe("08:00");
    expect(summarySendTime(DEFAULT_SUMMARY_TIME)).toBe("08:00");
  });
});
