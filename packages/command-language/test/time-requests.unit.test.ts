import { describe, expect, it } from "vitest";
import { DEFAULT_SNOOZE } from "@sms-todo/rules";
import { parseCommand, type Command, type TodoSelector } from "../src/index.js";

// What users text about time besides a todo with a due: moving a todo, ending a series, lists by due.

const reschedule = (target: TodoSelector, when: string): Command => ({ kind: "reschedule", target, when });
const number = (value: number) => ({ by: "number", number: value }) as const;
const reference = { by: "reference" } as const;

describe("time requests", () => {
  it.each<[string, Command]>([
    ["snooze 4 1h", reschedule(number(4), "in 1h")],
    ["Snooze #4 for 30 minutes", reschedule(number(4), "in 30 minutes")],
    ["snooze 2 until 6pm", reschedule(number(2), "6pm")],
    ["postpone #4 to friday", reschedule(number(4), "friday")],
    ["push 3 to next week", reschedule(number(3), "next week")],
    ["move task 5 to tomorrow at 9am", reschedule(number(5), "tomorrow at 9am")],
    ["delay 2 by 2 hours", reschedule(number(2), "in 2 hours")],
    ["move the dentist to tuesday", reschedule({ by: "name", name: "dentist" }, "tuesday")],
    ["change lunch appt to 2", reschedule({ by: "name", name: "lunch appt" }, "at 2")],
    ["snooze", reschedule(reference, DEFAULT_SNOOZE)],
    ["snooze it", reschedule(reference, DEFAULT_SNOOZE)],
    ["later", reschedule(reference, DEFAULT_SNOOZE)],
    ["remind me later", reschedule(reference, DEFAULT_SNOOZE)],
    ["remind me again tomorrow", reschedule(reference, "tomorrow")],
    ["again in 20 minutes", reschedule(reference, "in 20 minutes")],
  ])("when the text is %j, then it moves a todo: %j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each<[string, Command]>([
    ["stop repeating 4", { kind: "stop-repeating", target: number(4) }],
    ["don't repeat #2 anymore", { kind: "stop-repeating", target: number(2) }],
    ["3 stop repeating", { kind: "stop-repeating", target: number(3) }],
    ["stop repeating it", { kind: "stop-repeating", target: reference }],
    ["stop repeating the trash", { kind: "stop-repeating", target: { by: "name", name: "trash" } }],
  ])("when the text is %j, then the series ends: %j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each<[string, Command]>([
    ["what's due today", { kind: "list", due: "today" }],
    ["due today", { kind: "list", due: "today" }],
    ["due this week", { kind: "list", due: "week" }],
    ["what is due this week?", { kind: "list", due: "week" }],
    ["overdue", { kind: "list", due: "overdue" }],
    ["anything overdue?", { kind: "list", due: "overdue" }],
    ["what's on my list for today", { kind: "list", due: "today" }],
  ])("when the text is %j, then a list by due is asked for: %j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    "change 2 to buy oat milk",
    "change the tires",
    "move the couch",
    "push the car",
    "move milk to my shopping list",
    "snooze button broken",
  ])("when the text %j names no new time, then it is not a reschedule", (text) => {
    expect(parseCommand(text).kind).not.toBe("reschedule");
  });
});
