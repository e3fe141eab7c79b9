import { randomUUID } from "node:crypto";
import { orderAsListed } from "@sms-todo/command-language/matching";
import { isKnownTimezone } from "@sms-todo/shared";
import type { Databases } from "../databases/databases.js";
import { enqueueReplyRequested } from "../outbox/outbox.repository.js";
import { listOpenTodos } from "../todos/todo.repository.js";
import type { UserClock } from "../todos/todo-due.js";
import { todoItemsOf } from "../todos/todo-item.js";
import { timezoneOfPhoneNumber } from "../users/phone-timezone.js";
import { lockUserById } from "../users/user.repository.js";
import { enterUserScope } from "../users/user-scope.repository.js";
import { insertSummaryClaim, listSummaryCandidates, type SummaryCandidate } from "./summary-claim.repository.js";
import { dueSummaryDate } from "./summary-schedule.js";

export interface ClaimSummariesDeps {
  databases: Databases;
  replyRoutingKey: string;
  /** Wakes the outbox relay after a summary was committed. */
  onOutboxWrite?: () => void;
}

export interface ClaimedSummaries {
  queued: number;
  empty: number;
  /** More users were due than the limit allowed; call again. */
  moreDue: boolean;
}

type ClaimResult = "queued" | "empty" | "taken";

/**
 * Claims the daily summaries due at `asOf`, at most `limit` of them. Each user's claim is one
 * transaction under the user's lock: the claim row (user, local date) and, when the list is
 * not empty, the ReplyRequested event that sends it. A second caller, or a second call, finds
 * the row and queues nothing, so each user gets at most one summary per local date.
 */
export async function claimDueSummaries(deps: ClaimSummariesDeps, asOf: Date, limit: number): Promise<ClaimedSummaries> {
  const due: Array<{ candidate: SummaryCandidate; timezone: string; localDate: string }> = [];
  for (const candidate of await listSummaryCandidates(deps.databases.todo)) {
    // A zone this runtime's time zone data lacks (set under another image) must not stop everyone's round.
    const timezone =
      candidate.timezone !== null && isKnownTimezone(candidate.timezone)
        ? candidate.timezone
        : timezoneOfPhoneNumber(candidate.phoneNumber);
    const localDate = dueSummaryDate({ ...candidate, timezone }, asOf);
    if (localDate !== undefined) due.push({ candidate, timezone, localDate });
  }
  const counts: ClaimedSummaries = { queued: 0, empty: 0, moreDue: due.length > limit };
  for (const { candidate, timezone, localDate } of due.slice(0, limit)) {
    const result = await claimSummary(deps, candidate, { now: asOf, timezone }, localDate);
    if (result === "queued") counts.queued += 1;
    if (result === "empty") counts.empty += 1;
  }
  if (counts.queued > 0) deps.onOutboxWrite?.();
  return counts;
}

async function claimSummary(
  deps: ClaimSummariesDeps,
  candidate: SummaryCandidate,
  clock: UserClock,
  localDate: string,
): Promise<ClaimResult> {
  const { timezone } = clock;
  return deps.databases.todo.transaction().execute(async (trx) => {
    const user = await lockUserById(trx, candidate.userId);
    // Opted out or switched off since the candidates were read: nothing is due any more.
    if (user.opted_out || user.summary_time === null) return "taken";
    await enterUserScope(trx, user.id);
    const todos = await listOpenTodos(trx, user.id);
    const replyEventId = todos.length > 0 ? randomUUID() : null;
    const claimed = await insertSummaryClaim(trx, {
      userId: user.id,
      localDate,
      timezone,
      todoCount: todos.length,
      replyEventId,
    });
    if (!claimed) return "taken";
    if (replyEventId === null) return "empty";
    await enqueueReplyRequested(trx, deps.replyRoutingKey, {
      replyEventId,
      phoneNumber: user.phone_number,
      // Correlates this summary in every log line: one per user and date, and no phone number in it.
      messageId: `summary:${localDate}:${user.id}`,
      // In the order a list reply shows them: the default list, then each named list.
      outcome: { kind: "summary", todos: orderAsListed(todoItemsOf(todos, clock)), localDate, timezone },
    });
    return "queued";
  });
}
