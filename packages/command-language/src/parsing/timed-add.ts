import type { AddCommand, Command } from "../commands/command.model.js";
import { readTiming } from "../time.js";

/**
 * An add with its time words split off each text: "call mom tomorrow at 5pm" adds "call mom"
 * with the words "tomorrow at 5pm", which todo-domain reads in the user's timezone. Texts
 * without time words stay as they are; other commands pass through.
 */
export function withTimings(command: Command): Command {
  return command.kind === "add" ? timedAdd(command) : command;
}

function timedAdd(command: AddCommand): AddCommand {
  const read = command.texts.map(timedText);
  if (read.every((todo) => todo.timing === undefined)) return command;
  return { ...command, texts: read.map((todo) => todo.text), timings: read.map((todo) => todo.timing) };
}

/** "remind me at 5pm to call mom", "remind me every day at 2pm for lunch": once the time words are gone, the word that joined them goes too. */
function timedText(text: string): ReturnType<typeof readTiming> {
  const read = readTiming(text);
  if (read.timing === undefined || !JOINING_WORD.test(read.text) || JOINING_WORD.test(text)) return read;
  return { ...read, text: read.text.replace(JOINING_WORD, "") };
}

const JOINING_WORD = /^(?:to|for|about|that)\s+/iu;
