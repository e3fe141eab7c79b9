import { isQuietTime, summarySendTime } from "@sms-todo/rules";
import { localClockAt } from "@sms-todo/shared";

/**
 * A summary missed at its time (the notifiers were down, Redis was restarting) still goes out
 * within this long after it; later, that day's summary is skipped rather than sent hours late.
 */
export const CATCH_UP_MINUTES = 60;

export interface SummarySubject {
  /** "HH:MM" as the user set it; null when the summary is off. */
  summaryTime: string | null;
  timezone: string;
  createdAt: Date;
  /** "YYYY-MM-DD": the latest local date a summary was claimed for, if any. */
  lastClaimedDate: string | null;
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * The local date whose summary is due at `now`, or undefined. Due means: the local clock shows
 * the send time (the chosen time, or 08:00 for a time in quiet hours) or up to CATCH_UP_MINUTES
 * later, outside quiet hours, no summary was claimed for that date yet, and the user existed
 * before the send time, so a first text sent at 08:30 is not followed by a summary at 08:31.
 * Local clocks are read through the time zone data, so a DST change moves the UTC instant.
 */
export function dueSummaryDate(subject: SummarySubject, now: Date): string | undefined {
  if (subject.summaryTime === null) return undefined;
  const clock = localClockAt(now, subject.timezone);
  if (isQuietTime(clock.time)) return undefined;
  const sendTime = summarySendTime(subject.summaryTime);
  const late = minutesOf(clock.time) - minutesOf(sendTime);
  if (late < 0 || late >= CATCH_UP_MINUTES) return undefined;
  if (subject.lastClaimedDate !== null && subject.lastClaimedDate >= clock.date) return undefined;
  const created = localClockAt(subject.createdAt, subject.timezone);
  if (created.date > clock.date || (created.date === clock.date && created.time >= sendTime)) return undefined;
  return clock.date;
}
