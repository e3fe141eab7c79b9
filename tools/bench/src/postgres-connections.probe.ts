import pg from "pg";

/**
 * Counts the connections the stack holds to its own databases (pg_stat_activity), through
 * one connection of its own to the maintenance database, which the count leaves out.
 */
export class PostgresConnectionsProbe {
  private readonly client: pg.Client;

  constructor(adminUrl: string) {
    this.client = new pg.Client({ connectionString: adminUrl });
  }

  async start(): Promise<void> {
    await this.client.connect();
  }

  async count(databaseNames: readonly string[]): Promise<number> {
    const { rows } = await this.client.query<{ count: string }>(
      "select count(*) from pg_stat_activity where datname = any($1::text[])",
      [databaseNames],
    );
    return Number(rows[0]?.count ?? 0);
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.client.query<{ server_version: string }>("show server_version");
    return rows[0]?.server_version ?? "unknown";
  }

  async stop(): Promise<void> {
    await this.client.end();
  }
}
