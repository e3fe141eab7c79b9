import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, migrateDown, migrateToLatest, type Migrations } from "@sms-todo/shared/database";
import { createTestDatabases, type TestDatabases } from "@sms-todo/testkit";
import { auditMigrations } from "../src/databases/audit/audit.migrations.js";
import { todoMigrations } from "../src/databases/todo/todo.migrations.js";
import { transcriptionMigrations } from "../src/databases/transcription/transcription.migrations.js";

async function columnsOf(db: Kysely<unknown>, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_schema = 'public' and table_name = ${table} order by 1`.execute(db);
  return rows.map((row) => row.name);
}

async function tablesOf(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(db);
  return rows.map((row) => row.name);
}

describe("migrations", () => {
  let databases: TestDatabases;
  beforeAll(async () => {
    databases = await createTestDatabases("migrations");
  });
  afterAll(async () => {
    await databases.drop();
  });

  const plans: Array<[name: keyof Omit<TestDatabases, "drop">, migrations: Migrations, tables: string[]]> = [
    ["todo", todoMigrations, ["outbox", "processed_commands", "reminder_claims", "saga_log", "summary_claims", "todos", "users"]],
    ["audit", auditMigrations, ["audit_events"]],
    ["transcription", transcriptionMigrations, ["transcripts"]],
  ];

  for (const [name, migrations, tables] of plans) {
    it(`when the ${name} database is migrated down and up again, then every down undoes its up`, async () => {
      const db = createDatabase<unknown>({ url: databases[name], maxConnections: 1, applicationName: "migrations-test" });
      try {
        expect(await migrateToLatest(db, migrations)).toEqual(Object.keys(migrations));
        expect(await tablesOf(db)).toEqual(tables);
        for (let step = 0; step < Object.keys(migrations).length; step += 1) await migrateDown(db, migrations);
        expect(await tablesOf(db)).toEqual([]);
        expect(await migrateToLatest(db, migrations)).toEqual(Object.keys(migrations));
        expect(await tablesOf(db)).toEqual(tables);
      } finally {
        await db.destroy();
      }
    });
  }

  it("when the named-lists migration runs, then todos sit on the default list, and its down keeps every todo", async () => {
    const db = createDatabase<unknown>({ url: databases.todo, maxConnections: 1, applicationName: "migrations-test" });
    try {
      await migrateToLatest(db, todoMigrations);
      // Down past the due dates, then past named lists.
      await migrateDown(db, todoMigrations);
      await migrateDown(db, todoMigrations);
      await sql`insert into users (phone_number) values ('+15559990001')`.execute(db);
      await sql`insert into todos (user_id, number, text, status, source)
        select id, 1, 'buy milk', 'open', 'sms' from users where phone_number = '+15559990001'`.execute(db);

      await migrateToLatest(db, todoMigrations);
      expect(await columnsOf(db, "users")).toEqual(expect.arrayContaining(["last_named_at", "last_named_todo_id"]));
      const { rows } = await sql<{ text: string; list_name: string }>`select text, list_name from todos`.execute(db);
      expect(rows).toEqual([{ text: "buy milk", list_name: "" }]);
      await sql`update users set last_named_todo_id = (select id from todos), last_named_at = now()`.execute(db);
      await sql`delete from todos`.execute(db);
      const { rows: users } = await sql<{ last_named_todo_id: string | null }>`select last_named_todo_id from users`.execute(db);
      expect(users).toEqual([{ last_named_todo_id: null }]);

      await sql`insert into todos (user_id, number, text, status, source, list_name)
        select id, 1, 'eggs', 'open', 'sms', 'shopping' from users`.execute(db);
      await migrateDown(db, todoMigrations);
      await migrateDown(db, todoMigrations);
      expect(await columnsOf(db, "todos")).not.toContain("list_name");
      expect(await columnsOf(db, "users")).not.toContain("last_named_todo_id");
      const { rows: kept } = await sql<{ text: string }>`select text from todos`.execute(db);
      expect(kept).toEqual([{ text: "eggs" }]);
    } finally {
      await db.destroy();
    }
  });

  it("when the due-dates migration runs and is taken down, then a timed todo keeps its text and loses only its due", async () => {
    const db = createDatabase<unknown>({ url: databases.todo, maxConnections: 1, applicationName: "migrations-test" });
    try {
      await migrateToLatest(db, todoMigrations);
      await sql`delete from todos`.execute(db);
      await sql`insert into users (phone_number) values ('+15559990002') on conflict do nothing`.execute(db);
      await sql`insert into todos (user_id, number, text, status, source, due_date, due_time, due_at)
        select id, 1, 'call mom', 'open', 'sms', '2026-12-08', '17:00', '2026-12-08T22:00:00Z' from users
        where phone_number = '+15559990002'`.execute(db);
      // A time without its instant is refused: a reminder needs both.
      await expect(
        sql`insert into todos (user_id, number, text, status, source, due_date, due_time)
          select id, 2, 'broken', 'open', 'sms', '2026-12-08', '17:00' from users where phone_number = '+15559990002'`.execute(
          db,
        ),
      ).rejects.toThrow(/todos_due_whole/);
      await migrateDown(db, todoMigrations);
      expect(await columnsOf(db, "todos")).not.toContain("due_at");
      expect(await tablesOf(db)).not.toContain("reminder_claims");
      const { rows } = await sql<{ text: string }>`select text from todos`.execute(db);
      expect(rows).toEqual([{ text: "call mom" }]);
      await migrateToLatest(db, todoMigrations);
    } finally {
      await db.destroy();
    }
  });
});
