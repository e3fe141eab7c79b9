import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { isAppError } from "../errors/app-error.js";
import type { Delivery, DeliveryHandler } from "../messaging/queue.consumer.js";
import { deadLetterQueueOf } from "../messaging/topology.js";

/** A queue's counts as RabbitMQ reports them (queue.declare-ok of a passive declare). */
export interface QueueCounts {
  queue: string;
  /** Ready messages: neither delivered nor unacknowledged. */
  messageCount: number;
  consumerCount: number;
}

/** What the depth gauges ask; AmqpBroker is one. */
export interface QueueInspector {
  /** Throws, or answers fewer queues, when the broker cannot be asked now. */
  checkQueues(queues: readonly string[]): Promise<QueueCounts[]>;
  /** The delay queues failed messages wait in for their next attempt, shared by every work queue. */
  retryQueues?(): readonly string[];
}

export interface QueueMetrics {
  /**
   * Wraps a consumer's handler: counts and times its deliveries, remembers the ones in flight for
   * the oldest-message age, and adds the queue and its dead-letter queue to the depth gauges.
   */
  observe(queue: string, handler: DeliveryHandler): DeliveryHandler;
}

/** What the broker does with a delivery once the handler is done; see QueueConsumer (messaging/queue.consumer.ts). */
type DeliveryOutcome = "acked" | "retried" | "rejected";

export function createQueueMetrics(registry: Registry, broker: QueueInspector, now: () => number = Date.now): QueueMetrics {
  const inFlight = new Map<string, Set<{ publishedAt: number }>>();
  let counting: Promise<QueueCounts[] | undefined> | undefined;
  // Both depth gauges are collected in the same scrape: one passive declare per queue serves them.
  const counts = () =>
    (counting ??= broker
      .checkQueues([
        ...[...inFlight.keys()].flatMap((queue) => [queue, deadLetterQueueOf(queue)]),
        ...(inFlight.size > 0 ? (broker.retryQueues?.() ?? []) : []),
      ])
      .catch(() => undefined)
      .finally(() => {
        counting = undefined;
      }));

  new Gauge({
    name: "sms_todo_queue_messages",
    help:
      "Messages ready in the queue, in its dead-letter queue (<queue>.dead) and in the delay queues of retries " +
      "(sms-todo.retry.<delay>ms, shared by all queues), as RabbitMQ counts them when scraped.",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      const found = await counts();
      // Unknown while the broker is unreachable: no sample rather than a stale one.
      this.reset();
      for (const { queue, messageCount } of found ?? []) this.set({ queue }, messageCount);
    },
  });
  new Gauge({
    name: "sms_todo_queue_consumers",
    help: "Consumers attached to the queue, all replicas together, as RabbitMQ counts them when scraped.",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      const found = await counts();
      this.reset();
      for (const { queue, consumerCount } of found ?? []) if (inFlight.has(queue)) this.set({ queue }, consumerCount);
    },
  });
  new Gauge({
    name: "sms_todo_queue_oldest_message_age_seconds",
    help:
      "Age of the oldest message this process holds unacknowledged, from its publish time (whole seconds); " +
      "with a backlog, the head of the queue. 0 when it holds none.",
    labelNames: ["queue"],
    registers: [registry],
    collect() {
      const at = now();
      for (const [queue, held] of inFlight) {
        let oldest = at;
        for (const { publishedAt } of held) oldest = Math.min(oldest, publishedAt);
        this.set({ queue }, Math.max(0, at - oldest) / 1000);
      }
    },
  });
  const deliveries = new Counter({
    name: "sms_todo_queue_deliveries_total",
    help:
      "Deliveries handled, by what happened to them: acked, retried (handed back with back-off) or rejected " +
      "(dead-lettered: not retryable, or its last attempt failed).",
    labelNames: ["queue", "outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "sms_todo_queue_delivery_duration_seconds",
    help: "Time the handler spent on one delivery, back-off before a retry not included.",
    labelNames: ["queue"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });

  return {
    observe(queue, handler) {
      const held = inFlight.get(queue) ?? new Set();
      inFlight.set(queue, held);
      // Series exist from the start, so a first failure is an increase from 0 that rate() sees.
      for (const outcome of ["acked", "retried", "rejected"] satisfies DeliveryOutcome[]) deliveries.inc({ queue, outcome }, 0);
      duration.zero({ queue });
      return async (delivery: Delivery) => {
        // A message published without a timestamp counts from its arrival here: an age that is a lower bound.
        const entry = { publishedAt: delivery.publishedAt ?? now() };
        held.add(entry);
        const stopTimer = duration.startTimer({ queue });
        let outcome: DeliveryOutcome = "acked";
        try {
          await handler(delivery);
        } catch (error) {
          const retryable = !isAppError(error) || error.retryable;
          outcome = retryable && !delivery.lastAttempt ? "retried" : "rejected";
          throw error;
        } finally {
          held.delete(entry);
          stopTimer();
          deliveries.inc({ queue, outcome });
        }
      };
    },
  };
}
