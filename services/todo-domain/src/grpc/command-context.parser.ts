import type { TimingWords } from "@sms-todo/command-language/time";
import { isE164, MAX_TIMING_LENGTH, MAX_TODO_LENGTH, MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import type { todo } from "@sms-todo/contracts";
import type { CommandContext } from "../commands/command.types.js";

export function parsePhoneNumber(value: string): string {
  if (!isE164(value)) throw new AppError("INVALID_ARGUMENT", "phone_number must be an E.164 number such as +15551234567");
  return value;
}

/** Every changing call names its sender and carries an idempotency key. */
export function parseCommandContext(context: todo.CommandContext | undefined): CommandContext {
  if (!context) throw new AppError("INVALID_ARGUMENT", "context is required");
  const idempotencyKey = context.idempotencyKey.trim();
  if (idempotencyKey.length === 0 || idempotencyKey.length > 200)
    throw new AppError("INVALID_ARGUMENT", "context.idempotency_key is required (at most 200 characters)");
  return {
    phoneNumber: parsePhoneNumber(context.phoneNumber),
    idempotencyKey,
    messageId: context.messageId.trim() || idempotencyKey,
    receivedAt: parseReceivedAt(context.receivedAtMs),
  };
}

/** 0 (not said) is now; else a plausible epoch millisecond, not more than a minute ahead of this clock. */
function parseReceivedAt(receivedAtMs: number): Date {
  const now = Date.now();
  if (receivedAtMs === 0) return new Date(now);
  if (!Number.isSafeInteger(receivedAtMs) || receivedAtMs < 0 || receivedAtMs > now + 60_000)
    throw new AppError("INVALID_ARGUMENT", "context.received_at_ms must be epoch milliseconds, not in the future");
  return new Date(receivedAtMs);
}

/** The user's words for when: at most MAX_TIMING_LENGTH characters each. */
export function parseTimings(values: readonly todo.Timing[], count: number): Array<TimingWords | undefined> {
  if (values.length === 0) return Array.from({ length: count }, () => undefined);
  if (values.length !== count) throw new AppError("INVALID_ARGUMENT", "timings must be empty or one per text");
  return values.map(({ when, every }) => {
    const words = { when: when.trim(), every: every.trim() };
    if (words.when.length > MAX_TIMING_LENGTH || words.every.length > MAX_TIMING_LENGTH)
      throw new AppError("INVALID_ARGUMENT", `time words have at most ${MAX_TIMING_LENGTH} characters`);
    if (words.when === "" && words.every === "") return undefined;
    return { ...(words.when !== "" && { when: words.when }), ...(words.every !== "" && { every: words.every }) };
  });
}

/** The words of a new due ("in 1h", "friday"): 1 to MAX_TIMING_LENGTH characters. */
export function parseWhen(value: string): string {
  const when = value.replace(/\s+/g, " ").trim();
  if (when.length === 0 || when.length > MAX_TIMING_LENGTH)
    throw new AppError("INVALID_ARGUMENT", `when has 1 to ${MAX_TIMING_LENGTH} characters`);
  return when;
}

export function parseTodoText(value: string): string {
  const text = value.replace(/\s+/g, " ").trim();
  if (text.length === 0) throw new AppError("INVALID_ARGUMENT", "a todo needs some text");
  if (text.length > MAX_TODO_LENGTH) throw new AppError("INVALID_ARGUMENT", `a todo has at most ${MAX_TODO_LENGTH} characters`);
  return text;
}

export function parseTodoTexts(values: readonly string[], options: { allowNone?: boolean } = {}): string[] {
  if (values.length === 0 && !options.allowNone) throw new AppError("INVALID_ARGUMENT", "texts must name at least one todo");
  if (values.length > MAX_TODOS_PER_MESSAGE)
    throw new AppError("INVALID_ARGUMENT", `at most ${MAX_TODOS_PER_MESSAGE} todos at once`);
  return values.map(parseTodoText);
}

export function parseTodoNumbers(values: readonly number[]): number[] {
  if (values.length === 0) throw new AppError("INVALID_ARGUMENT", "numbers must name at least one todo");
  if (values.length > MAX_TODOS_PER_MESSAGE)
    throw new AppError("INVALID_ARGUMENT", `at most ${MAX_TODOS_PER_MESSAGE} numbers at once`);
  for (const number of values) {
    if (!Number.isInteger(number) || number < 1 || number > MAX_TODO_NUMBER)
      throw new AppError("INVALID_ARGUMENT", `numbers are between 1 and ${MAX_TODO_NUMBER}`);
  }
  return [...new Set(values)];
}
