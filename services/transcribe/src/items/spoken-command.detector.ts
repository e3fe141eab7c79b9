import { parseCommand, type Command } from "@sms-todo/command-language";

/**
 * Whether a voice note is a command rather than todos. The whole transcript, trimmed of
 * fillers and whisper's sentence punctuation, goes through the same parser as an SMS:
 * - a command other than "add" (complete, delete, edit, list, undo, help, settings,
 *   more, opt-out/in) is that command: "Complete number three." completes #3;
 * - "invalid" is a command only for a short note (at most MAX_COMMAND_WORDS words), so a
 *   spoken "thanks" or "oops" gets the same answer as the text would, while a long
 *   transcript is always read for todos;
 * - anything else ("add", nothing left) is todos.
 */
export const MAX_COMMAND_WORDS = 8;

const NON_SPEECH = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*/g;
const LEADING_FILLER = /^(?:(?:um+|uh+m?|erm?|hmm+|mm+|ah+|oh|so|well|okay|ok|alright|right|hey)\b[\s,.!-]*)+/i;
const TRAILING = /[\s,.!?…]+$/u;

export function cleanedTranscript(transcript: string): string {
  return transcript
    .replace(/[\u2018\u2019]/g, "'")
    .replace(NON_SPEECH, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function spokenCommandOf(transcript: string): Command | undefined {
  const cleaned = cleanedTranscript(transcript);
  const withoutFiller = cleaned.replace(LEADING_FILLER, "").replace(TRAILING, "").trim();
  if (withoutFiller === "") return undefined;
  const command = parseCommand(withoutFiller);
  if (command.kind === "add") return undefined;
  if (command.kind === "invalid" && withoutFiller.split(/\s+/).length > MAX_COMMAND_WORDS) return undefined;
  return command;
}
