/**
 * The time of day in chrono's reading of time words: said ("at 5pm", "9:30"), implied by a part
 * of the day ("tonight" is 20:00), or none ("friday"). A bare hour without am/pm from 1 to 6 is
 * the afternoon ("at 5" is 17:00); from 7 to 12 it could be either, and the caller chooses: the
 * next one after now for a one-off, the daytime one for a rule.
 */
import type { ParsedResult } from "chrono-node/en";
import { timeString } from "./calendar.js";
import { DAY_PART_TIMES, dayPartOf, isAfterNoonPart } from "./day-parts.js";

/** A time of day read from time words. */
export type ClockReading =
  /** One time; `implied` when no time was said, only a part of the day ("tonight", "tomorrow morning"). */
  | { readonly kind: "exact"; readonly time: string; readonly implied: boolean }
  /** A bare 7 to 12 ("at 9"): 09:00 or 21:00. */
  | { readonly kind: "either"; readonly am: string; readonly pm: string };

/** "09:30", "0930": a leading zero says the 24-hour clock. */
const TWENTY_FOUR_HOUR = /(?<![\d/])0\d[:.h]?\d{2}(?![\d/])/;

/** The time of day chrono's reading holds, or null when it names only a day. */
export function clockOf(result: ParsedResult): ClockReading | null {
  const part = dayPartOf(result.text);
  // "by eod" carries a certain 17:00 (see time-words.parsers.ts), but no hour was said.
  const saidHour = result.start.isCertain("hour") && !(part === "endOfDay" && !/\d/.test(result.text));
  if (!saidHour) {
    return part === null ? null : { kind: "exact", time: DAY_PART_TIMES[part], implied: true };
  }
  const hour = result.start.get("hour") ?? 0;
  const minute = result.start.get("minute") ?? 0;
  const saidMeridiem = result.start.isCertain("meridiem") || TWENTY_FOUR_HOUR.test(result.text);
  if (saidMeridiem || hour < 1 || hour > 12 || part === "noon" || part === "midnight") {
    return { kind: "exact", time: timeString(hour, minute), implied: false };
  }
  const am = timeString(hour % 12, minute);
  const pm = timeString((hour % 12) + 12, minute);
  if (part !== null) return { kind: "exact", time: isAfterNoonPart(part) ? pm : am, implied: false };
  if (hour <= 6) return { kind: "exact", time: pm, implied: false };
  return { kind: "either", am, pm };
}

/** The time a rule keeps: a bare 7 to 11 is the morning, a bare 12 is noon ("every day at 12"). */
export function dailyTimeOf(clock: ClockReading): string {
  if (clock.kind === "exact") return clock.time;
  return clock.am.startsWith("00:") ? clock.pm : clock.am;
}
