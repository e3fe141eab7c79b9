import { todo } from "@sms-todo/contracts";
import { isQuietTime } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import {
  addedPhrase,
  completedPhrase,
  deletedPhrase,
  editedPhrase,
  EMPTY_LIST_REPLY,
  heardNoTodoPhrase,
  heardPhrase,
  HELP_REPLY,
  LINE_NOUNS,
  NOTHING_ADDED_REPLY,
  NOTHING_CHANGED_REPLY,
  NOTHING_COMPLETED_REPLY,
  NOTHING_DELETED_REPLY,
  NOTHING_TO_UNDO_REPLY,
  QUIET_HOURS_NOTE,
  REJECTED_REPLY,
  SETTINGS_SAVED_REPLY,
  summaryHeading,
  SUMMARY_OFF_REPLY,
  summaryTimePhrase,
  timezoneNote,
  timezoneSetPhrase,
  UNDONE_REPLY,
  undoneAddPhrase,
  undoneCompletePhrase,
  undoneDeletePhrase,
  undoneEditPhrase,
  undoneOtherPhrase,
  unknownNumbersPhrase,
  type LineNoun,
} from "./reply.phrases.js";

export type OutcomeKind = NonNullable<todo.Outcome["kind"]>["$case"];

/**
 * What to answer an outcome with: a text (paged by the sender when long), the next stored page
 * of the user's last long reply, or no SMS at all.
 */
export type Reply = { type: "text"; text: string; lineNoun: LineNoun } | { type: "next-page" } | { type: "none"; reason: string };

/** The reply for what a command did. */
export function renderReply(outcome: todo.Outcome): Reply {
  const kind = outcome.kind;
  switch (kind?.$case) {
    case "added":
      return text(renderAdded(kind.value));
    case "completed":
      return text(renderChanged(completedPhrase, kind.value.todos, kind.value, NOTHING_COMPLETED_REPLY));
    case "deleted":
      return text(renderChanged(deletedPhrase, kind.value.todos, kind.value, NOTHING_DELETED_REPLY));
    case "edited":
      return text(renderEdited(kind.value));
    case "list":
      return text(renderList(kind.value.todos), LINE_NOUNS.todos);
    case "help":
      return text(HELP_REPLY);
    case "undone":
      return text(renderUndone(kind.value));
    case "settings":
      return text(renderSettings(kind.value));
    case "subscription":
      // The carrier answers opt-out keywords, and nothing may reach a number that just opted out.
      return { type: "none", reason: "subscription changes are not answered" };
    case "more":
      return { type: "next-page" };
    case "rejected":
      return text(kind.value.reason.trim() || REJECTED_REPLY);
    case "summary":
      // todo-domain claims no summary for an empty list; an empty one here says nothing worth a text.
      if (kind.value.todos.length === 0) return { type: "none", reason: "a summary of an empty list is not sent" };
      return text(renderSummary(kind.value.todos), LINE_NOUNS.todos);
    case undefined:
      // A producer newer than this notifier; retrying will not teach us the new kind.
      throw new AppError("INVALID_ARGUMENT", "the outcome has no kind this notifier knows");
  }
}

function text(body: string, lineNoun: LineNoun = LINE_NOUNS.lines): Reply {
  return { type: "text", text: body, lineNoun };
}

export function outcomeKindOf(outcome: todo.Outcome | undefined): OutcomeKind | "none" {
  return outcome?.kind?.$case ?? "none";
}

/** "#3 call mom"; closed todos have lost their number, so they are named by text alone. */
function labelOf(item: todo.Todo): string {
  return item.number > 0 ? `#${item.number} ${item.text}` : item.text;
}

interface NumberProblems {
  unknownNumbers: number[];
  openNumbers: number[];
}

/** Says which numbers do not exist and which do, so the user can try again. */
function renderUnknown({ unknownNumbers, openNumbers }: NumberProblems): string | undefined {
  if (unknownNumbers.length === 0) return undefined;
  return unknownNumbersPhrase(unknownNumbers, openNumbers);
}

function renderAdded(added: todo.TodosAdded): string {
  const heard = added.heard.trim();
  if (added.todos.length === 0) {
    return heard ? heardNoTodoPhrase(heard) : NOTHING_ADDED_REPLY;
  }
  const reply = addedPhrase(added.todos.map(labelOf));
  return heard ? `${reply}\n${heardPhrase(heard)}` : reply;
}

function renderChanged(
  changed: (labels: string[]) => string,
  todos: todo.Todo[],
  problems: NumberProblems,
  nothing: string,
): string {
  const parts: string[] = [];
  if (todos.length > 0) parts.push(changed(todos.map(labelOf)));
  const unknown = renderUnknown(problems);
  if (unknown) parts.push(unknown);
  return parts.length > 0 ? parts.join("\n") : nothing;
}

function renderEdited(edited: todo.TodoEdited): string {
  const parts: string[] = [];
  if (edited.todo) parts.push(editedPhrase(edited.todo.number, edited.todo.text));
  const unknown = renderUnknown(edited);
  if (unknown) parts.push(unknown);
  return parts.length > 0 ? parts.join("\n") : NOTHING_CHANGED_REPLY;
}

function renderList(todos: todo.Todo[]): string {
  if (todos.length === 0) return EMPTY_LIST_REPLY;
  return todos.map(labelOf).join("\n");
}

function renderSummary(todos: todo.Todo[]): string {
  return `${summaryHeading(todos.length)}\n${todos.map(labelOf).join("\n")}`;
}

function renderUndone(undone: todo.ChangeUndone): string {
  if (undone.nothingToUndo) return NOTHING_TO_UNDO_REPLY;
  const labels = undone.todos.map(labelOf);
  if (labels.length === 0) return UNDONE_REPLY;
  switch (undone.change) {
    case todo.UndoneChange.UNDONE_CHANGE_ADD:
      return undoneAddPhrase(labels);
    case todo.UndoneChange.UNDONE_CHANGE_COMPLETE:
      return undoneCompletePhrase(labels);
    case todo.UndoneChange.UNDONE_CHANGE_EDIT:
      return undoneEditPhrase(undone.todos);
    case todo.UndoneChange.UNDONE_CHANGE_DELETE:
      return undoneDeletePhrase(labels);
    default:
      return undoneOtherPhrase(labels);
  }
}

function renderSettings(settings: todo.SettingsChanged): string {
  const timezone = settings.timezone.trim();
  if (settings.summaryOff) return timezone ? `${SUMMARY_OFF_REPLY}\n${timezoneNote(timezone)}` : SUMMARY_OFF_REPLY;
  const time = settings.summaryTime.trim();
  if (time) {
    const summary = summaryTimePhrase(time, timezone);
    if (!/^\d{2}:\d{2}$/.test(time) || !isQuietTime(time)) return summary;
    return `${summary} ${QUIET_HOURS_NOTE}`;
  }
  if (timezone) return timezoneSetPhrase(timezone);
  return SETTINGS_SAVED_REPLY;
}
