import { Counter, Histogram, type Registry } from "@sms-todo/shared/metrics";
import type { Transcriber, TranscriptionResult } from "../transcription/whisper.transcriber.js";

type TranscriptionOutcome = TranscriptionResult["kind"] | "failed";

/**
 * The transcriber, timed: how long whisper takes per audio item, by outcome, and how much audio it
 * heard. "failed" includes the calls the open breaker refused at once (sms_todo_circuit_breaker_state).
 */
export function observeTranscriptions(transcriber: Transcriber, registry: Registry): Transcriber {
  const duration = new Histogram({
    name: "sms_todo_transcription_duration_seconds",
    help: "Time one transcription took, by outcome: transcript, undecodable (the audio, not whisper) or failed.",
    labelNames: ["outcome"],
    // tiny.en on a Pi 4 takes a few seconds for a short note; a queue of two doubles that.
    buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
    registers: [registry],
  });
  const heard = new Counter({
    name: "sms_todo_transcribed_audio_seconds_total",
    help: "Playing time of the audio transcribed, where its container tells it; divided by the time taken, whisper's speed.",
    registers: [registry],
  });
  for (const outcome of ["transcript", "undecodable", "failed"] satisfies TranscriptionOutcome[]) duration.zero({ outcome });

  return {
    async transcribe(clip) {
      const stopTimer = duration.startTimer();
      let outcome: TranscriptionOutcome = "failed";
      try {
        const result = await transcriber.transcribe(clip);
        outcome = result.kind;
        if (result.kind === "transcript" && clip.durationSeconds !== undefined) heard.inc(clip.durationSeconds);
        return result;
      } finally {
        stopTimer({ outcome });
      }
    },
  };
}
