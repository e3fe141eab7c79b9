/**
 * The deterministic parser: SMS text in, Command out, no I/O.
 *
 * Choices where SPEC section 1 is silent:
 * - Twilio's OptOutType, when present, wins over the text: STOP opts out, START opts in,
 *   HELP shows the command card, whatever the message says. An empty or unknown value is
 *   ignored.
 * - Opt-out (STOP, STOPALL, UNSUBSCRIBE, END, QUIT, REVOKE, OPTOUT, CANCEL, "opt out") and
 *   opt-in (START, UNSTOP, YES, "opt in") keywords count only as the whole line, in any case,
 *   with punctuation, emoji, "please"/"thanks" or "ok"/"sorry" around them ("Stop please!").
 *   A line that is only such a keyword decides the whole message, even among other lines,
 *   so a keyword never becomes a todo; opt-out wins over opt-in. Any other word makes the
 *   line a todo: "stop by the bank", "quit smoking", "end of month report", "cancel the
 *   dentist appointment", "start the car", "yes I need to call Bob". "stop texting me"
 *   opts out too.
 * - A message is any other command only when it has exactly one non-empty line and that line
 *   reads as a command. A message of several non-empty lines adds one todo per line, even
 *   when its first (or any) line looks like a command: "done 3\nbuy milk" adds two todos. A
 *   pasted list must never complete or delete anything by surprise, and the reply names what
 *   was added, so a wrong guess is one "undo" away.
 * - "add …", "todo …" and "todo: …" add the rest as written, whatever it says: "add delete
 *   old photos", "todo: stop by the bank", "add thanks". It is the way out of every rule
 *   below. Only "todo", "todo:" and "todo list" on their own list.
 * - Commands are matched on a normalised copy (lower case, no punctuation or emoji, "#", ","
 *   and "&" kept); todo texts and the new text of an edit keep the user's spelling,
 *   punctuation and emoji, only whitespace is collapsed. Leading "ok", "okay", "oops",
 *   "sorry", "hey", "please" and trailing "please", "thanks", "thank you" are ignored around
 *   a command ("oops undo", "more please", "done 3 thanks"), never removed from a todo.
 * - complete and delete are a verb followed by numbers only ("done 3, 5 and 7", "delete 3
 *   and 5"), or numbers followed by a verb ("#3 done", "#4 delete", "3 and 4 are done", "mark
 *   3 as done"). Any other word makes the line a todo: "check the mail", "done deal with
 *   Bob", "delete old photos", "remove the batteries", "drop 2 kids at school", "finish 3
 *   chapters". Numbers are digits, "#3", "no. 3", "number three", words up to ninety-nine,
 *   or ranges ("done 1-3", "delete 2 through 4"). "x", "check", "tick", "close", "did"
 *   complete; "cancel 3", "drop 3", "rm 3", "forget 3" delete. A leading "I", "I'm", "I've"
 *   or "just" is ignored, as voice notes say it: "I finished number three".
 * - A verb with no number ("done", "delete", "edit") or with "all" ("delete all", "clear
 *   list", "done all") is Invalid with a reason that shows the right form: a bulk change is
 *   never guessed, and "done" is no todo anyone wants.
 * - A line of numbers only ("3", "#3", "no. 3") is Invalid: completing on a guess and adding
 *   "#3" as a todo would both surprise. Numbers outside 1..999 are Invalid too.
 * - edit is a verb, one number, an optional separator ("to", "into", "with", ":", "-", "→")
 *   and the new text ("edit #2 buy oat milk", "change 2 to buy oat milk", "edit 2: x",
 *   "rename #2 x"). "edit" with a digit needs no separator ("edit 2 buy oat milk", as the
 *   command card teaches, so "edit 2 photos" is an edit); "change", "update", "rename",
 *   "replace", "reword", "modify" need "#", "number" or a separator, because "change 2 tires"
 *   and "replace 2 light bulbs" are todos, and so does a number word ("edit two photos" is a
 *   todo). No number at all is a todo: "change the oil", "edit the video". An edit without
 *   new text ("edit 2", "change #2 to") is Invalid.
 * - list: "list", "ls", "todos", "?", "what's on my list", "show my todos" and a few more
 *   fixed phrases; "summary" alone also lists, since the summary is the list. A phrase with
 *   more words is a todo: "list of groceries", "summary of the meeting".
 * - more, undo and help are fixed phrases too: "more"/"next"/"more please"; "undo"/"undo
 *   that"/"oops undo"/"revert"/"cancel that"; "help"/"info"/"commands"/"hi"/"hello". "undo 3"
 *   (undo only goes back change by change) and "oops" alone are Invalid with a reason;
 *   "undo the knot" and "help mom move" are todos.
 * - settings: "summary" followed by a time ("7am", "7:30 pm", "at 19:00", "19h", "noon",
 *   "1900"), "off" or "on" ("on" means the default 08:00), or "timezone"/"time zone"/"tz"
 *   followed by a zone. A time without am/pm is 24-hour ("summary 7" is 07:00). Something
 *   shaped like a time that is none ("summary 25:00", "summary 13pm") is Invalid; words that
 *   are no time leave a todo ("summary of the meeting"). After "timezone"/"tz" anything is
 *   taken for a zone, so an unknown one is Invalid with an example rather than a todo.
 * - Timezones are matched without regard to case against Intl's list plus "UTC", spaces read
 *   as "_" ("tz america/new york"), by a city that names one zone ("tz london"), or through
 *   an alias Intl resolves ("Asia/Kolkata", "US/Eastern"); the canonical name is sent.
 *   Abbreviations ("EST", "CET", "GMT") are refused: several do not mean what people think.
 * - "thanks", "ok", "got it", "👍" and the like are Invalid with a pointer to "list" and
 *   "help": a message gets one reply, and "Added #5 thanks" is never what was meant.
 * - A todo longer than MAX_TODO_LENGTH, or more than MAX_TODOS_PER_MESSAGE todos (or
 *   numbers), makes the whole message Invalid and nothing changes (no partial adds the
 *   user has to untangle). Invalid carries a reason the reply shows.
 * - Lines are stripped of list bullets ("- ", "* ", "1. ") and of an "add"/"todo:" prefix;
 *   a line left empty (a "Todo:" heading) is dropped. Nothing left → help.
 */
import type { Command } from "../commands/command.model.js";
import { parseTodos } from "./add.parser.js";
import { HELP } from "./command.keywords.js";
import { parseCommandLine } from "./line-command.parser.js";
import { carrierCommand, subscriptionIn } from "./subscription.parser.js";

export {
  ACKNOWLEDGED_REASON,
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
  if (lines.length === 1) {
    const command = parseCommandLine(only);
    if (command) return command;
  }
  return parseTodos(lines);
}
