import type { Redis } from "ioredis";
import type { AmqpBroker, App, Consumer, Logger } from "@sms-todo/shared";
import type { NotifierConfig } from "./notifier.config.js";
import { createReplyClaims } from "./replies/reply-claims.repository.js";
import { createReplyPages } from "./replies/reply-pages.repository.js";
import { createReplyConsumer } from "./replies/reply.consumer.js";
import type { SmsSender } from "./sms/sms.sender.js";
import { createDeliveryStatusConsumer } from "./status/delivery-status.consumer.js";

export interface NotifierDeps {
  config: NotifierConfig;
  logger: Logger;
  /** Owned by the app from now on: started by start, closed by stop. */
  broker: AmqpBroker;
  /** Owned by the app from now on: quit by stop. */
  redis: Redis;
  sender: SmsSender;
  /** Prefix of every Redis key; tests give each run its own. */
  keyPrefix?: string;
}

export const DEFAULT_KEY_PREFIX = "sms-todo:";
const PREFETCH = 16;

export function createApp(deps: NotifierDeps): App {
  const { broker, redis, sender, logger } = deps;
  const log = logger.child({ component: "notifier" });
  // Without a listener ioredis prints connection errors to the console itself, unmasked.
  redis.on("error", (error: Error) => log.warn({ err: error }, "Redis connection error"));

  const keyPrefix = deps.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const claims = createReplyClaims(redis, keyPrefix);
  const pages = createReplyPages(redis, keyPrefix);
  const replies = createReplyConsumer({ claims, pages, sender, logger: logger.child({ component: "replies" }) });
  const statuses = createDeliveryStatusConsumer(logger);
  const consumers: Consumer[] = [];

  return {
    async start() {
      await redis.ping();
      await broker.start();
      const { queues } = broker.topology;
      consumers.push(await broker.consume(queues.replies, replies, { prefetch: PREFETCH }));
      consumers.push(await broker.consume(queues.status, statuses, { prefetch: PREFETCH }));
    },
    async stop() {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
      await broker.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
