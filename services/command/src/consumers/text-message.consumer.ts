import { messaging, todo } from "@sms-todo/contracts";
import { decodeDelivery, type DeliveryHandler, type Logger } from "@sms-todo/shared";
import { callUnary, type UnaryMethod } from "@sms-todo/shared/grpc-client";
import {
  TODO_CALL_DEADLINE_MS,
  commandContextOf,
  dispatchCommand,
  interpretText,
  type LlmCommandMapper,
  type OpenTodo,
  type TodoCommandClient,
} from "@sms-todo/command-language";
import { createSenderTurns } from "./sender-turns.js";

/** The dispatcher's calls plus GetTodos, which shows the LLM the sender's own open todos. */
export interface TextMessageTodoClient extends TodoCommandClient {
  getTodos: UnaryMethod<todo.GetTodosRequest, todo.GetTodosResponse>;
}

export interface TextMessageConsumerDeps {
  todoClient: TextMessageTodoClient;
  logger: Logger;
  /** The optional LLM; without it the deterministic parser alone decides. */
  llm?: LlmCommandMapper | undefined;
}

/**
 * Handles one delivery of the text queue: decode, interpret (parser first, LLM second),
 * dispatch. Errors are not caught: an AppError that is not retryable (INVALID_ARGUMENT,
 * PERMISSION_DENIED, ...) dead-letters the message, UNAVAILABLE / DEADLINE_EXCEEDED /
 * INTERNAL are retried by the broker, and the idempotency key makes a retry that already
 * took effect harmless, even when the LLM answers a redelivery differently. One sender's
 * messages take their turns in the order they arrived (sender-turns.ts).
 */
export function createTextMessageHandler({ todoClient, logger, llm }: TextMessageConsumerDeps): DeliveryHandler {
  const log = logger.child({ component: "text-message-consumer" });
  const inTurn = createSenderTurns();
  return async (delivery) => {
    const message = decodeDelivery(delivery, messaging.InboundMessage, {
      type: "messaging.v1.InboundMessage",
      required: ["messageSid", "from"],
    });
    await inTurn(message.from, () => handle(message));
  };

  async function handle(message: messaging.InboundMessage): Promise<void> {
    const { command, llm: mapping } = await interpretText(
      message.body,
      { optOutType: message.optOutType },
      { mapper: llm, openTodos: () => openTodosOf(todoClient, message) },
    );
    if (mapping) {
      log.info(
        {
          messageId: message.messageSid,
          llmDecision: mapping.decision,
          command: mapping.decision === "command" ? mapping.command.kind : undefined,
          llmFailure: mapping.decision === "failed" ? mapping.failure : undefined,
          llmStatus: mapping.decision === "failed" ? mapping.status : undefined,
        },
        "llm consulted",
      );
    }
    if (command.kind === "invalid") log.info({ messageId: message.messageSid, reason: command.reason }, "command refused");
    const { rpc, result } = await dispatchCommand(command, commandContextOf(message), todoClient);
    // One line per message at info; it and every other line of this delivery carry the MessageSid as correlationId.
    log.info(
      {
        messageId: message.messageSid,
        command: command.kind,
        rpc,
        outcome: result?.outcome?.kind?.$case,
        duplicate: result?.duplicate,
      },
      "command dispatched",
    );
  }
}

async function openTodosOf(client: TextMessageTodoClient, message: messaging.InboundMessage): Promise<OpenTodo[]> {
  const response = await callUnary(
    client.getTodos.bind(client),
    { phoneNumber: message.from },
    { deadlineMs: TODO_CALL_DEADLINE_MS, correlationId: message.messageSid },
  );
  return response.todos
    .filter((item) => item.status === todo.TodoStatus.TODO_STATUS_OPEN && item.number > 0)
    .map(({ number, text }) => ({ number, text }));
}
