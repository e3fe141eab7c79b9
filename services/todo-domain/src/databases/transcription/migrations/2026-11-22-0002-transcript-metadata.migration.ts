import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
// A transcript is written by a saga step: unique by saga id (the step's idempotency) and by
// idempotency key (one effect per key). A message may be transcribed again for reprocessing,
// so its MessageSid is only indexed. The media metadata becomes columns of its own; the table
// has had no writer before this migration, so the new not-null columns need no backfill.
export const transcriptMetadata: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      alter table transcripts
        drop constraint transcripts_message_id_key,
        drop column media,
        add column phone_number text not null,
        add column idempotency_key text not null,
        add column media_url text not null,
        add column content_type text not null,
        add column size_bytes bigint not null,
        add column duration_seconds double precision`.execute(db);
    await sql`create unique index transcripts_saga on transcripts (saga_id)`.execute(db);
    await sql`create unique index transcripts_idempotency_key on transcripts (idempotency_key)`.execute(db);
    await sql`create index transcripts_message on transcripts (message_id)`.execute(db);
    await sql`create index transcripts_user on transcripts (user_id, created_at)`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    await sql`drop index transcripts_user`.execute(db);
    await sql`drop index transcripts_message`.execute(db);
    await sql`drop index transcripts_idempotency_key`.execute(db);
    await sql`drop index transcripts_saga`.execute(db);
    await sql`alter table transcripts add column media jsonb`.execute(db);
    await sql`
      update transcripts set media = jsonb_build_object(
        'url', media_url, 'contentType', content_type, 'sizeBytes', size_bytes, 'durationSeconds', duration_seconds)`.execute(db);
    await sql`
      alter table transcripts
        alter column media set not null,
        drop column duration_seconds,
        drop column size_bytes,
        drop column content_type,
        drop column media_url,
        drop column idempotency_key,
        drop column phone_number,
        add constraint transcripts_message_id_key unique (message_id)`.execute(db);
  },
};
