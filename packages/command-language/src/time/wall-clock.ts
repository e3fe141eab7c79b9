/**
 * The user's wall clock and the instants behind it: which local date and time a timezone's clock
 * shows at an instant, and which instant it shows a given local date and time, DST included.
 * Intl's time zone data only; no date library.
 */
import { localClockAt, type LocalClock } from "@sms-todo/shared";
import { floating } from "./calendar.js";

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The local date and time ("YYYY-MM-DD", "HH:MM") a clock in `timezone` shows at `instant`. */
export function wallClockAt(instant: Date, timezone: string): LocalClock {
  return localClockAt(instant, timezone);
}

/** The floating Date of the wall clock at `instant`, seconds included: what chrono is given as "now". */
export function floatingNow(instant: Date, timezone: string): Date {
  const clock = wallClockAt(instant, timezone);
  // Offsets are whole minutes, so the seconds of the wall clock are the seconds of the instant.
  const withinMinute = ((instant.getTime() % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  return new Date(floating(clock.date, clock.time).getTime() + withinMinute);
}

/** The timezone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetAt(instantMs: number, timezone: string): number {
  const minute = Math.floor(instantMs / MINUTE_MS) * MINUTE_MS;
  const clock = wallClockAt(new Date(minute), timezone);
  return floating(clock.date, clock.time).getTime() - minute;
}

/**
 * The instant a clock in `timezone` shows `date` ("YYYY-MM-DD") and `time` ("HH:MM"). A time
 * skipped by a DST change (02:30 on spring-forward day) moves forward by the gap (03:30); a time
 * that happens twice (fall-back) takes the first. Throws a RangeError for a malformed date or time
 * or an unknown timezone.
 */
export function instantOf(date: string, time: string, timezone: string): Date {
  const wall = floating(date, time).getTime();
  // The offsets a day either side: any change of offset near the wall time lies between them.
  const before = offsetAt(wall - DAY_MS, timezone);
  const after = offsetAt(wall + DAY_MS, timezone);
  const shows = (instant: number): boolean => instant + offsetAt(instant, timezone) === wall;
  const candidates = [wall - before, wall - after].filter(shows).sort((a, b) => a - b);
  // No instant shows a time in a spring-forward gap; read with the offset before the change, it
  // lands as far past the change as the time was past its start.
  return new Date(candidates[0] ?? wall - before);
}
