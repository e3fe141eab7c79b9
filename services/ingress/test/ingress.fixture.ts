import { Redis } from "ioredis";
import { sql, type Kysely } from "kysely";
import { createLogger, type Logger } from "@sms-todo/shared";
import { createDatabase } from "@sms-todo/shared/database";
import { logLineDestination, testInfrastructure, uniqueName } from "@sms-todo/testkit";
import type { SpoolSchema, SpooledWebhookRow } from "../src/spool/spool.schema.js";
import { RELAY_LOCK_KEY } from "../src/spool/spooled-webhook.repository.js";

function databaseUrl(name: string): string {
  const url = new URL(testInfrastructure.postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestSpool {
  /** SPOOL_DATABASE_URL of the apps under test; ingress creates the database when it starts. */
  url: string;
  /** What the spool holds now, in spool order. */
  rows(): Promise<SpooledWebhookRow[]>;
  /** The spool itself, once ingress created it. */
  db(): Kysely<SpoolSchema>;
  /** Drops the database, disconnecting anyone still on it. */
  drop(): Promise<void>;
}

/** A spool database of the test's own, not created yet: ingress creates and migrates it at start, as in production. */
export function createTestSpool(label: string): TestSpool {
  const name = uniqueName(`smstodo_${label}_spool`);
  const url = databaseUrl(name);
  let db: Kysely<SpoolSchema> | undefined;
  const open = () => (db ??= createDatabase<SpoolSchema>({ url, maxConnections: 2, applicationName: "ingress-test" }));
  return {
    url,
    rows() {
      return open().selectFrom("spooled_webhooks").selectAll().orderBy("id").execute();
    },
    db: open,
    async drop() {
      await db?.destroy();
      const maintenance = createDatabase<unknown>({
        url: testInfrastructure.postgresUrl,
        maxConnections: 1,
        applicationName: "ingress-test",
      });
      try {
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(maintenance);
      } finally {
        await maintenance.destroy();
      }
    },
  };
}

/** Deletes every Redis key under the prefix: the rate-limit windows a test left. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(testInfrastructure.redisUrl);
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export interface LogLine {
  msg?: string;
  [field: string]: unknown;
}

/** A real project logger whose lines a test can wait for, instead of waiting for time to pass. */
export class LogWatch {
  readonly logger: Logger;
  readonly lines: LogLine[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(name: string, level = "info") {
    const destination = logLineDestination(name, (text) => this.push(JSON.parse(text) as LogLine));
    this.logger = createLogger({ name, level, destination });
  }

  push(line: LogLine): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) waiter();
  }

  /** The lines so far with this message. */
  withMessage(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }

  /** Resolves with the first line from `from` on that matches; the timeout only turns a missing line into a failure. */
  waitFor(match: (line: LogLine) => boolean, { from = 0, timeoutMs = 15_000 } = {}): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.slice(from).find(match);
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching log line within ${timeoutMs} ms; last: ${JSON.stringify(this.lines.slice(-3))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/**
 * Holds the spool relay's advisory lock, as a relay in another replica would while it drains:
 * no relay publishes until release(), which may be called more than once.
 */
export async function holdRelayLock(spoolUrl: string, exchange: string): Promise<{ release(): Promise<void> }> {
  const db = createDatabase<SpoolSchema>({ url: spoolUrl, maxConnections: 1, applicationName: "ingress-test" });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const held = db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${RELAY_LOCK_KEY}::integer, hashtext(${exchange}))`.execute(trx);
    locked();
    await released;
  });
  await Promise.race([lockTaken, held]);
  let done: Promise<void> | undefined;
  return {
    release() {
      release();
      done ??= held.finally(() => db.destroy());
      return done;
    },
  };
}
