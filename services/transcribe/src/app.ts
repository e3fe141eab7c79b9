import type { AmqpBroker, App, Consumer, Logger } from "@sms-todo/shared";
import { createVoiceNoteHandler } from "./consumers/voice-note.consumer.js";
import type { VoiceNoteDeps, VoiceNoteTodoClient } from "./voice-notes/transcribe-voice-note.use-case.js";

export interface TranscribeDeps extends Omit<VoiceNoteDeps, "todoClient"> {
  logger: Logger;
  broker: AmqpBroker;
  todoClient: VoiceNoteTodoClient & { close(): void };
}

// whisper-server transcribes one clip at a time; a second in flight keeps it busy while the first is answered.
const AUDIO_PREFETCH = 2;

/** The transcribe service: consumes the audio queue and turns each voice note into todos, a command or a reply. */
export function createApp(deps: TranscribeDeps): App {
  const log = deps.logger.child({ component: "app" });
  let consumer: Consumer | undefined;
  return {
    async start() {
      await deps.broker.start();
      const queue = deps.broker.topology.queues.audio;
      consumer = await deps.broker.consume(
        queue,
        createVoiceNoteHandler({ ...deps, deliveryLimit: deps.broker.topology.deliveryLimit }),
        { prefetch: AUDIO_PREFETCH },
      );
      log.info(
        { queue, prefetch: AUDIO_PREFETCH, mediaOrigin: deps.media?.policy.origin ?? null, llm: deps.extractor !== undefined },
        "consuming voice notes",
      );
    },
    async stop() {
      await consumer?.stop();
      consumer = undefined;
      await deps.broker.close();
      deps.todoClient.close();
    },
  };
}
