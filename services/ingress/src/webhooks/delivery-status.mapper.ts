import { messaging } from "@sms-todo/contracts";
import { invalid, messageSidOf, phoneNumberOf, singleField } from "./webhook-fields.parser.js";

/**
 * The DeliveryStatus for a verified status callback. Throws AppError
 * INVALID_ARGUMENT with a short reason when the fields are not what Twilio sends.
 */
export function toDeliveryStatus(fields: URLSearchParams, receivedAtMs: number): messaging.DeliveryStatus {
  const messageSid = messageSidOf(fields);
  const status = singleField(fields, "MessageStatus").trim().toLowerCase();
  if (!/^[a-z_-]{1,40}$/.test(status)) invalid("MessageStatus is missing or malformed");
  const errorCode = singleField(fields, "ErrorCode").trim();
  if (!/^\d{0,10}$/.test(errorCode)) invalid("ErrorCode must be a number");

  return messaging.DeliveryStatus.fromPartial({
    messageSid,
    accountSid: singleField(fields, "AccountSid"),
    status,
    errorCode,
    to: phoneNumberOf(singleField(fields, "To")),
    receivedAtMs,
  });
}
