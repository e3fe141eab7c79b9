import type { TodoRow } from "../databases/todo/todo.schema.js";
import type { TodoItem } from "../outcomes/outcome.types.js";
import { dueViewOf, type UserClock } from "./todo-due.js";

/** A todo row as outcomes show it, its due seen from the user's clock; a closed todo has no number, shown as 0. */
export function todoItemOf(row: TodoRow, clock: UserClock): TodoItem {
  const item: TodoItem = { id: row.id, number: row.number ?? 0, text: row.text, status: row.status, list: row.list_name };
  const due = dueViewOf(row, clock);
  return due === undefined ? item : { ...item, due };
}

/** todoItemOf for every row, with one clock. */
export function todoItemsOf(rows: readonly TodoRow[], clock: UserClock): TodoItem[] {
  return rows.map((row) => todoItemOf(row, clock));
}
