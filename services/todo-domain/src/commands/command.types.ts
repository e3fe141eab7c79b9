import type { AuditEventDraft } from "../audit/audit-event.repository.js";
import type { Outcome } from "../outcomes/outcome.types.js";
import type { SagaDeps } from "../sagas/saga.types.js";
import type { RevertPlan } from "../todos/todo-revert.js";
import type { TranscriptDraft } from "../voice-notes/transcript.repository.js";

/**
 * What every use case runs with: the databases, where replies go, and the hooks of the saga a
 * change may start (all of which the command transaction uses too).
 */
export type CommandDeps = SagaDeps;

/** Who asked and for which message; validated by the gRPC edge. */
export interface CommandContext {
  phoneNumber: string;
  idempotencyKey: string;
  messageId: string;
  /** When ingress accepted the message (todo-domain's clock when the caller did not say): time words are read from it. */
  receivedAt: Date;
}

/** What a use case did inside the command transaction. */
export interface Change {
  outcome: Outcome;
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
  outcome: Outcome;
  duplicate: boolean;
}
