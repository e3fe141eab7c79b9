/**
 * What a complete, delete or edit acts on, from the words left once the verb is gone:
 * numbers ("3", "#3 and #5", "task 2", "number three"), a position ("the second task", "the
 * last one"), a reference to the todo the previous reply named ("it", "that one"), all of them
 * ("everything", "all tasks", "my shopping list"), or a name ("milk", "the dentist task"), and
 * the list they are in ("… from my grocery list").
 */
import { MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { numberTargets, type ListName, type TodoSelector } from "../commands/command.model.js";
import { ORDINAL_WORDS } from "../language/number-words.js";
import { NUMBER_RANGE_REASON, TOO_MANY_REASON } from "./command.reasons.js";
import { type Line } from "./line.js";
import { listOfMatch, listReference } from "./list-name.js";
import { referencesIn } from "./todo-number.parser.js";

export type Targets =
  | { readonly kind: "targets"; readonly targets: readonly TodoSelector[]; readonly list?: ListName | undefined }
  /** Numbers out of range, or too many: the reason says so. */
  | { readonly kind: "invalid"; readonly reason: string };

/** "from my grocery list", "off the shopping list", "on my calendar for march 12": where the todo is. */
const TRAILING_SCOPE = new RegExp(
  String.raw`\s+(?:(?:that|which) (?:is|are|was|were) )?(?:from|off of|off|out of|of|on|in|at|to|for|inside|within)\s+` +
    listReference() +
    String.raw`(?:\s+(?:for|on|at|in|from|that|which|i|please|too|as)\b.*)?$`,
  "du",
);
/** "shopping list: delete eggs" is read with the scope first. */
const LEADING_SCOPE = new RegExp(String.raw`^(?:(?:on|in|from|to)\s+)?` + listReference() + String.raw`\s*,?\s+`, "du");
const WHOLE_LIST = new RegExp(
  String.raw`^${listReference()}(?:\s+(?:please|for me|now|(?:that |which )?(?:i|we) (?:created|made|started|have|had|wrote|set up)\b.*|(?:in|from|on) (?:my|the) (?:notes|phone|app)))?$`,
  "du",
);
/** "… from my calendar for march 12", "… on my calendar fpr tuesday": whatever follows a calendar is its date. */
const CALENDAR_SCOPE =
  /\s+(?:(?:that|which) (?:is|are|was|were) )?(?:from|off of|off|out of|of|on|in|at|to)\s+(?:my|the|our)\s+(?:calendar|calender|schedule|agenda|diary|planner)\b.*$/du;
/** "remove 'pencil' from stationary": a list named without the word "list". */
const TRAILING_BARE_SCOPE = /\s+(?:from|off of|off)\s+(?:(?:my|the|our)\s+)?(?<name>[\p{L}\p{N}]+(?:\s[\p{L}\p{N}]+)?)$/du;

const LEADING_FILLER =
  /^(?:(?:the|my|a|an|this|our)\s+)?(?:(?:task|item|todo|to do|entry|event|reminder|thing|one|line|row)\s+(?:(?:called|named|that says|saying|that)\s+)?)?/u;
const TRAILING_FILLER =
  /\s+(?:task|item|todo|to do|entry|one|reminder|event|from (?:the )?list|listed|too|please|again|now|anymore|any more|right now)$/u;

const ALL =
  /^(?:all|everything|every thing|all of (?:them|it|these|those)|them all|(?:all|every) (?:of )?(?:my |the )?(?:(?:calendar|calender|upcoming|pending|scheduled|open|current|remaining|future|outstanding) )*(?:tasks?|items?|todos?|to dos?|things?|entries|events|reminders|appointments|engagements|schedules)(?: and (?:the )?(?:tasks|items|todos|things|entries|events|reminders|appointments|schedules))?|everything (?:on|in) (?:it|there)|the whole (?:thing|lot)|the lot)$/u;
const REFERENCE =
  /^(?:it|that|this|that one|this one|the one|the above|that (?:task|item|todo|to do|entry|reminder|one|event|appointment)|this (?:task|item|todo|to do|entry|reminder|one|event|appointment))$/u;

const ORDINALS: Readonly<Record<string, number>> = {
  ...ORDINAL_WORDS,
  "second to last": -2,
  "second last": -2,
  "next to last": -2,
  penultimate: -2,
};
const POSITION = new RegExp(
  String.raw`^(?:the\s+)?(?:very\s+)?(?<ordinal>second to last|second last|next to last|${Object.keys(ORDINALS).join("|")}|\d{1,2}(?:st|nd|rd|th))` +
    String.raw`(?:\s+(?:one|task|item|todo|to do|entry|line|row|thing|reminder|event))?(?:\s+(?:listed|on (?:the|my) list|in (?:the|my) list|shown|added))?$`,
  "u",
);
/** "the interview which is the last task": the position decides. */
const NAMED_POSITION = /^(?<name>.+?)\s+(?:which|that) (?:is|s) (?<position>the .+)$/u;
/** A number with a word that announces it: "task 3", "item #2", "tasks 2 and 4". */
const NUMBER_FILLER =
  /^(?:(?:the|my)\s+)?(?:tasks?|items?|todos?|to dos?|entry|entries|reminders?|lines?|numbers?|no|nr|num)\s+(?=#|\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)/u;

/** Words that only point at a todo, by position or reference: "the second one", "that one". */
export function onlyPointsAtATodo(phrase: string): boolean {
  const words = phrase.replace(TRAILING_FILLER, "");
  return REFERENCE.test(words) || POSITION.test(words);
}

/**
 * The targets the words name, or undefined when there are none (a verb on its own, or only
 * filler words: "mark a task as done").
 */
export function targetsOf(line: Line, list?: ListName): Targets | undefined {
  const scoped = withoutScope(line);
  const scope = scoped.list ?? list;
  const rest = scoped.rest;
  const phrase = rest.phrase.replace(TRAILING_FILLER, "");
  if (phrase === "") return scoped.wholeList ? { kind: "targets", targets: [{ by: "all" }], list: scope } : undefined;
  if (ALL.test(phrase)) return { kind: "targets", targets: [{ by: "all" }], list: scope };
  if (REFERENCE.test(phrase)) return { kind: "targets", targets: [{ by: "reference" }], list: scope };
  const numbers = referencesIn(
    phrase
      .replace(NUMBER_FILLER, "")
      .replace(/(?:\s+(?:and|,|&))+$/u, "")
      .split(" "),
  );
  if (numbers !== undefined) return numbered(numbers, scope);
  const position = positionOf(phrase);
  if (position !== undefined) return { kind: "targets", targets: [{ by: "position", position }], list: scope };
  const named = NAMED_POSITION.exec(phrase);
  const namedPosition = named?.groups?.position === undefined ? undefined : positionOf(named.groups.position);
  if (namedPosition !== undefined)
    return { kind: "targets", targets: [{ by: "position", position: namedPosition }], list: scope };
  if (/^(?:a|an|any|some|one|something|anything)(?:\s+(?:task|item|todo|to do|thing|one|entry|reminder))?$/u.test(phrase))
    return undefined;
  const names = namesOf(withoutModifiers(rest));
  if (names.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
  return names.length === 0 ? undefined : { kind: "targets", targets: names.map((name) => ({ by: "name", name })), list: scope };
}

/**
 * When and how a todo came about is not part of its name: "the dentist appointment I added for
 * February 12th at 9am" names "the dentist appointment", "meeting at three" names "meeting".
 */
const DAY_WORD = String.raw`today|tonight|tomorrow|tmrw|tmr|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\s+\d{1,2}(?:st|nd|rd|th)?`;
/** Days of the month as spoken: "the fourteenth", "the twenty first". */
const SPOKEN_DAY = String.raw`(?:twenty |thirty )?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth`;
const TIME_WORD = String.raw`${DAY_WORD}|${SPOKEN_DAY}|noon|midnight|morning|afternoon|evening|\d{1,2}(?:st|nd|rd|th|am|pm)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s+(?:am|pm|oclock|o clock))?`;
const MODIFIER_TAIL = new RegExp(
  String.raw`\s+(?:(?:that|which)\s+)?(?:i|we)\s+(?:just\s+)?(?:added|made|created|put|set|set up|scheduled|booked|wrote|entered|have|had)\b.*$` +
    String.raw`|\s+(?:(?:on|at|for|by|this|next|from|in)\s+(?:the\s+)?(?:${TIME_WORD})|(?:${DAY_WORD}))\b(?:\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th|am|pm)?|at|am|pm|morning|afternoon|evening|night|oclock|${TIME_WORD}))*$`,
  "u",
);

/** "tonight's dinner", "my tomorrow's meeting": the day leads, the name follows. */
const DAY_LEAD =
  /^(?:(?:my|the|our)\s+)?(?:tonights|todays|tomorrows|this weeks|next weeks|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\s+(?=\p{L})/u;

function withoutModifiers(line: Line): Line {
  const lead = DAY_LEAD.exec(line.phrase);
  const named = lead ? line.from(lead[0].length) : line;
  const tail = MODIFIER_TAIL.exec(named.phrase);
  return tail && tail.index > 0 ? named.between(0, tail.index) : named;
}

interface Scoped {
  readonly rest: Line;
  readonly list?: ListName | undefined;
  /** The words were only a list: "delete my shopping list". */
  readonly wholeList: boolean;
}

/** The words without "from my grocery list" (or a leading "shopping list:"), and the list they name. */
export function withoutScope(line: Line): Scoped {
  const whole = WHOLE_LIST.exec(line.phrase);
  if (whole) return { rest: line.between(0, 0), list: listOfMatch(whole), wholeList: true };
  const calendar = CALENDAR_SCOPE.exec(line.phrase);
  if (calendar && calendar.index > 0) return { rest: line.between(0, calendar.index), wholeList: false };
  const trailing = TRAILING_SCOPE.exec(line.phrase);
  if (trailing) return { rest: line.between(0, trailing.index), list: listOfMatch(trailing), wholeList: false };
  const leading = LEADING_SCOPE.exec(line.phrase);
  if (leading && leading[0].length < line.phrase.length) {
    return { rest: line.from(leading[0].length), list: listOfMatch(leading), wholeList: false };
  }
  const bare = TRAILING_BARE_SCOPE.exec(line.phrase);
  if (bare?.groups?.name !== undefined && !/^(?:it|that|this|them|there|here|list)$/u.test(bare.groups.name)) {
    return { rest: line.between(0, bare.index), list: bare.groups.name, wholeList: false };
  }
  return { rest: line, wholeList: false };
}

function positionOf(phrase: string): number | undefined {
  const match = POSITION.exec(phrase);
  const ordinal = match?.groups?.ordinal;
  if (ordinal === undefined) return undefined;
  const known = ORDINALS[ordinal];
  if (known !== undefined) return known;
  const value = Number.parseInt(ordinal, 10);
  return value >= 1 ? value : undefined;
}

function numbered(numbers: readonly number[], list: ListName | undefined): Targets {
  if (numbers.some((number) => number < 1 || number > MAX_TODO_NUMBER)) return { kind: "invalid", reason: NUMBER_RANGE_REASON };
  const distinct = [...new Set(numbers)];
  if (distinct.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
  return { kind: "targets", targets: numberTargets(distinct), list };
}

/**
 * The name (as written, filler words around it dropped) or, for a short list of goods
 * ("lemons and onions"), the names.
 */
function namesOf(line: Line): string[] {
  const filler = LEADING_FILLER.exec(line.phrase)?.[0] ?? "";
  let rest = filler.length > 0 && filler.length < line.phrase.length ? line.from(filler.length) : line;
  const trailing = TRAILING_FILLER.exec(rest.phrase);
  if (trailing) rest = rest.between(0, trailing.index);
  const parts = rest.phrase.split(/\s*(?:,|\band\b|&)\s*/u).filter((part) => part !== "");
  const goods =
    parts.length > 1 &&
    !/\b(?:with|for|to|at|from)\b/u.test(rest.phrase) &&
    parts.every((part) => part.split(" ").length <= 2 && /\p{L}/u.test(part));
  if (!goods) return [cleanName(rest.text)].filter((name) => name !== "");
  const names: string[] = [];
  let offset = 0;
  for (const part of parts) {
    const at = rest.phrase.indexOf(part, offset);
    names.push(cleanName(rest.between(at, at + part.length).text));
    offset = at + part.length;
  }
  return names.filter((name) => name !== "");
}

/** Quotes and punctuation around a name are not part of it. */
export function cleanName(text: string): string {
  return text.replace(/^[\s"'“”‘’`«»,.;:!?()[\]-]+|[\s"'“”‘’`«»,.;:!?()[\]-]+$/gu, "").trim();
}
