import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, migrateDown, migrateToLatest, type Migrations } from "@sms-todo/shared/database";
import { createTestDatabases, type TestDatabases } from "@sms-todo/testkit";
import { auditMigrations } from "../src/databases/audit/audit.migrations.js";
import { todoMigrations } from "../src/databases/todo/todo.migrations.js";
import { transcriptionMigrations } from "../src/databases/transcription/transcription.migrations.js";

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
    ["todo", todoMigrations, ["outbox", "processed_commands", "saga_log", "summary_claims", "todos", "users"]],
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
});
