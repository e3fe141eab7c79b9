import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** The todo database: users, todos, idempotency records, saga log, outbox and summary claims. */
export interface TodoSchema {
  users: UsersTable;
  todos: TodosTable;
  processed_commands: ProcessedCommandsTable;
  saga_log: SagaLogTable;
  outbox: OutboxTable;
  summary_claims: SummaryClaimsTable;
  reminder_claims: ReminderClaimsTable;
}

type CreatedAt = ColumnType<Date, never, never>;

export interface UsersTable {
  id: Generated<number>;
  phone_number: string;
  opted_out: Generated<boolean>;
  /** IANA name; null until the user sets one (the phone number's country decides meanwhile). */
  timezone: string | null;
  /** "HH:MM" local time of the daily summary; null when the summary is off. */
  summary_time: ColumnType<string | null, string | null | undefined, string | null>;
  /** The todo the user's latest reply named ("delete it" means it while fresh); null when none. */
  last_named_todo_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** When that reply was decided. */
  last_named_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
}

export type TodoStatus = "open" | "done" | "deleted";

export interface TodosTable {
  id: Generated<string>;
  user_id: number;
  /** The #N the user sees; set while open, null once closed so the number can be reused. */
  number: number | null;
  text: string;
  /** The named list the todo is on ("shopping"); "" for the default list. */
  list_name: ColumnType<string, string | undefined, string>;
  status: TodoStatus;
  source: "sms" | "voice";
  created_at: CreatedAt;
  closed_at: Date | null;
  /** The user's local date the todo is due, "YYYY-MM-DD"; null when it has no due. */
  due_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** The local time, "HH:MM"; null when only a date is due. */
  due_time: ColumnType<string | null, string | null | undefined, string | null>;
  /** The instant of due_date and due_time in the user's timezone; null when only a date is due. */
  due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Said relative to the moment ("in 20 minutes"): keeps due_at when the user changes timezone. */
  due_pinned: ColumnType<boolean, boolean | undefined, boolean>;
  /** RFC 5545 rule of a recurring todo ("FREQ=WEEKLY;BYDAY=MO"); null when it does not repeat. */
  recurrence: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProcessedCommandsTable {
  idempotency_key: string;
  user_id: number;
  saga_id: string | null;
  /** The encoded todo.v1.Outcome of the first call, returned to every retry. */
  outcome: Buffer;
  created_at: CreatedAt;
}

export type SagaStatus = "running" | "completed" | "compensating" | "compensated";

export interface SagaLogTable {
  saga_id: string;
  kind: string;
  /** The user whose command started the saga. */
  user_id: number;
  /** The order in which changes were applied; taken under the user lock. */
  seq: Generated<number>;
  status: SagaStatus;
  /** The last step whose effect is committed. */
  step: string;
  /** What finishing or compensating the saga needs (ChangeSagaPayload, sagas/saga.types.ts). */
  payload: ColumnType<unknown, string, string>;
  attempts: Generated<number>;
  /** The "undo" saga that took this change back; null while the change stands. */
  undone_by_saga_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface OutboxTable {
  id: Generated<number>;
  event_id: string;
  routing_key: string;
  message_type: string;
  payload: Buffer;
  correlation_id: string | null;
  created_at: CreatedAt;
  published_at: Date | null;
}

/** A daily summary that was due: at most one per user and local date. */
export interface SummaryClaimsTable {
  user_id: number;
  /** The user's local date, "YYYY-MM-DD" (a Postgres date is read as text: see createDatabase). */
  local_date: ColumnType<string, string, never>;
  timezone: string;
  /** Open todos when it was claimed; 0 means nothing was sent that day. */
  todo_count: number;
  /** The ReplyRequested event that sends it; null when the list was empty. */
  reply_event_id: string | null;
  claimed_at: CreatedAt;
}

/** A reminder that was due: at most one per todo and due instant. */
export interface ReminderClaimsTable {
  todo_id: string;
  due_at: Date;
  user_id: number;
  /** Claimed later than its minute (the stack was down). */
  late: boolean;
  /** The ReplyRequested event that sends it; null when nothing was sent (the user had opted out). */
  reply_event_id: string | null;
  claimed_at: CreatedAt;
}

export type User = Selectable<UsersTable>;
export type TodoRow = Selectable<TodosTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
