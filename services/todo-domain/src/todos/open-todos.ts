import type { Transaction } from "kysely";
import type { Change } from "../commands/command.types.js";
import type { TodoRow, TodoSchema, User } from "../databases/todo/todo.schema.js";
import type { Outcome, TodoAction, TodoItem } from "../outcomes/outcome.types.js";
import { listOpenTodos } from "./todo.repository.js";
import type { UserClock } from "./todo-due.js";
import { todoItemsOf } from "./todo-item.js";
import { referenceNumberOf } from "./todo-reference.js";
import { openTodosOfList, type Selection } from "./todo-selection.js";

/** What the use cases that name todos share: the sender's open todos, and the change that changes nothing. */

/** A change that changes nothing: the outcome alone. */
export const unchanged = (outcome: Outcome): Change => ({ outcome, auditEvents: [], revert: { type: "none" } });

/** The sender's open todos, as rows by id and as outcomes show them, and what "it" means for them right now. */
export async function openTodosOf(
  trx: Transaction<TodoSchema>,
  user: User,
  clock: UserClock,
): Promise<{ open: TodoItem[]; rows: ReadonlyMap<string, TodoRow>; referenceNumber?: number }> {
  const rows = await listOpenTodos(trx, user.id);
  const open = todoItemsOf(rows, clock);
  return {
    open,
    rows: new Map(rows.map((row) => [row.id, row])),
    referenceNumber: referenceNumberOf(user, open, clock.now),
  };
}

/** A selection that changes nothing: "all" asks for the confirming text, an unresolved selector asks which. */
export function unchangedBy(
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
