import pg from "pg";
import { ensureDatabaseExists } from "@sms-todo/shared/database";
import { testInfrastructure } from "./infrastructure.js";
import { uniqueName } from "./unique-name.js";

export interface TestDatabases {
  todo: string;
  audit: string;
  transcription: string;
  /** Drops the three databases, disconnecting anyone still on them. */
  drop(): Promise<void>;
}

function urlFor(name: string): string {
  const url = new URL(testInfrastructure.postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Three fresh, empty databases for one test file; migrate them with the service's migrations. */
export async function createTestDatabases(label = "t"): Promise<TestDatabases> {
  const base = uniqueName(`smstodo_${label}`);
  const names = { todo: `${base}_todo`, audit: `${base}_audit`, transcription: `${base}_transcription` };
  for (const name of Object.values(names)) await ensureDatabaseExists(urlFor(name));
  return {
    todo: urlFor(names.todo),
    audit: urlFor(names.audit),
    transcription: urlFor(names.transcription),
    async drop() {
      const client = new pg.Client({ connectionString: testInfrastructure.postgresUrl });
      await client.connect();
      try {
        for (const name of Object.values(names)) await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
