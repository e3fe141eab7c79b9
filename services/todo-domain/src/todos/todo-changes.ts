import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import type { AuditEventDraft } from "../audit/audit-event.repository.js";
import type { Change } from "../commands/command.types.js";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";
import { insertOpenTodos, listOpenTodos } from "./todo.repository.js";
import { lowestFreeNumbers } from "./todo-numbering.js";
import { todoItemOf } from "./todo-item.js";

/** The audit event of one changed todo. */
export function todoAuditEvent(action: string, row: Pick<TodoRow, "id">, data: Record<string, unknown>): AuditEventDraft {
  return { eventId: randomUUID(), action, todoId: row.id, data, occurredAt: new Date().toISOString() };
}

/** Adds one open todo per text, on `list` ("" the default one), with the lowest free numbers; shared by texts and voice notes. */
export async function addOpenTodos(
  trx: Transaction<TodoSchema>,
  userId: number,
  todos: { texts: readonly string[]; list: string; source: "sms" | "voice" },
  heard: string,
): Promise<Change> {
  const { texts, list, source } = todos;
  const open = await listOpenTodos(trx, userId);
  const numbers = lowestFreeNumbers(
    open.map((row) => row.number ?? 0),
    texts.length,
  );
  const rows = await insertOpenTodos(
    trx,
    userId,
    texts.map((text, index) => ({ number: numbers[index]!, text, source, list })),
  );
  return {
    outcome: { kind: "added", todos: rows.map(todoItemOf), heard },
    auditEvents: rows.map((row) => todoAuditEvent("todo.added", row, { number: row.number, text: row.text, source, list })),
    revert: { type: "remove-todos", todoIds: rows.map((row) => row.id) },
  };
}
