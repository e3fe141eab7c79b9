import { describe, expect, it } from "vitest";
import { deferred } from "@sms-todo/testkit";
import { AppError } from "../src/errors/app-error.js";
import type { Delivery } from "../src/messaging/amqp-broker.js";
import { circuitStateValue, observeCircuitBreaker } from "../src/metrics/circuit-breaker.metrics.js";
import { createMetricsRegistry } from "../src/metrics/metrics.registry.js";
import { createQueueMetrics, type QueueCounts, type QueueInspector } from "../src/metrics/queue.metrics.js";

const delivery = (publishedAt?: number): Delivery => ({
  body: Buffer.alloc(0),
  messageId: "m1",
  type: undefined,
  correlationId: undefined,
  headers: {},
  deliveryCount: 0,
  lastAttempt: false,
  ...(publishedAt === undefined ? {} : { publishedAt }),
});

/** A sample's value from the text format, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("queue metrics", () => {
  it("when a delivery is in flight, then the oldest-message age counts from its publish time, and is 0 once it is done", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    let clock = 1_000_000;
    const metrics = createQueueMetrics(registry, { checkQueues: async () => [] }, () => clock);
    const release = deferred();
    const handler = metrics.observe("q.text", () => release.promise);

    const first = handler(delivery(clock - 4_000));
    const second = handler(delivery(clock - 1_000));
    clock += 500;
    expect(sample(await registry.metrics(), 'sms_todo_queue_oldest_message_age_seconds{queue="q.text"}')).toBe(4.5);

    release.resolve();
    await Promise.all([first, second]);
    const text = await registry.metrics();
    expect(sample(text, 'sms_todo_queue_oldest_message_age_seconds{queue="q.text"}')).toBe(0);
    expect(sample(text, 'sms_todo_queue_deliveries_total{queue="q.text",outcome="acked"}')).toBe(2);
    expect(sample(text, 'sms_todo_queue_delivery_duration_seconds_count{queue="q.text"}')).toBe(2);
  });

  it("when a delivery has no publish time, then its age counts from its arrival", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    let clock = 50_000;
    const metrics = createQueueMetrics(registry, { checkQueues: async () => [] }, () => clock);
    const release = deferred();
    const done = metrics.observe("q.audio", () => release.promise)(delivery());
    clock += 2_000;
    expect(sample(await registry.metrics(), 'sms_todo_queue_oldest_message_age_seconds{queue="q.audio"}')).toBe(2);
    release.resolve();
    await done;
  });

  it("when handlers fail, then retryable failures count as retried, final ones and failed last attempts as rejected, and the error still reaches the broker", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const metrics = createQueueMetrics(registry, { checkQueues: async () => [] });
    const unavailable = metrics.observe("q", async () => {
      throw new AppError("UNAVAILABLE", "later");
    });
    const invalid = metrics.observe("q", async () => {
      throw new AppError("INVALID_ARGUMENT", "never");
    });
    await expect(unavailable(delivery())).rejects.toThrow("later");
    await expect(unavailable(delivery())).rejects.toThrow("later");
    await expect(invalid(delivery())).rejects.toThrow("never");
    // The retryable failure of the last attempt is dead-lettered, not retried.
    await expect(unavailable({ ...delivery(), deliveryCount: 5, lastAttempt: true })).rejects.toThrow("later");
    const text = await registry.metrics();
    expect(sample(text, 'sms_todo_queue_deliveries_total{queue="q",outcome="retried"}')).toBe(2);
    expect(sample(text, 'sms_todo_queue_deliveries_total{queue="q",outcome="rejected"}')).toBe(2);
    expect(sample(text, 'sms_todo_queue_deliveries_total{queue="q",outcome="acked"}')).toBe(0);
  });

  it("when scraped, then each observed queue and its dead-letter queue are counted with one inspection", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const asked: string[][] = [];
    const inspector: QueueInspector = {
      async checkQueues(queues) {
        asked.push([...queues]);
        return queues.map((queue): QueueCounts => ({ queue, messageCount: queue.endsWith(".dead") ? 2 : 7, consumerCount: 1 }));
      },
    };
    const metrics = createQueueMetrics(registry, inspector);
    metrics.observe("ns.sms-todo.replies", async () => undefined);
    metrics.observe("ns.sms-todo.delivery-status", async () => undefined);

    const text = await registry.metrics();
    expect(asked).toEqual([
      ["ns.sms-todo.replies", "ns.sms-todo.replies.dead", "ns.sms-todo.delivery-status", "ns.sms-todo.delivery-status.dead"],
    ]);
    expect(sample(text, 'sms_todo_queue_messages{queue="ns.sms-todo.replies"}')).toBe(7);
    expect(sample(text, 'sms_todo_queue_messages{queue="ns.sms-todo.replies.dead"}')).toBe(2);
    expect(sample(text, 'sms_todo_queue_consumers{queue="ns.sms-todo.replies"}')).toBe(1);
    expect(sample(text, 'sms_todo_queue_consumers{queue="ns.sms-todo.replies.dead"}')).toBeUndefined();
  });

  it("when the broker names its delay queues, then their depths are counted in the same inspection", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const asked: string[][] = [];
    const metrics = createQueueMetrics(registry, {
      async checkQueues(queues) {
        asked.push([...queues]);
        return queues.map((queue) => ({ queue, messageCount: queue.includes(".retry.") ? 4 : 0, consumerCount: 0 }));
      },
      retryQueues: () => ["ns.sms-todo.retry.1000ms", "ns.sms-todo.retry.2000ms"],
    });
    metrics.observe("ns.sms-todo.text", async () => undefined);

    const text = await registry.metrics();
    expect(asked).toEqual([
      ["ns.sms-todo.text", "ns.sms-todo.text.dead", "ns.sms-todo.retry.1000ms", "ns.sms-todo.retry.2000ms"],
    ]);
    expect(sample(text, 'sms_todo_queue_messages{queue="ns.sms-todo.retry.1000ms"}')).toBe(4);
    expect(sample(text, 'sms_todo_queue_messages{queue="ns.sms-todo.retry.2000ms"}')).toBe(4);
    // Nobody consumes a delay queue: the copies expire back to their work queues.
    expect(sample(text, 'sms_todo_queue_consumers{queue="ns.sms-todo.retry.1000ms"}')).toBeUndefined();
  });

  it("when the broker cannot be asked, then the depth series are absent rather than stale", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    let reachable = true;
    const metrics = createQueueMetrics(registry, {
      async checkQueues(queues) {
        if (!reachable) throw new AppError("UNAVAILABLE", "RabbitMQ is not connected");
        return queues.map((queue) => ({ queue, messageCount: 3, consumerCount: 1 }));
      },
    });
    metrics.observe("q", async () => undefined);
    expect(sample(await registry.metrics(), 'sms_todo_queue_messages{queue="q"}')).toBe(3);
    reachable = false;
    const text = await registry.metrics();
    expect(sample(text, 'sms_todo_queue_messages{queue="q"}')).toBeUndefined();
    expect(sample(text, 'sms_todo_queue_consumers{queue="q"}')).toBeUndefined();
  });
});

describe("circuit breaker metrics", () => {
  it("when a breaker is closed, half-open or open, then its state reads 0, 1 or 2", () => {
    expect(circuitStateValue({ opened: false, halfOpen: false })).toBe(0);
    expect(circuitStateValue({ opened: false, halfOpen: true })).toBe(1);
    expect(circuitStateValue({ opened: true, halfOpen: false })).toBe(2);
  });

  it("when two breakers are observed in one registry, then one gauge reports both as they are at scrape time", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const twilio = { opened: false, halfOpen: false };
    observeCircuitBreaker(registry, "twilio", twilio);
    observeCircuitBreaker(registry, "whisper", { opened: true, halfOpen: false });
    twilio.halfOpen = true;
    const text = await registry.metrics();
    expect(sample(text, 'sms_todo_circuit_breaker_state{breaker="twilio"}')).toBe(1);
    expect(sample(text, 'sms_todo_circuit_breaker_state{breaker="whisper"}')).toBe(2);
  });
});
