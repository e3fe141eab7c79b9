import type { AmqpBroker, App, Consumer, Logger } from "@sms-todo/shared";
import { createMetricsRegistry, createQueueMetrics, type MetricsServer, type Registry } from "@sms-todo/shared/metrics";
import { createVoiceNoteHandler } from "./consumers/voice-note.consumer.js";
import { observeTranscriptions } from "./metrics/transcription.metrics.js";
import type { VoiceNoteDeps, VoiceNoteTodoClient } from "./voice-notes/transcribe-voice-note.use-case.js";

export interface TranscribeDeps extends Omit<VoiceNoteDeps, "todoClient"> {
  logger: Logger;
  broker: AmqpBroker;
  todoClient: VoiceNoteTodoClient & { close(): void };
  /** Where the app's metrics go; the composition gives one with the process metrics. A bare one of the app's own when absent. */
  metricsRegistry?: Registry;
  /** Serves metricsRegistry on METRICS_PORT: started first by start, closed last by stop. None when absent. */
  metricsServer?: MetricsServer;
}

// whisper-server transcribes one clip at a time; a second in flight keeps it busy while the first is answered.
const AUDIO_PREFETCH = 2;

/** The transcribe service: consumes the audio queue and turns each voice note into todos, a command or a reply. */
export function createApp(deps: TranscribeDeps): App {
  const log = deps.logger.child({ component: "app" });
  const registry = deps.metricsRegistry ?? createMetricsRegistry({ defaultMetrics: false });
  const queueMetrics = createQueueMetrics(registry, deps.broker);
  const transcriber = observeTranscriptions(deps.transcriber, registry);
  let consumer: Consumer | undefined;
  return {
    async start() {
      await deps.metricsServer?.start();
      await deps.broker.start();
      const queue = deps.broker.topology.queues.audio;
      consumer = await deps.broker.consume(queue, queueMetrics.observe(queue, createVoiceNoteHandler({ ...deps, transcriber })), {
        prefetch: AUDIO_PREFETCH,
      });
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
      await deps.metricsServer?.stop();
    },
  };
}
