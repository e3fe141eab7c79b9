import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
// One row per user and local date on which a daily summary was due: written, with the
// summary's reply event, before anything is sent, so no second summary can follow that day.
export const summaryClaims: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table summary_claims (
        user_id bigint not null references users (id) on delete cascade,
        local_date date not null,
        timezone text not null,
        todo_count integer not null check (todo_count >= 0),
        reply_event_id uuid,
        claimed_at timestamptz not null default now(),
        primary key (user_id, local_date)
      )`.execute(db);
    // Default privileges cover tables created from now on, but state it where the table is made.
    await sql`grant select, insert, update, delete on summary_claims to sms_todo_app`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    await sql`drop table summary_claims`.execute(db);
  },
};
