/**
 * A short human reading of a recurrence rule for replies: "every Monday", "every 3 days",
 * "every month on the 1st", "every weekday". Reads the rules this module writes; any other rule
 * gets rrule's own English.
 */
import rrulePackage from "rrule";

const { RRule } = rrulePackage;

const DAY_NAMES: Readonly<Record<string, string>> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};
const UNITS: Readonly<Record<string, string>> = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" };
const PLACES: Readonly<Record<string, string>> = { "1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last" };
const KNOWN_PARTS = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS"]);

const SUFFIXES: Readonly<Record<number, string>> = { 1: "st", 2: "nd", 3: "rd" };

/** "1st", "2nd", "3rd", "11th", "22nd". */
function ordinal(day: number): string {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  return `${day}${teen ? "th" : (SUFFIXES[day % 10] ?? "th")}`;
}

/** "Monday", "Monday and Thursday", "Monday, Wednesday and Friday". */
function listOf(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1) ?? ""}`;
}

/** "every week", "every other week", "every 3 weeks". */
function everyUnit(unit: string, interval: number): string {
  if (interval === 1) return `every ${unit}`;
  return interval === 2 ? `every other ${unit}` : `every ${interval} ${unit}s`;
}

function weeklyReading(days: readonly string[], interval: number): string | null {
  if (days.some((day) => DAY_NAMES[day] === undefined)) return null;
  const names = days.map((day) => DAY_NAMES[day] ?? day);
  const key = days.join(",");
  if (interval === 1 && key === "MO,TU,WE,TH,FR") return "every weekday";
  if (interval === 1 && key === "SA,SU") return "every weekend";
  if (days.length === 0) return everyUnit("week", interval);
  if (interval === 1) return `every ${listOf(names)}`;
  return interval === 2 ? `every other ${listOf(names)}` : `every ${interval} weeks on ${listOf(names)}`;
}

/** "on the first Monday", "on the last Friday": BYDAY with a place in the month. */
function weekdayPlace(days: readonly string[]): string | null {
  const nth = days.length === 1 ? /^(-?\d)([A-Z]{2})$/.exec(days[0] ?? "") : null;
  const place = PLACES[nth?.[1] ?? ""];
  const name = DAY_NAMES[nth?.[2] ?? ""];
  return place === undefined || name === undefined ? null : `on the ${place} ${name}`;
}

/**
 * "on the 1st", and the fallback to a shorter month's last day this module writes for the 29th to
 * 31st (BYMONTHDAY=28,…,N;BYSETPOS=-1): "on the last day", "on the 30th or last day".
 */
function monthDayPlace(monthDays: readonly number[], setPosition: string | undefined): string | null {
  const last = monthDays.at(-1);
  if (last === undefined || monthDays.some((day) => !Number.isInteger(day) || day < 1 || day > 31)) return null;
  if (monthDays.length === 1 && setPosition === undefined) return `on the ${ordinal(last)}`;
  const lastDayFallback = setPosition === "-1" && monthDays[0] === 28 && monthDays.length === last - 27;
  if (!lastDayFallback) return null;
  return last === 31 ? "on the last day" : `on the ${ordinal(last)} or last day`;
}

function monthlyReading(
  interval: number,
  days: readonly string[],
  monthDays: readonly number[],
  setPosition?: string,
): string | null {
  const every = everyUnit("month", interval);
  if (days.length === 0 && monthDays.length === 0 && setPosition === undefined) return every;
  let place: string | null = null;
  if (days.length === 0) place = monthDayPlace(monthDays, setPosition);
  else if (monthDays.length === 0) place = weekdayPlace(days);
  return place === null ? null : `${every} ${place}`;
}

function readingOf(parts: ReadonlyMap<string, string>): string | null {
  const frequency = parts.get("FREQ") ?? "";
  const unit = UNITS[frequency];
  const interval = Number(parts.get("INTERVAL") ?? "1");
  if (unit === undefined || !Number.isInteger(interval) || interval < 1) return null;
  const days = parts.get("BYDAY")?.split(",") ?? [];
  const monthDays = parts.get("BYMONTHDAY")?.split(",").map(Number) ?? [];
  if (frequency === "WEEKLY" && monthDays.length === 0) return weeklyReading(days, interval);
  if (frequency === "MONTHLY") return monthlyReading(interval, days, monthDays, parts.get("BYSETPOS"));
  const plain = days.length === 0 && monthDays.length === 0 && !parts.has("BYSETPOS");
  return plain ? everyUnit(unit, interval) : null;
}

function partsOf(rule: string): Map<string, string> | null {
  const parts = new Map<string, string>();
  const written = rule.trim().replace(/^RRULE:/i, "");
  for (const part of written.split(";")) {
    const [key, value, extra] = part.split("=");
    if (key === undefined || value === undefined || extra !== undefined || !KNOWN_PARTS.has(key.toUpperCase())) return null;
    parts.set(key.toUpperCase(), value.toUpperCase());
  }
  return parts;
}

/** A short human reading of a rule for replies: "every Monday", "every 3 days", "every month on the 1st", "every weekday". */
export function describeRule(rule: string): string {
  const parts = partsOf(rule);
  const reading = parts === null ? null : readingOf(parts);
  if (reading !== null) return reading;
  try {
    return new RRule(RRule.parseString(rule)).toText();
  } catch {
    return "repeating";
  }
}
