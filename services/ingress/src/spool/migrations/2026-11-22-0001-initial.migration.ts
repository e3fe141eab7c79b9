import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("spooled_webhooks")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("exchange", "text", (c) => c.notNull())
      .addColumn("routing_key", "text", (c) => c.notNull())
      .addColumn("message_id", "text", (c) => c.notNull())
      .addColumn("message_type", "text", (c) => c.notNull())
      .addColumn("correlation_id", "text", (c) => c.notNull())
      .addColumn("headers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn("body", "bytea", (c) => c.notNull())
      .addColumn("spooled_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    // The relay reads one exchange's rows in spool order.
    await db.schema.createIndex("spooled_webhooks_exchange_id").on("spooled_webhooks").columns(["exchange", "id"]).execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("spooled_webhooks").execute();
  },
};
