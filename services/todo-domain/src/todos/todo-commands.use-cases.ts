import { randomUUID } from "node:crypto";
import { todo } from "@sms-todo/contracts";
import type { Transaction } from "kysely";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";
import type { AuditEventDraft } from "../audit/audit-event.repository.js";
import { runCommand } from "../commands/command.transaction.js";
import type { Change, CommandContext, CommandResult } from "../commands/command.types.js";
import type { SagaDeps } from "../sagas/saga.types.js";
import { closeTodos, insertOpenTodos, listOpenTodos, updateTodoText } from "./todo.repository.js";
import { lowestFreeNumbers } from "./todo-numbering.js";

/**
 * The use cases behind TodoService: each opens its transaction through the command
 * transaction and returns the outcome the notifier words as the reply.
 */

export function toTodoMessage(row: TodoRow, number = row.number ?? 0): todo.Todo {
  const status =
    row.status === "open"
      ? todo.TodoStatus.TODO_STATUS_OPEN
      : row.status === "done"
        ? todo.TodoStatus.TODO_STATUS_DONE
        : todo.TodoStatus.TODO_STATUS_DELETED;
  return { id: row.id, number, text: row.text, status };
}

export function todoAuditEvent(action: string, row: TodoRow, data: Record<string, unknown>): AuditEventDraft {
  return { eventId: randomUUID(), action, todoId: row.id, data, occurredAt: new Date().toISOString() };
}

/** Numbers asked for that are not open, and the numbers that are. */
function unknownNumbers(asked: readonly number[], found: readonly TodoRow[], open: readonly TodoRow[]) {
  const foundNumbers = new Set(found.map((row) => row.number));
  const closedNow = new Set(found.map((row) => row.id));
  return {
    unknownNumbers: [...new Set(asked)].filter((number) => !foundNumbers.has(number)),
    openNumbers: open.filter((row) => !closedNow.has(row.id)).map((row) => row.number ?? 0),
  };
}

export async function addTodos(
  deps: SagaDeps,
  context: CommandContext,
  texts: readonly string[],
  source: "sms" | "voice",
): Promise<CommandResult> {
  return runCommand(deps, "add-todos", context, (trx, user) => addOpenTodos(trx, user.id, texts, source, ""));
}

/** Adds one open todo per text with the lowest free numbers; shared by texts and voice notes. */
export async function addOpenTodos(
  trx: Transaction<TodoSchema>,
  userId: number,
  texts: readonly string[],
  source: "sms" | "voice",
  heard: string,
): Promise<Change> {
  const open = await listOpenTodos(trx, userId);
  const numbers = lowestFreeNumbers(
    open.map((row) => row.number ?? 0),
    texts.length,
  );
  const rows = await insertOpenTodos(
    trx,
    userId,
    texts.map((text, index) => ({ number: numbers[index]!, text, source })),
  );
  return {
    outcome: { kind: { $case: "added", value: { todos: rows.map((row) => toTodoMessage(row)), heard } } },
    auditEvents: rows.map((row) => todoAuditEvent("todo.added", row, { number: row.number, text: row.text, source })),
    revert: { type: "remove-todos", todoIds: rows.map((row) => row.id) },
  };
}

export function completeTodos(deps: SagaDeps, context: CommandContext, numbers: readonly number[]): Promise<CommandResult> {
  return closeTodosByNumber(deps, context, numbers, "done");
}

export function deleteTodos(deps: SagaDeps, context: CommandContext, numbers: readonly number[]): Promise<CommandResult> {
  return closeTodosByNumber(deps, context, numbers, "deleted");
}

/** Completing and deleting differ only in the status left behind and how the outcome is named. */
async function closeTodosByNumber(
  deps: SagaDeps,
  context: CommandContext,
  numbers: readonly number[],
  status: "done" | "deleted",
): Promise<CommandResult> {
  const completing = status === "done";
  return runCommand(deps, completing ? "complete-todos" : "delete-todos", context, async (trx, user) => {
    const open = await listOpenTodos(trx, user.id);
    const closed = await closeTodos(trx, user.id, numbers, status);
    const value = { todos: closed.map((row) => toTodoMessage(row)), ...unknownNumbers(numbers, closed, open) };
    return {
      outcome: { kind: completing ? { $case: "completed", value } : { $case: "deleted", value } },
      auditEvents: closed.map((row) =>
        todoAuditEvent(completing ? "todo.completed" : "todo.deleted", row, { number: row.number, text: row.text }),
      ),
      revert: { type: "reopen-todos", todos: closed.map((row) => ({ id: row.id, number: row.number ?? 0 })) },
    };
  });
}

export async function editTodo(deps: SagaDeps, context: CommandContext, number: number, text: string): Promise<CommandResult> {
  return runCommand(deps, "edit-todo", context, async (trx, user) => {
    const open = await listOpenTodos(trx, user.id);
    const target = open.find((row) => row.number === number);
    if (!target) {
      return {
        outcome: {
          kind: {
            $case: "edited",
            value: {
              todo: undefined,
              previousText: "",
              unknownNumbers: [number],
              openNumbers: open.map((row) => row.number ?? 0),
            },
          },
        },
        auditEvents: [],
        revert: { type: "none" },
      };
    }
    await updateTodoText(trx, user.id, target.id, text);
    return {
      outcome: {
        kind: {
          $case: "edited",
          value: { todo: toTodoMessage({ ...target, text }), previousText: target.text, unknownNumbers: [], openNumbers: [] },
        },
      },
      auditEvents: [todoAuditEvent("todo.edited", target, { number, text, previousText: target.text })],
      revert: { type: "restore-text", todoId: target.id, text: target.text },
    };
  });
}

export async function listTodos(deps: SagaDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "list-todos", context, async (trx, user) => {
    const open = await listOpenTodos(trx, user.id);
    return {
      outcome: { kind: { $case: "list", value: { todos: open.map((row) => toTodoMessage(row)) } } },
      auditEvents: [],
      revert: { type: "none" },
    };
  });
}

export async function showHelp(deps: SagaDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "show-help", context, async () => ({
    outcome: { kind: { $case: "help", value: {} } },
    auditEvents: [],
    revert: { type: "none" },
  }));
}

export async function rejectMessage(deps: SagaDeps, context: CommandContext, reason: string): Promise<CommandResult> {
  return runCommand(deps, "reject-message", context, async () => ({
    outcome: { kind: { $case: "rejected", value: { reason } } },
    auditEvents: [],
    revert: { type: "none" },
  }));
}
