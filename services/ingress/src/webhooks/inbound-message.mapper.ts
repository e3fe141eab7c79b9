import { messaging } from "@sms-todo/contracts";
import { invalid, isWhatsAppAddress, messageSidOf, phoneNumberOf, singleField } from "./webhook-fields.parser.js";

export const MAX_MEDIA = 10;

const MEDIA_FIELD = /^Media(?:Url|ContentType)(0|[1-9]\d*)$/;

function mediaOf(fields: URLSearchParams): messaging.Media[] {
  const numMedia = singleField(fields, "NumMedia").trim();
  if (numMedia !== "" && !/^\d{1,2}$/.test(numMedia)) invalid(`NumMedia must be a whole number from 0 to ${MAX_MEDIA}`);
  const count = numMedia === "" ? 0 : Number(numMedia);
  if (count > MAX_MEDIA) invalid(`NumMedia must be a whole number from 0 to ${MAX_MEDIA}`);

  for (const name of fields.keys()) {
    const index = MEDIA_FIELD.exec(name)?.[1];
    if (index !== undefined && Number(index) >= count) invalid(`${name} does not match NumMedia`);
  }
  const media: messaging.Media[] = [];
  for (let index = 0; index < count; index += 1) {
    const url = singleField(fields, `MediaUrl${index}`).trim();
    const contentType = singleField(fields, `MediaContentType${index}`).trim();
    if (!url) invalid(`MediaUrl${index} is missing`);
    if (!contentType) invalid(`MediaContentType${index} is missing`);
    if (!URL.canParse(url) || !["http:", "https:"].includes(new URL(url).protocol))
      invalid(`MediaUrl${index} is not an http(s) URL`);
    media.push({ url, contentType });
  }
  return media;
}

/**
 * The InboundMessage for a verified inbound-message webhook. Throws AppError
 * INVALID_ARGUMENT with a short reason when the fields are not what Twilio sends.
 */
export function toInboundMessage(fields: URLSearchParams, receivedAtMs: number): messaging.InboundMessage {
  const messageSid = messageSidOf(fields);
  const rawFrom = singleField(fields, "From");
  const from = phoneNumberOf(rawFrom);
  if (!from) invalid("From is missing");
  const media = mediaOf(fields);
  const channel = isWhatsAppAddress(rawFrom)
    ? messaging.Channel.CHANNEL_WHATSAPP
    : media.length > 0
      ? messaging.Channel.CHANNEL_MMS
      : messaging.Channel.CHANNEL_SMS;

  return messaging.InboundMessage.fromPartial({
    messageSid,
    accountSid: singleField(fields, "AccountSid"),
    from,
    to: phoneNumberOf(singleField(fields, "To")),
    body: singleField(fields, "Body"),
    media,
    optOutType: singleField(fields, "OptOutType").trim().toUpperCase(),
    channel,
    receivedAtMs,
  });
}
