import type { Kysely, Transaction } from "kysely";
import type { NewOutboxRow, OutboxTable, TodoSchema } from "../databases/todo/todo.schema.js";
import type { Selectable } from "kysely";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;
export type OutboxRow = Selectable<OutboxTable>;

export async function enqueueOutboxEvent(db: Db, event: Omit<NewOutboxRow, "published_at">): Promise<void> {
  await db
    .insertInto("outbox")
    .values({ ...event, published_at: null })
    .execute();
}

/** Locks the oldest unpublished events; other relays skip them until this transaction ends. */
export async function lockUnpublished(trx: Transaction<TodoSchema>, limit: number): Promise<OutboxRow[]> {
  return trx
    .selectFrom("outbox")
    .selectAll()
    .where("published_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markPublished(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("outbox")
    .set({ published_at: new Date() })
    .where("id", "in", [...ids])
    .execute();
}
