import type { Kysely, Selectable, Transaction } from "kysely";
import { sql } from "kysely";
import type { SagaLogTable, SagaStatus, TodoSchema } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;
export type SagaLogRow = Selectable<SagaLogTable>;

export async function insertSaga(db: Db, saga: { sagaId: string; kind: string; step: string; payload: unknown }): Promise<void> {
  await db
    .insertInto("saga_log")
    .values({ saga_id: saga.sagaId, kind: saga.kind, status: "running", step: saga.step, payload: JSON.stringify(saga.payload) })
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
