import type { ListName, TodoSelector } from "../commands/command.model.js";
import { nameMatch, type NameMatch } from "./name.matcher.js";

/**
 * Resolves a TodoSelector against a sender's open todos. todo-domain calls it inside the
 * command's transaction and the language benchmark calls it on the corpus' todos, so both
 * read the user's words the same way. Pure: no I/O.
 */

/** What the resolver needs of an open todo. */
export interface OpenTodoRef {
  readonly number: number;
  readonly text: string;
  /** "" for the default list. */
  readonly list: string;
  /** When it is due, as the user's local date and time ("HH:MM", null for a date alone). */
  readonly due?: { readonly date: string; readonly time: string | null } | undefined;
}

export interface ResolveScope {
  /** Name, position and all selectors look only inside this list. */
  readonly list?: ListName | undefined;
  /** The #N of the todo the user's previous reply named, while it is still fresh. */
  readonly referenceNumber?: number | undefined;
}

export type Resolution<T> =
  | { readonly kind: "one"; readonly todo: T }
  | { readonly kind: "all"; readonly todos: readonly T[] }
  | { readonly kind: "ambiguous"; readonly candidates: readonly T[] }
  | { readonly kind: "no-match" }
  | { readonly kind: "no-reference" }
  | { readonly kind: "no-such-position" };

/**
 * The order `list` shows todos in: the default list first, then named lists by name; in each,
 * the todos with a due first, soonest first (a date alone after the times of that day), then
 * the others by number.
 */
export function orderAsListed<T extends OpenTodoRef>(open: readonly T[]): T[] {
  return [...open].sort((a, b) => {
    if (a.list !== b.list) {
      if (a.list === "") return -1;
      if (b.list === "") return 1;
      return a.list < b.list ? -1 : 1;
    }
    const [dueA, dueB] = [dueKeyOf(a), dueKeyOf(b)];
    // Compared by code unit: "~" sorts after every digit, as locale collation would not.
    if (dueA !== dueB) return dueA < dueB ? -1 : 1;
    return a.number - b.number;
  });
}

/** Sorts dues by date, then time, a date alone last in its day, and todos without a due after all of them. */
function dueKeyOf(todo: OpenTodoRef): string {
  return todo.due === undefined ? "~" : `${todo.due.date} ${todo.due.time ?? "~"}`;
}

export function resolveSelector<T extends OpenTodoRef>(
  selector: TodoSelector,
  open: readonly T[],
  scope: ResolveScope = {},
): Resolution<T> {
  const inScope = orderAsListed(scope.list === undefined ? open : open.filter((todo) => todo.list === scope.list));
  switch (selector.by) {
    case "number": {
      const todo = open.find((candidate) => candidate.number === selector.number);
      return todo ? { kind: "one", todo } : { kind: "no-match" };
    }
    case "reference": {
      const todo = open.find((candidate) => candidate.number === scope.referenceNumber);
      return todo ? { kind: "one", todo } : { kind: "no-reference" };
    }
    case "position": {
      const index = selector.position < 0 ? inScope.length + selector.position : selector.position - 1;
      const todo = inScope[index];
      return todo ? { kind: "one", todo } : { kind: "no-such-position" };
    }
    case "all":
      return { kind: "all", todos: inScope };
    case "name": {
      const ranked = rankedMatches(selector.name, inScope);
      const [best] = ranked;
      if (best === undefined) return { kind: "no-match" };
      const rivals = ranked.filter((other) => !clearlyBetter(best.match, other.match));
      return rivals.length === 1
        ? { kind: "one", todo: best.todo }
        : { kind: "ambiguous", candidates: rivals.map((r) => r.todo) };
    }
  }
}

/**
 * The open todos the user's words plausibly mean, best first: every content word of the name
 * matches a word of the todo (inflection, plurals, word order and small typos tolerated; see
 * name.matcher). A todo the name covers completely ranks before one it names only in part.
 */
export function findMatches<T extends OpenTodoRef>(name: string, open: readonly T[]): T[] {
  return rankedMatches(name, open).map((ranked) => ranked.todo);
}

interface Ranked<T> {
  readonly todo: T;
  readonly match: NameMatch;
}

function rankedMatches<T extends OpenTodoRef>(name: string, open: readonly T[]): Ranked<T>[] {
  const ranked: Ranked<T>[] = [];
  for (const todo of orderAsListed(open)) {
    const match = nameMatch(name, todo.text);
    if (match) ranked.push({ todo, match });
  }
  return ranked.sort((a, b) => Number(b.match.complete) - Number(a.match.complete) || b.match.score - a.match.score);
}

/** A score this much higher is a clearly better match (an exact word against a typo, a date that also matches). */
const CLEAR_MARGIN = 0.25;

/**
 * Whether one match is clearly better than another: it names the whole todo while the other
 * names part of it ("milk" means "milk" rather than "buy milk"), or it matches clearly more.
 */
function clearlyBetter(best: NameMatch, other: NameMatch): boolean {
  if (best === other) return false;
  if (best.complete !== other.complete) return best.complete;
  return best.score - other.score >= CLEAR_MARGIN;
}
