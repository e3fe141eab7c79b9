/**
 * Named lists as people call them: "my shopping list", "the groceries list", "my list of
 * chores", "the list of things I need to buy". normaliseListName gives the one name todo-domain
 * keeps; listReference is the pattern the other stages find such a phrase with.
 */
import type { ListName } from "../commands/command.model.js";
import { MAX_LIST_NAME_LENGTH } from "@sms-todo/rules";
import { wordInfo } from "../language/lexicon.js";

/** Words that, alone or together, mean the default list: "to do", "tasks", "things to remember". */
const DEFAULT_LIST_WORDS = new Set(
  (
    "to do dos todo todos task tasks thing things stuff reminder reminders pending complete remember get done " +
    "current running new my the our this that list lists item items calendar calender schedule agenda notes note " +
    "today todays tomorrow tomorrows daily weekly open outstanding whole entire checklist event events upcoming future " +
    "available specific saved active existing shit crap"
  ).split(" "),
);
const LEADING_WORDS = new Set(["my", "the", "our", "this", "that", "a", "an", "your", "new", "current", "running"]);
/** "the list of things I need to buy" is the shopping list. */
const THINGS_TO_BUY =
  /^(?:(?:the )?things |stuff |items )?(?:(?:i|we) )?(?:need |have |want )?to (?:buy|get|purchase|shop for)$/u;

/**
 * The list a phrase names, normalised: lower case, without "my"/"the"/"our" and "list", a
 * one-word plural made singular ("groceries" → "grocery", "chores" → "chore"; a longer name
 * keeps its words: "school supplies"). "grocery" and "shopping" stay apart: the names are the
 * user's. Words that mean the default list ("todo", "to do", "tasks", "my list", "list",
 * "reminders", "calendar") give "".
 */
export function normaliseListName(words: string): ListName {
  const tokens = words
    .normalize("NFKC")
    .toLowerCase()
    .replace(/['’‘`´ʼ]/gu, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
  let phrase = tokens.join(" ");
  const listOf = /(?:^|\s)(?:list|lists|lisr)\s+(?:of|for|called|named)\s+(.+)$/u.exec(phrase);
  if (listOf?.[1] !== undefined) phrase = listOf[1];
  if (THINGS_TO_BUY.test(phrase)) return "shopping";
  const kept = phrase.split(" ").filter((word) => word !== "");
  while (kept.length > 0 && LEADING_WORDS.has(kept[0] ?? "")) kept.shift();
  // "vacation to do list" is the vacation list; "to do list" alone is the default one.
  while (kept.length > 0 && DEFAULT_LIST_WORDS.has(kept.at(-1) ?? "")) kept.pop();
  if (kept.length === 0) return "";
  if (kept.length === 1) {
    const [only = ""] = kept;
    const info = wordInfo(only);
    // "groceries" → "grocery"; "grocerie", a plural missing its "s", too.
    const plural = info.plural ? info : only.endsWith("ie") ? wordInfo(`${only}s`) : undefined;
    if (plural?.plural === true && plural.lemma.length >= 3) kept[0] = plural.lemma;
  }
  const name = kept.join(" ");
  return name.length > MAX_LIST_NAME_LENGTH ? name.slice(0, MAX_LIST_NAME_LENGTH).trim() : name;
}

/** A list name as a command carries it: undefined for the default list. */
export function listOf(words: string | undefined): ListName | undefined {
  if (words === undefined) return undefined;
  const name = normaliseListName(words);
  return name === "" ? undefined : name;
}

/** Words that cannot be part of a list's own name in a sentence ("add go to the gym to my list"). */
const NOT_A_NAME_WORD = String.raw`(?!(?:to|on|in|into|onto|my|the|our|of|for|from|off|and|at|with|it|is|are|that|this|list|lists|a|an|i|me|you|please|all|any|every|everything|add|put|remove|delete|erase|clear|empty|reset|wipe|take|show|check|read|view|see|display|browse|print|open|what|whats|which|items?|there|do|have|has|no|not|available|specific|upcoming|pending|saved|active|existing|future|find|search|give|tell|send|pull|up|review|access|look|about|bring|go|get)\b)`;
/** Words of "list of …" / "list for …": up to where the rest of the sentence starts. */
const OF_WORD = String.raw`(?!(?:if|please|pls|too|also|and|so|on|at|by|today|tomorrow|tonight|as|since|because|thanks|for|from|off|with|is|are|this|next|week|weekend|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)[\p{L}\p{N}]+`;
const NAME_WORD = String.raw`${NOT_A_NAME_WORD}[\p{L}\p{N}]+`;
/** After the first word of a name, verbs may follow: "must read list", "to check list". */
const LATER_NAME_WORD = String.raw`(?!(?:to|on|in|into|onto|my|the|our|of|for|from|off|and|at|with|it|is|are|that|this|list|lists|a|an|i|me|you|please|all|any|items?)\b)[\p{L}\p{N}]+`;
const DEFAULT_WORDS = String.raw`(?:to do s|to dos|to do|todo s|todos|todo|tasks|task|reminders|reminder|checklist|calendar|calender|schedule|agenda)`;
/** The default list named without "list": "my tasks", "my calendar", "my to do". */
const DEFAULT_COLLECTIVE = String.raw`(?:to do s|to dos|to do|todo s|todos|todo|tasks|reminders|checklist|calendar|calender|schedule|agenda|events|calendar events)`;

/**
 * A phrase naming a list, e.g. "my shopping list", "the list", "my to do list", "my list of
 * chores", "the grocery list", "my calendar", "my reminders". The name, if any, is in the group
 * `name<suffix>` or `of<suffix>`: give it to listOf. A suffix keeps group names apart when a
 * pattern holds two references.
 */
export function listReference(suffix = ""): string {
  return (
    String.raw`(?<![\p{L}\p{N}])(?:(?:(?:my|the|our|this|that|your|a)\s+)?(?:(?:current|new|running|whole|entire)\s+)?` +
    String.raw`(?<name${suffix}>(?:${NAME_WORD}\s+(?:${LATER_NAME_WORD}\s+){0,2}?)??)(?:${DEFAULT_WORDS}\s+)?(?:list|lists|lisr)` +
    String.raw`(?:\s+(?:of|for|called|named)\s+(?<of${suffix}>${OF_WORD}(?:\s+${OF_WORD}){0,5}))?` +
    String.raw`|(?:(?:my|the|our|this|your)\s+)?(?:(?:current|whole|entire)\s+)?(?<dflt${suffix}>${DEFAULT_COLLECTIVE}))(?![\p{L}\p{N}])`
  );
}

/** The list named by a listReference match. */
export function listOfMatch(match: RegExpExecArray, suffix = ""): ListName | undefined {
  const groups = match.groups ?? {};
  const of = groups[`of${suffix}`];
  if (of !== undefined) return listOf(`list of ${of}`);
  const name = groups[`name${suffix}`];
  return name === undefined ? undefined : listOf(name);
}
