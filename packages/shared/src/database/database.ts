import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { AppError } from "../errors/app-error.js";

// Postgres bigint (count(*), bigserial) arrives as a string by default; our values fit a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// A Postgres date is a calendar day with no timezone: kept as its "YYYY-MM-DD" text, since a Date would
// shift it by the process' offset.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DatabaseOptions {
  url: string;
  /** Pool size; the whole stack must stay within Postgres' max_connections. */
  maxConnections: number;
  applicationName: string;
}

export function createDatabase<Schema>(options: DatabaseOptions): Kysely<Schema> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  // A client that loses its server must not crash the process: an idle one is reported on the pool, which
  // replaces it; one with a query in flight on the client itself, whose query then fails with the error.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[\w-]+$/.test(name)) throw new AppError("CONFIG", `unsupported database name in ${target.pathname}`);
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new AppError("UNAVAILABLE", `Postgres unreachable at ${target.host}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const existing = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (existing.rowCount === 0) {
      await client.query(`create database "${name}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}
