import type { ColumnType, Generated, Insertable } from "kysely";

/** The audit database: append-only, one event per change. */
export interface AuditSchema {
  audit_events: AuditEventsTable;
}

export interface AuditEventsTable {
  id: Generated<number>;
  /** Unique per change; writing the same event twice is a no-op. */
  event_id: string;
  saga_id: string;
  /** The inbound MessageSid that caused the change. */
  message_id: string;
  user_id: number;
  /** e.g. "todo.added", "todo.completed". */
  action: string;
  todo_id: string | null;
  data: ColumnType<unknown, string, never>;
  occurred_at: ColumnType<Date, Date, never>;
}

export type NewAuditEvent = Insertable<AuditEventsTable>;
