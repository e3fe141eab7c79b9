/** One outbound SMS. `kind` names what it answers (e.g. the outcome kind), for logs only. */
export interface OutboundSms {
  to: string;
  body: string;
  kind: string;
}

export interface SmsSendResult {
  /** The provider's id of the message (Twilio MessageSid), when there is one. */
  messageSid: string | undefined;
}

/**
 * Sends SMS. Implementations throw AppError: UNAVAILABLE when trying again later may
 * work, INVALID_ARGUMENT when the provider refused this message for good.
 */
export interface SmsSender {
  send(sms: OutboundSms): Promise<SmsSendResult>;
}
