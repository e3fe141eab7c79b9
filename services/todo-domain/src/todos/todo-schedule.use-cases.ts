import { TIME_NOT_UNDERSTOOD_REASON } from "@sms-todo/command-language";
import type { TodoSelector } from "@sms-todo/command-language/matching";
import { instantOf, resolveTiming, type Due } from "@sms-todo/command-language/time";
import { runCommand } from "../commands/command.transaction.js";
import type { Change, CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { Transaction } from "kysely";
import type { TodoRow, TodoSchema, User } from "../databases/todo/todo.schema.js";
import type { TodoItem } from "../outcomes/outcome.types.js";
import { updateTodoDue } from "./todo.repository.js";
import { todoAuditEvent } from "./todo-changes.js";
import { openTodosOf, unchangedBy } from "./open-todos.js";
import {
  dueColumnsIn,
  dueColumnsOf,
  dueOfRow,
  dueViewOf,
  storedDueOf,
  userClockOf,
  type DueColumns,
  type UserClock,
} from "./todo-due.js";
import { todoItemOf } from "./todo-item.js";
import { selectTodos } from "./todo-selection.js";

/**
 * Moving a todo in time: "snooze 4 1h", "postpone #4 to friday", "later" after a reminder, and
 * "stop repeating 4". Each changes one open todo's due, is audited and can be undone.
 */

export interface RescheduleRequest {
  target: TodoSelector;
  list: string;
  /** The user's words for the new due. */
  when: string;
}

export async function rescheduleTodo(
  deps: CommandDeps,
  context: CommandContext,
  request: RescheduleRequest,
): Promise<CommandResult> {
  return runCommand(deps, "reschedule-todo", context, async (trx, user) => {
    const clock = userClockOf(user, context.receivedAt);
    const selected = await selectOne(trx, user, clock, request.target, request.list);
    if ("unchanged" in selected) return selected.unchanged("reschedule");
    const { row, open } = selected;
    if (request.target.by === "reference" && !isDue(row, clock)) return noReminder(open, request.list);
    const moved = movedDue(row, request.when, clock);
    if (moved === undefined) return rejected(TIME_NOT_UNDERSTOOD_REASON);
    const after = await updateTodoDue(trx, user.id, row.id, moved);
    return {
      outcome: { kind: "rescheduled", todo: todoItemOf(after, clock), previous: dueViewOf(row, clock) },
      auditEvents: [
        todoAuditEvent("todo.rescheduled", row, { number: row.number, due: storedDueOf(row), newDue: storedDueOf(after) }),
      ],
      revert: { type: "restore-due", todos: [{ id: row.id, due: storedDueOf(row) }] },
    };
  });
}

export async function stopRepeating(
  deps: CommandDeps,
  context: CommandContext,
  request: { target: TodoSelector; list: string },
): Promise<CommandResult> {
  return runCommand(deps, "stop-repeating", context, async (trx, user) => {
    const clock = userClockOf(user, context.receivedAt);
    const selected = await selectOne(trx, user, clock, request.target, request.list);
    if ("unchanged" in selected) return selected.unchanged("stop-repeating");
    const { row } = selected;
    const todo = todoItemOf(row, clock);
    if (row.recurrence === null) return { outcome: { kind: "repeatStopped", todo }, auditEvents: [], revert: { type: "none" } };
    const after = await updateTodoDue(trx, user.id, row.id, { ...dueColumnsIn(row), recurrence: null });
    return {
      outcome: { kind: "repeatStopped", todo: todoItemOf(after, clock) },
      auditEvents: [todoAuditEvent("todo.repeat_stopped", row, { number: row.number, repeats: row.recurrence })],
      revert: { type: "restore-due", todos: [{ id: row.id, due: storedDueOf(row) }] },
    };
  });
}

type Selected = { row: TodoRow; open: readonly TodoItem[] } | { unchanged: (action: "reschedule" | "stop-repeating") => Change };

/** The one open todo a selector means, or the change that says why there is none. */
async function selectOne(
  trx: Transaction<TodoSchema>,
  user: User,
  clock: UserClock,
  target: TodoSelector,
  list: string,
): Promise<Selected> {
  const { open, rows, referenceNumber } = await openTodosOf(trx, user, clock);
  const selection = selectTodos([target], open, { list, referenceNumber });
  if (selection.kind !== "todos") return { unchanged: (action) => unchangedBy(selection, action, open, list) };
  const [chosen] = selection.todos;
  if (chosen === undefined) {
    // A number that is not open: the reply says which numbers are.
    const query = unknownQuery(selection.unknownNumbers);
    const unresolved = { kind: "unresolved" as const, reason: "no-match" as const, query, candidates: [] };
    return { unchanged: (action) => unchangedBy(unresolved, action, open, list) };
  }
  return { row: rows.get(chosen.id)!, open };
}

/**
 * "later", "snooze", "remind me again tomorrow" name no todo: they answer a reminder, so they
 * move the todo the latest reply named only when its due time has come. A goodbye ("later!")
 * after "Added #3 …" never gives #3 a time.
 */
function isDue(row: TodoRow, clock: UserClock): boolean {
  return row.due_at !== null && row.due_at.getTime() <= clock.now.getTime();
}

function noReminder(open: readonly TodoItem[], list: string): Change {
  return unchangedBy({ kind: "unresolved", reason: "no-reference", query: "", candidates: [] }, "reschedule", open, list);
}

function unknownQuery(numbers: readonly number[]): string {
  return numbers.map((number) => `#${number}`).join(", ");
}

/**
 * The new due the words give. A date alone keeps the time of day the todo had ("postpone 4 to
 * friday" moves a 17:00 reminder to Friday 17:00); a recurring todo keeps its rule.
 */
function movedDue(row: TodoRow, when: string, clock: UserClock): DueColumns | undefined {
  const schedule = resolveTiming({ when }, clock.now, clock.timezone);
  if (schedule === null) return undefined;
  const current = dueOfRow(row);
  const due: Due =
    schedule.due.time === null && current?.time != null
      ? { ...schedule.due, time: current.time, at: instantOf(schedule.due.date, current.time, clock.timezone), pinned: false }
      : schedule.due;
  return dueColumnsOf(due, row.recurrence);
}

function rejected(reason: string): Change {
  return { outcome: { kind: "rejected", reason }, auditEvents: [], revert: { type: "none" } };
}
