/**
 * What one inbound text asks for. Each variant maps to exactly one TodoService RPC; the
 * deterministic parser and the optional LLM mapper both produce it, and the dispatcher
 * is the one place that turns it into a call.
 */
export type Command =
  | AddCommand
  | CompleteCommand
  | DeleteCommand
  | EditCommand
  | ListCommand
  | MoreCommand
  | UndoCommand
  | HelpCommand
  | SettingsCommand
  | SubscriptionCommand
  | InvalidCommand;

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

export interface DeleteCommand {
  readonly kind: "delete";
  /** Same rules as CompleteCommand.numbers. */
  readonly numbers: readonly number[];
}

export interface EditCommand {
  readonly kind: "edit";
  /** Within 1..MAX_TODO_NUMBER. */
  readonly number: number;
  /** The new text, with the same rules as AddCommand.texts. */
  readonly text: string;
}

export interface ListCommand {
  readonly kind: "list";
}

/** "more": the next page of the last reply that did not fit one page. */
export interface MoreCommand {
  readonly kind: "more";
}

/** Reverts the sender's most recent change. */
export interface UndoCommand {
  readonly kind: "undo";
}

export interface HelpCommand {
  readonly kind: "help";
}

export type SettingsChange =
  /** "HH:MM", 24-hour, local time of the daily summary. */
  | { readonly summaryTime: string }
  | { readonly summaryOff: true }
  /** A valid IANA timezone name in its canonical spelling, e.g. "Europe/Berlin". */
  | { readonly timezone: string };

export interface SettingsCommand {
  readonly kind: "settings";
  readonly change: SettingsChange;
}

/** An opt-out (STOP, …) or opt-in (START, …) keyword, or Twilio's OptOutType saying so. */
export interface SubscriptionCommand {
  readonly kind: "subscription";
  readonly subscribed: boolean;
}

/** The text was understood as something that cannot be applied; nothing changes. */
export interface InvalidCommand {
  readonly kind: "invalid";
  /** Safe to show to the user: it never quotes the message. */
  readonly reason: string;
}
