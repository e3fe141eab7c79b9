import type { Logger } from "@sms-todo/shared";
import type { AuditEventDraft } from "../audit/audit-event.repository.js";
import type { Databases } from "../databases/databases.js";
import type { RevertPlan } from "../todos/todo-revert.js";
import type { TranscriptDraft } from "../voice-notes/transcript.repository.js";

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
export interface ChangeSagaPayload {
  userId: number;
  phoneNumber: string;
  messageId: string;
  idempotencyKey: string;
  auditEvents: AuditEventDraft[];
  /** The encoded todo.v1.Outcome, base64: the reply sent once the saga finishes. */
  outcome: string;
  replyEventId: string;
  revert: RevertPlan;
  transcript?: TranscriptDraft;
  /** Decided when the change was applied: false for opted-out senders and subscription changes. Absent means true. */
  reply?: boolean;
}
