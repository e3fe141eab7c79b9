import { EventEmitter } from "node:events";
import { randomInt, randomUUID } from "node:crypto";
import type { ClientUnaryCall } from "@grpc/grpc-js";
import amqplib from "amqplib";
import { Redis } from "ioredis";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker, createLogger, type App, type Logger, type Topology } from "@sms-todo/shared";
import {
  createTestTopology,
  fakeMessageSid,
  fakeTodoClient,
  logLineDestination,
  TEST_TWILIO,
  testInfrastructure,
  uniqueName,
  type TestTopology,
  type TwilioStandIn,
} from "@sms-todo/testkit";
import { loadNotifierConfig, twilioSettingsOf } from "../src/notifier.config.js";
import { composeNotifier, type NotifierOverrides } from "../src/notifier.composition.js";
import type { SubscriptionClient } from "../src/sms/recipient-opt-out.recorder.js";
import type { SummaryClaimClient } from "../src/summaries/summary-round.use-case.js";
import type { SmsSender } from "../src/sms/sms.sender.js";
import { TwilioSmsSender } from "../src/sms/twilio-sms.sender.js";

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface WatchedLogs {
  logger: Logger;
  /** Every line so far, raw, as written. */
  raw: string[];
  lines: LogLine[];
  /** Resolves with the first line (past or future) matching the predicate. */
  waitFor(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

/** A real project logger whose lines tests can wait for, as events rather than by polling. */
export function watchLogs(name = "notifier-test"): WatchedLogs {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const destination = logLineDestination(name, (text) => {
    raw.push(text);
    const line = JSON.parse(text) as LogLine;
    lines.push(line);
    events.emit("line", line);
  });
  return {
    logger: createLogger({ name, level: "debug", destination }),
    raw,
    lines,
    waitFor(predicate, timeoutMs = 10_000) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const onLine = (line: LogLine) => {
          if (!predicate(line)) return;
          clearTimeout(timer);
          events.off("line", onLine);
          resolve(line);
        };
        const timer = setTimeout(() => {
          events.off("line", onLine);
          // The latest lines tell a slow handler from one that went another way (they are masked like every log line).
          reject(new Error(`no matching log line within ${timeoutMs} ms; last: ${JSON.stringify(raw.slice(-8))}`));
        }, timeoutMs);
        events.on("line", onLine);
      });
    },
  };
}

/** A phone number no other test uses, so the stand-in's records per number belong to one test. */
export function testPhoneNumber(): string {
  return `+1555${randomInt(1_000_000, 9_999_999)}`;
}

/** The environment of a notifier that sends through the stand-in. */
export function twilioEnv(standIn: TwilioStandIn, from: string = TEST_TWILIO.from): NodeJS.ProcessEnv {
  return {
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    TWILIO_FROM: from,
    TWILIO_API_BASE_URL: standIn.baseUrl,
    PUBLIC_BASE_URL: TEST_TWILIO.publicBaseUrl,
  };
}

/** The real Twilio sender, unpaced and keeping no doubts in Redis (the one composeNotifier builds has both). */
export function twilioSender(logs: WatchedLogs) {
  return (config: Parameters<typeof twilioSettingsOf>[0]): SmsSender => {
    const settings = twilioSettingsOf(config);
    if (!settings) throw new Error("the test configuration lacks Twilio settings");
    return new TwilioSmsSender({ settings, logger: logs.logger });
  };
}

export interface RunningNotifier {
  app: App;
  topology: Topology;
  keyPrefix: string;
  /** Publishes as todo-domain's outbox does: a ReplyRequested on the events exchange. Returns the event id. */
  publishReply(phoneNumber: string, outcome: todo.Outcome["kind"], eventId?: string): Promise<string>;
  /** Publishes raw bytes where ReplyRequested events go. */
  publishRawReply(body: Buffer, messageId: string): Promise<void>;
  publishStatus(status: Partial<messaging.DeliveryStatus>): Promise<void>;
  /** Resolves with the first message dead-lettered from `queue` whose messageId matches. */
  waitForDeadLetter(queue: string, messageId: string, timeoutMs?: number): Promise<amqplib.ConsumeMessage>;
  /** Stops the app, removes the topology and the Redis keys of this run. */
  close(): Promise<void>;
}

export interface StartNotifierOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** A sender of the test's own; without it, the one the Twilio settings call for, as in production. */
  sender?: (config: ReturnType<typeof loadNotifierConfig>) => SmsSender;
  /** Timeouts, retries and breaker of that Twilio sender. */
  twilioSender?: NotifierOverrides["twilioSender"];
  /** todo-domain as the notifier reaches it; a fake that answers every call by default. */
  todoClient?: SubscriptionClient & SummaryClaimClient & { close(): void };
}

/** A todo-domain with no summary due: the cron ticks of these tests claim nothing. */
const noSummariesDue: SummaryClaimClient["claimDueSummaries"] = (_request, _metadata, _options, callback) => {
  callback(null, { queued: 0, empty: 0, moreDue: false });
  return {} as ClientUnaryCall;
};

/** The real app on its own queues and Redis key prefix, with a publisher standing in for todo-domain. */
export async function startNotifier(options: StartNotifierOptions): Promise<RunningNotifier> {
  const testTopology: TestTopology = createTestTopology("notifier");
  const { topology } = testTopology;
  const config = loadNotifierConfig({
    AMQP_URL: testInfrastructure.amqpUrl,
    REDIS_URL: testInfrastructure.redisUrl,
    SMS_TODO_NAMESPACE: testTopology.namespace,
    METRICS_PORT: "0",
    ...options.env,
  });
  const keyPrefix = `${uniqueName("notifier")}:sms-todo:`;
  const app = composeNotifier(config, {
    logger: options.logger,
    sender: options.sender?.(config),
    twilioSender: options.twilioSender,
    todoClient: options.todoClient ?? { ...fakeTodoClient(), claimDueSummaries: noSummariesDue, close: () => undefined },
    keyPrefix,
  });
  await app.start();

  const publisher = new AmqpBroker({ url: config.AMQP_URL, topology, logger: options.logger.child({ role: "test-publisher" }) });
  await publisher.start();
  const inspection = await amqplib.connect(config.AMQP_URL);
  const inspectionChannel = await inspection.createChannel();

  return {
    app,
    topology,
    keyPrefix,
    async publishReply(phoneNumber, kind, eventId = randomUUID()) {
      const event = messaging.ReplyRequested.fromPartial({
        eventId,
        phoneNumber,
        messageId: fakeMessageSid(),
        outcome: { kind },
        occurredAtMs: Date.now(),
      });
      const body = Buffer.from(messaging.ReplyRequested.encode(event).finish());
      await publisher.publish(topology.exchanges.events, topology.routingKeys.replyRequested, body, {
        messageId: eventId,
        type: "messaging.v1.ReplyRequested",
      });
      return eventId;
    },
    async publishRawReply(body, messageId) {
      await publisher.publish(topology.exchanges.events, topology.routingKeys.replyRequested, body, { messageId });
    },
    async publishStatus(status) {
      const body = Buffer.from(messaging.DeliveryStatus.encode(messaging.DeliveryStatus.fromPartial(status)).finish());
      await publisher.publish(topology.exchanges.inbound, topology.routingKeys.status, body, { messageId: randomUUID() });
    },
    async waitForDeadLetter(queue, messageId, timeoutMs = 10_000) {
      let consumerTag: string | undefined;
      try {
        return await new Promise<amqplib.ConsumeMessage>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`nothing dead-lettered from ${queue} within ${timeoutMs} ms`)),
            timeoutMs,
          );
          inspectionChannel
            .consume(queue, (message) => {
              if (!message) return;
              inspectionChannel.ack(message);
              if (message.properties.messageId !== messageId) return;
              clearTimeout(timer);
              resolve(message);
            })
            .then(({ consumerTag: tag }) => {
              consumerTag = tag;
            }, reject);
        });
      } finally {
        if (consumerTag) await inspectionChannel.cancel(consumerTag);
      }
    },
    async close() {
      await app.stop();
      await publisher.close();
      await inspection.close();
      await testTopology.remove();
      await deleteKeys(keyPrefix);
    },
  };
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(testInfrastructure.redisUrl);
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 100 }) as AsyncIterable<string[]>)
      keys.push(...batch);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/** An open todo as an outcome carries it, on the default list unless one is named. */
export function openTodo(number: number, text: string, list = ""): todo.Todo {
  return { number, text, status: todo.TodoStatus.TODO_STATUS_OPEN, id: randomUUID(), list, due: undefined };
}
