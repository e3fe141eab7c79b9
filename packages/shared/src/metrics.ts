// Prometheus metrics through prom-client: a registry per app, the /metrics server of the workers, and the
// metrics every service shares (queues, circuit breakers). Behind its own entry so prom-client loads only here.
export { Counter, Gauge, Histogram, Registry } from "prom-client";
export { createMetricsRegistry, type MetricsRegistryOptions } from "./metrics/metrics.registry.js";
export { createMetricsServer, type MetricsServer, type MetricsServerOptions } from "./metrics/metrics.server.js";
export { createQueueMetrics, type QueueCounts, type QueueInspector, type QueueMetrics } from "./metrics/queue.metrics.js";
export { circuitStateValue, observeCircuitBreaker, type CircuitBreakerState } from "./metrics/circuit-breaker.metrics.js";
