import { runCommand } from "../commands/command.transaction.js";
import type { CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { TodoRow } from "../databases/todo/todo.schema.js";
import type { NumbersNotFound } from "../outcomes/outcome.types.js";
import { closeTodos, listOpenTodos, updateTodoText } from "./todo.repository.js";
import { addOpenTodos, todoAuditEvent } from "./todo-changes.js";
import { todoItemOf } from "./todo-item.js";

/**
 * The todo use cases behind TodoService: each runs in the command transaction and returns
 * the outcome the notifier words as the reply.
 */

/** Numbers asked for that are not open, and the numbers that are. */
function unknownNumbers(asked: readonly number[], found: readonly TodoRow[], open: readonly TodoRow[]): NumbersNotFound {
  const foundNumbers = new Set(found.map((row) => row.number));
  const closedNow = new Set(found.map((row) => row.id));
  return {
    unknownNumbers: [...new Set(asked)].filter((number) => !foundNumbers.has(number)),
    openNumbers: open.filter((row) => !closedNow.has(row.id)).map((row) => row.number ?? 0),
  };
}

export async function addTodos(
  deps: CommandDeps,
  context: CommandContext,
  texts: readonly string[],
  source: "sms" | "voice",
): Promise<CommandResult> {
  return runCommand(deps, "add-todos", context, (trx, user) => addOpenTodos(trx, user.id, texts, source, ""));
}

export function completeTodos(deps: CommandDeps, context: CommandContext, numbers: readonly number[]): Promise<CommandResult> {
  return closeTodosByNumber(deps, context, numbers, "done");
}

export function deleteTodos(deps: CommandDeps, context: CommandContext, numbers: readonly number[]): Promise<CommandResult> {
  return closeTodosByNumber(deps, context, numbers, "deleted");
}

/** Completing and deleting differ only in the status left behind and how the outcome is named. */
async function closeTodosByNumber(
  deps: CommandDeps,
  context: CommandContext,
  numbers: readonly number[],
  status: "done" | "deleted",
): Promise<CommandResult> {
  const completing = status === "done";
  return runCommand(deps, completing ? "complete-todos" : "delete-todos", context, async (trx, user) => {
    const open = await listOpenTodos(trx, user.id);
    const closed = await closeTodos(trx, user.id, numbers, status);
    return {
      outcome: {
        kind: completing ? "completed" : "deleted",
        todos: closed.map(todoItemOf),
        ...unknownNumbers(numbers, closed, open),
      },
      auditEvents: closed.map((row) =>
        todoAuditEvent(completing ? "todo.completed" : "todo.deleted", row, { number: row.number, text: row.text }),
      ),
      revert: { type: "reopen-todos", todos: closed.map((row) => ({ id: row.id, number: row.number ?? 0 })) },
    };
  });
}

export async function editTodo(deps: CommandDeps, context: CommandContext, number: number, text: string): Promise<CommandResult> {
  return runCommand(deps, "edit-todo", context, async (trx, user) => {
    const open = await listOpenTodos(trx, user.id);
    const target = open.find((row) => row.number === number);
    if (!target) {
      return {
        outcome: {
          kind: "edited",
          todo: undefined,
          previousText: "",
          unknownNumbers: [number],
          openNumbers: open.map((row) => row.number ?? 0),
        },
        auditEvents: [],
        revert: { type: "none" },
      };
    }
    await updateTodoText(trx, user.id, target.id, text);
    return {
      outcome: {
        kind: "edited",
        todo: todoItemOf({ ...target, text }),
        previousText: target.text,
        unknownNumbers: [],
        openNumbers: [],
      },
      auditEvents: [todoAuditEvent("todo.edited", target, { number, text, previousText: target.text })],
      revert: { type: "restore-text", todoId: target.id, text: target.text },
    };
  });
}

export async function listTodos(deps: CommandDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "list-todos", context, async (trx, user) => {
    const open = await listOpenTodos(trx, user.id);
    return {
      outcome: { kind: "list", todos: open.map(todoItemOf) },
      auditEvents: [],
      revert: { type: "none" },
    };
  });
}

export async function showHelp(deps: CommandDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "show-help", context, async () => ({
    outcome: { kind: "help" },
    auditEvents: [],
    revert: { type: "none" },
  }));
}

export async function rejectMessage(deps: CommandDeps, context: CommandContext, reason: string): Promise<CommandResult> {
  return runCommand(deps, "reject-message", context, async () => ({
    outcome: { kind: "rejected", reason },
    auditEvents: [],
    revert: { type: "none" },
  }));
}
