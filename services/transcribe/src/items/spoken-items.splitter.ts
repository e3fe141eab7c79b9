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

import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";

/** Verbs a spoken todo starts with. Noun-verbs ("water", "mail") need an object to count. */
const ACTION_VERBS = new Set(
  `buy get grab pick drop call phone ring text email message send mail post pay book schedule reschedule cancel renew
  order return take bring collect clean wash water feed walk make fix repair replace finish write read check review
  update ask tell invite thank visit meet see go do cook bake prepare file print sign submit sort organize organise
  plan research apply register transfer deposit withdraw sell donate recycle empty fill load unload iron fold tidy
  sweep mop dust vacuum hoover mow paint shop look find contact follow reply respond confirm hang set start charge
  change install download upload backup back study practice practise exercise clear wrap move put water feed
  refill restock fetch remind register wipe dump take empty trim cut shovel rake wrap deliver ship pack unpack
  return label`.split(/\s+/),
);

/** Intents that make what follows an action, even when no verb from the list starts it. */
const INTENT = [
  String.raw`(?:i|we)(?:'ve|\s+have)\s+got\s+to`,
  String.raw`(?:i|we)\s+(?:also\s+)?(?:really\s+)?(?:need|have|want|ought|got|gotta|must|should)(?:\s+to)?`,
  String.raw`(?:i|we)'?d\s+like\s+to`,
  String.raw`(?:i|we)(?:'ll|\s+will)(?:\s+need\s+to)?`,
  String.raw`(?:need|have|got)\s+to`,
  String.raw`gotta|remember\s+to|remind\s+me\s+to|(?:don'?t|do\s+not)\s+forget\s+to|make\s+sure\s+(?:to|i|we)`,
  String.raw`(?:can|could)\s+you|please|add`,
].join("|");
const INTENT_START = new RegExp(String.raw`^(?:${INTENT})\b`, "i");

const LEADING_NOISE = new RegExp(
  String.raw`^(?:(?:um+|uh+m?|erm?|hmm+|mm+|ah+|oh|so|well|okay|ok|alright|all\s+right|right|and|also|then|and\s+then|plus|next|first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|lastly|last(?:ly)?|after\s+that|todo|to\s+do|to-do|reminder|note\s+to\s+self|${INTENT})\b[\s,:.-]*)+`,
  "i",
);
const TRAILING_NOISE =
  /(?:[\s,]+(?:to|on|onto|in)\s+(?:my|the)\s+(?:todo\s+|to\s+do\s+|to-do\s+|shopping\s+|grocery\s+)?list|[\s,]+please|[\s,]+thanks?(?:\s+you)?)+$/i;
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

/** Pairs said as one thing; their "and" never splits. */
const FIXED_PAIRS = [
  "salt and pepper",
  "bread and butter",
  "mac and cheese",
  "macaroni and cheese",
  "fish and chips",
  "peanut butter and jelly",
  "peanut butter and jam",
  "ham and cheese",
  "rice and beans",
  "chips and salsa",
  "chips and dip",
  "oil and vinegar",
  "cookies and cream",
  "milk and cookies",
  "bacon and eggs",
  "eggs and bacon",
  "spaghetti and meatballs",
  "cheese and crackers",
  "strawberries and cream",
  "sweet and sour",
  "shampoo and conditioner",
  "soap and water",
  "pen and paper",
  "knife and fork",
  "cup and saucer",
  "bed and breakfast",
  "rock and roll",
  "black and white",
  "pros and cons",
  "q and a",
  "r and d",
  "b and b",
  "p and l",
  "trial and error",
  "odds and ends",
  "nuts and bolts",
  "arts and crafts",
  "friends and family",
  "family and friends",
  "mom and dad",
  "mum and dad",
  "mother and father",
  "husband and wife",
  "aunt and uncle",
  "brothers and sisters",
  "ladies and gentlemen",
  "law and order",
  "research and development",
  "health and safety",
  "terms and conditions",
];
const PAIR_JOINER = "\u0001";
const FIXED_PAIR_PATTERN = new RegExp(
  String.raw`\b(${FIXED_PAIRS.map((pair) => pair.replace(/ and /, ")\\s+and\\s+(")).join("|")})\b`,
  "gi",
);

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
    const item = finish(raw);
    const key = item.toLowerCase();
    if (item === "" || SIGN_OFFS.has(key.replace(/[.!?]+$/, "")) || seen.has(key)) continue;
    seen.add(key);
    result.push(item);
    if (result.length === MAX_TODOS_PER_MESSAGE) break;
  }
  return result;
}

function protectPairs(text: string): string {
  return text.replace(FIXED_PAIR_PATTERN, (pair) => pair.replace(/\s+and\s+/i, (and) => and.replace(/ /g, PAIR_JOINER)));
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

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/** Whether `text` starts as an action: an intent, or a listed verb with at least one more word. */
function startsWithAction(text: string): boolean {
  const stripped = text.replace(/^(?:also|then|please|and)\s+/i, "").trim();
  if (INTENT_START.test(stripped)) return true;
  const words = wordsOf(stripped);
  return words.length >= 2 && ACTION_VERBS.has(words[0] ?? "");
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
  const first = finish(elements[0] ?? "");
  const match = /^(\S+(?:\s+(?:up|off|out|back|in|on))?)\s+\S/i.exec(first);
  const verb = match?.[1];
  if (!verb || !ACTION_VERBS.has(verb.split(/\s+/)[0]!.toLowerCase())) return elements;
  const rest = elements.slice(1).map((element) => finish(element));
  if (rest.some((element) => startsWithAction(element) || wordsOf(element).length > 4)) return elements;
  return [first, ...rest.map((element) => (element ? `${verb} ${element}` : element))];
}

function finish(raw: string): string {
  let item = raw.replace(new RegExp(PAIR_JOINER, "g"), " ").replace(/\s+/g, " ").trim();
  for (let previous = ""; previous !== item;) {
    previous = item;
    item = item
      .replace(LEADING_NOISE, "")
      .replace(TRAILING_NOISE, "")
      .replace(/^[\s,;:.!?-]+|[\s,;:!?-]+$/g, "")
      .replace(/\.+$/, "")
      .trim();
  }
  const firstWord = (/^\S+/.exec(item)?.[0] ?? "").toLowerCase();
  if (ACTION_VERBS.has(firstWord) && /^\p{Lu}\p{Ll}*$/u.test(item.split(/\s+/)[0] ?? "")) {
    item = item.charAt(0).toLowerCase() + item.slice(1);
  }
  return truncate(item);
}

function truncate(item: string): string {
  if (item.length <= MAX_TODO_LENGTH) return item;
  const cut = item.slice(0, MAX_TODO_LENGTH + 1);
  const space = cut.lastIndexOf(" ");
  return (space > MAX_TODO_LENGTH / 2 ? cut.slice(0, space) : cut.slice(0, MAX_TODO_LENGTH)).trim();
}
