/**
 * The deterministic item splitter: a voice note's transcript in, todo texts out, no I/O.
 * Used when no LLM is configured, or when the LLM gives no usable answer.
 *
 * How it reads speech (where SPEC section 1 is silent):
 * - Sentences (., !, ?, ;, line breaks) are items of their own; "and then", "also",
 *   "after that" start a new item anywhere.
 * - A bare "and" (or "then") splits only when an action follows: a verb with an object
 *   ("buy milk and call mom") or an intent ("… and I need to call mom"). So "salt and
 *   pepper", "buy salt and pepper" and "milk and water" stay whole.
 * - Spoken lists: "eggs, bread and butter, and salt and pepper". Two or more commas make a
 *   list; its last element is split at its first "and" unless an Oxford comma already
 *   ended the list. Fixed pairs ("salt and pepper", "mac and cheese", …) are never split.
 *   A verb that opens a list carries over to the bare nouns that follow it: "buy milk,
 *   eggs and bread" gives "buy milk", "buy eggs", "buy bread".
 * - One comma splits only between two actions ("buy milk, call mom") or two short words
 *   ("milk, eggs"); "call mom, she needs help" stays one todo.
 * - Fillers and intents in front ("um", "okay so", "I need to", "remind me to", "don't
 *   forget to", "first", "add") and "to my list" at the end are dropped; bracketed
 *   non-speech ("[BLANK_AUDIO]", "(music)") is removed; sign-offs ("that's it", "thanks")
 *   are not todos. Whisper's sentence capital is lowered when the item starts with a verb.
 * - At most MAX_TODOS_PER_MESSAGE items of at most MAX_TODO_LENGTH characters (cut at a word).
 */
import { MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { protectPairs } from "./fixed-pairs.protector.js";
import { ACTION_VERBS, startsWithAction, wordsOf } from "./spoken-action.detector.js";
import { finishItem } from "./spoken-item.cleaner.js";

const SIGN_OFFS = new Set([
  "that's it",
  "thats it",
  "that is it",
  "that's all",
  "thats all",
  "that is all",
  "thanks",
  "thank you",
  "bye",
  "goodbye",
  "okay",
  "ok",
  "done",
  "i",
  "we",
  "it",
  "that",
  "yeah",
  "yes",
  "no",
]);

const ABBREVIATIONS = /\b(mr|mrs|ms|dr|st|vs|etc|approx|appt|dept|jr|sr|no|e\.g|i\.e)\.$/i;
const NON_SPEECH = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪[^♪]*♪?/g;

export function splitSpokenItems(transcript: string): string[] {
  const text = protectPairs(
    transcript
      .replace(/[\u2018\u2019]/g, "'")
      .replace(NON_SPEECH, " ")
      .replace(/[ \t]+/g, " ")
      .trim(),
  );
  const items: string[] = [];
  for (const sentence of sentencesOf(text)) {
    for (const clause of clausesOf(withoutListIntro(sentence))) {
      for (const item of listItemsOf(clause)) items.push(item);
    }
  }
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of items) {
    const item = finishItem(raw);
    const key = item.toLowerCase();
    if (item === "" || SIGN_OFFS.has(key.replace(/[.!?]+$/, "")) || seen.has(key)) continue;
    seen.add(key);
    result.push(item);
    if (result.length === MAX_TODOS_PER_MESSAGE) break;
  }
  return result;
}

function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let current = "";
  for (const piece of text.split(/(?<=[.!?;])\s+|\s*[\r\n]+\s*/)) {
    current = current ? `${current} ${piece}` : piece;
    // "Dr. Smith" and "2.5" are not sentence ends.
    if (ABBREVIATIONS.test(current)) continue;
    sentences.push(current);
    current = "";
  }
  if (current) sentences.push(current);
  return sentences.map((sentence) => sentence.replace(/[.!?;]+$/, "").trim()).filter((sentence) => sentence !== "");
}

/** "My list for today: milk, eggs" → "milk, eggs"; a colon after a short intro ends the intro. */
function withoutListIntro(sentence: string): string {
  const colon = sentence.indexOf(":");
  if (colon > 0 && sentence.slice(0, colon).trim().split(/\s+/).length <= 6) return sentence.slice(colon + 1).trim();
  return sentence.replace(
    /^(?:(?:okay|ok|so|um+|uh+)[\s,]+)*(?:(?:here'?s|here\s+is)\s+)?(?:my|the|a\s+few|some)?\s*(?:todos?|to\s+dos?|to-dos?|things\s+to\s+do|tasks|reminders|shopping\s+list|grocery\s+list|list)(?:\s+for\s+(?:today|tomorrow|this\s+week))?\s+(?:are|is)\b[\s,]*/i,
    "",
  );
}

/** Splits at "and then", "also", "after that" always, and at a bare "and"/"then" before an action. */
function clausesOf(sentence: string): string[] {
  const parts = sentence.split(/\s*,?\s*\b(?:and\s+then|and\s+also|after\s+that|afterwards|also)\b\s*,?\s*/i);
  const clauses: string[] = [];
  for (const part of parts) {
    let rest = part;
    for (;;) {
      const match = findActionJoin(rest);
      if (!match) break;
      clauses.push(rest.slice(0, match.index));
      rest = rest.slice(match.index + match.length);
    }
    clauses.push(rest);
  }
  return clauses.map((clause) => clause.trim()).filter((clause) => clause !== "");
}

function findActionJoin(text: string): { index: number; length: number } | undefined {
  const joiner = /\s+(?:and|then)\s+|\s*,\s*(?:and\s+|then\s+)?/gi;
  for (let match = joiner.exec(text); match; match = joiner.exec(text)) {
    const before = text.slice(0, match.index);
    const after = text.slice(match.index + match[0].length);
    // Commas are the list reader's business unless an action follows on both sides.
    if (match[0].includes(",") && !(startsWithAction(after) && wordsOf(before).length > 0 && commaCount(text) === 1)) continue;
    if (wordsOf(before).length > 0 && startsWithAction(after)) return { index: match.index, length: match[0].length };
  }
  return undefined;
}

function commaCount(text: string): number {
  return (text.match(/,/g) ?? []).length;
}

/** Reads "a, b and c" as three items; one comma only between two short words. */
function listItemsOf(clause: string): string[] {
  const parts = clause
    .split(/\s*,\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (parts.length < 2) return [clause];
  if (parts.length === 2) {
    // "milk, eggs" and "buy milk, eggs and bread" are lists; "call mom, she needs help" is one todo.
    const [first = "", second = ""] = parts;
    const finalPair = second.split(/\s+(?:and|or)\s+/i);
    const threeElements = finalPair.length === 2 && finalPair.every((element) => wordsOf(element).length <= 3);
    const twoShort = wordsOf(first).length <= 2 && wordsOf(second.replace(/^(?:and|or)\s+/i, "")).length <= 2;
    if (!threeElements && !twoShort) return [clause];
  }
  const last = parts[parts.length - 1] ?? "";
  const oxford = /^(?:and|or)\s+/i.test(last);
  const elements = parts.slice(0, -1);
  if (oxford) elements.push(last.replace(/^(?:and|or)\s+/i, ""));
  else {
    const [left, ...right] = last.split(/\s+(?:and|or)\s+/i);
    elements.push(left ?? "");
    if (right.length > 0) elements.push(right.join(" and "));
  }
  return distributeVerb(elements.filter((element) => element.trim() !== ""));
}

/** "buy milk", "eggs", "bread" → "buy milk", "buy eggs", "buy bread". */
function distributeVerb(elements: string[]): string[] {
  const first = finishItem(elements[0] ?? "");
  const match = /^(\S+(?:\s+(?:up|off|out|back|in|on))?)\s+\S/i.exec(first);
  const verb = match?.[1];
  if (!verb || !ACTION_VERBS.has(verb.split(/\s+/)[0]!.toLowerCase())) return elements;
  const rest = elements.slice(1).map((element) => finishItem(element));
  if (rest.some((element) => startsWithAction(element) || wordsOf(element).length > 4)) return elements;
  return [first, ...rest.map((element) => (element ? `${verb} ${element}` : element))];
}
