import { AppError } from "@sms-todo/shared";

/** Twilio's message SIDs: SM for SMS and WhatsApp, MM for MMS. */
export const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

const WHATSAPP_PREFIX = /^whatsapp:/i;

export function invalid(reason: string): never {
  throw new AppError("INVALID_ARGUMENT", reason);
}

/** A field's value ("" when absent); a field sent twice is ambiguous, so it is refused. */
export function singleField(fields: URLSearchParams, name: string): string {
  const values = fields.getAll(name);
  if (values.length > 1) invalid(`${name} appears more than once`);
  return values[0] ?? "";
}

export function messageSidOf(fields: URLSearchParams): string {
  const messageSid = singleField(fields, "MessageSid");
  if (!MESSAGE_SID.test(messageSid)) invalid("MessageSid is missing or malformed");
  return messageSid;
}

export function isWhatsAppAddress(address: string): boolean {
  return WHATSAPP_PREFIX.test(address);
}

/** "whatsapp:+4915..." → "+4915...": downstream services only know phone numbers. */
export function phoneNumberOf(address: string): string {
  return address.replace(WHATSAPP_PREFIX, "").trim();
}
