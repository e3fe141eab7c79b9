import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("transcripts")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("message_id", "text", (c) => c.notNull().unique())
      .addColumn("user_id", "bigint", (c) => c.notNull())
      .addColumn("saga_id", "uuid", (c) => c.notNull())
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("media", "jsonb", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("transcripts").execute();
  },
};
