import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_LENGTH, MAX_TODO_LENGTH } from "@sms-todo/rules";
import { numberTargets, type Command } from "../src/commands/command.model.js";
import type { CommandMapping, CommandMappingRequest, LlmCommandMapper, OpenTodo } from "../src/llm/llm-command.mapper.js";
import { interpretText } from "../src/llm/text.interpreter.js";
import { parseCommand } from "../src/parsing/command.parser.js";
import { MESSAGE_TOO_LONG_REASON, TOO_LONG_REASON } from "../src/parsing/command.reasons.js";

const TODOS: OpenTodo[] = [{ number: 2, text: "buy milk" }];

/** A mapper that answers as told and records what it was asked. */
function recordingMapper(mapping: CommandMapping) {
  const asked: CommandMappingRequest[] = [];
  const mapper: LlmCommandMapper = {
    map(request) {
      asked.push(request);
      return Promise.resolve(mapping);
    },
  };
  return { mapper, asked };
}

function recordingTodos() {
  const reads = { count: 0 };
  return {
    reads,
    openTodos: () => {
      reads.count += 1;
      return Promise.resolve(TODOS);
    },
  };
}

const complete2: Command = { kind: "complete", targets: numberTargets([2]) };

describe("interpretText: deterministic parser first, LLM second", () => {
  it("when a single line reads as a todo, then the LLM is asked with the line and the sender's open todos, and its command is used", async () => {
    const { mapper, asked } = recordingMapper({ decision: "command", command: complete2 });
    const { openTodos, reads } = recordingTodos();
    const result = await interpretText("  milk for the cereal  ", {}, { mapper, openTodos });
    expect(result).toEqual({ command: complete2, llm: { decision: "command", command: complete2 } });
    expect(asked).toEqual([{ text: "milk for the cereal", openTodos: TODOS }]);
    expect(reads.count).toBe(1);
  });

  it("when one line is followed by empty lines, then it still counts as one line for the LLM", async () => {
    const { mapper, asked } = recordingMapper({ decision: "none" });
    await interpretText("milk for the cereal\r\n\n  \n", {}, { mapper, ...recordingTodos() });
    expect(asked.map((request) => request.text)).toEqual(["milk for the cereal"]);
  });

  it.each<[string, CommandMapping]>([
    ["none", { decision: "none" }],
    ["a timeout", { decision: "failed", failure: "timeout" }],
    ["a refused answer", { decision: "failed", failure: "rejected" }],
  ])("when the LLM answers %s, then the parser's add of the text as written is used", async (_name, mapping) => {
    const { mapper } = recordingMapper(mapping);
    const result = await interpretText("Call the plumber", {}, { mapper, ...recordingTodos() });
    expect(result).toEqual({ command: { kind: "add", texts: ["Call the plumber"] }, llm: mapping });
  });

  it.each([
    ["a recognised command", "done 2"],
    ["a list request", "list"],
    ["a message of several lines", "buy milk\ncall mom"],
    ["a heading and one todo", "Todo:\nmilk for the cereal"],
    ["an explicit add", "add delete old photos"],
    ["an explicit todo", "todo: milk for the cereal"],
    ["a list bullet", "- milk for the cereal"],
    ["an opt-out keyword", "STOP"],
    ["an opt-in keyword", "START"],
    ["a todo that is too long", "x".repeat(MAX_TODO_LENGTH + 1)],
    ["only numbers", "#3"],
  ])("when the message is %s, then the LLM is never asked", async (_name, body) => {
    const { mapper, asked } = recordingMapper({ decision: "command", command: { kind: "delete", targets: numberTargets([2]) } });
    const { openTodos, reads } = recordingTodos();
    const result = await interpretText(body, {}, { mapper, openTodos });
    expect(result).toEqual({ command: parseCommand(body, { optOutType: "" }) });
    expect(asked).toEqual([]);
    expect(reads.count).toBe(0);
  });

  it("when Twilio's OptOutType says STOP, then the parser decides and the LLM is never asked", async () => {
    const { mapper, asked } = recordingMapper({ decision: "command", command: complete2 });
    const result = await interpretText("please stop all this", { optOutType: "STOP" }, { mapper, ...recordingTodos() });
    expect(result.command).toEqual({ kind: "subscription", subscribed: false });
    expect(asked).toEqual([]);
  });

  it("when a body is longer than Twilio allows, then it is refused unread: no parse, no LLM, no todos read", async () => {
    const { mapper, asked } = recordingMapper({ decision: "command", command: complete2 });
    const { openTodos, reads } = recordingTodos();
    const body = `${"i need ".repeat(1_000)}milk`;
    const result = await interpretText(body, {}, { mapper, openTodos });
    expect(result.command).toEqual({ kind: "invalid", reason: MESSAGE_TOO_LONG_REASON });
    expect(asked).toEqual([]);
    expect(reads.count).toBe(0);
  });

  it("when a body's length is counted, then it is counted in code points, as Twilio counts characters", async () => {
    // 1,600 emoji are 3,200 UTF-16 units: read (and then refused as a todo too long), while one more is not read.
    const atLimit = await interpretText("🥛".repeat(MAX_MESSAGE_LENGTH), {}, recordingTodos());
    expect(atLimit.command).toEqual({ kind: "invalid", reason: TOO_LONG_REASON });
    const overLimit = await interpretText("🥛".repeat(MAX_MESSAGE_LENGTH + 1), {}, recordingTodos());
    expect(overLimit.command).toEqual({ kind: "invalid", reason: MESSAGE_TOO_LONG_REASON });
  });

  it("when no LLM is configured, then the parser alone decides and the todos are never read", async () => {
    const { openTodos, reads } = recordingTodos();
    expect(await interpretText("milk for the cereal", {}, { openTodos })).toEqual({
      command: { kind: "add", texts: ["milk for the cereal"] },
    });
    expect(reads.count).toBe(0);
  });

  it("when the open todos cannot be read, then the failure propagates so the delivery is retried", async () => {
    const { mapper, asked } = recordingMapper({ decision: "none" });
    const failing = () => Promise.reject(new Error("todo-domain unavailable"));
    await expect(interpretText("milk for the cereal", {}, { mapper, openTodos: failing })).rejects.toThrow(
      "todo-domain unavailable",
    );
    expect(asked).toEqual([]);
  });
});
