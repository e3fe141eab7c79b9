import { describe, expect, it } from "vitest";
import { describeRule, nextOccurrence, type Due } from "../src/time.js";

const dateOnly = (date: string): Due => ({ date, time: null, at: null, pinned: false });
const local = (date: string, time: string, at: string): Due => ({ date, time, at: new Date(at), pinned: false });

const NEW_YORK = "America/New_York";
const BERLIN = "Europe/Berlin";
const MONTH_END = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1";

describe("the next occurrence of a rule", () => {
  it("when a weekly Monday todo due Mon 2026-12-07 is completed that day, then it is next due Mon 2026-12-14 at the same time", () => {
    const current = local("2026-12-07", "09:00", "2026-12-07T14:00:00Z");
    const completedAt = new Date("2026-12-07T17:00:00Z");
    expect(nextOccurrence("FREQ=WEEKLY;BYDAY=MO", current, NEW_YORK, completedAt)).toEqual(
      local("2026-12-14", "09:00", "2026-12-14T14:00:00Z"),
    );
  });

  it("when a date-only weekly todo is completed early, then the next is the following week's day", () => {
    const completedAt = new Date("2026-12-05T15:00:00Z");
    expect(nextOccurrence("FREQ=WEEKLY;BYDAY=MO", dateOnly("2026-12-07"), NEW_YORK, completedAt)).toEqual(dateOnly("2026-12-14"));
  });

  it("when a month-end rule is followed from Jan 31, then it goes Feb 28, Mar 31, Apr 30", () => {
    const dates: string[] = [];
    let due = dateOnly("2027-01-31");
    for (let step = 0; step < 3; step++) {
      due = nextOccurrence(MONTH_END, due, NEW_YORK, new Date("2027-01-01T12:00:00Z"));
      dates.push(due.date);
    }
    expect(dates).toEqual(["2027-02-28", "2027-03-31", "2027-04-30"]);
  });

  it("when a month-end rule crosses a leap February, then it is due Feb 29", () => {
    expect(nextOccurrence(MONTH_END, dateOnly("2028-01-31"), NEW_YORK, new Date("2028-01-01T12:00:00Z"))).toEqual(
      dateOnly("2028-02-29"),
    );
  });

  it("when the rule is every 30th, then February falls back to its last day and March is the 30th again", () => {
    const rule = "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1";
    const february = nextOccurrence(rule, dateOnly("2027-01-30"), NEW_YORK, new Date("2027-01-01T12:00:00Z"));
    expect([february.date, nextOccurrence(rule, february, NEW_YORK, new Date("2027-01-01T12:00:00Z")).date]).toEqual([
      "2027-02-28",
      "2027-03-30",
    ]);
  });

  it("when the rule is every 3 days, then it counts from the current due's date", () => {
    expect(nextOccurrence("FREQ=DAILY;INTERVAL=3", dateOnly("2026-12-02"), NEW_YORK, new Date("2026-12-01T12:00:00Z"))).toEqual(
      dateOnly("2026-12-05"),
    );
  });

  it("when the rule is every other week, then it is two weeks after the current due", () => {
    expect(nextOccurrence("FREQ=WEEKLY;INTERVAL=2", dateOnly("2026-12-02"), NEW_YORK, new Date("2026-12-02T12:00:00Z"))).toEqual(
      dateOnly("2026-12-16"),
    );
  });

  it("when the rule is every weekday, then Friday is followed by Monday", () => {
    const friday = local("2026-12-04", "07:00", "2026-12-04T12:00:00Z");
    expect(nextOccurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", friday, NEW_YORK, new Date("2026-12-04T13:00:00Z"))).toEqual(
      local("2026-12-07", "07:00", "2026-12-07T12:00:00Z"),
    );
  });

  it("when a weekly todo is completed two weeks late, then the next occurrence is the first one after now", () => {
    const current = local("2026-12-07", "09:00", "2026-12-07T14:00:00Z");
    const completedAt = new Date("2026-12-22T15:00:00Z"); // Tuesday
    expect(nextOccurrence("FREQ=WEEKLY;BYDAY=MO", current, NEW_YORK, completedAt)).toEqual(
      local("2026-12-28", "09:00", "2026-12-28T14:00:00Z"),
    );
  });

  it("when a daily 07:30 todo is completed days late at 06:00, then today's 07:30 is next", () => {
    const current = local("2026-12-01", "07:30", "2026-12-01T12:30:00Z");
    const completedAt = new Date("2026-12-05T11:00:00Z"); // 06:00 local
    expect(nextOccurrence("FREQ=DAILY", current, NEW_YORK, completedAt)).toEqual(
      local("2026-12-05", "07:30", "2026-12-05T12:30:00Z"),
    );
  });

  it("when a date-only daily todo is completed days late, then the next is tomorrow, not today", () => {
    expect(nextOccurrence("FREQ=DAILY", dateOnly("2026-12-01"), NEW_YORK, new Date("2026-12-05T15:00:00Z"))).toEqual(
      dateOnly("2026-12-06"),
    );
  });

  it.each<[string, string, string, string, string]>([
    [BERLIN, "2026-03-28", "2026-03-28T06:30:00Z", "2026-03-29", "2026-03-29T05:30:00Z"],
    [BERLIN, "2026-10-24", "2026-10-24T05:30:00Z", "2026-10-25", "2026-10-25T06:30:00Z"],
    [NEW_YORK, "2026-03-07", "2026-03-07T12:30:00Z", "2026-03-08", "2026-03-08T11:30:00Z"],
    [NEW_YORK, "2026-10-31", "2026-10-31T11:30:00Z", "2026-11-01", "2026-11-01T12:30:00Z"],
  ])(
    "when a daily 07:30 in %s crosses the DST change after %s, then it stays 07:30 local",
    (timezone, date, at, nextDate, nextAt) => {
      const current = local(date, "07:30", at);
      expect(nextOccurrence("FREQ=DAILY", current, timezone, new Date(at))).toEqual(local(nextDate, "07:30", nextAt));
    },
  );

  it("when the current due was pinned, then the next one keeps its wall-clock time and is not pinned", () => {
    const current: Due = { date: "2026-12-02", time: "10:20", at: new Date("2026-12-02T15:20:00Z"), pinned: true };
    expect(nextOccurrence("FREQ=DAILY", current, NEW_YORK, new Date("2026-12-02T15:21:00Z"))).toEqual(
      local("2026-12-03", "10:20", "2026-12-03T15:20:00Z"),
    );
  });

  it.each(["", "garbage", "FREQ=BOGUS", "FREQ=DAILY;COUNT=1"])(
    "when the rule %j has no next occurrence, then it throws a RangeError",
    (rule) => {
      expect(() => nextOccurrence(rule, dateOnly("2026-12-02"), NEW_YORK, new Date("2026-12-02T15:00:00Z"))).toThrow(RangeError);
    },
  );
});

describe("a rule read out for a reply", () => {
  it.each<[string, string]>([
    ["FREQ=WEEKLY;BYDAY=MO", "every Monday"],
    ["FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday"],
    ["FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Monday, Wednesday and Friday"],
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"],
    ["FREQ=WEEKLY;BYDAY=SA,SU", "every weekend"],
    ["FREQ=WEEKLY", "every week"],
    ["FREQ=WEEKLY;INTERVAL=2", "every other week"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every other Tuesday"],
    ["FREQ=WEEKLY;INTERVAL=3;BYDAY=TU", "every 3 weeks on Tuesday"],
    ["FREQ=DAILY", "every day"],
    ["FREQ=DAILY;INTERVAL=2", "every other day"],
    ["FREQ=DAILY;INTERVAL=3", "every 3 days"],
    ["FREQ=MONTHLY;BYMONTHDAY=1", "every month on the 1st"],
    ["FREQ=MONTHLY;BYMONTHDAY=2", "every month on the 2nd"],
    ["FREQ=MONTHLY;BYMONTHDAY=3", "every month on the 3rd"],
    ["FREQ=MONTHLY;BYMONTHDAY=11", "every month on the 11th"],
    ["FREQ=MONTHLY;BYMONTHDAY=22", "every month on the 22nd"],
    ["FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "every month on the last day"],
    ["FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", "every month on the 30th or last day"],
    ["FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1", "every month on the 29th or last day"],
    ["FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "every 3 months on the 15th"],
    ["FREQ=MONTHLY;BYDAY=1MO", "every month on the first Monday"],
    ["FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"],
    ["FREQ=YEARLY", "every year"],
    ["FREQ=YEARLY;INTERVAL=2", "every other year"],
  ])("when the rule is %s, then it reads %j", (rule, reading) => {
    expect(describeRule(rule)).toBe(reading);
  });

  it("when the rule is one this module does not write, then rrule's own English is used", () => {
    expect(describeRule("FREQ=WEEKLY;BYDAY=MO;COUNT=3")).toBe("every week on Monday for 3 times");
  });

  it("when the rule cannot be read at all, then it reads as repeating", () => {
    expect(describeRule("garbage")).toBe("repeating");
  });
});
