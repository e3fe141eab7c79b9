import CircuitBreaker from "opossum";
import OpenAI, { APIConnectionTimeoutError, APIError, toFile } from "openai";
import type { TranscriptionCreateParamsNonStreaming } from "openai/resources/audio/transcriptions";
import { AppError, type Logger } from "@sms-todo/shared";
import { fileNameFor } from "../media/audio-media.types.js";

export interface AudioClip {
  audio: Buffer;
  contentType: string;
  /** Known from the container headers, or undefined. */
  durationSeconds: number | undefined;
}

/** What whisper made of a clip. */
export type TranscriptionResult = { kind: "transcript"; text: string } | { kind: "undecodable"; detail: string };

export interface Transcriber {
  /** Throws AppError UNAVAILABLE / DEADLINE_EXCEEDED when whisper cannot answer now (worth retrying later). */
  transcribe(clip: AudioClip): Promise<TranscriptionResult>;
}

export interface WhisperTranscriberOptions {
  /** WHISPER_URL: the OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1. */
  baseUrl: string;
  logger: Logger;
  /** Per request; tiny.en on a Pi 4 needs a few seconds for a short note, the timeout allows for a queue of two. */
  timeoutMs?: number;
  /** The breaker opens after this share of failed calls (in percent) once `volumeThreshold` calls were made. */
  errorThresholdPercentage?: number;
  volumeThreshold?: number;
  /** How long an open breaker fails fast before letting one call try again. */
  resetTimeoutMs?: number;
}

/** whisper's encoder sees 30 s of audio as 1500 positions, 50 per second. */
const POSITIONS_PER_SECOND = 50;
const FULL_AUDIO_CONTEXT = 1500;
const MIN_AUDIO_CONTEXT = 256;

/**
 * whisper-server's audio_ctx for a clip: the encoder processes only the positions that hold
 * audio instead of a full 30 s window, which makes a short voice note several times faster to
 * transcribe on a Pi. A second of headroom and a floor keep very short clips accurate; the
 * size is rounded up to a multiple of 64. undefined (the server's full window) when the
 * duration is unknown or the clip is 30 s or longer.
 */
export function audioContextFor(durationSeconds: number | undefined): number | undefined {
  if (durationSeconds === undefined || !(durationSeconds > 0)) return undefined;
  const positions = Math.max(MIN_AUDIO_CONTEXT, Math.ceil(((durationSeconds + 1) * POSITIONS_PER_SECOND) / 64) * 64);
  return positions >= FULL_AUDIO_CONTEXT ? undefined : positions;
}

// whisper-server's words for audio it cannot read or convert (any release: 1.7 answers them with
// status 200, later releases with 400, or 500 for a failed ffmpeg conversion).
const UNDECODABLE = /failed to read (audio data|wav file)|ffmpeg conversion failed|failed to execute ffmpeg/i;

type Attempt = { kind: "transcript"; text: string } | { kind: "undecodable"; detail: string };

/**
 * Transcription through the openai package against whisper-server's OpenAI-compatible path.
 * The package's own retries are off: a failed voice note goes back to the queue, whose
 * back-off and delivery limit bound the attempts. An opossum breaker around the call makes
 * a down whisper fail fast (UNAVAILABLE) instead of holding every delivery for the timeout;
 * undecodable audio is the caller's problem, not whisper's, and does not count against it.
 */
export function createWhisperTranscriber(options: WhisperTranscriberOptions): Transcriber & { breaker: CircuitBreaker } {
  const log = options.logger.child({ component: "whisper" });
  const timeoutMs = options.timeoutMs ?? 60_000;
  // whisper-server checks no key; the package requires one.
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: "whisper-server", maxRetries: 0, timeout: timeoutMs });

  async function attempt(clip: AudioClip): Promise<Attempt> {
    // whisper-server reads extra multipart fields (audio_ctx); the package sends every key of the params as a field.
    // 0 (the full window) is sent rather than nothing: some whisper-server releases keep a request's settings for
    // the next request, so a short clip's context must never carry over to a long one.
    const params: TranscriptionCreateParamsNonStreaming<"json"> & { audio_ctx: number } = {
      file: await toFile(clip.audio, fileNameFor(clip.contentType), { type: clip.contentType }),
      model: "whisper-1",
      response_format: "json",
      temperature: 0,
      audio_ctx: audioContextFor(clip.durationSeconds) ?? 0,
    };
    // whisper 1.7 answers some errors with status 200 and {"error": ...} instead of a transcript.
    let body: { text?: unknown; error?: unknown };
    try {
      body = await client.audio.transcriptions.create(params);
    } catch (error) {
      if (error instanceof APIError && error.status !== undefined) {
        const detail = typeof error.error === "string" ? error.error : error.message;
        if (error.status === 400 || error.status === 415 || error.status === 422 || UNDECODABLE.test(detail)) {
          return { kind: "undecodable", detail };
        }
      }
      throw error;
    }
    if (typeof body.error === "string") {
      if (UNDECODABLE.test(body.error)) return { kind: "undecodable", detail: body.error };
      throw new AppError("UNAVAILABLE", `whisper answered an error: ${body.error}`);
    }
    if (typeof body.text !== "string") throw new AppError("UNAVAILABLE", "whisper answered without a transcript");
    return { kind: "transcript", text: body.text };
  }

  const breaker = new CircuitBreaker(attempt, {
    // The client's own timeout aborts the request; the breaker only counts.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 3,
    resetTimeout: options.resetTimeoutMs ?? 30_000,
    name: "whisper",
  });
  breaker.on("open", () => log.warn({ resetTimeoutMs: options.resetTimeoutMs ?? 30_000 }, "whisper breaker opened"));
  breaker.on("halfOpen", () => log.info("whisper breaker half-open: trying one call"));
  breaker.on("close", () => log.info("whisper breaker closed"));

  return {
    breaker,
    async transcribe(clip) {
      try {
        return await breaker.fire(clip);
      } catch (error) {
        throw toTranscriptionError(error, options.baseUrl, timeoutMs);
      }
    },
  };
}

function toTranscriptionError(error: unknown, baseUrl: string, timeoutMs: number): AppError {
  if (error instanceof AppError) return error;
  if ((error as { code?: unknown }).code === "EOPENBREAKER") {
    return new AppError("UNAVAILABLE", "whisper is failing; its breaker is open", { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new AppError("DEADLINE_EXCEEDED", `whisper did not answer within ${timeoutMs} ms`, { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status === undefined ? "no answer" : `status ${error.status}`;
    return new AppError("UNAVAILABLE", `whisper at ${baseUrl} failed (${status})`, { cause: error });
  }
  return new AppError("UNAVAILABLE", `whisper call failed: ${(error as Error).message}`, { cause: error });
}
