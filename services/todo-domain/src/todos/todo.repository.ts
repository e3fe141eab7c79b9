import type { Kysely, Transaction } from "kysely";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";
import { NO_DUE, type DueColumns } from "./todo-due.js";
import { lowestFreeNumbers } from "./todo-numbering.js";

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
  todos: ReadonlyArray<{ number: number; text: string; source: "sms" | "voice"; list: string; due?: DueColumns }>,
): Promise<TodoRow[]> {
  if (todos.length === 0) return [];
  return db
    .insertInto("todos")
    .values(
      todos.map((todo) => ({
        user_id: userId,
        number: todo.number,
        text: todo.text,
        list_name: todo.list,
        status: "open" as const,
        source: todo.source,
        closed_at: null,
        ...(todo.due ?? NO_DUE),
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
  return markClosed(db, userId, open, status);
}

export async function deleteTodosById(db: Db, userId: number, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom("todos")
    .where("user_id", "=", userId)
    .where("id", "in", [...ids])
    .execute();
}

/**
 * Re-opens closed todos, each with its old number when still free, else the lowest free one;
 * todos already open are left alone. Returns the reopened rows, by number.
 */
export async function reopenTodos(
  db: Db,
  userId: number,
  todos: ReadonlyArray<{ id: string; number: number }>,
): Promise<TodoRow[]> {
  if (todos.length === 0) return [];
  const closed = new Set(
    (
      await findTodosById(
        db,
        userId,
        todos.map((todo) => todo.id),
      )
    )
      .filter((row) => row.status !== "open")
      .map((row) => row.id),
  );
  const taken = new Set((await listOpenTodos(db, userId)).map((row) => row.number ?? 0));
  const keeping: Array<{ id: string; number: number }> = [];
  const clashing: string[] = [];
  for (const todo of todos.filter((candidate) => closed.has(candidate.id))) {
    if (todo.number < 1 || taken.has(todo.number)) clashing.push(todo.id);
    else {
      taken.add(todo.number);
      keeping.push(todo);
    }
  }
  const replacements = lowestFreeNumbers(taken, clashing.length);
  const numbered = [...keeping, ...clashing.map((id, index) => ({ id, number: replacements[index]! }))];
  const reopened: TodoRow[] = [];
  for (const todo of numbered) {
    const row = await db
      .updateTable("todos")
      .set({ status: "open", number: todo.number, closed_at: null })
      .where("user_id", "=", userId)
      .where("id", "=", todo.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    reopened.push(row);
  }
  return reopened.sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
}

/** Closes the todos with these ids that are open; returns the rows as they were while open. */
export async function closeTodosById(
  db: Db,
  userId: number,
  ids: readonly string[],
  status: "done" | "deleted",
): Promise<TodoRow[]> {
  if (ids.length === 0) return [];
  const open = (await findTodosById(db, userId, ids)).filter((row) => row.status === "open");
  return markClosed(db, userId, open, status);
}

export async function findTodosById(db: Db, userId: number, ids: readonly string[]): Promise<TodoRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("todos")
    .selectAll()
    .where("user_id", "=", userId)
    .where("id", "in", [...ids])
    .orderBy("number")
    .execute();
}

export async function updateTodoText(db: Db, userId: number, todoId: string, text: string): Promise<void> {
  await db.updateTable("todos").set({ text }).where("user_id", "=", userId).where("id", "=", todoId).execute();
}

/** Sets a todo's due (NO_DUE clears it); returns the row as it is now. */
export async function updateTodoDue(db: Db, userId: number, todoId: string, due: DueColumns): Promise<TodoRow> {
  return db
    .updateTable("todos")
    .set(due)
    .where("user_id", "=", userId)
    .where("id", "=", todoId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Closes these open rows, releasing their numbers; returns them as they were while open. */
async function markClosed(db: Db, userId: number, open: TodoRow[], status: "done" | "deleted"): Promise<TodoRow[]> {
  if (open.length === 0) return [];
  await db
    .updateTable("todos")
    .set({ status, number: null, closed_at: new Date() })
    .where("user_id", "=", userId)
    .where(
      "id",
      "in",
      open.map((row) => row.id),
    )
    .execute();
  return open;
}
