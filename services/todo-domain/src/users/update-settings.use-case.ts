import { randomUUID } from "node:crypto";
import { runCommand } from "../commands/command.transaction.js";
import type { CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { Outcome } from "../outcomes/outcome.types.js";
import { dueInTimezone } from "@sms-todo/command-language/time";
import type { Transaction } from "kysely";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";
import { listOpenTodos, updateTodoDue } from "../todos/todo.repository.js";
import { dueColumnsOf, dueOfRow, storedDueOf, timezoneOfUser, type StoredDue } from "../todos/todo-due.js";
import { updateUserSettings, type UserSettings } from "./user.repository.js";

/** One change of the settings a user can make by SMS; validated by the gRPC edge. */
export type SettingsChange =
  { type: "summary-time"; summaryTime: string } | { type: "summary-off" } | { type: "timezone"; timezone: string };

/**
 * Changes the daily summary time or the timezone. A change is audited
 * ("user.settings_changed") and runs as a saga like any other; its revert plan restores
 * the previous settings, for compensation only: "undo" does not take settings back.
 * Setting what is already set changes nothing and records nothing.
 *
 * A new timezone moves the open todos' dues with the user: a due said as a date or a clock time
 * ("friday", "at 5pm") keeps its local date and time in the new zone, as the user meant a time
 * of their day; one said relative to the moment ("in 20 minutes") keeps its instant.
 */
export async function updateSettings(deps: CommandDeps, context: CommandContext, change: SettingsChange): Promise<CommandResult> {
  return runCommand(deps, "update-settings", context, async (trx, user) => {
    const before: UserSettings = { summaryTime: user.summary_time, timezone: user.timezone };
    const after = applied(before, change);
    const outcome: Outcome = { kind: "settings", ...after };
    if (after.summaryTime === before.summaryTime && after.timezone === before.timezone)
      return { outcome, auditEvents: [], revert: { type: "none" } };
    await updateUserSettings(trx, user.id, after);
    const dues = await reanchorDues(trx, user, { ...user, timezone: after.timezone });
    return {
      outcome,
      auditEvents: [
        {
          eventId: randomUUID(),
          action: "user.settings_changed",
          todoId: null,
          data: { before, after },
          occurredAt: new Date().toISOString(),
        },
      ],
      revert: { type: "restore-settings", summaryTime: before.summaryTime, timezone: before.timezone, dues },
    };
  });
}

function applied(settings: UserSettings, change: SettingsChange): UserSettings {
  switch (change.type) {
    case "summary-time":
      return { ...settings, summaryTime: change.summaryTime };
    case "summary-off":
      return { ...settings, summaryTime: null };
    case "timezone":
      return { ...settings, timezone: change.timezone };
  }
}

/** Re-reads the open todos' dues in the user's new timezone; returns those changed, as they were. */
async function reanchorDues(
  trx: Transaction<TodoSchema>,
  before: User,
  after: User,
): Promise<Array<{ id: string; due: StoredDue }>> {
  const from = timezoneOfUser(before);
  const to = timezoneOfUser(after);
  if (from === to) return [];
  const changed: Array<{ id: string; due: StoredDue }> = [];
  for (const row of await listOpenTodos(trx, before.id)) {
    const due = dueOfRow(row);
    if (due === undefined) continue;
    const moved = dueInTimezone(due, to);
    if (moved.date === due.date && moved.time === due.time && moved.at?.getTime() === due.at?.getTime()) continue;
    await updateTodoDue(trx, before.id, row.id, dueColumnsOf(moved, row.recurrence));
    changed.push({ id: row.id, due: storedDueOf(row) });
  }
  return changed;
}
