import { Redis } from "ioredis";
import { AmqpBroker, createTopology, type Logger } from "@sms-todo/shared";
import { createDatabase } from "@sms-todo/shared/database";
import { createMetricsRegistry } from "@sms-todo/shared/metrics";
import { createApp, type IngressApp, type IngressDeps } from "./app.js";
import type { IngressConfig } from "./ingress.config.js";
import { RATE_LIMIT_REDIS_OPTIONS } from "./rate-limit/inbound-rate.limiter.js";
import type { SpoolSchema } from "./spool/spool.schema.js";

/** What a test stands in for or tunes; everything left out is built from the config, as in production. */
export interface IngressOverrides extends Partial<Pick<IngressDeps, "broker" | "metricsRegistry" | "spoolPollIntervalMs">> {
  logger: Logger;
}

/** Ingress wired as it runs: the one place that turns its config into collaborators. */
export function composeIngress(config: IngressConfig, overrides: IngressOverrides): IngressApp {
  const { logger } = overrides;
  return createApp({
    ...overrides,
    config,
    broker:
      overrides.broker ?? new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
    // A few connections: the spool is written only while RabbitMQ is slow or away, and read by one relay pass at a time.
    spoolDb: createDatabase<SpoolSchema>({ url: config.SPOOL_DATABASE_URL, maxConnections: 4, applicationName: "ingress" }),
    redis: new Redis(config.REDIS_URL, RATE_LIMIT_REDIS_OPTIONS),
    metricsRegistry: overrides.metricsRegistry ?? createMetricsRegistry(),
  });
}
