/**
 * The deterministic parser: SMS text in, Command out, no I/O. A message is split into lines;
 * one line goes through the stages of line-command.parser (normalise, carrier keywords, small
 * talk and opt-out hints, intent, targets, add wrappers), several lines are todos.
 *
 * Choices where SPEC section 1 is silent:
 * - Twilio's OptOutType, when present, wins over the text: STOP opts out, START opts in,
 *   HELP shows the command card, whatever the message says. An empty or unknown value is
 *   ignored.
 * - Opt-out (STOP, STOPALL, UNSUBSCRIBE, END, QUIT, REVOKE, OPTOUT, CANCEL, "opt out") and
 *   opt-in (START, UNSTOP, YES, "opt in") keywords count only as the whole line, in any case,
 *   with punctuation or emoji around them ("Stop!"), as carriers match them. A line that is
 *   only such a keyword decides the whole message, even among other lines, so a keyword never
 *   becomes a todo; opt-out wins over opt-in. Other opt-out phrasing ("please stop texting
 *   me", "stop it", "don't text me", "shut up", "unsubscribe me") changes nothing and gets a
 *   reply naming the keyword STOP; "stop by the bank", "quit smoking", "start the car" are todos.
 * - A message is any other command only when it has exactly one non-empty line. A message of
 *   several non-empty lines adds one todo per line, even when a line looks like a command:
 *   "done 3\nbuy milk" adds two todos. A pasted list never completes or deletes by surprise.
 * - "add …", "todo …" and "todo: …" add the rest, whatever it says: "add delete old photos",
 *   "add thanks"; "add X to my shopping list" files X in that list. It is the way out of every
 *   rule below.
 * - Commands are matched on a normalised copy (lower case, apostrophes dropped, other
 *   punctuation and emoji gone); todo texts, names and the new text of an edit keep the user's
 *   spelling. Request words around a command ("please", "can you", "ok", "thanks") are ignored.
 * - Complete and delete take numbers ("done 3, 5", "#3 done", "task 3 done", "remove item 3",
 *   "done 1-4, 7"), a position ("the second task", "the last one"), "it"/"that" (the todo the
 *   previous reply named), "all" ("delete everything", "clear my list", "mark all done"), or
 *   the todo's words ("done milk", "delete old photos"): todo-domain matches words against the
 *   sender's open todos and, when none or several match, changes nothing and asks. "all" never
 *   acts without the confirming text the reply names.
 * - Completion is a completion word ("done milk", "check off buy milk", "cross off eggs", "mark
 *   X done", "the dentist task is done") or the past tense ("called mom", "I finished the
 *   report", "bought eggs"). A bare imperative is a todo: "check the mail", "call mom", "finish
 *   the report"; with a list, a number or "it" it completes ("finish hikes on my to do list").
 * - Delete is "delete/remove/erase/cancel/drop/nix X", "take X off (the list)", "get rid of
 *   X", "I don't need X anymore", "no need to X". "drop off X", "drop by X" are todos.
 * - A verb with nothing to act on ("done", "delete", "edit") and a line of numbers only ("3")
 *   are Invalid with a reason that shows the right form.
 * - edit: "edit #2 buy oat milk", "change 2 to buy oat milk" (as before: "change 2 tires" is a
 *   todo), "change task 1 to call mom tonight", "rename the dentist task to dentist at 2pm",
 *   "replace milk with oat milk", "make it oat milk", "remove X and add Y".
 * - list: "list", "ls", "todos", "?", "what's on my list", "show my tasks", "what do I have
 *   left", "shopping list", "what's on my grocery list" (one list); "how many things are on my
 *   list" counts; "do I have milk on my list?" finds. "summary" alone lists.
 * - Named lists: "add cereal to my shopping list", "put eggs on the grocery list", "shopping:
 *   eggs, bread" (see normaliseListName); "create a shopping list" gets a pointer, since a list
 *   starts with its first todo.
 * - more, undo, help as before ("more", "undo", "forget it", "help", "what can you do").
 * - settings: "summary 7am", "summary off", "tz Europe/Berlin" (see settings.parser).
 * - Not a todo: greetings, thanks, sign-offs ("hi", "ok thanks", "bye", "lol"), and questions
 *   the product cannot answer ("what time is it", "are you a bot", any other question) get a
 *   short pointer.
 * - Add wrappers are removed: "remind me to X", "I need to X", "don't forget to X", "put X on
 *   the list", "X needs to be on my list". A line nothing else recognises is a todo as written.
 * - Time (see time/ and time-request.parser): an add's date and time words leave its text and
 *   travel beside it ("call mom tomorrow at 5pm" is "call mom" with "tomorrow at 5pm"); "every
 *   monday …" repeats; "snooze 4 1h", "postpone #4 to friday", "later" (the todo just reminded),
 *   "stop repeating 4", "what's due today", "due this week", "overdue".
 * - A todo longer than MAX_TODO_LENGTH, or more than MAX_TODOS_PER_MESSAGE todos (or
 *   numbers), makes the whole message Invalid and nothing changes. Lines are stripped of list
 *   bullets ("- ", "* ", "1. ") and of an "add"/"todo:" prefix; a line left empty is dropped.
 *   Nothing left → help.
 */
import type { Command } from "../commands/command.model.js";
import { parseTodos } from "./add.parser.js";
import { HELP } from "./command.keywords.js";
import { parseCommandLine } from "./line-command.parser.js";
import { carrierCommand, subscriptionIn } from "./subscription.parser.js";
import { withTimings } from "./timed-add.js";

export {
  ACKNOWLEDGED_REASON,
  CREATE_LIST_REASON,
  NOT_UNDERSTOOD_REASON,
  OPT_OUT_HINT_REASON,
  SMALL_TALK_REASON,
  WHICH_TODO_REASON,
  DELETE_HOW_REASON,
  EDIT_HOW_REASON,
  NUMBER_RANGE_REASON,
  NUMBERS_ONLY_REASON,
  SUMMARY_TIME_REASON,
  TIMEZONE_REASON,
  TOO_LONG_REASON,
  TOO_MANY_REASON,
  UNDO_HOW_REASON,
} from "./command.reasons.js";

export interface ParseOptions {
  /** Twilio's OptOutType field ("STOP", "START", "HELP", any case); empty when absent. */
  readonly optOutType?: string | undefined;
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

export function parseCommand(body: string, options: ParseOptions = {}): Command {
  const carrier = carrierCommand(options.optOutType);
  if (carrier) return carrier;
  const lines = body.split(LINE_BREAK).filter((line) => line.trim() !== "");
  const [only] = lines;
  if (only === undefined) return HELP;
  const subscription = subscriptionIn(lines);
  if (subscription) return subscription;
  return withTimings(lines.length === 1 ? parseCommandLine(only) : parseTodos(lines));
}
