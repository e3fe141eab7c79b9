import type Redlock from "redlock";
import { ExecutionError, type Lock } from "redlock";
import { todo } from "@sms-todo/contracts";
import type { Logger } from "@sms-todo/shared";
import { callUnary, type UnaryMethod } from "@sms-todo/shared/grpc-client";

/** The part of todo-domain's TodoService that claims due reminders and summaries. */
export interface SummaryClaimClient {
  claimDueSummaries: UnaryMethod<todo.ClaimDueSummariesRequest, todo.ClaimDueSummariesResponse>;
  claimDueReminders: UnaryMethod<todo.ClaimDueRemindersRequest, todo.ClaimDueRemindersResponse>;
}

/** Users (or reminders) claimed per call: a call stays short, so losing the lock mid-round wastes little. */
export const SUMMARY_BATCH = 100;
const CLAIM_DEADLINE_MS = 10_000;

export interface SummaryRoundDeps {
  lock: Redlock;
  /** The one Redis key every replica locks; see DEFAULT_KEY_PREFIX. */
  lockKey: string;
  /** Renewed before each batch; a holder that stalls (paused, partitioned) loses it after this long. */
  lockTtlMs: number;
  client: SummaryClaimClient;
  now: () => Date;
  logger: Logger;
}

/** Claimed this round: reminders queued, summaries queued, and users due a summary with nothing to list. */
export interface RoundCounts {
  reminded: number;
  queued: number;
  empty: number;
}

export type SummaryRoundResult =
  | ({ status: "ran" } & RoundCounts)
  /** Another replica holds the lock, or Redis could not be reached: the next tick tries again. */
  | { status: "skipped"; reason: string }
  /** The lock was lost mid-round (this process stalled past its TTL); the claims made stand. */
  | ({ status: "lock-lost" } & RoundCounts);

/**
 * One round of what is due by the clock: under the one lock, asks todo-domain to claim the
 * reminders due now, then the daily summaries, batch by batch, renewing the lock before each
 * batch. Reminders go first, as they are due to the minute. The lock keeps replicas from doing
 * the same work at once; what makes a reminder or a summary go out at most once is the claim
 * row todo-domain commits with it, so a holder that wakes up after losing its lock can do no
 * harm.
 */
export async function runSummaryRound(deps: SummaryRoundDeps): Promise<SummaryRoundResult> {
  let lock: Lock;
  try {
    lock = await deps.lock.acquire([deps.lockKey], deps.lockTtlMs, { retryCount: 0 });
  } catch (error) {
    if (error instanceof ExecutionError) return { status: "skipped", reason: error.message };
    throw error;
  }
  const counts: RoundCounts = { reminded: 0, queued: 0, empty: 0 };
  let batch = 0;
  /** Before each batch: false when the lock is gone (another replica owns the round now). */
  const holdLock = async (): Promise<boolean> => {
    // A process that stalled since the last renewal may find its lock gone.
    if (Date.now() >= lock.expiration) return false;
    if (batch++ === 0) return true;
    try {
      lock = await lock.extend(deps.lockTtlMs);
      return true;
    } catch (error) {
      if (error instanceof ExecutionError) return false;
      throw error;
    }
  };
  try {
    const asOfMs = deps.now().getTime();
    for (let moreDue = true; moreDue;) {
      if (!(await holdLock())) return { status: "lock-lost", ...counts };
      const request = todo.ClaimDueRemindersRequest.fromPartial({ asOfMs, limit: SUMMARY_BATCH });
      const claimed = await callUnary(deps.client.claimDueReminders.bind(deps.client), request, {
        deadlineMs: CLAIM_DEADLINE_MS,
        correlationId: `reminders:${asOfMs}`,
      });
      counts.reminded += claimed.queued;
      moreDue = claimed.moreDue;
    }
    for (let moreDue = true; moreDue;) {
      if (!(await holdLock())) return { status: "lock-lost", ...counts };
      const request = todo.ClaimDueSummariesRequest.fromPartial({ asOfMs: deps.now().getTime(), limit: SUMMARY_BATCH });
      const claimed = await callUnary(deps.client.claimDueSummaries.bind(deps.client), request, {
        deadlineMs: CLAIM_DEADLINE_MS,
        correlationId: `summaries:${request.asOfMs}`,
      });
      counts.queued += claimed.queued;
      counts.empty += claimed.empty;
      moreDue = claimed.moreDue;
    }
    return { status: "ran", ...counts };
  } finally {
    // A lock that expired or was taken over is not ours to release; it lapses on its own.
    await lock.release().catch(() => undefined);
  }
}
