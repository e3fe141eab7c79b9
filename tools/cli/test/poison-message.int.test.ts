import amqplib from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging } from "@sms-todo/contracts";
import { AmqpBroker, AppError, deadLetterQueueOf, decodeDelivery, type Delivery, type DeliveryHandler } from "@sms-todo/shared";
import { captureLogs, createTestTopology, testInfrastructure, type TestTopology } from "@sms-todo/testkit";
import { queuePairs } from "../src/dead-letters/dead-letter.repository.js";

/** Deliveries as they arrive, and a wait for the first `count` of them. */
function inbox() {
  const received: Delivery[] = [];
  const waiters: Array<() => void> = [];
  return {
    received,
    push(delivery: Delivery) {
      received.push(delivery);
      for (const wake of waiters.splice(0)) wake();
    },
    async first(count: number): Promise<Delivery[]> {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return received.slice(0, count);
    },
  };
}

const inboundMessage = (sid: string) =>
  Buffer.from(
    messaging.InboundMessage.encode(
      messaging.InboundMessage.fromPartial({ messageSid: sid, from: "+15557740001", body: "x" }),
    ).finish(),
  );

/** What every consumer does first: an undecodable body is an answer (dead-letter it), not an outage. */
function decoding(handle: (message: messaging.InboundMessage, delivery: Delivery) => Promise<void>): DeliveryHandler {
  return async (delivery) => {
    const message = decodeDelivery(delivery, messaging.InboundMessage, { type: "messaging.v1.InboundMessage" });
    await handle(message, delivery);
  };
}

/**
 * Poison messages against the real topology (delivery limit 5, delay queues) and the real
 * consumer: they end in `<queue>.dead`, and the queue keeps flowing meanwhile. The smallest
 * prefetch any service uses (2, transcribe's) is the hardest case. The delays are the
 * production ones divided by ten, so an always-failing message is dead-lettered after 3.1 s.
 */
describe("poison messages", () => {
  let topo: TestTopology;
  let broker: AmqpBroker;
  const { logger } = captureLogs("poison-test");

  beforeAll(async () => {
    topo = createTestTopology("poison", { retryDelaysMs: [100, 200, 400, 800, 1_600] });
    broker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger });
    await broker.start();
  });
  afterAll(async () => {
    await broker.close();
    await topo.remove();
  });

  it("when the topology is declared, then each of the four work queues has an explicit delivery limit and its own dead-letter queue", async () => {
    const connection = await amqplib.connect(testInfrastructure.amqpUrl);
    try {
      const pairs = queuePairs(topo.topology);
      expect(pairs.map((pair) => pair.name)).toEqual(["text", "audio", "status", "replies"]);
      for (const { workQueue, deadLetterQueue } of pairs) {
        const declared = {
          "x-queue-type": "quorum",
          "x-delivery-limit": 5,
          "x-dead-letter-exchange": topo.topology.exchanges.deadLetter,
          "x-dead-letter-routing-key": workQueue,
          "x-dead-letter-strategy": "at-least-once",
          "x-overflow": "reject-publish",
        };
        // The broker accepts a re-declaration only with arguments equal to the queue's own.
        const same = await connection.createChannel();
        await expect(same.assertQueue(workQueue, { durable: true, arguments: declared })).resolves.toMatchObject({
          queue: workQueue,
        });
        await same.close();
        const other = await connection.createChannel();
        other.on("error", () => undefined);
        await expect(
          other.assertQueue(workQueue, { durable: true, arguments: { ...declared, "x-delivery-limit": 6 } }),
        ).rejects.toThrow(/PRECONDITION_FAILED - inequivalent arg 'x-delivery-limit'/);

        // A message dead-lettered from this queue is routed to its dead-letter queue alone.
        const channel = await connection.createConfirmChannel();
        channel.publish(topo.topology.exchanges.deadLetter, workQueue, Buffer.from(workQueue));
        await channel.waitForConfirms();
        const routed = await channel.get(deadLetterQueue, { noAck: true });
        expect(routed && routed.content.toString()).toBe(workQueue);
        await channel.close();
      }
    } finally {
      await connection.close();
    }
  });

  it("when an undecodable message is followed by 50 good ones, then it is dead-lettered at once and every good one is handled", async () => {
    const { queues, exchanges, routingKeys } = topo.topology;
    const good = inbox();
    const dead = inbox();
    const attempts: number[] = [];
    const consumer = await broker.consume(
      queues.text,
      async (delivery) => {
        if (delivery.messageId === "undecodable") attempts.push(delivery.deliveryCount);
        await decoding(async () => good.push(delivery))(delivery);
      },
      { prefetch: 2 },
    );
    const deadConsumer = await broker.consume(deadLetterQueueOf(queues.text), async (delivery) => dead.push(delivery), {
      prefetch: 1,
    });

    await broker.publish(exchanges.inbound, routingKeys.text, Buffer.from("0a0541", "hex"), { messageId: "undecodable" });
    for (let n = 0; n < 50; n += 1)
      await broker.publish(exchanges.inbound, routingKeys.text, inboundMessage(`SMgood${n}`), { messageId: `SMgood${n}` });

    const handled = await good.first(50);
    expect(new Set(handled.map((delivery) => delivery.messageId)).size).toBe(50);
    const [deadLetter] = await dead.first(1);
    expect(deadLetter?.messageId).toBe("undecodable");
    expect(deadLetter?.headers["x-death"]).toEqual([
      expect.objectContaining({ reason: "rejected", count: 1, queue: queues.text }),
    ]);
    expect(attempts).toEqual([0]);
    await consumer.stop();
    await deadConsumer.stop();
  });

  it("when a handler always throws for one message, then the 50 behind it are handled while it is retried, and it is dead-lettered after 6 attempts", async () => {
    const { queues, exchanges, routingKeys } = topo.topology;
    const good = inbox();
    const dead = inbox();
    const poisonAttempts: number[] = [];
    const consumer = await broker.consume(
      queues.audio,
      decoding(async (message, delivery) => {
        if (message.messageSid === "SMpoison") {
          poisonAttempts.push(delivery.deliveryCount);
          throw new AppError("UNAVAILABLE", "this one always fails");
        }
        good.push(delivery);
      }),
      { prefetch: 2 },
    );
    const deadConsumer = await broker.consume(deadLetterQueueOf(queues.audio), async (delivery) => dead.push(delivery), {
      prefetch: 1,
    });

    await broker.publish(exchanges.inbound, routingKeys.audio, inboundMessage("SMpoison"), { messageId: "SMpoison" });
    for (let n = 0; n < 50; n += 1) {
      await broker.publish(exchanges.inbound, routingKeys.audio, inboundMessage(`SMok${n}`), { messageId: `SMok${n}` });
    }

    const handled = await good.first(50);
    expect(new Set(handled.map((delivery) => delivery.messageId)).size).toBe(50);
    // All 50 are done while the poison message is still between its attempts.
    expect(poisonAttempts.length).toBeGreaterThanOrEqual(1);
    expect(poisonAttempts.length).toBeLessThan(6);
    expect(dead.received).toEqual([]);

    const [deadLetter] = await dead.first(1);
    expect(deadLetter?.messageId).toBe("SMpoison");
    // Delivery limit 5: the first delivery and five redeliveries, then the dead-letter queue.
    expect(poisonAttempts).toEqual([0, 1, 2, 3, 4, 5]);
    // Rejected by the consumer after its last attempt (the newest death), and before that expired once in each delay queue.
    const deaths = deadLetter?.headers["x-death"] as Array<{ reason: string; queue: string; count: number }>;
    expect(deaths[0]).toMatchObject({ reason: "rejected", count: 1, queue: queues.audio });
    expect(
      deaths
        .slice(1)
        .map((death) => `${death.reason} ${death.count} ${death.queue}`)
        .sort(),
    ).toEqual([100, 1_600, 200, 400, 800].map((delayMs) => `expired 1 ${topo.namespace}sms-todo.retry.${delayMs}ms`));
    expect(good.received).toHaveLength(50);
    await consumer.stop();
    await deadConsumer.stop();
  }, 60_000);

  it("when more always-failing messages than the prefetch are followed by good ones, then every good one is handled before any of them is dead-lettered", async () => {
    const { queues, exchanges, routingKeys } = topo.topology;
    const good = inbox();
    const dead = inbox();
    const consumer = await broker.consume(
      queues.text,
      decoding(async (message, delivery) => {
        if (message.messageSid.startsWith("SMalwaysfails")) throw new AppError("UNAVAILABLE", "this one always fails");
        good.push(delivery);
      }),
      { prefetch: 2 },
    );
    const deadConsumer = await broker.consume(deadLetterQueueOf(queues.text), async (delivery) => dead.push(delivery), {
      prefetch: 1,
    });

    for (let n = 0; n < 8; n += 1) {
      await broker.publish(exchanges.inbound, routingKeys.text, inboundMessage(`SMalwaysfails${n}`), {
        messageId: `SMalwaysfails${n}`,
      });
    }
    for (let n = 0; n < 30; n += 1) {
      await broker.publish(exchanges.inbound, routingKeys.text, inboundMessage(`SMbehind${n}`), { messageId: `SMbehind${n}` });
    }

    const handled = await good.first(30);
    expect(new Set(handled.map((delivery) => delivery.messageId)).size).toBe(30);
    // Four times the prefetch of failing messages, each still waiting in a delay queue: none of them holds a slot.
    expect(dead.received).toEqual([]);
    const deadLetters = await dead.first(8);
    expect(new Set(deadLetters.map((delivery) => delivery.messageId))).toEqual(
      new Set(Array.from({ length: 8 }, (_, n) => `SMalwaysfails${n}`)),
    );
    await consumer.stop();
    await deadConsumer.stop();
  }, 60_000);

  it("when a failed message comes back from its delay queue, then it keeps its id, type, correlation id, publish time and headers", async () => {
    const { queues, exchanges, routingKeys } = topo.topology;
    const box = inbox();
    const consumer = await broker.consume(
      queues.status,
      async (delivery) => {
        box.push(delivery);
        if (delivery.deliveryCount === 0) throw new AppError("UNAVAILABLE", "not yet");
      },
      { prefetch: 1 },
    );
    await broker.publish(exchanges.inbound, routingKeys.status, Buffer.from("flaky"), {
      messageId: "SMflaky",
      type: "messaging.v1.DeliveryStatus",
      correlationId: "corr-flaky",
      headers: { origin: "test" },
    });
    const [first, retried] = await box.first(2);
    expect(retried).toMatchObject({
      messageId: "SMflaky",
      type: "messaging.v1.DeliveryStatus",
      correlationId: "corr-flaky",
      deliveryCount: 1,
      publishedAt: first?.publishedAt,
      headers: expect.objectContaining({ origin: "test" }) as unknown,
    });
    expect(retried?.body.toString()).toBe("flaky");
    await consumer.stop();
  });

  it("when a message's consumer is lost before acking it six times, then the queue's own delivery limit dead-letters it", async () => {
    const { queues, exchanges, routingKeys } = topo.topology;
    const dead = inbox();
    const deadConsumer = await broker.consume(deadLetterQueueOf(queues.replies), async (delivery) => dead.push(delivery), {
      prefetch: 1,
    });
    await broker.publish(exchanges.events, routingKeys.replyRequested, Buffer.from("kills its consumer"), {
      messageId: "ev-crashloop",
    });

    // Each consumer is "killed" as a crashed process would be: its channel closes with the message unacked.
    const connection = await amqplib.connect(testInfrastructure.amqpUrl);
    const redeliveries: number[] = [];
    try {
      for (let loss = 0; loss < 6; loss += 1) {
        const channel = await connection.createChannel();
        await channel.prefetch(1);
        await new Promise<void>((resolve, reject) => {
          void channel.consume(queues.replies, (message) => {
            if (!message) return;
            redeliveries.push(Number(message.properties.headers?.["x-delivery-count"] ?? 0));
            channel.close().then(resolve, reject);
          });
        });
      }
    } finally {
      await connection.close();
    }

    const [deadLetter] = await dead.first(1);
    expect(deadLetter?.messageId).toBe("ev-crashloop");
    expect(redeliveries).toEqual([0, 1, 2, 3, 4, 5]);
    const deaths = deadLetter?.headers["x-death"] as Array<{ reason: string; queue: string }>;
    expect(deaths[0]).toMatchObject({ reason: "delivery_limit", queue: queues.replies });
    await deadConsumer.stop();
  });
});
