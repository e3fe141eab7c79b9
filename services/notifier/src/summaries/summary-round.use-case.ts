import type Redlock from "redlock";
import { ExecutionError, type Lock } from "redlock";
import { todo } from "@sms-todo/contracts";
import type { Logger } from "@sms-todo/shared";
import { callUnary, type UnaryMethod } from "@sms-todo/shared/grpc-client";

/** The part of todo-domain's TodoService that claims due summaries. */
export interface SummaryClaimClient {
  claimDueSummaries: UnaryMethod<todo.ClaimDueSummariesRequest, todo.ClaimDueSummariesResponse>;
}

/** Users claimed per call: a call stays short, so losing the lock mid-round wastes little. */
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

export type SummaryRoundResult =
  | { status: "ran"; queued: number; empty: number }
  /** Another replica holds the lock, or Redis could not be reached: the next tick tries again. */
  | { status: "skipped"; reason: string }
  /** The lock was lost mid-round (this process stalled past its TTL); the claims made stand. */
  | { status: "lock-lost"; queued: number; empty: number };

/**
 * One round of daily summaries: under the summaries lock, asks todo-domain to claim what is due
 * now, batch by batch, renewing the lock before each batch. The lock keeps replicas from doing
 * the same work at once; what makes a summary go out at most once a day is the claim row
 * todo-domain commits with it, so a holder that wakes up after losing its lock can do no harm.
 */
export async function runSummaryRound(deps: SummaryRoundDeps): Promise<SummaryRoundResult> {
  let lock: Lock;
  try {
    lock = await deps.lock.acquire([deps.lockKey], deps.lockTtlMs, { retryCount: 0 });
  } catch (error) {
    if (error instanceof ExecutionError) return { status: "skipped", reason: error.message };
    throw error;
  }
  let queued = 0;
  let empty = 0;
  try {
    for (let batch = 0; ; batch += 1) {
      // A process that stalled since the last renewal may find its lock gone: another replica owns the round now.
      if (Date.now() >= lock.expiration) return { status: "lock-lost", queued, empty };
      if (batch > 0) {
        try {
          lock = await lock.extend(deps.lockTtlMs);
        } catch (error) {
          if (error instanceof ExecutionError) return { status: "lock-lost", queued, empty };
          throw error;
        }
      }
      const request = todo.ClaimDueSummariesRequest.fromPartial({ asOfMs: deps.now().getTime(), limit: SUMMARY_BATCH });
      const claimed = await callUnary(deps.client.claimDueSummaries.bind(deps.client), request, {
        deadlineMs: CLAIM_DEADLINE_MS,
        correlationId: `summaries:${request.asOfMs}`,
      });
      queued += claimed.queued;
      empty += claimed.empty;
      if (!claimed.moreDue) return { status: "ran", queued, empty };
    }
  } finally {
    // A lock that expired or was taken over is not ours to release; it lapses on its own.
    await lock.release().catch(() => undefined);
  }
}
