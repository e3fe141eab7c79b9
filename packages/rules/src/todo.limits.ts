/**
 * How much one message may ask for. The parser, the LLM schema, transcription and todo-domain
 * all check the same limits, so a message the parser accepts is never refused further down
 * (which would dead-letter it without a reply).
 */

/** The longest todo text, in UTF-16 code units with whitespace collapsed, as the parser and todo-domain count. */
export const MAX_TODO_LENGTH = 500;

/** The most todos (or numbers) one message may add, complete or delete; a longer pasted list is refused as a whole. */
export const MAX_TODOS_PER_MESSAGE = 50;

// #N is the lowest free number per user and nobody keeps a thousand open todos by SMS; "done 2024" is far
// more likely a slip than todo #2024.
/** The largest #N a message may name. */
export const MAX_TODO_NUMBER = 999;

/**
 * The longest text message that is read at all, in code points: Twilio's own limit for one message
 * body. A longer body (a forged or replayed webhook) is refused before any parsing, which keeps the
 * parser's work per message bounded; a spoken command is never longer either.
 */
export const MAX_MESSAGE_LENGTH = 1_600;

/** The longest voice-note transcript that is read for todos and kept, in UTF-16 code units. */
export const MAX_TRANSCRIPT_LENGTH = 10_000;

/** SPEC: a reply longer than this is split into pages; a refusal's reason fits one reply (two SMS segments). */
export const MAX_REPLY_LENGTH = 320;

/** The longest time words of one todo ("every other week on tuesday at 7am"), as command and todo-domain count. */
export const MAX_TIMING_LENGTH = 80;
