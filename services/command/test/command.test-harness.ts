import { credentials } from "@grpc/grpc-js";
import amqplib from "amqplib";
import { createLlmClient, createLlmCommandMapper } from "@sms-todo/command-language";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker, type App } from "@sms-todo/shared";
import { captureLogs, createTestDatabases, createTestTopology, fakeMessageSid, testInfrastructure } from "@sms-todo/testkit";
import { createApp as createTodoDomain, migrateDatabases, openDatabases } from "@sms-todo/todo-domain";
import { createApp } from "../src/app.js";
import { loadCommandConfig } from "../src/command.config.js";

/** The command service and a real todo-domain on their own databases and queues, with every reply event captured. */
export interface CommandHarness {
  /** Every ReplyRequested todo-domain emitted, in arrival order. */
  readonly replies: messaging.ReplyRequested[];
  /** Resolves with the first `count` replies once they arrived. */
  waitForReplies(count: number): Promise<messaging.ReplyRequested[]>;
  /** Publishes one text to the text queue with confirms, as ingress does. */
  publishText(from: string, body: string, messageSid?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface CommandHarnessOptions {
  label: string;
  /** An OpenAI-compatible endpoint for the optional LLM path; without it the parser alone decides. */
  llm?: { baseUrl: string; apiKey: string };
  /** How long waitForReplies waits before it fails the test. */
  replyTimeoutMs?: number;
}

export async function startCommandHarness({
  label,
  llm,
  replyTimeoutMs = 10_000,
}: CommandHarnessOptions): Promise<CommandHarness> {
  const databases = await createTestDatabases(label.replaceAll("-", "_"));
  await migrateDatabases(databases);
  const topo = createTestTopology(label);
  const { logger } = captureLogs(`${label}-int`);
  const domain = createTodoDomain({
    grpcAddress: "127.0.0.1:0",
    logger,
    databases: openDatabases(databases),
    broker: new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger }),
  });
  await domain.start();
  // Built as the composition root builds it, from the same variables.
  const config = loadCommandConfig({
    TODO_GRPC_ADDR: `127.0.0.1:${domain.grpcPort()}`,
    ...(llm ? { OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: llm.apiKey, LLM_MODEL: "stand-in-model" } : {}),
  });
  const llmClient = createLlmClient(config, { maxRetries: 0 });
  const command: App = createApp({
    config,
    logger,
    broker: new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger }),
    todoClient: new todo.TodoServiceClient(config.TODO_GRPC_ADDR, credentials.createInsecure()),
    llm: llmClient && createLlmCommandMapper(llmClient),
  });
  await command.start();

  const replies: messaging.ReplyRequested[] = [];
  const waiters: Array<() => void> = [];
  const connection = await amqplib.connect(testInfrastructure.amqpUrl);
  const channel = await connection.createConfirmChannel();
  await channel.consume(topo.topology.queues.replies, (message) => {
    if (!message) return;
    replies.push(messaging.ReplyRequested.decode(message.content));
    channel.ack(message);
    for (const wake of waiters.splice(0)) wake();
  });

  return {
    replies,
    waitForReplies: (count) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} replies, got ${replies.length}`)), replyTimeoutMs);
        const check = () => {
          if (replies.length >= count) {
            clearTimeout(timer);
            resolve(replies.slice(0, count));
          } else waiters.push(check);
        };
        check();
      }),
    async publishText(from, body, messageSid = fakeMessageSid()) {
      const payload = messaging.InboundMessage.encode(
        messaging.InboundMessage.fromPartial({ messageSid, from, body, channel: messaging.Channel.CHANNEL_SMS }),
      ).finish();
      channel.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.text, Buffer.from(payload), {
        persistent: true,
        messageId: messageSid,
      });
      await channel.waitForConfirms();
    },
    async stop() {
      await channel.close();
      await connection.close();
      await command.stop();
      await domain.stop();
      await topo.remove();
      await databases.drop();
    },
  };
}
