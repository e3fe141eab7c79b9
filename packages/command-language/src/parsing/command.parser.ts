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
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "@sms-todo/rules";
import type { Command } from "../commands/command.model.js";
import {
  ACKNOWLEDGED_REASON,
  DELETE_HOW_REASON,
  EDIT_HOW_REASON,
  NUMBERS_ONLY_REASON,
  TOO_LONG_REASON,
  TOO_MANY_REASON,
  UNDO_HOW_REASON,
} from "./command.reasons.js";
import { EDIT_VERBS, parseEdit } from "./edit.parser.js";
import { parseSettings } from "./settings.parser.js";
import { matchingTokens, phraseOf, settingsText, withoutCourtesy, withoutLeadingCourtesy } from "./text.normalizer.js";
import { COMPLETE_VERBS, DELETE_VERBS, parseNumberedCommand, referencesIn } from "./todo-number.parser.js";

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

const OPT_OUT: Command = { kind: "subscription", subscribed: false };
const OPT_IN: Command = { kind: "subscription", subscribed: true };
const LIST: Command = { kind: "list" };
const HELP: Command = { kind: "help" };
const MORE: Command = { kind: "more" };
const UNDO: Command = { kind: "undo" };

// The keywords as matchingTokens leaves a line (lower case), then other ways of saying the same.
const lowerCase = (keywords: readonly string[]) => keywords.map((keyword) => keyword.toLowerCase());
const OPT_OUT_PHRASES = new Set([
  ...lowerCase(OPT_OUT_KEYWORDS),
  "stop all",
  "unsubscribe me",
  "opt out",
  "opt me out",
  "stop texting me",
  "stop messaging me",
  "stop texts",
  "stop messages",
  "stop sending texts",
  "stop sending messages",
  "stop sending me texts",
  "stop sending me messages",
]);
const OPT_IN_PHRASES = new Set([
  ...lowerCase(OPT_IN_KEYWORDS),
  "optin",
  "opt in",
  "opt me in",
  "subscribe",
  "resubscribe",
  "start again",
]);

const phraseCommands = (command: Command, phrases: readonly string[]) => phrases.map((phrase) => [phrase, command] as const);
const FIXED_PHRASES: ReadonlyMap<string, Command> = new Map([
  ...phraseCommands(LIST, [
    "list",
    "ls",
    "todo",
    "todos",
    "to do",
    "to dos",
    "todo list",
    "to do list",
    "my list",
    "my todos",
    "my to dos",
    "my todo list",
    "my to do list",
    "the list",
    "full list",
    "view list",
    "get list",
    "list all",
    "list todos",
    "list my todos",
    "list everything",
    "show",
    "show list",
    "show my list",
    "show the list",
    "show todos",
    "show my todos",
    "show all",
    "show everything",
    "show me",
    "show me my list",
    "show me the list",
    "show me my todos",
    "whats on my list",
    "what is on my list",
    "whats on the list",
    "whats left",
    "what is left",
    "what do i have",
    "what do i have to do",
    "what are my todos",
    "tasks",
    "my tasks",
    "list tasks",
    "show tasks",
    "open todos",
  ]),
  ...phraseCommands(HELP, [
    "help",
    "help me",
    "info",
    "information",
    "commands",
    "command",
    "menu",
    "options",
    "instructions",
    "how does this work",
    "how does it work",
    "how do i use this",
    "what can i say",
    "what can i do",
    "what can you do",
    "hi",
    "hello",
    "hey",
    "hi there",
    "hello there",
    "hey there",
  ]),
  ...phraseCommands(MORE, [
    "more",
    "next",
    "next page",
    "show more",
    "send more",
    "see more",
    "continue",
    "cont",
    "go on",
    "keep going",
  ]),
  ...phraseCommands(UNDO, [
    "undo",
    "un do",
    "undo that",
    "undo it",
    "undo again",
    "undo last",
    "undo last change",
    "undo the last change",
    "undo my last change",
    "undo last one",
    "undo the last one",
    "revert",
    "revert that",
    "revert it",
    "revert last change",
    "take that back",
    "take it back",
    "cancel that",
    "scratch that",
  ]),
  ...phraseCommands({ kind: "invalid", reason: UNDO_HOW_REASON }, ["oops", "whoops", "oh no"]),
  ...phraseCommands({ kind: "invalid", reason: DELETE_HOW_REASON }, [
    "clear",
    "clear all",
    "clear list",
    "clear my list",
    "clear the list",
    "clear everything",
  ]),
  ...phraseCommands({ kind: "invalid", reason: EDIT_HOW_REASON }, EDIT_VERBS),
  ...phraseCommands({ kind: "invalid", reason: ACKNOWLEDGED_REASON }, [
    "thanks",
    "thank you",
    "thankyou",
    "thx",
    "ty",
    "thanks a lot",
    "thank you so much",
    "many thanks",
    "ok",
    "okay",
    "k",
    "kk",
    "ok thanks",
    "okay thanks",
    "ok thank you",
    "okay thank you",
    "cool",
    "cool thanks",
    "great",
    "great thanks",
    "perfect",
    "perfect thanks",
    "nice",
    "awesome",
    "got it",
    "sounds good",
    "alright",
    "all right",
  ]),
]);

/** "all", "everything": a bulk change, which is never guessed. */
const ALL_WORDS = ["all", "everything", "all of them", "them all", "all todos", "all my todos", "my list", "the list", "list"];

const QUESTION_MARKS_ONLY = /^[\s?¿]+$/u;
const APPROVAL_EMOJI_ONLY = /^(?:[\s.!👍👌🙏🆗]|[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D)+$/u;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;
const BULLET = /^(?:[-*•·–—▪◦‣]|\d{1,3}[.)])\s+/u;
const ADD_PREFIX = /^(?:add|todo|to-do)(?:\s*:\s*|\s+|$)/i;

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

/** Twilio has already classified the message as an opt-out, opt-in or help keyword. */
function carrierCommand(optOutType: string | undefined): Command | undefined {
  switch (optOutType?.trim().toUpperCase()) {
    case "STOP":
      return OPT_OUT;
    case "START":
      return OPT_IN;
    case "HELP":
      return HELP;
    default:
      return undefined;
  }
}

function subscriptionIn(lines: readonly string[]): Command | undefined {
  const phrases = lines.map((line) => phraseOf(withoutCourtesy(matchingTokens(line))));
  if (phrases.some((phrase) => OPT_OUT_PHRASES.has(phrase))) return OPT_OUT;
  if (phrases.some((phrase) => OPT_IN_PHRASES.has(phrase))) return OPT_IN;
  return undefined;
}

/** The command one line asks for, or undefined when the line is a todo. */
function parseCommandLine(line: string): Command | undefined {
  const nfkc = line.normalize("NFKC");
  if (QUESTION_MARKS_ONLY.test(nfkc)) return LIST;
  if (APPROVAL_EMOJI_ONLY.test(nfkc)) return { kind: "invalid", reason: ACKNOWLEDGED_REASON };
  const tokens = matchingTokens(line);
  const asWritten = FIXED_PHRASES.get(phraseOf(tokens));
  if (asWritten) return asWritten;
  if (ADD_PREFIX.test(line.trim())) return undefined;
  const words = withoutCourtesy(tokens);
  const fixed = FIXED_PHRASES.get(phraseOf(words));
  if (fixed) return fixed;
  return (
    parseSettings(settingsText(line)) ??
    parseEdit(withoutLeadingCourtesy(line)) ??
    parseNumberedCommand(words) ??
    commandWithoutNumbers(words)
  );
}

/** A complete, delete or undo verb without usable numbers: say how it is done. */
function commandWithoutNumbers(words: readonly string[]): Command | undefined {
  const phrase = phraseOf(words);
  const forms: ReadonlyArray<[typeof COMPLETE_VERBS, string]> = [
    [COMPLETE_VERBS, NUMBERS_ONLY_REASON],
    [DELETE_VERBS, DELETE_HOW_REASON],
  ];
  for (const [verbs, reason] of forms) {
    for (const verb of [...verbs.before, ...verbs.after].map((parts) => parts.join(" "))) {
      if (phrase === verb || ALL_WORDS.some((all) => phrase === `${verb} ${all}` || phrase === `${all} ${verb}`)) {
        return { kind: "invalid", reason };
      }
    }
  }
  if (words[0] === "undo" && referencesIn(words.slice(1)) !== undefined) return { kind: "invalid", reason: UNDO_HOW_REASON };
  return undefined;
}

function parseTodos(lines: readonly string[]): Command {
  const texts = lines.map(todoText).filter((text) => text !== "");
  if (texts.length === 0) return HELP;
  if (texts.some((text) => text.length > MAX_TODO_LENGTH)) return { kind: "invalid", reason: TOO_LONG_REASON };
  if (texts.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
  return { kind: "add", texts };
}

function todoText(line: string): string {
  const collapsed = line.replace(/\s+/gu, " ").trim();
  return collapsed.replace(BULLET, "").replace(ADD_PREFIX, "").trim();
}
