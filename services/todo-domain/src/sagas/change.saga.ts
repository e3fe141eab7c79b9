import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { todo, messaging } from "@sms-todo/contracts";
import { AppError, type Logger } from "@sms-todo/shared";
import type { TodoSchema, User } from "../databases/todo/todo.schema.js";
import type { Databases } from "../databases/databases.js";
import { appendAuditEvents, removeAuditEvents, type AuditEventDraft } from "../audit/audit-event.repository.js";
import {
  findProcessedCommand,
  forgetProcessedCommand,
  recordProcessedCommand,
} from "../commands/processed-command.repository.js";
import { lockUserByPhone } from "../users/user.repository.js";
import { enqueueOutboxEvent } from "../outbox/outbox.repository.js";
import { revertChange, type RevertPlan } from "../todos/todo-revert.js";
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
  /** One per changed todo; empty when nothing changed (then no saga is needed). */
  auditEvents: AuditEventDraft[];
  revert: RevertPlan;
}

export interface CommandResult {
  outcome: todo.Outcome;
  duplicate: boolean;
}

/** Step boundaries of a change saga, in order; tests inject faults at each. */
export type SagaStep = "applied" | "audited" | "finished";

export interface SagaDeps {
  databases: Databases;
  logger: Logger;
  replyRoutingKey: string;
  /** Called before each step; a test hook that may throw to interrupt the saga there. */
  beforeStep?: (step: SagaStep, sagaId: string) => Promise<void>;
  /** Wakes the outbox relay after a reply was committed. */
  onOutboxWrite?: () => void;
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
}

/**
 * Runs a command that changes todos as a saga across the todo and audit databases:
 *   1. applied:  in one todo-database transaction, the change, its idempotency record and
 *                the saga log entry;
 *   2. audited:  one audit event per change, written idempotently (event ids);
 *   3. finished: saga completed and the reply event in the outbox, in one transaction.
 * A failure while the caller waits is compensated in reverse (audit events removed, the
 * change reverted, the idempotency key released) and reported as UNAVAILABLE so the
 * message is retried. A saga interrupted by a crash is rolled forward by the recovery
 * sweeper, since each remaining step is idempotent.
 */
export async function runChangeSaga(
  deps: SagaDeps,
  kind: string,
  context: CommandContext,
  apply: (trx: Transaction<TodoSchema>, user: User) => Promise<Change>,
): Promise<CommandResult> {
  const sagaId = randomUUID();
  const replyEventId = randomUUID();
  await deps.beforeStep?.("applied", sagaId);
  const first = await deps.databases.todo.transaction().execute(async (trx) => {
    const user = await lockUserByPhone(trx, context.phoneNumber);
    const previous = await findProcessedCommand(trx, context.idempotencyKey);
    if (previous) {
      if (previous.userId !== user.id) throw new AppError("PERMISSION_DENIED", "idempotency key belongs to another sender");
      return { duplicate: true as const, outcome: todo.Outcome.decode(previous.outcome) };
    }
    const change = await apply(trx, user);
    const outcomeBytes = todo.Outcome.encode(change.outcome).finish();
    const needsSaga = change.auditEvents.length > 0;
    await recordProcessedCommand(trx, {
      idempotencyKey: context.idempotencyKey,
      userId: user.id,
      sagaId: needsSaga ? sagaId : null,
      outcome: outcomeBytes,
    });
    if (!needsSaga) {
      // Nothing changed (a read, or only unknown numbers): one transaction is the whole story.
      await enqueueReply(trx, deps.replyRoutingKey, {
        replyEventId,
        phoneNumber: context.phoneNumber,
        messageId: context.messageId,
        outcome: change.outcome,
      });
      return { duplicate: false as const, outcome: change.outcome, saga: undefined };
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
    };
    await insertSaga(trx, { sagaId, kind, step: "applied", payload });
    return { duplicate: false as const, outcome: change.outcome, saga: payload };
  });

  if (first.duplicate) return { outcome: first.outcome, duplicate: true };
  if (!first.saga) {
    deps.onOutboxWrite?.();
    return { outcome: first.outcome, duplicate: false };
  }

  const payload = first.saga;
  try {
    await deps.beforeStep?.("audited", sagaId);
    await writeAudit(deps.databases, sagaId, payload);
    await deps.beforeStep?.("finished", sagaId);
    await finishSaga(deps, sagaId, payload);
  } catch (error) {
    deps.logger.warn({ err: error, sagaId, kind }, "saga failed, compensating");
    const compensated = await compensateSaga(deps, sagaId, payload, "running");
    if (!compensated) return { outcome: first.outcome, duplicate: false }; // recovery finished it meanwhile
    throw new AppError("UNAVAILABLE", `the change could not be completed and was rolled back (saga ${sagaId})`, { cause: error });
  }
  return { outcome: first.outcome, duplicate: false };
}

async function writeAudit(databases: Databases, sagaId: string, payload: ChangeSagaPayload): Promise<void> {
  await appendAuditEvents(databases.audit, { sagaId, messageId: payload.messageId, userId: payload.userId }, payload.auditEvents);
}

async function finishSaga(deps: SagaDeps, sagaId: string, payload: ChangeSagaPayload): Promise<boolean> {
  const finished = await deps.databases.todo.transaction().execute(async (trx) => {
    if (!(await transitionSaga(trx, sagaId, "running", "completed", "finished"))) return false;
    await enqueueReply(trx, deps.replyRoutingKey, {
      replyEventId: payload.replyEventId,
      phoneNumber: payload.phoneNumber,
      messageId: payload.messageId,
      outcome: todo.Outcome.decode(Buffer.from(payload.outcome, "base64")),
    });
    return true;
  });
  if (finished) deps.onOutboxWrite?.();
  return finished;
}

/** Undoes the saga's effects in reverse order; false when the saga was no longer `from`. */
async function compensateSaga(
  deps: SagaDeps,
  sagaId: string,
  payload: ChangeSagaPayload,
  from: "running" | "compensating",
): Promise<boolean> {
  if (from === "running" && !(await transitionSaga(deps.databases.todo, sagaId, "running", "compensating", "compensating")))
    return false;
  // Removing events that were never written is harmless, so this runs whether or not the audit step was reached.
  await removeAuditEvents(
    deps.databases.audit,
    payload.auditEvents.map((event) => event.eventId),
  );
  await deps.databases.todo.transaction().execute(async (trx) => {
    if (!(await transitionSaga(trx, sagaId, "compensating", "compensated", "compensated"))) return;
    await revertChange(trx, payload.userId, payload.revert);
    await forgetProcessedCommand(trx, payload.idempotencyKey);
  });
  return true;
}

/**
 * Finishes or compensates one stalled saga. Running sagas roll forward (their remaining
 * steps are idempotent); compensating ones finish compensating.
 */
export async function recoverSaga(deps: SagaDeps, saga: SagaLogRow): Promise<"completed" | "compensated" | "skipped"> {
  const payload = saga.payload as ChangeSagaPayload;
  if (saga.status === "compensating") {
    await compensateSaga(deps, saga.saga_id, payload, "compensating");
    return "compensated";
  }
  await writeAudit(deps.databases, saga.saga_id, payload);
  return (await finishSaga(deps, saga.saga_id, payload)) ? "completed" : "skipped";
}

async function enqueueReply(
  db: Kysely<TodoSchema> | Transaction<TodoSchema>,
  routingKey: string,
  reply: { replyEventId: string; phoneNumber: string; messageId: string; outcome: todo.Outcome },
): Promise<void> {
  const event = messaging.ReplyRequested.encode({
    eventId: reply.replyEventId,
    phoneNumber: reply.phoneNumber,
    messageId: reply.messageId,
    outcome: reply.outcome,
    occurredAtMs: Date.now(),
  }).finish();
  await enqueueOutboxEvent(db, {
    event_id: reply.replyEventId,
    routing_key: routingKey,
    message_type: "messaging.v1.ReplyRequested",
    payload: Buffer.from(event),
    correlation_id: reply.messageId,
  });
}
