import { AppError } from "@sms-todo/shared";
import type { todo } from "@sms-todo/contracts";
import type { SettingsChange } from "../users/update-settings.use-case.js";

const SUMMARY_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export function parseSettingsChange(change: todo.UpdateSettingsRequest["change"]): SettingsChange {
  switch (change?.$case) {
    case "summaryTime":
      return { type: "summary-time", summaryTime: parseSummaryTime(change.value) };
    case "summaryOff":
      if (!change.value) throw new AppError("INVALID_ARGUMENT", "summary_off must be true to turn the summary off");
      return { type: "summary-off" };
    case "timezone":
      return { type: "timezone", timezone: parseTimezone(change.value) };
    default:
      throw new AppError("INVALID_ARGUMENT", "change must set summary_time, summary_off or timezone");
  }
}

/** "HH:MM" in 24-hour form, 00:00 to 23:59; stored with two-digit hours. */
export function parseSummaryTime(value: string): string {
  const match = SUMMARY_TIME.exec(value.trim());
  if (!match) throw new AppError("INVALID_ARGUMENT", 'summary_time must be "HH:MM" between 00:00 and 23:59');
  return `${match[1]!.padStart(2, "0")}:${match[2]!}`;
}

/**
 * An IANA timezone name, as the runtime's time zone data knows it, in its canonical
 * spelling ("europe/berlin" becomes "Europe/Berlin"). UTC offsets are not names.
 */
export function parseTimezone(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > 64 || /^[+-]|^\d/.test(name))
    throw new AppError("INVALID_ARGUMENT", "timezone must be an IANA name such as Europe/Berlin");
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new AppError("INVALID_ARGUMENT", "timezone must be an IANA name such as Europe/Berlin");
  }
}
