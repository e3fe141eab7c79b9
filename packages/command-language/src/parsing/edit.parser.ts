/**
 * The edit command: "edit #2 buy oat milk", "change 2 to buy oat milk", "rename #2: call dad".
 * It reads the line as written, because the new text is the user's own.
 */
import { MAX_TODO_LENGTH, MAX_TODO_NUMBER } from "@sms-todo/rules";
import type { Command } from "../commands/command.model.js";
import { EDIT_HOW_REASON, NUMBER_RANGE_REASON, TOO_LONG_REASON } from "./command.reasons.js";
import { TEEN_WORDS, TENS_WORDS, UNIT_WORDS } from "../language/number-words.js";
import { NUMBER_MARKERS } from "./todo-number.parser.js";

export const EDIT_VERBS: readonly string[] = ["edit", "change", "update", "rename", "replace", "reword", "modify"];

const alternatives = (words: Readonly<Record<string, number>>) =>
  Object.keys(words)
    .sort((a, b) => b.length - a.length)
    .join("|");
const NUMBER_WORD = `(?:${alternatives(TENS_WORDS)})(?:[\\s-]+(?:${alternatives(UNIT_WORDS)}))?|${alternatives(TEEN_WORDS)}|${alternatives(UNIT_WORDS)}`;

const EDIT = new RegExp(
  `^(${EDIT_VERBS.join("|")})(?!\\p{L})[\\s:,]*` +
    `(?:(${[...NUMBER_MARKERS].join("|")})\\.?\\s*)?(#\\s*)?` +
    `(\\d+|${NUMBER_WORD})(?![\\p{L}\\p{N}])` +
    // A separator ("to", "with", ":", "-", "→") or, without one, whitespace before the new text.
    `(?:(\\s*(?:->|[:=→>\\-–—])\\s*|\\s+(?:to|into|with)(?:\\s*:)?(?:\\s+|$))|\\s+|$)` +
    `([\\s\\S]*)$`,
  "iu",
);
/** "edit 2 and 3 …": one todo at a time. */
const ANOTHER_NUMBER = /^(?:and|&|,)\s*(?:#\s*)?\d/iu;
const SURROUNDING_QUOTES = /^(["“”'‘’])(.*)(["“”'‘’])$/u;

/**
 * The edit the line asks for, an Invalid one when it is an edit that cannot be applied, or
 * undefined when the line is not an edit.
 *
 * Only "edit" takes a bare digit and the new text without a separator ("edit 2 buy oat
 * milk", as the command card teaches). The other verbs are everyday todo words, so "change",
 * "update", "rename", "replace", "reword" and "modify" need "#", "number" or a separator:
 * "change #2 buy oat milk" and "change 2 to buy oat milk" edit, "change 2 tires" is a todo.
 * A number word always needs one of them too: "edit two photos" is a todo.
 */
export function parseEdit(line: string): Command | undefined {
  const match = EDIT.exec(line);
  if (!match) return undefined;
  const [, verb = "", marker, hash, reference = "", separator, rest = ""] = match;
  const digits = /^\d+$/u.test(reference);
  const text = newTextOf(rest);
  const strong = marker !== undefined || hash !== undefined || separator !== undefined;
  if (text === "") return { kind: "invalid", reason: EDIT_HOW_REASON };
  if (!strong && !(digits && verb.toLowerCase() === "edit")) return undefined;
  if (ANOTHER_NUMBER.test(text)) return { kind: "invalid", reason: EDIT_HOW_REASON };
  const number = digits ? Number.parseInt(reference, 10) : numberWordValue(reference);
  if (number < 1 || number > MAX_TODO_NUMBER) return { kind: "invalid", reason: NUMBER_RANGE_REASON };
  if (text.length > MAX_TODO_LENGTH) return { kind: "invalid", reason: TOO_LONG_REASON };
  return { kind: "edit", target: { by: "number", number }, text };
}

function newTextOf(rest: string): string {
  const collapsed = rest.replace(/\s+/gu, " ").trim();
  const quoted = SURROUNDING_QUOTES.exec(collapsed);
  return (quoted ? (quoted[2] ?? "") : collapsed).trim();
}

function numberWordValue(words: string): number {
  const [first = "", second = ""] = words.toLowerCase().split(/[\s-]+/u);
  return (TENS_WORDS[first] ?? TEEN_WORDS[first] ?? UNIT_WORDS[first] ?? 0) + (UNIT_WORDS[second] ?? 0);
}
