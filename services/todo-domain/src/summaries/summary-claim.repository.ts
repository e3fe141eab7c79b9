import { sql, type Kysely, type Transaction } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;

/** A user who may be due a daily summary: subscribed, summary on. */
export interface SummaryCandidate {
  userId: number;
  phoneNumber: string;
  summaryTime: string;
  /** As the user set it; null while the phone number's country decides. */
  timezone: string | null;
  createdAt: Date;
  lastClaimedDate: string | null;
}

/** Every user with the summary on who has not opted out, with the last date a summary was claimed for. */
export async function listSummaryCandidates(db: Db): Promise<SummaryCandidate[]> {
  const rows = await db
    .selectFrom("users")
    .select((eb) => [
      "users.id",
      "users.phone_number",
      "users.summary_time",
      "users.timezone",
      "users.created_at",
      eb
        .selectFrom("summary_claims")
        .select(sql<string>`max(local_date)::text`.as("last"))
        .whereRef("summary_claims.user_id", "=", "users.id")
        .as("last_claimed_date"),
    ])
    .where("users.summary_time", "is not", null)
    .where("users.opted_out", "=", false)
    .orderBy("users.id")
    .execute();
  return rows.map((row) => ({
    userId: row.id,
    phoneNumber: row.phone_number,
    summaryTime: row.summary_time ?? "",
    timezone: row.timezone,
    createdAt: row.created_at,
    lastClaimedDate: row.last_claimed_date ?? null,
  }));
}

export interface NewSummaryClaim {
  userId: number;
  localDate: string;
  timezone: string;
  todoCount: number;
  replyEventId: string | null;
}

/** Claims the summary of one user and local date; false when it was claimed before. */
export async function insertSummaryClaim(db: Db, claim: NewSummaryClaim): Promise<boolean> {
  const inserted = await db
    .insertInto("summary_claims")
    .values({
      user_id: claim.userId,
      local_date: claim.localDate,
      timezone: claim.timezone,
      todo_count: claim.todoCount,
      reply_event_id: claim.replyEventId,
    })
    .onConflict((c) => c.columns(["user_id", "local_date"]).doNothing())
    .returning("user_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export interface SummaryClaimRow {
  userId: number;
  localDate: string;
  timezone: string;
  todoCount: number;
  replyEventId: string | null;
}

/** The claims of one user, oldest date first; for tests and operators. */
export async function listSummaryClaims(db: Db, userId: number): Promise<SummaryClaimRow[]> {
  const rows = await db
    .selectFrom("summary_claims")
    .select(["user_id", sql<string>`local_date::text`.as("local_date"), "timezone", "todo_count", "reply_event_id"])
    .where("user_id", "=", userId)
    .orderBy("local_date")
    .execute();
  return rows.map((row) => ({
    userId: row.user_id,
    localDate: row.local_date,
    timezone: row.timezone,
    todoCount: row.todo_count,
    replyEventId: row.reply_event_id,
  }));
}
