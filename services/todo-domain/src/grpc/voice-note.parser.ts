import { MAX_TRANSCRIPT_LENGTH } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import type { todo } from "@sms-todo/contracts";
import type { VoiceNote } from "../voice-notes/record-voice-note.use-case.js";
import { parseTimings, parseTodoTexts } from "./command-context.parser.js";
import { parseListName } from "./todo-selector.parser.js";

/** A voice note as transcribe reports it: the transcript, the todos found in it (maybe none) and the media. */
export function parseVoiceNote(request: todo.RecordVoiceNoteRequest): VoiceNote {
  // Stored as whisper returned it, for reprocessing; only a blank one is refused.
  const transcript = request.transcript;
  if (transcript.trim().length === 0) throw new AppError("INVALID_ARGUMENT", "transcript is required");
  if (transcript.length > MAX_TRANSCRIPT_LENGTH)
    throw new AppError("INVALID_ARGUMENT", `transcript has at most ${MAX_TRANSCRIPT_LENGTH} characters`);
  const texts = parseTodoTexts(request.texts, { allowNone: true });
  return {
    transcript,
    texts,
    timings: parseTimings(request.timings, texts.length),
    list: parseListName(request.list),
    media: parseVoiceMedia(request.media),
  };
}

function parseVoiceMedia(media: todo.VoiceMedia | undefined): VoiceNote["media"] {
  if (!media) throw new AppError("INVALID_ARGUMENT", "media is required");
  let url: URL;
  try {
    url = new URL(media.url);
  } catch {
    throw new AppError("INVALID_ARGUMENT", "media.url must be an http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new AppError("INVALID_ARGUMENT", "media.url must be an http(s) URL");
  if (media.url.length > 2_000) throw new AppError("INVALID_ARGUMENT", "media.url has at most 2000 characters");
  const contentType = media.contentType.trim();
  if (contentType.length === 0 || contentType.length > 200)
    throw new AppError("INVALID_ARGUMENT", "media.content_type must have 1 to 200 characters");
  if (!Number.isSafeInteger(media.sizeBytes) || media.sizeBytes < 0)
    throw new AppError("INVALID_ARGUMENT", "media.size_bytes must be a whole number of bytes");
  if (!Number.isFinite(media.durationSeconds) || media.durationSeconds < 0)
    throw new AppError("INVALID_ARGUMENT", "media.duration_seconds must be zero (unknown) or positive");
  return {
    url: media.url,
    contentType,
    sizeBytes: media.sizeBytes,
    durationSeconds: media.durationSeconds > 0 ? media.durationSeconds : null,
  };
}
