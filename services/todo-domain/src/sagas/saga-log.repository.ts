import type { Kysely, Selectable, Transaction } from "kysely";
import { sql } from "kysely";
import type { SagaLogTable, SagaStatus, TodoSchema } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;
export type SagaLogRow = Selectable<SagaLogTable>;

export async function insertSaga(
  db: Db,
  saga: { sagaId: string; kind: string; userId: number; step: string; payload: unknown },
): Promise<void> {
  await db
    .insertInto("saga_log")
    .values({
      saga_id: saga.sagaId,
      kind: saga.kind,
      user_id: saga.userId,
      status: "running",
      step: saga.step,
      payload: JSON.stringify(saga.payload),
    })
    .execute();
}

/**
 * Moves a saga from one status to another; returns false when it was not in `from`
 * (someone else finished or compensated it meanwhile).
 */
export async function transitionSaga(db: Db, sagaId: string, from: SagaStatus, to: SagaStatus, step: string): Promise<boolean> {
  const result = await db
    .updateTable("saga_log")
    .set({ status: to, step, updated_at: new Date() })
    .where("saga_id", "=", sagaId)
    .where("status", "=", from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Where a saga stands; undefined when there is no such saga. */
export async function sagaStatusOf(db: Db, sagaId: string): Promise<SagaStatus | undefined> {
  const row = await db.selectFrom("saga_log").select("status").where("saga_id", "=", sagaId).executeTakeFirst();
  return row?.status;
}

/** Sagas left running or compensating for longer than `idleMs`: interrupted by a crash or a failure. */
export async function findStalledSagas(db: Db, idleMs: number, limit: number): Promise<SagaLogRow[]> {
  return db
    .selectFrom("saga_log")
    .selectAll()
    .where("status", "in", ["running", "compensating"])
    .where("updated_at", "<", sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
    .orderBy("updated_at")
    .limit(limit)
    .execute();
}

export async function recordSagaAttempt(db: Db, sagaId: string): Promise<void> {
  await db
    .updateTable("saga_log")
    .set((eb) => ({ attempts: eb("attempts", "+", 1), updated_at: new Date() }))
    .where("saga_id", "=", sagaId)
    .execute();
}

/**
 * The user's most recent completed change of one of `kinds` that no undo has taken back yet.
 * The kinds must be those of the saga_log_user_undoable index for it to serve the query.
 */
export async function findLatestUndoableSaga(db: Db, userId: number, kinds: readonly string[]): Promise<SagaLogRow | undefined> {
  return db
    .selectFrom("saga_log")
    .selectAll()
    .where("user_id", "=", userId)
    .where("status", "=", "completed")
    .where("undone_by_saga_id", "is", null)
    .where("kind", "in", [...kinds])
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Whether one of the user's changes of `kinds` is still being applied or rolled back. */
export async function hasUnfinishedSaga(db: Db, userId: number, kinds: readonly string[]): Promise<boolean> {
  const row = await db
    .selectFrom("saga_log")
    .select("saga_id")
    .where("status", "in", ["running", "compensating"])
    .where("user_id", "=", userId)
    .where("kind", "in", [...kinds])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks a change as taken back by an undo; false when another undo took it first. */
export async function markSagaUndone(db: Db, sagaId: string, undoSagaId: string): Promise<boolean> {
  const result = await db
    .updateTable("saga_log")
    .set({ undone_by_saga_id: undoSagaId })
    .where("saga_id", "=", sagaId)
    .where("undone_by_saga_id", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Compensation of an undo: the change it took back stands again. */
export async function clearSagaUndone(db: Db, sagaId: string, undoSagaId: string): Promise<void> {
  await db
    .updateTable("saga_log")
    .set({ undone_by_saga_id: null })
    .where("saga_id", "=", sagaId)
    .where("undone_by_saga_id", "=", undoSagaId)
    .execute();
}
