import pg from "pg";

/** One todo row, with the number of the user it belongs to. */
export interface StoredTodo {
  text: string;
  phoneNumber: string;
}

/** What the stack holds, read from its own databases. */
export interface StackSnapshot {
  todos: StoredTodo[];
  /** Audit events per inbound MessageSid. */
  auditEventsByMessage: Map<string, number>;
  /** Stored transcripts per MessageSid (voice notes). */
  transcriptsByMessage: Map<string, number>;
}

/**
 * Reads the stack's todo, audit and transcription databases directly, as the superuser the
 * tests connect as (row-level security does not apply to it), never through the fault proxy.
 */
export class StackStateReader {
  private readonly todo: pg.Client;
  private readonly audit: pg.Client;
  private readonly transcription: pg.Client;

  constructor(urls: { todo: string; audit: string; transcription: string }) {
    this.todo = new pg.Client({ connectionString: urls.todo, application_name: "chaos" });
    this.audit = new pg.Client({ connectionString: urls.audit, application_name: "chaos" });
    this.transcription = new pg.Client({ connectionString: urls.transcription, application_name: "chaos" });
  }

  async start(): Promise<void> {
    await Promise.all([this.todo.connect(), this.audit.connect(), this.transcription.connect()]);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.todo.end(), this.audit.end(), this.transcription.end()]);
  }

  /** Work the stack has committed to but not finished: unpublished outbox rows and sagas still running or compensating. */
  async pendingWork(): Promise<{ outbox: number; sagas: number }> {
    const { rows } = await this.todo.query<{ outbox: string; sagas: string }>(
      `select (select count(*) from outbox where published_at is null) as outbox,
              (select count(*) from saga_log where status in ('running', 'compensating')) as sagas`,
    );
    return { outbox: Number(rows[0]?.outbox ?? 0), sagas: Number(rows[0]?.sagas ?? 0) };
  }

  async snapshot(): Promise<StackSnapshot> {
    const todos = await this.todo.query<{ text: string; phone_number: string }>(
      "select t.text, u.phone_number from todos t join users u on u.id = t.user_id",
    );
    const audit = await this.audit.query<{ message_id: string; count: string }>(
      "select message_id, count(*) as count from audit_events group by message_id",
    );
    const transcripts = await this.transcription.query<{ message_id: string; count: string }>(
      "select message_id, count(*) as count from transcripts group by message_id",
    );
    return {
      todos: todos.rows.map((row) => ({ text: row.text, phoneNumber: row.phone_number })),
      auditEventsByMessage: new Map(audit.rows.map((row) => [row.message_id, Number(row.count)])),
      transcriptsByMessage: new Map(transcripts.rows.map((row) => [row.message_id, Number(row.count)])),
    };
  }
}
