import { sql, type Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, ensureDatabaseExists, migrateDown, migrateToLatest } from "@sms-todo/shared/database";
import { spoolMigrations } from "../src/spool/spool.migrations.js";
import { createTestSpool } from "./ingress.fixture.js";

const spool = createTestSpool("ingress_migrations");
let db: Kysely<unknown> | undefined;

afterAll(async () => {
  await db?.destroy();
  await spool.drop();
});

async function tables(database: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`.execute(database);
  return rows.map((row) => row.name).filter((name) => !name.startsWith("kysely_"));
}

describe("spool migrations", () => {
  it("when every migration runs up, down and up again, then the spool table comes, goes and comes back", async () => {
    await ensureDatabaseExists(spool.url);
    db = createDatabase<unknown>({ url: spool.url, maxConnections: 1, applicationName: "ingress-test" });
    expect(await migrateToLatest(db, spoolMigrations)).toEqual(Object.keys(spoolMigrations));
    expect(await tables(db)).toEqual(["spooled_webhooks"]);
    for (let index = 0; index < Object.keys(spoolMigrations).length; index += 1) await migrateDown(db, spoolMigrations);
    expect(await tables(db)).toEqual([]);
    expect(await migrateToLatest(db, spoolMigrations)).toEqual(Object.keys(spoolMigrations));
    expect(await migrateToLatest(db, spoolMigrations)).toEqual([]);
    expect(await tables(db)).toEqual(["spooled_webhooks"]);
  });
});
