import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import { AppError } from "@sms-todo/shared";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";
import { findProcessedCommand, recordProcessedCommand } from "../idempotency/processed-command.repository.js";
import { enqueueReplyRequested } from "../outbox/outbox.repository.js";
import { decodeOutcome, encodeOutcome } from "../outcomes/outcome.codec.js";
import type { Outcome } from "../outcomes/outcome.types.js";
import { runChangeSaga } from "../sagas/change.saga.js";
import { insertSaga, sagaStatusOf } from "../sagas/saga-log.repository.js";
import type { ChangeSagaPayload, SagaOutcome } from "../sagas/saga.types.js";
import { rememberNamedTodo } from "../todos/todo-reference.js";
import { lockUserByPhone } from "../users/user.repository.js";
import { enterUserScope } from "../users/user-scope.repository.js";
import type { Change, CommandContext, CommandDeps, CommandResult } from "./command.types.js";

/** What a use case does inside the command transaction, as the sender whose row is locked. */
export type ApplyChange = (trx: Transaction<TodoSchema>, user: User, sagaId: string) => Promise<Change>;

/** The command transaction's result, before any saga runs. */
type Applied =
  | { duplicate: true; outcome: Outcome }
  | { duplicate: false; outcome: Outcome; replied: boolean; saga: ChangeSagaPayload | undefined };

/**
 * Runs one command of a sender; every use case goes through here, reads included. One
 * todo-database transaction:
 *   - locks the sender's user row (created on first contact), so one user's commands run one
 *     at a time, and confines the rest of the transaction to that user's rows (row security);
 *   - returns the recorded outcome, changing nothing, for an idempotency key used before;
 *   - else applies the use case's change and records its outcome under the key, remembering
 *     the todo the reply names for "it" (todos/todo-reference.ts);
 *   - decides the reply: none for an opted-out sender, whatever the command (SPEC section 1),
 *     nor for an outcome the carrier answers itself.
 * A command that changes nothing is that transaction alone, its reply queued in it. One that
 * changes something also logs a change saga in it (the "applied" step), which then carries
 * the change to the transcription and audit databases (sagas/change.saga.ts). A saga that had
 * to be rolled back is reported as UNAVAILABLE, so the message is retried.
 */
export async function runCommand(
  deps: CommandDeps,
  kind: string,
  context: CommandContext,
  apply: ApplyChange,
): Promise<CommandResult> {
  const startedAt = performance.now();
  let outcome: SagaOutcome = "failed";
  try {
    return await runCommandSteps(deps, kind, context, apply, (reached) => (outcome = reached));
  } finally {
    deps.onSagaEnd?.({ kind, outcome, durationSeconds: (performance.now() - startedAt) / 1000 });
  }
}

/** runCommand's work; `reach` is told the outcome just before it returns or rethrows. */
async function runCommandSteps(
  deps: CommandDeps,
  kind: string,
  context: CommandContext,
  apply: ApplyChange,
  reach: (outcome: SagaOutcome) => void,
): Promise<CommandResult> {
  const sagaId = randomUUID();
  const replyEventId = randomUUID();
  await deps.beforeStep?.("applied", sagaId);
  const applied = await deps.databases.todo
    .transaction()
    .execute((trx) => applyInTransaction(trx, deps, { sagaId, kind, replyEventId }, context, apply));

  if (applied.duplicate) {
    reach("duplicate");
    return { outcome: applied.outcome, duplicate: true };
  }
  if (!applied.saga) {
    if (applied.replied) deps.onOutboxWrite?.();
    reach("unchanged");
    return { outcome: applied.outcome, duplicate: false };
  }
  const ended = await runChangeSaga(deps, { sagaId, kind, payload: applied.saga });
  reach(ended.status);
  if (ended.status === "compensated")
    throw new AppError("UNAVAILABLE", `the change could not be completed and was rolled back (saga ${sagaId})`, {
      cause: ended.error,
    });
  return { outcome: applied.outcome, duplicate: false };
}

async function applyInTransaction(
  trx: Transaction<TodoSchema>,
  deps: CommandDeps,
  ids: { sagaId: string; kind: string; replyEventId: string },
  context: CommandContext,
  apply: ApplyChange,
): Promise<Applied> {
  const { sagaId, kind, replyEventId } = ids;
  const user = await lockUserByPhone(trx, context.phoneNumber);
  await enterUserScope(trx, user.id);
  const previous = await findProcessedCommand(trx, context.idempotencyKey);
  if (previous) {
    if (previous.userId !== user.id) throw new AppError("PERMISSION_DENIED", "idempotency key belongs to another sender");
    // A change being rolled back will release its key: the message is not a duplicate but early.
    // Answered as a duplicate it would be acked, and then rolled back with no reply: lost.
    if (previous.sagaId !== null && (await sagaStatusOf(trx, previous.sagaId)) === "compensating") {
      throw new AppError("UNAVAILABLE", `the first delivery's change is still being rolled back (saga ${previous.sagaId})`);
    }
    return { duplicate: true, outcome: decodeOutcome(previous.outcome) };
  }
  const change = await apply(trx, user, sagaId);
  // The reply about to be queued decides what "it" means in the user's next message.
  await rememberNamedTodo(trx, user.id, change.outcome, context.receivedAt);
  const reply = change.reply !== false && !(change.optedOut ?? user.opted_out);
  const outcomeBytes = encodeOutcome(change.outcome);
  const needsSaga = change.auditEvents.length > 0 || change.transcript !== undefined;
  await recordProcessedCommand(trx, {
    idempotencyKey: context.idempotencyKey,
    userId: user.id,
    sagaId: needsSaga ? sagaId : null,
    outcome: outcomeBytes,
  });
  if (!needsSaga) {
    // Nothing changed (a read, or only unknown numbers): one transaction is the whole story.
    if (reply) {
      await enqueueReplyRequested(trx, deps.replyRoutingKey, {
        replyEventId,
        phoneNumber: context.phoneNumber,
        messageId: context.messageId,
        outcome: change.outcome,
      });
    }
    return { duplicate: false, outcome: change.outcome, replied: reply, saga: undefined };
  }
  const payload: ChangeSagaPayload = {
    userId: user.id,
    phoneNumber: context.phoneNumber,
    messageId: context.messageId,
    idempotencyKey: context.idempotencyKey,
    auditEvents: change.auditEvents,
    outcome: Buffer.from(outcomeBytes).toString("base64"),
    replyEventId,
    revert: change.revert,
    transcript: change.transcript,
    reply,
  };
  await insertSaga(trx, { sagaId, kind, userId: user.id, step: "applied", payload });
  return { duplicate: false, outcome: change.outcome, replied: false, saga: payload };
}
