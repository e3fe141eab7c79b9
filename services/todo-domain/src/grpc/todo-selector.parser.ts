import type { TodoSelector } from "@sms-todo/command-language/matching";
import { isValidListName, MAX_LIST_NAME_LENGTH, MAX_TODO_LENGTH, MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import type { todo } from "@sms-todo/contracts";
import { DUE_FILTER } from "../outcomes/outcome.codec.js";
import type { DueFilter } from "../outcomes/outcome.types.js";
import { parseTodoNumbers } from "./command-context.parser.js";

/**
 * Selectors and list names as callers send them. The command language produces only valid
 * ones from the same rules, so a refusal here means a caller bug: INVALID_ARGUMENT, like every
 * other malformed request.
 */

/** A normalised list name, "" for the default list. */
export function parseListName(value: string): string {
  const name = value.replace(/\s+/g, " ").trim().toLowerCase();
  if (name === "") return "";
  if (!isValidListName(name))
    throw new AppError(
      "INVALID_ARGUMENT",
      `list must be at most ${MAX_LIST_NAME_LENGTH} letters, digits, spaces, hyphens or apostrophes`,
    );
  return name;
}

/** Legacy numbers first, as number selectors, then the targets; "all" only on its own. */
export function parseTodoTargets(numbers: readonly number[], targets: readonly todo.TodoSelector[]): TodoSelector[] {
  const selectors = [
    ...(numbers.length > 0 ? parseTodoNumbers(numbers) : []).map((number): TodoSelector => ({ by: "number", number })),
    ...targets.map(parseTodoSelector),
  ];
  if (selectors.length === 0) throw new AppError("INVALID_ARGUMENT", "numbers or targets must name at least one todo");
  if (selectors.length > MAX_TODOS_PER_MESSAGE)
    throw new AppError("INVALID_ARGUMENT", `at most ${MAX_TODOS_PER_MESSAGE} todos at once`);
  if (selectors.length > 1 && selectors.some((selector) => selector.by === "all"))
    throw new AppError("INVALID_ARGUMENT", "an all target comes on its own");
  return dedupeNumbers(selectors);
}

/** A list's due filter; an enum value this version does not know is a caller bug. */
export function parseDueFilter(value: todo.DueFilter): DueFilter {
  const filter = (Object.keys(DUE_FILTER) as DueFilter[]).find((key) => DUE_FILTER[key] === value);
  if (filter === undefined) throw new AppError("INVALID_ARGUMENT", "due must be a DueFilter value");
  return filter;
}

/** The one todo an edit (or a reschedule) means: target, else the legacy number; never "all". */
export function parseEditTarget(number: number, target: todo.TodoSelector | undefined): TodoSelector {
  const selector = target ? parseTodoSelector(target) : ({ by: "number", number: parseTodoNumbers([number])[0]! } as const);
  if (selector.by === "all") throw new AppError("INVALID_ARGUMENT", "an edit changes one todo, not all");
  return selector;
}

/** The user's words for a todo, as FindTodo and name selectors carry them. */
export function parseTodoName(value: string): string {
  const name = value.replace(/\s+/g, " ").trim();
  if (name.length === 0 || name.length > MAX_TODO_LENGTH)
    throw new AppError("INVALID_ARGUMENT", `a todo's name has 1 to ${MAX_TODO_LENGTH} characters`);
  return name;
}

export function parseTodoSelector(selector: todo.TodoSelector): TodoSelector {
  const by = selector.by;
  switch (by?.$case) {
    case "number":
      return { by: "number", number: parseTodoNumbers([by.value])[0]! };
    case "name":
      return { by: "name", name: parseTodoName(by.value) };
    case "position": {
      const position = by.value;
      if (!Number.isInteger(position) || position === 0 || Math.abs(position) > MAX_TODO_NUMBER)
        throw new AppError("INVALID_ARGUMENT", `a position is 1 to ${MAX_TODO_NUMBER}, or -1 for the last`);
      return { by: "position", position };
    }
    case "reference":
      return { by: "reference" };
    case "all":
      return { by: "all" };
    case undefined:
      throw new AppError("INVALID_ARGUMENT", "a target must say how it names the todo");
  }
}

function dedupeNumbers(selectors: TodoSelector[]): TodoSelector[] {
  const seen = new Set<number>();
  return selectors.filter((selector) => {
    if (selector.by !== "number") return true;
    if (seen.has(selector.number)) return false;
    seen.add(selector.number);
    return true;
  });
}
