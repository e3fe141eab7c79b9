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

/**
 * What todo-domain reads from its environment, for one a test composes: these databases, the test's
 * RabbitMQ under its namespace, and any free gRPC and metrics port.
 */
export function todoDomainTestEnv(databases: Pick<TestDatabases, "todo" | "audit" | "transcription">, namespace: string) {
  return {
    TODO_DATABASE_URL: databases.todo,
    AUDIT_DATABASE_URL: databases.audit,
    TRANSCRIPTION_DATABASE_URL: databases.transcription,
    AMQP_URL: testInfrastructure.amqpUrl,
    SMS_TODO_NAMESPACE: namespace,
    TODO_GRPC_ADDR: "127.0.0.1:0",
    METRICS_PORT: "0",
  };
}
