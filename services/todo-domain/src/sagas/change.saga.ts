import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import { todo } from "@sms-todo/contracts";
import { AppError, type Logger } from "@sms-todo/shared";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";
import type { Databases } from "../databases/databases.js";
import { appendAuditEvents, removeAuditEvents, type AuditEventDraft } from "../audit/audit-event.repository.js";
import {
  findProcessedCommand,
  forgetProcessedCommand,
  recordProcessedCommand,
} from "../idempotency/processed-command.repository.js";
import { lockUserById, lockUserByPhone } from "../users/user.repository.js";
import { enterUserScope } from "../users/user-scope.repository.js";
import { enqueueReplyRequested } from "../outbox/outbox.repository.js";
import { revertChange, type RevertPlan } from "../todos/todo-revert.js";
import { removeTranscript, storeTranscript, type TranscriptDraft } from "../voice-notes/transcript.repository.js";
import { insertSaga, transitionSaga, type SagaLogRow } from "./saga-log.repository.js";

/** Who asked and for which message; validated by the gRPC edge. */
export interface CommandContext {
  phoneNumber: string;
  idempotencyKey: string;
  messageId: string;
}

/** What a use case did inside the todo transaction. */
export interface Change {
  outcome: todo.Outcome;
  /** One per changed todo or setting; empty when nothing changed. */
  auditEvents: AuditEventDraft[];
  revert: RevertPlan;
  /** A voice note's transcript, stored in the transcription database by the saga's "transcribed" step. */
  transcript?: TranscriptDraft;
  /** The sender's opt-out state after this change, when the change set it. */
  optedOut?: boolean;
  /** False when the outcome is never sent as a reply (the carrier answers opt-out keywords itself). */
  reply?: boolean;
}

export interface CommandResult {
  outcome: todo.Outcome;
  duplicate: boolean;
}

/** Step boundaries of a change saga, in order; tests inject faults at each. */
export const SAGA_STEPS = ["applied", "transcribed", "audited", "finished"] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

/**
 * How a change ended, as the caller saw it: completed, compensated (rolled back, the message is
 * retried), unchanged (nothing to record, so no saga), duplicate (the idempotency key was used
 * before) or failed (an error before the saga began, or while compensating). The recovery sweeper
 * reports the sagas it finished as recovered_completed or recovered_compensated.
 */
export type SagaOutcome =
  "completed" | "compensated" | "unchanged" | "duplicate" | "failed" | "recovered_completed" | "recovered_compensated";

/** One change at its end; recovered sagas count from when the saga began. */
export interface SagaEnd {
  kind: string;
  outcome: SagaOutcome;
  durationSeconds: number;
}

export interface SagaDeps {
  databases: Databases;
  logger: Logger;
  replyRoutingKey: string;
  /** Called before each step; a test hook that may throw to interrupt the saga there. */
  beforeStep?: (step: SagaStep, sagaId: string) => Promise<void>;
  /** Wakes the outbox relay after a reply was committed. */
  onOutboxWrite?: () => void;
  /** Told once per change as it ends, for metrics; must not throw. */
  onSagaEnd?: (end: SagaEnd) => void;
}

/** What the saga log keeps so that recovery can finish or compensate after a crash. */
interface ChangeSagaPayload {
  userId: number;
  phoneNumber: string;
  messageId: string;
  idempotencyKey: string;
  auditEvents: AuditEventDraft[];
  outcome: string;
  replyEventId: string;
  revert: RevertPlan;
  transcript?: TranscriptDraft;
  /** Decided when the change was applied: false for opted-out senders and subscription changes. Absent means true. */
  reply?: boolean;
}

/** How a change recorded in the saga log is taken back ("undo" reads it). */
export function revertPlanOf(saga: SagaLogRow): RevertPlan {
  return (saga.payload as ChangeSagaPayload).revert;
}

/** The inbound message that started the saga: recovery runs under its correlation id. */
export function correlationIdOf(saga: SagaLogRow): string | undefined {
  return (saga.payload as Partial<ChangeSagaPayload>).messageId || undefined;
}

/** A step after "applied": both its effect and its compensation are idempotent. */
interface ForwardStep {
  step: SagaStep;
  run(): Promise<void>;
  compensate(): Promise<void>;
}

/**
 * Runs a command as a saga across the todo, transcription and audit databases:
 *   1. applied:     in one todo-database transaction, under the user lock, the change, its
 *                   idempotency record and the saga log entry;
 *   2. transcribed: a voice note's transcript in the transcription database (by saga id);
 *   3. audited:     one audit event per change (by event id);
 *   4. finished:    saga completed and the reply event in the outbox, in one transaction.
 * Each step pushes its compensation before it runs; a failure while the caller waits pops
 * them in reverse (audit events and transcript removed), then reverts the change and
 * releases the idempotency key, and is reported as UNAVAILABLE so the message is retried.
 * A saga interrupted by a crash is rolled forward by the recovery sweeper, since each
 * remaining step is idempotent; one interrupted while compensating is compensated.
 * A command that changes nothing is the first transaction alone, with no saga.
 * An opted-out sender gets no reply, whatever the command (SPEC section 1).
 */
export async function runChangeSaga(
  deps: SagaDeps,
  kind: string,
  context: CommandContext,
  apply: (trx: Transaction<TodoSchema>, user: User, sagaId: string) => Promise<Change>,
): Promise<CommandResult> {
  const startedAt = performance.now();
  let outcome: SagaOutcome = "failed";
  try {
    return await runSaga(deps, kind, context, apply, (reached) => (outcome = reached));
  } finally {
    deps.onSagaEnd?.({ kind, outcome, durationSeconds: (performance.now() - startedAt) / 1000 });
  }
}

/** runChangeSaga's steps; `reach` is told the outcome just before the saga returns or rethrows. */
async function runSaga(
  deps: SagaDeps,
  kind: string,
  context: CommandContext,
  apply: (trx: Transaction<TodoSchema>, user: User, sagaId: string) => Promise<Change>,
  reach: (outcome: SagaOutcome) => void,
): Promise<CommandResult> {
  const sagaId = randomUUID();
  const replyEventId = randomUUID();
  await deps.beforeStep?.("applied", sagaId);
  const first = await deps.databases.todo.transaction().execute(async (trx) => {
    const user = await lockUserByPhone(trx, context.phoneNumber);
    await enterUserScope(trx, user.id);
    const previous = await findProcessedCommand(trx, context.idempotencyKey);
    if (previous) {
      if (previous.userId !== user.id) throw new AppError("PERMISSION_DENIED", "idempotency key belongs to another sender");
      return { duplicate: true as const, outcome: todo.Outcome.decode(previous.outcome) };
    }
    const change = await apply(trx, user, sagaId);
    const reply = change.reply !== false && !(change.optedOut ?? user.opted_out);
    const outcomeBytes = todo.Outcome.encode(change.outcome).finish();
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
      return { duplicate: false as const, outcome: change.outcome, replied: reply, saga: undefined };
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
    return { duplicate: false as const, outcome: change.outcome, replied: false, saga: payload };
  });

  if (first.duplicate) {
    reach("duplicate");
    return { outcome: first.outcome, duplicate: true };
  }
  if (!first.saga) {
    if (first.replied) deps.onOutboxWrite?.();
    reach("unchanged");
    return { outcome: first.outcome, duplicate: false };
  }

  const payload = first.saga;
  const compensations: Array<() => Promise<void>> = [];
  try {
    for (const step of forwardSteps(deps.databases, sagaId, payload)) {
      await deps.beforeStep?.(step.step, sagaId);
      // Pushed first: a step that failed on the way back may still have committed.
      compensations.push(() => step.compensate());
      await step.run();
    }
    await deps.beforeStep?.("finished", sagaId);
    await finishSaga(deps, sagaId, payload);
  } catch (error) {
    deps.logger.warn({ err: error, sagaId, kind }, "saga failed, compensating");
    const compensated = await compensateSaga(deps, sagaId, payload, "running", compensations);
    reach(compensated ? "compensated" : "completed");
    if (!compensated) return { outcome: first.outcome, duplicate: false }; // recovery finished it meanwhile
    throw new AppError("UNAVAILABLE", `the change could not be completed and was rolled back (saga ${sagaId})`, { cause: error });
  }
  reach("completed");
  return { outcome: first.outcome, duplicate: false };
}

function forwardSteps(databases: Databases, sagaId: string, payload: ChangeSagaPayload): ForwardStep[] {
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

async function finishSaga(deps: SagaDeps, sagaId: string, payload: ChangeSagaPayload): Promise<boolean> {
  const reply = payload.reply !== false;
  const finished = await deps.databases.todo.transaction().execute(async (trx) => {
    if (!(await transitionSaga(trx, sagaId, "running", "completed", "finished"))) return false;
    if (reply) {
      await enqueueReplyRequested(trx, deps.replyRoutingKey, {
        replyEventId: payload.replyEventId,
        phoneNumber: payload.phoneNumber,
        messageId: payload.messageId,
        outcome: todo.Outcome.decode(Buffer.from(payload.outcome, "base64")),
      });
    }
    return true;
  });
  if (finished && reply) deps.onOutboxWrite?.();
  return finished;
}

/**
 * Undoes the saga's effects in reverse order: the given compensations (those of the steps
 * that were started), then the change itself with its idempotency record. False when the
 * saga was no longer `from`.
 */
async function compensateSaga(
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

/**
 * Finishes or compensates one stalled saga. Running sagas roll forward (their remaining
 * steps are idempotent); compensating ones finish compensating, every step's compensation
 * included, since removing what was never written is harmless.
 */
export async function recoverSaga(deps: SagaDeps, saga: SagaLogRow): Promise<"completed" | "compensated" | "skipped"> {
  const result = await recoverStalledSaga(deps, saga);
  if (result !== "skipped") {
    const durationSeconds = Math.max(0, Date.now() - saga.created_at.getTime()) / 1000;
    deps.onSagaEnd?.({ kind: saga.kind, outcome: `recovered_${result}`, durationSeconds });
  }
  return result;
}

async function recoverStalledSaga(deps: SagaDeps, saga: SagaLogRow): Promise<"completed" | "compensated" | "skipped"> {
  const payload = saga.payload as ChangeSagaPayload;
  const steps = forwardSteps(deps.databases, saga.saga_id, payload);
  if (saga.status === "compensating") {
    await compensateSaga(
      deps,
      saga.saga_id,
      payload,
      "compensating",
      steps.map((step) => () => step.compensate()),
    );
    return "compensated";
  }
  for (const step of steps) await step.run();
  return (await finishSaga(deps, saga.saga_id, payload)) ? "completed" : "skipped";
}
