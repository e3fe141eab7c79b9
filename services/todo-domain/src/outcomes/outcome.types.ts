import type { TodoStatus } from "../databases/todo/todo.schema.js";

/** A todo as an outcome shows it. */
export interface TodoItem {
  id: string;
  /** The #N the user sees; 0 once the todo is closed. */
  number: number;
  text: string;
  status: TodoStatus;
}

/** Numbers a command named that are not open, and the numbers that are, so the reply can say which exist. */
export interface NumbersNotFound {
  unknownNumbers: number[];
  openNumbers: number[];
}

/** What an undone change had done. */
export type UndoneChangeKind = "add" | "complete" | "edit" | "delete";

/**
 * What a command did, as its caller receives it and the notifier words the reply:
 * - added: heard is a voice note's transcript excerpt, empty for texts;
 * - undone: change is null, and nothingToUndo true, when there was nothing left to undo;
 * - settings: the settings after the change; summaryTime null means the summary is off,
 *   timezone null that the phone number's country decides;
 * - summary: localDate is the user's "YYYY-MM-DD" the summary is for, in timezone.
 */
export type Outcome =
  | { kind: "added"; todos: TodoItem[]; heard: string }
  | ({ kind: "completed"; todos: TodoItem[] } & NumbersNotFound)
  | ({ kind: "edited"; todo: TodoItem | undefined; previousText: string } & NumbersNotFound)
  | ({ kind: "deleted"; todos: TodoItem[] } & NumbersNotFound)
  | { kind: "list"; todos: TodoItem[] }
  | { kind: "help" }
  | { kind: "undone"; change: UndoneChangeKind | null; todos: TodoItem[]; nothingToUndo: boolean }
  | { kind: "settings"; summaryTime: string | null; timezone: string | null }
  | { kind: "subscription"; subscribed: boolean }
  | { kind: "more" }
  | { kind: "rejected"; reason: string }
  | { kind: "summary"; todos: TodoItem[]; localDate: string; timezone: string };
