import amqplib, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker, AppError, deadLetterQueueOf, type Consumer, type Delivery } from "@sms-todo/shared";
import { captureLogs, createTestTopology, testInfrastructure, type TestTopology } from "@sms-todo/testkit";
import { runDlqCommand } from "../src/dead-letters/dlq-command.handler.js";
import { parseDlqCommand } from "../src/dead-letters/dlq-command.parser.js";

const SENDER = "+15557750001";

const inbound = (sid: string, body: string) =>
  Buffer.from(
    messaging.InboundMessage.encode(messaging.InboundMessage.fromPartial({ messageSid: sid, from: SENDER, body })).finish(),
  );
const replyEvent = (eventId: string) =>
  Buffer.from(
    messaging.ReplyRequested.encode(
      messaging.ReplyRequested.fromPartial({
        eventId,
        phoneNumber: SENDER,
        messageId: "SMdl1",
        outcome: { kind: { $case: "added", value: todo.TodosAdded.fromPartial({ todos: [{ number: 1, text: "call mom" }] }) } },
      }),
    ).finish(),
  );

/**
 * The dead-letter commands against a topology of their own: messages are dead-lettered the way
 * the services do it (a consumer refusing them), then listed, replayed and purged.
 */
describe("npm run dlq", () => {
  let topo: TestTopology;
  let broker: AmqpBroker;
  let connection: ChannelModel;
  let channel: ConfirmChannel;
  const consumers: Consumer[] = [];
  /** While true the work queues' consumers refuse everything, which dead-letters it at once. */
  let refusing = true;
  const handled: Delivery[] = [];
  const handledWaiters: Array<() => void> = [];
  const { logger } = captureLogs("dlq-test");

  const run = async (...argv: string[]) => {
    const command = parseDlqCommand(argv);
    if ("error" in command) throw new Error(command.error);
    return runDlqCommand(channel, topo.topology, command);
  };
  const count = async (queue: string) => (await channel.checkQueue(queue)).messageCount;
  /**
   * Resolves once the queue holds `expected` ready messages: dead-lettering and the return of
   * messages a command looked at are applied by the quorum queue after the nack, on its own time.
   */
  const untilCount = async (queue: string, expected: number) => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = await count(queue);
      if (found === expected) return;
      if (Date.now() > deadline) throw new Error(`expected ${expected} messages in ${queue}, found ${found}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const handledAtLeast = async (n: number) => {
    while (handled.length < n) await new Promise<void>((resolve) => handledWaiters.push(resolve));
    return handled;
  };

  beforeAll(async () => {
    topo = createTestTopology("dlq", { retryDelaysMs: [50] });
    broker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger });
    await broker.start();
    for (const queue of Object.values(topo.topology.queues)) {
      const handler = async (delivery: Delivery) => {
        // SMdl2 fails as an outage would: retried after back-off until the delivery limit, then dead-lettered.
        if (refusing)
          throw new AppError(delivery.messageId === "SMdl2" ? "UNAVAILABLE" : "INVALID_ARGUMENT", "refused by the test");
        handled.push(delivery);
        for (const wake of handledWaiters.splice(0)) wake();
      };
      consumers.push(await broker.consume(queue, handler, { prefetch: 4 }));
    }
    connection = await amqplib.connect(testInfrastructure.amqpUrl);
    channel = await connection.createConfirmChannel();

    const { exchanges, routingKeys, queues } = topo.topology;
    await broker.publish(exchanges.inbound, routingKeys.text, inbound("SMdl1", "buy milk"), {
      messageId: "SMdl1",
      type: "messaging.v1.InboundMessage",
      correlationId: "SMdl1",
    });
    await broker.publish(exchanges.inbound, routingKeys.text, inbound("SMdl2", "call mom"), {
      messageId: "SMdl2",
      type: "messaging.v1.InboundMessage",
      correlationId: "SMdl2",
      headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    });
    await broker.publish(exchanges.inbound, routingKeys.text, Buffer.from("0a0541", "hex"), {
      messageId: "SMbroken",
      type: "messaging.v1.InboundMessage",
    });
    await broker.publish(exchanges.events, routingKeys.replyRequested, replyEvent("ev-dl1"), {
      messageId: "ev-dl1",
      type: "messaging.v1.ReplyRequested",
      correlationId: "SMdl1",
    });
    await untilCount(deadLetterQueueOf(queues.text), 3);
    await untilCount(deadLetterQueueOf(queues.replies), 1);
  });
  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await channel?.close();
    await connection?.close();
    await broker?.close();
    await topo?.remove();
  });
  beforeEach(() => {
    handled.splice(0);
  });

  it("when messages were dead-lettered, then list counts them per work queue", async () => {
    const { output, exitCode } = await run("list");
    expect(exitCode).toBe(0);
    const rows = output
      .trim()
      .split("\n")
      .slice(1)
      .map((row) => row.split(/\s+/));
    expect(rows).toEqual([
      ["text", "3", deadLetterQueueOf(topo.topology.queues.text)],
      ["audio", "0", deadLetterQueueOf(topo.topology.queues.audio)],
      ["status", "0", deadLetterQueueOf(topo.topology.queues.status)],
      ["replies", "1", deadLetterQueueOf(topo.topology.queues.replies)],
    ]);
  });

  it("when one queue's dead letters are listed, then each shows its ids, x-death and masked body, and all stay dead letters", async () => {
    const { output, exitCode } = await run("list", "text", "--limit", "5");
    expect(exitCode).toBe(0);
    const deadLetterQueue = deadLetterQueueOf(topo.topology.queues.text);
    expect(output).toContain(`${deadLetterQueue}: 3 dead letters\n`);
    expect(output).toContain("messageId=SMdl1 type=messaging.v1.InboundMessage correlationId=SMdl1");
    expect(output).toContain(`died: rejected x1 in ${topo.topology.queues.text}`);
    expect(output).toContain('"from":"+*********01"');
    expect(output).toContain('"body":"[redacted]"');
    expect(output).toContain("messageId=SMbroken type=messaging.v1.InboundMessage correlationId=-");
    expect(output).toContain('body: {"bytes":3,"decoded":false,"reason":"not a valid messaging.v1.InboundMessage"}');
    expect(output).not.toMatch(/buy milk|call mom|5557750001/);
    await untilCount(deadLetterQueue, 3);

    const first = await run("list", "text", "--limit", "1");
    expect(first.output.split("\n")[0]).toBe(`${deadLetterQueue}: 3 dead letters, the first 1`);
    expect(first.output.match(/^\d+\. messageId=/gm)).toHaveLength(1);
    await untilCount(deadLetterQueue, 3);
  });

  it("when one dead letter is replayed by id, then its work queue's consumer gets it afresh, and the others stay", async () => {
    refusing = false;
    const { output, exitCode } = await run("replay", "text", "--id", "SMdl2");
    expect({ output, exitCode }).toEqual({
      output: `replayed 1 from ${deadLetterQueueOf(topo.topology.queues.text)} to ${topo.topology.queues.text}: SMdl2\n`,
      exitCode: 0,
    });
    const [replayed] = await handledAtLeast(1);
    expect(replayed).toMatchObject({
      messageId: "SMdl2",
      type: "messaging.v1.InboundMessage",
      correlationId: "SMdl2",
      deliveryCount: 0,
      lastAttempt: false,
    });
    expect(messaging.InboundMessage.decode(replayed!.body).body).toBe("call mom");
    expect(replayed?.headers).toMatchObject({
      "x-replayed-from": deadLetterQueueOf(topo.topology.queues.text),
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    expect(
      Object.keys(replayed?.headers ?? {}).filter((key) => /^(x-(death|first-death|last-death)|sms-todo-)/.test(key)),
    ).toEqual([]);
    await untilCount(deadLetterQueueOf(topo.topology.queues.text), 2);
    expect(handled).toHaveLength(1);
  });

  it("when a replay or purge names an id no dead letter has, then it says so, exits 1 and nothing moves", async () => {
    const deadLetterQueue = deadLetterQueueOf(topo.topology.queues.text);
    const before = await count(deadLetterQueue);
    await expect(run("replay", "text", "--id", "SMnone")).resolves.toEqual({
      output: `replayed 0 from ${deadLetterQueue} to ${topo.topology.queues.text}\nno dead letter with messageId SMnone in ${deadLetterQueue}\n`,
      exitCode: 1,
    });
    await expect(run("purge", "text", "--id", "SMnone")).resolves.toEqual({
      output: `no dead letter with messageId SMnone in ${deadLetterQueue}\n`,
      exitCode: 1,
    });
    await untilCount(deadLetterQueue, before);
  });

  it("when a queue name is unknown, then the command exits 64 naming the known ones", async () => {
    await expect(run("list", "sms")).resolves.toEqual({
      output: "unknown queue sms; one of text, audio, status, replies\n",
      exitCode: 64,
    });
  });

  it("when a dead letter is purged by id, then only it is gone", async () => {
    const deadLetterQueue = deadLetterQueueOf(topo.topology.queues.text);
    const before = await count(deadLetterQueue);
    await expect(run("purge", deadLetterQueue, "--id", "SMbroken")).resolves.toEqual({
      output: `purged 1 from ${deadLetterQueue}: SMbroken\n`,
      exitCode: 0,
    });
    await untilCount(deadLetterQueue, before - 1);
    const { output } = await run("list", "text");
    expect(output).not.toContain("SMbroken");
  });

  it("when all dead letters of a queue are replayed, then its consumer gets each and the dead-letter queue is empty", async () => {
    refusing = false;
    const { output, exitCode } = await run("replay", "replies", "--all");
    expect(exitCode).toBe(0);
    expect(output).toBe(
      `replayed 1 from ${deadLetterQueueOf(topo.topology.queues.replies)} to ${topo.topology.queues.replies}: ev-dl1\n`,
    );
    const [replayed] = await handledAtLeast(1);
    expect(messaging.ReplyRequested.decode(replayed!.body).eventId).toBe("ev-dl1");
    await untilCount(deadLetterQueueOf(topo.topology.queues.replies), 0);
  });
});
