import cron from "node-cron";
import { runSummaryRound, type SummaryRoundDeps } from "./summary-round.use-case.js";

/** Every minute, at second 0: reminder and summary times have whole minutes. */
export const DEFAULT_SUMMARY_CRON = "* * * * *";

export interface DailySummaryScheduler {
  start(): Promise<void>;
  /** Stops ticking and waits for a round in progress. */
  stop(): Promise<void>;
}

/** The cron job: each tick runs one round (reminders, then summaries) unless the previous one still runs. */
export function createDailySummaryScheduler(
  deps: SummaryRoundDeps,
  cronExpression: string = DEFAULT_SUMMARY_CRON,
): DailySummaryScheduler {
  const log = deps.logger.child({ component: "daily-summaries" });
  let running: Promise<void> | undefined;

  const tick = async () => {
    try {
      const result = await runSummaryRound({ ...deps, logger: log });
      if (result.status === "skipped")
        log.debug({ reason: result.reason }, "summary round skipped: the lock is taken or Redis is away");
      else if (result.status === "lock-lost") log.warn(result, "summary lock lost mid-round; the claims made stand");
      else if (result.reminded + result.queued + result.empty > 0) log.info(result, "round claimed due reminders and summaries");
    } catch (error) {
      log.error({ err: error }, "summary round failed; the next tick tries again");
    }
  };

  const task = cron.createTask(
    cronExpression,
    () => {
      if (running) return;
      running = tick().finally(() => {
        running = undefined;
      });
      return running;
    },
    {
      name: "daily-summaries",
      logger: {
        info: (message) => log.debug(message),
        warn: (message) => log.warn(message),
        error: (message, err) => log.error({ err: err ?? message }, "cron"),
        debug: (message, err) => log.debug({ err }, String(message)),
      },
    },
  );

  return {
    async start() {
      await task.start();
    },
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
