import type { Kysely } from "kysely";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";
import { findUserByPhone } from "../users/user.repository.js";
import { enterUserScope } from "../users/user-scope.repository.js";
import { listOpenTodos } from "./todo.repository.js";

/** A user's open todos, read in the user's scope; none (and no user created) for an unknown number. */
export async function getOpenTodos(db: Kysely<TodoSchema>, phoneNumber: string): Promise<TodoRow[]> {
  return db.transaction().execute(async (trx) => {
    const user = await findUserByPhone(trx, phoneNumber);
    if (!user) return [];
    await enterUserScope(trx, user.id);
    return listOpenTodos(trx, user.id);
  });
}
