/**
 * Recurrence rules: writing the RFC 5545 rule for rule words, and finding a rule's occurrences
 * with rrule. rrule works on floating dates (a Date whose UTC fields are the local wall clock, no
 * TZID), so a daily 07:30 stays 07:30 local across DST; each occurrence is turned into an instant
 * with instantOf.
 */
import rrulePackage from "rrule";
import { addDays, dateOf, floating } from "./calendar.js";
import { dateOnlyDue, localDue } from "./due.js";
import type { RecurrenceWords } from "./recurrence.words.js";
import type { Due } from "./timing.model.js";
import { wallClockAt } from "./wall-clock.js";

// rrule ships CommonJS for Node: its named exports are only reachable through the default one.
const { RRule } = rrulePackage;

/** More skipped occurrences than this (a rule completed years late) means something is wrong with the rule. */
const MAX_SKIPPED = 5_000;

/**
 * BYMONTHDAY for a day of the month. Days 29 to 31 fall back to a shorter month's last day: "the
 * 31st" is the last of 28–31 that the month has, "the 30th" the last of 28–30 (so 30 April but
 * 28 February), "the 29th" the last of 28–29.
 */
function monthDayParts(day: number): string {
  if (day <= 28) return `BYMONTHDAY=${day}`;
  const days = Array.from({ length: day - 27 }, (_, index) => 28 + index);
  return `BYMONTHDAY=${days.join(",")};BYSETPOS=-1`;
}

/**
 * The rule (without DTSTART) for rule words whose first due is on or after `start`. A monthly rule
 * with no day said repeats on `start`'s day; a rule with no weekday said ("every other week")
 * repeats on the weekday of its first due, which rrule takes from DTSTART. A yearly rule first due
 * on 29 February recurs only in leap years, as RFC 5545 has it.
 */
export function ruleOf(words: RecurrenceWords, start: string): string {
  const parts = [`FREQ=${words.frequency}`];
  if (words.interval > 1) parts.push(`INTERVAL=${words.interval}`);
  if (words.byDay.length > 0) parts.push(`BYDAY=${words.byDay.join(",")}`);
  else if (words.frequency === "MONTHLY") parts.push(monthDayParts(words.monthDay ?? Number(start.slice(8))));
  return parts.join(";");
}

type Rule = InstanceType<typeof RRule>;
type RuleOptions = ReturnType<typeof RRule.parseString>;

/** The rule's parts as rrule reads them; a RangeError for a rule it cannot read or one without FREQ. */
function optionsOf(rule: string): RuleOptions {
  let options: RuleOptions;
  try {
    options = RRule.parseString(rule);
  } catch {
    throw new RangeError(`not a recurrence rule: ${rule}`);
  }
  if (options.freq === undefined || options.freq === null) throw new RangeError(`not a recurrence rule: ${rule}`);
  return options;
}

/**
 * The rule anchored at a local date and time; with `eachInterval`, its INTERVAL dropped. Throws a
 * RangeError for a rule rrule cannot read.
 */
function ruleFrom(rule: string, date: string, time: string | null, eachInterval = false): Rule {
  const options = optionsOf(rule);
  const interval = eachInterval ? { interval: 1 } : {};
  return new RRule({ ...options, ...interval, tzid: null, dtstart: floating(date, time ?? "00:00") });
}

/** The due of an occurrence (a floating date) at the rule's time. */
function dueOf(occurrence: Date, time: string | null, timezone: string): Due {
  return time === null ? dateOnlyDue(dateOf(occurrence)) : localDue(dateOf(occurrence), time, timezone);
}

/** The first occurrence from `from` (inclusive or not) whose due `isAhead` accepts. */
function firstAhead(
  rule: Rule,
  from: Date,
  inclusive: boolean,
  time: string | null,
  timezone: string,
  isAhead: (due: Due) => boolean,
): Due {
  let occurrence = rule.after(from, inclusive);
  for (let skipped = 0; occurrence !== null && skipped < MAX_SKIPPED; skipped++) {
    const due = dueOf(occurrence, time, timezone);
    if (isAhead(due)) return due;
    occurrence = rule.after(occurrence, false);
  }
  throw new RangeError("the rule has no occurrence ahead");
}

/**
 * The first due of a rule on or after the local date `start`, at `time` (or date-only): today
 * counts only when its time, if any, is still ahead of `now`. The interval is not counted from
 * `start` but from the first due: "every 2 weeks on tuesday" said on a Wednesday is first due the
 * next day that is a Tuesday, not the Tuesday of the week after (as RFC 5545 would count from a
 * DTSTART on that Wednesday); nextOccurrence then counts from each due.
 */
export function firstOccurrence(rule: string, start: string, time: string | null, timezone: string, now: Date): Due {
  const today = wallClockAt(now, timezone).date;
  const isAhead = (due: Due): boolean => (due.at === null ? due.date >= today : due.at.getTime() > now.getTime());
  return firstAhead(ruleFrom(rule, start, time, true), floating(start, time ?? "00:00"), true, time, timezone, isAhead);
}

/**
 * The first occurrence of `rule` strictly after the current due's local date (and time), in
 * wall-clock terms of `timezone`, and never at or before `now` (skip occurrences already past). A
 * date-only occurrence counts as past on its own day: a todo completed late on a day it was due
 * again is done for that day too. The next due keeps the current due's time and is never pinned.
 * Throws a RangeError for a rule rrule cannot read or one that has ended.
 */
export function nextOccurrence(rule: string, current: Due, timezone: string, now: Date): Due {
  const today = wallClockAt(now, timezone).date;
  const isAhead = (due: Due): boolean => (due.at === null ? due.date > today : due.at.getTime() > now.getTime());
  const anchored = ruleFrom(rule, current.date, current.time);
  const after = floating(current.date, current.time ?? "00:00");
  // Completed days late: start looking from yesterday rather than walking every missed occurrence.
  const yesterday = floating(addDays(today, -1), "00:00");
  const from = yesterday > after ? yesterday : after;
  return firstAhead(anchored, from, false, current.time, timezone, isAhead);
}
