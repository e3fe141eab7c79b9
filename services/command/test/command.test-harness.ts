import amqplib from "amqplib";
import { messaging } from "@sms-todo/contracts";
import type { App } from "@sms-todo/shared";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  fakeMessageSid,
  testInfrastructure,
  todoDomainTestEnv,
} from "@sms-todo/testkit";
import { composeTodoDomain, loadTodoDomainConfig, migrateDatabases } from "@sms-todo/todo-domain";
import { loadCommandConfig } from "../src/command.config.js";
import { composeCommand } from "../src/command.composition.js";

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
  const domain = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(databases, topo.namespace)), { logger });
  await domain.start();
  const config = loadCommandConfig({
    TODO_GRPC_ADDR: `127.0.0.1:${domain.grpcPort()}`,
    METRICS_PORT: "0",
    AMQP_URL: testInfrastructure.amqpUrl,
    SMS_TODO_NAMESPACE: topo.namespace,
    ...(llm ? { OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: llm.apiKey, LLM_MODEL: "stand-in-model" } : {}),
  });
  const command: App = composeCommand(config, { logger, llmClient: { maxRetries: 0 } });
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
