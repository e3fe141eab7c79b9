import twilio from "twilio";
import { auditBody, auditPhoneNumber } from "./log-audit.js";

/** Signs webhook form fields the way Twilio does (HMAC-SHA1 over URL plus sorted fields). */
export function signWebhook(authToken: string, url: string, fields: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, fields);
}

let counter = 0;

/** A MessageSid shaped like Twilio's: "SM" and 32 hex digits. */
export function fakeMessageSid(): string {
  counter += 1;
  const random = Math.random().toString(16).slice(2, 14).padEnd(12, "0");
  return `SM${Date.now().toString(16).padStart(12, "0")}${random}${counter.toString(16).padStart(8, "0")}`.slice(0, 34);
}

export interface InboundSmsOptions {
  from: string;
  body: string;
  to?: string;
  accountSid: string;
  messageSid?: string;
  media?: Array<{ url: string; contentType: string }>;
  /** Twilio's OptOutType ("STOP", "START", "HELP"), sent when Advanced Opt-Out recognised a keyword. */
  optOutType?: string;
}

/** The form fields Twilio posts for an inbound SMS or MMS. */
export function inboundSmsFields(options: InboundSmsOptions): Record<string, string> {
  auditPhoneNumber(options.from);
  auditBody(options.body);
  const fields: Record<string, string> = {
    MessageSid: options.messageSid ?? fakeMessageSid(),
    SmsMessageSid: options.messageSid ?? "",
    AccountSid: options.accountSid,
    MessagingServiceSid: "",
    From: options.from,
    To: options.to ?? "+15005550006",
    Body: options.body,
    NumMedia: String(options.media?.length ?? 0),
    NumSegments: "1",
    SmsStatus: "received",
    ApiVersion: "2010-04-01",
  };
  fields.SmsMessageSid = fields.MessageSid ?? "";
  if (options.optOutType !== undefined) fields.OptOutType = options.optOutType;
  (options.media ?? []).forEach((item, index) => {
    fields[`MediaUrl${index}`] = item.url;
    fields[`MediaContentType${index}`] = item.contentType;
  });
  return fields;
}

/** POSTs a signed webhook the way Twilio does; returns the HTTP status and body. */
export async function postSignedWebhook(options: {
  baseUrl: string;
  publicBaseUrl: string;
  path: string;
  authToken: string;
  fields: Record<string, string>;
  signature?: string;
}): Promise<{ status: number; body: string; contentType: string | null }> {
  const signature =
    options.signature ?? signWebhook(options.authToken, `${options.publicBaseUrl}${options.path}`, options.fields);
  const response = await fetch(`${options.baseUrl}${options.path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body: new URLSearchParams(options.fields).toString(),
  });
  return { status: response.status, body: await response.text(), contentType: response.headers.get("content-type") };
}
