import type { Kysely } from "kysely";
import type { TranscriptionSchema } from "../databases/transcription/transcription.schema.js";

/** A voice note's transcript and media metadata, as a saga carries it until it is stored. */
export interface TranscriptDraft {
  messageId: string;
  phoneNumber: string;
  idempotencyKey: string;
  text: string;
  media: { url: string; contentType: string; sizeBytes: number; durationSeconds: number | null };
}

/** Stores the transcript of one saga; a second write of the same saga is a no-op. */
export async function storeTranscript(
  db: Kysely<TranscriptionSchema>,
  saga: { sagaId: string; userId: number },
  draft: TranscriptDraft,
): Promise<void> {
  await db
    .insertInto("transcripts")
    .values({
      saga_id: saga.sagaId,
      user_id: saga.userId,
      message_id: draft.messageId,
      phone_number: draft.phoneNumber,
      idempotency_key: draft.idempotencyKey,
      text: draft.text,
      media_url: draft.media.url,
      content_type: draft.media.contentType,
      size_bytes: draft.media.sizeBytes,
      duration_seconds: draft.media.durationSeconds,
    })
    .onConflict((c) => c.column("saga_id").doNothing())
    .execute();
}

/** Compensation: removes the transcript a rolled-back saga stored, if it got that far. */
export async function removeTranscript(db: Kysely<TranscriptionSchema>, sagaId: string): Promise<void> {
  await db.deleteFrom("transcripts").where("saga_id", "=", sagaId).execute();
}
