// Rules more than one service applies, written once so that the services cannot drift apart.
export {
  MAX_MESSAGE_LENGTH,
  MAX_REPLY_LENGTH,
  MAX_TIMING_LENGTH,
  MAX_TODO_LENGTH,
  MAX_TODO_NUMBER,
  MAX_TODOS_PER_MESSAGE,
  MAX_TRANSCRIPT_LENGTH,
} from "./todo.limits.js";
export { AUDIO_CONTENT_TYPES, isAudioContentType, mediaTypeEssence, type AudioContentType } from "./audio-media.types.js";
export { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "./subscription.keywords.js";
export { DEFAULT_SUMMARY_TIME, QUIET_HOURS, isQuietTime, summarySendTime } from "./quiet-hours.policy.js";
export { E164_DIGITS_SOURCE, PHONE_NUMBER_DIGITS, isE164 } from "./phone-number.pattern.js";
export { MAX_LIST_NAME_LENGTH, REFERENCE_FRESH_MS, isValidListName } from "./todo-list.rules.js";
export { DEFAULT_SNOOZE, LATE_REMINDER_QUIET_GRACE_MS, REMINDER_LATE_AFTER_MS } from "./time.rules.js";
