import { describe, expect, it } from "vitest";
import { MAX_TIMING_LENGTH } from "@sms-todo/rules";
import { readTiming, type TimedText } from "../src/time.js";

describe("splitting the time words off a todo", () => {
  it.each<[string, TimedText]>([
    ["call mom tomorrow at 5pm", { text: "call mom", timing: { when: "tomorrow at 5pm" } }],
    ["dentist friday 9:30", { text: "dentist", timing: { when: "friday 9:30" } }],
    ["buy milk tonight", { text: "buy milk", timing: { when: "tonight" } }],
    ["in 20 minutes check the oven", { text: "check the oven", timing: { when: "in 20 minutes" } }],
    ["dentist next monday", { text: "dentist", timing: { when: "next monday" } }],
    ["clean the garage this weekend", { text: "clean the garage", timing: { when: "this weekend" } }],
    ["call bob tomorrow morning", { text: "call bob", timing: { when: "tomorrow morning" } }],
    ["stretch in 1h", { text: "stretch", timing: { when: "in 1h" } }],
    ["take the cake out 30m", { text: "take the cake out", timing: { when: "30m" } }],
    ["steep the tea 2h30m", { text: "steep the tea", timing: { when: "2h30m" } }],
    ["nap in 90 min", { text: "nap", timing: { when: "in 90 min" } }],
    ["dentist 12/25", { text: "dentist", timing: { when: "12/25" } }],
    ["call mom the 3rd of march", { text: "call mom", timing: { when: "the 3rd of march" } }],
  ])("when the todo is %j, then its text and time words are %j", (text, expected) => {
    expect(readTiming(text)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ["pay rent on the 1st", "pay rent", "on the 1st"],
    ["pay rent the 15th", "pay rent", "the 15th"],
    ["pay the plumber on the 3rd", "pay the plumber", "on the 3rd"],
    ["book the venue on the 2nd at 9am", "book the venue", "on the 2nd at 9am"],
  ])("when a lone day of the month is said (%j), then it is time words", (text, rest, when) => {
    expect(readTiming(text)).toEqual({ text: rest, timing: { when } });
  });

  it.each<[string, string, string]>([
    ["send report by end of day", "send report", "by end of day"],
    ["send report by eod", "send report", "by eod"],
    ["finish the slides end of the day", "finish the slides", "end of the day"],
    ["submit timesheet by end of the week", "submit timesheet", "by end of the week"],
  ])("when the end of the day or week is said (%j), then it is time words", (text, rest, when) => {
    expect(readTiming(text)).toEqual({ text: rest, timing: { when } });
  });
});

describe("connecting words around the time words", () => {
  it.each<[string, string, string]>([
    ["call sue on sunday", "call sue", "on sunday"],
    ["finish report by friday", "finish report", "by friday"],
    ["report due friday", "report", "due friday"],
    ["book a table for friday", "book a table", "for friday"],
    ["submit the form by 5pm", "submit the form", "by 5pm"],
    ["meet ann at 5pm", "meet ann", "at 5pm"],
  ])("when %j loses its time words, then no connecting word dangles", (text, rest, when) => {
    expect(readTiming(text)).toEqual({ text: rest, timing: { when } });
  });

  it("when the time words sit between commas, then the seam is tidied", () => {
    expect(readTiming("call mom, tomorrow, about the party")).toEqual({
      text: "call mom about the party",
      timing: { when: "tomorrow" },
    });
  });

  it("when the time words come first with a comma, then the text starts with the todo", () => {
    expect(readTiming("on friday, at 9:30, dentist")).toEqual({ text: "dentist", timing: { when: "on friday, at 9:30" } });
  });

  it("when the time words are followed by a full stop, then the stop stays on the text", () => {
    expect(readTiming("buy milk tonight.")).toEqual({ text: "buy milk.", timing: { when: "tonight" } });
  });
});

describe("splitting off the words that make a todo repeat", () => {
  it.each<[string, TimedText]>([
    ["every monday take out the trash", { text: "take out the trash", timing: { every: "every monday" } }],
    ["water plants every 3 days", { text: "water plants", timing: { every: "every 3 days" } }],
    ["pay rent every month on the 1st", { text: "pay rent", timing: { every: "every month on the 1st" } }],
    ["every weekday at 7am stretch", { text: "stretch", timing: { every: "every weekday at 7am" } }],
    ["take pills daily", { text: "take pills", timing: { every: "daily" } }],
    ["walk the dog every day", { text: "walk the dog", timing: { every: "every day" } }],
    ["run every morning", { text: "run", timing: { every: "every morning" } }],
    ["clean the fridge weekly", { text: "clean the fridge", timing: { every: "weekly" } }],
    ["check the bank statement monthly", { text: "check the bank statement", timing: { every: "monthly" } }],
    ["mow the lawn every other week", { text: "mow the lawn", timing: { every: "every other week" } }],
    ["yoga every 2 weeks on tuesday", { text: "yoga", timing: { every: "every 2 weeks on tuesday" } }],
    ["order pizza each friday", { text: "order pizza", timing: { every: "each friday" } }],
    ["put the bins out on mondays", { text: "put the bins out", timing: { every: "on mondays" } }],
    ["pay rent on the 1st of every month", { text: "pay rent", timing: { every: "on the 1st of every month" } }],
    ["book club every first monday of the month", { text: "book club", timing: { every: "every first monday of the month" } }],
    ["water plants every other day at 8pm", { text: "water plants", timing: { every: "every other day at 8pm" } }],
    ["gym every monday morning", { text: "gym", timing: { every: "every monday morning" } }],
  ])("when the todo is %j, then its text and rule words are %j", (text, expected) => {
    expect(readTiming(text)).toEqual(expected);
  });

  it("when rule words and a time are said apart, then both are split off", () => {
    expect(readTiming("gym at 7am every weekday")).toEqual({ text: "gym", timing: { when: "at 7am", every: "every weekday" } });
  });

  it.each(["read the daily news", "pay the monthly bill", "buy everyday plates"])(
    "when %j uses an adverb of repetition as an adjective, then it stays text",
    (text) => {
      expect(readTiming(text)).toEqual({ text });
    },
  );
});

describe("numbers and words that are not times", () => {
  it.each([
    "buy 5 apples",
    "call mom about the 3 kids",
    "read chapter 3",
    "call 911",
    "buy 2 x 4s",
    "room 101",
    "fix the 2nd floor light",
    "fix the light on the 2nd floor",
    "go to may's party",
    "march on washington",
    "sun cream",
    "wed invitations",
    "buy a sat nav",
    "read for 30 minutes",
    "buy 2/4 inch screws",
    "called mom yesterday",
    "do it now",
  ])("when the todo is %j, then it comes back unchanged with no timing", (text) => {
    expect(readTiming(text)).toEqual({ text });
  });

  it.each<[string, string, string]>([
    ["groceries on sat", "groceries", "on sat"],
    ["tennis sat 3pm", "tennis", "sat 3pm"],
  ])("when a weekday abbreviation comes with 'on' or a time (%j), then it is time words", (text, rest, when) => {
    expect(readTiming(text)).toEqual({ text: rest, timing: { when } });
  });

  it.each(["tomorrow", "every monday", "at 5pm, every day"])(
    "when the whole text is time words (%j), then it comes back unchanged with no timing",
    (text) => {
      expect(readTiming(text)).toEqual({ text });
    },
  );

  it("when the text is empty, then it comes back empty with no timing", () => {
    expect(readTiming("")).toEqual({ text: "" });
  });
});

describe("robustness", () => {
  it("when time words would be longer than todo-domain accepts, then they stay text", () => {
    const days = "monday, tuesday, wednesday, thursday, friday, saturday and sunday";
    const text = `stretch every ${days} and ${days} at 7am`;
    expect(text.length).toBeGreaterThan(MAX_TIMING_LENGTH);
    const timing = readTiming(text).timing;
    expect(timing?.every).toBeUndefined();
  });

  it.each([
    ["long prose", "call mom tomorrow at 5pm and ".repeat(60).slice(0, 1_600)],
    ["digits", "1 ".repeat(800)],
    ["repeated rule words", `${"every monday, ".repeat(115)}x`.slice(0, 1_600)],
    ["dashes", "1-".repeat(800)],
    ["ordinals", "on the 1st ".repeat(145)],
  ])("when a 1,600-character input is %s, then it is read in well under 50 ms", (_name, text) => {
    readTiming(text);
    const started = performance.now();
    readTiming(text);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it.each(["\u0000", "🙂 tomorrow 🙂", "every", "on the", "at", ",,,", "the 99th", "every 0 days", "in 99999999999 minutes"])(
    "when the text is the odd input %j, then reading it does not throw",
    (text) => {
      expect(() => readTiming(text)).not.toThrow();
    },
  );
});
