import type { Transaction } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";
import { clearSagaUndone } from "../sagas/saga-log.repository.js";
import { setUserOptedOut, updateUserSettings } from "../users/user.repository.js";
import { closeTodosById, deleteTodosById, reopenTodos, updateTodoText } from "./todo.repository.js";

/**
 * How to take a change back, as plain data: it is stored in the saga log so a
 * compensation can run after a restart, when no closure survives. "undo" reads the
 * plans of the todo changes too (todos/undo.use-case.ts).
 */
export type RevertPlan =
  | { type: "none" }
  /** Compensation of an add: the rows never existed for anyone else, so they go. */
  | { type: "remove-todos"; todoIds: string[] }
  | { type: "reopen-todos"; todos: Array<{ id: string; number: number }> }
  | { type: "close-todos"; todos: Array<{ id: string; status: "done" | "deleted" }> }
  | { type: "restore-text"; todoId: string; text: string }
  | { type: "restore-settings"; summaryTime: string | null; timezone: string | null }
  | { type: "restore-subscription"; optedOut: boolean }
  /** Compensation of an undo: its own revert, and the change it took back stands again. */
  | { type: "revert-undo"; undoSagaId: string; undoneSagaId: string; revert: RevertPlan };

/** Runs inside the user's locked, scoped transaction. */
export async function revertChange(trx: Transaction<TodoSchema>, userId: number, plan: RevertPlan): Promise<void> {
  switch (plan.type) {
    case "none":
      return;
    case "remove-todos":
      return deleteTodosById(trx, userId, plan.todoIds);
    case "reopen-todos":
      await reopenTodos(trx, userId, plan.todos);
      return;
    case "close-todos":
      for (const status of ["done", "deleted"] as const) {
        const ids = plan.todos.filter((todo) => todo.status === status).map((todo) => todo.id);
        await closeTodosById(trx, userId, ids, status);
      }
      return;
    case "restore-text":
      return updateTodoText(trx, userId, plan.todoId, plan.text);
    case "restore-settings":
      return updateUserSettings(trx, userId, { summaryTime: plan.summaryTime, timezone: plan.timezone });
    case "restore-subscription":
      return setUserOptedOut(trx, userId, plan.optedOut);
    case "revert-undo":
      await revertChange(trx, userId, plan.revert);
      return clearSagaUndone(trx, plan.undoneSagaId, plan.undoSagaId);
  }
}
