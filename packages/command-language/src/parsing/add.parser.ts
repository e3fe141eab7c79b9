/**
 * Adds: the todo's words without the words wrapped around them. "add X", "add X to my
 * shopping list", "put X on the list", "remind me to X", "I need to X", "don't forget to X",
 * "shopping: eggs, bread". The todo keeps the user's spelling; the list is normalised.
 */
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import type { Command, ListName } from "../commands/command.model.js";
import { HELP } from "./command.keywords.js";
import { TOO_LONG_REASON, TOO_MANY_REASON } from "./command.reasons.js";
import type { Line } from "./line.js";
import { listOf, listOfMatch, listReference } from "./list-name.js";

const BULLET = /^(?:[-*•·–—▪◦‣]|\d{1,3}[.)])\s+/u;
/** "add …", "todo …", "todo: …": what follows is a todo, whatever it says. */
export const ADD_PREFIX = /^(?:add|todo|to-do)(?:\s*:\s*|\s+|$)/i;

/** A message of several lines: one todo per line, as written. */
export function parseTodos(lines: readonly string[]): Command {
  const texts = lines.map(lineTodoText).filter((text) => text !== "");
  return addCommand(texts, undefined);
}

function lineTodoText(line: string): string {
  const collapsed = line.replace(/\s+/gu, " ").trim();
  return collapsed.replace(BULLET, "").replace(ADD_PREFIX, "").trim();
}

/** The add command for these texts, or Invalid when one is too long or there are too many. */
export function addCommand(texts: readonly string[], list: ListName | undefined): Command {
  const kept = texts.map((text) => text.trim()).filter((text) => text !== "");
  if (kept.length === 0) return HELP;
  if (kept.some((text) => text.length > MAX_TODO_LENGTH)) return { kind: "invalid", reason: TOO_LONG_REASON };
  if (kept.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
  return list === undefined ? { kind: "add", texts: kept } : { kind: "add", texts: kept, list };
}

const ADD_VERB = String.raw`(?:add|re add|readd|put|place|include|append|tack on|tack|stick|pop|insert|enter|save|write down|jot down|mark down|note down|write|jot|note|(?:throw|toss|chuck)(?! away| out)|slap)`;
const PREPOSITION = String.raw`(?:to|on|onto|in|into|under|for|at)`;
const REF = listReference();
/** What may follow the list in an add: "… to my list too", "… if it's not already there", "… for me". */
const TAIL = String.raw`(?:\s+(?:too|also|as well|please|pls|for me|thanks|thank you|again|now|if|unless|i|we|since|because|cause|so|as|today|tomorrow|tonight|this|next|for|on|at|by)\b.*)?`;
const t = String.raw`(?<t>.+?)`;

interface AddPattern {
  readonly pattern: RegExp;
  /** The todo words are several goods, one todo each ("melon and sugar"), unless they are one errand. */
  readonly goods?: boolean;
  /** "if eggs aren't on my list, add them": added only when no open todo matches. */
  readonly ifMissing?: boolean;
}

const pattern = (source: string, goods = false): AddPattern => ({ pattern: new RegExp(`^${source}$`, "du"), goods });
const ifMissing = (source: string): AddPattern => ({ pattern: new RegExp(`^${source}$`, "du"), ifMissing: true });

/** "… if it's not already there", "… unless I already did": add only what is not on the list yet. */
const IF_MISSING = new RegExp(
  String.raw`\b(?:if (?:(?:it|they|that|this|its|theyre|thats)\s+)?(?:(?:is|are|s|re)\s+)?(?:not|isnt|arent|nt)\s+(?:already\s+|yet\s+)?(?:there|on|in|listed)\b|if not(?: already| yet)?\b|unless (?:i|we|it|they|its|theyre)\s+(?:already|s already|re already|is already|are already|did|have|had)\b|if (?:i|we) (?:havent|have not|didnt|did not|hadnt) (?:already\s+)?(?:added|put|listed|included|done))`,
  "u",
);

/** An add with its list named: "add X to my shopping list", "to my shopping list add X", "X needs to be on my list". */
const LIST_ADDS: readonly AddPattern[] = [
  pattern(String.raw`${ADD_VERB}\s+${PREPOSITION}\s+${REF}\s*,?\s+(?:i need\s+)?${t}`, true),
  pattern(String.raw`${ADD_VERB}\s+(?:a|an)\s+(?<ln>[\p{L}]+)\s+item\s+(?:to|for)\s+${t}`),
  pattern(String.raw`${ADD_VERB}\s+(?<ln>[\p{L}]+)\s+items\s+${t}\s+(?:${PREPOSITION}\s+)?${REF}${TAIL}`, true),
  pattern(String.raw`${ADD_VERB}\s+${t}\s+${PREPOSITION}\s+${REF}${TAIL}`, true),
  pattern(String.raw`${ADD_VERB}\s+${t}\s+(?:(?:the|my)\s+)?(?<ln>[\p{L}]+)\s+(?:list|lists)${TAIL}`, true),
  pattern(String.raw`(?:(?:on|to|in|for)\s+)?${REF}\s*,?\s+(?:please\s+)?${ADD_VERB}\s+${t}`, true),
  pattern(
    String.raw`(?:open|reopen|pull up|go to|get|find)\s+(?:my\s+|the\s+)?(?<ln>[\p{L}]+)(?:\s+list)?\s+and\s+${ADD_VERB}\s+${t}`,
    true,
  ),
  pattern(String.raw`update\s+${REF}\s+with\s+${t}`, true),
  pattern(
    String.raw`(?:also\s+)?list\s+(?!(?:things|items|everything|all|stuff|what|whats|my|the|them)\b)${t}\s+(?:on|in|to)\s+${REF}${TAIL}`,
  ),
  pattern(String.raw`${REF}\s+(?:should|must|needs to|has to)\s+(?:also\s+)?(?:have|include|contain|get)\s+${t}`, true),
  pattern(
    String.raw`${t}\s+(?:needs|need|has|have|should|must|ought)\s+(?:to\s+)?(?:be|go)\s+(?:added\s+|put\s+|included\s+|written\s+)?(?:to|on|in|onto|into)\s+${REF}${TAIL}`,
  ),
  pattern(String.raw`${t}\s+should be\s+(?:added|put|included)\s+(?:to|on|in|onto|into)\s+${REF}${TAIL}`),
  pattern(
    String.raw`(?:i|we)\s+(?:need|want|would like|d like|id like)\s+(?!to\b)${t}\s+(?:to be\s+)?(?:added\s+|put\s+|included\s+)?(?:to|on|in|onto|into)\s+${REF}${TAIL}`,
    true,
  ),
  pattern(
    String.raw`(?:new|another|add (?:a |an )?(?:new )?)\s*(?:item|entry|thing|todo|task)s?\s+(?:for|on|to|in)\s+${REF}\s+${t}`,
    true,
  ),
  pattern(String.raw`make sure\s+(?:that\s+)?${t}\s+(?:is|are|gets|get)\s+(?:on|in|added to)\s+${REF}${TAIL}`),
  pattern(
    String.raw`(?:(?:i|we|im|ive|were|weve)\s+)?(?:am\s+|m\s+|are\s+|re\s+|have\s+|ve\s+)?(?:run\s+|ran\s+|running\s+|all\s+|completely\s+)?(?:out of|have no|dont have any more|dont have any|do not have any|no more)\s+${t}\s*,?\s+(?:(?:so|and|please|will you|can you|could you|need (?:them|it) to be|need to)\s+)*(?:put|add|added|remind|write)\b(?:.*?\s(?:on|to|in|onto|into)\s+${REF}${TAIL})?.*`,
  ),
  pattern(String.raw`(?:i am|im|i m|were|we are)\s+not sure if\s+${t}\s+(?:is|are)\s+(?:on|in)\s+${REF}\b.*`),
  ifMissing(
    String.raw`(?:if|in case)\s+${t}\s+(?:isnt|is not|arent|are not|s not)\s+(?:already\s+)?(?:on|in)\s+${REF}\b.*\badd\b.*`,
  ),
  ifMissing(
    String.raw`(?:do (?:i|we) (?:already |still )?have|is there|are there|is|are)\s+${t}\s+(?:already\s+|listed\s+)?(?:on|in)\s+${REF}\s*,?\s+(?:and\s+)?(?:if (?:not|it isnt|its not|they arent|theyre not|it is not)\b.*|(?:please\s+|otherwise\s+|else\s+)*(?:add|put)\s+(?:it|them)\b.*)`,
  ),
];

/**
 * The todo named before and added with "it"/"them"/"that": "i need eggs, add them to my
 * shopping list", "I'm low on cheerios can you add that to the list".
 */
const ADD_WHAT_CAME_BEFORE = new RegExp(
  String.raw`^${t}\s*,?\s+(?:(?:so|and|then)\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+|please\s+|go ahead and\s+|just\s+)*${ADD_VERB}\s+(?:it|them|that|those|this|these|em)\s+(?:${PREPOSITION}\s+)?${REF}${TAIL}$`,
  "du",
);
/** What is said before the goods themselves: "I need", "I'd like to get", "we're out of". */
const NEED_LEAD =
  /^(?:(?:i|we)\s+)?(?:(?:really|still|also)\s+)?(?:(?:dont|do not) have any(?: more)?\s+|have no(?: more)?\s+|no more\s+|(?:need|want|would like|d like|id like|have|got|gotta)\s+(?:to\s+)?|(?:am|m|im|are|re|were)\s+(?:(?:running|almost|nearly)\s+)?(?:low on|out of)\s+|(?:ran|run|running)\s+(?:low on|out of)\s+)/u;
const GET_LEAD = /^(?:get|buy|pick up|grab|purchase)\s+/u;
/** A clause that only says when or why: "… while I'm out", "… because we ran out". */
const TRAILING_CLAUSE = /\s+(?:while|when|because|cause|since|before|after|as)\s.*$/u;

/** "i need eggs; add them to my shopping list": the todo from the clause before "add them". */
export function parseAddOfWhatCameBefore(line: Line): Command | undefined {
  const match = line.match(ADD_WHAT_CAME_BEFORE);
  let item = match ? line.sub(match, "t") : undefined;
  if (match === null || item === undefined) return undefined;
  const list = listOfMatch(match);
  const clause = TRAILING_CLAUSE.exec(item.phrase);
  if (clause && clause.index > 0) item = item.between(0, clause.index);
  const lead = NEED_LEAD.exec(item.phrase);
  if (lead && lead[0].length < item.phrase.length) {
    item = item.from(lead[0].length);
    const get = list === undefined ? null : GET_LEAD.exec(item.phrase);
    if (get && get[0].length < item.phrase.length) item = item.from(get[0].length);
  }
  return addOf(item, list, true);
}

/** "remind me to X", "create a task to X", "don't forget to X": the wrapper, then the todo. */
const WRAPPED_ADDS: readonly RegExp[] = [
  /^(?:add|append|include|insert|create|make|set|put|schedule|new)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:action item|task|to do|todo|item|entry|event|note)(?:\s+item)?(?:\s*(?:to|for|about|of|that says|saying|called|named)\b|\s*,)?\s+(?<t>.+)$/du,
  /^(?:remind me|reminder|set (?:a |up a |me a )?reminder|make (?:a |me a )?reminder|create (?:a )?(?:new )?reminder|add (?:a )?reminder|i (?:need|want|would like) a reminder|send me a reminder|give me a reminder|new reminder)(?:\s+for me)?(?:\s+to alert me)?(?:\s+(?:to|for|about|of|that|so i dont forget(?: to| about)?))?\s+(?<t>.+)$/du,
  /^(?:dont|do not|please dont)\s+(?:let me\s+)?forget\s+(?:to\s+(?:tell me to\s+|remind me to\s+)?|about\s+)?(?<t>.+)$/du,
  /^(?:i|we)\s+(?:dont|do not)\s+want to forget\s+(?:to\s+|about\s+)?(?<t>.+)$/du,
  /^(?:tell|text|ping|remind)\s+me\s+(?:later\s+|tomorrow\s+|tonight\s+)?(?:to|about)\s+(?<t>.+)$/du,
  /^(?:i|we)\s+(?:need to|need|have to|got to|must|should|gotta|ought to|want to|wanna)\s+(?<t>.+)$/du,
  // A text drops its subject: "need to call mom", "must renew passport", "gotta fix the sink".
  /^(?:need to|have to|got to|must|gotta|ought to)\s+(?<t>.+)$/du,
  // "make sure I call mom", "make sure to call mom".
  /^make sure (?:(?:that )?(?:i|we) |to )(?<t>.+)$/du,
  /^(?:remember|dont forget)\s+(?:to\s+)?(?<t>.+)$/du,
  /^(?:write down|jot down|note down|mark down|append|tack on)\s+(?<t>.+)$/du,
  // The particle after the object: "put milk down", "write the dentist down".
  /^(?:write|jot|note|mark|put)\s+(?<t>.+?)\s+down$/du,
  /^(?:set|schedule|book)\s+(?:a|an|up a|up an)\s+(?<t>.+)$/du,
  /^schedule\s+(?<t>.+)$/du,
];

/** The todo words, cleaned of what is left of the wrapper. */
const ITEM_LEAD =
  /^(?:(?:to|on|later to|soon to|later|remember to|that i need to|i need to|me to|alert me to|remind me to|tell me to|me|that|about|add|include)\s+)+/u;
const ITEM_TAIL = new RegExp(
  String.raw`(?:\s*,?\s+(?:(?:and\s+)?(?:put|add|write|save)(?:\s+(?:it|this|that|them))?\s+(?:on|to|in|onto)\s+${REF}|on it|in it|on there|in there|there|too|also|as well|please|pls|for me|thanks|thank you|again|unless\b.*|if (?:not|it isnt|its not|it is not|they arent|they are not|i havent|i have not|not already|it s not|theyre not)\b.*|i would appreciate it|id appreciate it))+$`,
  "du",
);
/** An errand rather than a list of goods: "buy bread and milk" is one todo. */
const ERRAND_START =
  /^(?:buy|get|pick|call|wash|clean|make|do|go|pay|order|purchase|fix|take|send|write|read|visit|meet|book|schedule|cook|bake|finish|check|bring|return|drop|grab|find|email|text|plan)\b|^\p{L}+ing\b/u;

/**
 * An add whose wrapper words say it is one ("put X on my list", "remind me to X", "add X to
 * my shopping list"), or undefined.
 */
export function parseAddRequest(line: Line): Command | undefined {
  for (const { pattern, goods, ifMissing: onlyIfMissing } of LIST_ADDS) {
    const match = line.match(pattern);
    const item = match ? line.sub(match, "t") : undefined;
    if (match === null || item === undefined) continue;
    const named = match.groups?.ln;
    const list = listOfMatch(match) ?? (named === undefined ? undefined : listOf(named));
    const command = addOf(item, list, goods === true);
    return onlyIfMissing === true || IF_MISSING.test(line.phrase) ? unlessOnTheList(command) : command;
  }
  for (const pattern of WRAPPED_ADDS) {
    const match = line.match(pattern);
    const item = match ? line.sub(match, "t") : undefined;
    if (item === undefined) continue;
    // "I need to add flour to my shopping list", "I need to set a reminder to call Lisa": the rest is read again.
    return (
      parseListAdd(item) ??
      (item.phrase.length < line.phrase.length ? parseWrappedOnly(item) : undefined) ??
      parseListAfter(item) ??
      addOf(item, undefined, false)
    );
  }
  return undefined;
}

/** One todo to add only when no open todo matches it: a find that adds what it does not find. */
function unlessOnTheList(command: Command): Command {
  if (command.kind !== "add" || command.texts.length !== 1) return command;
  // The condition itself is no part of the todo: "onions unless I already did" is "onions".
  const [name = ""] = command.texts.map((text) => text.replace(/[\s,;]+(?:unless|if)\b.*$/iu, "").trim());
  if (name === "") return command;
  return command.list === undefined
    ? { kind: "find", name, addIfMissing: true }
    : { kind: "find", name, list: command.list, addIfMissing: true };
}

/** "add …", "todo: …": the rest is a todo whatever it says; "to my shopping list" names its list. */
export function parseExplicitAdd(line: Line): Command | undefined {
  const prefix = EXPLICIT_ADD.exec(line.text);
  if (prefix === null) return undefined;
  const listColon = ADD_TO_LIST_COLON.exec(line.text);
  if (listColon?.groups?.list !== undefined && listColon.groups.items !== undefined) {
    return addCommand(goodsOf(listColon.groups.items), listOf(listColon.groups.list));
  }
  const rest = line.text.slice(prefix[0].length).trim();
  if (rest === "") return HELP;
  const command = parseListAdd(line) ?? parseWrapped(line) ?? addCommand([rest], undefined);
  return IF_MISSING.test(line.phrase) ? unlessOnTheList(command) : command;
}

/** "add to my list of things to do: wash the dog", "add to shopping list: eggs, bread". */
const ADD_TO_LIST_COLON = /^(?:add|append)\s+(?:to|on|onto|in|into)\s+(?<list>[^:]{1,60}?)\s*:\s*(?<items>\S.*)$/iu;

/** "eggs, bread and milk": one todo each. */
function goodsOf(items: string): string[] {
  return items
    .split(/\s*(?:,|;|\band\b|&)\s*/u)
    .map((text) => text.trim())
    .filter((text) => text !== "");
}

/** "add …", "todo: …", "to-do …", "append …" as written; not "todo list …" (a list) nor "add-on" (a word). */
const EXPLICIT_ADD = /^(?:add|append|(?:todo|to-do|to do)(?!\s+lists?\b))(?![\p{L}\p{N}-])(?:\s*:\s*|\s+|$)/iu;

function parseListAdd(line: Line): Command | undefined {
  for (const { pattern, goods } of LIST_ADDS.slice(0, 5)) {
    const match = line.match(pattern);
    const item = match ? line.sub(match, "t") : undefined;
    if (match === null || item === undefined) continue;
    const named = match.groups?.ln;
    return addOf(item, listOfMatch(match) ?? (named === undefined ? undefined : listOf(named)), goods === true);
  }
  return undefined;
}

/** The list named after a wrapped todo: "remind me to buy jeans on my shopping list". */
const LIST_AFTER = new RegExp(String.raw`^${t}\s+(?:on|to|in|onto|into)\s+${REF}${TAIL}$`, "du");

function parseListAfter(item: Line): Command | undefined {
  // "wash the dog, put on list of things to do": the wrapper's own tail, which itemText takes off.
  const tail = ITEM_TAIL.exec(item.phrase);
  if (tail && tail.index > 0) return undefined;
  const match = item.match(LIST_AFTER);
  const todo = match ? item.sub(match, "t") : undefined;
  return match === null || todo === undefined ? undefined : addOf(todo, listOfMatch(match), false);
}

function parseWrappedOnly(line: Line): Command | undefined {
  for (const pattern of WRAPPED_ADDS) {
    const match = line.match(pattern);
    const item = match ? line.sub(match, "t") : undefined;
    if (item !== undefined) return parseListAdd(item) ?? parseWrappedOnly(item) ?? addOf(item, undefined, false);
  }
  return undefined;
}

function parseWrapped(line: Line): Command | undefined {
  const match = line.match(WRAPPED_ADDS[0] as RegExp);
  const item = match ? line.sub(match, "t") : undefined;
  return item === undefined ? undefined : addOf(item, undefined, false);
}

/** "shopping: eggs, bread": a list name, a colon and its goods. */
const LIST_COLON = /^(?<name>[\p{L}][\p{L}\p{N}' -]{0,29}?)\s*:\s*(?<items>\S.*)$/u;
/** Words before a colon that head a note rather than name a list. */
const NOT_A_LIST = new Set(
  "todo to do to-do task tasks note notes reminder reminders remember important urgent fyi ps re update question idea add event appointment meeting call".split(
    " ",
  ),
);

/** "next week: dentist", "monday: gym" head a date, not a list. */
const DATE_WORD =
  /\b(?:today|tonight|tomorrow|yesterday|next|this|week|weekend|month|year|morning|afternoon|evening|night|noon|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|\d+(?:st|nd|rd|th|am|pm)?)\b/u;

export function parseListColon(line: Line): Command | undefined {
  const match = LIST_COLON.exec(line.text);
  const name = match?.groups?.name;
  const items = match?.groups?.items;
  if (name === undefined || items === undefined) return undefined;
  const lowered = name.toLowerCase().trim();
  if (NOT_A_LIST.has(lowered) || lowered.split(/\s+/u).length > 3 || DATE_WORD.test(lowered)) return undefined;
  return addCommand(goodsOf(items), listOf(lowered));
}

function addOf(item: Line, list: ListName | undefined, goods: boolean): Command {
  const text = itemText(item);
  if (text === "") return HELP;
  if (goods && !ERRAND_START.test(text.toLowerCase()) && !/\b(?:with|for|from|to|at|of)\b/iu.test(text)) {
    const parts = text.split(/\s*(?:,|;|\band\b|&)\s*/iu).filter((part) => part !== "");
    return addCommand(parts, list);
  }
  return addCommand([text], list);
}

function itemText(item: Line): string {
  let line = item;
  const lead = ITEM_LEAD.exec(line.phrase);
  if (lead && lead[0].length < line.phrase.length) line = line.from(lead[0].length);
  const tail = ITEM_TAIL.exec(line.phrase);
  if (tail && tail.index > 0) line = line.between(0, tail.index);
  return line.text.replace(/^["'“”‘’`«»]+|["'“”‘’`«»,;:]+$/gu, "").trim();
}

/** A line that is a todo as it stands: the line as written. */
export function plainAdd(text: string): Command {
  const collapsed = text.replace(/\s+/gu, " ").trim();
  return addCommand([collapsed.replace(BULLET, "")], undefined);
}
