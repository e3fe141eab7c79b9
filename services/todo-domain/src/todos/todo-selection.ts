import { orderAsListed, resolveSelector, type TodoSelector } from "@sms-todo/command-language/matching";
import type { NotResolvedReason, TodoItem } from "../outcomes/outcome.types.js";

/**
 * Which open todos a command's selectors mean, decided by the command language's resolver so
 * that todo-domain and the language benchmark read the user's words the same way.
 * - Number selectors keep their old rule: open numbers act, the others are reported.
 * - Name, position and reference selectors must each pin down one open todo; the first that
 *   does not decides the outcome and nothing changes.
 * - "all" never acts: the caller asks for a confirming text instead.
 */
export type Selection =
  | { kind: "todos"; todos: TodoItem[]; unknownNumbers: number[] }
  | { kind: "all"; todos: TodoItem[] }
  | { kind: "unresolved"; reason: NotResolvedReason; query: string; candidates: TodoItem[] };

export interface SelectionScope {
  /** "" looks in every list. */
  list: string;
  /** What "it" means now (todos/todo-reference.ts). */
  referenceNumber: number | undefined;
}

/** The user's words as a reply may quote them. */
export const MAX_QUERY_LENGTH = 60;

export function selectTodos(selectors: readonly TodoSelector[], open: readonly TodoItem[], scope: SelectionScope): Selection {
  const chosen = new Map<string, TodoItem>();
  const unknownNumbers: number[] = [];
  for (const selector of selectors) {
    if (selector.by === "number") {
      const todo = open.find((candidate) => candidate.number === selector.number);
      if (todo) chosen.set(todo.id, todo);
      else if (!unknownNumbers.includes(selector.number)) unknownNumbers.push(selector.number);
      continue;
    }
    const resolution = resolveSelector(selector, open, { list: scope.list || undefined, referenceNumber: scope.referenceNumber });
    switch (resolution.kind) {
      case "one":
        chosen.set(resolution.todo.id, resolution.todo);
        break;
      case "all":
        return { kind: "all", todos: [...resolution.todos] };
      case "ambiguous":
        return { kind: "unresolved", reason: "ambiguous", query: queryOf(selector), candidates: [...resolution.candidates] };
      default:
        return { kind: "unresolved", reason: resolution.kind, query: queryOf(selector), candidates: [] };
    }
  }
  return { kind: "todos", todos: [...chosen.values()].sort((a, b) => a.number - b.number), unknownNumbers };
}

/** The open todos of a list ("" every list), in the order a list reply shows them. */
export function openTodosOfList(open: readonly TodoItem[], list: string): TodoItem[] {
  return orderAsListed(list === "" ? open : open.filter((todo) => todo.list === list));
}

export function queryOf(selector: TodoSelector): string {
  return selector.by === "name" ? shortQuery(selector.name) : "";
}

export function shortQuery(words: string): string {
  return [...words.trim()].slice(0, MAX_QUERY_LENGTH).join("");
}
