/**
 * The words that make a todo repeat ("every monday", "every 3 days", "every month on the 1st",
 * "every weekday at 7am"): finding them in a todo's text, and reading them into the parts of a
 * recurrence rule. One grammar serves both, so whatever the reader splits off, the resolver reads.
 */
import { ORDINAL_WORDS, TEEN_WORDS, UNIT_WORDS } from "../language/number-words.js";

export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

/** The parts of a rule the words said; what they left open (a monthly rule's day) comes from the first due. */
export interface RecurrenceWords {
  readonly frequency: Frequency;
  readonly interval: number;
  /** BYDAY: weekdays ("MO") of a weekly rule, or one weekday with its place in the month ("1MO", "-1FR"). */
  readonly byDay: readonly string[];
  /** The day of the month said ("on the 1st" is 1), or null. */
  readonly monthDay: number | null;
  /** The time of day said with the rule ("at 7am", "morning", "morning at 7"), or null. */
  readonly timeWords: string | null;
}

/** Rule words found in a text: where they start, and the words as written. */
export interface FoundRecurrence {
  readonly index: number;
  readonly words: string;
}

type Groups = Partial<Record<string, string>>;
type Parts = Omit<RecurrenceWords, "timeWords"> & { readonly part?: string };

/** "every other week", "every second day", "every two weeks". */
const NUMBER_WORDS: Readonly<Record<string, number>> = { ...UNIT_WORDS, ...TEEN_WORDS, other: 2, second: 2 };
/** "the first monday", "the last friday". */
const NTH = ORDINAL_WORDS;

const DAY = String.raw`(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)s?(?![\p{L}])`;
const LIST_SEPARATOR = String.raw`(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)`;
const DAYS = String.raw`${DAY}(?:${LIST_SEPARATOR}${DAY})*`;
const PLURAL_DAY = String.raw`(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)`;
const PLURAL_DAYS = String.raw`${PLURAL_DAY}(?:${LIST_SEPARATOR}${PLURAL_DAY})*`;
const COUNT = String.raw`(?<n>\d{1,2}|other|second|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const ORDINAL = String.raw`(?<ord>\d{1,2}(?:st|nd|rd|th))`;
const NTH_DAY = String.raw`(?<nth>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?<day>${DAY})`;
const EVERY = String.raw`(?:every|each)`;
/** "daily", "monthly" are adverbs only at the end or before time words: "the daily news" is no rule. */
const ADVERB_END = String.raw`(?=\s*(?:$|[,.;:!?)]|(?:at|on|in|from|starting|until)(?![\p{L}])|\d))`;
const PART = String.raw`(?:morning|afternoon|evening|night)`;
const MERIDIEM = String.raw`(?:am|pm|a\.m\.|p\.m\.)`;
const CLOCK = String.raw`(?:at\s+(?:\d{1,2}(?::\d{2})?(?:\s*${MERIDIEM})?|noon|midnight)|\d{1,2}(?::\d{2})?\s*${MERIDIEM}|\d{1,2}:\d{2}|noon|midnight)`;
/** The time of day after the rule: "… morning", "… in the evening", "… at 7am", "…, 8:30". */
const TAIL = String.raw`(?<tail>(?:\s+(?:in\s+the\s+)?${PART})?(?:\s*,?\s*${CLOCK})?)`;

const weekly = (byDay: readonly string[], interval = 1): Parts => ({ frequency: "WEEKLY", interval, byDay, monthDay: null });
const every = (frequency: Frequency, interval = 1): Parts => ({ frequency, interval, byDay: [], monthDay: null });
const monthly = (groups: Groups, interval = 1): Parts => ({
  frequency: "MONTHLY",
  interval,
  byDay: [],
  monthDay: groups.ord === undefined ? null : parseInt(groups.ord, 10),
});

const DAY_WORD = /\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*/gi;
const WEEK_ORDER = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** "monday, wed and fri" → ["MO", "WE", "FR"]: each day word's first two letters, in week order. */
function dayCodes(words: string | undefined): string[] {
  const codes = (words ?? "").match(DAY_WORD)?.map((word) => word.slice(0, 2).toUpperCase()) ?? [];
  return WEEK_ORDER.filter((code) => codes.includes(code));
}

function countOf(groups: Groups): number {
  const n = (groups.n ?? "").toLowerCase();
  return NUMBER_WORDS[n] ?? parseInt(n, 10);
}

interface RulePattern {
  readonly core: string;
  readonly parts: (groups: Groups) => Parts;
}

const PATTERNS: readonly RulePattern[] = [
  { core: String.raw`(?:daily|everyday)${ADVERB_END}|${EVERY}\s+(?:single\s+)?day`, parts: () => every("DAILY") },
  { core: String.raw`${EVERY}\s+(?<part>${PART})`, parts: (g) => ({ ...every("DAILY"), part: g.part }) },
  { core: String.raw`nightly${ADVERB_END}`, parts: () => ({ ...every("DAILY"), part: "night" }) },
  { core: String.raw`${EVERY}\s+weekday|(?:on\s+)?weekdays`, parts: () => weekly(["MO", "TU", "WE", "TH", "FR"]) },
  { core: String.raw`${EVERY}\s+weekend|(?:on\s+)?weekends`, parts: () => weekly(["SA", "SU"]) },
  { core: String.raw`${EVERY}\s+(?<days>${DAYS})`, parts: (g) => weekly(dayCodes(g.days)) },
  { core: String.raw`on\s+(?<days>${PLURAL_DAYS})`, parts: (g) => weekly(dayCodes(g.days)) },
  { core: String.raw`every\s+(?:other|second)\s+(?<days>${DAYS})`, parts: (g) => weekly(dayCodes(g.days), 2) },
  {
    core: String.raw`(?:weekly${ADVERB_END}|${EVERY}\s+week)(?:\s+on\s+(?<days>${DAYS}))?`,
    parts: (g) => weekly(dayCodes(g.days)),
  },
  { core: String.raw`every\s+${COUNT}\s+days?`, parts: (g) => every("DAILY", countOf(g)) },
  {
    core: String.raw`every\s+${COUNT}\s+weeks?(?:\s+on\s+(?<days>${DAYS}))?`,
    parts: (g) => weekly(dayCodes(g.days), countOf(g)),
  },
  {
    core: String.raw`every\s+${COUNT}\s+months?(?:\s+on\s+(?:the\s+)?${ORDINAL})?`,
    parts: (g) => monthly(g, countOf(g)),
  },
  { core: String.raw`every\s+${COUNT}\s+years?`, parts: (g) => every("YEARLY", countOf(g)) },
  {
    core: String.raw`(?:monthly${ADVERB_END}|${EVERY}\s+month)(?:\s+(?:on\s+(?:the\s+)?|the\s+)${ORDINAL})?`,
    parts: (g) => monthly(g),
  },
  { core: String.raw`(?:on\s+)?(?:the\s+)?${ORDINAL}\s+(?:day\s+)?of\s+${EVERY}\s+month`, parts: (g) => monthly(g) },
  { core: String.raw`${EVERY}\s+${ORDINAL}(?:\s+(?:day\s+)?of\s+(?:the|every|each)\s+month)?`, parts: (g) => monthly(g) },
  { core: String.raw`${EVERY}\s+${NTH_DAY}(?:\s+of\s+(?:the|every|each)\s+month)?`, parts: (g) => nthWeekday(g) },
  { core: String.raw`(?:on\s+)?the\s+${NTH_DAY}\s+of\s+${EVERY}\s+month`, parts: (g) => nthWeekday(g) },
  { core: String.raw`(?:yearly|annually)${ADVERB_END}|${EVERY}\s+year`, parts: () => every("YEARLY") },
];

function nthWeekday(groups: Groups): Parts {
  const [code] = dayCodes(groups.day);
  const nth = NTH[(groups.nth ?? "").toLowerCase()] ?? 1;
  return { frequency: "MONTHLY", interval: 1, byDay: code === undefined ? [] : [`${nth}${code}`], monthDay: null };
}

const FINDERS = PATTERNS.map(
  (pattern) => new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${pattern.core})${TAIL}(?![\p{L}\p{N}])`, "iu"),
);
const READERS = PATTERNS.map((pattern) => new RegExp(String.raw`^\s*(?:${pattern.core})${TAIL}\s*$`, "iu"));

/** The first rule words in a text (the longest of those starting there), or null. */
export function findRecurrence(text: string): FoundRecurrence | null {
  let found: FoundRecurrence | null = null;
  for (const finder of FINDERS) {
    const match = finder.exec(text);
    if (match === null) continue;
    const better =
      found === null || match.index < found.index || (match.index === found.index && match[0].length > found.words.length);
    if (better) found = { index: match.index, words: match[0] };
  }
  return found;
}

/** The rule parts of words that are rule words and nothing else ("every weekday at 7am"), or null. */
export function readRecurrence(words: string): RecurrenceWords | null {
  for (const [index, reader] of READERS.entries()) {
    const match = reader.exec(words);
    const pattern = PATTERNS[index];
    if (match === null || pattern === undefined) continue;
    const groups: Groups = match.groups ?? {};
    const { part, ...parts } = pattern.parts(groups);
    if (!isSound(parts)) return null;
    const tail = (groups.tail ?? "").replace(/^[\s,]+/, "");
    const timeWords = [part, tail].filter((word) => word !== undefined && word !== "").join(" ");
    return { ...parts, timeWords: timeWords === "" ? null : timeWords };
  }
  return null;
}

/** Counts and days the words may hold but no rule can: "every 0 days", "on the 32nd". */
function isSound(parts: Omit<RecurrenceWords, "timeWords">): boolean {
  const dayOk = parts.monthDay === null || (parts.monthDay >= 1 && parts.monthDay <= 31);
  return Number.isInteger(parts.interval) && parts.interval >= 1 && dayOk;
}
