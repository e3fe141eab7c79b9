import type { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";

export type OutcomeKind = NonNullable<todo.Outcome["kind"]>["$case"];

/** Twilio refuses bodies longer than this; a clipped reply beats a dead-lettered one. */
export const MAX_SMS_BODY = 1600;

export const EMPTY_LIST_REPLY = "Your list is empty. Text anything to add a todo.";

export const HELP_REPLY = [
  "Text anything to add a todo (one per line).",
  '"done 3": complete #3',
  '"edit 2 new text": change #2',
  '"delete 4": remove #4',
  '"list": your open todos',
  '"undo": revert your last change',
  '"summary 7am" / "summary off"',
  '"tz Europe/Berlin": your timezone',
  "STOP: no more texts",
].join("\n");

/** The reply SMS for what a command did. */
export function renderReply(outcome: todo.Outcome): string {
  return clip(renderOutcome(outcome));
}

export function outcomeKindOf(outcome: todo.Outcome | undefined): OutcomeKind | "none" {
  return outcome?.kind?.$case ?? "none";
}

function renderOutcome(outcome: todo.Outcome): string {
  const kind = outcome.kind;
  switch (kind?.$case) {
    case "added":
      return renderAdded(kind.value);
    case "completed":
      return renderChanged("Done", kind.value.todos, kind.value, "Nothing was completed.");
    case "deleted":
      return renderChanged("Deleted", kind.value.todos, kind.value, "Nothing was deleted.");
    case "edited":
      return renderEdited(kind.value);
    case "list":
      return renderList(kind.value.todos);
    case "help":
      return HELP_REPLY;
    case "undone":
      return renderUndone(kind.value);
    case "settings":
      return renderSettings(kind.value);
    case "subscription":
      return kind.value.subscribed
        ? 'You will get texts again. Text "help" for the commands.'
        : 'You will get no more texts. Text "START" to come back.';
    case "more":
      return "No more pages.";
    case "rejected":
      return kind.value.reason.trim() || 'Sorry, that did not work. Text "help" for the commands.';
    case undefined:
      // A producer newer than this notifier; retrying will not teach us the new kind.
      throw new AppError("INVALID_ARGUMENT", "the outcome has no kind this notifier knows");
  }
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

function renderUndone(undone: todo.ChangeUndone): string {
  if (undone.nothingToUndo) return "Nothing to undo.";
  return "Undone.";
}

function renderSettings(settings: todo.SettingsChanged): string {
  const timezone = settings.timezone.trim();
  if (settings.summaryOff) {
    const off = 'Daily summary is off. Text "summary 8am" to turn it back on.';
    return timezone ? `${off}\nTimezone: ${timezone}.` : off;
  }
  const time = settings.summaryTime.trim();
  if (time) return timezone ? `Daily summary at ${time} (${timezone}).` : `Daily summary at ${time}.`;
  if (timezone) return `Timezone set to ${timezone}.`;
  return "Settings saved.";
}

function clip(reply: string): string {
  const characters = [...reply];
  if (characters.length <= MAX_SMS_BODY) return reply;
  return `${characters.slice(0, MAX_SMS_BODY - 1).join("")}…`;
}
