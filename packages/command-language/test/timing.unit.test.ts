import { describe, expect, it } from "vitest";
import { isQuietTime, MAX_TIMING_LENGTH } from "@sms-todo/rules";
import { resolveTiming, type Due, type Schedule } from "../src/time.js";
import { DAY_PART_TIMES } from "../src/time/day-parts.js";

const NEW_YORK = "America/New_York";
/** Wednesday 2026-12-02 10:00 in New York (EST, UTC-5). */
const WEDNESDAY_10AM = new Date("2026-12-02T15:00:00Z");

const dateOnly = (date: string): Due => ({ date, time: null, at: null, pinned: false });
const local = (date: string, time: string, at: string): Due => ({ date, time, at: new Date(at), pinned: false });
const pinned = (date: string, time: string, at: string): Due => ({ date, time, at: new Date(at), pinned: true });
const when = (words: string, now = WEDNESDAY_10AM, timezone = NEW_YORK): Schedule | null =>
  resolveTiming({ when: words }, now, timezone);
const every = (words: string, now = WEDNESDAY_10AM, timezone = NEW_YORK): Schedule | null =>
  resolveTiming({ every: words }, now, timezone);

describe("a due with a day and a time", () => {
  it.each<[string, Due]>([
    ["tomorrow at 5pm", local("2026-12-03", "17:00", "2026-12-03T22:00:00Z")],
    ["friday 9:30", local("2026-12-04", "09:30", "2026-12-04T14:30:00Z")],
    ["on friday, at 9:30", local("2026-12-04", "09:30", "2026-12-04T14:30:00Z")],
    ["sat 3pm", local("2026-12-05", "15:00", "2026-12-05T20:00:00Z")],
    ["tomorrow at noon", local("2026-12-03", "12:00", "2026-12-03T17:00:00Z")],
    ["tomorrow at 9", local("2026-12-03", "09:00", "2026-12-03T14:00:00Z")],
    ["friday at 5", local("2026-12-04", "17:00", "2026-12-04T22:00:00Z")],
    ["tonight at 8", local("2026-12-02", "20:00", "2026-12-03T01:00:00Z")],
  ])("when %j is said on Wednesday at 10:00, then it is due %j", (words, due) => {
    expect(when(words)).toEqual({ due, rule: null });
  });

  it("when a time is said in the 24-hour clock with a leading zero, then it is that hour, not the next 9 o'clock", () => {
    expect(when("at 09:30")?.due).toEqual(local("2026-12-03", "09:30", "2026-12-03T14:30:00Z"));
  });
});

describe("a time implied by a part of the day", () => {
  it.each<[string, Due]>([
    ["tomorrow morning", local("2026-12-03", "09:00", "2026-12-03T14:00:00Z")],
    ["tomorrow afternoon", local("2026-12-03", "15:00", "2026-12-03T20:00:00Z")],
    ["tomorrow evening", local("2026-12-03", "19:00", "2026-12-04T00:00:00Z")],
    ["tomorrow night", local("2026-12-03", "20:00", "2026-12-04T01:00:00Z")],
    ["tonight", local("2026-12-02", "20:00", "2026-12-03T01:00:00Z")],
    ["this evening", local("2026-12-02", "19:00", "2026-12-03T00:00:00Z")],
    ["noon", local("2026-12-02", "12:00", "2026-12-02T17:00:00Z")],
    ["by end of day", local("2026-12-02", "17:00", "2026-12-02T22:00:00Z")],
    ["by eod", local("2026-12-02", "17:00", "2026-12-02T22:00:00Z")],
    ["end of the day", local("2026-12-02", "17:00", "2026-12-02T22:00:00Z")],
    ["tomorrow eod", local("2026-12-03", "17:00", "2026-12-03T22:00:00Z")],
    ["eod tomorrow", local("2026-12-03", "17:00", "2026-12-03T22:00:00Z")],
    ["by end of the week", local("2026-12-04", "17:00", "2026-12-04T22:00:00Z")],
  ])("when %j is said on Wednesday at 10:00, then it is due %j", (words, due) => {
    expect(when(words)?.due).toEqual(due);
  });

  it.each(Object.entries(DAY_PART_TIMES).filter(([part]) => part !== "midnight"))(
    "when %s is the part of the day, then its default %s is outside the quiet hours",
    (_part, time) => {
      expect(isQuietTime(time)).toBe(false);
    },
  );

  it("when tonight is said at 20:30, after its default 20:00, then it is due today with no time", () => {
    expect(when("tonight", new Date("2026-12-03T01:30:00Z"))?.due).toEqual(dateOnly("2026-12-02"));
  });

  it("when by eod is said at 18:00, then it is due today with no time", () => {
    expect(when("by eod", new Date("2026-12-02T23:00:00Z"))?.due).toEqual(dateOnly("2026-12-02"));
  });

  it("when by end of the week is said on a Saturday, then it is next Friday at 17:00", () => {
    expect(when("by end of the week", new Date("2026-12-05T15:00:00Z"))?.due).toEqual(
      local("2026-12-11", "17:00", "2026-12-11T22:00:00Z"),
    );
  });

  it("when morning alone is said at 11:00, then it is the next morning", () => {
    expect(when("morning", new Date("2026-12-02T16:00:00Z"))?.due).toEqual(local("2026-12-03", "09:00", "2026-12-03T14:00:00Z"));
  });
});

describe("a due with only a date", () => {
  it.each<[string, string]>([
    ["friday", "2026-12-04"],
    ["by friday", "2026-12-04"],
    ["on sunday", "2026-12-06"],
    ["this weekend", "2026-12-05"],
    ["next monday", "2026-12-07"],
    ["today", "2026-12-02"],
    ["wednesday", "2026-12-09"],
    ["this week", "2026-12-04"],
    ["in 3 days", "2026-12-05"],
    ["on the 1st", "2027-01-01"],
    ["the 15th", "2026-12-15"],
    ["12/25", "2026-12-25"],
    ["march 3", "2027-03-03"],
    ["the 3rd of march", "2027-03-03"],
    ["end of the month", "2026-12-31"],
  ])("when %j is said on Wednesday 2026-12-02, then it is due %s with no time", (words, date) => {
    expect(when(words)?.due).toEqual(dateOnly(date));
  });

  it("when a weekday is said the day after it, then it is next week's", () => {
    expect(when("friday", new Date("2026-12-05T15:00:00Z"))?.due).toEqual(dateOnly("2026-12-11"));
  });

  it("when the 1st is said on the 1st, then it is today", () => {
    expect(when("on the 1st", new Date("2026-12-01T15:00:00Z"))?.due).toEqual(dateOnly("2026-12-01"));
  });

  it("when the 31st is said in a month of 30 days, then it is the next month that has one", () => {
    expect(when("on the 31st", new Date("2026-11-05T15:00:00Z"))?.due).toEqual(dateOnly("2026-12-31"));
  });
});

describe("a time without am or pm, or already past", () => {
  it("when at 9 is said at 10:00, then it is 21:00 today", () => {
    expect(when("at 9")?.due).toEqual(local("2026-12-02", "21:00", "2026-12-03T02:00:00Z"));
  });

  it("when at 9 is said at 22:00, then it is 09:00 tomorrow", () => {
    expect(when("at 9", new Date("2026-12-03T03:00:00Z"))?.due).toEqual(local("2026-12-03", "09:00", "2026-12-03T14:00:00Z"));
  });

  it("when at 9 is said at 08:00, then it is 09:00 today", () => {
    expect(when("at 9", new Date("2026-12-02T13:00:00Z"))?.due).toEqual(local("2026-12-02", "09:00", "2026-12-02T14:00:00Z"));
  });

  it.each<[string, string]>([
    ["at 1", "13:00"],
    ["at 5", "17:00"],
    ["at 6:30", "18:30"],
  ])("when %j is said, then a bare hour from 1 to 6 is the afternoon (%s)", (words, time) => {
    expect(when(words)?.due.time).toBe(time);
  });

  it("when at 5pm is said at 18:00, then it is 17:00 tomorrow", () => {
    expect(when("at 5pm", new Date("2026-12-02T23:00:00Z"))?.due).toEqual(local("2026-12-03", "17:00", "2026-12-03T22:00:00Z"));
  });

  it("when a weekday and time are said that day after the time, then it is next week's", () => {
    expect(when("wednesday 9am")?.due).toEqual(local("2026-12-09", "09:00", "2026-12-09T14:00:00Z"));
  });

  it("when a weekday and a bare hour are said that day after the morning hour, then it is the evening hour", () => {
    expect(when("wednesday at 9")?.due).toEqual(local("2026-12-02", "21:00", "2026-12-03T02:00:00Z"));
  });

  it("when a day of the month and time are said that day after the time, then it is next month's", () => {
    expect(when("on the 2nd at 9am")?.due).toEqual(local("2027-01-02", "09:00", "2027-01-02T14:00:00Z"));
  });

  it("when today and a past time are said, then the due stays today at that time (overdue)", () => {
    expect(when("today at 9am")?.due).toEqual(local("2026-12-02", "09:00", "2026-12-02T14:00:00Z"));
  });
});

describe("a due relative to the moment it was said", () => {
  it.each<[string, Due]>([
    ["in 20 minutes", pinned("2026-12-02", "10:20", "2026-12-02T15:20:00Z")],
    ["in 1h", pinned("2026-12-02", "11:00", "2026-12-02T16:00:00Z")],
    ["in 1 hour", pinned("2026-12-02", "11:00", "2026-12-02T16:00:00Z")],
    ["in 2 hours", pinned("2026-12-02", "12:00", "2026-12-02T17:00:00Z")],
    ["in 90 min", pinned("2026-12-02", "11:30", "2026-12-02T16:30:00Z")],
    ["1h", pinned("2026-12-02", "11:00", "2026-12-02T16:00:00Z")],
    ["30m", pinned("2026-12-02", "10:30", "2026-12-02T15:30:00Z")],
    ["2h30m", pinned("2026-12-02", "12:30", "2026-12-02T17:30:00Z")],
    ["in 16 hours", pinned("2026-12-03", "02:00", "2026-12-03T07:00:00Z")],
  ])("when %j is said at 10:00, then it is pinned at %j", (words, due) => {
    expect(when(words)?.due).toEqual(due);
  });

  it("when in 20 minutes is said at 10:00:40, then the due is rounded to the minute (10:21)", () => {
    expect(when("in 20 minutes", new Date("2026-12-02T15:00:40Z"))?.due).toEqual(
      pinned("2026-12-02", "10:21", "2026-12-02T15:21:00Z"),
    );
  });

  it("when in 1 hour is said across the fall-back change, then the due is one real hour later", () => {
    // 2026-11-01 01:30 EDT (05:30Z); an hour later the clock shows 01:30 again, now EST.
    expect(when("in 1 hour", new Date("2026-11-01T05:30:00Z"))?.due).toEqual(
      pinned("2026-11-01", "01:30", "2026-11-01T06:30:00Z"),
    );
  });

  it("when a timezone with a 45-minute offset is used, then the pinned due is on its clock", () => {
    expect(when("in 20 minutes", WEDNESDAY_10AM, "Asia/Kathmandu")?.due).toEqual(
      pinned("2026-12-02", "21:05", "2026-12-02T15:20:00Z"),
    );
  });
});

describe("a recurring todo", () => {
  it.each<[string, Schedule]>([
    ["every monday", { due: dateOnly("2026-12-07"), rule: "FREQ=WEEKLY;BYDAY=MO" }],
    ["each friday", { due: dateOnly("2026-12-04"), rule: "FREQ=WEEKLY;BYDAY=FR" }],
    ["on mondays", { due: dateOnly("2026-12-07"), rule: "FREQ=WEEKLY;BYDAY=MO" }],
    ["every 3 days", { due: dateOnly("2026-12-02"), rule: "FREQ=DAILY;INTERVAL=3" }],
    ["every month on the 1st", { due: dateOnly("2027-01-01"), rule: "FREQ=MONTHLY;BYMONTHDAY=1" }],
    ["on the 1st of every month", { due: dateOnly("2027-01-01"), rule: "FREQ=MONTHLY;BYMONTHDAY=1" }],
    ["daily", { due: dateOnly("2026-12-02"), rule: "FREQ=DAILY" }],
    ["every day", { due: dateOnly("2026-12-02"), rule: "FREQ=DAILY" }],
    ["weekly", { due: dateOnly("2026-12-02"), rule: "FREQ=WEEKLY" }],
    ["monthly", { due: dateOnly("2026-12-02"), rule: "FREQ=MONTHLY;BYMONTHDAY=2" }],
    ["yearly", { due: dateOnly("2026-12-02"), rule: "FREQ=YEARLY" }],
    ["every other week", { due: dateOnly("2026-12-02"), rule: "FREQ=WEEKLY;INTERVAL=2" }],
    ["every 2 weeks", { due: dateOnly("2026-12-02"), rule: "FREQ=WEEKLY;INTERVAL=2" }],
    ["every 2 weeks on tuesday", { due: dateOnly("2026-12-08"), rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" }],
    ["every weekday", { due: dateOnly("2026-12-02"), rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" }],
    ["every first monday of the month", { due: dateOnly("2026-12-07"), rule: "FREQ=MONTHLY;BYDAY=1MO" }],
  ])("when the rule words are %j, then the schedule is %j", (words, schedule) => {
    expect(every(words)).toEqual(schedule);
  });

  it.each<[string, string]>([
    ["every month on the 31st", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"],
    ["every month on the 30th", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"],
    ["every month on the 29th", "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"],
    ["every month on the 28th", "FREQ=MONTHLY;BYMONTHDAY=28"],
  ])("when the rule is %j, then shorter months fall back to their last day: %s", (words, rule) => {
    expect(every(words)?.rule).toBe(rule);
  });

  it("when every month on the 31st is said in February, then it is first due on February's last day", () => {
    expect(every("every month on the 31st", new Date("2027-02-10T15:00:00Z"))?.due).toEqual(dateOnly("2027-02-28"));
  });

  it.each<[string, Schedule]>([
    [
      "every weekday at 7am",
      { due: local("2026-12-03", "07:00", "2026-12-03T12:00:00Z"), rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" },
    ],
    ["every day at 8pm", { due: local("2026-12-02", "20:00", "2026-12-03T01:00:00Z"), rule: "FREQ=DAILY" }],
    ["every morning", { due: local("2026-12-03", "09:00", "2026-12-03T14:00:00Z"), rule: "FREQ=DAILY" }],
    ["every monday morning", { due: local("2026-12-07", "09:00", "2026-12-07T14:00:00Z"), rule: "FREQ=WEEKLY;BYDAY=MO" }],
    ["every day at 9", { due: local("2026-12-03", "09:00", "2026-12-03T14:00:00Z"), rule: "FREQ=DAILY" }],
    ["every wednesday at 11", { due: local("2026-12-02", "11:00", "2026-12-02T16:00:00Z"), rule: "FREQ=WEEKLY;BYDAY=WE" }],
    ["every 3 days at 9am", { due: local("2026-12-03", "09:00", "2026-12-03T14:00:00Z"), rule: "FREQ=DAILY;INTERVAL=3" }],
  ])("when the rule words %j hold a time, then the due has it and the rule has no BYHOUR: %j", (words, schedule) => {
    expect(every(words)).toEqual(schedule);
  });

  it("when the rule's day is today and its time has passed, then the first due is next week's", () => {
    expect(every("every wednesday at 9am")?.due).toEqual(local("2026-12-09", "09:00", "2026-12-09T14:00:00Z"));
  });

  it("when every and when words are said apart, then they combine", () => {
    expect(resolveTiming({ every: "every monday", when: "at 7am" }, WEDNESDAY_10AM, NEW_YORK)).toEqual({
      due: local("2026-12-07", "07:00", "2026-12-07T12:00:00Z"),
      rule: "FREQ=WEEKLY;BYDAY=MO",
    });
  });

  it("when the when words name a later day, then the rule starts there", () => {
    expect(resolveTiming({ every: "every monday", when: "next week" }, WEDNESDAY_10AM, NEW_YORK)).toEqual({
      due: dateOnly("2026-12-14"),
      rule: "FREQ=WEEKLY;BYDAY=MO",
    });
  });
});

describe("words that cannot be due", () => {
  it.each<[string, { when?: string; every?: string }]>([
    ["nothing", {}],
    ["empty when", { when: "" }],
    ["blank when", { when: "   " }],
    ["not time words", { when: "blah" }],
    ["time words and more", { when: "tomorrow blah" }],
    ["two times", { when: "tomorrow and friday" }],
    ["not rule words", { every: "every so often" }],
    ["rule words with a count of zero", { every: "every 0 days" }],
    ["rule words with no such day", { every: "every month on the 32nd" }],
    ["understood rule words with bad when words", { every: "every monday", when: "blah" }],
    ["past words", { when: "yesterday" }],
    [
      "longer than the reader ever sends",
      { every: "every monday, tuesday, wednesday, thursday, friday, saturday and sunday morning at 7" },
    ],
  ])("when the words are %s, then there is no schedule", (_name, words) => {
    expect(resolveTiming(words, WEDNESDAY_10AM, NEW_YORK)).toBeNull();
  });

  it("when the rule words are just within the length limit, then they are read", () => {
    const words = "every monday, tuesday, wednesday, thursday, friday and saturday morning at 7";
    expect(words.length).toBeLessThanOrEqual(MAX_TIMING_LENGTH);
    expect(every(words)?.rule).toBe("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA");
    expect(every(`${words}${" ".repeat(MAX_TIMING_LENGTH)}`)).toBeNull();
  });

  it("when the timezone is unknown, then there is no schedule", () => {
    expect(resolveTiming({ when: "tomorrow" }, WEDNESDAY_10AM, "Mars/Olympus_Mons")).toBeNull();
  });

  it("when the moment is not a valid date, then there is no schedule", () => {
    expect(resolveTiming({ when: "tomorrow" }, new Date(Number.NaN), NEW_YORK)).toBeNull();
  });

  it.each([
    "\u0000",
    "🙂",
    "at 99",
    "on the 99th",
    "in 99999999999 minutes",
    "every 99 months on the 31st",
    "((((",
    "at at at at",
  ])("when the odd words %j are resolved, then it does not throw", (words) => {
    expect(() => resolveTiming({ when: words, every: words }, WEDNESDAY_10AM, NEW_YORK)).not.toThrow();
    expect(() => resolveTiming({ when: words }, WEDNESDAY_10AM, NEW_YORK)).not.toThrow();
  });
});

describe("the process timezone", () => {
  const samples: readonly (readonly [string, Date])[] = [
    ["tomorrow at 5pm", WEDNESDAY_10AM],
    ["at 9", WEDNESDAY_10AM],
    ["in 2 hours", new Date("2026-03-08T09:30:00Z")],
    ["tonight", new Date("2026-11-01T08:30:00Z")],
    ["friday", new Date("2026-03-08T02:30:00Z")],
  ];

  it.each(["America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham"])(
    "when the process runs in %s, even at its own DST changes, then every schedule is the same as in UTC",
    (processTimezone) => {
      const resolveAll = (): (Schedule | null)[] => samples.map(([words, now]) => resolveTiming({ when: words }, now, "UTC"));
      const saved = process.env.TZ;
      try {
        process.env.TZ = "UTC";
        const inUtc = resolveAll();
        process.env.TZ = processTimezone;
        expect(resolveAll()).toEqual(inUtc);
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    },
  );
});
