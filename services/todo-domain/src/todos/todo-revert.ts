import type { Transaction } from "kysely";
import type { TodoSchema } from "../databases/todo/todo.schema.js";
import { clearSagaUndone } from "../sagas/saga-log.repository.js";
import { setUserOptedOut, updateUserSettings } from "../users/user.repository.js";
import { closeTodosById, deleteTodosById, reopenTodos, updateTodoDue, updateTodoText } from "./todo.repository.js";
import { dueColumnsOfStored, type StoredDue } from "./todo-due.js";

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
  /** A reschedule, a recurring todo's completion or the end of its series: the dues as they were. */
  | { type: "restore-due"; todos: Array<{ id: string; due: StoredDue }> }
  /** A change of several kinds at once (some todos closed, recurring ones moved on). */
  | { type: "several"; plans: RevertPlan[] }
  | {
      type: "restore-settings";
      summaryTime: string | null;
      timezone: string | null;
      /** Dues re-read in the new timezone, as they were. */
      dues?: Array<{ id: string; due: StoredDue }>;
    }
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
    case "restore-due":
      for (const todo of plan.todos) await updateTodoDue(trx, userId, todo.id, dueColumnsOfStored(todo.due));
      return;
    case "several":
      for (const part of plan.plans) await revertChange(trx, userId, part);
      return;
    case "restore-settings":
      for (const todo of plan.dues ?? []) await updateTodoDue(trx, userId, todo.id, dueColumnsOfStored(todo.due));
      return updateUserSettings(trx, userId, { summaryTime: plan.summaryTime, timezone: plan.timezone });
    case "restore-subscription":
      return setUserOptedOut(trx, userId, plan.optedOut);
    case "revert-undo":
      await revertChange(trx, userId, plan.revert);
      return clearSagaUndone(trx, plan.undoneSagaId, plan.undoSagaId);
  }
}
