import { messaging } from "@sms-todo/contracts";
import { AppError, type DeliveryHandler, type Logger } from "@sms-todo/shared";
import { commandContextOf, dispatchCommand, parseCommand, type TodoCommandClient } from "@sms-todo/command-language";

export interface TextMessageConsumerDeps {
  todoClient: TodoCommandClient;
  logger: Logger;
}

/**
 * Handles one delivery of the text queue: decode, parse, dispatch. Errors are not caught:
 * an AppError that is not retryable (INVALID_ARGUMENT, PERMISSION_DENIED, ...) dead-letters
 * the message, UNAVAILABLE / DEADLINE_EXCEEDED / INTERNAL are retried by the broker, and
 * the idempotency key makes a retry that already took effect harmless.
 */
export function createTextMessageHandler({ todoClient, logger }: TextMessageConsumerDeps): DeliveryHandler {
  const log = logger.child({ component: "text-message-consumer" });
  return async (delivery) => {
    const message = decodeInboundMessage(delivery.body);
    const command = parseCommand(message.body);
    if (command.kind === "invalid") log.info({ messageId: message.messageSid, reason: command.reason }, "command refused");
    const { rpc, result } = await dispatchCommand(command, commandContextOf(message), todoClient);
    log.debug(
      {
        messageId: message.messageSid,
        command: command.kind,
        rpc,
        outcome: result?.outcome?.kind?.$case,
        duplicate: result?.duplicate,
      },
      "command dispatched",
    );
  };
}

function decodeInboundMessage(body: Buffer): messaging.InboundMessage {
  let message: messaging.InboundMessage;
  try {
    message = messaging.InboundMessage.decode(body);
  } catch (error) {
    throw new AppError("INVALID_ARGUMENT", "delivery is not a messaging.v1.InboundMessage", { cause: error });
  }
  if (message.messageSid.trim() === "" || message.from.trim() === "") {
    throw new AppError("INVALID_ARGUMENT", "inbound message lacks message_sid or from");
  }
  return message;
}
