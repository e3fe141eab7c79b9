import { fakeMessageSid, inboundSmsFields, signWebhook, TEST_TWILIO } from "@sms-todo/testkit";

export const SMS_WEBHOOK_PATH = "/webhooks/twilio/sms";

/** The account every process of a bench run shares: the stack, the references and the load generators. */
export const BENCH_TWILIO = TEST_TWILIO;

/** One inbound SMS webhook as Twilio posts it: the form body and its X-Twilio-Signature. */
export interface SignedWebhook {
  body: string;
  signature: string;
  messageSid: string;
}

/** Signs over the public URL the receiving server is configured with, as Twilio does. */
export function signedSmsWebhook(from: string, text: string): SignedWebhook {
  const messageSid = fakeMessageSid();
  const fields = inboundSmsFields({ from, body: text, accountSid: BENCH_TWILIO.accountSid, messageSid });
  return {
    body: new URLSearchParams(fields).toString(),
    signature: signWebhook(BENCH_TWILIO.authToken, `${BENCH_TWILIO.publicBaseUrl}${SMS_WEBHOOK_PATH}`, fields),
    messageSid,
  };
}

/** A US test number (+1 555 and seven digits); `index` picks one of ten million. */
export function benchPhoneNumber(index: number): string {
  return `+1555${String(index % 10_000_000).padStart(7, "0")}`;
}
