/**
 * The deterministic parser: SMS text in, Command out, no I/O.
 *
 * Choices where SPEC section 1 is silent:
 * - A message is a command only when it has exactly one non-empty line and that line reads
 *   as a command. A message of several non-empty lines adds one todo per line, even when
 *   its first (or any) line looks like a command: "done 3\nbuy milk" adds two todos. A
 *   pasted list must never complete or list anything by surprise, and the reply names
 *   what was added, so a wrong guess is one "undo" away.
 * - A complete command is a verb followed by numbers only ("done 3, 5 and 7"), or numbers
 *   followed by a verb ("#3 done"). Any other word makes the line a todo, so "check the
 *   mail" and "done deal with Bob" are added as written.
 * - A line of numbers only ("3", "#3", "no. 3") is Invalid: completing on a guess and
 *   adding "#3" as a todo would both surprise. Numbers outside 1..999 are Invalid too.
 * - A todo longer than MAX_TODO_LENGTH, or more than MAX_TODOS_PER_MESSAGE todos (or
 *   numbers), makes the whole message Invalid and nothing changes (no partial adds the
 *   user has to untangle). Invalid carries a reason the reply shows.
 * - Lines are stripped of list bullets ("- ", "* ", "1. ") and of an "add"/"todo:" prefix;
 *   a line left empty (a "Todo:" heading) is dropped. Nothing left → help.
 * - Commands are matched on a normalised copy (lower case, no punctuation or emoji); todo
 *   texts keep the user's spelling, punctuation and emoji, only whitespace is collapsed.
 */
import { MAX_TODO_LENGTH, MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE, type Command } from "../commands/command.model.js";

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};

// Longest first, so "seventeen" is never read as "seven" followed by leftovers.
const NUMBER_WORD = Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .join("|");
const NUMBER = `\\b(\\d+|${NUMBER_WORD})\\b`;
/** One todo reference: "3", "#3", "# 3", "number three", "no 3" ("no. 3" once punctuation is gone). */
const REFERENCE = `(?:(?:number|num|nr|no)\\s+)?(?:#\\s*)?${NUMBER}`;
const SEPARATOR = `(?:\\s*[,&]\\s*(?:and\\s+)?|\\s+and\\s+|\\s+)`;
const REFERENCES = `(?:${REFERENCE}(?:${SEPARATOR}${REFERENCE})*)`;

const VERBS_BEFORE = [
  "complete",
  "completed",
  "done",
  "done with",
  "finish",
  "finished",
  "x",
  "check",
  "check off",
  "tick",
  "tick off",
  "cross off",
  "mark done",
  "mark as done",
].join("|");
const VERBS_AFTER = ["done", "complete", "completed", "finished", "checked"].join("|");

const COMPLETE_VERB_FIRST = new RegExp(`^(?:${VERBS_BEFORE})(?:[\\s,]+|(?=#))(${REFERENCES})[\\s,&]*$`);
const COMPLETE_VERB_LAST = new RegExp(`^(?:mark\\s+)?(${REFERENCES})\\s+(?:(?:is|are|as)\\s+)?(?:${VERBS_AFTER})$`);
const NUMBERS_ONLY = new RegExp(`^${REFERENCES}$`);
const EACH_NUMBER = new RegExp(REFERENCE, "g");

const LIST_PHRASES = new Set([
  "list",
  "ls",
  "todo",
  "todos",
  "to do",
  "to dos",
  "todo list",
  "my list",
  "my todos",
  "list all",
  "list todos",
  "show list",
  "show my list",
  "show todos",
  "show my todos",
  "show all",
  "whats on my list",
  "what is on my list",
  "whats on the list",
]);
const HELP_PHRASES = new Set(["help", "info", "information", "commands", "command", "menu"]);

const QUESTION_MARKS_ONLY = /^[\s?¿]+$/u;
const CHECK_MARK_EMOJI = /[✅✔☑]\uFE0F?/gu;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;
const BULLET = /^(?:[-*•·–—▪◦‣]|\d{1,3}[.)])\s+/u;
const ADD_PREFIX = /^(?:add|todo|to-do)(?:\s*:\s*|\s+|$)/i;

export const TOO_LONG_REASON = `That todo is too long (max ${MAX_TODO_LENGTH} characters).`;
export const NUMBERS_ONLY_REASON = 'To complete a todo, send "done" and its number, e.g. "done 3".';
export const NUMBER_RANGE_REASON = `Todo numbers go from 1 to ${MAX_TODO_NUMBER}.`;
export const TOO_MANY_REASON = `That is too many todos at once (max ${MAX_TODOS_PER_MESSAGE} per message).`;

export function parseCommand(body: string): Command {
  const lines = body.split(LINE_BREAK).filter((line) => line.trim() !== "");
  const [only] = lines;
  if (only === undefined) return { kind: "help" };
  if (lines.length === 1) {
    const command = parseCommandLine(only);
    if (command) return command;
  }
  return parseTodos(lines);
}

/** The command one line asks for, or undefined when the line is a todo. */
function parseCommandLine(line: string): Command | undefined {
  if (QUESTION_MARKS_ONLY.test(line.normalize("NFKC"))) return { kind: "list" };
  const normalized = normalizeForMatching(line);
  if (LIST_PHRASES.has(normalized)) return { kind: "list" };
  if (HELP_PHRASES.has(normalized)) return { kind: "help" };
  const references = COMPLETE_VERB_FIRST.exec(normalized)?.[1] ?? COMPLETE_VERB_LAST.exec(normalized)?.[1];
  if (references !== undefined) {
    const numbers = numbersIn(references);
    if (numbers.some((number) => number < 1 || number > MAX_TODO_NUMBER)) return { kind: "invalid", reason: NUMBER_RANGE_REASON };
    const distinct = [...new Set(numbers)];
    if (distinct.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
    return { kind: "complete", numbers: distinct };
  }
  if (NUMBERS_ONLY.test(normalized)) return { kind: "invalid", reason: NUMBERS_ONLY_REASON };
  return undefined;
}

function parseTodos(lines: readonly string[]): Command {
  const texts = lines.map(todoText).filter((text) => text !== "");
  if (texts.length === 0) return { kind: "help" };
  if (texts.some((text) => text.length > MAX_TODO_LENGTH)) return { kind: "invalid", reason: TOO_LONG_REASON };
  if (texts.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
  return { kind: "add", texts };
}

function todoText(line: string): string {
  const collapsed = line.replace(/\s+/gu, " ").trim();
  return collapsed.replace(BULLET, "").replace(ADD_PREFIX, "").trim();
}

/** Lower case, apostrophes dropped ("what's" → "whats"), other punctuation and emoji turned into spaces. */
function normalizeForMatching(line: string): string {
  return line
    .normalize("NFKC")
    .replace(CHECK_MARK_EMOJI, " done ")
    .toLowerCase()
    .replace(/['’‘`´ʼ]/gu, "")
    .replace(/[^\p{L}\p{N}#,&\s]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
}

function numbersIn(references: string): number[] {
  return [...references.matchAll(EACH_NUMBER)].map((match) => {
    const token = match[1] ?? "";
    return NUMBER_WORDS[token] ?? Number.parseInt(token, 10);
  });
}
