import { AppError } from "@sms-todo/shared";

/** One outbound SMS. `kind` names what it answers (e.g. the outcome kind), for logs only. */
export interface OutboundSms {
  to: string;
  body: string;
  kind: string;
  /**
   * Stays the same when the same SMS is tried again (the reply event id). A send whose outcome
   * stayed unknown is remembered under it, so the next try first asks the provider what happened.
   */
  key?: string;
}

export interface SmsSendResult {
  /** The provider's id of the message (Twilio MessageSid), when there is one. */
  messageSid: string | undefined;
}

/**
 * Sends SMS. Implementations throw AppError: UNAVAILABLE when trying again later may
 * work, INVALID_ARGUMENT when the provider refused this message for good, PERMISSION_DENIED
 * when the recipient unsubscribed at the provider (Twilio error 21610: they texted STOP).
 */
export interface SmsSender {
  send(sms: OutboundSms): Promise<SmsSendResult>;
  /** Releases what the sender holds (timers, statistics); in-flight sends are not interrupted. */
  close?(): void;
}

/** Whether a send failed because the recipient unsubscribed at the provider: no SMS can reach them. */
export function isRecipientUnsubscribed(error: unknown): boolean {
  return error instanceof AppError && error.code === "PERMISSION_DENIED";
}
