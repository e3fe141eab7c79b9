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
  /** Deliveries of one message before it is dead-lettered. */
  deliveryLimit: number;
}

export function createTopology(prefix = ""): Topology {
  const name = (base: string) => `${prefix}sms-todo.${base}`;
  return {
    exchanges: { inbound: name("inbound"), events: name("events"), deadLetter: name("dead-letter") },
    queues: { text: name("text"), audio: name("audio"), status: name("delivery-status"), replies: name("replies") },
    routingKeys: { text: "text", audio: "audio", status: "status", replyRequested: "reply.requested" },
    deliveryLimit: 5,
  };
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
  }
}

/** Removes everything declareTopology made; used by tests to clean up after themselves. */
export async function deleteTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const queue of Object.values(topology.queues)) {
    await channel.deleteQueue(queue);
    await channel.deleteQueue(deadLetterQueueOf(queue));
  }
  for (const exchange of Object.values(topology.exchanges)) await channel.deleteExchange(exchange);
}
