/**
 * The settings commands: the daily summary's time ("summary 7am", "summary off") and the
 * timezone ("tz Europe/Berlin"). They read the settings form of a line (see settingsText),
 * which keeps the ":", "/" and "_" of times and timezone names.
 */
import { DEFAULT_SUMMARY_TIME } from "@sms-todo/rules";
import type { Command } from "../commands/command.model.js";
import { SUMMARY_TIME_REASON, TIMEZONE_REASON } from "./command.reasons.js";

const SUMMARY_WORD = "(?:(?:daily|morning)\\s+)?(?:summary|summaries|digest)";
const POSSESSIVE = "(?:(?:my|the)\\s+)?";

/** "summary 7am", "set my summary time to 7:30 pm", "daily summary: off". */
const SUMMARY = new RegExp(
  `^(?:(set|change|move|update|make|put|turn|switch)\\s+)?${POSSESSIVE}${SUMMARY_WORD}(\\s+time)?` +
    `(?:\\s*[:=@]\\s*|\\s+(?:at|to|is)\\s+|\\s+|$)(.*)$`,
  "u",
);
/** "turn off the summary", "no summary", "stop my daily summary". */
const SUMMARY_OFF = new RegExp(
  `^(?:(?:turn|switch)\\s+off|stop|disable|cancel|pause|mute|no|no\\s+more)\\s+${POSSESSIVE}${SUMMARY_WORD}$`,
  "u",
);
/** "turn on the summary", "resume my summary". */
const SUMMARY_ON = new RegExp(
  `^(?:(?:turn|switch)\\s+on|start|restart|enable|resume|unmute)\\s+${POSSESSIVE}${SUMMARY_WORD}$`,
  "u",
);
const OFF_WORDS = new Set(["off", "none", "no", "never", "disable", "disabled", "stop", "cancel", "pause", "paused", "mute"]);
const ON_WORDS = new Set(["on", "enable", "enabled", "yes", "start", "resume", "back on"]);
/** What the summary time means after "summary": a bare "at" is an attempt at a time, not a todo. */
const DANGLING_WORDS = new Set(["at", "to", "is", "time"]);

/** "7:30 pm", "19:00", "7h30", "7.30", "7 30"; the minutes are checked after matching. */
const CLOCK = /^(\d+)\s*(?:[:.h]|\s)\s*(\d+)\s*(?:h|oclock|o clock)?\s*(am|pm|a|p)?$/u;
/** "7am", "7", "19h", "7 oclock", "730pm", "1900". */
const HOUR = /^(\d+)\s*(?:h|hrs|oclock|o clock)?\s*(am|pm|a|p)?$/u;
const NAMED_TIMES: Readonly<Record<string, string>> = { noon: "12:00", midday: "12:00", midnight: "00:00" };

/**
 * "timezone Europe/Berlin", "tz: america/new_york", "set my time zone to London",
 * "my timezone is Asia/Tokyo".
 */
const TIMEZONE =
  /^(?:(?:set|change|update|switch)\s+)?(?:(?:my|the)\s+)?(?:timezone|time\s+zone|tz)(?:\s+is)?(?:\s*[:=]\s*|\s+(?:to|is|at)\s+|\s+|$)(.*)$/u;

/** The settings (or list) command the line asks for, or undefined when it is none. */
export function parseSettings(text: string): Command | undefined {
  if (SUMMARY_OFF.test(text)) return { kind: "settings", change: { summaryOff: true } };
  if (SUMMARY_ON.test(text)) return { kind: "settings", change: { summaryTime: DEFAULT_SUMMARY_TIME } };
  const summary = SUMMARY.exec(text);
  if (summary) return parseSummary(summary[1], summary[2], (summary[3] ?? "").trim());
  const timezone = TIMEZONE.exec(text);
  if (timezone) {
    const name = resolveTimeZone(timezone[1] ?? "");
    return name === undefined ? { kind: "invalid", reason: TIMEZONE_REASON } : { kind: "settings", change: { timezone: name } };
  }
  return undefined;
}

function parseSummary(verb: string | undefined, timeWord: string | undefined, rest: string): Command | undefined {
  // "summary" alone asks to see the summary, which is the list; "set summary" asks how to set it.
  if (rest === "") return verb === undefined && timeWord === undefined ? { kind: "list" } : invalidTime();
  if (OFF_WORDS.has(rest)) return { kind: "settings", change: { summaryOff: true } };
  if (ON_WORDS.has(rest)) return { kind: "settings", change: { summaryTime: DEFAULT_SUMMARY_TIME } };
  if (DANGLING_WORDS.has(rest)) return invalidTime();
  const time = summaryTimeOf(rest);
  if (time === undefined) return undefined;
  if (time.kind === "impossible") return invalidTime();
  return { kind: "settings", change: { summaryTime: time.value } };
}

/** A time of day as "HH:MM", or something shaped like one that is none ("25:00", "13pm", "7:75"). */
export type TimeReading = { readonly kind: "time"; readonly value: string } | { readonly kind: "impossible" };

const IMPOSSIBLE: TimeReading = { kind: "impossible" };

/** What the text after "summary" says as a time of day; undefined for words ("summary of the meeting"). */
export function summaryTimeOf(text: string): TimeReading | undefined {
  const compact = text.replace(/(?<!\p{L})([ap])\.\s?m(?!\p{L})\.?/gu, "$1m").trim();
  const named = NAMED_TIMES[compact];
  if (named !== undefined) return { kind: "time", value: named };
  const clock = CLOCK.exec(compact);
  if (clock) return clockTime(clock[1] ?? "", clock[2] ?? "", clock[3]);
  const hour = HOUR.exec(compact);
  if (!hour) return undefined;
  const digits = hour[1] ?? "";
  // "730pm", "1900": the last two digits are the minutes.
  if (digits.length === 3 || digits.length === 4) return clockTime(digits.slice(0, -2), digits.slice(-2), hour[2]);
  return clockTime(digits, "00", hour[2]);
}

function clockTime(hourDigits: string, minuteDigits: string, meridiem: string | undefined): TimeReading {
  if (hourDigits.length < 1 || hourDigits.length > 2 || minuteDigits.length !== 2) return IMPOSSIBLE;
  const hour = Number.parseInt(hourDigits, 10);
  const minute = Number.parseInt(minuteDigits, 10);
  if (minute > 59) return IMPOSSIBLE;
  let hour24 = hour;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return IMPOSSIBLE;
    hour24 = (hour % 12) + (meridiem.startsWith("p") ? 12 : 0);
  } else if (hour > 23) {
    return IMPOSSIBLE;
  }
  return { kind: "time", value: `${String(hour24).padStart(2, "0")}:${String(minute).padStart(2, "0")}` };
}

function invalidTime(): Command {
  return { kind: "invalid", reason: SUMMARY_TIME_REASON };
}

interface TimeZoneIndex {
  /** Lower-cased name → canonical name. */
  byName: ReadonlyMap<string, string>;
  /** Lower-cased last part ("new_york") → canonical name, for the parts that name one zone. */
  byCity: ReadonlyMap<string, string>;
}

let timeZones: TimeZoneIndex | undefined;

function timeZoneIndex(): TimeZoneIndex {
  timeZones ??= buildTimeZoneIndex();
  return timeZones;
}

function buildTimeZoneIndex(): TimeZoneIndex {
  const names = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  const byName = new Map<string, string>();
  const cities = new Map<string, string[]>();
  for (const name of names) {
    byName.set(name.toLowerCase(), name);
    const city = name.split("/").at(-1)?.toLowerCase() ?? "";
    if (name.includes("/")) cities.set(city, [...(cities.get(city) ?? []), name]);
  }
  byName.set("etc/utc", "UTC");
  const byCity = new Map<string, string>();
  for (const [city, zones] of cities) if (zones.length === 1 && zones[0] !== undefined) byCity.set(city, zones[0]);
  return { byName, byCity };
}

/**
 * The canonical IANA name for what the user typed, matched without regard to case, with
 * spaces read as "_" ("america/new york"), or by a city that names one zone ("london");
 * an old alias that Intl knows ("Asia/Kolkata", "US/Eastern") becomes the name Intl uses.
 * Abbreviations ("EST", "CET") are refused: several of them do not mean what people think.
 */
export function resolveTimeZone(text: string): string | undefined {
  const key = text
    .trim()
    .replace(/['"]/gu, "")
    .replace(/\s*\/\s*/gu, "/")
    .replace(/\s+/gu, "_")
    .toLowerCase();
  if (key === "") return undefined;
  const index = timeZoneIndex();
  const named = index.byName.get(key) ?? (key.includes("/") ? undefined : index.byCity.get(key));
  if (named !== undefined) return named;
  if (!key.includes("/")) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: key }).resolvedOptions().timeZone;
    return index.byName.get(resolved.toLowerCase());
  } catch {
    return undefined;
  }
}
