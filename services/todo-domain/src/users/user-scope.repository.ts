import { sql, type Transaction } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";

/** The role whose statements row-level security on todos applies to (see the todos-row-security migration). */
const SCOPED_ROLE = "sms_todo_app";

/**
 * Confines the rest of the transaction to one user's todos: row-level security then hides
 * (and refuses to write) every other user's rows, whatever a query filters on. Call it right
 * after the user row is locked; both settings end with the transaction.
 */
export async function enterUserScope(trx: Transaction<TodoSchema>, userId: number): Promise<void> {
  await sql`select set_config('sms_todo.user_id', ${String(userId)}, true), set_config('role', ${SCOPED_ROLE}, true)`.execute(
    trx,
  );
}
