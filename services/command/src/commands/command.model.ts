/**
 * What one inbound text asks for. Each variant maps to exactly one TodoService RPC, so a
 * new intent (edit, delete, undo, settings, more, subscription) is one more variant here
 * and one more case in the dispatcher; the parser and a future LLM mapper both produce it.
 */
export type Command = AddCommand | CompleteCommand | ListCommand | HelpCommand | InvalidCommand;

export type CommandKind = Command["kind"];

export interface AddCommand {
  readonly kind: "add";
  /** 1..MAX_TODOS_PER_MESSAGE texts, each trimmed, whitespace-collapsed and at most MAX_TODO_LENGTH long. */
  readonly texts: readonly string[];
}

export interface CompleteCommand {
  readonly kind: "complete";
  /** 1..MAX_TODOS_PER_MESSAGE numbers, deduplicated, in the order written, each within 1..MAX_TODO_NUMBER. */
  readonly numbers: readonly number[];
}

export interface ListCommand {
  readonly kind: "list";
}

export interface HelpCommand {
  readonly kind: "help";
}

/** The text was understood as something that cannot be applied; nothing changes. */
export interface InvalidCommand {
  readonly kind: "invalid";
  /** Safe to show to the user: it never quotes the message. */
  readonly reason: string;
}

// todo-domain refuses longer texts with INVALID_ARGUMENT (which would dead-letter the message without a reply),
// so the parser checks the same limit first, counted the same way: UTF-16 code units, whitespace collapsed.
export const MAX_TODO_LENGTH = 500;

// todo-domain's limit of todos (and numbers) per call; a longer pasted list is refused as a whole.
export const MAX_TODOS_PER_MESSAGE = 50;

// #N is the lowest free number per user and nobody keeps a thousand open todos by SMS; "done 2024" is far
// more likely a slip than todo #2024.
export const MAX_TODO_NUMBER = 999;
