import { sql, type Kysely, type Transaction } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;

/** An open todo whose due time has come and whose reminder was not claimed yet. */
export interface DueReminder {
  todoId: string;
  userId: number;
  dueAt: Date;
}

/** At most this many due reminders are read per round; the rest wait for the next call. */
const SCAN_LIMIT = 5_000;

/**
 * The open todos due by `asOf` with no claim for their due instant, soonest first. It runs as the
 * scoped role with the reminder scan named, so row security lets it see due open todos of every
 * user and nothing else (the todos_due_reminder_scan policy).
 */
export async function listDueReminders(db: Kysely<TodoSchema>, asOf: Date): Promise<DueReminder[]> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('sms_todo.scan', 'due-reminders', true), set_config('role', 'sms_todo_app', true)`.execute(trx);
    const rows = await trx
      .selectFrom("todos")
      .select(["todos.id", "todos.user_id", "todos.due_at"])
      .where("todos.status", "=", "open")
      .where("todos.due_at", "<=", asOf)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("reminder_claims")
              .select("reminder_claims.todo_id")
              .whereRef("reminder_claims.todo_id", "=", "todos.id")
              .whereRef("reminder_claims.due_at", "=", "todos.due_at"),
          ),
        ),
      )
      .orderBy("todos.due_at")
      .limit(SCAN_LIMIT)
      .execute();
    return rows.map((row) => ({ todoId: row.id, userId: row.user_id, dueAt: row.due_at! }));
  });
}

export interface NewReminderClaim {
  todoId: string;
  dueAt: Date;
  userId: number;
  late: boolean;
  replyEventId: string | null;
}

/** Claims the reminder of one todo and due instant; false when it was claimed before. */
export async function insertReminderClaim(db: Db, claim: NewReminderClaim): Promise<boolean> {
  const inserted = await db
    .insertInto("reminder_claims")
    .values({
      todo_id: claim.todoId,
      due_at: claim.dueAt,
      user_id: claim.userId,
      late: claim.late,
      reply_event_id: claim.replyEventId,
    })
    .onConflict((c) => c.columns(["todo_id", "due_at"]).doNothing())
    .returning("todo_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export interface ReminderClaimRow {
  todoId: string;
  dueAt: Date;
  late: boolean;
  replyEventId: string | null;
}

/** The reminder claims of one user, oldest first; for tests and operators. */
export async function listReminderClaims(db: Db, userId: number): Promise<ReminderClaimRow[]> {
  const rows = await db
    .selectFrom("reminder_claims")
    .select(["todo_id", "due_at", "late", "reply_event_id"])
    .where("user_id", "=", userId)
    .orderBy("due_at")
    .execute();
  return rows.map((row) => ({ todoId: row.todo_id, dueAt: row.due_at, late: row.late, replyEventId: row.reply_event_id }));
}
