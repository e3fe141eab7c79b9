import type { Logger } from "pino";
import { withTimeout } from "../time/timeout.js";

/** One dependency a server cannot serve without, e.g. a database pool answering `select 1`. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answered; rejects (or outlasts the timeout) when it did not. */
  check: () => Promise<unknown>;
}

export interface ReadinessProbeOptions {
  checks: ReadinessCheck[];
  /** Told the first result, then every change; a gRPC server's setServing. */
  onChange(ready: boolean): void;
  logger: Logger;
  /** Pause between the end of one round of checks and the next. */
  intervalMs?: number;
  /** A check that takes longer counts as failed. */
  timeoutMs?: number;
}

export interface ReadinessProbe {
  /** Runs the first round and reports it, then keeps checking in the background. */
  start(): Promise<void>;
  /** Stops checking; a round in progress finishes without reporting. */
  stop(): Promise<void>;
  readonly ready: boolean;
}

export const DEFAULT_READINESS_INTERVAL_MS = 2_000;
export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

/**
 * Keeps a server's readiness in step with its dependencies: every check of a round runs at
 * once, and the server is ready only when all of them answered. Rounds never overlap, so a
 * hanging dependency costs one check per interval, not a pile of them.
 */
export function createReadinessProbe(options: ReadinessProbeOptions): ReadinessProbe {
  const intervalMs = options.intervalMs ?? DEFAULT_READINESS_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  const log = options.logger.child({ component: "readiness" });
  let ready: boolean | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;

  const runRound = async () => {
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs, () => {
            throw new Error(`${name}: no answer within ${timeoutMs} ms`);
          });
          return undefined;
        } catch (error) {
          return { name, reason: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    if (stopped) return;
    const failing = results.filter((result) => result !== undefined);
    const nowReady = failing.length === 0;
    if (nowReady === ready) return;
    const first = ready === undefined;
    ready = nowReady;
    if (!nowReady) log.warn({ failing }, "not ready: a dependency is unreachable");
    else log.info(first ? "ready" : "ready again: every dependency answers");
    options.onChange(nowReady);
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = runRound()
        .catch((error: unknown) => log.error({ err: error }, "readiness round failed"))
        .finally(schedule);
    }, intervalMs);
  };

  return {
    async start() {
      stopped = false;
      round = runRound();
      await round;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
    get ready() {
      return ready === true;
    },
  };
}
