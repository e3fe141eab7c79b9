/**
 * What one attempt at creating a message at Twilio came to, when it did not create one:
 * - rejected: Twilio refused this message for good (a 4xx other than 429), e.g. 21211 invalid number.
 * - unsubscribed: Twilio error 21610, the recipient texted STOP to this sender.
 * - rate-limited: 429; Retry-After, when sent, says how long to wait.
 * - server-error: a 5xx, or an answer no Twilio gives (3xx), that left no message behind.
 * - not-sent: the connection was never made, so Twilio cannot have created anything.
 * - outcome-unknown: the request may have reached Twilio (timeout, dropped connection, 504).
 * - circuit-open: not attempted; Twilio failed too often lately.
 */
export type TwilioFailureKind =
  "rejected" | "unsubscribed" | "rate-limited" | "server-error" | "not-sent" | "outcome-unknown" | "circuit-open";

export interface TwilioFailure {
  kind: TwilioFailureKind;
  /** HTTP status of Twilio's answer, when there was one. */
  status?: number;
  /** Twilio's error code (https://www.twilio.com/docs/api/errors). */
  twilioCode?: number;
  twilioMessage?: string;
  moreInfo?: string;
  retryAfterMs?: number;
  /** Node's error code of a failed connection (ECONNREFUSED, ECONNRESET, ECONNABORTED...). */
  networkCode?: string;
}

/** "Attempt to send to unsubscribed recipient". */
export const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;

// Failures before a connection exists: nothing was sent. Anything else may have reached Twilio.
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const CIRCUIT_OPEN = "EOPENBREAKER";

/** Classifies a non-2xx answer of Messages.json. `body` is the parsed JSON, or the raw text. */
export function classifyTwilioAnswer(
  status: number,
  body: unknown,
  retryAfter: string | undefined,
  nowMs: number,
): TwilioFailure {
  const details = errorDetailsOf(body);
  const failure = { status, ...details };
  if (status === 429) return { kind: "rate-limited", ...failure, retryAfterMs: parseRetryAfter(retryAfter, nowMs) };
  // A gateway that timed out may have passed the request on: Twilio may have created the message.
  if (status === 504) return { kind: "outcome-unknown", ...failure };
  if (status >= 400 && status < 500) {
    return { kind: details.twilioCode === TWILIO_UNSUBSCRIBED_RECIPIENT ? "unsubscribed" : "rejected", ...failure };
  }
  return { kind: "server-error", ...failure };
}

/** Classifies an error thrown instead of an answer: a network failure, or the open circuit. */
export function classifyTwilioError(error: unknown): TwilioFailure {
  const code = (error as { code?: unknown } | null)?.code;
  const networkCode = typeof code === "string" ? code : undefined;
  if (networkCode === CIRCUIT_OPEN) return { kind: "circuit-open" };
  if (networkCode !== undefined && NOT_CONNECTED.has(networkCode)) return { kind: "not-sent", networkCode };
  return { kind: "outcome-unknown", networkCode };
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

// Twilio answers {code, message, more_info}; newer endpoints answer RFC 9457 problem details.
function errorDetailsOf(body: unknown): Pick<TwilioFailure, "twilioCode" | "twilioMessage" | "moreInfo"> {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return {};
    }
  }
  if (parsed === null || typeof parsed !== "object") return {};
  const fields = parsed as Record<string, unknown>;
  const code = typeof fields.code === "number" ? fields.code : Number(fields.code);
  const message = [fields.message, fields.detail, fields.title].find((value): value is string => typeof value === "string");
  return {
    twilioCode: Number.isInteger(code) && code > 0 ? code : undefined,
    twilioMessage: message,
    moreInfo: typeof fields.more_info === "string" ? fields.more_info : undefined,
  };
}
