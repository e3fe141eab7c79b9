import type { Transaction } from "kysely";
import { REFERENCE_FRESH_MS } from "@sms-todo/rules";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";
import type { Outcome, TodoItem } from "../outcomes/outcome.types.js";
import { setLastNamedTodo } from "../users/user.repository.js";

/**
 * "it", "that", "that one": the todo the user's latest reply named. A reply naming exactly one
 * todo (one added, completed, deleted, edited, found, listed or offered) makes it the reference;
 * one naming several (a list, an ambiguity) forgets it, as "it" would be a guess; one naming
 * none (help, settings, a count) leaves it. It is good for REFERENCE_FRESH_MS and only while the
 * todo is open.
 */

/** The todos a reply to this outcome shows by name. */
export function namedTodosOf(outcome: Outcome): readonly TodoItem[] {
  switch (outcome.kind) {
    case "added":
    case "completed":
    case "deleted":
    case "undone":
    case "confirmationNeeded":
      return outcome.todos;
    case "edited":
      return outcome.todo ? [outcome.todo] : [];
    case "list":
      return outcome.countOnly ? [] : outcome.todos;
    case "found":
      return outcome.matches;
    case "notResolved":
      return outcome.candidates;
    default:
      return [];
  }
}

/** Called once per applied command, under the user's lock, before the reply is queued. */
export async function rememberNamedTodo(
  trx: Transaction<TodoSchema>,
  userId: number,
  outcome: Outcome,
  now: Date,
): Promise<void> {
  const named = namedTodosOf(outcome);
  if (named.length === 0) return;
  await setLastNamedTodo(trx, userId, named.length === 1 ? named[0]!.id : null, now);
}

/** The #N "it" means now, or undefined when no open todo was named recently. */
export function referenceNumberOf(user: User, open: readonly TodoItem[], now: Date): number | undefined {
  if (user.last_named_todo_id === null || user.last_named_at === null) return undefined;
  if (now.getTime() - user.last_named_at.getTime() > REFERENCE_FRESH_MS) return undefined;
  return open.find((todo) => todo.id === user.last_named_todo_id)?.number;
}
