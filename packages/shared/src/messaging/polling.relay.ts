import { withTimeout } from "../time/timeout.js";
import { runDetached } from "../tracing/spans.js";

export interface PollingRelayOptions {
  /** Names the relay in its timeout errors, e.g. "spool relay". */
  name: string;
  /**
   * One batch: rows fetched and locked, published with confirms, marked done (usually in one
   * transaction). Resolves whether more may be waiting, i.e. a full batch went out.
   */
  relayBatch(): Promise<boolean>;
  /** Asked before every batch: while it says no (RabbitMQ is down, say), a pass relays nothing. */
  canRelay?(): boolean;
  /** Every pass runs this before its batches, e.g. migrating the table on the first. */
  beforeBatches?(): Promise<void>;
  /** Every pass runs this after its batches, e.g. counting the rows left. */
  afterBatches?(): Promise<void>;
  /** A pass failed (or outlasted passTimeoutMs): the round ends, and the next wake or poll tries again. */
  onPassFailed(error: unknown): void;
  onPassSucceeded?(): void;
  /** How often the relay looks without being woken: rows of other replicas, or left from before a crash. */
  pollIntervalMs: number;
  /** A pass that takes longer counts as failed, so a dependency that stopped answering cannot stall the relay for good. */
  passTimeoutMs?: number;
  /** How long start waits for the first pass; the polls begin once it ended or the wait ran out. */
  startWaitMs?: number;
}

export interface PollingRelay {
  /**
   * Runs a pass at once, then one every pollIntervalMs. With startWaitMs it resolves once the first
   * pass ended, and rejects when that took longer (the pass goes on, and so does the relay).
   */
  start(): Promise<void>;
  /** Asks for a pass soon; called right after a row was written. A pass under way is followed by another. */
  wake(): void;
  /** Stops polling and waits for the pass under way; rows left stay for the next start or another replica. */
  stop(): Promise<void>;
}

/**
 * Publishes the rows of a table (an outbox, a spool) to RabbitMQ: a pass relays batch after
 * batch while they come full, one pass at a time, woken by the writer or by the poll. A crash
 * between a confirm and the commit that marks the row publishes it twice, so consumers dedupe.
 */
export function createPollingRelay(options: PollingRelayOptions): PollingRelay {
  const { name, passTimeoutMs, startWaitMs } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  async function pass(): Promise<void> {
    await options.beforeBatches?.();
    while (options.canRelay?.() ?? true) {
      if (!(await options.relayBatch()) || stopped) break;
    }
    await options.afterBatches?.();
  }

  async function run(): Promise<void> {
    do {
      again = false;
      try {
        if (passTimeoutMs === undefined) await pass();
        else await withTimeout(pass(), passTimeoutMs, () => timedOut(`a ${name} pass`, passTimeoutMs));
        options.onPassSucceeded?.();
      } catch (error) {
        options.onPassFailed(error);
        return;
      }
    } while (again && !stopped);
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    // The wake usually comes while one message is handled; the pass serves every message's rows, not that one's.
    running = runDetached(run).finally(() => {
      running = undefined;
    });
  }

  return {
    async start() {
      stopped = false;
      wake();
      try {
        if (startWaitMs !== undefined) {
          await withTimeout(running ?? Promise.resolve(), startWaitMs, () => timedOut(`the first ${name} pass`, startWaitMs));
        }
      } finally {
        timer = setInterval(wake, options.pollIntervalMs);
      }
    },
    wake,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

function timedOut(what: string, ms: number): never {
  throw new Error(`${what} did not finish within ${ms} ms`);
}
