import { todo } from "@sms-todo/contracts";
import { isQuietTime, MAX_REPLY_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import { numberRanges } from "./number-ranges.js";
import {
  ACTION_VERBS,
  actionText,
  addedPhrase,
  countByListPhrase,
  countInListPhrase,
  countPhrase,
  emptyNamedListPhrase,
  foundPhrase,
  labelInList,
  listHeading,
  noMatchPhrase,
  noOpenTodosPhrase,
  noSuchLinePhrase,
  notFoundPhrase,
  nothingToConfirmPhrase,
  toDoItPhrase,
  whichOnePhrase,
  whichTodoPhrase,
  wouldActOnPhrase,
  type ActionVerb,
  completedPhrase,
  dueMarker,
  DUE_FILTER_HEADINGS,
  NOTHING_DUE_REPLIES,
  notRepeatingPhrase,
  reminderPhrase,
  renewedPhrase,
  repeatStoppedPhrase,
  rescheduledPhrase,
  undoneReschedulePhrase,
  whenPhrase,
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
      return text(renderCompleted(kind.value));
    case "deleted":
      return text(renderChanged(deletedPhrase, kind.value.todos, kind.value, NOTHING_DELETED_REPLY));
    case "edited":
      return text(renderEdited(kind.value));
    case "list":
      return text(renderList(kind.value), LINE_NOUNS.todos);
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
    case "found":
      return text(renderFound(kind.value));
    case "notResolved":
      return text(renderNotResolved(kind.value), LINE_NOUNS.todos);
    case "confirmationNeeded":
      return text(renderConfirmation(kind.value), LINE_NOUNS.todos);
    case "rescheduled":
      return text(renderRescheduled(kind.value));
    case "reminder":
      return text(renderReminder(kind.value));
    case "repeatStopped":
      return text(renderRepeatStopped(kind.value));
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

/** "#3 call mom (due tomorrow 17:00)"; closed todos have lost their number, so they are named by text alone. */
function labelOf(item: todo.Todo): string {
  const label = plainLabelOf(item);
  return item.due !== undefined && item.status === todo.TodoStatus.TODO_STATUS_OPEN ? `${label} ${markerOf(item.due)}` : label;
}

/** "#3 call mom", without its due. */
function plainLabelOf(item: todo.Todo): string {
  return item.number > 0 ? `#${item.number} ${item.text}` : item.text;
}

const DUE_DAYS = {
  [todo.DueDay.DUE_DAY_OVERDUE]: "overdue",
  [todo.DueDay.DUE_DAY_TODAY]: "today",
  [todo.DueDay.DUE_DAY_TOMORROW]: "tomorrow",
} as const;

type DueDayWord = "overdue" | "today" | "tomorrow" | "later";

function dueWordsOf(due: todo.Due): { day: DueDayWord; date: string; time: string; repeat: string } {
  const day: DueDayWord = (DUE_DAYS as Partial<Record<todo.DueDay, DueDayWord>>)[due.day] ?? "later";
  return { day, date: due.localDate, time: due.localTime, repeat: due.repeat };
}

function markerOf(due: todo.Due): string {
  return dueMarker(dueWordsOf(due));
}

/** "today 18:15", "Fri 11 Dec"; an overdue due is named by its date. */
function whenOf(due: todo.Due): string {
  const words = dueWordsOf(due);
  return whenPhrase(words.day === "overdue" ? { ...words, day: "later" } : words);
}

/** A line of a list reply that is an open todo ("#3 call mom"), not a heading ("Shopping:"). */
export function isTodoLine(line: string): boolean {
  return /^#\d+ /u.test(line);
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
  const reply = addedPhrase(added.todos.map(labelOf), added.todos[0]?.list);
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

/** Closed todos are done; a recurring one stays open with its next due. */
function renderCompleted(completed: todo.TodosCompleted): string {
  const renewed = completed.todos.filter((item) => item.status === todo.TodoStatus.TODO_STATUS_OPEN && item.due);
  const closed = completed.todos.filter((item) => !renewed.includes(item));
  const lines = renewed.map((item) => renewedPhrase(plainLabelOf(item), whenOf(item.due!), item.due!.repeat));
  const rest = renderChanged(completedPhrase, closed, completed, NOTHING_COMPLETED_REPLY);
  if (lines.length === 0) return rest;
  return closed.length > 0 || completed.unknownNumbers.length > 0 ? [...lines, rest].join("\n") : lines.join("\n");
}

function renderRescheduled(rescheduled: todo.TodoRescheduled): string {
  const moved = rescheduled.todo!;
  return moved.due ? rescheduledPhrase(plainLabelOf(moved), whenOf(moved.due)) : plainLabelOf(moved);
}

function renderReminder(reminder: todo.Reminder): string {
  const item = reminder.todo!;
  return reminderPhrase(item.number, item.text, item.due?.localTime ?? "", reminder.late);
}

function renderRepeatStopped(stopped: todo.RepeatStopped): string {
  const item = stopped.todo!;
  return item.due?.repeat ? notRepeatingPhrase(plainLabelOf(item)) : repeatStoppedPhrase(labelOf(item));
}

function renderEdited(edited: todo.TodoEdited): string {
  const parts: string[] = [];
  if (edited.todo) parts.push(editedPhrase(edited.todo.number, edited.todo.text));
  const unknown = renderUnknown(edited);
  if (unknown) parts.push(unknown);
  return parts.length > 0 ? parts.join("\n") : NOTHING_CHANGED_REPLY;
}

/** Todos by list, in the order given: the default list first, without a heading. */
function groupsOf(todos: readonly todo.Todo[]): Array<{ list: string; todos: todo.Todo[] }> {
  const groups = new Map<string, todo.Todo[]>([["", []]]);
  for (const item of todos) {
    const group = groups.get(item.list);
    if (group) group.push(item);
    else groups.set(item.list, [item]);
  }
  return [...groups].filter(([, items]) => items.length > 0).map(([list, items]) => ({ list, todos: items }));
}

/** One "#N text" line per todo, each named list's under its heading ("Shopping:"). */
function groupedLines(todos: readonly todo.Todo[]): string[] {
  return groupsOf(todos).flatMap(({ list, todos: items }) => [...(list ? [listHeading(list)] : []), ...items.map(labelOf)]);
}

function renderList(listed: todo.TodoList): string {
  const { todos, list } = listed;
  if (listed.countOnly) return renderCount(todos, list);
  const filter = dueFilterOf(listed.due);
  if (filter !== undefined) {
    return todos.length === 0 ? NOTHING_DUE_REPLIES[filter] : [DUE_FILTER_HEADINGS[filter], ...groupedLines(todos)].join("\n");
  }
  if (todos.length === 0) return list ? emptyNamedListPhrase(list) : EMPTY_LIST_REPLY;
  return groupedLines(todos).join("\n");
}

function renderCount(todos: readonly todo.Todo[], list: string): string {
  if (list) return todos.length === 0 ? emptyNamedListPhrase(list) : countInListPhrase(todos.length, list);
  if (todos.length === 0) return EMPTY_LIST_REPLY;
  const groups = groupsOf(todos);
  if (groups.length === 1 && groups[0]!.list === "") return countPhrase(todos.length);
  return countByListPhrase(
    todos.length,
    groups.map((group) => ({ list: group.list, count: group.todos.length })),
  );
}

function dueFilterOf(filter: todo.DueFilter): keyof typeof DUE_FILTER_HEADINGS | undefined {
  if (filter === todo.DueFilter.DUE_FILTER_TODAY) return "today";
  if (filter === todo.DueFilter.DUE_FILTER_WEEK) return "week";
  return filter === todo.DueFilter.DUE_FILTER_OVERDUE ? "overdue" : undefined;
}

/** Overdue and due-today todos lead, whatever list they are on; then the rest as a list shows them. */
function renderSummary(todos: todo.Todo[]): string {
  const pressing = todos.filter(
    (item) => item.due?.day === todo.DueDay.DUE_DAY_OVERDUE || item.due?.day === todo.DueDay.DUE_DAY_TODAY,
  );
  const rest = todos.filter((item) => !pressing.includes(item));
  const lead = pressing.map((item) => labelInList(labelOf(item), item.list));
  return [summaryHeading(todos.length), ...lead, ...groupedLines(rest)].join("\n");
}

function renderFound(found: todo.TodoFound): string {
  if (found.matches.length === 0) return notFoundPhrase(found.query, found.list);
  // Inside the list that was asked about, naming the list again says nothing.
  return foundPhrase(found.matches.map((item) => (found.list ? labelOf(item) : labelInList(labelOf(item), item.list))));
}

function verbOf(action: todo.TodoAction): ActionVerb {
  if (action === todo.TodoAction.TODO_ACTION_DELETE) return ACTION_VERBS.delete;
  if (action === todo.TodoAction.TODO_ACTION_RESCHEDULE) return ACTION_VERBS.reschedule;
  if (action === todo.TodoAction.TODO_ACTION_STOP_REPEATING) return ACTION_VERBS.stopRepeating;
  return action === todo.TodoAction.TODO_ACTION_EDIT ? ACTION_VERBS.edit : ACTION_VERBS.complete;
}

function renderNotResolved(notResolved: todo.TodoNotResolved): string {
  const { candidates, open, list, query } = notResolved;
  const verb = verbOf(notResolved.action);
  const newText = verb === ACTION_VERBS.edit ? notResolved.text : "";
  const openLines = open.length > 0 ? groupedLines(open) : [noOpenTodosPhrase(list)];
  switch (notResolved.reason) {
    case todo.TodoNotResolved_Reason.REASON_AMBIGUOUS:
      return whichOnePhrase(
        candidates.map(labelOf),
        candidates.map((item) => actionText(verb, String(item.number), newText)),
      );
    case todo.TodoNotResolved_Reason.REASON_NO_MATCH:
      return [noMatchPhrase(query, list), ...openLines].join("\n");
    case todo.TodoNotResolved_Reason.REASON_NO_SUCH_POSITION:
      return [noSuchLinePhrase(list, exampleText(verb, open, newText)), ...openLines].join("\n");
    default:
      return [whichTodoPhrase(exampleText(verb, open, newText)), ...openLines].join("\n");
  }
}

/** "done 2": the verb with the first open todo's number (or 1), to show how a number is used. */
function exampleText(verb: ActionVerb, open: readonly todo.Todo[], newText: string): string {
  return actionText(verb, String(open[0]?.number ?? 1), newText || (verb === ACTION_VERBS.edit ? "new text" : ""));
}

/**
 * "That would delete all 3 todos on shopping: #2 eggs, #5 bread, #7 milk. To do it, text: delete 2, 5, 7".
 * When that is too long for one SMS, the confirming text comes first and the todos follow one per line,
 * for the pager. One text names at most MAX_TODOS_PER_MESSAGE numbers: beyond that it covers the first ones.
 */
function renderConfirmation(confirmation: todo.ConfirmationNeeded): string {
  const { todos, list } = confirmation;
  const verb = verbOf(confirmation.action);
  if (todos.length === 0) return nothingToConfirmPhrase(verb, list);
  const numbers = todos.map((item) => item.number).sort((a, b) => a - b);
  const covered = numbers.slice(0, MAX_TODOS_PER_MESSAGE);
  const toDoIt = toDoItPhrase(
    actionText(verb, numberRanges(covered)),
    covered.length < numbers.length ? covered.length : undefined,
  );
  const wouldActOn = wouldActOnPhrase(verb, todos.length, list);
  const inline = `${wouldActOn}: ${todos.map(labelOf).join(", ")}. ${toDoIt}`;
  if ([...inline].length <= MAX_REPLY_LENGTH) return inline;
  return [`${wouldActOn}. ${toDoIt}`, ...groupedLines(todos)].join("\n");
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
    case todo.UndoneChange.UNDONE_CHANGE_RESCHEDULE:
      return undoneReschedulePhrase(labels);
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
