import { todo } from "@sms-todo/contracts";
import { callUnary, type UnaryMethod } from "@sms-todo/shared/grpc-client";

/** The part of todo-domain's TodoService the notifier calls. */
export interface SubscriptionClient {
  setSubscription: UnaryMethod<todo.SetSubscriptionRequest, todo.SetSubscriptionResponse>;
}

/** A slower todo-domain fails the delivery, which the broker then retries. */
export const SET_SUBSCRIPTION_DEADLINE_MS = 5_000;

export interface RecipientOptOut {
  phoneNumber: string;
  /** The reply event whose SMS Twilio refused; one opt-out per event however often it is retried. */
  eventId: string;
  /** The inbound MessageSid the reply answered, for audit. */
  messageId: string;
}

/** Tells todo-domain a recipient is opted out, so nothing more is sent to them until they opt back in. */
export interface RecipientOptOuts {
  record(optOut: RecipientOptOut): Promise<void>;
}

/**
 * Twilio refuses every SMS to a number that texted STOP to our sender (error 21610), even
 * when that STOP never reached us. The user's subscription is set to match, through
 * SetSubscription with an idempotency key derived from the event.
 */
export function createRecipientOptOuts(client: SubscriptionClient, deadlineMs = SET_SUBSCRIPTION_DEADLINE_MS): RecipientOptOuts {
  return {
    async record({ phoneNumber, eventId, messageId }) {
      const request = todo.SetSubscriptionRequest.fromPartial({
        context: { phoneNumber, idempotencyKey: `twilio-21610:${eventId}`, messageId },
        subscribed: false,
      });
      await callUnary(client.setSubscription.bind(client), request, { deadlineMs, correlationId: messageId || eventId });
    },
  };
}
