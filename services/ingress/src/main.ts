import { Redis } from "ioredis";
import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createDatabase } from "@sms-todo/shared/database";
import { createMetricsRegistry } from "@sms-todo/shared/metrics";
import { createApp } from "./app.js";
import { loadIngressConfig } from "./ingress.config.js";
import { RATE_LIMIT_REDIS_OPTIONS } from "./rate-limit/inbound-rate.limiter.js";
import type { SpoolSchema } from "./spool/spool.schema.js";

// The level is only known once the config parsed; a config error must still be logged, at the default level.
const logger = createLogger({ name: "ingress" });

await runService({
  logger,
  create: () => {
    const config = loadIngressConfig(process.env);
    logger.level = config.LOG_LEVEL;
    const broker = new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger });
    // A few connections: the spool is written only while RabbitMQ is slow or away, and read by one relay pass at a time.
    const spoolDb = createDatabase<SpoolSchema>({
      url: config.SPOOL_DATABASE_URL,
      maxConnections: 4,
      applicationName: "ingress",
    });
    const redis = new Redis(config.REDIS_URL, RATE_LIMIT_REDIS_OPTIONS);
    return createApp({ config, logger, broker, spoolDb, redis, metricsRegistry: createMetricsRegistry() });
  },
});
