import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createMetricsRegistry, createMetricsServer } from "@sms-todo/shared/metrics";
import { createApp } from "./app.js";
import { openDatabases } from "./databases/databases.js";
import { loadTodoDomainConfig } from "./todo-domain.config.js";

// The level is known once the config is read; a config error is still logged, at the default level.
const logger = createLogger({ name: "todo-domain" });

await runService({
  logger,
  create: () => {
    const config = loadTodoDomainConfig(process.env);
    logger.level = config.LOG_LEVEL;
    const metricsRegistry = createMetricsRegistry();
    return createApp({
      grpcAddress: config.TODO_GRPC_ADDR,
      logger,
      databases: openDatabases({
        todo: config.TODO_DATABASE_URL,
        audit: config.AUDIT_DATABASE_URL,
        transcription: config.TRANSCRIPTION_DATABASE_URL,
      }),
      broker: new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
      metricsRegistry,
      metricsServer: createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger }),
    });
  },
});
