// The time words of todos, shared by command (which splits them off a todo's text) and
// todo-domain (which reads them in the user's timezone), so the two halves always agree.
// A subpath of its own (@sms-todo/command-language/time): todo-domain loads no parser or LLM client.
export type { Due, Schedule, TimedText, TimingWords } from "./time/timing.model.js";
export { readTiming } from "./time/time-words.reader.js";
export { resolveTiming } from "./time/timing.resolver.js";
export { nextOccurrence } from "./time/recurrence.js";
export { dueInTimezone } from "./time/due.js";
export { instantOf } from "./time/wall-clock.js";
export { describeRule } from "./time/rule.describer.js";
