import { messaging } from "@sms-todo/contracts";
import { AppError, type DeliveryHandler } from "@sms-todo/shared";
import { sendReply, type SendReplyDeps } from "./send-reply.use-case.js";

/** Consumes ReplyRequested events: decode, send the reply. */
export function createReplyConsumer(deps: SendReplyDeps): DeliveryHandler {
  return async (delivery) => {
    let request: messaging.ReplyRequested;
    try {
      request = messaging.ReplyRequested.decode(delivery.body);
    } catch (error) {
      throw new AppError("INVALID_ARGUMENT", "undecodable ReplyRequested", { cause: error });
    }
    await sendReply(deps, request);
  };
}
