import type { ColumnType, Generated, Insertable } from "kysely";

/** The transcription database: raw transcripts and media metadata, kept for reprocessing. */
export interface TranscriptionSchema {
  transcripts: TranscriptsTable;
}

export interface TranscriptsTable {
  id: Generated<string>;
  /** The inbound MessageSid of the voice note. */
  message_id: string;
  user_id: number;
  phone_number: string;
  /** One transcript per effect: the idempotency key of the call that recorded it. */
  idempotency_key: string;
  /** Unique: the saga step that wrote the row. */
  saga_id: string;
  text: string;
  media_url: string;
  content_type: string;
  size_bytes: number;
  /** Null when the duration is unknown. */
  duration_seconds: number | null;
  created_at: ColumnType<Date, never, never>;
}

export type NewTranscript = Insertable<TranscriptsTable>;
