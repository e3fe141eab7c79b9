import { AmqpBroker, createTopology, type Logger } from "@sms-todo/shared";
import { createMetricsRegistry, createMetricsServer } from "@sms-todo/shared/metrics";
import { createApp, type TodoDomainApp, type TodoDomainDeps } from "./app.js";
import { openDatabases } from "./databases/databases.js";
import type { TodoDomainConfig } from "./todo-domain.config.js";

/** What a test stands in for or steers; everything left out is built from the config, as in production. */
export interface TodoDomainOverrides extends Partial<
  Pick<
    TodoDomainDeps,
    "broker" | "databases" | "beforeSagaStep" | "sagaRecovery" | "readiness" | "metricsRegistry" | "metricsServer"
  >
> {
  logger: Logger;
}

/** todo-domain wired as it runs: the one place that turns its config into collaborators. */
export function composeTodoDomain(config: TodoDomainConfig, overrides: TodoDomainOverrides): TodoDomainApp {
  const { logger } = overrides;
  const metricsRegistry = overrides.metricsRegistry ?? createMetricsRegistry();
  return createApp({
    ...overrides,
    grpcAddress: config.TODO_GRPC_ADDR,
    databases:
      overrides.databases ??
      openDatabases({
        todo: config.TODO_DATABASE_URL,
        audit: config.AUDIT_DATABASE_URL,
        transcription: config.TRANSCRIPTION_DATABASE_URL,
      }),
    broker:
      overrides.broker ?? new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
    metricsRegistry,
    metricsServer:
      overrides.metricsServer ?? createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger }),
  });
}
