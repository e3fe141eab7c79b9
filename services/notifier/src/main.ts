import { Redis } from "ioredis";
import { todo } from "@sms-todo/contracts";
import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createResilientClient } from "@sms-todo/shared/grpc-client";
import { createMetricsRegistry, createMetricsServer, observeCircuitBreaker } from "@sms-todo/shared/metrics";
import { createApp } from "./app.js";
import { loadNotifierConfig, twilioSettingsOf } from "./notifier.config.js";
import { LoggingSmsSender } from "./sms/logging-sms.sender.js";
import { createSendDoubts } from "./sms/send-doubts.repository.js";
import { createSmsRateLimiter } from "./sms/sms-rate.limiter.js";
import type { SmsSender } from "./sms/sms.sender.js";
import { TwilioSmsSender } from "./sms/twilio-sms.sender.js";

const logger = createLogger({ name: "notifier" });

await runService({
  logger,
  create: () => {
    const config = loadNotifierConfig(process.env);
    logger.level = config.LOG_LEVEL;
    const keyPrefix = `${config.SMS_TODO_NAMESPACE}sms-todo:`;
    const broker = new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger });
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
    const metricsRegistry = createMetricsRegistry();
    const twilio = twilioSettingsOf(config);
    let sender: SmsSender;
    if (twilio) {
      const twilioSender = new TwilioSmsSender({
        settings: twilio,
        logger,
        rateLimiter: createSmsRateLimiter(redis, { perSecond: config.SMS_RATE_PER_SECOND, keyPrefix }),
        doubts: createSendDoubts(redis, keyPrefix),
      });
      observeCircuitBreaker(metricsRegistry, "twilio", twilioSender.circuit);
      sender = twilioSender;
    } else {
      sender = new LoggingSmsSender(logger);
      logger.warn("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set: SMS are written to the log, not sent");
    }
    const todoDomain = createResilientClient(todo.TodoServiceClient, config.TODO_GRPC_ADDR, { name: "todo-domain", logger });
    observeCircuitBreaker(metricsRegistry, "todo-domain", todoDomain.breaker);
    const todoClient = todoDomain.client;
    const metricsServer = createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger });
    return createApp({ config, logger, broker, redis, sender, todoClient, keyPrefix, metricsRegistry, metricsServer });
  },
});
