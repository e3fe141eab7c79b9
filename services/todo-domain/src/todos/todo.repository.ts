import type { Kysely, Transaction } from "kysely";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;

export async function listOpenTodos(db: Db, userId: number): Promise<TodoRow[]> {
  return db
    .selectFrom("todos")
    .selectAll()
    .where("user_id", "=", userId)
    .where("status", "=", "open")
    .orderBy("number")
    .execute();
}

export async function insertOpenTodos(
  db: Db,
  userId: number,
  todos: ReadonlyArray<{ number: number; text: string; source: "sms" | "voice" }>,
): Promise<TodoRow[]> {
  if (todos.length === 0) return [];
  return db
    .insertInto("todos")
    .values(
      todos.map((todo) => ({
        user_id: userId,
        number: todo.number,
        text: todo.text,
        status: "open" as const,
        source: todo.source,
        closed_at: null,
      })),
    )
    .returningAll()
    .execute();
}

/** Closes open todos by number; returns the rows as they were while open. */
export async function closeTodos(
  db: Db,
  userId: number,
  numbers: readonly number[],
  status: "done" | "deleted",
): Promise<TodoRow[]> {
  if (numbers.length === 0) return [];
  const open = await db
    .selectFrom("todos")
    .selectAll()
    .where("user_id", "=", userId)
    .where("status", "=", "open")
    .where("number", "in", [...numbers])
    .orderBy("number")
    .execute();
  if (open.length === 0) return [];
  await db
    .updateTable("todos")
    .set({ status, number: null, closed_at: new Date() })
    .where("user_id", "=", userId)
    .where(
      "id",
      "in",
      open.map((todo) => todo.id),
    )
    .execute();
  return open;
}

export async function deleteTodosById(db: Db, userId: number, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom("todos")
    .where("user_id", "=", userId)
    .where("id", "in", [...ids])
    .execute();
}

/** Re-opens closed todos, each with its old number when still free, else the lowest free one. */
export async function reopenTodos(
  db: Db,
  userId: number,
  todos: ReadonlyArray<{ id: string; number: number }>,
  freeNumbers: (count: number) => Promise<number[]>,
): Promise<void> {
  const taken = new Set((await listOpenTodos(db, userId)).map((todo) => todo.number));
  const clashing = todos.filter((todo) => taken.has(todo.number));
  const replacements = await freeNumbers(clashing.length);
  for (const todo of todos) {
    const number = taken.has(todo.number) ? replacements.shift()! : todo.number;
    await db
      .updateTable("todos")
      .set({ status: "open", number, closed_at: null })
      .where("user_id", "=", userId)
      .where("id", "=", todo.id)
      .execute();
  }
}

export async function updateTodoText(db: Db, userId: number, todoId: string, text: string): Promise<void> {
  await db.updateTable("todos").set({ text }).where("user_id", "=", userId).where("id", "=", todoId).execute();
}
