import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("users")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("phone_number", "text", (c) => c.notNull().unique())
      .addColumn("opted_out", "boolean", (c) => c.notNull().defaultTo(false))
      .addColumn("timezone", "text")
      .addColumn("summary_time", "text", (c) => c.defaultTo("08:00"))
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable("todos")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("number", "integer", (c) => c.check(sql`number > 0`))
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open', 'done', 'deleted')`))
      .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('sms', 'voice')`))
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("closed_at", "timestamptz")
      .addCheckConstraint("todos_open_has_number", sql`(status = 'open') = (number is not null)`)
      .execute();
    // The #N of an open todo is unique per user; closed todos release theirs.
    await sql`create unique index todos_open_number on todos (user_id, number) where status = 'open'`.execute(db);

    await db.schema
      .createTable("processed_commands")
      .addColumn("idempotency_key", "text", (c) => c.primaryKey())
      .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("saga_id", "uuid")
      .addColumn("outcome", "bytea", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable("saga_log")
      .addColumn("saga_id", "uuid", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) =>
        c.notNull().check(sql`status in ('running', 'completed', 'compensating', 'compensated')`),
      )
      .addColumn("step", "text", (c) => c.notNull())
      .addColumn("payload", "jsonb", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await sql`create index saga_log_unfinished on saga_log (updated_at) where status in ('running', 'compensating')`.execute(db);

    await db.schema
      .createTable("outbox")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("event_id", "uuid", (c) => c.notNull().unique())
      .addColumn("routing_key", "text", (c) => c.notNull())
      .addColumn("message_type", "text", (c) => c.notNull())
      .addColumn("payload", "bytea", (c) => c.notNull())
      .addColumn("correlation_id", "text")
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("published_at", "timestamptz")
      .execute();
    await sql`create index outbox_unpublished on outbox (id) where published_at is null`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    for (const table of ["outbox", "saga_log", "processed_commands", "todos", "users"]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
