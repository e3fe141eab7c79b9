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
  /** When it is due; absent when it has no due. */
  due?: DueView;
}

/** Where a due falls relative to the user's today when the outcome was made. */
export type DueDay = "overdue" | "today" | "tomorrow" | "later";

/** A todo's due as outcomes show it, in the user's timezone. */
export interface DueView {
  /** "YYYY-MM-DD" */
  date: string;
  /** "HH:MM"; null when only a date is due. */
  time: string | null;
  /** The due instant in epoch milliseconds; 0 when only a date is due. */
  atMs: number;
  /** A recurring todo's rule in words ("every Monday"); "" when it does not repeat. */
  repeat: string;
  day: DueDay;
}

/** What a list shows: every open todo, or only those due by a time. */
export type DueFilter = "all" | "today" | "week" | "overdue";

/** Numbers a command named that are not open, and the numbers that are, so the reply can say which exist. */
export interface NumbersNotFound {
  unknownNumbers: number[];
  openNumbers: number[];
}

/** What a command that named todos by selector was going to do. */
export type TodoAction = "complete" | "delete" | "edit" | "reschedule" | "stop-repeating";

/** Why a selector did not pin down one open todo (the resolver's own words for it). */
export type NotResolvedReason = "ambiguous" | "no-match" | "no-reference" | "no-such-position";

/** What an undone change had done. */
export type UndoneChangeKind = "add" | "complete" | "edit" | "delete" | "reschedule";

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
 * - found: the open todos matching query, best first (none: no);
 * - completed: a recurring todo stays open, with its number and its next due;
 * - rescheduled: previous is the due before (undefined when it had none);
 * - reminder: late when it goes out after its minute.
 */
export type Outcome =
  | { kind: "added"; todos: TodoItem[]; heard: string }
  | ({ kind: "completed"; todos: TodoItem[] } & NumbersNotFound)
  | ({ kind: "edited"; todo: TodoItem | undefined; previousText: string } & NumbersNotFound)
  | ({ kind: "deleted"; todos: TodoItem[] } & NumbersNotFound)
  | { kind: "list"; todos: TodoItem[]; list: string; countOnly: boolean; due: DueFilter }
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
  | { kind: "found"; query: string; matches: TodoItem[]; list: string }
  | { kind: "rescheduled"; todo: TodoItem; previous: DueView | undefined }
  | { kind: "reminder"; todo: TodoItem; late: boolean }
  | { kind: "repeatStopped"; todo: TodoItem };
