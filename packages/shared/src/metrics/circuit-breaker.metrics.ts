import { Gauge, type Registry } from "prom-client";

/** What the gauge reads of a breaker; opossum's CircuitBreaker has both properties. */
export interface CircuitBreakerState {
  readonly opened: boolean;
  readonly halfOpen: boolean;
}

const NAME = "sms_todo_circuit_breaker_state";

/** 0 closed, 1 half-open, 2 open: the higher, the less gets through. */
export function circuitStateValue(breaker: CircuitBreakerState): 0 | 1 | 2 {
  if (breaker.halfOpen) return 1;
  return breaker.opened ? 2 : 0;
}

const observed = new WeakMap<Registry, Map<string, CircuitBreakerState>>();

/**
 * Reports a breaker's state as sms_todo_circuit_breaker_state{breaker=name}, read when scraped.
 * Several breakers share the one gauge of a registry.
 */
export function observeCircuitBreaker(registry: Registry, name: string, breaker: CircuitBreakerState): void {
  let breakers = observed.get(registry);
  if (!breakers) {
    const known = new Map<string, CircuitBreakerState>();
    breakers = known;
    observed.set(registry, known);
    new Gauge({
      name: NAME,
      help: "State of a circuit breaker: 0 closed, 1 half-open, 2 open.",
      labelNames: ["breaker"],
      registers: [registry],
      collect() {
        for (const [label, state] of known) this.set({ breaker: label }, circuitStateValue(state));
      },
    });
  }
  breakers.set(name, breaker);
}
