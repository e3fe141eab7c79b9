import type { Kysely, Transaction } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;

/** The recorded outcome of an idempotency key, if it was applied before, with the saga that carries it (if any). */
export async function findProcessedCommand(
  db: Db,
  idempotencyKey: string,
): Promise<{ userId: number; outcome: Buffer; sagaId: string | null } | undefined> {
  const row = await db
    .selectFrom("processed_commands")
    .select(["user_id", "outcome", "saga_id"])
    .where("idempotency_key", "=", idempotencyKey)
    .executeTakeFirst();
  return row ? { userId: row.user_id, outcome: row.outcome, sagaId: row.saga_id } : undefined;
}

export async function recordProcessedCommand(
  db: Db,
  record: { idempotencyKey: string; userId: number; sagaId: string | null; outcome: Uint8Array },
): Promise<void> {
  await db
    .insertInto("processed_commands")
    .values({
      idempotency_key: record.idempotencyKey,
      user_id: record.userId,
      saga_id: record.sagaId,
      outcome: Buffer.from(record.outcome),
    })
    .execute();
}

export async function forgetProcessedCommand(db: Db, idempotencyKey: string): Promise<void> {
  await db.deleteFrom("processed_commands").where("idempotency_key", "=", idempotencyKey).execute();
}
