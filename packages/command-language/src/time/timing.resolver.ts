/**
 * todo-domain's half: the user's time words, read relative to the moment they were said in the
 * user's timezone, into a due and, for a recurring todo, its rule.
 */
import { MAX_TIMING_LENGTH } from "@sms-todo/rules";
import { isKnownTimezone } from "@sms-todo/shared";
import { addDays } from "./calendar.js";
import { clockOf, dailyTimeOf } from "./clock-time.js";
import { firstOccurrence, ruleOf } from "./recurrence.js";
import { readRecurrence, type RecurrenceWords } from "./recurrence.words.js";
import { namesDay, readTimeWords } from "./time-words.chrono.js";
import type { Schedule, TimingWords } from "./timing.model.js";
import { floatingNow, instantOf, wallClockAt } from "./wall-clock.js";
import { readWhen, type WhenReading } from "./when.resolver.js";

/** The words trimmed; blank words count as not given. */
function given(words: string | undefined): string | null {
  return typeof words === "string" && words.trim() !== "" ? words.trim() : null;
}

/** Words longer than any the reader splits off (and todo-domain accepts) are not read at all. */
function isTooLong(words: string | undefined): boolean {
  return typeof words === "string" && words.length > MAX_TIMING_LENGTH;
}

/** The time of day a rule's own words hold ("at 7am", "morning"), read as a rule's time; undefined when not understood. */
function ruleTime(timeWords: string, now: Date, timezone: string): string | undefined {
  const result = readTimeWords(timeWords, floatingNow(now, timezone));
  const clock = result === null ? null : clockOf(result);
  return clock === null || result === null || namesDay(result) ? undefined : dailyTimeOf(clock);
}

/**
 * The first due of a rule, with "when" words if any: a day they name is where the rule starts
 * ("every monday" from "next week"), a time they hold is the rule's time unless the rule words
 * said one ("every weekday at 7am"). A bare 7–12 is read as a rule's daytime hour, not the next one.
 */
function recurringSchedule(words: RecurrenceWords, when: WhenReading | null, now: Date, timezone: string): Schedule | null {
  const today = wallClockAt(now, timezone).date;
  let time: string | null = null;
  if (words.timeWords !== null) {
    const said = ruleTime(words.timeWords, now, timezone);
    if (said === undefined) return null;
    time = said;
  } else if (when !== null) {
    time = when.namedDay ? when.due.time : when.clock && dailyTimeOf(when.clock);
  }
  let start = when?.namedDay ? when.due.date : today;
  // Today's time already past: the series starts tomorrow, so "every 3 days at 9" said at 10:00 begins tomorrow.
  if (time !== null && start === today && instantOf(today, time, timezone).getTime() <= now.getTime()) start = addDays(today, 1);
  const rule = ruleOf(words, start);
  return { due: firstOccurrence(rule, start, time, timezone, now), rule };
}

function resolve(words: TimingWords, now: Date, timezone: string): Schedule | null {
  if (!(now instanceof Date) || Number.isNaN(now.getTime()) || !isKnownTimezone(timezone)) return null;
  const whenWords = given(words.when);
  const everyWords = given(words.every);
  if ((whenWords === null && everyWords === null) || isTooLong(words.when) || isTooLong(words.every)) return null;
  const when = whenWords === null ? null : readWhen(whenWords, now, timezone);
  if (whenWords !== null && when === null) return null;
  if (everyWords === null) return when === null ? null : { due: when.due, rule: null };
  const recurrence = readRecurrence(everyWords);
  return recurrence === null ? null : recurringSchedule(recurrence, when, now, timezone);
}

/**
 * Resolves words relative to `now` in `timezone` (IANA). Null when the words are not understood or
 * name a time that cannot be due (e.g. an empty string). Never throws for any string input.
 */
export function resolveTiming(words: TimingWords, now: Date, timezone: string): Schedule | null {
  try {
    return resolve(words, now, timezone);
  } catch {
    return null;
  }
}
