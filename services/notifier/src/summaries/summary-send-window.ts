import type { todo } from "@sms-todo/contracts";
import { isQuietTime } from "@sms-todo/rules";
import { localClockAt } from "@sms-todo/shared";

/**
 * Whether a claimed summary may still go out at `now`: on the local date it was claimed for,
 * outside quiet hours. One held up past 21:00 local (a Twilio outage, a backlog) is dropped;
 * the next day's summary lists the same todos.
 */
export function isSummaryStillSendable(summary: todo.DailySummary, now: Date): boolean {
  let clock;
  try {
    clock = localClockAt(now, summary.timezone);
  } catch {
    // A timezone this runtime does not know: no way to tell the user's night from day.
    return false;
  }
  return clock.date === summary.localDate && !isQuietTime(clock.time);
}
