/**
 * Whether a user's words name a todo: "called mom" names "call mom", "grocery buying" names
 * "buy groceries", "asprin" names "aspirin". Words are compared by lemma, in any order, with
 * a small typo allowed in longer words (fastest-levenshtein, MIT).
 *
 * - Every content word of the name must match a word of the todo.
 * - Function words ("the", "my", "with"), generic nouns ("task", "item", "event") and date
 *   words ("tomorrow", "friday", "3pm") need not match: people add them around a name ("my
 *   dinner event for Monday"). When they do match they count, so "dinner tomorrow" beats
 *   "dinner" for "delete my dinner tomorrow".
 * - A leading past-tense verb need not match either: "I bought eggs" names "eggs", "finished
 *   the report" names "write the report".
 */
import { distance } from "fastest-levenshtein";
import { wordInfo } from "../language/lexicon.js";

export interface NameMatch {
  /** Every content word of the todo is named, so the name means this todo as a whole. */
  readonly complete: boolean;
  /** Higher is better: 1 per exact word, less for a typo, a half for each matched optional word. */
  readonly score: number;
}

const FUNCTION_WORDS = new Set(
  (
    "a an the my our your his her their its this that these those to of for in on at by with from into onto off out " +
    "about and or i me we you it is are was were be been being have has had which who whom what some any all just " +
    "please so will would can could am pm p m o clock oclock there here than then also too very really"
  ).split(" "),
);
const GENERIC_NOUNS = new Set(
  "task tasks item items todo todos entry entries event events thing things reminder reminders line one appointment appt".split(
    " ",
  ),
);
const DATE_WORDS = new Set(
  (
    "today tonight tomorrow yesterday morning afternoon evening night noon midnight next this coming week weekend month year " +
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun " +
    "january february march april may june july august september october november december " +
    "jan feb mar apr jun jul aug sep sept oct nov dec scheduled planned set made created " +
    "first second third fourth fifth sixth seventh eighth ninth tenth"
  ).split(" "),
);
/** "buy milk" names "milk" on a shopping list: the errand is in the list, not in the todo. */
const SHOPPING_VERBS = new Set(["buy", "get", "purchase", "pick", "grab", "order"]);
/** "1st", "15th", "8am", "10pm", "1", "00": dates and times, optional like date words. */
const DATE_TOKEN = /^(?:\d+(?:st|nd|rd|th|am|pm|a|p|h)?|\d{1,2}[:.]\d{2})$/u;

interface Word {
  readonly raw: string;
  readonly key: string;
}

interface NameWords {
  readonly required: readonly Word[];
  readonly optional: readonly Word[];
}

export function nameMatch(name: string, todoText: string): NameMatch | undefined {
  const named = nameWordsOf(name);
  if (named.required.length === 0) return undefined;
  const todoWords = wordsOf(todoText).map(wordOf);
  const matched = new Set<Word>();
  let score = 0;
  for (const word of named.required) {
    const best = bestMatch(word, todoWords);
    if (best === undefined) return undefined;
    matched.add(best.word);
    score += best.quality;
  }
  for (const word of named.optional) {
    const best = bestMatch(word, todoWords);
    if (best === undefined) continue;
    matched.add(best.word);
    score += best.quality / 2;
  }
  const complete = todoWords.every((word) => matched.has(word) || FUNCTION_WORDS.has(word.raw));
  return { complete, score };
}

function nameWordsOf(name: string): NameWords {
  const words = wordsOf(name);
  const content = words.filter((word) => !FUNCTION_WORDS.has(word) && !GENERIC_NOUNS.has(word) && !isDateWord(word));
  // A name made only of generic or date words is all there is to go by ("delete appointment").
  const requiredRaw = content.length > 0 ? content : words.filter((word) => !FUNCTION_WORDS.has(word));
  const required = requiredRaw.map(wordOf);
  const optional = words.filter((word) => !requiredRaw.includes(word)).map(wordOf);
  const [first, ...rest] = required;
  const leading = first !== undefined && rest.length > 0 && words.indexOf(first.raw) === firstContentIndex(words);
  if (first !== undefined && leading && (wordInfo(first.raw).pastTense || SHOPPING_VERBS.has(first.key))) {
    return { required: rest, optional: [first, ...optional] };
  }
  return { required, optional };
}

function firstContentIndex(words: readonly string[]): number {
  return words.findIndex((word) => !FUNCTION_WORDS.has(word));
}

function isDateWord(word: string): boolean {
  return DATE_WORDS.has(word) || DATE_TOKEN.test(word);
}

/** Lower case, possessive "'s" and other apostrophes dropped, split at anything but letters and digits. */
export function wordsOf(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/['’‘`´]s(?![\p{L}\p{N}])/gu, "")
    .replace(/['’‘`´]/gu, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}

function wordOf(raw: string): Word {
  return { raw, key: wordInfo(raw).lemma };
}

const EXACT = 1;
const TYPO = 0.7;

function bestMatch(word: Word, candidates: readonly Word[]): { word: Word; quality: number } | undefined {
  let best: { word: Word; quality: number } | undefined;
  for (const candidate of candidates) {
    const quality = similarity(word, candidate);
    if (quality > 0 && (best === undefined || quality > best.quality)) best = { word: candidate, quality };
    if (quality === EXACT) break;
  }
  return best;
}

function similarity(a: Word, b: Word): number {
  if (a.raw === b.raw || a.key === b.key) return EXACT;
  const shorter = Math.min(a.key.length, b.key.length);
  if (shorter < 4 || /\d/u.test(a.raw) || /\d/u.test(b.raw)) return 0;
  const allowed = shorter >= 7 ? 2 : 1;
  return Math.min(distance(a.key, b.key), distance(a.raw, b.raw)) <= allowed ? TYPO : 0;
}
