import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createMetricsRegistry } from "@sms-todo/shared/metrics";
import { createApp } from "./app.js";
import { loadIngressConfig } from "./ingress.config.js";

// The level is only known once the config parsed; a config error must still be logged, at the default level.
const logger = createLogger({ name: "ingress" });

await runService({
  logger,
  create: () => {
    const config = loadIngressConfig(process.env);
    logger.level = config.LOG_LEVEL;
    const broker = new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger });
    return createApp({ config, logger, broker, metricsRegistry: createMetricsRegistry() });
  },
});
