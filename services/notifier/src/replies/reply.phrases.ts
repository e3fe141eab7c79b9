/**
 * Every word of the notifier's replies. The renderer and the pager choose and join these phrases
 * and write none of their own; a phrase that names todos, numbers or times is a function of them.
 */
import { QUIET_HOURS } from "@sms-todo/rules";

const TEXT_ANYTHING_TO_ADD = "Text anything to add a todo";

export const EMPTY_LIST_REPLY = `Your list is empty. ${TEXT_ANYTHING_TO_ADD}.`;

export const NO_MORE_PAGES_REPLY = 'No more pages. Text "list" to see your todos.';

export const HELP_REPLY = [
  `${TEXT_ANYTHING_TO_ADD} (one per line), e.g. "call mom fri 5pm".`,
  '"done 3" or "done milk": complete',
  '"edit 2 new text", "delete 4"',
  '"list", "due today", "undo"',
  '"snooze 3 1h", "every monday trash"',
  '"summary 7am" / "summary off"',
  '"tz Europe/Berlin": your timezone',
  '"more": next page',
  "STOP: no more texts",
].join("\n");

/** A refusal that came without a reason of its own. */
export const REJECTED_REPLY = 'Sorry, that did not work. Text "help" for the commands.';

export const NOTHING_ADDED_REPLY = "Nothing to add.";
export const NOTHING_COMPLETED_REPLY = "Nothing was completed.";
export const NOTHING_DELETED_REPLY = "Nothing was deleted.";
export const NOTHING_CHANGED_REPLY = "Nothing was changed.";
export const NOTHING_TO_UNDO_REPLY = "Nothing to undo.";
/** An undo whose todos are not known any more. */
export const UNDONE_REPLY = "Undone.";
export const SETTINGS_SAVED_REPLY = "Settings saved.";
export const SUMMARY_OFF_REPLY = 'Daily summary is off. Text "summary 8am" to turn it back on.';

/** What the lines of a long reply are, in the note on a reply cut short. */
export const LINE_NOUNS = { todos: "todos", lines: "lines" } as const;
export type LineNoun = (typeof LINE_NOUNS)[keyof typeof LINE_NOUNS];

/** "#2", "#2 and #5", "#2, #5 or #7". */
export function numberList(numbers: readonly number[], conjunction: "and" | "or"): string {
  const labels = numbers.map((number) => `#${number}`);
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} ${conjunction} ${labels.at(-1)}`;
}

/** Numbers the user named that are not open, and those that are, so the user can try again. */
export function unknownNumbersPhrase(unknownNumbers: readonly number[], openNumbers: readonly number[]): string {
  const open =
    openNumbers.length > 0 ? `Open: ${openNumbers.map((number) => `#${number}`).join(", ")}.` : "You have no open todos.";
  return `There is no ${numberList(unknownNumbers, "or")}. ${open}`;
}

/** "Added #4 cereal", or "Added #4 cereal to your shopping list". */
export const addedPhrase = (labels: readonly string[], list = "") =>
  list ? `Added ${labels.join(", ")} to your ${list} list` : `Added ${labels.join(", ")}`;
export const completedPhrase = (labels: readonly string[]) => `Done ${labels.join(", ")}`;
export const deletedPhrase = (labels: readonly string[]) => `Deleted ${labels.join(", ")}`;
export const editedPhrase = (number: number, text: string) => `Changed #${number} to ${text}`;

// Named lists. List names arrive normalised: lower case, without "my" or "list".

/** "Shopping:", the heading of a named list's todos. */
export const listHeading = (list: string) => `${list.charAt(0).toUpperCase()}${list.slice(1)}:`;
/** "#3 milk (shopping)": a todo named outside its list's heading. */
export const labelInList = (label: string, list: string) => (list ? `${label} (${list})` : label);
export const emptyNamedListPhrase = (list: string) => `Your ${list} list is empty.`;

const todoCount = (count: number) => (count === 1 ? "1 open todo" : `${count} open todos`);
/** "You have 4 open todos." */
export const countPhrase = (total: number) => `You have ${todoCount(total)}.`;
/** "You have 3 open todos on shopping." */
export const countInListPhrase = (total: number, list: string) => `You have ${todoCount(total)} on ${list}.`;
/** "You have 7 open todos: 4 on your list, 3 on shopping."; lists with their counts, the default one as "". */
export const countByListPhrase = (total: number, lists: ReadonlyArray<{ list: string; count: number }>) =>
  `You have ${todoCount(total)}: ${lists.map(({ list, count }) => `${count} on ${list || "your list"}`).join(", ")}.`;

/** FindTodo: "Yes: #3 milk (shopping)". */
export const foundPhrase = (labels: readonly string[]) => `Yes: ${labels.join(", ")}`;
/** FindTodo found nothing: the words quoted, and the text that adds them. */
export const notFoundPhrase = (query: string, list: string) =>
  list
    ? `No, nothing on your ${list} list matches "${query}". Text "add ${query} to my ${list} list" to add it.`
    : `No, nothing on your list matches "${query}". Text "add ${query}" to add it.`;

/** The word a text starts with to complete, delete or edit a todo; the parser reads these back. */
export const ACTION_VERBS = {
  complete: "done",
  delete: "delete",
  edit: "edit",
  reschedule: "snooze",
  stopRepeating: "stop repeating",
} as const;
export type ActionVerb = (typeof ACTION_VERBS)[keyof typeof ACTION_VERBS];

/** The exact text that does it: "done 2", "edit 2 buy oat milk". */
export const actionText = (verb: ActionVerb, numbers: string, newText = "") =>
  newText ? `${verb} ${numbers} ${newText}` : `${verb} ${numbers}`;

/** Several todos match the user's words: "Which one? #2 buy milk, #5 buy oat milk. Text done 2 or done 5". */
export const whichOnePhrase = (labels: readonly string[], texts: readonly string[]) =>
  `Which one? ${labels.join(", ")}. Text ${texts.join(" or ")}`;
/** No open todo matches the user's words; the open todos follow on their own lines, when there are any. */
export const noMatchPhrase = (query: string, list: string) =>
  list ? `Nothing on your ${list} list matches "${query}".` : `Nothing open matches "${query}".`;
/** "it" with no todo named lately, or a line past the end: how to name the todo instead. */
export const whichTodoPhrase = (example: string) => `Which todo? Text ${example} with its number:`;
export const noSuchLinePhrase = (list: string, example: string) =>
  `There is no such line on your ${list ? `${list} ` : ""}list. Text ${example} with its number:`;
export const noOpenTodosPhrase = (list: string) => (list ? emptyNamedListPhrase(list) : "You have no open todos.");

const ACTION_NAMES = {
  done: "complete",
  delete: "delete",
  edit: "edit",
  snooze: "snooze",
  "stop repeating": "stop repeating",
} as const;
/** "all" with nothing to act on. */
export const nothingToConfirmPhrase = (verb: ActionVerb, list: string) =>
  `Nothing to ${ACTION_NAMES[verb]}: ${list ? `your ${list} list is empty` : "you have no open todos"}.`;
/** "That would delete all 3 todos on shopping" (the todos follow). */
export const wouldActOnPhrase = (verb: ActionVerb, count: number, list: string) => {
  const where = list ? ` on ${list}` : "";
  return count === 1
    ? `That would ${ACTION_NAMES[verb]} your only todo${where}`
    : `That would ${ACTION_NAMES[verb]} all ${count} todos${where}`;
};
/** The confirming text; when there are more todos than one text may name, it covers the first `covered`. */
export const toDoItPhrase = (text: string, covered?: number) =>
  covered === undefined ? `To do it, text: ${text}` : `To do the first ${covered}, text: ${text}`;

/** The part of a voice-note reply that shows what was heard, so mistakes can be undone. */
export const heardPhrase = (heard: string) => `Heard: "${heard}"`;
export const heardNoTodoPhrase = (heard: string) => `${heardPhrase(heard)}, but found no todo in it.`;

export const summaryHeading = (openTodos: number) => (openTodos === 1 ? "Today: 1 open todo" : `Today: ${openTodos} open todos`);

const undone = (what: string) => `Undone: ${what}`;
export const undoneAddPhrase = (labels: readonly string[]) => undone(`removed ${labels.join(", ")}`);
export const undoneCompletePhrase = (labels: readonly string[]) =>
  undone(`${labels.join(", ")} ${labels.length === 1 ? "is" : "are"} open again`);
/** Each todo as it reads again: a closed one has lost its number. */
export const undoneEditPhrase = (todos: ReadonlyArray<{ number: number; text: string }>) =>
  undone(todos.map((item) => `${item.number > 0 ? `#${item.number}` : "a todo"} is ${item.text} again`).join(", "));
export const undoneDeletePhrase = (labels: readonly string[]) => undone(`restored ${labels.join(", ")}`);
/** A kind of change this notifier does not know yet: still say which todos it touched. */
export const undoneOtherPhrase = (labels: readonly string[]) => undone(labels.join(", "));

// Time. Dues arrive as the user's local date ("YYYY-MM-DD") and time ("HH:MM").

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "Tue 8 Dec": a local date on its own calendar, whatever the notifier's zone. */
export function calendarDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[day.getUTCDay()]} ${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]}`;
}

/** How a due reads, from the user's today: "today 17:00", "tomorrow", "Fri 11 Dec 9:30". */
export function whenPhrase(due: { day: "overdue" | "today" | "tomorrow" | "later"; date: string; time: string }): string {
  const day = due.day === "today" ? "today" : due.day === "tomorrow" ? "tomorrow" : calendarDay(due.date);
  return due.time ? `${day} ${due.time}` : day;
}

/** The marker after a todo's text: "(due tomorrow 17:00)", "(overdue: Mon 7 Dec)", "(due Mon 14 Dec, every Monday)". */
export function dueMarker(due: { day: "overdue" | "today" | "tomorrow" | "later"; date: string; time: string; repeat: string }) {
  const when = due.day === "overdue" ? `overdue: ${whenPhrase({ ...due, day: "later" })}` : `due ${whenPhrase(due)}`;
  return due.repeat ? `(${when}, ${due.repeat})` : `(${when})`;
}

/** A timed reminder: "Reminder: #4 call mom (17:00). Text done 4 or snooze 4 1h". */
export const reminderPhrase = (number: number, text: string, time: string, late: boolean) =>
  late
    ? `Late reminder: #${number} ${text} (was due ${time}). Text done ${number} or snooze ${number} 1h`
    : `Reminder: #${number} ${text} (${time}). Text done ${number} or snooze ${number} 1h`;
/** "Moved #4 call mom: due today 18:15". */
export const rescheduledPhrase = (label: string, when: string) => `Moved ${label}: due ${when}`;
/** A recurring todo, completed: it stays with its number, due again. */
export const renewedPhrase = (label: string, when: string, repeat: string) => `Done ${label}. Next: ${when} (${repeat})`;
export const repeatStoppedPhrase = (label: string) => `${label} no longer repeats`;
export const notRepeatingPhrase = (label: string) => `${label} does not repeat`;
export const undoneReschedulePhrase = (labels: readonly string[]) => undone(`${labels.join(", ")} as before`);

/** The heading of a list asked for by due ("what's due today"), and the answer when nothing is. */
export const DUE_FILTER_HEADINGS = { today: "Due today:", week: "Due this week:", overdue: "Overdue:" } as const;
export const NOTHING_DUE_REPLIES = {
  today: "Nothing is due today.",
  week: "Nothing is due this week.",
  overdue: "Nothing is overdue.",
} as const;

export const timezoneNote = (timezone: string) => `Timezone: ${timezone}.`;
export const timezoneSetPhrase = (timezone: string) => `Timezone set to ${timezone}.`;
export const summaryTimePhrase = (time: string, timezone: string) =>
  timezone ? `Daily summary at ${time} (${timezone}).` : `Daily summary at ${time}.`;
export const QUIET_HOURS_NOTE = `Texts are quiet ${QUIET_HOURS.from}-${QUIET_HOURS.until}, so it comes at ${QUIET_HOURS.until}.`;

/** The footer of every page but the last: "(1/3, text "more" for the next)". */
export const moreFooter = (page: number, pages: number) => `\n(${page}/${pages}, text "more" for the next)`;
export const lastFooter = (pages: number) => `\n(${pages}/${pages})`;
export const omittedNote = (lines: number, noun: string) => `\n...and ${lines} more ${noun} not shown.`;
