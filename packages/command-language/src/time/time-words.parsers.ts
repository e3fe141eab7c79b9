/**
 * Time words chrono's casual English does not read, as chrono parsers: a lone day of the month
 * ("on the 1st", "the 15th") and the end of the working day or week ("by eod", "end of the
 * week"). Each reads the reference as a floating date (see calendar.ts), as chrono is always
 * given one here.
 */
import type { ParsingContext } from "chrono-node";
import type { Parser, ParsingComponents } from "chrono-node/en";
import { addDays, dateOf, monthDayOnOrAfter, weekdayOf } from "./calendar.js";

/** The tag on an ordinal day: its month is not said, so the resolver picks the next month that has the day. */
export const ORDINAL_DAY_TAG = "sms-todo/ordinalDay";
/** The tag on "end of day" and "end of the week". */
export const END_OF_PERIOD_TAG = "sms-todo/endOfPeriod";

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const ORDINAL_DAY = /(?:(on)\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?:the|this)\s+month)?(?![\p{L}\p{N}])/iu;
const END_OF_DAY =
  /(?:by\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:day|today)|eod|e\.o\.d\b\.?|close\s+of\s+business)(?![\p{L}\p{N}])/iu;
const END_OF_WEEK = /(?:by\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?week|eow)(?![\p{L}\p{N}])/iu;

/** What may follow a lone ordinal for it to be a day: nothing, punctuation, or more time words ("the 1st at 9"). */
const ENDS_OR_TIME_FOLLOWS =
  /^\s*(?:$|[.,;:!?)\]]|@|(?:at|by|around|before|from|in\s+the|tonight|morning|afternoon|evening|night|noon|midnight)(?![\p{L}])|\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2})/iu;
/** Nouns an ordinal counts even after "on": "on the 2nd floor", "on the 3rd try". */
const ORDINAL_NOUN =
  /^\s*(?:floor|place|street|st|avenue|ave|road|rd|level|grade|row|round|time|try|attempt|page|shelf|door|hole|lap|edition|version|generation|anniversary|birthday|year|day|week|month|step|chapter|base|gear|lane|line|seat|period|quarter|half|inning)s?(?![\p{L}])/iu;

/** Whether the match starts at a word boundary of the whole text (chrono hands parsers a suffix of it). */
function startsAtWordBoundary(context: ParsingContext, match: RegExpMatchArray): boolean {
  const before = context.text.charAt((match.index ?? 0) - 1);
  return before === "" || !LETTER_OR_DIGIT.test(before);
}

function textAfter(context: ParsingContext, match: RegExpMatchArray): string {
  return context.text.slice((match.index ?? 0) + match[0].length);
}

function assignDate(components: ParsingComponents, date: string): ParsingComponents {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return components.assign("year", year).assign("month", month).assign("day", day);
}

/**
 * "on the 1st", "the 15th", "on the 3rd of the month": a day of the month, the next one on or after
 * the reference date. A lone ordinal is only a day when "on" comes before it (and no noun like
 * "floor" after it) or nothing but time words follow it: "fix the 2nd floor light" is no date.
 */
const ordinalDayParser: Parser = {
  pattern: () => ORDINAL_DAY,
  extract(context, match) {
    const day = Number(match[2]);
    if (day < 1 || day > 31 || !startsAtWordBoundary(context, match)) return null;
    const after = textAfter(context, match);
    const saidOn = match[1] !== undefined;
    if (!ENDS_OR_TIME_FOLLOWS.test(after) && (!saidOn || ORDINAL_NOUN.test(after))) return null;
    const date = monthDayOnOrAfter(dateOf(context.reference.instant), day);
    const [year, month] = date.split("-").map(Number) as [number, number];
    return context.createParsingComponents({ day }).imply("month", month).imply("year", year).addTag(ORDINAL_DAY_TAG);
  },
};

/**
 * "by end of day", "eod", "end of the day": a time of day with no day of its own, so that chrono
 * merges it with one ("tomorrow eod", "eod tomorrow"); alone, the resolver takes it for today.
 * The hour is marked certain only so chrono takes it for a time when merging (a component with
 * nothing certain counts as a date); clockOf still treats it as the implied 17:00.
 */
const endOfDayParser: Parser = {
  pattern: () => END_OF_DAY,
  extract(context, match) {
    if (!startsAtWordBoundary(context, match)) return null;
    return context.createParsingComponents({ hour: 17, minute: 0 }).addTag(END_OF_PERIOD_TAG);
  },
};

/** "by end of the week", "eow": Friday 17:00 of this week, or of next week when said on a weekend. */
const endOfWeekParser: Parser = {
  pattern: () => END_OF_WEEK,
  extract(context, match) {
    if (!startsAtWordBoundary(context, match)) return null;
    const today = dateOf(context.reference.instant);
    const friday = addDays(today, (5 - weekdayOf(today) + 7) % 7);
    return assignDate(context.createParsingComponents(), friday)
      .assign("weekday", 5)
      .imply("hour", 17)
      .imply("minute", 0)
      .addTag(END_OF_PERIOD_TAG);
  },
};

/** The parsers added to chrono's casual English. */
export const TIME_WORD_PARSERS: readonly Parser[] = [ordinalDayParser, endOfDayParser, endOfWeekParser];
