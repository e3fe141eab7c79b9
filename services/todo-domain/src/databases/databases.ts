import type { Kysely } from "kysely";
import { createDatabase, ensureDatabaseExists, migrateToLatest } from "@sms-todo/shared/database";
import type { TodoSchema } from "./todo/todo.schema.js";
import type { AuditSchema } from "./audit/audit.schema.js";
import type { TranscriptionSchema } from "./transcription/transcription.schema.js";
import { todoMigrations } from "./todo/todo.migrations.js";
import { auditMigrations } from "./audit/audit.migrations.js";
import { transcriptionMigrations } from "./transcription/transcription.migrations.js";

export interface DatabaseUrls {
  todo: string;
  audit: string;
  transcription: string;
}

/** The three databases todo-domain owns. */
export interface Databases {
  todo: Kysely<TodoSchema>;
  audit: Kysely<AuditSchema>;
  transcription: Kysely<TranscriptionSchema>;
}

/**
 * Pool sizes keep the whole stack far below a Pi's Postgres max_connections: the todo
 * database carries every command, audit one insert per change, transcription voice notes.
 */
export function openDatabases(urls: DatabaseUrls): Databases {
  return {
    todo: createDatabase<TodoSchema>({ url: urls.todo, maxConnections: 10, applicationName: "todo-domain" }),
    audit: createDatabase<AuditSchema>({ url: urls.audit, maxConnections: 4, applicationName: "todo-domain" }),
    transcription: createDatabase<TranscriptionSchema>({
      url: urls.transcription,
      maxConnections: 2,
      applicationName: "todo-domain",
    }),
  };
}

export async function closeDatabases(databases: Databases): Promise<void> {
  await Promise.all([databases.todo.destroy(), databases.audit.destroy(), databases.transcription.destroy()]);
}

/** Creates missing databases and applies every pending migration; returns what ran. */
export async function migrateDatabases(urls: DatabaseUrls): Promise<Record<keyof DatabaseUrls, string[]>> {
  const plan = [
    ["todo", urls.todo, todoMigrations],
    ["audit", urls.audit, auditMigrations],
    ["transcription", urls.transcription, transcriptionMigrations],
  ] as const;
  const applied = { todo: [] as string[], audit: [] as string[], transcription: [] as string[] };
  for (const [name, url, migrations] of plan) {
    await ensureDatabaseExists(url);
    const db = createDatabase<unknown>({ url, maxConnections: 1, applicationName: "todo-domain-migrate" });
    try {
      applied[name] = await migrateToLatest(db, migrations);
    } finally {
      await db.destroy();
    }
  }
  return applied;
}
