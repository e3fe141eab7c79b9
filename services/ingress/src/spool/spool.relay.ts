import type { Kysely } from "kysely";
import { createPollingRelay, runWithCorrelation, type AmqpBroker, type Logger } from "@sms-todo/shared";
import { ensureDatabaseExists, migrateToLatest } from "@sms-todo/shared/database";
import type { IngressMetrics } from "../metrics/ingress.metrics.js";
import { spoolMigrations } from "./spool.migrations.js";
import type { SpoolSchema, SpooledWebhookRow } from "./spool.schema.js";
import type { SpoolState } from "./spool.state.js";
import { countSpooled, deleteSpooled, lockOldestSpooled, tryLockRelay } from "./spooled-webhook.repository.js";

export interface SpoolRelayOptions {
  db: Kysely<SpoolSchema>;
  /** Where the spool database is created when it does not exist yet. */
  databaseUrl: string;
  broker: AmqpBroker;
  state: SpoolState;
  metrics: IngressMetrics;
  logger: Logger;
  /** How often the spool is counted and drained without being woken: rows of other replicas, a broker that came back. */
  pollIntervalMs?: number;
  batchSize?: number;
}

export interface SpoolRelay {
  /** Migrates the spool and counts its rows once, then keeps polling; never throws (an unreachable spool is retried). */
  start(): Promise<void>;
  /** Asks for a pass soon; called right after a webhook was spooled. */
  wake(): void;
  stop(): Promise<void>;
}

/** An outcome noted for a spooled webhook whose publish was under way is kept at most this long. */
const ORIGINAL_OUTCOME_TTL_MS = 5 * 60_000;
/**
 * A pass that takes longer counts as failed, so a Postgres that stopped answering (no statement timeout, and
 * creating the database uses a client without a connect timeout) cannot stall the relay for good.
 */
const PASS_TIMEOUT_MS = 30_000;
/** start waits this long for the first pass; ingress then listens anyway and publishes straight to RabbitMQ. */
const START_WAIT_MS = 5_000;

/**
 * Publishes spooled webhooks to RabbitMQ with confirms, strictly in spool order, and deletes
 * them in the transaction that locked them. One relay drains at a time across all replicas
 * (an advisory lock); a crash between confirm and commit publishes a webhook twice, which
 * consumers deduplicate by MessageSid. Migrates the spool first, as ingress owns it.
 */
export function createSpoolRelay(options: SpoolRelayOptions): SpoolRelay {
  const { db, broker, state, metrics } = options;
  const log = options.logger.child({ component: "spool-relay" });
  const batchSize = options.batchSize ?? 100;
  const { exchanges } = broker.topology;
  let migrated = false;
  let failing = false;
  let removedSinceEmpty = 0;

  function publish(row: SpooledWebhookRow): Promise<void> {
    return runWithCorrelation(row.correlation_id, () =>
      broker.publish(row.exchange, row.routing_key, row.body, {
        messageId: row.message_id,
        type: row.message_type,
        correlationId: row.correlation_id,
        headers: row.headers,
      }),
    );
  }

  /** One batch: published in order, the confirmed ones deleted. Resolves whether to go on. */
  async function relayBatch(): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      if (!(await tryLockRelay(trx, exchanges.inbound))) return false;
      const rows = await lockOldestSpooled(trx, exchanges.inbound, batchSize);
      // Publishes go out one after another on the one confirm channel, so they arrive in this order.
      const confirms: Array<Promise<"relayed" | "already published">> = [];
      for (const row of rows) {
        const original = state.takeOriginal(row.message_id);
        // Later rows wait while an earlier one's own publish is undecided: it may still have to be sent.
        if (original && (await original)) confirms.push(Promise.resolve("already published"));
        else confirms.push(publish(row).then(() => "relayed"));
      }
      const outcomes = await Promise.allSettled(confirms);
      const failedAt = outcomes.findIndex((outcome) => outcome.status === "rejected");
      const done = failedAt === -1 ? rows : rows.slice(0, failedAt);
      await deleteSpooled(
        trx,
        done.map((row) => row.id),
      );
      const failure = outcomes[failedAt];
      if (failure?.status === "rejected") log.warn({ err: failure.reason, relayed: done.length }, "relaying the spool stopped");
      metrics.countRelayed(
        outcomes.slice(0, done.length).filter((outcome) => outcome.status === "fulfilled" && outcome.value === "relayed").length,
      );
      removedSinceEmpty += done.length;
      return failedAt === -1 && rows.length === batchSize;
    });
  }

  async function migrateOnce(): Promise<void> {
    if (migrated) return;
    await ensureDatabaseExists(options.databaseUrl);
    const applied = await migrateToLatest(db as Kysely<unknown>, spoolMigrations);
    migrated = true;
    log.info({ applied }, "spool migrated");
  }

  async function countLeft(): Promise<void> {
    const snapshot = state.snapshot();
    const rows = await countSpooled(db, exchanges.inbound);
    // A count that raced with an insert would undo the gauge's increment for that row.
    if (state.unchangedSince(snapshot)) metrics.setSpoolRows(rows);
    state.noteReachable(true);
    if (rows > 0) {
      state.markHoldsRows();
    } else if (state.markEmptyIf(snapshot) && removedSinceEmpty > 0) {
      log.info({ removed: removedSinceEmpty }, "spool drained");
      removedSinceEmpty = 0;
    }
    state.forgetOriginalsBefore(Date.now() - ORIGINAL_OUTCOME_TTL_MS);
  }

  const relay = createPollingRelay({
    name: "spool relay",
    relayBatch,
    canRelay: () => broker.isConnected,
    beforeBatches: migrateOnce,
    afterBatches: countLeft,
    onPassSucceeded() {
      if (failing) log.info("spool reachable again");
      failing = false;
    },
    onPassFailed(error) {
      state.noteReachable(false);
      metrics.countRelayFailure();
      // Once per outage: a relay polling every second would otherwise log a line a second.
      if (!failing) log.warn({ err: error }, "spool unavailable");
      failing = true;
    },
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    passTimeoutMs: PASS_TIMEOUT_MS,
    startWaitMs: START_WAIT_MS,
  });

  return {
    async start() {
      await relay
        .start()
        .catch((error: unknown) => log.warn({ err: error }, "spool not ready at start; webhooks go to RabbitMQ until it is"));
    },
    wake: () => relay.wake(),
    stop: () => relay.stop(),
  };
}
