import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import type { TodoStatus } from "../databases/todo/todo.schema.js";
import type {
  DueDay,
  DueFilter,
  DueView,
  NotResolvedReason,
  Outcome,
  TodoAction,
  TodoItem,
  UndoneChangeKind,
} from "./outcome.types.js";

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
  reschedule: todo.UndoneChange.UNDONE_CHANGE_RESCHEDULE,
};

const TODO_ACTION: Record<TodoAction, todo.TodoAction> = {
  complete: todo.TodoAction.TODO_ACTION_COMPLETE,
  delete: todo.TodoAction.TODO_ACTION_DELETE,
  edit: todo.TodoAction.TODO_ACTION_EDIT,
  reschedule: todo.TodoAction.TODO_ACTION_RESCHEDULE,
  "stop-repeating": todo.TodoAction.TODO_ACTION_STOP_REPEATING,
};

const DUE_DAY: Record<DueDay, todo.DueDay> = {
  overdue: todo.DueDay.DUE_DAY_OVERDUE,
  today: todo.DueDay.DUE_DAY_TODAY,
  tomorrow: todo.DueDay.DUE_DAY_TOMORROW,
  later: todo.DueDay.DUE_DAY_LATER,
};

export const DUE_FILTER: Record<DueFilter, todo.DueFilter> = {
  all: todo.DueFilter.DUE_FILTER_UNSPECIFIED,
  today: todo.DueFilter.DUE_FILTER_TODAY,
  week: todo.DueFilter.DUE_FILTER_WEEK,
  overdue: todo.DueFilter.DUE_FILTER_OVERDUE,
};

const NOT_RESOLVED_REASON: Record<NotResolvedReason, todo.TodoNotResolved_Reason> = {
  ambiguous: todo.TodoNotResolved_Reason.REASON_AMBIGUOUS,
  "no-match": todo.TodoNotResolved_Reason.REASON_NO_MATCH,
  "no-reference": todo.TodoNotResolved_Reason.REASON_NO_REFERENCE,
  "no-such-position": todo.TodoNotResolved_Reason.REASON_NO_SUCH_POSITION,
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
    case "list": {
      const { list, countOnly } = outcome;
      const value = { todos: outcome.todos.map(toTodoMessage), list, countOnly, due: DUE_FILTER[outcome.due] };
      return { kind: { $case: "list", value } };
    }
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
    case "notResolved": {
      const value = {
        action: TODO_ACTION[outcome.action],
        reason: NOT_RESOLVED_REASON[outcome.reason],
        query: outcome.query,
        candidates: outcome.candidates.map(toTodoMessage),
        open: outcome.open.map(toTodoMessage),
        list: outcome.list,
        text: outcome.text,
      };
      return { kind: { $case: "notResolved", value } };
    }
    case "confirmationNeeded": {
      const value = { action: TODO_ACTION[outcome.action], todos: outcome.todos.map(toTodoMessage), list: outcome.list };
      return { kind: { $case: "confirmationNeeded", value } };
    }
    case "found": {
      const value = { query: outcome.query, matches: outcome.matches.map(toTodoMessage), list: outcome.list };
      return { kind: { $case: "found", value } };
    }
    case "rescheduled": {
      const previous = outcome.previous === undefined ? undefined : toDueMessage(outcome.previous);
      return { kind: { $case: "rescheduled", value: { todo: toTodoMessage(outcome.todo), previous } } };
    }
    case "reminder":
      return { kind: { $case: "reminder", value: { todo: toTodoMessage(outcome.todo), late: outcome.late } } };
    case "repeatStopped":
      return { kind: { $case: "repeatStopped", value: { todo: toTodoMessage(outcome.todo) } } };
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
    case "list": {
      const { todos, list, countOnly, due } = kind.value;
      return { kind: "list", todos: todos.map(fromTodoMessage), list, countOnly, due: keyOf(DUE_FILTER, due) ?? "all" };
    }
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
    case "notResolved": {
      const { action, reason, query, candidates, open, list, text } = kind.value;
      return {
        kind: "notResolved",
        action: todoActionOf(action),
        reason: keyOf(NOT_RESOLVED_REASON, reason) ?? "no-match",
        query,
        candidates: candidates.map(fromTodoMessage),
        open: open.map(fromTodoMessage),
        list,
        text,
      };
    }
    case "confirmationNeeded": {
      const { action, todos, list } = kind.value;
      return { kind: "confirmationNeeded", action: todoActionOf(action), todos: todos.map(fromTodoMessage), list };
    }
    case "found": {
      const { query, matches, list } = kind.value;
      return { kind: "found", query, matches: matches.map(fromTodoMessage), list };
    }
    case "rescheduled": {
      const { previous } = kind.value;
      return {
        kind: "rescheduled",
        todo: fromTodoMessage(requiredTodo(kind.value.todo)),
        previous: previous === undefined ? undefined : fromDueMessage(previous),
      };
    }
    case "reminder":
      return { kind: "reminder", todo: fromTodoMessage(requiredTodo(kind.value.todo)), late: kind.value.late };
    case "repeatStopped":
      return { kind: "repeatStopped", todo: fromTodoMessage(requiredTodo(kind.value.todo)) };
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
  const due = item.due === undefined ? undefined : toDueMessage(item.due);
  return { id: item.id, number: item.number, text: item.text, status: TODO_STATUS[item.status], list: item.list, due };
}

function toDueMessage(due: DueView): todo.Due {
  return { localDate: due.date, localTime: due.time ?? "", atMs: due.atMs, repeat: due.repeat, day: DUE_DAY[due.day] };
}

function fromDueMessage(message: todo.Due): DueView {
  return {
    date: message.localDate,
    time: message.localTime === "" ? null : message.localTime,
    atMs: message.atMs,
    repeat: message.repeat,
    day: keyOf(DUE_DAY, message.day) ?? "later",
  };
}

function requiredTodo(message: todo.Todo | undefined): todo.Todo {
  if (message === undefined) throw new AppError("INTERNAL", "an outcome without its todo");
  return message;
}

function fromTodoMessage(message: todo.Todo): TodoItem {
  // Todos stored before named lists decode with list "": the default list, where they were.
  const item: TodoItem = {
    id: message.id,
    number: message.number,
    text: message.text,
    status: todoStatusOf(message.status),
    list: message.list,
  };
  return message.due === undefined ? item : { ...item, due: fromDueMessage(message.due) };
}

function todoStatusOf(status: todo.TodoStatus): TodoStatus {
  if (status === todo.TodoStatus.TODO_STATUS_OPEN) return "open";
  return status === todo.TodoStatus.TODO_STATUS_DONE ? "done" : "deleted";
}

function undoneChangeOf(change: todo.UndoneChange): UndoneChangeKind | null {
  return keyOf(UNDONE_CHANGE, change) ?? null;
}

/** Only this codec writes these outcomes, always with an action; "complete" stands in for a missing one. */
function todoActionOf(action: todo.TodoAction): TodoAction {
  return keyOf(TODO_ACTION, action) ?? "complete";
}

function keyOf<K extends string, V>(table: Record<K, V>, value: V): K | undefined {
  const found = Object.entries(table).find(([, candidate]) => candidate === value);
  return found ? (found[0] as K) : undefined;
}
