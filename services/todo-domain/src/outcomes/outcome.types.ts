import type { TodoStatus } from "../databases/todo/todo.schema.js";

/** A todo as an outcome shows it. */
export interface TodoItem {
  id: string;
  /** The #N the user sees; 0 once the todo is closed. */
  number: number;
  text: string;
  status: TodoStatus;
  /** The named list the todo is on; "" for the default list. */
  list: string;
}

/** Numbers a command named that are not open, and the numbers that are, so the reply can say which exist. */
export interface NumbersNotFound {
  unknownNumbers: number[];
  openNumbers: number[];
}

/** What a command that named todos by selector was going to do. */
export type TodoAction = "complete" | "delete" | "edit";

/** Why a selector did not pin down one open todo (the resolver's own words for it). */
export type NotResolvedReason = "ambiguous" | "no-match" | "no-reference" | "no-such-position";

/** What an undone change had done. */
export type UndoneChangeKind = "add" | "complete" | "edit" | "delete";

/**
 * What a command did, as its caller receives it and the notifier words the reply:
 * - added: heard is a voice note's transcript excerpt, empty for texts;
 * - undone: change is null, and nothingToUndo true, when there was nothing left to undo;
 * - settings: the settings after the change; summaryTime null means the summary is off,
 *   timezone null that the phone number's country decides;
 * - summary: localDate is the user's "YYYY-MM-DD" the summary is for, in timezone;
 * - list: todos in the order the reply shows them (orderAsListed), only those of list when one
 *   was asked for ("" for every list); countOnly asks the reply for the counts;
 * - notResolved: nothing changed; query is a name selector's words (at most 60 characters),
 *   candidates the ambiguous matches best first, open the open todos (of list, when named),
 *   text an edit's new text;
 * - confirmationNeeded: nothing changed; todos are those "all" meant;
 * - found: the open todos matching query, best first (none: no).
 */
export type Outcome =
  | { kind: "added"; todos: TodoItem[]; heard: string }
  | ({ kind: "completed"; todos: TodoItem[] } & NumbersNotFound)
  | ({ kind: "edited"; todo: TodoItem | undefined; previousText: string } & NumbersNotFound)
  | ({ kind: "deleted"; todos: TodoItem[] } & NumbersNotFound)
  | { kind: "list"; todos: TodoItem[]; list: string; countOnly: boolean }
  | { kind: "help" }
  | { kind: "undone"; change: UndoneChangeKind | null; todos: TodoItem[]; nothingToUndo: boolean }
  | { kind: "settings"; summaryTime: string | null; timezone: string | null }
  | { kind: "subscription"; subscribed: boolean }
  | { kind: "more" }
  | { kind: "rejected"; reason: string }
  | { kind: "summary"; todos: TodoItem[]; localDate: string; timezone: string }
  | {
      kind: "notResolved";
      action: TodoAction;
      reason: NotResolvedReason;
      query: string;
      candidates: TodoItem[];
      open: TodoItem[];
      list: string;
      text: string;
    }
  | { kind: "confirmationNeeded"; action: TodoAction; todos: TodoItem[]; list: string }
  | { kind: "found"; query: string; matches: TodoItem[]; list: string };
