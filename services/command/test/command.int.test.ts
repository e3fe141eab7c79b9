import { credentials } from "@grpc/grpc-js";
import amqplib from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker, type App } from "@sms-todo/shared";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  fakeMessageSid,
  testInfrastructure,
  type TestDatabases,
  type TestTopology,
} from "@sms-todo/testkit";
import { createApp as createTodoDomain, migrateDatabases, openDatabases, type TodoDomainApp } from "@sms-todo/todo-domain";
import { createApp } from "../src/app.js";
import { loadCommandConfig } from "../src/command.config.js";

const SENDER = "+15553330001";

describe("command service with the real todo-domain", () => {
  let databases: TestDatabases;
  let topo: TestTopology;
  let domain: TodoDomainApp;
  let command: App;
  let connection: amqplib.ChannelModel;
  let channel: amqplib.ConfirmChannel;
  const replies: messaging.ReplyRequested[] = [];
  const waiters: Array<() => void> = [];

  const waitForReplies = (count: number) =>
    new Promise<messaging.ReplyRequested[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} replies, got ${replies.length}`)), 10_000);
      const check = () => {
        if (replies.length >= count) {
          clearTimeout(timer);
          resolve(replies.slice(0, count));
        } else waiters.push(check);
      };
      check();
    });

  const publishText = async (body: string, messageSid = fakeMessageSid()) => {
    const payload = messaging.InboundMessage.encode(
      messaging.InboundMessage.fromPartial({ messageSid, from: SENDER, body, channel: messaging.Channel.CHANNEL_SMS }),
    ).finish();
    channel.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.text, Buffer.from(payload), {
      persistent: true,
      messageId: messageSid,
    });
    await channel.waitForConfirms();
  };

  beforeAll(async () => {
    databases = await createTestDatabases("command");
    await migrateDatabases(databases);
    topo = createTestTopology("command");
    const { logger } = captureLogs("command-int");
    domain = createTodoDomain({
      grpcAddress: "127.0.0.1:0",
      logger,
      databases: openDatabases(databases),
      broker: new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger }),
    });
    await domain.start();
    const config = loadCommandConfig({ TODO_GRPC_ADDR: `127.0.0.1:${domain.grpcPort()}` });
    command = createApp({
      config,
      logger,
      broker: new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger }),
      todoClient: new todo.TodoServiceClient(config.TODO_GRPC_ADDR, credentials.createInsecure()),
    });
    await command.start();

    connection = await amqplib.connect(testInfrastructure.amqpUrl);
    channel = await connection.createConfirmChannel();
    await channel.consume(topo.topology.queues.replies, (message) => {
      if (!message) return;
      replies.push(messaging.ReplyRequested.decode(message.content));
      channel.ack(message);
      for (const wake of waiters.splice(0)) wake();
    });
  });

  afterAll(async () => {
    await channel.close();
    await connection.close();
    await command.stop();
    await domain.stop();
    await topo.remove();
    await databases.drop();
  });

  it('when "buy milk", "complete #1" and "list" arrive on the text queue, then todo-domain answers each with the right outcome', async () => {
    await publishText("buy milk");
    await waitForReplies(1);
    await publishText("complete #1");
    await waitForReplies(2);
    await publishText("list");
    const [added, completed, list] = await waitForReplies(3);
    expect(added?.outcome?.kind).toMatchObject({ $case: "added", value: { todos: [{ number: 1, text: "buy milk" }] } });
    expect(completed?.outcome?.kind).toMatchObject({ $case: "completed", value: { todos: [{ number: 1, text: "buy milk" }] } });
    expect(list?.outcome?.kind).toMatchObject({ $case: "list", value: { todos: [] } });
    expect(added?.phoneNumber).toBe(SENDER);
  });

  it("when the same MessageSid arrives three times, then it is applied once and answered once", async () => {
    const messageSid = fakeMessageSid();
    for (let i = 0; i < 3; i += 1) await publishText("call mom\nwater plants", messageSid);
    await publishText("help");
    const all = await waitForReplies(5);
    // The two may be answered in either order; a second "added" would mean the key was applied twice.
    const latest = all.slice(3);
    expect(latest.map((reply) => reply.outcome?.kind?.$case).sort()).toEqual(["added", "help"]);
    expect(latest.find((reply) => reply.outcome?.kind?.$case === "added")?.outcome?.kind).toMatchObject({
      $case: "added",
      value: {
        todos: [
          { number: 1, text: "call mom" },
          { number: 2, text: "water plants" },
        ],
      },
    });
  });
});
