import { status } from "@grpc/grpc-js";
import { messaging, todo } from "@sms-todo/contracts";
import { AppError, createLogger, type Delivery } from "@sms-todo/shared";
import { describe, expect, it } from "vitest";
import { createTextMessageHandler } from "../src/consumers/text-message.consumer.js";
import { fakeTodoClient } from "@sms-todo/testkit";

const logger = createLogger({ name: "command-test", level: "silent" });

const deliveryOf = (body: Buffer): Delivery => ({
  body,
  messageId: undefined,
  type: "messaging.v1.InboundMessage",
  correlationId: undefined,
  headers: {},
  deliveryCount: 0,
});

const inbound = (fields: Partial<messaging.InboundMessage>) =>
  deliveryOf(
    Buffer.from(
      messaging.InboundMessage.encode(
        messaging.InboundMessage.fromPartial({
          messageSid: "SMaaaabbbbccccddddeeeeffff00001111",
          from: "+15551234567",
          to: "+15557654321",
          channel: messaging.Channel.CHANNEL_SMS,
          ...fields,
        }),
      ).finish(),
    ),
  );

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("text message consumer", () => {
  it("when a text arrives, then its todos are added under the sender, keyed by the MessageSid", async () => {
    const client = fakeTodoClient();
    await createTextMessageHandler({ todoClient: client, logger })(inbound({ body: "buy milk\ncall mom" }));
    expect(client.calls.map((call) => [call.rpc, call.request])).toEqual([
      [
        "addTodos",
        {
          context: {
            phoneNumber: "+15551234567",
            idempotencyKey: "sms:SMaaaabbbbccccddddeeeeffff00001111",
            messageId: "SMaaaabbbbccccddddeeeeffff00001111",
          },
          texts: ["buy milk", "call mom"],
          source: todo.TodoSource.TODO_SOURCE_SMS,
        },
      ],
    ]);
  });

  it("when a command arrives, then the matching call is made", async () => {
    const client = fakeTodoClient();
    await createTextMessageHandler({ todoClient: client, logger })(inbound({ body: "Done #3 and #4." }));
    expect(client.calls.map((call) => [call.rpc, (call.request as todo.CompleteTodosRequest).numbers])).toEqual([
      ["completeTodos", [3, 4]],
    ]);
  });

  it("when the body is not an InboundMessage, then it fails with INVALID_ARGUMENT (dead-lettered) and calls nothing", async () => {
    const client = fakeTodoClient();
    const handler = createTextMessageHandler({ todoClient: client, logger });
    const error = await failureOf(handler(deliveryOf(Buffer.from([0x0a, 0x05, 0x41]))));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.retryable).toBe(false);
    expect(client.calls).toEqual([]);
  });

  it.each([{ from: "" }, { messageSid: "" }, { from: "  " }])(
    "when the message lacks %j, then it fails with INVALID_ARGUMENT and calls nothing",
    async (missing) => {
      const client = fakeTodoClient();
      const handler = createTextMessageHandler({ todoClient: client, logger });
      const error = await failureOf(handler(inbound({ body: "buy milk", ...missing })));
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect(client.calls).toEqual([]);
    },
  );

  it.each([
    [status.INVALID_ARGUMENT, false],
    [status.PERMISSION_DENIED, false],
    [status.UNAVAILABLE, true],
    [status.DEADLINE_EXCEEDED, true],
  ])("when todo-domain answers status %i, then the handler fails with retryable %s", async (code, retryable) => {
    const handler = createTextMessageHandler({ todoClient: fakeTodoClient(code), logger });
    const error = await failureOf(handler(inbound({ body: "buy milk" })));
    expect(error.retryable).toBe(retryable);
  });
});
