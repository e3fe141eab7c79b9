import { createLlmClient, createLlmItemExtractor } from "@sms-todo/command-language";
import { AmqpBroker, createTopology, type App, type Logger } from "@sms-todo/shared";
import { createTodoDomainClient } from "@sms-todo/shared/grpc-client";
import {
  createMetricsRegistry,
  createMetricsServer,
  observeCircuitBreaker,
  type MetricsServer,
  type Registry,
} from "@sms-todo/shared/metrics";
import { createApp, type TranscribeDeps } from "./app.js";
import { defaultMediaRedirectHosts } from "./media/media-url.policy.js";
import { createTwilioMediaClient, type TwilioMediaClientOptions } from "./media/twilio-media.client.js";
import type { TranscribeConfig } from "./transcribe.config.js";
import { createWhisperTranscriber, type WhisperTranscriberOptions } from "./transcription/whisper.transcriber.js";

/** What a test stands in for or tunes; everything left out is built from the config, as in production. */
export interface TranscribeOverrides {
  logger: Logger;
  /** A broker on a test's own topology (fewer attempts, shorter back-off). */
  broker?: AmqpBroker;
  /** todo-domain as a test reaches it; a resilient client of TODO_GRPC_ADDR otherwise. */
  todoClient?: TranscribeDeps["todoClient"];
  /** Hooks of the media client built from the Twilio settings. */
  media?: Pick<TwilioMediaClientOptions, "onConnect">;
  /** Breaker of the whisper transcriber at WHISPER_URL. */
  whisper?: Pick<WhisperTranscriberOptions, "volumeThreshold" | "errorThresholdPercentage" | "resetTimeoutMs">;
  metricsRegistry?: Registry;
  /** Serves metricsRegistry; one on METRICS_PORT otherwise. */
  metricsServer?: MetricsServer;
}

/** The transcribe service wired as it runs: the one place that turns its config into collaborators. */
export function composeTranscribe(config: TranscribeConfig, overrides: TranscribeOverrides): App {
  const { logger } = overrides;
  const media =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? createTwilioMediaClient({
          apiBaseUrl: config.TWILIO_API_BASE_URL,
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          redirectHosts: defaultMediaRedirectHosts(config.TWILIO_API_BASE_URL),
          ...overrides.media,
        })
      : undefined;
  if (!media) logger.warn("no Twilio credentials configured: voice notes are answered with a request to text instead");
  const llmClient = createLlmClient(config);
  const extractor =
    llmClient &&
    createLlmItemExtractor(llmClient, {
      onFailure: (failure) => logger.info({ failure }, "LLM item extraction gave nothing; splitting the transcript"),
    });
  if (llmClient) logger.info({ model: llmClient.model }, "LLM configured for voice-note items");
  const metricsRegistry = overrides.metricsRegistry ?? createMetricsRegistry();
  const transcriber = createWhisperTranscriber({ baseUrl: config.WHISPER_URL, logger, ...overrides.whisper });
  observeCircuitBreaker(metricsRegistry, "whisper", transcriber.breaker);
  const todoClient = overrides.todoClient ?? createTodoDomainClient(config.TODO_GRPC_ADDR, { logger, metricsRegistry });
  return createApp({
    logger,
    broker:
      overrides.broker ?? new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
    todoClient,
    media,
    transcriber,
    extractor,
    metricsRegistry,
    metricsServer:
      overrides.metricsServer ?? createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger }),
  });
}
