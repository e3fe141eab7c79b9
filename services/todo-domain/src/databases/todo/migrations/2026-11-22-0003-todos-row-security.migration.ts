import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
// Defence in depth for "user A never sees user B's todos": every transaction that touches
// todos switches to the sms_todo_app role and names its user (users/user-scope.repository.ts);
// the policy then hides every other user's rows, even from a query that forgets its filter.
// The switch of role matters because superusers (the services may connect as one) bypass
// row-level security even when it is forced.
export const todosRowSecurity: Migration = {
  async up(db: Kysely<unknown>) {
    // Roles belong to the cluster, not the database: another database may have created it already.
    await sql`
      do $$
      begin
        begin
          create role sms_todo_app nologin;
        exception when duplicate_object or unique_violation then null;
        end;
        if not (select rolsuper from pg_roles where rolname = current_user) then
          execute format('grant sms_todo_app to %I', current_user);
        end if;
      end $$`.execute(db);
    await sql`grant select, insert, update, delete on users, todos, processed_commands, saga_log, outbox to sms_todo_app`.execute(
      db,
    );
    await sql`grant usage, select on all sequences in schema public to sms_todo_app`.execute(db);
    await sql`alter default privileges grant select, insert, update, delete on tables to sms_todo_app`.execute(db);
    await sql`alter default privileges grant usage, select on sequences to sms_todo_app`.execute(db);
    await sql`alter table todos enable row level security`.execute(db);
    await sql`alter table todos force row level security`.execute(db);
    await sql`
      create policy todos_of_scoped_user on todos
        using (user_id = nullif(current_setting('sms_todo.user_id', true), '')::bigint)
        with check (user_id = nullif(current_setting('sms_todo.user_id', true), '')::bigint)`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    await sql`drop policy todos_of_scoped_user on todos`.execute(db);
    await sql`alter table todos no force row level security`.execute(db);
    await sql`alter table todos disable row level security`.execute(db);
    await sql`alter default privileges revoke usage, select on sequences from sms_todo_app`.execute(db);
    await sql`alter default privileges revoke select, insert, update, delete on tables from sms_todo_app`.execute(db);
    await sql`revoke usage, select on all sequences in schema public from sms_todo_app`.execute(db);
    await sql`revoke select, insert, update, delete on users, todos, processed_commands, saga_log, outbox from sms_todo_app`.execute(
      db,
    );
    // The role itself stays: it is shared by every database of the cluster that uses it.
  },
};
