export { assertInfrastructureReachable, testInfrastructure } from "./infrastructure.js";
export { uniqueName } from "./unique-name.js";
export { createTestDatabases, type TestDatabases } from "./test-databases.js";
export { createTestTopology, type TestTopology } from "./test-topology.js";
export { signWebhook, fakeMessageSid, inboundSmsFields, postSignedWebhook, type InboundSmsOptions } from "./webhook-signer.js";
export { TwilioStandIn, type SentSms, type ProgrammedAnswer, type TwilioStandInOptions } from "./twilio-stand-in.js";
export { captureLogs, type CapturedLogs } from "./log-capture.js";
export { TEST_TWILIO } from "./test-credentials.js";
export { TcpProxy } from "./tcp-proxy.js";
