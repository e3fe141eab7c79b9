import type { Channel } from "amqplib";

/**
 * Every exchange and queue of the project, declared in this one place and re-declared
 * after each reconnect. A prefix keeps test runs apart on a shared broker.
 */
export interface Topology {
  exchanges: {
    /** ingress publishes inbound webhooks here, routed by kind. */
    inbound: string;
    /** todo-domain's outbox publishes domain events here. */
    events: string;
    /** Messages that exhausted their delivery limit. */
    deadLetter: string;
  };
  queues: {
    text: string;
    audio: string;
    status: string;
    replies: string;
  };
  routingKeys: {
    text: string;
    audio: string;
    status: string;
    replyRequested: string;
  };
  /**
   * Failed attempts retried before a message is dead-lettered (the first attempt and this many
   * retries); also the quorum queues' x-delivery-limit, which bounds a message that keeps
   * crashing its consumer (a redelivery after a crash is not a failure the consumer saw).
   */
  deliveryLimit: number;
  retry: RetryTopology;
}

/**
 * Back-off without holding a consumer's prefetch slot: a failed message is acked after a copy of
 * it went to a delay queue, and the copy comes back to its work queue when the delay ran out. One
 * delay queue per delay (a queue-wide TTL keeps them first in, first out), shared by all work queues.
 */
export interface RetryTopology {
  /** A headers exchange: the copy's `sms-todo-retry-delay` header picks its delay queue; its routing key is the work queue. */
  exchange: string;
  /** A direct exchange where expired copies are dead-lettered to with their routing key, bound to each work queue by its name. */
  returnExchange: string;
  /** The wait before the first, second, … retry; the last one repeats. Their sum outlasts the notifier's 15 s send claim. */
  delaysMs: readonly number[];
  /** Delay queues are named this plus the delay, e.g. sms-todo.retry.4000ms. */
  queuePrefix: string;
}

/** Header of a retry copy: the delay queue it waits in, in ms. Not x-prefixed: a headers exchange ignores those. */
export const RETRY_DELAY_HEADER = "sms-todo-retry-delay";
/** Header of a retry copy: the attempts made before it (the failed ones, and deliveries lost with their consumer). */
export const FAILED_ATTEMPTS_HEADER = "sms-todo-failed-attempts";

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000];

export function createTopology(prefix = ""): Topology {
  const name = (base: string) => `${prefix}sms-todo.${base}`;
  return {
    exchanges: { inbound: name("inbound"), events: name("events"), deadLetter: name("dead-letter") },
    queues: { text: name("text"), audio: name("audio"), status: name("delivery-status"), replies: name("replies") },
    routingKeys: { text: "text", audio: "audio", status: "status", replyRequested: "reply.requested" },
    deliveryLimit: 5,
    retry: {
      exchange: name("retry"),
      returnExchange: name("retry-return"),
      delaysMs: DEFAULT_RETRY_DELAYS_MS,
      queuePrefix: name("retry."),
    },
  };
}

/** The wait before the retry that follows `failedAttempts` failures (1 after the first one). */
export function retryDelayOf(retry: RetryTopology, failedAttempts: number): number {
  const { delaysMs } = retry;
  const delay = delaysMs[Math.min(Math.max(failedAttempts, 1), delaysMs.length) - 1];
  if (delay === undefined) throw new Error("a retry topology needs at least one delay");
  return delay;
}

export function retryQueueOf(retry: RetryTopology, delayMs: number): string {
  return `${retry.queuePrefix}${delayMs}ms`;
}

/** Every delay queue of the topology. */
export function retryQueuesOf(topology: Topology): string[] {
  return [...new Set(topology.retry.delaysMs)].map((delayMs) => retryQueueOf(topology.retry, delayMs));
}

export function deadLetterQueueOf(queue: string): string {
  return `${queue}.dead`;
}

/** Declares the topology idempotently; safe to run on every (re)connect. */
export async function declareTopology(channel: Channel, topology: Topology): Promise<void> {
  const { exchanges, queues, routingKeys } = topology;
  await channel.assertExchange(exchanges.inbound, "direct", { durable: true });
  await channel.assertExchange(exchanges.events, "topic", { durable: true });
  await channel.assertExchange(exchanges.deadLetter, "direct", { durable: true });
  await declareRetryQueues(channel, topology.retry);

  const bindings: Array<[queue: string, exchange: string, routingKey: string]> = [
    [queues.text, exchanges.inbound, routingKeys.text],
    [queues.audio, exchanges.inbound, routingKeys.audio],
    [queues.status, exchanges.inbound, routingKeys.status],
    [queues.replies, exchanges.events, routingKeys.replyRequested],
  ];
  for (const [queue, exchange, routingKey] of bindings) {
    const deadLetters = deadLetterQueueOf(queue);
    await channel.assertQueue(deadLetters, { durable: true, arguments: { "x-queue-type": "quorum" } });
    await channel.bindQueue(deadLetters, exchanges.deadLetter, queue);
    await channel.assertQueue(queue, {
      durable: true,
      arguments: {
        "x-queue-type": "quorum",
        "x-delivery-limit": topology.deliveryLimit,
        "x-dead-letter-exchange": exchanges.deadLetter,
        "x-dead-letter-routing-key": queue,
        // at-least-once dead-lettering needs reject-publish overflow: nothing is dropped.
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
      },
    });
    await channel.bindQueue(queue, exchange, routingKey);
    await channel.bindQueue(queue, topology.retry.returnExchange, queue);
  }
}

async function declareRetryQueues(channel: Channel, retry: RetryTopology): Promise<void> {
  await channel.assertExchange(retry.exchange, "headers", { durable: true });
  await channel.assertExchange(retry.returnExchange, "direct", { durable: true });
  for (const delayMs of new Set(retry.delaysMs)) {
    const queue = retryQueueOf(retry, delayMs);
    await channel.assertQueue(queue, {
      durable: true,
      arguments: {
        "x-queue-type": "quorum",
        "x-message-ttl": delayMs,
        // No dead-letter routing key: an expired copy keeps its own, the name of its work queue.
        "x-dead-letter-exchange": retry.returnExchange,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
      },
    });
    await channel.bindQueue(queue, retry.exchange, "", { "x-match": "all", [RETRY_DELAY_HEADER]: String(delayMs) });
  }
}

/** Removes everything declareTopology made; used by tests to clean up after themselves. */
export async function deleteTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const queue of Object.values(topology.queues)) {
    await channel.deleteQueue(queue);
    await channel.deleteQueue(deadLetterQueueOf(queue));
  }
  for (const queue of retryQueuesOf(topology)) await channel.deleteQueue(queue);
  for (const exchange of Object.values(topology.exchanges)) await channel.deleteExchange(exchange);
  await channel.deleteExchange(topology.retry.exchange);
  await channel.deleteExchange(topology.retry.returnExchange);
}
