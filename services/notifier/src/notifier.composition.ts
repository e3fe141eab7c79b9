import { Redis } from "ioredis";
import { AmqpBroker, createTopology, type Logger } from "@sms-todo/shared";
import { createTodoDomainClient } from "@sms-todo/shared/grpc-client";
import { createMetricsRegistry, createMetricsServer, observeCircuitBreaker, type Registry } from "@sms-todo/shared/metrics";
import { createApp, type NotifierApp, type NotifierDeps } from "./app.js";
import { twilioSettingsOf, type NotifierConfig } from "./notifier.config.js";
import { LoggingSmsSender } from "./sms/logging-sms.sender.js";
import { createSendDoubts } from "./sms/send-doubts.repository.js";
import { createSmsRateLimiter } from "./sms/sms-rate.limiter.js";
import type { SmsSender } from "./sms/sms.sender.js";
import { TwilioSmsSender, type TwilioSmsSenderOptions } from "./sms/twilio-sms.sender.js";

/** What a test stands in for, tunes or steers; everything left out is built from the config, as in production. */
export interface NotifierOverrides extends Partial<
  Pick<NotifierDeps, "broker" | "todoClient" | "keyPrefix" | "now" | "summaryLockTtlMs" | "metricsRegistry" | "metricsServer">
> {
  logger: Logger;
  /** Replaces the sender the Twilio settings call for. */
  sender?: SmsSender;
  /** Timeouts, retries and breaker of the Twilio sender built from the Twilio settings. */
  twilioSender?: Pick<TwilioSmsSenderOptions, "timeoutMs" | "budgetMs" | "retryPolicy" | "breaker">;
}

/** The notifier wired as it runs: the one place that turns its config into collaborators. */
export function composeNotifier(config: NotifierConfig, overrides: NotifierOverrides): NotifierApp {
  const { logger, sender, twilioSender, ...steering } = overrides;
  const keyPrefix = overrides.keyPrefix ?? `${config.SMS_TODO_NAMESPACE}sms-todo:`;
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
  const metricsRegistry = overrides.metricsRegistry ?? createMetricsRegistry();
  const todoClient = overrides.todoClient ?? createTodoDomainClient(config.TODO_GRPC_ADDR, { logger, metricsRegistry });
  return createApp({
    ...steering,
    config,
    logger,
    broker:
      overrides.broker ?? new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
    redis,
    sender: sender ?? composeSender(config, { logger, redis, keyPrefix, metricsRegistry, twilioSender }),
    todoClient,
    keyPrefix,
    metricsRegistry,
    metricsServer:
      overrides.metricsServer ?? createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger }),
  });
}

/** Twilio when the config holds its settings, paced and remembering doubtful sends in Redis; the log otherwise. */
function composeSender(
  config: NotifierConfig,
  parts: {
    logger: Logger;
    redis: Redis;
    keyPrefix: string;
    metricsRegistry: Registry;
    twilioSender: NotifierOverrides["twilioSender"];
  },
): SmsSender {
  const { logger, redis, keyPrefix } = parts;
  const settings = twilioSettingsOf(config);
  if (!settings) {
    logger.warn("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set: SMS are written to the log, not sent");
    return new LoggingSmsSender(logger);
  }
  const sender = new TwilioSmsSender({
    settings,
    logger,
    rateLimiter: createSmsRateLimiter(redis, { perSecond: config.SMS_RATE_PER_SECOND, keyPrefix }),
    doubts: createSendDoubts(redis, keyPrefix),
    ...parts.twilioSender,
  });
  observeCircuitBreaker(parts.metricsRegistry, "twilio", sender.circuit);
  return sender;
}
