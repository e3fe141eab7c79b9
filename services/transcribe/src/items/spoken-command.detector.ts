import { parseCommand, type Command } from "@sms-todo/command-language";
import { MAX_MESSAGE_LENGTH } from "@sms-todo/rules";

/**
 * Whether a voice note is a command rather than todos. The whole transcript, trimmed of
 * fillers and whisper's sentence punctuation, goes through the same parser as an SMS:
 * - a command other than "add" (complete, delete, edit, list, find, undo, help, settings,
 *   more, opt-out/in) is that command: "Complete number three." completes #3, "Take milk off
 *   the shopping list." deletes milk from the shopping list;
 * - a command that names todos by their words, and "invalid", are commands only for a short
 *   note (at most MAX_COMMAND_WORDS words): a spoken "thanks" gets the same answer as the text
 *   would, while a long transcript ("complete the report for the board and book the flights")
 *   is always read for todos;
 * - anything else ("add", nothing left) is todos; an add to a named list ("add eggs to my
 *   shopping list") keeps its list and its items (spokenAddOf).
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

function spokenText(transcript: string): string {
  return cleanedTranscript(transcript).replace(LEADING_FILLER, "").replace(TRAILING, "").trim();
}

export function spokenCommandOf(transcript: string): Command | undefined {
  const spoken = spokenText(transcript);
  // Nobody speaks a command longer than a text message may be: a long note is todos, unparsed here.
  if (spoken === "" || spoken.length > MAX_MESSAGE_LENGTH) return undefined;
  const command = parseCommand(spoken);
  if (command.kind === "add") return undefined;
  const short = spoken.split(/\s+/).length <= MAX_COMMAND_WORDS;
  if ((command.kind === "invalid" || namesTodosByWords(command)) && !short) return undefined;
  return command;
}

/** A complete, delete or edit that names its todos by words (not by number). */
function namesTodosByWords(command: Command): boolean {
  switch (command.kind) {
    case "complete":
    case "delete":
      return command.targets.some((target) => target.by === "name");
    case "edit":
      return command.target.by === "name";
    case "find":
      return true;
    default:
      return false;
  }
}

/** A spoken add to a named list: its list and items ("add eggs and bread to my shopping list"). */
export interface SpokenListAdd {
  readonly list: string;
  readonly texts: readonly string[];
}

export function spokenAddOf(transcript: string): SpokenListAdd | undefined {
  const spoken = spokenText(transcript);
  if (spoken === "") return undefined;
  const command = parseCommand(spoken);
  return command.kind === "add" && command.list !== undefined ? { list: command.list, texts: command.texts } : undefined;
}
