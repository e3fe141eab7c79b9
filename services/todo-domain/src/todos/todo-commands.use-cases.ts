import { findMatches, type TodoSelector } from "@sms-todo/command-language/matching";
import type { Transaction } from "kysely";
import { runCommand } from "../commands/command.transaction.js";
import type { Change, CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";
import type { Outcome, TodoAction, TodoItem } from "../outcomes/outcome.types.js";
import { closeTodosById, listOpenTodos, updateTodoText } from "./todo.repository.js";
import { addOpenTodos, todoAuditEvent } from "./todo-changes.js";
import { todoItemOf } from "./todo-item.js";
import { referenceNumberOf } from "./todo-reference.js";
import { openTodosOfList, selectTodos, shortQuery, type Selection } from "./todo-selection.js";

/**
 * The todo use cases behind TodoService: each runs in the command transaction and returns
 * the outcome the notifier words as the reply.
 */

/** Which todos a complete or delete means: selectors in order, name/position/all looking inside list ("" every list). */
export interface TodoTargets {
  targets: readonly TodoSelector[];
  list: string;
}

export interface TodoEditRequest {
  /** Any selector but "all". */
  target: TodoSelector;
  list: string;
  text: string;
}

export interface ListRequest {
  /** "" shows every list. */
  list: string;
  countOnly: boolean;
}

/** A change that changes nothing: the outcome alone. */
const unchanged = (outcome: Outcome): Change => ({ outcome, auditEvents: [], revert: { type: "none" } });

export async function addTodos(
  deps: CommandDeps,
  context: CommandContext,
  todos: { texts: readonly string[]; list: string; source: "sms" | "voice" },
): Promise<CommandResult> {
  return runCommand(deps, "add-todos", context, (trx, user) => addOpenTodos(trx, user.id, todos, ""));
}

export function completeTodos(deps: CommandDeps, context: CommandContext, targets: TodoTargets): Promise<CommandResult> {
  return closeSelectedTodos(deps, context, targets, "done");
}

export function deleteTodos(deps: CommandDeps, context: CommandContext, targets: TodoTargets): Promise<CommandResult> {
  return closeSelectedTodos(deps, context, targets, "deleted");
}

/** The sender's open todos, and what "it" means for them right now. */
async function openTodosOf(trx: Transaction<TodoSchema>, user: User): Promise<{ open: TodoItem[]; referenceNumber?: number }> {
  const open = (await listOpenTodos(trx, user.id)).map(todoItemOf);
  return { open, referenceNumber: referenceNumberOf(user, open, new Date()) };
}

/** A selection that changes nothing: "all" asks for the confirming text, an unresolved selector asks which. */
function unchangedBy(
  selection: Exclude<Selection, { kind: "todos" }>,
  action: TodoAction,
  open: readonly TodoItem[],
  list: string,
  text = "",
): Change {
  if (selection.kind === "all") return unchanged({ kind: "confirmationNeeded", action, todos: selection.todos, list });
  const { reason, query, candidates } = selection;
  return unchanged({ kind: "notResolved", action, reason, query, candidates, open: openTodosOfList(open, list), list, text });
}

/** Completing and deleting differ only in the status left behind and how the outcome is named. */
async function closeSelectedTodos(
  deps: CommandDeps,
  context: CommandContext,
  { targets, list }: TodoTargets,
  status: "done" | "deleted",
): Promise<CommandResult> {
  const completing = status === "done";
  return runCommand(deps, completing ? "complete-todos" : "delete-todos", context, async (trx, user) => {
    const { open, referenceNumber } = await openTodosOf(trx, user);
    const selection = selectTodos(targets, open, { list, referenceNumber });
    if (selection.kind !== "todos") return unchangedBy(selection, completing ? "complete" : "delete", open, list);
    const closed = await closeTodosById(
      trx,
      user.id,
      selection.todos.map((item) => item.id),
      status,
    );
    const closedIds = new Set(closed.map((row) => row.id));
    return {
      outcome: {
        kind: completing ? "completed" : "deleted",
        todos: closed.map(todoItemOf),
        unknownNumbers: selection.unknownNumbers,
        openNumbers: open.filter((item) => !closedIds.has(item.id)).map((item) => item.number),
      },
      auditEvents: closed.map((row) =>
        todoAuditEvent(completing ? "todo.completed" : "todo.deleted", row, {
          number: row.number,
          text: row.text,
          list: row.list_name,
        }),
      ),
      revert: { type: "reopen-todos", todos: closed.map((row) => ({ id: row.id, number: row.number ?? 0 })) },
    };
  });
}

export async function editTodo(deps: CommandDeps, context: CommandContext, request: TodoEditRequest): Promise<CommandResult> {
  const { target, list, text } = request;
  return runCommand(deps, "edit-todo", context, async (trx, user) => {
    const { open, referenceNumber } = await openTodosOf(trx, user);
    const selection = selectTodos([target], open, { list, referenceNumber });
    if (selection.kind !== "todos") return unchangedBy(selection, "edit", open, list, text);
    const [edited] = selection.todos;
    if (!edited) {
      return unchanged({
        kind: "edited",
        todo: undefined,
        previousText: "",
        unknownNumbers: selection.unknownNumbers,
        openNumbers: open.map((item) => item.number),
      });
    }
    await updateTodoText(trx, user.id, edited.id, text);
    const details = { number: edited.number, text, previousText: edited.text, list: edited.list };
    return {
      outcome: { kind: "edited", todo: { ...edited, text }, previousText: edited.text, unknownNumbers: [], openNumbers: [] },
      auditEvents: [todoAuditEvent("todo.edited", { id: edited.id }, details)],
      revert: { type: "restore-text", todoId: edited.id, text: edited.text },
    };
  });
}

export async function listTodos(deps: CommandDeps, context: CommandContext, request: ListRequest): Promise<CommandResult> {
  return runCommand(deps, "list-todos", context, async (trx, user) => {
    const open = (await listOpenTodos(trx, user.id)).map(todoItemOf);
    const todos = openTodosOfList(open, request.list);
    return unchanged({ kind: "list", todos, list: request.list, countOnly: request.countOnly });
  });
}

/**
 * "do I have milk on my list?": the open todos of list ("" every list) that the words match, best
 * first. With addIfMissing ("add eggs unless they're on my list") no match adds the words instead.
 */
export async function findTodo(
  deps: CommandDeps,
  context: CommandContext,
  request: { name: string; list: string; addIfMissing?: boolean },
): Promise<CommandResult> {
  // What adds is an add: its saga is undone like any other ("add-todos" is an undoable kind).
  const kind = request.addIfMissing === true ? "add-todos" : "find-todo";
  return runCommand(deps, kind, context, async (trx, user) => {
    const open = (await listOpenTodos(trx, user.id)).map(todoItemOf);
    const matches = findMatches(request.name, openTodosOfList(open, request.list));
    if (matches.length === 0 && request.addIfMissing === true) {
      return addOpenTodos(trx, user.id, { texts: [request.name], list: request.list, source: "sms" }, "");
    }
    return unchanged({ kind: "found", query: shortQuery(request.name), matches, list: request.list });
  });
}

export async function showHelp(deps: CommandDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "show-help", context, async () => unchanged({ kind: "help" }));
}

export async function rejectMessage(deps: CommandDeps, context: CommandContext, reason: string): Promise<CommandResult> {
  return runCommand(deps, "reject-message", context, async () => unchanged({ kind: "rejected", reason }));
}
