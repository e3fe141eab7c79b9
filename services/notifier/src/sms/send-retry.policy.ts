import type { TwilioFailure } from "./twilio-failure.classifier.js";

export interface RetryPolicy {
  /** Attempts per send, the first included; the broker's redeliveries come on top. */
  maxAttempts: number;
  /** The back-off ceiling of the first retry; it doubles per retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Twilio's Retry-After is honoured up to this; a longer wait is the broker's (it backs off too). */
  maxRetryAfterMs: number;
  /** A retry needs at least this much of the send's time left after its delay. */
  minAttemptMs: number;
}

/** Small and bounded: the broker redelivers with its own back-off when these are used up. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
  minAttemptMs: 500,
};

export interface RetryInput {
  failure: Pick<TwilioFailure, "kind" | "retryAfterMs">;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** Time left of the send's budget. */
  remainingMs: number;
  /** In [0, 1): the jitter. */
  random: number;
}

export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: "permanent" | "circuit-open" | "attempts-used" | "out-of-time" };

/**
 * Whether to try a failed send again in-process, and after how long. Permanent refusals are
 * never retried; an open circuit fails fast so the broker retries later; 429, 5xx and network
 * failures back off exponentially with jitter (Retry-After, when Twilio sends it, sets the wait).
 */
export function decideRetry(input: RetryInput, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  const { failure, attempt, remainingMs, random } = input;
  switch (failure.kind) {
    case "rejected":
    case "unsubscribed":
      return { retry: false, reason: "permanent" };
    case "circuit-open":
      return { retry: false, reason: "circuit-open" };
    case "rate-limited":
    case "server-error":
    case "not-sent":
    case "outcome-unknown":
      break;
  }
  if (attempt >= policy.maxAttempts) return { retry: false, reason: "attempts-used" };
  const delayMs =
    failure.kind === "rate-limited" && failure.retryAfterMs !== undefined
      ? Math.min(failure.retryAfterMs, policy.maxRetryAfterMs)
      : backOff(attempt, random, policy);
  if (delayMs + policy.minAttemptMs > remainingMs) return { retry: false, reason: "out-of-time" };
  return { retry: true, delayMs };
}

// "Equal jitter": half the ceiling for sure, the other half random, so retries neither
// come at once nor all together from several replicas.
function backOff(attempt: number, random: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
