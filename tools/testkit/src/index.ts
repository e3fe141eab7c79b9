export { assertInfrastructureReachable, testInfrastructure } from "./infrastructure.js";
export { uniqueName } from "./unique-name.js";
export { createTestDatabases, todoDomainTestEnv, type TestDatabases } from "./test-databases.js";
export { createTestTopology, type TestTopology } from "./test-topology.js";
export { signWebhook, fakeMessageSid, inboundSmsFields, postSignedWebhook, type InboundSmsOptions } from "./webhook-signer.js";
export {
  TwilioStandIn,
  type MediaAnswer,
  type MediaRequest,
  type SentSms,
  type ProgrammedAnswer,
  type TwilioStandInOptions,
} from "./twilio-stand-in.js";
export { captureLogs, logLineDestination, type CapturedLogs } from "./log-capture.js";
export { LogLeakScanner, type LeakFinding, type LeakKind } from "./log-leak.scanner.js";
export { auditBody, auditLogLine, auditPhoneNumber } from "./log-audit.js";
export { TEST_TWILIO } from "./test-credentials.js";
export { TcpProxy } from "./tcp-proxy.js";
export { freePort } from "./free-port.js";
export { withAmqpChannel } from "./amqp-channel.js";
export { fakeTodoClient, type FakeTodoClient, type RecordedCall } from "./fake-todo-client.js";
export {
  OpenAiStandIn,
  messageText,
  type ChatMessage,
  type OpenAiAnswer,
  type OpenAiScript,
  type OpenAiStandInOptions,
  type RecordedChatRequest,
} from "./openai-stand-in.js";
export {
  AUDIO_FIXTURE_KINDS,
  assertAudioToolsAvailable,
  createAudioFixtures,
  ffprobeDurationSeconds,
  generatedAmrNb,
  undecodableAudio,
  type AudioFixture,
  type AudioFixtureKind,
  type AudioFixtures,
} from "./audio-fixtures.js";
export { WhisperStandIn, type WhisperFailure, type WhisperRequest, type WhisperStandInOptions } from "./whisper-stand-in.js";
export { RedisServerProcess, type RedisServerProcessOptions } from "./redis-server.process.js";
export { CleanupRegistry } from "./cleanup.registry.js";
export { OTLP_KIND, OTLP_STATUS_ERROR, OtlpCollectorStandIn, type ExportedSpan } from "./otlp-collector.stand-in.js";
export { EXIT_INTERRUPTED, runHarness } from "./harness.runner.js";
export { ChildProcessRunner, type ProcessCommand } from "./child-process.runner.js";
export { LatencyRecorder, median, type LatencySummary } from "./latency.stats.js";
export {
  SMS_WEBHOOK_PATH,
  signedSmsWebhook,
  signedWebhookOf,
  testPhoneNumber,
  type SignedWebhook,
} from "./signed-webhook.factory.js";
export { sendPacedWebhooks, type PacedRunOptions, type PacedRunResult } from "./paced-webhook.sender.js";
export { WebhookPoster, type PostResult, type RawRequest } from "./webhook.poster.js";
export {
  SERVICES,
  nodeLauncher,
  purgeQueue,
  startIsolatedIngress,
  startStack,
  type IsolatedIngress,
  type IsolatedIngressOptions,
  type RunningStack,
  type ServiceName,
  type StackLaunch,
  type StackLauncher,
  type StackOptions,
  type StackProcess,
} from "./stack.runner.js";
export { podmanLauncher, type PodmanContainer, type PodmanLauncher, type PodmanLauncherOptions } from "./podman.launcher.js";
export { sampleOf } from "./prometheus-sample.js";
export { TcpFaultProxy, type Latency } from "./tcp-fault.proxy.js";
export { deferred } from "./deferred.js";
export { todoRequestOf, type TodoServiceMethod } from "./todo-requests.js";
