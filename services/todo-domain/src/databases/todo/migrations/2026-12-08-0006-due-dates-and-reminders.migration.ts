import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Frozen: later changes go into new migrations.
// Time: a todo may be due on a local date, at a local time (with the instant it means), and
// repeat by an RFC 5545 rule. A due pinned to its instant ("in 20 minutes") keeps it when the
// user changes timezone; the others keep their local date and time. One reminder claim per
// todo and due instant, written with the reminder's reply event before anything is sent, so a
// reminder goes out at most once however many notifiers ask.
export const dueDatesAndReminders: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      alter table todos
        add column due_date date,
        add column due_time text check (due_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        add column due_at timestamptz,
        add column due_pinned boolean not null default false,
        add column recurrence text check (length(recurrence) <= 200),
        add constraint todos_due_whole check (
          (due_time is null) = (due_at is null)
          and (due_date is not null or due_time is null)
          and (recurrence is null or due_date is not null))`.execute(db);
    await sql`create index todos_open_due_at on todos (due_at) where status = 'open' and due_at is not null`.execute(db);
    await sql`
      create table reminder_claims (
        todo_id uuid not null references todos (id) on delete cascade,
        due_at timestamptz not null,
        user_id bigint not null references users (id) on delete cascade,
        late boolean not null,
        reply_event_id uuid,
        claimed_at timestamptz not null default now(),
        primary key (todo_id, due_at)
      )`.execute(db);
    await sql`grant select, insert, update, delete on reminder_claims to sms_todo_app`.execute(db);
    // The reminder scan reads which open todos are due, across users, and nothing else: a
    // transaction that names the scan sees those rows (reminders/reminder-claim.repository.ts).
    await sql`
      create policy todos_due_reminder_scan on todos for select
        using (current_setting('sms_todo.scan', true) = 'due-reminders' and status = 'open' and due_at is not null)`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    await sql`drop policy todos_due_reminder_scan on todos`.execute(db);
    await sql`drop table reminder_claims`.execute(db);
    await sql`drop index todos_open_due_at`.execute(db);
    await sql`
      alter table todos
        drop constraint todos_due_whole,
        drop column recurrence,
        drop column due_pinned,
        drop column due_at,
        drop column due_time,
        drop column due_date`.execute(db);
  },
};
