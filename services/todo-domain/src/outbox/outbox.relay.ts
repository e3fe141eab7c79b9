import type { Kysely } from "kysely";
import { createPollingRelay, runWithCorrelation, type AmqpBroker, type Logger } from "@sms-todo/shared";
import type { TodoSchema } from "../databases/todo/todo.schema.js";
import { lockUnpublished, markPublished } from "./outbox.repository.js";

export interface OutboxRelayOptions {
  db: Kysely<TodoSchema>;
  broker: AmqpBroker;
  exchange: string;
  logger: Logger;
  /** Safety net for events committed by another replica or before a crash. */
  pollIntervalMs?: number;
  batchSize?: number;
}

export interface OutboxRelay {
  /** Drains at once, then keeps polling; never throws (a failed drain is retried on the next poll). */
  start(): Promise<void>;
  /** Asks for a drain soon; called right after an event was committed. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Publishes committed outbox events to RabbitMQ with confirms, oldest first, and marks
 * them published in the same transaction that locked them. A crash between confirm and
 * commit publishes an event twice; consumers dedupe by event id.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, broker, exchange } = options;
  const log = options.logger.child({ component: "outbox-relay" });
  const batchSize = options.batchSize ?? 100;

  /** One batch, all published or none marked. Resolves whether it was full, so more may wait. */
  async function relayBatch(): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const rows = await lockUnpublished(trx, batchSize);
      // Each event is published as its own message's work: its correlation id, its own publish span.
      await Promise.all(
        rows.map((row) => {
          const correlationId = row.correlation_id ?? undefined;
          return runWithCorrelation(correlationId, () =>
            broker.publish(exchange, row.routing_key, row.payload, {
              messageId: row.event_id,
              type: row.message_type,
              correlationId,
            }),
          );
        }),
      );
      await markPublished(
        trx,
        rows.map((row) => row.id),
      );
      return rows.length === batchSize;
    });
  }

  return createPollingRelay({
    name: "outbox relay",
    relayBatch,
    onPassFailed: (error) => log.warn({ err: error }, "outbox drain failed; retrying on the next poll"),
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
  });
}
