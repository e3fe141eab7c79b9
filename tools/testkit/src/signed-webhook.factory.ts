import { TEST_TWILIO } from "./test-credentials.js";
import { fakeMessageSid, inboundSmsFields, signWebhook } from "./webhook-signer.js";

export const SMS_WEBHOOK_PATH = "/webhooks/twilio/sms";

/** One inbound SMS webhook as Twilio posts it: the form body and its X-Twilio-Signature. */
export interface SignedWebhook {
  body: string;
  signature: string;
  messageSid: string;
}

/**
 * Signs the fields over the public URL the receiving server is configured with, as Twilio does.
 * Every process of a harness run (the stack, the references, the load generators) shares TEST_TWILIO.
 */
export function signedWebhookOf(fields: Record<string, string>, path = SMS_WEBHOOK_PATH): SignedWebhook {
  return {
    body: new URLSearchParams(fields).toString(),
    signature: signWebhook(TEST_TWILIO.authToken, `${TEST_TWILIO.publicBaseUrl}${path}`, fields),
    messageSid: fields.MessageSid ?? "",
  };
}

/** An inbound SMS (an MMS with media) from `from`, under a fresh MessageSid. */
export function signedSmsWebhook(
  from: string,
  text: string,
  media?: ReadonlyArray<{ url: string; contentType: string }>,
): SignedWebhook {
  const fields = inboundSmsFields({
    from,
    body: text,
    accountSid: TEST_TWILIO.accountSid,
    messageSid: fakeMessageSid(),
    ...(media === undefined ? {} : { media: [...media] }),
  });
  return signedWebhookOf(fields);
}

/** A US test number (+1 555 and seven digits); `index` picks one of ten million. */
export function testPhoneNumber(index: number): string {
  return `+1555${String(index % 10_000_000).padStart(7, "0")}`;
}
