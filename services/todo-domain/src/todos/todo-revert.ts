import type { Transaction } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";
import { deleteTodosById, listOpenTodos, reopenTodos, updateTodoText } from "./todo.repository.js";
import { lowestFreeNumbers } from "./todo-numbering.js";

/**
 * How to take a change back, as plain data: it is stored in the saga log so a
 * compensation can run after a restart, when no closure survives.
 */
export type RevertPlan =
  | { type: "remove-todos"; todoIds: string[] }
  | { type: "reopen-todos"; todos: Array<{ id: string; number: number }> }
  | { type: "restore-text"; todoId: string; text: string };

export async function revertChange(trx: Transaction<TodoSchema>, userId: number, plan: RevertPlan): Promise<void> {
  switch (plan.type) {
    case "remove-todos":
      return deleteTodosById(trx, userId, plan.todoIds);
    case "reopen-todos":
      return reopenTodos(trx, userId, plan.todos, async (count) => {
        const open = await listOpenTodos(trx, userId);
        return lowestFreeNumbers(
          open.map((todo) => todo.number ?? 0),
          count,
        );
      });
    case "restore-text":
      return updateTodoText(trx, userId, plan.todoId, plan.text);
  }
}
