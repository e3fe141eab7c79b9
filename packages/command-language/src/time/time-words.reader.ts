/**
 * The command service's half: splitting the time words off a todo's text ("call mom tomorrow at
 * 5pm" → "call mom" + "tomorrow at 5pm"), with no timezone and no clock. The words go to
 * todo-domain as written; only there are they read into a due.
 */
import { MAX_TIMING_LENGTH } from "@sms-todo/rules";
import { floating } from "./calendar.js";
import { findRecurrence } from "./recurrence.words.js";
import type { ParsedResult } from "chrono-node/en";
import { findTimeWords, readTimeWords } from "./time-words.chrono.js";
import type { TimedText, TimingWords } from "./timing.model.js";

/** Any reference does for finding words; a fixed one keeps the reader pure. */
const READING_REFERENCE = floating("2026-01-14", "12:00");

/** Connecting words the removal leaves dangling before the time words: "finish report by friday", "due friday". */
const CONNECTOR_BEFORE = /(?:^|[\s,])(?:by|on|at|for|due(?:\s+(?:on|by))?)\s*$/i;
/** "the" before a day of the month: "call mom the 3rd of march". */
const THE_BEFORE = /(?:^|\s)the\s*$/i;

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The span widened over a dangling connecting word before it. */
function withConnector(text: string, span: Span): Span {
  const before = text.slice(0, span.start);
  const the = /^\d/.test(text.slice(span.start)) ? THE_BEFORE.exec(before) : null;
  const connector = CONNECTOR_BEFORE.exec(the === null ? before : before.slice(0, the.index));
  const start = connector === null ? (the?.index ?? span.start) : connector.index;
  const leading = /^[\s,]*/.exec(text.slice(start))?.[0].length ?? 0;
  return { start: start + leading, end: span.end };
}

/** The text with a span taken out, and the punctuation and spaces left at the seam tidied. */
function without(text: string, span: Span): string {
  const before = text.slice(0, span.start).replace(/[\s,;:]+$/, "");
  const after = text.slice(span.end).replace(/^[\s,;:]+/, "");
  const seam = /^[.!?]/.test(after) ? "" : " ";
  return `${before}${seam}${after}`.replace(/\s+/g, " ").trim();
}

/** The rule words in a text, if any. */
function everySpan(text: string): Span | null {
  const found = findRecurrence(text);
  if (found === null) return null;
  const leading = /^[\s,]*/.exec(found.words)?.[0].length ?? 0;
  return withConnector(text, { start: found.index + leading, end: found.index + found.words.length });
}

/** The first time words chrono finds in a text, if any, with chrono's reading of them. */
function whenSpan(text: string): { span: Span; reading: ParsedResult } | null {
  const [found] = findTimeWords(text, READING_REFERENCE);
  if (found === undefined) return null;
  return { span: withConnector(text, { start: found.index, end: found.index + found.text.length }), reading: found };
}

/** A day said without a time of day ("tomorrow", "friday"), or a time without a day ("at 10"). */
function isDayOnly(reading: ParsedResult): boolean {
  const start = reading.start;
  return !start.isCertain("hour") && (start.isCertain("day") || start.isCertain("weekday"));
}
function isTimeOnly(reading: ParsedResult): boolean {
  const start = reading.start;
  return start.isCertain("hour") && !start.isCertain("day") && !start.isCertain("weekday");
}

/**
 * "meet steve tomorrow at 1pm" reads as one; "tomorrow's meeting at 10" names the day and the time
 * apart: the second half joins the first when one is a day alone and the other a time alone, and
 * the two read as one due together.
 */
function withOtherHalf(rest: string, first: { span: Span; reading: ParsedResult }): { when: string; remaining: string } | null {
  const firstWords = wordsIn(rest, first.span);
  if (firstWords === null) return null;
  const remaining = without(rest, first.span);
  const second = whenSpan(remaining);
  const secondWords = second === null ? null : wordsIn(remaining, second.span);
  if (second === null || secondWords === null) return { when: firstWords, remaining };
  const dayFirst = isDayOnly(first.reading) && isTimeOnly(second.reading);
  const timeFirst = isTimeOnly(first.reading) && isDayOnly(second.reading);
  if (!dayFirst && !timeFirst) return { when: firstWords, remaining };
  const joined = dayFirst ? `${firstWords} ${secondWords}` : `${secondWords} ${firstWords}`;
  if (joined.length > MAX_TIMING_LENGTH || readTimeWords(joined, READING_REFERENCE) === null) {
    return { when: firstWords, remaining };
  }
  return { when: joined, remaining: without(remaining, second.span) };
}

/** The span's words, trimmed, or null when the span is missing or longer than todo-domain accepts. */
function wordsIn(text: string, span: Span | null): string | null {
  const words = span === null ? "" : text.slice(span.start, span.end).replace(/^[\s,]+|[\s,]+$/g, "");
  return words === "" || words.length > MAX_TIMING_LENGTH ? null : words;
}

function split(text: string): TimedText {
  const rule = everySpan(text);
  const every = wordsIn(text, rule);
  const rest = every === null || rule === null ? text : without(text, rule);
  const due = whenSpan(rest);
  const read = due === null ? null : withOtherHalf(rest, due);
  const when = read?.when ?? null;
  const remaining = (read?.remaining ?? rest).replace(/^[\s,;:.\-–—]+|[\s,;:\-–—]+$/g, "");
  if (remaining === "" || (every === null && when === null)) return { text };
  const timing: TimingWords = { ...(when === null ? {} : { when }), ...(every === null ? {} : { every }) };
  return { text: remaining, timing };
}

/**
 * "call mom tomorrow at 5pm" → { text: "call mom", timing: { when: "tomorrow at 5pm" } }; text
 * without time words comes back unchanged, with no timing. So does a text that is only time words
 * ("tomorrow"): a todo needs something to do. Only the first time words are taken, with the time
 * of day or the day said apart from them ("tomorrow's meeting at 10"); the rest stay text.
 */
export function readTiming(text: string): TimedText {
  try {
    return split(text);
  } catch {
    return { text };
  }
}
