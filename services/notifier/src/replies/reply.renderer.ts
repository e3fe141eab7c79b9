import { todo } from "@sms-todo/contracts";
import { isQuietTime, QUIET_HOURS } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";

export type OutcomeKind = NonNullable<todo.Outcome["kind"]>["$case"];

/**
 * What to answer an outcome with: a text (paged by the sender when long), the next stored page
 * of the user's last long reply, or no SMS at all.
 */
export type Reply = { type: "text"; text: string; lineNoun: string } | { type: "next-page" } | { type: "none"; reason: string };

export const EMPTY_LIST_REPLY = "Your list is empty. Text anything to add a todo.";

export const NO_MORE_PAGES_REPLY = 'No more pages. Text "list" to see your todos.';

export const HELP_REPLY = [
  "Text anything to add a todo (one per line).",
  '"done 3": complete #3',
  '"edit 2 new text": change #2',
  '"delete 4": remove #4',
  '"list": your open todos',
  '"undo": revert your last change',
  '"summary 7am" / "summary off"',
  '"tz Europe/Berlin": your timezone',
  '"more": the next page of a long reply',
  "STOP: no more texts",
].join("\n");

/** The reply for what a command did. */
export function renderReply(outcome: todo.Outcome): Reply {
  const kind = outcome.kind;
  switch (kind?.$case) {
    case "added":
      return text(renderAdded(kind.value));
    case "completed":
      return text(renderChanged("Done", kind.value.todos, kind.value, "Nothing was completed."));
    case "deleted":
      return text(renderChanged("Deleted", kind.value.todos, kind.value, "Nothing was deleted."));
    case "edited":
      return text(renderEdited(kind.value));
    case "list":
      return text(renderList(kind.value.todos), "todos");
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
      return text(kind.value.reason.trim() || 'Sorry, that did not work. Text "help" for the commands.');
    case "summary":
      // todo-domain claims no summary for an empty list; an empty one here says nothing worth a text.
      if (kind.value.todos.length === 0) return { type: "none", reason: "a summary of an empty list is not sent" };
      return text(renderSummary(kind.value.todos), "todos");
    case undefined:
      // A producer newer than this notifier; retrying will not teach us the new kind.
      throw new AppError("INVALID_ARGUMENT", "the outcome has no kind this notifier knows");
  }
}

function text(body: string, lineNoun = "lines"): Reply {
  return { type: "text", text: body, lineNoun };
}

export function outcomeKindOf(outcome: todo.Outcome | undefined): OutcomeKind | "none" {
  return outcome?.kind?.$case ?? "none";
}

/** "#3 call mom"; closed todos have lost their number, so they are named by text alone. */
function labelOf(item: todo.Todo): string {
  return item.number > 0 ? `#${item.number} ${item.text}` : item.text;
}

function numberList(numbers: readonly number[], conjunction: "and" | "or"): string {
  const labels = numbers.map((number) => `#${number}`);
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} ${conjunction} ${labels.at(-1)}`;
}

interface NumberProblems {
  unknownNumbers: number[];
  openNumbers: number[];
}

/** Says which numbers do not exist and which do, so the user can try again. */
function renderUnknown({ unknownNumbers, openNumbers }: NumberProblems): string | undefined {
  if (unknownNumbers.length === 0) return undefined;
  const open =
    openNumbers.length > 0 ? `Open: ${openNumbers.map((number) => `#${number}`).join(", ")}.` : "You have no open todos.";
  return `There is no ${numberList(unknownNumbers, "or")}. ${open}`;
}

function renderAdded(added: todo.TodosAdded): string {
  const heard = added.heard.trim();
  if (added.todos.length === 0) {
    return heard ? `Heard: "${heard}", but found no todo in it.` : "Nothing to add.";
  }
  const reply = `Added ${added.todos.map(labelOf).join(", ")}`;
  return heard ? `${reply}\nHeard: "${heard}"` : reply;
}

function renderChanged(verb: string, todos: todo.Todo[], problems: NumberProblems, nothing: string): string {
  const parts: string[] = [];
  if (todos.length > 0) parts.push(`${verb} ${todos.map(labelOf).join(", ")}`);
  const unknown = renderUnknown(problems);
  if (unknown) parts.push(unknown);
  return parts.length > 0 ? parts.join("\n") : nothing;
}

function renderEdited(edited: todo.TodoEdited): string {
  const parts: string[] = [];
  if (edited.todo) parts.push(`Changed #${edited.todo.number} to ${edited.todo.text}`);
  const unknown = renderUnknown(edited);
  if (unknown) parts.push(unknown);
  return parts.length > 0 ? parts.join("\n") : "Nothing was changed.";
}

function renderList(todos: todo.Todo[]): string {
  if (todos.length === 0) return EMPTY_LIST_REPLY;
  return todos.map(labelOf).join("\n");
}

function renderSummary(todos: todo.Todo[]): string {
  const heading = todos.length === 1 ? "Today: 1 open todo" : `Today: ${todos.length} open todos`;
  return `${heading}\n${todos.map(labelOf).join("\n")}`;
}

function renderUndone(undone: todo.ChangeUndone): string {
  if (undone.nothingToUndo) return "Nothing to undo.";
  const labels = undone.todos.map(labelOf);
  if (labels.length === 0) return "Undone.";
  switch (undone.change) {
    case todo.UndoneChange.UNDONE_CHANGE_ADD:
      return `Undone: removed ${labels.join(", ")}`;
    case todo.UndoneChange.UNDONE_CHANGE_COMPLETE:
      return `Undone: ${labels.join(", ")} ${labels.length === 1 ? "is" : "are"} open again`;
    case todo.UndoneChange.UNDONE_CHANGE_EDIT:
      return `Undone: ${undone.todos.map((item) => `${numberOf(item)} is ${item.text} again`).join(", ")}`;
    case todo.UndoneChange.UNDONE_CHANGE_DELETE:
      return `Undone: restored ${labels.join(", ")}`;
    default:
      // A kind of change this notifier does not know yet: still say which todos it touched.
      return `Undone: ${labels.join(", ")}`;
  }
}

function numberOf(item: todo.Todo): string {
  return item.number > 0 ? `#${item.number}` : "a todo";
}

function renderSettings(settings: todo.SettingsChanged): string {
  const timezone = settings.timezone.trim();
  if (settings.summaryOff) {
    const off = 'Daily summary is off. Text "summary 8am" to turn it back on.';
    return timezone ? `${off}\nTimezone: ${timezone}.` : off;
  }
  const time = settings.summaryTime.trim();
  if (time) {
    const summary = timezone ? `Daily summary at ${time} (${timezone}).` : `Daily summary at ${time}.`;
    if (!/^\d{2}:\d{2}$/.test(time) || !isQuietTime(time)) return summary;
    return `${summary} Texts are quiet ${QUIET_HOURS.from}-${QUIET_HOURS.until}, so it comes at ${QUIET_HOURS.until}.`;
  }
  if (timezone) return `Timezone set to ${timezone}.`;
  return "Settings saved.";
}
