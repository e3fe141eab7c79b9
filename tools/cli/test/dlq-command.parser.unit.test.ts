import { describe, expect, it } from "vitest";
import { DEFAULT_LIST_LIMIT, parseDlqCommand } from "../src/dead-letters/dlq-command.parser.js";

describe("npm run dlq command line", () => {
  it.each([
    [["list"], { kind: "list", queue: undefined, limit: DEFAULT_LIST_LIMIT }],
    [["list", "text"], { kind: "list", queue: "text", limit: DEFAULT_LIST_LIMIT }],
    [["list", "sms-todo.text.dead", "--limit", "3"], { kind: "list", queue: "sms-todo.text.dead", limit: 3 }],
    [["replay", "audio", "--id", "SM123"], { kind: "replay", queue: "audio", messageId: "SM123", all: false }],
    [["replay", "replies", "--all"], { kind: "replay", queue: "replies", messageId: undefined, all: true }],
    [["purge", "status", "--id", "SM9"], { kind: "purge", queue: "status", messageId: "SM9" }],
  ])("when the arguments are %j, then the command is read as %j", (argv, expected) => {
    expect(parseDlqCommand(argv)).toEqual(expected);
  });

  it.each([
    [[], "no command given"],
    [["show"], "unknown command show"],
    [["list", "text", "audio"], "unexpected audio"],
    [["list", "--limit", "0"], "--limit must be a whole number above 0"],
    [["list", "--limit", "many"], "--limit must be a whole number above 0"],
    [["list", "text", "--all"], "list takes no --id or --all"],
    [["replay", "--all"], "replay needs a queue"],
    [["replay", "text"], "replay needs either --id <messageId> or --all"],
    [["replay", "text", "--id", "SM1", "--all"], "replay needs either --id <messageId> or --all"],
    [["purge", "text"], "purge needs --id <messageId>"],
    [["purge", "text", "--all"], "purge deletes one message: --id <messageId> only"],
  ])("when the arguments are %j, then they are refused: %s", (argv, error) => {
    expect(parseDlqCommand(argv)).toEqual({ error });
  });

  it("when an option is unknown, then the arguments are refused naming it", () => {
    const parsed = parseDlqCommand(["list", "--force"]);
    expect("error" in parsed && parsed.error).toContain("--force");
  });
});
