import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("audit_events")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("event_id", "uuid", (c) => c.notNull().unique())
      .addColumn("saga_id", "uuid", (c) => c.notNull())
      .addColumn("message_id", "text", (c) => c.notNull())
      .addColumn("user_id", "bigint", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("todo_id", "uuid")
      .addColumn("data", "jsonb", (c) => c.notNull())
      .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("audit_events_user").on("audit_events").columns(["user_id", "id"]).execute();
    // Append-only: updates are refused (deletes stay possible, for saga compensation only).
    await sql`
      create function audit_events_refuse_update() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only';
      end $$`.execute(db);
    await sql`create trigger audit_events_append_only before update on audit_events for each row execute function audit_events_refuse_update()`.execute(
      db,
    );
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("audit_events").execute();
    await sql`drop function audit_events_refuse_update()`.execute(db);
  },
};
