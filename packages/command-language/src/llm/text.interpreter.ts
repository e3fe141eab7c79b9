import { MAX_MESSAGE_LENGTH } from "@sms-todo/rules";
import type { Command } from "../commands/command.model.js";
import { parseCommand } from "../parsing/command.parser.js";
import { MESSAGE_TOO_LONG_REASON } from "../parsing/command.reasons.js";
import type { CommandMapping, LlmCommandMapper, OpenTodo } from "./llm-command.mapper.js";

export interface TextInterpreterDeps {
  /** Absent when no LLM is configured: then the parser alone decides. */
  mapper?: LlmCommandMapper | undefined;
  /** The sender's own open todos; read only when the LLM is asked. */
  openTodos: () => Promise<readonly OpenTodo[]>;
}

export interface TextInterpretation {
  command: Command;
  /** What the LLM decided, when it was asked (for the log; never the text). */
  llm?: CommandMapping | undefined;
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

/**
 * Deterministic parser first, LLM second. The LLM is asked only about a message of one line
 * that the parser took for a single todo, as written: a recognised command, an invalid
 * message, an opt-out or opt-in, a pasted list, and an explicit todo ("add …", "todo: …", a
 * list bullet, which the parser strips) never reach it, so "add delete old photos" stays the
 * way out of every rule. Its command replaces the add unless it says "none" or gives no
 * usable answer.
 *
 * A failure to read the open todos is not caught: it means todo-domain is unreachable, and the
 * delivery is retried rather than answered with a guess made without them. A body longer than
 * Twilio's limit is refused before it is parsed.
 */
export async function interpretText(
  body: string,
  options: { optOutType?: string | undefined },
  deps: TextInterpreterDeps,
): Promise<TextInterpretation> {
  // Code points, as Twilio counts; never more than UTF-16 units, so only a long body is counted.
  if (body.length > MAX_MESSAGE_LENGTH && [...body].length > MAX_MESSAGE_LENGTH) {
    return { command: { kind: "invalid", reason: MESSAGE_TOO_LONG_REASON } };
  }
  const parsed = parseCommand(body, { optOutType: options.optOutType ?? "" });
  if (!deps.mapper || parsed.kind !== "add" || parsed.texts.length !== 1) return { command: parsed };
  const lines = body.split(LINE_BREAK).filter((line) => line.trim() !== "");
  const [line] = lines;
  if (lines.length !== 1 || line === undefined) return { command: parsed };
  const text = line.replace(/\s+/gu, " ").trim();
  if (parsed.texts[0] !== text) return { command: parsed };
  const openTodos = await deps.openTodos();
  const mapping = await deps.mapper.map({ text, openTodos });
  return { command: mapping.decision === "command" ? mapping.command : parsed, llm: mapping };
}
