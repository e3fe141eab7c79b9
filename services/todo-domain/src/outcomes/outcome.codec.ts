import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import type { TodoStatus } from "../databases/todo/todo.schema.js";
import type { Outcome, TodoItem, UndoneChangeKind } from "./outcome.types.js";

const TODO_STATUS: Record<TodoStatus, todo.TodoStatus> = {
  open: todo.TodoStatus.TODO_STATUS_OPEN,
  done: todo.TodoStatus.TODO_STATUS_DONE,
  deleted: todo.TodoStatus.TODO_STATUS_DELETED,
};

const UNDONE_CHANGE: Record<UndoneChangeKind, todo.UndoneChange> = {
  add: todo.UndoneChange.UNDONE_CHANGE_ADD,
  complete: todo.UndoneChange.UNDONE_CHANGE_COMPLETE,
  edit: todo.UndoneChange.UNDONE_CHANGE_EDIT,
  delete: todo.UndoneChange.UNDONE_CHANGE_DELETE,
};

/**
 * An outcome's todo.v1.Outcome form. The gRPC edge answers with it and the reply event carries
 * it, and processed_commands and the saga log keep it encoded (rows written before any change
 * here must still read back), so the mapping has this one home for every layer that needs it.
 */
export function toOutcomeMessage(outcome: Outcome): todo.Outcome {
  switch (outcome.kind) {
    case "added":
      return { kind: { $case: "added", value: { todos: outcome.todos.map(toTodoMessage), heard: outcome.heard } } };
    case "completed":
    case "deleted": {
      const value = {
        todos: outcome.todos.map(toTodoMessage),
        unknownNumbers: outcome.unknownNumbers,
        openNumbers: outcome.openNumbers,
      };
      return { kind: outcome.kind === "completed" ? { $case: "completed", value } : { $case: "deleted", value } };
    }
    case "edited": {
      const { previousText, unknownNumbers, openNumbers } = outcome;
      const edited = outcome.todo === undefined ? undefined : toTodoMessage(outcome.todo);
      return { kind: { $case: "edited", value: { todo: edited, previousText, unknownNumbers, openNumbers } } };
    }
    case "list":
      return { kind: { $case: "list", value: { todos: outcome.todos.map(toTodoMessage) } } };
    case "help":
      return { kind: { $case: "help", value: {} } };
    case "undone": {
      const change = outcome.change === null ? todo.UndoneChange.UNDONE_CHANGE_UNSPECIFIED : UNDONE_CHANGE[outcome.change];
      const value = { change, todos: outcome.todos.map(toTodoMessage), nothingToUndo: outcome.nothingToUndo };
      return { kind: { $case: "undone", value } };
    }
    case "settings": {
      const value = {
        summaryTime: outcome.summaryTime ?? "",
        summaryOff: outcome.summaryTime === null,
        timezone: outcome.timezone ?? "",
      };
      return { kind: { $case: "settings", value } };
    }
    case "subscription":
      return { kind: { $case: "subscription", value: { subscribed: outcome.subscribed } } };
    case "more":
      return { kind: { $case: "more", value: {} } };
    case "rejected":
      return { kind: { $case: "rejected", value: { reason: outcome.reason } } };
    case "summary": {
      const { localDate, timezone } = outcome;
      return { kind: { $case: "summary", value: { todos: outcome.todos.map(toTodoMessage), localDate, timezone } } };
    }
  }
}

export function fromOutcomeMessage(message: todo.Outcome): Outcome {
  const kind = message.kind;
  switch (kind?.$case) {
    case "added":
      return { kind: "added", todos: kind.value.todos.map(fromTodoMessage), heard: kind.value.heard };
    case "completed":
    case "deleted": {
      const { todos, unknownNumbers, openNumbers } = kind.value;
      return { kind: kind.$case, todos: todos.map(fromTodoMessage), unknownNumbers, openNumbers };
    }
    case "edited": {
      const { previousText, unknownNumbers, openNumbers } = kind.value;
      const edited = kind.value.todo === undefined ? undefined : fromTodoMessage(kind.value.todo);
      return { kind: "edited", todo: edited, previousText, unknownNumbers, openNumbers };
    }
    case "list":
      return { kind: "list", todos: kind.value.todos.map(fromTodoMessage) };
    case "help":
      return { kind: "help" };
    case "undone": {
      const { change, todos, nothingToUndo } = kind.value;
      return { kind: "undone", change: undoneChangeOf(change), todos: todos.map(fromTodoMessage), nothingToUndo };
    }
    case "settings": {
      const { summaryTime, summaryOff, timezone } = kind.value;
      return { kind: "settings", summaryTime: summaryOff ? null : summaryTime, timezone: timezone === "" ? null : timezone };
    }
    case "subscription":
      return { kind: "subscription", subscribed: kind.value.subscribed };
    case "more":
      return { kind: "more" };
    case "rejected":
      return { kind: "rejected", reason: kind.value.reason };
    case "summary": {
      const { todos, localDate, timezone } = kind.value;
      return { kind: "summary", todos: todos.map(fromTodoMessage), localDate, timezone };
    }
    case undefined:
      throw new AppError("INTERNAL", "an outcome without a kind");
  }
}

export function encodeOutcome(outcome: Outcome): Uint8Array {
  return todo.Outcome.encode(toOutcomeMessage(outcome)).finish();
}

export function decodeOutcome(bytes: Uint8Array): Outcome {
  return fromOutcomeMessage(todo.Outcome.decode(bytes));
}

export function toTodoMessage(item: TodoItem): todo.Todo {
  return { id: item.id, number: item.number, text: item.text, status: TODO_STATUS[item.status] };
}

function fromTodoMessage(message: todo.Todo): TodoItem {
  return { id: message.id, number: message.number, text: message.text, status: todoStatusOf(message.status) };
}

function todoStatusOf(status: todo.TodoStatus): TodoStatus {
  if (status === todo.TodoStatus.TODO_STATUS_OPEN) return "open";
  return status === todo.TodoStatus.TODO_STATUS_DONE ? "done" : "deleted";
}

function undoneChangeOf(change: todo.UndoneChange): UndoneChangeKind | null {
  const found = Object.entries(UNDONE_CHANGE).find(([, value]) => value === change);
  return found ? (found[0] as UndoneChangeKind) : null;
}
