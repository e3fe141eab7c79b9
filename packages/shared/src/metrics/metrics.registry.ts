import { collectDefaultMetrics, Registry } from "prom-client";

export interface MetricsRegistryOptions {
  /**
   * prom-client's process and Node.js metrics (CPU, memory, event-loop lag, GC). Each collector
   * keeps a timer and a GC observer for the life of the process, so only composition roots turn
   * them on, once; tests that start many apps in one process leave them off.
   */
  defaultMetrics?: boolean;
}

/**
 * A registry of its own for one app. Nothing uses prom-client's global registry: several apps in
 * one test process would otherwise register the same metric names twice.
 */
export function createMetricsRegistry({ defaultMetrics = true }: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}
