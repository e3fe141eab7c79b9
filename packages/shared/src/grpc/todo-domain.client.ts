import { todo } from "@sms-todo/contracts";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { observeCircuitBreaker } from "../metrics/circuit-breaker.metrics.js";
import { createResilientClient } from "./resilient-client.js";

/**
 * The client command, transcribe and the notifier call todo-domain with: deadlines, retries on
 * UNAVAILABLE and a circuit breaker, whose state the given registry reports as breaker "todo-domain".
 */
export function createTodoDomainClient(
  address: string,
  { logger, metricsRegistry }: { logger: Logger; metricsRegistry: Registry },
): todo.TodoServiceClient {
  const todoDomain = createResilientClient(todo.TodoServiceClient, address, { name: "todo-domain", logger });
  observeCircuitBreaker(metricsRegistry, "todo-domain", todoDomain.breaker);
  return todoDomain.client;
}
