import type { Kysely, Selectable, Transaction } from "kysely";
import { messaging } from "@sms-todo/contracts";
import type { NewOutboxRow, OutboxTable, TodoSchema } from "../databases/todo/todo.schema.js";
import { toOutcomeMessage } from "../outcomes/outcome.codec.js";
import type { Outcome } from "../outcomes/outcome.types.js";

type Db = Kysely<TodoSchema> | Transaction<TodoSchema>;
export type OutboxRow = Selectable<OutboxTable>;

export async function enqueueOutboxEvent(db: Db, event: Omit<NewOutboxRow, "published_at">): Promise<void> {
  await db
    .insertInto("outbox")
    .values({ ...event, published_at: null })
    .execute();
}

export interface ReplyToSend {
  replyEventId: string;
  phoneNumber: string;
  /** The inbound MessageSid answered, or another id that correlates the reply in logs. */
  messageId: string;
  outcome: Outcome;
}

/** Queues the ReplyRequested event from which the notifier sends the user an SMS. */
export async function enqueueReplyRequested(db: Db, routingKey: string, reply: ReplyToSend): Promise<void> {
  const event = messaging.ReplyRequested.encode({
    eventId: reply.replyEventId,
    phoneNumber: reply.phoneNumber,
    messageId: reply.messageId,
    outcome: toOutcomeMessage(reply.outcome),
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

/** Locks the oldest unpublished events; other relays skip them until this transaction ends. */
export async function lockUnpublished(trx: Transaction<TodoSchema>, limit: number): Promise<OutboxRow[]> {
  return trx
    .selectFrom("outbox")
    .selectAll()
    .where("published_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markPublished(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("outbox")
    .set({ published_at: new Date() })
    .where("id", "in", [...ids])
    .execute();
}
