import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import type { AuditEventDraft } from "../audit/audit-event.repository.js";
import type { Change } from "../commands/command.types.js";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";
import { insertOpenTodos, listOpenTodos } from "./todo.repository.js";
import { storedDueOf, type DueColumns, type UserClock } from "./todo-due.js";
import { lowestFreeNumbers } from "./todo-numbering.js";
import { todoItemsOf } from "./todo-item.js";

/** The audit event of one changed todo. */
export function todoAuditEvent(action: string, row: Pick<TodoRow, "id">, data: Record<string, unknown>): AuditEventDraft {
  return { eventId: randomUUID(), action, todoId: row.id, data, occurredAt: new Date().toISOString() };
}

/** Todos to add: one text each, with its due columns when it has a due. */
export interface NewTodos {
  texts: readonly string[];
  /** Empty, or one per text (undefined for a text without a due). */
  dues?: ReadonlyArray<DueColumns | undefined>;
  list: string;
  source: "sms" | "voice";
}

/** Adds one open todo per text, on `list` ("" the default one), with the lowest free numbers; shared by texts and voice notes. */
export async function addOpenTodos(
  trx: Transaction<TodoSchema>,
  userId: number,
  todos: NewTodos,
  heard: string,
  clock: UserClock,
): Promise<Change> {
  const { texts, list, source, dues = [] } = todos;
  const open = await listOpenTodos(trx, userId);
  const numbers = lowestFreeNumbers(
    open.map((row) => row.number ?? 0),
    texts.length,
  );
  const rows = await insertOpenTodos(
    trx,
    userId,
    texts.map((text, index) => ({ number: numbers[index]!, text, source, list, due: dues[index] })),
  );
  return {
    outcome: { kind: "added", todos: todoItemsOf(rows, clock), heard },
    auditEvents: rows.map((row) =>
      todoAuditEvent("todo.added", row, {
        number: row.number,
        text: row.text,
        source,
        list,
        ...(row.due_date !== null && { due: storedDueOf(row) }),
      }),
    ),
    revert: { type: "remove-todos", todoIds: rows.map((row) => row.id) },
  };
}
