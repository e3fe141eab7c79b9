import { randomUUID } from "node:crypto";
import { isQuietTime, LATE_REMINDER_QUIET_GRACE_MS, REMINDER_LATE_AFTER_MS } from "@sms-todo/rules";
import { localClockAt } from "@sms-todo/shared";
import type { Databases } from "../databases/databases.js";
import { enqueueReplyRequested } from "../outbox/outbox.repository.js";
import { findTodosById } from "../todos/todo.repository.js";
import { userClockOf } from "../todos/todo-due.js";
import { todoItemOf } from "../todos/todo-item.js";
import { lockUserById, setLastNamedTodo } from "../users/user.repository.js";
import { enterUserScope } from "../users/user-scope.repository.js";
import { insertReminderClaim, listDueReminders, type DueReminder } from "./reminder-claim.repository.js";

export interface ClaimRemindersDeps {
  databases: Databases;
  replyRoutingKey: string;
  /** Wakes the outbox relay after a reminder was committed. */
  onOutboxWrite?: () => void;
}

export interface ClaimedReminders {
  queued: number;
  /** More reminders were due than the limit allowed; call again. */
  moreDue: boolean;
}

type ClaimResult = "queued" | "silent" | "waiting" | "taken";

/**
 * Claims the reminders due at `asOf`, at most `limit` of them. Each is one transaction under
 * the user's lock: the claim row (todo, due instant) and the ReplyRequested event that sends it.
 * A second caller, or a second call, finds the row and queues nothing, so a reminder goes out at
 * most once per todo and due time, however many notifiers ask. The due instant was fixed when
 * the todo was timed, in the user's zone, so DST changes move nothing.
 * - A reminder claimed more than REMINDER_LATE_AFTER_MS after its minute (the stack was down)
 *   is marked late; one missed by more than LATE_REMINDER_QUIET_GRACE_MS waits for the end of
 *   the user's quiet hours rather than waking them (unclaimed until then).
 * - Opted-out users get nothing: their reminder is claimed with no event, so opting back in
 *   later does not bring old reminders.
 * - A todo closed or moved since it was read is left alone.
 */
export async function claimDueReminders(deps: ClaimRemindersDeps, asOf: Date, limit: number): Promise<ClaimedReminders> {
  const due = await listDueReminders(deps.databases.todo, asOf);
  let queued = 0;
  let claimed = 0;
  for (const reminder of due) {
    if (claimed >= limit) break;
    const result = await claimReminder(deps, reminder, asOf);
    if (result === "queued") queued += 1;
    if (result === "queued" || result === "silent") claimed += 1;
  }
  if (queued > 0) deps.onOutboxWrite?.();
  return { queued, moreDue: claimed >= limit && due.length > claimed };
}

async function claimReminder(deps: ClaimRemindersDeps, reminder: DueReminder, asOf: Date): Promise<ClaimResult> {
  return deps.databases.todo.transaction().execute(async (trx) => {
    const user = await lockUserById(trx, reminder.userId);
    await enterUserScope(trx, user.id);
    const [row] = await findTodosById(trx, user.id, [reminder.todoId]);
    if (row?.status !== "open" || row.due_at?.getTime() !== reminder.dueAt.getTime()) return "taken";
    const clock = userClockOf(user, asOf);
    const lateByMs = asOf.getTime() - reminder.dueAt.getTime();
    if (lateByMs > LATE_REMINDER_QUIET_GRACE_MS && isQuietTime(localClockAt(asOf, clock.timezone).time)) return "waiting";
    const late = lateByMs > REMINDER_LATE_AFTER_MS;
    const replyEventId = user.opted_out ? null : randomUUID();
    const inserted = await insertReminderClaim(trx, { ...reminder, late, replyEventId });
    if (!inserted) return "taken";
    if (replyEventId === null) return "silent";
    await enqueueReplyRequested(trx, deps.replyRoutingKey, {
      replyEventId,
      phoneNumber: user.phone_number,
      // Correlates this reminder in every log line: one per todo and due time, and no phone number in it.
      messageId: `reminder:${row.id}:${reminder.dueAt.getTime()}`,
      outcome: { kind: "reminder", todo: todoItemOf(row, clock), late },
    });
    // "done", "later" or "snooze" in answer mean this todo.
    await setLastNamedTodo(trx, user.id, row.id, asOf);
    return "queued";
  });
}
