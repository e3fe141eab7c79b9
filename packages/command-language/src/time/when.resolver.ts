/**
 * Reading "when" words ("tomorrow at 5pm", "friday", "in 20 minutes", "on the 1st") into a due,
 * relative to the moment they were said, on the user's wall clock. chrono is given that wall clock
 * as a floating date (its reference offset 0), so the process timezone never matters, and its
 * reading is taken as wall-clock fields and turned into an instant with instantOf.
 */
import { ReferenceWithTimezone, type ParsedResult } from "chrono-node/en";
import { addDays, dateOf, dateString, monthDayOnOrAfter, weekdayOnOrAfter, yearDayOnOrAfter } from "./calendar.js";
import { clockOf, type ClockReading } from "./clock-time.js";
import { dayPartOf } from "./day-parts.js";
import { dateOnlyDue, localDue, pinnedDue } from "./due.js";
import { namesDay, readTimeWords } from "./time-words.chrono.js";
import { ORDINAL_DAY_TAG } from "./time-words.parsers.js";
import type { Due } from "./timing.model.js";
import { floatingNow } from "./wall-clock.js";

/** "when" words read: the due, whether they named a day, and the time of day they held. */
export interface WhenReading {
  readonly due: Due;
  /** False for a time of day alone ("at 7am", "morning"): a rule then picks its own days. */
  readonly namedDay: boolean;
  readonly clock: ClockReading | null;
}

/**
 * What fixes the day. An open anchor names something that comes round again (a time of day, a
 * weekday, a day of the month, a day of the year) and means its next occurrence: "at 9" said at
 * 22:00 is tomorrow, "dentist friday 9am" said on Friday at 10:00 is next Friday. A fixed one
 * ("today", "tomorrow", "in 3 days", "march 3 2027", and "by eod" alone, which is today) keeps its
 * day even when its time has passed.
 */
type Anchor = "timeOfDay" | "weekday" | "monthDay" | "yearDay" | "today" | "fixed";

const MINUTE_MS = 60 * 1000;
/** "next friday", "this weekend": chrono's own choice of week stands. */
const WEEK_MODIFIER = /\b(?:next|this|coming)\b/i;

function anchorOf(result: ParsedResult): Anchor {
  const start = result.start;
  if (result.tags().has(ORDINAL_DAY_TAG)) return "monthDay";
  if (start.isCertain("weekday") && !start.isCertain("day")) return "weekday";
  if (start.isCertain("month") && start.isCertain("day") && !start.isCertain("year")) return "yearDay";
  if (namesDay(result)) return "fixed";
  // "by eod" alone is today's end of day, not the next one.
  return dayPartOf(result.text) === "endOfDay" ? "today" : "timeOfDay";
}

function chronoDate(result: ParsedResult): string {
  const start = result.start;
  return dateString(start.get("year") ?? 0, start.get("month") ?? 0, start.get("day") ?? 0);
}

/** The first day the anchor allows on or after `from`. */
function dayOnOrAfter(anchor: Anchor, result: ParsedResult, from: string): string {
  const start = result.start;
  switch (anchor) {
    case "timeOfDay":
    case "today":
      return from;
    case "weekday":
      return weekdayOnOrAfter(from, start.get("weekday") ?? 0);
    case "monthDay":
      return monthDayOnOrAfter(from, start.get("day") ?? 1);
    case "yearDay":
      return yearDayOnOrAfter(from, start.get("month") ?? 1, start.get("day") ?? 1);
    case "fixed":
      return chronoDate(result);
  }
}

/** The due's day before any time is considered: the anchor's next day from today. */
function firstDay(anchor: Anchor, result: ParsedResult, today: string): string {
  if (anchor === "weekday" && WEEK_MODIFIER.test(result.text)) return chronoDate(result);
  return dayOnOrAfter(anchor, result, today);
}

/** A due said relative to now ("in 20 minutes", "2h30m"): now plus the duration chrono read, to the minute. */
function relativeDue(result: ParsedResult, now: Date, reference: Date, timezone: string): Due {
  const start = result.start;
  const said = Date.UTC(
    start.get("year") ?? 0,
    (start.get("month") ?? 1) - 1,
    start.get("day") ?? 1,
    start.get("hour") ?? 0,
    start.get("minute") ?? 0,
    start.get("second") ?? 0,
  );
  // chrono adds the duration to the reference as read through the process's local getters, which
  // could be skewed near the process timezone's own DST changes; measuring the duration from that
  // same reading keeps it exact whatever the process timezone.
  const seen = new ReferenceWithTimezone(reference, 0).getDateWithAdjustedTimezone();
  const seenMs = Date.UTC(
    seen.getFullYear(),
    seen.getMonth(),
    seen.getDate(),
    seen.getHours(),
    seen.getMinutes(),
    seen.getSeconds(),
  );
  const at = Math.round((now.getTime() + said - seenMs) / MINUTE_MS) * MINUTE_MS;
  return pinnedDue(new Date(at), timezone);
}

/** The due at `day` for the clock, or null when no time on that day is still ahead of now. */
function dueOnDay(day: string, clock: ClockReading, timezone: string, now: Date): Due | null {
  const times = clock.kind === "exact" ? [clock.time] : [clock.am, clock.pm];
  const dues = times.map((time) => localDue(day, time, timezone));
  return dues.find((due) => (due.at?.getTime() ?? 0) > now.getTime()) ?? null;
}

/**
 * The timed due. An open anchor moves on to its next day when the time has passed; a fixed one
 * keeps its day: with a time only implied by a part of the day ("tonight" said at 20:30, "by eod"
 * at 18:00) the due becomes that day without a time, and with a said time it stays as said (in
 * the past, for todo-domain to show as overdue).
 */
function timedDue(anchor: Anchor, result: ParsedResult, clock: ClockReading, day: string, now: Date, timezone: string): Due {
  const ahead = dueOnDay(day, clock, timezone, now);
  if (ahead !== null) return ahead;
  if (anchor === "fixed" || anchor === "today") {
    if (clock.kind === "exact") return clock.implied ? dateOnlyDue(day) : localDue(day, clock.time, timezone);
    return localDue(day, clock.pm, timezone);
  }
  let next = day;
  for (let tries = 0; tries < 400; tries++) {
    next = dayOnOrAfter(anchor, result, addDays(next, 1));
    const due = dueOnDay(next, clock, timezone, now);
    if (due !== null) return due;
  }
  throw new RangeError("no day ahead for the time words");
}

/** "this week", "within the week": some day of it, taken as its Friday (the end of the working week). */
const THIS_WEEK = /^(?:(?:by|during|within|for)\s+)?(?:this|the)\s+week$/i;

/**
 * Days said without a time that chrono reads too early: a weekday said on that weekday means the
 * next one ("dentist friday" on a Friday is a week ahead; today is "today"), and "this week" its
 * Friday. Undefined leaves the day to the anchor.
 */
function dayWithoutTime(
  words: string,
  result: ParsedResult,
  anchor: Anchor,
  clock: ClockReading | null,
  today: string,
): string | undefined {
  if (clock !== null) return undefined;
  if (THIS_WEEK.test(words.trim())) return weekdayOnOrAfter(today, 5);
  if (anchor !== "weekday" || WEEK_MODIFIER.test(words)) return undefined;
  const weekday = result.start.get("weekday") ?? 0;
  return weekdayOnOrAfter(today, weekday) === today ? addDays(today, 7) : undefined;
}

/** Reads "when" words said at `now` in `timezone`, or null when they are not time words. */
export function readWhen(words: string, now: Date, timezone: string): WhenReading | null {
  const reference = floatingNow(now, timezone);
  const result = readTimeWords(words, reference);
  if (result === null) return null;
  if (result.tags().has("result/relativeDateAndTime")) {
    const due = relativeDue(result, now, reference, timezone);
    return { due, namedDay: true, clock: { kind: "exact", time: due.time ?? "00:00", implied: false } };
  }
  const anchor = anchorOf(result);
  const clock = clockOf(result);
  const today = dateOf(reference);
  const day = dayWithoutTime(words, result, anchor, clock, today) ?? firstDay(anchor, result, today);
  const due = clock === null ? dateOnlyDue(day) : timedDue(anchor, result, clock, day, now, timezone);
  return { due, namedDay: anchor !== "timeOfDay" && anchor !== "today", clock };
}
