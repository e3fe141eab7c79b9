/**
 * When texts may reach a user, by the wall clock of the user's timezone. Times are "HH:MM",
 * 24-hour: they compare correctly as text, and are what users text and see.
 */

/** SPEC section 1: no text goes out from 21:00 until 08:00 local time; a summary set inside them comes at 08:00. */
export const QUIET_HOURS = { from: "21:00", until: "08:00" } as const;

/** SPEC section 1: the daily summary's time until the user sets one. */
export const DEFAULT_SUMMARY_TIME = "08:00";

/** Whether an "HH:MM" local time falls in quiet hours. */
export function isQuietTime(time: string): boolean {
  return time >= QUIET_HOURS.from || time < QUIET_HOURS.until;
}

/** When the summary actually goes out for a chosen time: a time in quiet hours moves to their end. */
export function summarySendTime(summaryTime: string): string {
  return isQuietTime(summaryTime) ? QUIET_HOURS.until : summaryTime;
}
