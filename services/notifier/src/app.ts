import type { Redis } from "ioredis";
import Redlock from "redlock";
import type { AmqpBroker, App, Consumer, Logger } from "@sms-todo/shared";
import { createMetricsRegistry, createQueueMetrics, type MetricsServer, type Registry } from "@sms-todo/shared/metrics";
import { observeSmsSends } from "./metrics/sms.metrics.js";
import type { NotifierConfig } from "./notifier.config.js";
import { createReplyClaims } from "./replies/reply-claims.repository.js";
import { createReplyPages } from "./replies/reply-pages.repository.js";
import { createReplyConsumer } from "./replies/reply.consumer.js";
import { createRecipientOptOuts, type SubscriptionClient } from "./sms/recipient-opt-out.recorder.js";
import type { SmsSender } from "./sms/sms.sender.js";
import { createDailySummaryScheduler, type DailySummaryScheduler } from "./summaries/daily-summary.scheduler.js";
import {
  runSummaryRound,
  type SummaryClaimClient,
  type SummaryRoundDeps,
  type SummaryRoundResult,
} from "./summaries/summary-round.use-case.js";
import { createDeliveryStatusConsumer } from "./status/delivery-status.consumer.js";
import { createDeliveryStatuses } from "./status/delivery-status.repository.js";

export interface NotifierDeps {
  config: NotifierConfig;
  logger: Logger;
  /** Owned by the app from now on: started by start, closed by stop. */
  broker: AmqpBroker;
  /** Owned by the app from now on: quit by stop. */
  redis: Redis;
  /** Closed by stop. */
  sender: SmsSender;
  /** todo-domain: claims the due summaries, and is told about recipients Twilio reports as unsubscribed. Closed by stop. */
  todoClient: SubscriptionClient & SummaryClaimClient & { close(): void };
  /** Prefix of every Redis key; tests give each run its own. */
  keyPrefix?: string;
  /** The clock summaries are scheduled and checked by; tests move a fake one. */
  now?: () => Date;
  /** How long the summaries lock lasts unrenewed; see DEFAULT_SUMMARY_LOCK_TTL_MS. */
  summaryLockTtlMs?: number;
  /** Where the app's metrics go; the composition gives one with the process metrics. A bare one of the app's own when absent. */
  metricsRegistry?: Registry;
  /** Serves metricsRegistry on METRICS_PORT: started first by start, closed last by stop. None when absent. */
  metricsServer?: MetricsServer;
}

export interface NotifierApp extends App {
  /** One summary round now, as a cron tick runs it; for tests and operators. */
  runSummaryRound(): Promise<SummaryRoundResult>;
}

export const DEFAULT_KEY_PREFIX = "sms-todo:";
/**
 * A round claims a batch of 100 users in well under a second; a replica that stalls longer
 * than this loses the lock to the next tick elsewhere, and finds its remaining work done.
 */
export const DEFAULT_SUMMARY_LOCK_TTL_MS = 30_000;
const PREFETCH = 16;

/**
 * Replies in flight per replica. Each waits for its slot of the shared outbound rate while it
 * holds its reply claim; a couple of seconds' worth keeps Twilio busy without long waits.
 */
export function replyPrefetchFor(smsPerSecond: number): number {
  return Math.min(PREFETCH, Math.max(1, Math.ceil(smsPerSecond * 2)));
}

export function createApp(deps: NotifierDeps): NotifierApp {
  const { broker, redis, sender, logger, config } = deps;
  const log = logger.child({ component: "notifier" });
  // Without a listener ioredis prints connection errors to the console itself, unmasked.
  redis.on("error", (error: Error) => log.warn({ err: error }, "Redis connection error"));

  const keyPrefix = deps.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const metricsRegistry = deps.metricsRegistry ?? createMetricsRegistry({ defaultMetrics: false });
  const queueMetrics = createQueueMetrics(metricsRegistry, broker);
  const now = deps.now ?? (() => new Date());
  const replies = createReplyConsumer({
    claims: createReplyClaims(redis, keyPrefix),
    pages: createReplyPages(redis, keyPrefix),
    sender: observeSmsSends(sender, metricsRegistry),
    optOuts: createRecipientOptOuts(deps.todoClient),
    logger: logger.child({ component: "replies" }),
    now,
  });
  const summaryRound: SummaryRoundDeps = {
    lock: new Redlock([redis], { retryCount: 0 }),
    lockKey: `${keyPrefix}daily-summaries:lock`,
    lockTtlMs: deps.summaryLockTtlMs ?? DEFAULT_SUMMARY_LOCK_TTL_MS,
    client: deps.todoClient,
    now,
    logger: logger.child({ component: "daily-summaries" }),
  };
  let scheduler: DailySummaryScheduler | undefined;
  const statuses = createDeliveryStatusConsumer({ statuses: createDeliveryStatuses(redis, keyPrefix), logger });
  const consumers: Consumer[] = [];

  return {
    async start() {
      await deps.metricsServer?.start();
      await redis.ping();
      await broker.start();
      const { queues } = broker.topology;
      const replyPrefetch = replyPrefetchFor(config.SMS_RATE_PER_SECOND);
      consumers.push(
        await broker.consume(queues.replies, queueMetrics.observe(queues.replies, replies), { prefetch: replyPrefetch }),
      );
      consumers.push(await broker.consume(queues.status, queueMetrics.observe(queues.status, statuses), { prefetch: PREFETCH }));
      if (config.SUMMARY_CRON !== "off") {
        scheduler = createDailySummaryScheduler(summaryRound, config.SUMMARY_CRON);
        await scheduler.start();
      }
    },
    async stop() {
      await scheduler?.stop();
      await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
      sender.close?.();
      await broker.close();
      deps.todoClient.close();
      await redis.quit().catch(() => undefined);
      await deps.metricsServer?.stop();
    },
    runSummaryRound: () => runSummaryRound(summaryRound),
  };
}
