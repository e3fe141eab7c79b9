import type { TimingWords } from "../time.js";

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
  | FindCommand
  | MoreCommand
  | UndoCommand
  | HelpCommand
  | RescheduleCommand
  | StopRepeatingCommand
  | SettingsCommand
  | SubscriptionCommand
  | InvalidCommand;

export type CommandKind = Command["kind"];

/**
 * Which open todo a command means; todo-domain resolves it against the sender's open todos
 * (see todo.v1.TodoSelector).
 */
export type TodoSelector =
  /** "#3", "task 3", "number three": within 1..MAX_TODO_NUMBER. */
  | { readonly by: "number"; readonly number: number }
  /** The user's words for the todo, wrapper words removed ("milk", "called mom"). */
  | { readonly by: "name"; readonly name: string }
  /** A line of the list as shown: 1 the first, 2 the second, …, -1 the last. */
  | { readonly by: "position"; readonly position: number }
  /** "it", "that", "that one": the todo the previous reply named. */
  | { readonly by: "reference" }
  /** "all", "everything": never acts without the user's confirming text. */
  | { readonly by: "all" };

/**
 * A named list, normalised (lower case, without "list", "my", "the"; see normaliseListName);
 * absent for the default list.
 */
export type ListName = string;

export interface AddCommand {
  readonly kind: "add";
  /** 1..MAX_TODOS_PER_MESSAGE texts, each trimmed, whitespace-collapsed and at most MAX_TODO_LENGTH long. */
  readonly texts: readonly string[];
  /**
   * Absent, or one per text: the time words split off it ("tomorrow at 5pm", "every monday"),
   * undefined for a text without any. todo-domain reads them in the user's timezone.
   */
  readonly timings?: ReadonlyArray<TimingWords | undefined>;
  readonly list?: ListName;
}

export interface CompleteCommand {
  readonly kind: "complete";
  /**
   * 1..MAX_TODOS_PER_MESSAGE selectors in the order written; numbers deduplicated and each
   * within 1..MAX_TODO_NUMBER. An "all" selector is the only one.
   */
  readonly targets: readonly TodoSelector[];
  /** Name, position and all selectors look only inside this list. */
  readonly list?: ListName;
}

export interface DeleteCommand {
  readonly kind: "delete";
  /** Same rules as CompleteCommand.targets. */
  readonly targets: readonly TodoSelector[];
  readonly list?: ListName;
}

export interface EditCommand {
  readonly kind: "edit";
  /** Any selector but "all". */
  readonly target: TodoSelector;
  /** The new text, with the same rules as AddCommand.texts. */
  readonly text: string;
  readonly list?: ListName;
}

/** Which todos a list shows by due: absent shows every open todo. */
export type DueFilter = "today" | "week" | "overdue";

export interface ListCommand {
  readonly kind: "list";
  /** "what's due today", "overdue": only the todos due then (overdue ones included). */
  readonly due?: DueFilter;
  /** Only this list; absent shows every list, grouped. */
  readonly list?: ListName;
  /** "how many things are on my list": counts instead of the todos. */
  readonly countOnly?: boolean;
}

/**
 * "do I have milk on my list?": answers yes with the numbers, or no; changes nothing. With
 * addIfMissing ("add eggs if they're not on my list") a missing todo is added instead.
 */
export interface FindCommand {
  readonly kind: "find";
  readonly name: string;
  readonly list?: ListName;
  readonly addIfMissing?: boolean;
}

/** "snooze 4 1h", "postpone #4 to friday", "later" after a reminder: moves one todo's due. */
export interface RescheduleCommand {
  readonly kind: "reschedule";
  /** Any selector but "all". */
  readonly target: TodoSelector;
  /** The words for the new due, at most MAX_TIMING_LENGTH long ("in 1 hour", "friday"). */
  readonly when: string;
  readonly list?: ListName;
}

/** "stop repeating 4": a recurring todo's series ends; the todo stays open. */
export interface StopRepeatingCommand {
  readonly kind: "stop-repeating";
  /** Any selector but "all". */
  readonly target: TodoSelector;
  readonly list?: ListName;
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

/** Number selectors for these numbers, in order. */
export function numberTargets(numbers: readonly number[]): TodoSelector[] {
  return numbers.map((number) => ({ by: "number", number }));
}
