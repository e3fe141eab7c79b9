import type { Databases } from "../databases/databases.js";
import { appendAuditEvents, removeAuditEvents } from "../audit/audit-event.repository.js";
import { forgetProcessedCommand } from "../idempotency/processed-command.repository.js";
import { enqueueReplyRequested } from "../outbox/outbox.repository.js";
import { decodeOutcome } from "../outcomes/outcome.codec.js";
import { revertChange, type RevertPlan } from "../todos/todo-revert.js";
import { lockUserById } from "../users/user.repository.js";
import { enterUserScope } from "../users/user-scope.repository.js";
import { removeTranscript, storeTranscript } from "../voice-notes/transcript.repository.js";
import { transitionSaga, type SagaLogRow } from "./saga-log.repository.js";
import type { ChangeSagaPayload, SagaDeps, SagaStep } from "./saga.types.js";

/** A change saga whose "applied" step is committed. */
export interface ChangeSaga {
  sagaId: string;
  kind: string;
  payload: ChangeSagaPayload;
}

/** How a saga run by its caller ended; compensated carries the failure that rolled it back. */
export type ChangeSagaResult = { status: "completed" } | { status: "compensated"; error: unknown };

/** A step after "applied": both its effect and its compensation are idempotent. */
export interface ChangeSagaStep {
  step: SagaStep;
  run(): Promise<void>;
  compensate(): Promise<void>;
}

/**
 * Carries a command's change across the todo, transcription and audit databases:
 *   1. applied:     committed before the saga runs, by the command transaction
 *                   (commands/command.transaction.ts): the change, its idempotency record and
 *                   the saga log entry, under the user lock;
 *   2. transcribed: a voice note's transcript in the transcription database (by saga id);
 *   3. audited:     one audit event per change (by event id);
 *   4. finished:    saga completed and the reply event in the outbox, in one transaction.
 * Each step pushes its compensation before it runs; a failure pops them in reverse (audit
 * events and transcript removed), then reverts the change and releases the idempotency key.
 * A saga interrupted by a crash is finished by the recovery sweeper with these same steps.
 */
export async function runChangeSaga(deps: SagaDeps, saga: ChangeSaga): Promise<ChangeSagaResult> {
  const { sagaId, kind, payload } = saga;
  const compensations: Array<() => Promise<void>> = [];
  try {
    for (const step of changeSagaSteps(deps.databases, sagaId, payload)) {
      await deps.beforeStep?.(step.step, sagaId);
      // Pushed first: a step that failed on the way back may still have committed.
      compensations.push(() => step.compensate());
      await step.run();
    }
    await deps.beforeStep?.("finished", sagaId);
    await finishChangeSaga(deps, sagaId, payload);
    return { status: "completed" };
  } catch (error) {
    deps.logger.warn({ err: error, sagaId, kind }, "saga failed, compensating");
    const compensated = await compensateChangeSaga(deps, sagaId, payload, "running", compensations);
    // Not compensated: the recovery sweeper finished the saga meanwhile.
    return compensated ? { status: "compensated", error } : { status: "completed" };
  }
}

/** The steps between "applied" and "finished", in order. */
export function changeSagaSteps(databases: Databases, sagaId: string, payload: ChangeSagaPayload): ChangeSagaStep[] {
  const { transcript } = payload;
  return [
    {
      step: "transcribed",
      run: async () => {
        if (transcript) await storeTranscript(databases.transcription, { sagaId, userId: payload.userId }, transcript);
      },
      compensate: async () => {
        if (transcript) await removeTranscript(databases.transcription, sagaId);
      },
    },
    {
      step: "audited",
      run: () =>
        appendAuditEvents(databases.audit, { sagaId, messageId: payload.messageId, userId: payload.userId }, payload.auditEvents),
      compensate: () =>
        removeAuditEvents(
          databases.audit,
          payload.auditEvents.map((event) => event.eventId),
        ),
    },
  ];
}

/** The "finished" step; false when the saga was no longer running (finished or compensated elsewhere). */
export async function finishChangeSaga(deps: SagaDeps, sagaId: string, payload: ChangeSagaPayload): Promise<boolean> {
  const reply = payload.reply !== false;
  const finished = await deps.databases.todo.transaction().execute(async (trx) => {
    if (!(await transitionSaga(trx, sagaId, "running", "completed", "finished"))) return false;
    if (reply) {
      await enqueueReplyRequested(trx, deps.replyRoutingKey, {
        replyEventId: payload.replyEventId,
        phoneNumber: payload.phoneNumber,
        messageId: payload.messageId,
        outcome: decodeOutcome(Buffer.from(payload.outcome, "base64")),
      });
    }
    return true;
  });
  if (finished && reply) deps.onOutboxWrite?.();
  return finished;
}

/**
 * Undoes the saga's effects in reverse order: the given compensations (those of the steps
 * that were started), then the "applied" step, the change itself with its idempotency record.
 * False when the saga was no longer `from`.
 */
export async function compensateChangeSaga(
  deps: SagaDeps,
  sagaId: string,
  payload: ChangeSagaPayload,
  from: "running" | "compensating",
  compensations: Array<() => Promise<void>>,
): Promise<boolean> {
  if (from === "running" && !(await transitionSaga(deps.databases.todo, sagaId, "running", "compensating", "compensating")))
    return false;
  for (const compensate of [...compensations].reverse()) await compensate();
  await deps.databases.todo.transaction().execute(async (trx) => {
    await lockUserById(trx, payload.userId);
    await enterUserScope(trx, payload.userId);
    if (!(await transitionSaga(trx, sagaId, "compensating", "compensated", "compensated"))) return;
    await revertChange(trx, payload.userId, payload.revert);
    await forgetProcessedCommand(trx, payload.idempotencyKey);
  });
  return true;
}

/** The payload a change saga logged, as the saga log returns it. */
export function changeSagaPayloadOf(saga: SagaLogRow): ChangeSagaPayload {
  return saga.payload as ChangeSagaPayload;
}

/** How a change recorded in the saga log is taken back ("undo" reads it). */
export function revertPlanOf(saga: SagaLogRow): RevertPlan {
  return changeSagaPayloadOf(saga).revert;
}

/** The inbound message that started the saga: recovery runs under its correlation id. */
export function correlationIdOf(saga: SagaLogRow): string | undefined {
  return (saga.payload as Partial<ChangeSagaPayload>).messageId || undefined;
}
