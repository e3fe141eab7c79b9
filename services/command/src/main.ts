import { createLlmClient, createLlmCommandMapper } from "@sms-todo/command-language";
import { todo } from "@sms-todo/contracts";
import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createResilientClient } from "@sms-todo/shared/grpc-client";
import { createMetricsRegistry, createMetricsServer, observeCircuitBreaker } from "@sms-todo/shared/metrics";
import { createApp } from "./app.js";
import { loadCommandConfig } from "./command.config.js";

// The logger exists before the config so an invalid configuration is reported; its level follows the config once read.
const logger = createLogger({ name: "command" });

await runService({
  logger,
  create: () => {
    const config = loadCommandConfig(process.env);
    logger.level = config.LOG_LEVEL;
    const broker = new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger });
    const todoDomain = createResilientClient(todo.TodoServiceClient, config.TODO_GRPC_ADDR, { name: "todo-domain", logger });
    const llmClient = createLlmClient(config);
    if (llmClient) logger.info({ model: llmClient.model }, "LLM configured for free-text commands");
    const metricsRegistry = createMetricsRegistry();
    observeCircuitBreaker(metricsRegistry, "todo-domain", todoDomain.breaker);
    return createApp({
      config,
      logger,
      broker,
      todoClient: todoDomain.client,
      llm: llmClient && createLlmCommandMapper(llmClient),
      metricsRegistry,
      metricsServer: createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger }),
    });
  },
});
