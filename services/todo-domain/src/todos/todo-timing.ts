import { nextOccurrence, resolveTiming, type TimingWords } from "@sms-todo/command-language/time";
import type { TodoRow } from "../databases/todo/todo.schema.js";
import { dueColumnsOf, dueOfRow, scheduleColumnsOf, type DueColumns, type UserClock } from "./todo-due.js";

/**
 * Reading the time words a todo came with, in the user's timezone, and moving a recurring todo
 * on. The command language split the words off the text; the same module reads them here.
 */

/** The texts and the due columns of each, read relative to the clock. */
export function timedTexts(
  texts: readonly string[],
  timings: ReadonlyArray<TimingWords | undefined>,
  clock: UserClock,
): { texts: string[]; dues: Array<DueColumns | undefined> } {
  const read = texts.map((text, index) => timedText(text, timings[index], clock));
  return { texts: read.map((todo) => todo.text), dues: read.map((todo) => todo.due) };
}

/**
 * One text with its words. Words that cannot be read (a caller on another version of the
 * language) go back into the text, so nothing the user wrote is lost.
 */
function timedText(text: string, words: TimingWords | undefined, clock: UserClock): { text: string; due?: DueColumns } {
  if (words === undefined) return { text };
  const schedule = resolveTiming(words, clock.now, clock.timezone);
  if (schedule !== null) return { text, due: scheduleColumnsOf(schedule) };
  return { text: [text, words.every, words.when].filter((part) => part !== undefined && part !== "").join(" ") };
}

/** The due of a recurring todo's next occurrence after the clock's moment; undefined for a todo that does not repeat. */
export function nextDueOf(row: TodoRow, clock: UserClock): DueColumns | undefined {
  const due = dueOfRow(row);
  if (row.recurrence === null || due === undefined) return undefined;
  return dueColumnsOf(nextOccurrence(row.recurrence, due, clock.timezone, clock.now), row.recurrence);
}
