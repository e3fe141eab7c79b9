import { runWithCorrelation } from "@sms-todo/shared";
import { changeSagaPayloadOf, changeSagaSteps, compensateChangeSaga, correlationIdOf, finishChangeSaga } from "./change.saga.js";
import { findStalledSagas, recordSagaAttempt, type SagaLogRow } from "./saga-log.repository.js";
import type { SagaDeps } from "./saga.types.js";

export interface SagaRecoverySweeper {
  start(): void;
  /** One pass over stalled sagas; returns how many it finished or compensated. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Finishes sagas interrupted by a crash: at start and then periodically, every saga left
 * running or compensating for longer than `stalledAfterMs` is recovered.
 */
export function createSagaRecoverySweeper(
  deps: SagaDeps,
  options: { intervalMs?: number; stalledAfterMs?: number } = {},
): SagaRecoverySweeper {
  const log = deps.logger.child({ component: "saga-recovery" });
  const stalledAfterMs = options.stalledAfterMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function sweep(): Promise<number> {
    let recovered = 0;
    for (const saga of await findStalledSagas(deps.databases.todo, stalledAfterMs, 50)) {
      // Recovered as the work of the message that started the saga: its lines and its reply carry that id.
      await runWithCorrelation(correlationIdOf(saga), async () => {
        try {
          await recordSagaAttempt(deps.databases.todo, saga.saga_id);
          const result = await recoverSaga(deps, saga);
          if (result !== "skipped") recovered += 1;
          log.info({ sagaId: saga.saga_id, kind: saga.kind, result }, "stalled saga recovered");
        } catch (error) {
          log.warn({ err: error, sagaId: saga.saga_id }, "saga recovery failed; retrying on the next sweep");
        }
      });
    }
    return recovered;
  }

  const tick = () => {
    if (running) return;
    running = sweep()
      .catch((error: unknown) => {
        log.warn({ err: error }, "saga sweep failed");
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  };

  return {
    start() {
      tick();
      timer = setInterval(tick, options.intervalMs ?? 10_000);
    },
    sweep,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

/**
 * Finishes or compensates one stalled saga. Running sagas roll forward (their remaining
 * steps are idempotent); compensating ones finish compensating, every step's compensation
 * included, since removing what was never written is harmless.
 */
async function recoverSaga(deps: SagaDeps, saga: SagaLogRow): Promise<"completed" | "compensated" | "skipped"> {
  const result = await recoverStalledSaga(deps, saga);
  if (result !== "skipped") {
    const durationSeconds = Math.max(0, Date.now() - saga.created_at.getTime()) / 1000;
    deps.onSagaEnd?.({ kind: saga.kind, outcome: `recovered_${result}`, durationSeconds });
  }
  return result;
}

async function recoverStalledSaga(deps: SagaDeps, saga: SagaLogRow): Promise<"completed" | "compensated" | "skipped"> {
  const payload = changeSagaPayloadOf(saga);
  const steps = changeSagaSteps(deps.databases, saga.saga_id, payload);
  if (saga.status === "compensating") {
    await compensateChangeSaga(
      deps,
      saga.saga_id,
      payload,
      "compensating",
      steps.map((step) => () => step.compensate()),
    );
    return "compensated";
  }
  for (const step of steps) await step.run();
  return (await finishChangeSaga(deps, saga.saga_id, payload)) ? "completed" : "skipped";
}
