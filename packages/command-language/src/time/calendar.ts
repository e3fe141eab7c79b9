/**
 * Calendar arithmetic on local dates and times as a clock shows them ("YYYY-MM-DD", "HH:MM"),
 * with no timezone at all. A "floating" Date carries such a date and time in its UTC fields, so
 * Date's UTC arithmetic is plain calendar arithmetic whatever the process timezone is; chrono and
 * rrule are both fed and read this way.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** "07", "12": two digits. */
export function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

/** "YYYY-MM-DD" for a year, a month (1–12) and a day. */
export function dateString(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/** "HH:MM" for an hour (0–23) and a minute. */
export function timeString(hour: number, minute: number): string {
  return `${pad2(hour)}:${pad2(minute)}`;
}

/** The number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether a string is a real calendar date "YYYY-MM-DD". */
export function isLocalDate(date: string): boolean {
  const match = DATE.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether a string is a clock time "HH:MM", 00:00 to 23:59. */
export function isLocalTime(time: string): boolean {
  const match = TIME.exec(time);
  return match !== null && Number(match[1]) <= 23 && Number(match[2]) <= 59;
}

/** The floating Date of a local date and time: its UTC fields are the date and time. Throws a RangeError for malformed ones. */
export function floating(date: string, time = "00:00"): Date {
  if (!isLocalDate(date) || !isLocalTime(time)) throw new RangeError(`not a local date and time: ${date} ${time}`);
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const result = new Date(Date.UTC(2000, month - 1, day, hour, minute));
  result.setUTCFullYear(year);
  return result;
}

/** The local date a floating Date carries. */
export function dateOf(floatingDate: Date): string {
  return dateString(floatingDate.getUTCFullYear(), floatingDate.getUTCMonth() + 1, floatingDate.getUTCDate());
}

/** The local time a floating Date carries. */
export function timeOf(floatingDate: Date): string {
  return timeString(floatingDate.getUTCHours(), floatingDate.getUTCMinutes());
}

/** The date `days` days after (or before, when negative) a date. */
export function addDays(date: string, days: number): string {
  return dateOf(new Date(floating(date).getTime() + days * DAY_MS));
}

/** The day of the week of a date: 0 for Sunday to 6 for Saturday. */
export function weekdayOf(date: string): number {
  return floating(date).getUTCDay();
}

/** The first date on or after `date` that falls on `weekday` (0 Sunday to 6 Saturday). */
export function weekdayOnOrAfter(date: string, weekday: number): string {
  return addDays(date, (weekday - weekdayOf(date) + 7) % 7);
}

/** The first date on or after `date` whose day of the month is `day`; months without that day are skipped. */
export function monthDayOnOrAfter(date: string, day: number): string {
  const start = floating(date);
  for (let step = 0; step < 12; step++) {
    const year = start.getUTCFullYear() + Math.floor((start.getUTCMonth() + step) / 12);
    const month = ((start.getUTCMonth() + step) % 12) + 1;
    const candidate = day <= daysInMonth(year, month) ? dateString(year, month, day) : null;
    if (candidate !== null && candidate >= date) return candidate;
  }
  throw new RangeError(`no month has a day ${day}`);
}

/** The first date on or after `date` that is `month`/`day`; years without that day (29 February) are skipped. */
export function yearDayOnOrAfter(date: string, month: number, day: number): string {
  const startYear = floating(date).getUTCFullYear();
  for (let year = startYear; year < startYear + 9; year++) {
    const candidate = day <= daysInMonth(year, month) ? dateString(year, month, day) : null;
    if (candidate !== null && candidate >= date) return candidate;
  }
  throw new RangeError(`no year has ${month}/${day}`);
}
