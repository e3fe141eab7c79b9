import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  captureLogs,
  createTestTopology,
  TcpProxy,
  testInfrastructure,
  withAmqpChannel,
  type TestTopology,
} from "@sms-todo/testkit";
import { AppError } from "../src/errors/app-error.js";
import { AmqpBroker, type Delivery } from "../src/messaging/amqp-broker.js";
import { deadLetterQueueOf, RETRY_DELAY_HEADER, retryQueueOf } from "../src/messaging/topology.js";

/** Collects deliveries and lets a test wait for the next one. */
function inbox() {
  const received: Delivery[] = [];
  let wake: (() => void) | undefined;
  return {
    received,
    push(delivery: Delivery) {
      received.push(delivery);
      wake?.();
    },
    async next(count: number): Promise<Delivery[]> {
      while (received.length < count) await new Promise<void>((resolve) => (wake = resolve));
      return received;
    },
  };
}

describe("AmqpBroker", () => {
  let topo: TestTopology;
  let proxy: TcpProxy;
  let broker: AmqpBroker;
  const { logger, lines } = captureLogs("amqp-test");

  beforeAll(async () => {
    topo = createTestTopology("amqp");
    const upstream = new URL(testInfrastructure.amqpUrl);
    proxy = new TcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5672) });
    const port = await proxy.start();
    upstream.host = `127.0.0.1:${port}`;
    broker = new AmqpBroker({ url: upstream.toString(), topology: topo.topology, logger, publishTimeoutMs: 10_000 });
    await broker.start();
  });
  afterAll(async () => {
    await broker.close();
    await proxy.stop();
    await topo.remove();
  });

  it("when a message is published and confirmed, then the consumer gets it with its properties and acks it", async () => {
    const box = inbox();
    const consumer = await broker.consume(topo.topology.queues.text, async (delivery) => box.push(delivery), { prefetch: 4 });
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.text, Buffer.from("hello"), {
      messageId: "m-1",
      type: "test.v1.Hello",
      correlationId: "c-1",
    });
    const [delivery] = await box.next(1);
    expect(delivery).toMatchObject({ messageId: "m-1", type: "test.v1.Hello", correlationId: "c-1", deliveryCount: 0 });
    expect(delivery?.body.toString()).toBe("hello");
    await consumer.stop();
  });

  it("when a handler fails with a non-retryable error, then the message goes to the dead-letter queue at once", async () => {
    const dead = inbox();
    const deadConsumer = await broker.consume(
      deadLetterQueueOf(topo.topology.queues.audio),
      async (delivery) => dead.push(delivery),
      { prefetch: 1 },
    );
    let attempts = 0;
    const consumer = await broker.consume(
      topo.topology.queues.audio,
      async () => {
        attempts += 1;
        throw new AppError("INVALID_ARGUMENT", "poison");
      },
      { prefetch: 1 },
    );
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.audio, Buffer.from("poison"), {
      messageId: "p-1",
    });
    const [deadLetter] = await dead.next(1);
    expect(deadLetter?.messageId).toBe("p-1");
    expect(attempts).toBe(1);
    await consumer.stop();
    await deadConsumer.stop();
  });

  it("when a handler fails with a retryable error, then the message is redelivered until it succeeds", async () => {
    const box = inbox();
    const consumer = await broker.consume(
      topo.topology.queues.status,
      async (delivery) => {
        box.push(delivery);
        if (delivery.deliveryCount < 1) throw new AppError("UNAVAILABLE", "try again");
      },
      { prefetch: 1 },
    );
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.status, Buffer.from("flaky"), {
      messageId: "r-1",
    });
    const deliveries = await box.next(2);
    expect(deliveries.map((d) => d.deliveryCount)).toEqual([0, 1]);
    await consumer.stop();
  });

  it("when the broker closes the publish channel, then that publish fails and the next is confirmed on a channel reopened without a reconnect", async () => {
    const connects = () => lines.filter((line) => line.includes("RabbitMQ connected, topology declared")).length;
    const connectsBefore = connects();
    // An exchange outside the topology: the broker closes the channel (404), and again on the reopened one.
    await expect(
      broker.publish(`${topo.namespace}no-such-exchange`, "any", Buffer.from("lost"), { messageId: "x-1" }),
    ).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("NOT_FOUND") as unknown });
    const box = inbox();
    const consumer = await broker.consume(topo.topology.queues.text, async (delivery) => box.push(delivery), { prefetch: 4 });
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.text, Buffer.from("after"), {
      messageId: "after-404",
    });
    const [delivery] = await box.next(1);
    expect(delivery?.messageId).toBe("after-404");
    expect(lines.some((line) => line.includes("publish channel reopened, topology declared"))).toBe(true);
    expect(connects()).toBe(connectsBefore);
    await consumer.stop();
  });

  it("when a work queue was deleted under the running broker, then a publish declares the topology again and the message is on the queue", async () => {
    await withAmqpChannel((channel) => channel.deleteQueue(topo.topology.queues.status));
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.status, Buffer.from("kept"), {
      messageId: "after-delete",
    });
    const [status] = await broker.checkQueues([topo.topology.queues.status]);
    expect(status?.messageCount).toBe(1);
    expect(lines.some((line) => line.includes("a message was routed to no queue: declaring the topology again"))).toBe(true);
    const box = inbox();
    const consumer = await broker.consume(topo.topology.queues.status, async (delivery) => box.push(delivery), { prefetch: 1 });
    const [delivery] = await box.next(1);
    expect(delivery?.messageId).toBe("after-delete");
    await consumer.stop();
  });

  it("when no queue is bound for a message, then its publish fails as UNAVAILABLE instead of being confirmed", async () => {
    await expect(
      broker.publish(topo.topology.exchanges.inbound, "nobody-binds-this", Buffer.from("dropped"), { messageId: "unroutable-1" }),
    ).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("routed the message to no queue") as unknown,
    });
  });

  it("when the connection drops, then the broker reconnects, re-declares the topology and the consumer resumes", async () => {
    const box = inbox();
    const consumer = await broker.consume(topo.topology.queues.replies, async (delivery) => box.push(delivery), { prefetch: 4 });
    proxy.cutConnections();
    // publish waits for the reconnect, then for the confirm.
    await broker.publish(
      topo.topology.exchanges.events,
      topo.topology.routingKeys.replyRequested,
      Buffer.from("after reconnect"),
      {
        messageId: "after-1",
      },
    );
    const [delivery] = await box.next(1);
    expect(delivery?.messageId).toBe("after-1");
    expect(broker.isConnected).toBe(true);
    await consumer.stop();
  });
});

describe("AmqpBroker when a delay queue refuses a retry copy", () => {
  const DELAY_MS = 200;
  let topo: TestTopology;
  let broker: AmqpBroker;
  const { logger, lines } = captureLogs("amqp-park-test");

  beforeAll(async () => {
    topo = createTestTopology("amqp-park", { retryDelaysMs: [DELAY_MS] });
    broker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger, publishTimeoutMs: 5_000 });
    await broker.start();
    // The delay queue, declared again as one that is always full: a queue of length 0 with reject-publish nacks every publish.
    await withAmqpChannel(async (channel) => {
      const delayQueue = retryQueueOf(topo.topology.retry, DELAY_MS);
      await channel.deleteQueue(delayQueue);
      await channel.assertQueue(delayQueue, {
        durable: false,
        arguments: { "x-max-length": 0, "x-overflow": "reject-publish" },
      });
      await channel.bindQueue(delayQueue, topo.topology.retry.exchange, "", {
        "x-match": "all",
        [RETRY_DELAY_HEADER]: String(DELAY_MS),
      });
    });
  });
  afterAll(async () => {
    await broker.close();
    await topo.remove();
  });

  it("when the copy is refused, then the consumer waits out the delay itself and the message comes back once, counted", async () => {
    const box = inbox();
    const consumer = await broker.consume(
      topo.topology.queues.text,
      async (delivery) => {
        box.push(delivery);
        if (delivery.deliveryCount < 1) throw new AppError("UNAVAILABLE", "try again");
      },
      { prefetch: 1 },
    );
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.text, Buffer.from("refused"), {
      messageId: "refused-1",
    });
    const deliveries = await box.next(2);
    expect(deliveries.map((d) => [d.messageId, d.deliveryCount])).toEqual([
      ["refused-1", 0],
      ["refused-1", 1],
    ]);
    expect(lines.some((line) => line.includes("could not park the message for its retry; waiting here"))).toBe(true);
    await consumer.stop();
    const [text, delayQueue] = await broker.checkQueues([topo.topology.queues.text, retryQueueOf(topo.topology.retry, DELAY_MS)]);
    // Handled once more, then acked: nothing left behind, and the refused copy never reached the delay queue.
    expect(text?.messageCount).toBe(0);
    expect(delayQueue?.messageCount).toBe(0);
    expect(box.received).toHaveLength(2);
  });
});
