export { AppError, isAppError, toAppError, type ErrorCode } from "./errors/app-error.js";
export {
  loadConfig,
  urlVar,
  portVar,
  hostPortVar,
  optionalVar,
  commonConfig,
  databaseUrlVar,
  requireTogether,
} from "./config/config.js";
export {
  isMessagingServiceSid,
  refineTwilioCredentials,
  twilioApiConfig,
  twilioCredentialsConfig,
  twilioSenderConfig,
} from "./config/twilio.config.js";
export { llmConfig, refineLlmConfig } from "./config/llm.config.js";
export { createLogger, type Logger, type LoggerSettings } from "./logging/logger.js";
export { maskPhoneNumber, maskText, maskFields } from "./logging/masking.js";
export {
  CORRELATION_METADATA_KEY,
  currentCorrelationId,
  runWithCorrelation,
  setCorrelationId,
} from "./logging/correlation-context.js";
export {
  CORRELATION_ATTRIBUTE,
  annotateActiveSpan,
  inSpan,
  runDetached,
  type SpanAttributes,
  type SpanKindName,
  type SpanSettings,
} from "./tracing/spans.js";
export { otlpTracesUrlOf, startTracing, type Tracing, type TracingSettings } from "./tracing/otlp-tracing.js";
export type { App } from "./lifecycle/app.js";
export {
  runService,
  runComposedService,
  type ComposedServiceOptions,
  EXIT_AFTER_SIGNAL,
  EXIT_CONFIG,
  EXIT_FAILURE,
  type RunServiceOptions,
  type StopSignal,
} from "./lifecycle/service-runner.js";
export { SERVICE_V8_FLAGS, withServiceV8Flags } from "./lifecycle/node-options.js";
export {
  createTopology,
  declareTopology,
  deleteTopology,
  deadLetterQueueOf,
  retryQueuesOf,
  DEFAULT_RETRY_DELAYS_MS,
  FAILED_ATTEMPTS_HEADER,
  type RetryTopology,
  type Topology,
} from "./messaging/topology.js";
export {
  AmqpBroker,
  type AmqpBrokerOptions,
  type Consumer,
  type Delivery,
  type DeliveryHandler,
  type PublishOptions,
} from "./messaging/amqp-broker.js";
export { decodeDelivery, type DecodeOptions, type MessageDecoder } from "./messaging/delivery.decoder.js";
export { createPollingRelay, type PollingRelay, type PollingRelayOptions } from "./messaging/polling.relay.js";
export { withTimeout } from "./time/timeout.js";
export { isKnownTimezone, localClockAt, type LocalClock } from "./time/local-clock.js";
