import { describeRule, type Due, type Schedule } from "@sms-todo/command-language/time";
import { isKnownTimezone, localClockAt } from "@sms-todo/shared";
import type { TodoRow, User } from "../databases/todo/todo.schema.js";
import type { DueDay, DueFilter, DueView, TodoItem } from "../outcomes/outcome.types.js";
import { timezoneOfPhoneNumber } from "../users/phone-timezone.js";

/**
 * Todos and time: the columns a due is stored in, the due a row holds, and how a due looks from
 * the user's today. The words themselves are read by the command language's time module, in the
 * user's timezone (todo-domain is the one that knows it).
 */

/** A user's wall clock: the moment, and the zone their dues and today are read in. */
export interface UserClock {
  readonly now: Date;
  readonly timezone: string;
}

/** The zone the user set, else their phone number's country's (a name this runtime lacks counts as unset). */
export function timezoneOfUser(user: Pick<User, "timezone" | "phone_number">): string {
  return user.timezone !== null && isKnownTimezone(user.timezone) ? user.timezone : timezoneOfPhoneNumber(user.phone_number);
}

/**
 * The user's clock. The zone is worked out on first use only: most commands touch no due, and
 * reading a phone number's country is the costly part.
 */
export function userClockOf(user: Pick<User, "timezone" | "phone_number">, now: Date): UserClock {
  let timezone: string | undefined;
  return {
    now,
    get timezone() {
      return (timezone ??= timezoneOfUser(user));
    },
  };
}

/** The due columns of a todo row. */
export type DueColumns = Pick<TodoRow, "due_date" | "due_time" | "due_at" | "due_pinned" | "recurrence">;

export const NO_DUE: DueColumns = { due_date: null, due_time: null, due_at: null, due_pinned: false, recurrence: null };

/** Just the due columns of a row, to write back changed. */
export function dueColumnsIn(row: DueColumns): DueColumns {
  const { due_date, due_time, due_at, due_pinned, recurrence } = row;
  return { due_date, due_time, due_at, due_pinned, recurrence };
}

export function dueColumnsOf(due: Due, rule: string | null): DueColumns {
  return { due_date: due.date, due_time: due.time, due_at: due.at, due_pinned: due.pinned, recurrence: rule };
}

export function scheduleColumnsOf(schedule: Schedule | undefined): DueColumns {
  return schedule === undefined ? NO_DUE : dueColumnsOf(schedule.due, schedule.rule);
}

/** The due a row holds; undefined when it has none. */
export function dueOfRow(row: DueColumns): Due | undefined {
  if (row.due_date === null) return undefined;
  return { date: row.due_date, time: row.due_time, at: row.due_at, pinned: row.due_pinned };
}

/** Where a due falls from the user's today: a timed due is overdue once its instant passed, a dated one the day after. */
export function dueDayOf(due: Due, clock: UserClock): DueDay {
  const today = localClockAt(clock.now, clock.timezone).date;
  if (due.at !== null ? due.at.getTime() <= clock.now.getTime() : due.date < today) return "overdue";
  if (due.date === today) return "today";
  return due.date === addDays(today, 1) ? "tomorrow" : "later";
}

export function dueViewOf(row: DueColumns, clock: UserClock): DueView | undefined {
  const due = dueOfRow(row);
  if (due === undefined) return undefined;
  return {
    date: due.date,
    time: due.time,
    atMs: due.at?.getTime() ?? 0,
    repeat: row.recurrence === null ? "" : describeRule(row.recurrence),
    day: dueDayOf(due, clock),
  };
}

/** Whether a todo belongs in a list asked for with this due filter. */
export function matchesDueFilter(item: TodoItem, filter: DueFilter, clock: UserClock): boolean {
  if (filter === "all") return true;
  const due = item.due;
  if (due === undefined) return false;
  if (due.day === "overdue") return true;
  if (filter === "overdue") return false;
  if (filter === "today") return due.day === "today";
  const today = localClockAt(clock.now, clock.timezone).date;
  return due.date <= addDays(today, 7);
}

/** "YYYY-MM-DD" plus days, on the calendar (no timezone involved). */
export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** A todo's due columns as plain data, for the saga log's revert plans and audit events. */
export interface StoredDue {
  date: string | null;
  time: string | null;
  /** Epoch milliseconds; null when only a date is due. */
  atMs: number | null;
  pinned: boolean;
  rule: string | null;
}

export function storedDueOf(row: DueColumns): StoredDue {
  return {
    date: row.due_date,
    time: row.due_time,
    atMs: row.due_at?.getTime() ?? null,
    pinned: row.due_pinned,
    rule: row.recurrence,
  };
}

export function dueColumnsOfStored(stored: StoredDue): DueColumns {
  return {
    due_date: stored.date,
    due_time: stored.time,
    due_at: stored.atMs === null ? null : new Date(stored.atMs),
    due_pinned: stored.pinned,
    recurrence: stored.rule,
  };
}
