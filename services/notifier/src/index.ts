// What other packages may use: the notifier as main.ts composes it (for tests that run a notifier in a child process).
export { createApp, DEFAULT_KEY_PREFIX, type NotifierApp, type NotifierDeps } from "./app.js";
export { composeNotifier, type NotifierOverrides } from "./notifier.composition.js";
export { loadNotifierConfig, type NotifierConfig } from "./notifier.config.js";
export type { SummaryRoundResult } from "./summaries/summary-round.use-case.js";
