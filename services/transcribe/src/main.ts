import { createLlmClient, createLlmItemExtractor } from "@sms-todo/command-language";
import { todo } from "@sms-todo/contracts";
import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createResilientClient } from "@sms-todo/shared/grpc-client";
import { createMetricsRegistry, createMetricsServer, observeCircuitBreaker } from "@sms-todo/shared/metrics";
import { createApp } from "./app.js";
import { defaultMediaRedirectHosts } from "./media/media-url.policy.js";
import { createTwilioMediaClient } from "./media/twilio-media.client.js";
import { loadTranscribeConfig } from "./transcribe.config.js";
import { createWhisperTranscriber } from "./transcription/whisper.transcriber.js";

// The level is known once the config is read; a config error is still logged, at the default level.
const logger = createLogger({ name: "transcribe" });

await runService({
  logger,
  create: () => {
    const config = loadTranscribeConfig(process.env);
    logger.level = config.LOG_LEVEL;
    const media =
      config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
        ? createTwilioMediaClient({
            apiBaseUrl: config.TWILIO_API_BASE_URL,
            accountSid: config.TWILIO_ACCOUNT_SID,
            authToken: config.TWILIO_AUTH_TOKEN,
            redirectHosts: defaultMediaRedirectHosts(config.TWILIO_API_BASE_URL),
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
    const metricsRegistry = createMetricsRegistry();
    const transcriber = createWhisperTranscriber({ baseUrl: config.WHISPER_URL, logger });
    observeCircuitBreaker(metricsRegistry, "whisper", transcriber.breaker);
    const todoDomain = createResilientClient(todo.TodoServiceClient, config.TODO_GRPC_ADDR, { name: "todo-domain", logger });
    observeCircuitBreaker(metricsRegistry, "todo-domain", todoDomain.breaker);
    return createApp({
      logger,
      broker: new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
      todoClient: todoDomain.client,
      media,
      transcriber,
      extractor,
      metricsRegistry,
      metricsServer: createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, logger }),
    });
  },
});
