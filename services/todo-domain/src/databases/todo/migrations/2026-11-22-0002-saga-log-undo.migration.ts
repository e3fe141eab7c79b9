import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
// "undo" reads the saga log: whose change it was, the order changes were applied in, and
// which undo took a change back. The order is a sequence, not created_at: created_at is
// the transaction's start, while the sequence value is taken under the user lock.
export const sagaLogUndo: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table saga_log add column user_id bigint, add column seq bigint, add column undone_by_saga_id uuid`.execute(
      db,
    );
    await sql`update saga_log set user_id = (payload->>'userId')::bigint`.execute(db);
    await sql`create sequence saga_log_seq owned by saga_log.seq`.execute(db);
    await sql`
      update saga_log set seq = ordered.n
      from (select saga_id, row_number() over (order by created_at, saga_id) as n from saga_log) as ordered
      where ordered.saga_id = saga_log.saga_id`.execute(db);
    await sql`select setval('saga_log_seq', coalesce((select max(seq) from saga_log), 0) + 1, false)`.execute(db);
    await sql`
      alter table saga_log
        alter column user_id set not null,
        alter column seq set default nextval('saga_log_seq'),
        alter column seq set not null`.execute(db);
    await sql`
      create index saga_log_user_undoable on saga_log (user_id, seq desc)
      where status = 'completed' and undone_by_saga_id is null
        and kind in ('add-todos', 'record-voice-note', 'complete-todos', 'edit-todo', 'delete-todos')`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    await sql`drop index saga_log_user_undoable`.execute(db);
    // The sequence is owned by the column and goes with it.
    await sql`alter table saga_log drop column undone_by_saga_id, drop column seq, drop column user_id`.execute(db);
  },
};
