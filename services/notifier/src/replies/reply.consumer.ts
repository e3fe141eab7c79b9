import { messaging } from "@sms-todo/contracts";
import { decodeDelivery, type DeliveryHandler } from "@sms-todo/shared";
import { sendReply, type SendReplyDeps } from "./send-reply.use-case.js";

/** Consumes ReplyRequested events: decode, send the reply. */
export function createReplyConsumer(deps: SendReplyDeps): DeliveryHandler {
  return async (delivery) => {
    const request = decodeDelivery(delivery, messaging.ReplyRequested, { type: "messaging.v1.ReplyRequested" });
    await sendReply(deps, request);
  };
}
