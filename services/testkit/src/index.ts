export { assertInfrastructureReachable, testInfrastructure } from "./infrastructure.js";
export { uniqueName } from "./unique-name.js";
export { createTestDatabases, type TestDatabases } from "./test-databases.js";
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
export { captureLogs, type CapturedLogs } from "./log-capture.js";
export { TEST_TWILIO } from "./test-credentials.js";
export { TcpProxy } from "./tcp-proxy.js";
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
