import type { Transaction } from "kysely";
import { AppError } from "@sms-todo/shared";
import type { TodoRow, TodoSchema } from "../databases/todo/todo.schema.js";
import { runCommand } from "../commands/command.transaction.js";
import type { Change, CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { TodoItem, UndoneChangeKind } from "../outcomes/outcome.types.js";
import { revertPlanOf } from "../sagas/change.saga.js";
import { findLatestUndoableSaga, hasUnfinishedSaga, markSagaUndone } from "../sagas/saga-log.repository.js";
import { orderAsListed } from "@sms-todo/command-language/matching";
import { closeTodosById, findTodosById, reopenTodos, updateTodoDue, updateTodoText } from "./todo.repository.js";
import { dueColumnsOfStored, storedDueOf, userClockOf, type UserClock } from "./todo-due.js";
import type { RevertPlan } from "./todo-revert.js";
import { todoAuditEvent } from "./todo-changes.js";
import { todoItemOf, todoItemsOf } from "./todo-item.js";

/**
 * "undo" (SPEC section 1), built on the saga log, which keeps every change's RevertPlan:
 * - a stack: each undo takes back the most recent completed change of the sender that no
 *   undo has taken back yet, so undo, undo walks back one change at a time;
 * - only adds (text or voice), completions, edits, deletions and reschedules count; settings,
 *   subscription changes and undo itself are not undoable;
 * - with nothing left, the outcome says nothing_to_undo and nothing changes;
 * - while one of the sender's changes is still being applied or rolled back, undo is refused
 *   as UNAVAILABLE (retried), so it never skips the change the user just made;
 * - an undo is a saga itself (kind "undo", one audit event per todo it changes) and can be
 *   compensated: an undone add closes its todos (status "deleted") instead of removing them,
 *   and the undone change is marked with the undo's saga id in the same transaction;
 * - reopened todos get their old number when it is free, else the lowest free one.
 */
export const UNDOABLE_KINDS = [
  "add-todos",
  "record-voice-note",
  "complete-todos",
  "edit-todo",
  "delete-todos",
  "reschedule-todo",
  "stop-repeating",
] as const;

const UNDONE_CHANGE: Record<(typeof UNDOABLE_KINDS)[number], UndoneChangeKind> = {
  "add-todos": "add",
  "record-voice-note": "add",
  "complete-todos": "complete",
  "edit-todo": "edit",
  "delete-todos": "delete",
  "reschedule-todo": "reschedule",
  "stop-repeating": "reschedule",
};

const NOTHING_TO_UNDO: Change = {
  outcome: { kind: "undone", change: null, todos: [], nothingToUndo: true },
  auditEvents: [],
  revert: { type: "none" },
};

export async function undoLastChange(deps: CommandDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "undo", context, async (trx, user, sagaId) => {
    if (await hasUnfinishedSaga(trx, user.id, UNDOABLE_KINDS))
      throw new AppError("UNAVAILABLE", "an earlier change is still being applied; undo once it is done");
    const target = await findLatestUndoableSaga(trx, user.id, UNDOABLE_KINDS);
    if (!target || !(await markSagaUndone(trx, target.saga_id, sagaId))) return NOTHING_TO_UNDO;
    const change = UNDONE_CHANGE[target.kind as keyof typeof UNDONE_CHANGE];
    const taken = await takeBack(trx, user.id, revertPlanOf(target), userClockOf(user, context.receivedAt));
    const data = { undoneSagaId: target.saga_id, undoneKind: target.kind };
    return {
      outcome: { kind: "undone", change, todos: taken.todos, nothingToUndo: false },
      // With no todo left to change (none is expected), the mark above is all there is; no saga follows.
      auditEvents: taken.changed.map(({ row, details }) => todoAuditEvent("todo.undone", row, { ...data, ...details })),
      revert: { type: "revert-undo", undoSagaId: sagaId, undoneSagaId: target.saga_id, revert: taken.revert },
    };
  });
}

interface TakenBack {
  /** The todos as they are after the undo. */
  todos: TodoItem[];
  changed: Array<{ row: TodoRow; details: Record<string, unknown> }>;
  /** How to put the undo itself back, should its saga be compensated. */
  revert: RevertPlan;
}

/** Applies a change's RevertPlan the way undo does: nothing is removed, so the undo can be reverted in turn. */
async function takeBack(trx: Transaction<TodoSchema>, userId: number, plan: RevertPlan, clock: UserClock): Promise<TakenBack> {
  switch (plan.type) {
    case "several": {
      const parts: TakenBack[] = [];
      for (const part of plan.plans) parts.push(await takeBack(trx, userId, part, clock));
      return {
        todos: orderAsListed(parts.flatMap((part) => part.todos)),
        changed: parts.flatMap((part) => part.changed),
        revert: { type: "several", plans: parts.map((part) => part.revert) },
      };
    }
    case "restore-due": {
      const current = await findTodosById(
        trx,
        userId,
        plan.todos.map((todo) => todo.id),
      );
      const restored: TodoRow[] = [];
      for (const row of current) {
        const before = plan.todos.find((todo) => todo.id === row.id)!.due;
        restored.push(await updateTodoDue(trx, userId, row.id, dueColumnsOfStored(before)));
      }
      return {
        todos: todoItemsOf(restored, clock),
        changed: restored.map((row, index) => ({
          row,
          details: { number: row.number, due: storedDueOf(row), previousDue: storedDueOf(current[index]!) },
        })),
        revert: { type: "restore-due", todos: current.map((row) => ({ id: row.id, due: storedDueOf(row) })) },
      };
    }
    case "remove-todos": {
      const closed = await closeTodosById(trx, userId, plan.todoIds, "deleted");
      return {
        // Closed todos carry the number they had, so the reply can name what went away.
        todos: closed.map((row) => ({ ...todoItemOf(row, clock), status: "deleted" })),
        changed: closed.map((row) => ({ row, details: { number: row.number, text: row.text, status: "deleted" } })),
        revert: { type: "reopen-todos", todos: closed.map((row) => ({ id: row.id, number: row.number ?? 0 })) },
      };
    }
    case "reopen-todos": {
      const before = new Map(
        (
          await findTodosById(
            trx,
            userId,
            plan.todos.map((item) => item.id),
          )
        ).map((row) => [row.id, row]),
      );
      const reopened = await reopenTodos(trx, userId, plan.todos);
      return {
        todos: todoItemsOf(reopened, clock),
        changed: reopened.map((row) => ({ row, details: { number: row.number, text: row.text, status: "open" } })),
        revert: {
          type: "close-todos",
          todos: reopened.map((row) => ({ id: row.id, status: before.get(row.id)?.status === "done" ? "done" : "deleted" })),
        },
      };
    }
    case "restore-text": {
      const [current] = await findTodosById(trx, userId, [plan.todoId]);
      if (!current) return { todos: [], changed: [], revert: { type: "none" } };
      await updateTodoText(trx, userId, current.id, plan.text);
      const restored = { ...current, text: plan.text };
      return {
        todos: [todoItemOf(restored, clock)],
        changed: [{ row: restored, details: { number: current.number, text: plan.text, previousText: current.text } }],
        revert: { type: "restore-text", todoId: current.id, text: current.text },
      };
    }
    default:
      return { todos: [], changed: [], revert: { type: "none" } };
  }
}
