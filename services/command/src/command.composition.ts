import { createLlmClient, createLlmCommandMapper, type LlmClientOptions } from "@sms-todo/command-language";
import { AmqpBroker, createTopology, type App, type Logger } from "@sms-todo/shared";
import { createTodoDomainClient } from "@sms-todo/shared/grpc-client";
import { createMetricsRegistry, createMetricsServer, type MetricsServer, type Registry } from "@sms-todo/shared/metrics";
import { createApp } from "./app.js";
import type { CommandConfig } from "./command.config.js";

/** What a test stands in for or tunes; everything left out is built from the config, as in production. */
export interface CommandOverrides {
  logger: Logger;
  /** Timeouts and retries of the LLM client the config names. */
  llmClient?: LlmClientOptions;
  metricsRegistry?: Registry;
  /** Serves metricsRegistry; one on METRICS_PORT otherwise. */
  metricsServer?: MetricsServer;
}

/** The command service wired as it runs: the one place that turns its config into collaborators. */
export function composeCommand(config: CommandConfig, overrides: CommandOverrides): App {
  const { logger } = overrides;
  const llmClient = createLlmClient(config, overrides.llmClient);
  if (llmClient) logger.info({ model: llmClient.model }, "LLM configured for free-text commands");
  const metricsRegistry = overrides.metricsRegistry ?? createMetricsRegistry();
  return createApp({
    config,
    logger,
    broker: new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
    todoClient: createTodoDomainClient(config.TODO_GRPC_ADDR, { logger, metricsRegistry }),
    llm: llmClient && createLlmCommandMapper(llmClient),
    metricsRegistry,
    metricsServer:
      overrides.metricsServer ?? createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger }),
  });
}
