import type { Kysely, Transaction } from "kysely";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;

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

export async function findUserByPhone(db: Db, phoneNumber: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("phone_number", "=", phoneNumber).executeTakeFirst();
}
