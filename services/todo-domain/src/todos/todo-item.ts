import type { TodoRow } from "../databases/todo/todo.schema.js";
import type { TodoItem } from "../outcomes/outcome.types.js";

/** A todo row as outcomes show it; a closed todo has no number, shown as 0. */
export function todoItemOf(row: TodoRow): TodoItem {
  return { id: row.id, number: row.number ?? 0, text: row.text, status: row.status, list: row.list_name };
}
