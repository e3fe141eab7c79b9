import type { ListName, TodoSelector } from "../commands/command.model.js";

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

/** The order `list` shows todos in: the default list first, then named lists by name, each by number. */
export function orderAsListed<T extends OpenTodoRef>(open: readonly T[]): T[] {
  return [...open].sort((a, b) => {
    if (a.list !== b.list) {
      if (a.list === "") return -1;
      if (b.list === "") return 1;
      return a.list < b.list ? -1 : 1;
    }
    return a.number - b.number;
  });
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
      const matches = findMatches(selector.name, inScope);
      const [only] = matches;
      if (only === undefined) return { kind: "no-match" };
      return matches.length === 1 ? { kind: "one", todo: only } : { kind: "ambiguous", candidates: matches };
    }
  }
}

/**
 * The open todos the user's words plausibly mean, best first. A first, strict version:
 * every word of the name must occur in the todo's text.
 */
export function findMatches<T extends OpenTodoRef>(name: string, open: readonly T[]): T[] {
  const words = wordsOf(name);
  if (words.length === 0) return [];
  return open.filter((todo) => {
    const todoWords = new Set(wordsOf(todo.text));
    return words.every((word) => todoWords.has(word));
  });
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "" && !["a", "an", "the", "my"].includes(word));
}
