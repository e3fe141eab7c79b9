/**
 * Reminders and snoozes: the few numbers behind them, shared by the command language,
 * todo-domain and the notifier.
 */

/** "snooze 4", "later": how far a todo moves when no time is said. */
export const DEFAULT_SNOOZE = "in 1 hour";

/** A reminder claimed this long after its minute is marked late (the stack was down). */
export const REMINDER_LATE_AFTER_MS = 2 * 60 * 1000;

/**
 * A late reminder that would go out in quiet hours waits for their end, unless it is less late
 * than this: a reminder the user asked for at 23:00 is sent at 23:00, and one the stack missed
 * by a few minutes still goes, but one missed by hours does not wake anyone at 03:00.
 */
export const LATE_REMINDER_QUIET_GRACE_MS = 30 * 60 * 1000;
