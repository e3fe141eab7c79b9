import { status } from "@grpc/grpc-js";

/**
 * When a gRPC call is tried again inside its own deadline. Only UNAVAILABLE is retried: it
 * means the call did not get through (a dropped connection, a server restarting, a saga that
 * was compensated), and every TodoService call carries an idempotency key or only reads (or,
 * like ClaimDueSummaries, claims idempotently), so a second attempt cannot double an effect.
 * DEADLINE_EXCEEDED is never retried: the budget is spent. Every other status is an answer.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** The back-off before the first retry is between half of this and this; it doubles per retry. */
  baseDelayMs: number;
  /** The back-off never grows beyond this. */
  maxDelayMs: number;
  /** A retry is only started when at least this much of the deadline is left after its back-off. */
  minAttemptMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  minAttemptMs: 100,
});

export function isRetryableStatus(code: status): boolean {
  return code === status.UNAVAILABLE;
}

/**
 * The back-off before retry number `retry` (1 for the first): "equal jitter", half fixed and half
 * random, so replicas that failed together do not come back together, yet never at once.
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface FailedAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  code: status;
  /** Absolute deadline of the whole call, ms since the epoch. */
  deadline: number;
  now: number;
}

/** The back-off before trying again after a failed attempt, or undefined when the call ends with this failure. */
export function nextRetryDelayMs(
  failed: FailedAttempt,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!isRetryableStatus(failed.code) || failed.attempt >= policy.maxAttempts) return undefined;
  const delay = retryDelayMs(failed.attempt, policy, random);
  return failed.now + delay + policy.minAttemptMs <= failed.deadline ? delay : undefined;
}
