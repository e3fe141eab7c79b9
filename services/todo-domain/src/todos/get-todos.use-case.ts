import type { Kysely } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";
import type { TodoItem } from "../outcomes/outcome.types.js";
import { findUserByPhone } from "../users/user.repository.js";
import { enterUserScope } from "../users/user-scope.repository.js";
import { listOpenTodos } from "./todo.repository.js";
import { userClockOf } from "./todo-due.js";
import { todoItemsOf } from "./todo-item.js";

/** A user's open todos, read in the user's scope; none (and no user created) for an unknown number. */
export async function getOpenTodos(db: Kysely<TodoSchema>, phoneNumber: string): Promise<TodoItem[]> {
  return db.transaction().execute(async (trx) => {
    const user = await findUserByPhone(trx, phoneNumber);
    if (!user) return [];
    await enterUserScope(trx, user.id);
    return todoItemsOf(await listOpenTodos(trx, user.id), userClockOf(user, new Date()));
  });
}
