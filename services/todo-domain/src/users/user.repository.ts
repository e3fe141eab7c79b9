import type { Kysely, Transaction } from "kysely";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;

/** What a user can set by SMS; summary_time null means the daily summary is off. */
export interface UserSettings {
  summaryTime: string | null;
  timezone: string | null;
}

/**
 * Finds or creates the user of a phone number and locks the row until the transaction
 * ends: every change of one user's todos is serialised behind this lock.
 */
export async function lockUserByPhone(db: Db, phoneNumber: string): Promise<User> {
  await db
    .insertInto("users")
    .values({ phone_number: phoneNumber, timezone: null })
    .onConflict((c) => c.column("phone_number").doNothing())
    .execute();
  return db.selectFrom("users").selectAll().where("phone_number", "=", phoneNumber).forUpdate().executeTakeFirstOrThrow();
}

/** The same lock for a known user, e.g. when a compensation changes their todos. */
export async function lockUserById(db: Db, userId: number): Promise<User> {
  return db.selectFrom("users").selectAll().where("id", "=", userId).forUpdate().executeTakeFirstOrThrow();
}

export async function findUserByPhone(db: Db, phoneNumber: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("phone_number", "=", phoneNumber).executeTakeFirst();
}

export async function updateUserSettings(db: Db, userId: number, settings: UserSettings): Promise<void> {
  await db
    .updateTable("users")
    .set({ summary_time: settings.summaryTime, timezone: settings.timezone })
    .where("id", "=", userId)
    .execute();
}

export async function setUserOptedOut(db: Db, userId: number, optedOut: boolean): Promise<void> {
  await db.updateTable("users").set({ opted_out: optedOut }).where("id", "=", userId).execute();
}

/**
 * Remembers the todo a reply named, for "it" and "that" (todos/todo-reference.ts); null forgets
 * it. Runs under the user's lock, in the transaction that decides the reply.
 */
export async function setLastNamedTodo(db: Db, userId: number, todoId: string | null, at: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ last_named_todo_id: todoId, last_named_at: todoId === null ? null : at })
    .where("id", "=", userId)
    .execute();
}
