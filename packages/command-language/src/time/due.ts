/**
 * Building dues and carrying them across timezones. A due said relative to the moment ("in 20
 * minutes") is pinned to its instant; any other due is a local date and time on the user's wall
 * clock, whose instant follows the clock.
 */
import type { Due } from "./timing.model.js";
import { instantOf, wallClockAt } from "./wall-clock.js";

/** A due on a local date with no time ("friday"). */
export function dateOnlyDue(date: string): Due {
  return { date, time: null, at: null, pinned: false };
}

/**
 * A due at a local date and time. The time is kept as said even when a DST gap skips it (02:30 on
 * spring-forward day): the instant is then the moment after the gap that instantOf gives.
 */
export function localDue(date: string, time: string, timezone: string): Due {
  return { date, time, at: instantOf(date, time, timezone), pinned: false };
}

/** A due pinned to an instant, dated by the clock of `timezone`. */
export function pinnedDue(at: Date, timezone: string): Due {
  const clock = wallClockAt(at, timezone);
  return { date: clock.date, time: clock.time, at, pinned: true };
}

/** The same due seen in another timezone: pinned dues keep their instant (date/time recomputed), others keep date/time (instant recomputed). */
export function dueInTimezone(due: Due, timezone: string): Due {
  if (due.pinned && due.at !== null) return pinnedDue(due.at, timezone);
  if (due.time !== null) return localDue(due.date, due.time, timezone);
  return due;
}
