/**
 * Masking of personal data and secrets before anything reaches a log line.
 * Phone numbers keep their last two digits so an operator can tell users apart;
 * message bodies and secrets are never shown at all.
 */
import { E164_DIGITS_SOURCE } from "@sms-todo/rules";

// E.164 numbers, with or without their plus, optionally prefixed as WhatsApp addresses are ("whatsapp:+4915...").
// A UUID's first or last group can be all decimal digits ("58477553-66dd-..."): that is an id, not a number.
const PHONE_PATTERN = new RegExp(`(?<![\\w+]|[0-9a-fA-F]{4}-)\\+?${E164_DIGITS_SOURCE}(?!\\d|-[0-9a-fA-F]{4}-)`, "g");
// The same numbers written for people: "+1 (555) 123-4567", "+44 20 7946 0958", URL-encoded "%2B15551234567",
// and the North American "(555) 123-4567" or "555-123-4567" without a country code.
const FORMATTED_PHONE_PATTERN =
  /(?<![\w+%])(?:\+|%2[Bb])\s*\d(?:[\s().-]{0,2}\d){7,14}(?!\d)|\(\d{3}\)\s?\d{3}[-.\s]\d{4}(?!\d)|(?<![\w-])\d{3}[-.]\d{3}[-.]\d{4}(?![\w-])/g;
// user:password@ in connection URLs.
const URL_CREDENTIALS = /(\/\/[^/:@\s]+:)[^@\s/]+@/g;
// Twilio's media and API URLs name the account and the message: everything after the host goes.
const TWILIO_URL = /(https?:\/\/[\w.-]*twilio(?:cdn)?\.com)\/[^\s"'<>]*/gi;

/** Keys whose values are never logged: message text. */
const REDACTED_KEYS = new Set(["body", "text", "texts", "heard", "transcript"]);
/** A key that names a credential wherever the word stands in it: "authToken", "REDIS_PASSWORD", "x-twilio-signature". */
const SECRET_KEY =
  /token|secret|passw(?:or)?d|credential|authorization|cookie|signature|api[-_]?key|private[-_]?key|access[-_]?key|signing[-_]?key/i;

function isRedactedKey(key: string): boolean {
  return REDACTED_KEYS.has(key.toLowerCase()) || SECRET_KEY.test(key);
}

/**
 * Ids the project generates or Twilio assigns, never personal data; a trace id or a
 * timestamped correlation id ("summaries:1767225600000") would otherwise pass for a number.
 */
const ID_KEYS = new Set(["correlationId", "traceId", "spanId"]);

export function maskPhoneNumber(value: string): string {
  const digits = value.replace(/\D/g, "");
  if (digits.length < 4) return "***";
  return `+${"*".repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

/** Masks phone numbers (E.164 or written for people), URL credentials and Twilio URLs inside free text. */
export function maskText(value: string): string {
  return value
    .replace(URL_CREDENTIALS, "$1***@")
    .replace(TWILIO_URL, "$1/***")
    .replace(PHONE_PATTERN, (match) => maskPhoneNumber(match))
    .replace(FORMATTED_PHONE_PATTERN, (match) => maskPhoneNumber(match.replace(/%2b/i, "+")));
}

/** Deep copy of a log object with phone numbers masked and sensitive keys redacted. */
export function maskFields(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskText(value);
  if (value === null || typeof value !== "object" || depth > 6) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => maskFields(item, depth + 1));
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, code, message: maskText(value.message), stack: value.stack ? maskText(value.stack) : undefined };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (depth === 0 && ID_KEYS.has(key) && typeof item === "string") {
      out[key] = item;
      continue;
    }
    out[key] = isRedactedKey(key) && item !== undefined && item !== "" ? "[redacted]" : maskFields(item, depth + 1);
  }
  return out;
}
