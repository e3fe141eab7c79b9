/**
 * Wall-clock time in a user's timezone, for the daily summary and quiet hours. Times are
 * "HH:MM" strings: they compare correctly as text, and are what users text and see.
 */

/** No text goes out from 21:00 until 08:00 local time; a summary set inside them comes at 08:00. */
export const QUIET_HOURS = { from: "21:00", until: "08:00" } as const;

/** The daily summary's time until the user sets one. */
export const DEFAULT_SUMMARY_TIME = "08:00";

export interface LocalClock {
  /** "YYYY-MM-DD" */
  date: string;
  /** "HH:MM", 24-hour */
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    // Throws a RangeError for a name the runtime's time zone data does not know.
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Whether the runtime's time zone data knows the name; a known one's formatter stays cached for localClockAt. */
export function isKnownTimezone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The date and time a clock in `timezone` shows at `instant`, DST included. */
export function localClockAt(instant: Date, timezone: string): LocalClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timezone).formatToParts(instant)) parts[part.type] = part.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Whether an "HH:MM" local time falls in quiet hours. */
export function isQuietTime(time: string): boolean {
  return time >= QUIET_HOURS.from || time < QUIET_HOURS.until;
}

/** When the summary actually goes out for a chosen time: a time in quiet hours moves to their end. */
export function summarySendTime(summaryTime: string): string {
  return isQuietTime(summaryTime) ? QUIET_HOURS.until : summaryTime;
}
