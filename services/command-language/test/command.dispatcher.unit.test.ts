import { status } from "@grpc/grpc-js";
import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { describe, expect, it } from "vitest";
import { TODO_CALL_DEADLINE_MS, commandContextOf, dispatchCommand } from "../src/commands/command.dispatcher.js";
import type { Command } from "../src/commands/command.model.js";
import { fakeTodoClient } from "@sms-todo/testkit";

const context = commandContextOf({ from: "+15551234567", messageSid: "SM0123456789abcdef0123456789abcdef" });

describe("commandContextOf", () => {
  it("when a message is dispatched, then it is keyed by its sender and its MessageSid", () => {
    expect(context).toEqual({
      phoneNumber: "+15551234567",
      idempotencyKey: "sms:SM0123456789abcdef0123456789abcdef",
      messageId: "SM0123456789abcdef0123456789abcdef",
    });
  });
});

describe("dispatchCommand", () => {
  const cases: Array<[Command, string, unknown]> = [
    [
      { kind: "add", texts: ["buy milk", "call mom"] },
      "addTodos",
      { context, texts: ["buy milk", "call mom"], source: todo.TodoSource.TODO_SOURCE_SMS },
    ],
    [{ kind: "complete", numbers: [3, 5] }, "completeTodos", { context, numbers: [3, 5] }],
    [{ kind: "list" }, "listTodos", { context }],
    [{ kind: "help" }, "showHelp", { context }],
    [
      { kind: "invalid", reason: "That todo is too long (max 500 characters)." },
      "rejectMessage",
      { context, reason: "That todo is too long (max 500 characters)." },
    ],
  ];

  it.each(cases)(
    "when the command is %j, then exactly one %s call is made with the mapped request",
    async (command, rpc, request) => {
      const client = fakeTodoClient();
      const dispatched = await dispatchCommand(command, context, client);
      expect(client.calls.map((call) => [call.rpc, call.request])).toEqual([[rpc, request]]);
      expect(dispatched.rpc).toBe(rpc);
      expect(dispatched.result?.outcome?.kind).toBeDefined();
    },
  );

  it("when a call is made, then it carries the MessageSid as correlation id and a 5 s deadline", async () => {
    const client = fakeTodoClient();
    const before = Date.now();
    await dispatchCommand({ kind: "list" }, context, client);
    const [call] = client.calls;
    expect(call?.metadata.get("x-correlation-id")).toEqual([context.messageId]);
    const deadline = call?.options.deadline as number;
    expect(deadline).toBeGreaterThanOrEqual(before + TODO_CALL_DEADLINE_MS);
    expect(deadline).toBeLessThanOrEqual(Date.now() + TODO_CALL_DEADLINE_MS);
    expect(TODO_CALL_DEADLINE_MS).toBe(5_000);
  });

  it.each([
    [status.UNAVAILABLE, "UNAVAILABLE", true],
    [status.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED", true],
    [status.INVALID_ARGUMENT, "INVALID_ARGUMENT", false],
    [status.PERMISSION_DENIED, "PERMISSION_DENIED", false],
  ])(
    "when todo-domain answers status %i, then the call fails with AppError %s (retryable: %s)",
    async (code, appCode, retryable) => {
      const failure = await dispatchCommand({ kind: "add", texts: ["buy milk"] }, context, fakeTodoClient(code)).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe(appCode);
      expect((failure as AppError).retryable).toBe(retryable);
    },
  );
});
