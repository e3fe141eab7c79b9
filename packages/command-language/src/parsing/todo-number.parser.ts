/**
 * Todo numbers as users write and say them ("3", "#3", "no. 3", "number three", "twenty one",
 * "1-3") and the commands that take a list of them: complete and delete.
 */
import { MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { numberTargets, type Command } from "../commands/command.model.js";
import { TEEN_WORDS, TENS_WORDS, UNIT_WORDS } from "../language/number-words.js";
import { NUMBER_RANGE_REASON, NUMBERS_ONLY_REASON, TOO_MANY_REASON } from "./command.reasons.js";

/** Words that announce a number: "number 3", "no. 3" (the "." is gone by now), "nr 3". */
export const NUMBER_MARKERS: ReadonlySet<string> = new Set(["number", "num", "nr", "no"]);
const LIST_SEPARATORS = new Set([",", "&", "and"]);
/** "1 through 3", "1 thru 3", and "1-3" once normalised. */
const RANGE_WORDS = new Set(["through", "thru"]);

type NumberedKind = "complete" | "delete";

interface VerbPhrases {
  readonly kind: NumberedKind;
  /** "done 3": the verb, then the numbers. */
  readonly before: readonly (readonly string[])[];
  /** "#3 done": the numbers, then the verb. */
  readonly after: readonly (readonly string[])[];
}

const phrases = (...texts: string[]) => texts.map((text) => text.split(" "));

export const COMPLETE_VERBS: VerbPhrases = {
  kind: "complete",
  before: phrases(
    "complete",
    "completed",
    "done",
    "done with",
    "finish",
    "finished",
    "finished with",
    "x",
    "check",
    "check off",
    "tick",
    "tick off",
    "cross off",
    "close",
    "did",
    "mark done",
    "mark as done",
    "mark complete",
    "mark as complete",
  ),
  after: phrases("done", "complete", "completed", "finished", "checked", "checked off", "ticked off", "crossed off", "closed"),
};

export const DELETE_VERBS: VerbPhrases = {
  kind: "delete",
  before: phrases(
    "delete",
    "del",
    "remove",
    "rm",
    "drop",
    "erase",
    "trash",
    "scrap",
    "scratch",
    "discard",
    "cancel",
    "forget",
    "forget about",
    "get rid of",
  ),
  after: phrases("delete", "deleted", "del", "remove", "removed", "drop", "dropped", "trash", "cancelled", "canceled"),
};

/** Longest first, so "i have" is not read as "i" followed by the verb "have". */
const SUBJECTS = phrases("i have just", "i have", "i am", "i just", "ive just", "im just", "i", "ive", "im", "just");

/** "check 3 off", "tick #2 off". */
const TRAILING_OFF_VERBS = new Set(["check", "tick", "cross"]);
/** "mark 3 done", "3 and 4 are done", "#2 is now finished". */
const LEADING_MARK = "mark";
const LINKING_WORDS = new Set(["is", "are", "as", "now", "been", "has", "have"]);

/**
 * The numbers of a line that is only a list of references ("3", "#1, #2", "one two and
 * three"), or undefined when anything else is in it. Leading and trailing separators are
 * tolerated ("done, 3,"). A scan, not a regular expression: a long near-miss stays linear.
 */
export function referencesIn(tokens: readonly string[]): number[] | undefined {
  let index = 0;
  const numbers: number[] = [];
  while (index < tokens.length && (tokens[index] === "," || tokens[index] === "&")) index += 1;
  while (index < tokens.length) {
    const reference = referenceAt(tokens, index);
    if (reference === undefined) return undefined;
    index = reference.next;
    if (RANGE_WORDS.has(tokens[index] ?? "")) {
      const last = referenceAt(tokens, index + 1);
      if (last === undefined) return undefined;
      numbers.push(...rangeOf(reference.number, last.number));
      index = last.next;
    } else {
      numbers.push(reference.number);
    }
    let separators = 0;
    while (index < tokens.length && LIST_SEPARATORS.has(tokens[index] ?? "")) {
      index += 1;
      separators += 1;
    }
    // A list may not end in "and" ("done 3 and"), but a stray trailing comma is noise.
    if (index === tokens.length && separators > 0 && tokens[index - 1] === "and") return undefined;
  }
  return numbers.length > 0 ? numbers : undefined;
}

/**
 * first..last in either direction. A range wider than one message may carry is cut just past
 * the limit, so the size check refuses it without a million numbers being built first.
 */
function rangeOf(first: number, last: number): number[] {
  const step = first <= last ? 1 : -1;
  const length = Math.min(Math.abs(last - first) + 1, MAX_TODOS_PER_MESSAGE + 1);
  return Array.from({ length }, (_, offset) => first + offset * step);
}

/** complete or delete, with its numbers checked, or undefined when the tokens are neither. */
export function parseNumberedCommand(tokens: readonly string[]): Command | undefined {
  const said = withoutSubject(tokens);
  for (const verbs of [COMPLETE_VERBS, DELETE_VERBS]) {
    const numbers = verbFirst(said, verbs) ?? verbLast(said, verbs);
    if (numbers !== undefined) return numberedCommand(verbs.kind, numbers);
  }
  const numbersOnly = referencesIn(tokens);
  if (numbersOnly !== undefined) return { kind: "invalid", reason: NUMBERS_ONLY_REASON };
  return undefined;
}

/** Whether the tokens are exactly one of the phrases. */
export function isOneOf(tokens: readonly string[], candidates: readonly (readonly string[])[]): boolean {
  return candidates.some((phrase) => phrase.length === tokens.length && startsWith(tokens, phrase));
}

/** "I finished 3", "I'm done with #2", "just did 4": how a voice note or a chat says it. */
function withoutSubject(tokens: readonly string[]): readonly string[] {
  const subject = SUBJECTS.find((words) => startsWith(tokens, words) && tokens.length > words.length);
  return subject === undefined ? tokens : tokens.slice(subject.length);
}

function numberedCommand(kind: NumberedKind, numbers: readonly number[]): Command {
  if (numbers.some((number) => number < 1 || number > MAX_TODO_NUMBER)) return { kind: "invalid", reason: NUMBER_RANGE_REASON };
  const distinct = [...new Set(numbers)];
  if (distinct.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
  return { kind, targets: numberTargets(distinct) };
}

function verbFirst(tokens: readonly string[], verbs: VerbPhrases): number[] | undefined {
  for (const verb of verbs.before) {
    if (!startsWith(tokens, verb)) continue;
    let rest = tokens.slice(verb.length);
    if (TRAILING_OFF_VERBS.has(verb[0] ?? "") && rest.at(-1) === "off") rest = rest.slice(0, -1);
    const numbers = referencesIn(rest);
    if (numbers !== undefined) return numbers;
  }
  return undefined;
}

function verbLast(tokens: readonly string[], verbs: VerbPhrases): number[] | undefined {
  const start = tokens[0] === LEADING_MARK ? 1 : 0;
  for (const verb of verbs.after) {
    if (!endsWith(tokens, verb)) continue;
    let end = tokens.length - verb.length;
    while (end > start && LINKING_WORDS.has(tokens[end - 1] ?? "")) end -= 1;
    const numbers = referencesIn(tokens.slice(start, end));
    if (numbers !== undefined) return numbers;
  }
  return undefined;
}

function referenceAt(tokens: readonly string[], start: number): { number: number; next: number } | undefined {
  let index = start;
  if (NUMBER_MARKERS.has(tokens[index] ?? "")) index += 1;
  if (tokens[index] === "#") index += 1;
  const token = tokens[index];
  if (token === undefined) return undefined;
  if (/^\d+$/u.test(token)) return { number: Number.parseInt(token, 10), next: index + 1 };
  const tens = TENS_WORDS[token];
  if (tens !== undefined) {
    const unit = UNIT_WORDS[tokens[index + 1] ?? ""];
    return unit === undefined ? { number: tens, next: index + 1 } : { number: tens + unit, next: index + 2 };
  }
  const small = UNIT_WORDS[token] ?? TEEN_WORDS[token];
  return small === undefined ? undefined : { number: small, next: index + 1 };
}

function startsWith(tokens: readonly string[], phrase: readonly string[]): boolean {
  return phrase.length <= tokens.length && phrase.every((word, index) => tokens[index] === word);
}

function endsWith(tokens: readonly string[], phrase: readonly string[]): boolean {
  const offset = tokens.length - phrase.length;
  return offset >= 0 && phrase.every((word, index) => tokens[offset + index] === word);
}
