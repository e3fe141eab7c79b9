import { z } from "zod";
import { isE164 } from "@sms-todo/rules";
import { optionalVar, requireTogether, urlVar } from "./config.js";

// An account SID is AC and 32 hex digits, as Twilio assigns them and as media URLs carry them.
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
// Compatible providers keep only the MG prefix of a Messaging Service SID.
const MESSAGING_SERVICE_SID = /^MG[A-Za-z0-9]+$/;

/** Whether a sender (TWILIO_FROM) is a Messaging Service, which picks the number itself, rather than a number. */
export function isMessagingServiceSid(value: string): boolean {
  return MESSAGING_SERVICE_SID.test(value);
}

/** The account's credentials; the token also signs webhooks. Unset, SMS are only logged and voice notes cannot be fetched. */
export const twilioCredentialsConfig = {
  TWILIO_ACCOUNT_SID: optionalVar().pipe(
    z.string().regex(ACCOUNT_SID, "must be an account SID (AC and 32 hex digits)").optional(),
  ),
  TWILIO_AUTH_TOKEN: optionalVar(),
};

/** Twilio's REST origin; other values serve Twilio-compatible providers and local stand-ins. Media is fetched only from it. */
export const twilioApiConfig = {
  TWILIO_API_BASE_URL: urlVar("https://api.twilio.com", ["http:", "https:"]),
};

/** Who outbound SMS come from: a phone number, or a Messaging Service SID (MG…). */
export const twilioSenderConfig = {
  TWILIO_FROM: optionalVar().pipe(
    z
      .string()
      .refine((value) => isE164(value) || isMessagingServiceSid(value), {
        message: "must be an E.164 phone number (+15551234567) or a Messaging Service SID (MG...)",
      })
      .optional(),
  ),
};

/** TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set together or not at all. */
export const refineTwilioCredentials = requireTogether("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN");
