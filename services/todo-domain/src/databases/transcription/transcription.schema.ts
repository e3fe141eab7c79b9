import type { ColumnType, Generated } from "kysely";

/** The transcription database: raw transcripts and media metadata, kept for reprocessing. */
export interface TranscriptionSchema {
  transcripts: TranscriptsTable;
}

export interface TranscriptsTable {
  id: Generated<string>;
  /** The inbound MessageSid of the voice note. */
  message_id: string;
  user_id: number;
  saga_id: string;
  text: string;
  media: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, never, never>;
}
