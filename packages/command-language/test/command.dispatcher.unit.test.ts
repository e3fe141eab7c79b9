import { status } from "@grpc/grpc-js";
import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { describe, expect, it } from "vitest";
import { TODO_CALL_DEADLINE_MS, commandContextOf, dispatchCommand } from "../src/commands/command.dispatcher.js";
import { numberTargets, type Command } from "../src/commands/command.model.js";
import { parseCommand } from "../src/parsing/command.parser.js";
import { TOO_LONG_REASON } from "../src/parsing/command.reasons.js";
import { fakeTodoClient } from "@sms-todo/testkit";

const context = commandContextOf({
  from: "+15551234567",
  messageSid: "SM0123456789abcdef0123456789abcdef",
  receivedAtMs: 1_796_000_000_000,
});

describe("commandContextOf", () => {
  it("when a message is dispatched, then it is keyed by its sender and its MessageSid", () => {
    expect(context).toEqual({
      phoneNumber: "+15551234567",
      idempotencyKey: "sms:SM0123456789abcdef0123456789abcdef",
      messageId: "SM0123456789abcdef0123456789abcdef",
      receivedAtMs: 1_796_000_000_000,
    });
  });
});

describe("dispatchCommand", () => {
  const cases: Array<[Command, string, unknown]> = [
    [
      { kind: "add", texts: ["buy milk", "call mom"] },
      "addTodos",
      { context, texts: ["buy milk", "call mom"], source: todo.TodoSource.TODO_SOURCE_SMS, list: "", timings: [] },
    ],
    [
      { kind: "add", texts: ["call mom", "buy milk"], timings: [{ when: "tomorrow at 5pm" }, undefined] },
      "addTodos",
      {
        context,
        texts: ["call mom", "buy milk"],
        source: todo.TodoSource.TODO_SOURCE_SMS,
        list: "",
        timings: [
          { when: "tomorrow at 5pm", every: "" },
          { when: "", every: "" },
        ],
      },
    ],
    [
      { kind: "add", texts: ["eggs"], list: "shopping" },
      "addTodos",
      { context, texts: ["eggs"], source: todo.TodoSource.TODO_SOURCE_SMS, list: "shopping", timings: [] },
    ],
    [
      { kind: "complete", targets: numberTargets([3, 5]) },
      "completeTodos",
      { context, numbers: [], targets: [{ by: { $case: "number", value: 3 } }, { by: { $case: "number", value: 5 } }], list: "" },
    ],
    [
      { kind: "complete", targets: [{ by: "name", name: "milk" }], list: "grocery" },
      "completeTodos",
      { context, numbers: [], targets: [{ by: { $case: "name", value: "milk" } }], list: "grocery" },
    ],
    [
      { kind: "delete", targets: numberTargets([4]) },
      "deleteTodos",
      { context, numbers: [], targets: [{ by: { $case: "number", value: 4 } }], list: "" },
    ],
    [
      { kind: "delete", targets: [{ by: "position", position: -1 }, { by: "reference" }] },
      "deleteTodos",
      {
        context,
        numbers: [],
        targets: [{ by: { $case: "position", value: -1 } }, { by: { $case: "reference", value: true } }],
        list: "",
      },
    ],
    [
      { kind: "delete", targets: [{ by: "all" }], list: "shopping" },
      "deleteTodos",
      { context, numbers: [], targets: [{ by: { $case: "all", value: true } }], list: "shopping" },
    ],
    [
      { kind: "edit", target: { by: "number", number: 2 }, text: "buy oat milk" },
      "editTodo",
      { context, number: 0, text: "buy oat milk", target: { by: { $case: "number", value: 2 } }, list: "" },
    ],
    [{ kind: "list" }, "listTodos", { context, list: "", countOnly: false, due: todo.DueFilter.DUE_FILTER_UNSPECIFIED }],
    [
      { kind: "list", list: "shopping", countOnly: true },
      "listTodos",
      { context, list: "shopping", countOnly: true, due: todo.DueFilter.DUE_FILTER_UNSPECIFIED },
    ],
    [{ kind: "list", due: "today" }, "listTodos", { context, list: "", countOnly: false, due: todo.DueFilter.DUE_FILTER_TODAY }],
    [
      { kind: "reschedule", target: { by: "number", number: 4 }, when: "in 1h" },
      "rescheduleTodo",
      { context, target: { by: { $case: "number", value: 4 } }, list: "", when: "in 1h" },
    ],
    [
      { kind: "stop-repeating", target: { by: "reference" } },
      "stopRepeating",
      { context, target: { by: { $case: "reference", value: true } }, list: "" },
    ],
    [
      { kind: "find", name: "milk", list: "grocery" },
      "findTodo",
      { context, name: "milk", list: "grocery", addIfMissing: false },
    ],
    [
      { kind: "find", name: "eggs", list: "shopping", addIfMissing: true },
      "findTodo",
      { context, name: "eggs", list: "shopping", addIfMissing: true },
    ],
    [{ kind: "more" }, "nextPage", { context }],
    [{ kind: "undo" }, "undo", { context }],
    [{ kind: "help" }, "showHelp", { context }],
    [
      { kind: "settings", change: { summaryTime: "07:30" } },
      "updateSettings",
      { context, change: { $case: "summaryTime", value: "07:30" } },
    ],
    [
      { kind: "settings", change: { summaryOff: true } },
      "updateSettings",
      { context, change: { $case: "summaryOff", value: true } },
    ],
    [
      { kind: "settings", change: { timezone: "America/New_York" } },
      "updateSettings",
      { context, change: { $case: "timezone", value: "America/New_York" } },
    ],
    [{ kind: "subscription", subscribed: false }, "setSubscription", { context, subscribed: false }],
    [{ kind: "subscription", subscribed: true }, "setSubscription", { context, subscribed: true }],
    [{ kind: "invalid", reason: TOO_LONG_REASON }, "rejectMessage", { context, reason: TOO_LONG_REASON }],
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

  it("when every command kind is dispatched, then each kind has a case above", () => {
    const kinds = new Set(cases.map(([command]) => command.kind));
    const all: Command["kind"][] = [
      "add",
      "complete",
      "delete",
      "edit",
      "list",
      "find",
      "more",
      "undo",
      "help",
      "settings",
      "subscription",
      "invalid",
      "reschedule",
      "stop-repeating",
    ];
    expect([...kinds].sort()).toEqual([...all].sort());
  });

  it("when a parsed message is dispatched, then the parser's command reaches the matching call", async () => {
    const client = fakeTodoClient();
    await dispatchCommand(parseCommand("change 2 to buy oat milk"), context, client);
    await dispatchCommand(parseCommand("tz america/new_york"), context, client);
    await dispatchCommand(parseCommand("STOP"), context, client);
    expect(client.calls.map((call) => [call.rpc, call.request])).toEqual([
      ["editTodo", { context, number: 0, text: "buy oat milk", target: { by: { $case: "number", value: 2 } }, list: "" }],
      ["updateSettings", { context, change: { $case: "timezone", value: "America/New_York" } }],
      ["setSubscription", { context, subscribed: false }],
    ]);
  });

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
