/**
 * Words that name a part of the day ("morning", "tonight", "end of day") and the clock time each
 * stands for when no time is said. Every default lies outside the quiet hours (21:00–08:00), so a
 * reminder at it never waits for morning.
 */

/** A part of the day named by the user's words. */
export type DayPart = "morning" | "noon" | "afternoon" | "evening" | "night" | "endOfDay" | "midnight";

/** The clock time a part of the day means when no time is said. */
export const DAY_PART_TIMES: Readonly<Record<DayPart, string>> = {
  morning: "09:00",
  noon: "12:00",
  afternoon: "15:00",
  evening: "19:00",
  // "tonight", "tomorrow night", "every night": evening's later end, still before quiet hours.
  night: "20:00",
  endOfDay: "17:00",
  midnight: "00:00",
};

// Checked in this order: "end of the day" before "day", "midnight" before "night".
const DAY_PART_WORDS: readonly (readonly [DayPart, RegExp])[] = [
  ["endOfDay", /\b(?:end\s+of\s+(?:the\s+)?(?:day|today|week)|eod|eow|e\.o\.d\b|close\s+of\s+business)/i],
  ["midnight", /\bmidnight\b/i],
  ["noon", /\b(?:noon|midday)\b/i],
  ["night", /\b(?:tonight|night|nightly)\b/i],
  ["evening", /\bevening\b/i],
  ["afternoon", /\bafternoon\b/i],
  ["morning", /\bmorning\b/i],
];

/** The part of the day the words name, if any. */
export function dayPartOf(words: string): DayPart | null {
  for (const [part, pattern] of DAY_PART_WORDS) if (pattern.test(words)) return part;
  return null;
}

/** Whether an hour said with this part of the day is an afternoon or evening hour ("tonight at 8" is 20:00). */
export function isAfterNoonPart(part: DayPart): boolean {
  return part === "afternoon" || part === "evening" || part === "night" || part === "endOfDay";
}
