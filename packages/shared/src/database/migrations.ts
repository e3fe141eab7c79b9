import type { Kysely } from "kysely";
import { Migrator, type Migration, type MigrationProvider } from "kysely/migration";
import { AppError } from "../errors/app-error.js";

/** Migrations of one database, by name; names sort in the order they run. */
export type Migrations = Record<string, Migration>;

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Migrations) {}
  getMigrations(): Promise<Migrations> {
    return Promise.resolve(this.migrations);
  }
}

/** Runs every pending migration; returns the names applied now. */
export async function migrateToLatest(db: Kysely<unknown>, migrations: Migrations): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(migrations) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new AppError("INTERNAL", `migration failed: ${(error as Error).message}`, { cause: error });
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}

/** Reverts the most recent migration; for operators and for testing each `down`. */
export async function migrateDown(db: Kysely<unknown>, migrations: Migrations): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(migrations) });
  const { error, results } = await migrator.migrateDown();
  if (error) throw new AppError("INTERNAL", `migration down failed: ${(error as Error).message}`, { cause: error });
  return (results ?? []).map((result) => result.migrationName);
}
