import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogs, createTestTopology, TcpProxy, testInfrastructure, type TestTopology } from "@sms-todo/testkit";
import { AppError } from "../src/errors/app-error.js";
import { AmqpBroker, type Delivery } from "../src/messaging/amqp-broker.js";
import { deadLetterQueueOf } from "../src/messaging/topology.js";

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
  const { logger } = captureLogs("amqp-test");

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
