/**
 * chrono-node's casual English with this module's own parsers added, and the readings that are no
 * time words dropped ("buy a sat nav", "march on washington", "buy 2 x 4s"). The reader and the
 * resolver both find time words here, so what one splits off the other understands.
 */
import { casual, type Component, type ParsedResult } from "chrono-node/en";
import { TIME_WORD_PARSERS } from "./time-words.parsers.js";

const timeWordsChrono = casual.clone();
timeWordsChrono.parsers.push(...TIME_WORD_PARSERS);

/** A todo is due ahead: yesterday, last friday and "2 days ago" are no due ("the last day of the month" is). */
const PAST = /\b(?:yesterday|ago|past)\b|\blast\b(?!\s+day\b)/i;
/** "sat", "wed", "sun": a weekday only with "on", "this", "next" or a time ("on sat", "sat 3pm"). */
const LONE_WEEKDAY_ABBREVIATION = /^[\s,(]*(?:sun|mon|tues?|wed|thu|thurs?|fri|sat)\.?$/i;
/** "1h", "30m", "2h30m": compact durations count without "in". */
const COMPACT_DURATION = /^\d{1,3}(?:h|hrs?)(?:\d{1,2}(?:m|mins?))?$|^\d{1,3}(?:m|mins?)$/i;
/** Spelled durations need "in" ("in 20 minutes", "next week") or "from now": "read 30 minutes" is how long, not when. */
const RELATIVE_PREFIX = /^(?:(?:in|within|after|next|this)(?![\p{L}])|\+)/iu;
const RELATIVE_SUFFIX = /(?:from\s+(?:now|today)|later|hence)$/i;
/** Nobody schedules a todo in seconds: "2 x 4s" is lumber. */
const SECONDS = /\d\s*(?:s|secs?|seconds?)(?![\p{L}])/iu;
/** "2/4 inch screws", "1/2 cup": a fraction, not a date. */
const UNIT_AFTER_FRACTION =
  /^\s*(?:inch(?:es)?|in|cups?|tsp|tbsp|teaspoons?|tablespoons?|lbs?|pounds?|oz|ounces?|gallons?|miles?|ft|feet|foot|yards?|lit(?:er|re)s?|kg|g|mm|cm|m|"|')(?![\p{L}])/iu;

function isRelativeWords(result: ParsedResult): boolean {
  const text = result.text.trim();
  return RELATIVE_PREFIX.test(text) || RELATIVE_SUFFIX.test(text) || COMPACT_DURATION.test(text);
}

/** Whether chrono's reading of part of `text` is really time words a todo is due by. */
function isTimeWords(result: ParsedResult, text: string): boolean {
  const tags = result.tags();
  const words = result.text;
  if (PAST.test(words) || tags.has("casualReference/now")) return false;
  if (LONE_WEEKDAY_ABBREVIATION.test(words)) return false;
  if (result.start.isCertain("month") && !result.start.isCertain("day") && !tags.has("result/relativeDate")) return false;
  if (tags.has("result/relativeDate") && (!isRelativeWords(result) || SECONDS.test(words))) return false;
  if (tags.has("parser/SlashDateFormatParser")) {
    return !UNIT_AFTER_FRACTION.test(text.slice(result.index + words.length));
  }
  return true;
}

/** The time words chrono finds in `text`, read relative to a floating `reference` (see calendar.ts). */
export function findTimeWords(text: string, reference: Date): ParsedResult[] {
  const results = timeWordsChrono.parse(text, { instant: reference, timezone: 0 }, { forwardDate: true });
  return results.filter((result) => isTimeWords(result, text));
}

/** What may be left of time words besides the one reading: connecting words and punctuation. */
const CONNECTING_ONLY =
  /^[\s,.;:!\-–—]*(?:(?:at|on|by|for|due|the|around|about|before|from|starting)(?![\p{L}])[\s,.;:!\-–—]*)*$/iu;

/** The one reading of words that are time words and nothing else but connecting words, or null. */
export function readTimeWords(words: string, reference: Date): ParsedResult | null {
  const results = findTimeWords(words, reference);
  const [result] = results;
  if (result === undefined || results.length > 1) return null;
  const rest = `${words.slice(0, result.index)} ${words.slice(result.index + result.text.length)}`;
  return CONNECTING_ONLY.test(rest) ? result : null;
}

const DAY_COMPONENTS: readonly Component[] = ["year", "month", "day", "weekday"];

/** Whether chrono's reading names a day ("friday", "tomorrow", "the 1st"), not only a time of day. */
export function namesDay(result: ParsedResult): boolean {
  return DAY_COMPONENTS.some((component) => result.start.isCertain(component));
}
