import type { LlmCommandMapper } from "@sms-todo/command-language";
import type { todo } from "@sms-todo/contracts";
import type { AmqpBroker, App, Consumer, Logger } from "@sms-todo/shared";
import { createMetricsRegistry, createQueueMetrics, type MetricsServer, type Registry } from "@sms-todo/shared/metrics";
import type { CommandConfig } from "./command.config.js";
import { createTextMessageHandler } from "./consumers/text-message.consumer.js";

export interface CommandAppDeps {
  config: CommandConfig;
  logger: Logger;
  broker: AmqpBroker;
  todoClient: todo.TodoServiceClient;
  /** The optional LLM for free-text commands; without it the deterministic parser alone decides. */
  llm?: LlmCommandMapper | undefined;
  /** Where the app's metrics go; the composition gives one with the process metrics. A bare one of the app's own when absent. */
  metricsRegistry?: Registry;
  /** Serves metricsRegistry on METRICS_PORT: started first by start, closed last by stop. None when absent. */
  metricsServer?: MetricsServer;
}

// Each in-flight message waits on one gRPC call; 16 keeps todo-domain busy without queueing deep behind a slow call.
const TEXT_PREFETCH = 16;

/** The command service: consumes the text queue and turns each message into one TodoService call. */
export function createApp({ logger, broker, todoClient, llm, metricsRegistry, metricsServer }: CommandAppDeps): App {
  const log = logger.child({ component: "app" });
  const queueMetrics = createQueueMetrics(metricsRegistry ?? createMetricsRegistry({ defaultMetrics: false }), broker);
  let consumer: Consumer | undefined;

  return {
    async start() {
      await metricsServer?.start();
      await broker.start();
      const queue = broker.topology.queues.text;
      consumer = await broker.consume(queue, queueMetrics.observe(queue, createTextMessageHandler({ todoClient, logger, llm })), {
        prefetch: TEXT_PREFETCH,
      });
      log.info(
        { queue: broker.topology.queues.text, prefetch: TEXT_PREFETCH, llm: llm !== undefined },
        "consuming text messages",
      );
    },
    async stop() {
      await consumer?.stop();
      consumer = undefined;
      await broker.close();
      todoClient.close();
      await metricsServer?.stop();
    },
  };
}
