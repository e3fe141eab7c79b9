import { describe, expect, it } from "vitest";
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryDecision, type RetryInput } from "../src/sms/send-retry.policy.js";
import type { TwilioFailureKind } from "../src/sms/twilio-failure.classifier.js";

const policy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1_000, maxRetryAfterMs: 3_000, minAttemptMs: 100 };
const plenty = 60_000;

function input(
  kind: TwilioFailureKind,
  overrides: Partial<Omit<RetryInput, "failure">> & { retryAfterMs?: number } = {},
): RetryInput {
  const { retryAfterMs, ...rest } = overrides;
  return { failure: { kind, retryAfterMs }, attempt: 1, remainingMs: plenty, random: 0, ...rest };
}

describe("decideRetry", () => {
  it.each<[string, RetryInput, RetryDecision]>([
    ["a permanent refusal (400)", input("rejected"), { retry: false, reason: "permanent" }],
    ["an unsubscribed recipient (21610)", input("unsubscribed"), { retry: false, reason: "permanent" }],
    ["an open circuit", input("circuit-open"), { retry: false, reason: "circuit-open" }],
    ["a first 5xx, no jitter", input("server-error"), { retry: true, delayMs: 100 }],
    ["a first 5xx, full jitter", input("server-error", { random: 0.999_999 }), { retry: true, delayMs: 200 }],
    ["a second 5xx", input("server-error", { attempt: 2, random: 0.5 }), { retry: true, delayMs: 300 }],
    ["a 5xx on the last attempt", input("server-error", { attempt: 3 }), { retry: false, reason: "attempts-used" }],
    ["a refused connection", input("not-sent"), { retry: true, delayMs: 100 }],
    ["an unanswered request", input("outcome-unknown", { attempt: 2 }), { retry: true, delayMs: 200 }],
    ["a 429 without Retry-After", input("rate-limited", { random: 0.5 }), { retry: true, delayMs: 150 }],
    ["a 429 with Retry-After 2 s", input("rate-limited", { retryAfterMs: 2_000, random: 0.9 }), { retry: true, delayMs: 2_000 }],
    ["a 429 with Retry-After past the cap", input("rate-limited", { retryAfterMs: 60_000 }), { retry: true, delayMs: 3_000 }],
    [
      "a 429 on the last attempt",
      input("rate-limited", { attempt: 3, retryAfterMs: 1 }),
      { retry: false, reason: "attempts-used" },
    ],
    ["a 5xx with too little time left", input("server-error", { remainingMs: 150 }), { retry: false, reason: "out-of-time" }],
    ["a 5xx with just enough time left", input("server-error", { remainingMs: 200 }), { retry: true, delayMs: 100 }],
    [
      "a 429 whose Retry-After outlasts the send",
      input("rate-limited", { retryAfterMs: 2_000, remainingMs: 2_050 }),
      {
        retry: false,
        reason: "out-of-time",
      },
    ],
  ])("when the failure is %s, then the decision is as tabled", (_name, given, expected) => {
    expect(decideRetry(given, policy)).toEqual(expected);
  });

  it("when retries go on, then the back-off doubles up to its ceiling and stays within it", () => {
    const wide = { ...policy, maxAttempts: 10 };
    const ceilings = [1, 2, 3, 4, 5].map((attempt) => decideRetry(input("server-error", { attempt, random: 0.999_999 }), wide));
    expect(ceilings).toEqual([200, 400, 800, 1_000, 1_000].map((delayMs) => ({ retry: true, delayMs })));
    const floors = [1, 2, 3, 4, 5].map((attempt) => decideRetry(input("server-error", { attempt, random: 0 }), wide));
    expect(floors).toEqual([100, 200, 400, 500, 500].map((delayMs) => ({ retry: true, delayMs })));
  });

  it("when the defaults apply, then a send makes at most three attempts", () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(3);
    expect(decideRetry(input("server-error", { attempt: 3 }))).toEqual({ retry: false, reason: "attempts-used" });
  });
});
