/**
 * The add command: every line a todo, as the user wrote it, only whitespace collapsed and a
 * list bullet or an "add"/"todo:" prefix removed.
 */
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import type { Command } from "../commands/command.model.js";
import { HELP } from "./command.keywords.js";
import { TOO_LONG_REASON, TOO_MANY_REASON } from "./command.reasons.js";

const BULLET = /^(?:[-*•·–—▪◦‣]|\d{1,3}[.)])\s+/u;
/** "add …", "todo …", "todo: …": what follows is a todo, whatever it says. */
export const ADD_PREFIX = /^(?:add|todo|to-do)(?:\s*:\s*|\s+|$)/i;

export function parseTodos(lines: readonly string[]): Command {
  const texts = lines.map(todoText).filter((text) => text !== "");
  if (texts.length === 0) return HELP;
  if (texts.some((text) => text.length > MAX_TODO_LENGTH)) return { kind: "invalid", reason: TOO_LONG_REASON };
  if (texts.length > MAX_TODOS_PER_MESSAGE) return { kind: "invalid", reason: TOO_MANY_REASON };
  return { kind: "add", texts };
}

function todoText(line: string): string {
  const collapsed = line.replace(/\s+/gu, " ").trim();
  return collapsed.replace(BULLET, "").replace(ADD_PREFIX, "").trim();
}
