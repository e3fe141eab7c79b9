import type { Kysely } from "kysely";
import { runDetached, runWithCorrelation, type AmqpBroker, type Logger } from "@sms-todo/shared";
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
  start(): void;
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
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  async function drainOnce(): Promise<number> {
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
      return rows.length;
    });
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        while ((await drainOnce()) === batchSize && !stopped);
      } catch (error) {
        log.warn({ err: error }, "outbox drain failed; retrying on the next poll");
        return;
      }
    } while (again && !stopped);
  }

  function wake(): void {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    // A gRPC call usually wakes the relay; the drain serves every message's events, not that call's.
    draining = runDetached(drain).finally(() => {
      draining = undefined;
    });
  }

  return {
    start() {
      stopped = false;
      timer = setInterval(wake, options.pollIntervalMs ?? 1_000);
      wake();
    },
    wake,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await draining;
    },
  };
}
