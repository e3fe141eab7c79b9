import type { Kysely } from "kysely";
import type { AuditSchema } from "../databases/audit/audit.schema.js";

/** One change as the audit log records it. */
export interface AuditEventDraft {
  eventId: string;
  action: string;
  todoId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** Appends the events of a saga; an event already written (same event id) is left as it is. */
export async function appendAuditEvents(
  db: Kysely<AuditSchema>,
  saga: { sagaId: string; messageId: string; userId: number },
  events: readonly AuditEventDraft[],
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto("audit_events")
    .values(
      events.map((event) => ({
        event_id: event.eventId,
        saga_id: saga.sagaId,
        message_id: saga.messageId,
        user_id: saga.userId,
        action: event.action,
        todo_id: event.todoId,
        data: JSON.stringify(event.data),
        occurred_at: new Date(event.occurredAt),
      })),
    )
    .onConflict((c) => c.column("event_id").doNothing())
    .execute();
}

/** Compensation: removes the events of a change that was rolled back. */
export async function removeAuditEvents(db: Kysely<AuditSchema>, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db
    .deleteFrom("audit_events")
    .where("event_id", "in", [...eventIds])
    .execute();
}
