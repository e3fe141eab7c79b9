import { findMatches, type TodoSelector } from "@sms-todo/command-language/matching";
import type { TimingWords } from "@sms-todo/command-language/time";
import type { Transaction } from "kysely";
import { runCommand } from "../commands/command.transaction.js";
import type { Change, CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";
import type { DueFilter, TodoItem } from "../outcomes/outcome.types.js";
import type { RevertPlan } from "./todo-revert.js";
import { closeTodosById, listOpenTodos, updateTodoDue, updateTodoText } from "./todo.repository.js";
import { addOpenTodos, todoAuditEvent } from "./todo-changes.js";
import { openTodosOf, unchanged, unchangedBy } from "./open-todos.js";
import { matchesDueFilter, storedDueOf, userClockOf, type UserClock } from "./todo-due.js";
import { todoItemOf, todoItemsOf } from "./todo-item.js";
import { nextDueOf, timedTexts } from "./todo-timing.js";
import { openTodosOfList, selectTodos, shortQuery } from "./todo-selection.js";

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
  due: DueFilter;
}

/** Texts to add, each with the user's words for when, if any. */
export interface AddRequest {
  texts: readonly string[];
  /** Empty, or one per text. */
  timings: ReadonlyArray<TimingWords | undefined>;
  list: string;
  source: "sms" | "voice";
}

export async function addTodos(deps: CommandDeps, context: CommandContext, request: AddRequest): Promise<CommandResult> {
  return runCommand(deps, "add-todos", context, (trx, user) => {
    const clock = userClockOf(user, context.receivedAt);
    const { texts, dues } = timedTexts(request.texts, request.timings, clock);
    return addOpenTodos(trx, user.id, { texts, dues, list: request.list, source: request.source }, "", clock);
  });
}

export function completeTodos(deps: CommandDeps, context: CommandContext, targets: TodoTargets): Promise<CommandResult> {
  return closeSelectedTodos(deps, context, targets, "done");
}

export function deleteTodos(deps: CommandDeps, context: CommandContext, targets: TodoTargets): Promise<CommandResult> {
  return closeSelectedTodos(deps, context, targets, "deleted");
}

/**
 * Completing and deleting differ only in the status left behind and how the outcome is named;
 * a recurring todo, completed, stays open with its number and moves to its next occurrence.
 */
async function closeSelectedTodos(
  deps: CommandDeps,
  context: CommandContext,
  { targets, list }: TodoTargets,
  status: "done" | "deleted",
): Promise<CommandResult> {
  const completing = status === "done";
  return runCommand(deps, completing ? "complete-todos" : "delete-todos", context, async (trx, user) => {
    const clock = userClockOf(user, context.receivedAt);
    const { open, rows: openRows, referenceNumber } = await openTodosOf(trx, user, clock);
    const selection = selectTodos(targets, open, { list, referenceNumber });
    if (selection.kind !== "todos") return unchangedBy(selection, completing ? "complete" : "delete", open, list);
    const rows = selection.todos.map((item) => openRows.get(item.id)!);
    const repeating = completing ? rows.filter((row) => row.recurrence !== null) : [];
    const renewed = await renewRecurring(trx, user.id, repeating, clock);
    const closed = await closeTodosById(
      trx,
      user.id,
      rows.filter((row) => !repeating.includes(row)).map((row) => row.id),
      status,
    );
    const closedIds = new Set(closed.map((row) => row.id));
    const closing: Change = {
      outcome: {
        kind: completing ? "completed" : "deleted",
        // Closed todos keep the number they had, so the reply can name them; their status is the new one.
        todos: [...todoItemsOf(closed, clock).map((item) => ({ ...item, status })), ...renewed.todos],
        unknownNumbers: selection.unknownNumbers,
        openNumbers: open.filter((item) => !closedIds.has(item.id)).map((item) => item.number),
      },
      auditEvents: [
        ...closed.map((row) =>
          todoAuditEvent(completing ? "todo.completed" : "todo.deleted", row, {
            number: row.number,
            text: row.text,
            list: row.list_name,
          }),
        ),
        ...renewed.auditEvents,
      ],
      revert: { type: "reopen-todos", todos: closed.map((row) => ({ id: row.id, number: row.number ?? 0 })) },
    };
    if (renewed.todos.length === 0) return closing;
    const plans: RevertPlan[] = [closing.revert, renewed.revert];
    return { ...closing, revert: { type: "several", plans } };
  });
}

/** Completed recurring todos: each moves to its next occurrence, keeping its number. */
async function renewRecurring(
  trx: Transaction<TodoSchema>,
  userId: number,
  rows: readonly TodoRow[],
  clock: UserClock,
): Promise<Pick<Change, "auditEvents" | "revert"> & { todos: TodoItem[] }> {
  const renewed: TodoItem[] = [];
  const auditEvents: Change["auditEvents"] = [];
  for (const row of rows) {
    const next = nextDueOf(row, clock);
    if (next === undefined) continue;
    const moved = await updateTodoDue(trx, userId, row.id, next);
    renewed.push(todoItemOf(moved, clock));
    auditEvents.push(
      todoAuditEvent("todo.completed", row, {
        number: row.number,
        text: row.text,
        list: row.list_name,
        repeats: row.recurrence,
        due: storedDueOf(row),
        nextDue: storedDueOf(moved),
      }),
    );
  }
  const todos = rows.map((row) => ({ id: row.id, due: storedDueOf(row) }));
  return { todos: renewed, auditEvents, revert: { type: "restore-due", todos } };
}

export async function editTodo(deps: CommandDeps, context: CommandContext, request: TodoEditRequest): Promise<CommandResult> {
  const { target, list, text } = request;
  return runCommand(deps, "edit-todo", context, async (trx, user) => {
    const { open, referenceNumber } = await openTodosOf(trx, user, userClockOf(user, context.receivedAt));
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
    const clock = userClockOf(user, context.receivedAt);
    const open = todoItemsOf(await listOpenTodos(trx, user.id), clock);
    const todos = openTodosOfList(open, request.list).filter((item) => matchesDueFilter(item, request.due, clock));
    return unchanged({ kind: "list", todos, list: request.list, countOnly: request.countOnly, due: request.due });
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
    const clock = userClockOf(user, context.receivedAt);
    const open = todoItemsOf(await listOpenTodos(trx, user.id), clock);
    const matches = findMatches(request.name, openTodosOfList(open, request.list));
    if (matches.length === 0 && request.addIfMissing === true) {
      return addOpenTodos(trx, user.id, { texts: [request.name], list: request.list, source: "sms" }, "", clock);
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
