import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
// Named lists: every todo is on one list, "" being the default one; a list exists while it has
// open todos, so it needs no table of its own. No index: a user's open todos are read through
// todos_open_number and filtered by list in memory-sized sets.
// The reference ("delete it"): the todo the user's latest reply named, and when. It goes when the
// todo row goes (an add rolled back); a closed todo is never a reference, whatever the column says.
export const namedListsAndReference: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table todos add column list_name text not null default ''`.execute(db);
    await sql`
      alter table users
        add column last_named_todo_id uuid references todos (id) on delete set null,
        add column last_named_at timestamptz`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    await sql`alter table users drop column last_named_at, drop column last_named_todo_id`.execute(db);
    await sql`alter table todos drop column list_name`.execute(db);
  },
};
