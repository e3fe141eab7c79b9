// What other packages may use: the app and its parts as main.ts composes them (for tests that run a notifier in a child process).
export { createApp, DEFAULT_KEY_PREFIX, type NotifierApp, type NotifierDeps } from "./app.js";
export { loadNotifierConfig, twilioSettingsOf, type NotifierConfig } from "./notifier.config.js";
export { LoggingSmsSender } from "./sms/logging-sms.sender.js";
export { createSendDoubts } from "./sms/send-doubts.repository.js";
export { createSmsRateLimiter } from "./sms/sms-rate.limiter.js";
export type { SmsSender } from "./sms/sms.sender.js";
export { TwilioSmsSender } from "./sms/twilio-sms.sender.js";
export type { SummaryRoundResult } from "./summaries/summary-round.use-case.js";
