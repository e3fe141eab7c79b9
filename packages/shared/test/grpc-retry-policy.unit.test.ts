import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  nextRetryDelayMs,
  retryDelayMs,
  type RetryPolicy,
} from "../src/grpc/unavailable-retry.policy.js";

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, minAttemptMs: 100 };
const NOW = 1_000_000;
const lowest = () => 0;
const highest = () => 1;

describe("retry policy of gRPC calls", () => {
  it("when a status is UNAVAILABLE, then it is retryable, and no other status is", () => {
    const retryable = Object.values(status)
      .filter((code): code is status => typeof code === "number")
      .filter((code) => isRetryableStatus(code));
    expect(retryable).toEqual([status.UNAVAILABLE]);
  });

  it.each([
    ["DEADLINE_EXCEEDED", status.DEADLINE_EXCEEDED],
    ["NOT_FOUND", status.NOT_FOUND],
    ["INVALID_ARGUMENT", status.INVALID_ARGUMENT],
    ["INTERNAL", status.INTERNAL],
    ["ABORTED", status.ABORTED],
    ["RESOURCE_EXHAUSTED", status.RESOURCE_EXHAUSTED],
    ["CANCELLED", status.CANCELLED],
  ])("when an attempt fails with %s, then the call is not retried", (_name, code) => {
    expect(nextRetryDelayMs({ attempt: 1, code, deadline: NOW + 60_000, now: NOW }, policy)).toBeUndefined();
  });

  it("when attempts fail with UNAVAILABLE, then the call is retried until maxAttempts attempts were made", () => {
    const delays = [1, 2, 3].map((attempt) =>
      nextRetryDelayMs({ attempt, code: status.UNAVAILABLE, deadline: NOW + 60_000, now: NOW }, policy, highest),
    );
    expect(delays).toEqual([100, 200, undefined]);
  });

  it("when the back-off grows, then it doubles per retry up to maxDelayMs, each between half and all of its ceiling", () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, policy, highest));
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const floors = [1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, policy, lowest));
    expect(floors).toEqual([50, 100, 200, 400, 500, 500]);
    const middle = retryDelayMs(3, policy, () => 0.5);
    expect(middle).toBe(300);
  });

  it("when the deadline leaves no room for the back-off and a useful attempt, then the call is not retried", () => {
    const fits = { attempt: 1, code: status.UNAVAILABLE, now: NOW, deadline: NOW + 100 + policy.minAttemptMs };
    expect(nextRetryDelayMs(fits, policy, highest)).toBe(100);
    expect(nextRetryDelayMs({ ...fits, deadline: fits.deadline - 1 }, policy, highest)).toBeUndefined();
    expect(nextRetryDelayMs({ ...fits, deadline: NOW - 1 }, policy, lowest)).toBeUndefined();
  });

  it("when the defaults are used, then a call is tried at most 3 times and waits at most 300 ms in all", () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(3);
    const waits = [1, 2].map((retry) => retryDelayMs(retry, DEFAULT_RETRY_POLICY, highest));
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(300);
  });
});
