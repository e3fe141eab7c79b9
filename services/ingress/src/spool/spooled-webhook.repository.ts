import { sql, type Kysely, type Transaction } from "kysely";
import type { SpoolSchema, SpooledWebhookRow } from "./spool.schema.js";

type Db = Kysely<SpoolSchema> | Transaction<SpoolSchema>;

/** A webhook as it would have been published: everything the relay needs to publish it later. */
export interface EncodedWebhook {
  exchange: string;
  routingKey: string;
  messageId: string;
  messageType: string;
  correlationId: string;
  headers: Record<string, string>;
  body: Buffer;
}

// One relay at a time drains one exchange's rows, whichever replica it runs in, so rows leave in the order they
// came. Advisory locks are per database, and this database is ingress's alone; the first key spells "spol".
export const RELAY_LOCK_KEY = 0x73706f6c;

/** Commits one webhook; returns its place in the spool's order. */
export async function insertSpooledWebhook(db: Db, webhook: EncodedWebhook): Promise<number> {
  const { id } = await db
    .insertInto("spooled_webhooks")
    .values({
      exchange: webhook.exchange,
      routing_key: webhook.routingKey,
      message_id: webhook.messageId,
      message_type: webhook.messageType,
      correlation_id: webhook.correlationId,
      headers: JSON.stringify(webhook.headers),
      body: webhook.body,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** Takes the exchange's relay lock for the rest of the transaction; false when another relay holds it. */
export async function tryLockRelay(trx: Transaction<SpoolSchema>, exchange: string): Promise<boolean> {
  const { rows } = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}::integer, hashtext(${exchange})) as locked`.execute(trx);
  return rows[0]?.locked === true;
}

/** The exchange's oldest spooled webhooks, locked until the transaction ends. */
export async function lockOldestSpooled(
  trx: Transaction<SpoolSchema>,
  exchange: string,
  limit: number,
): Promise<SpooledWebhookRow[]> {
  return trx
    .selectFrom("spooled_webhooks")
    .selectAll()
    .where("exchange", "=", exchange)
    .orderBy("id")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function deleteSpooled(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom("spooled_webhooks")
    .where("id", "in", [...ids])
    .execute();
}

export async function countSpooled(db: Db, exchange: string): Promise<number> {
  const { count } = await db
    .selectFrom("spooled_webhooks")
    .where("exchange", "=", exchange)
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(count);
}
