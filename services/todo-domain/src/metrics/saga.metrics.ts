import { Counter, Histogram, type Registry } from "@sms-todo/shared/metrics";
import type { SagaEnd } from "../sagas/saga.types.js";

/** Counts and times every change as it ends (SagaDeps.onSagaEnd), by saga kind and outcome. */
export function createSagaMetrics(registry: Registry): (end: SagaEnd) => void {
  const outcomes = new Counter({
    name: "sms_todo_saga_outcomes_total",
    help: "Changes ended, by saga kind (add-todos, undo, ...) and outcome (completed, compensated, unchanged, duplicate, failed, recovered_*).",
    labelNames: ["kind", "outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "sms_todo_saga_duration_seconds",
    help: "Time from the start of a change to its end, by saga kind and outcome; recovered sagas count from when they began.",
    labelNames: ["kind", "outcome"],
    // Three local transactions take a few milliseconds; recovered sagas waited at least the sweeper's 10 s.
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30, 120],
    registers: [registry],
  });
  return ({ kind, outcome, durationSeconds }) => {
    outcomes.inc({ kind, outcome });
    duration.observe({ kind, outcome }, durationSeconds);
  };
}
