import { describe, expect, it } from "vitest";
import { AppError } from "@sms-todo/shared";
import { toDeliveryStatus } from "../src/webhooks/delivery-status.mapper.js";

const SID = `SM${"c3".repeat(16)}`;
const ACCOUNT = `AC${"0".repeat(31)}1`;

const fields = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ MessageSid: SID, MessageStatus: "delivered", AccountSid: ACCOUNT, To: "+15551234567", ...extra });

describe("toDeliveryStatus", () => {
  it("when a status callback arrives, then its fields are carried over", () => {
    expect(toDeliveryStatus(fields({ MessageStatus: "undelivered", ErrorCode: "30003" }), 42)).toEqual({
      messageSid: SID,
      accountSid: ACCOUNT,
      status: "undelivered",
      errorCode: "30003",
      to: "+15551234567",
      receivedAtMs: 42,
    });
  });

  it("when the callback is for a WhatsApp message, then the whatsapp: prefix is stripped from To", () => {
    expect(toDeliveryStatus(fields({ To: "whatsapp:+4915112345678" }), 42).to).toBe("+4915112345678");
  });

  it.each([
    ["the MessageSid is malformed", { MessageSid: "SM123" }, "MessageSid is missing or malformed"],
    ["the MessageStatus is missing", { MessageStatus: "" }, "MessageStatus is missing or malformed"],
    ["the MessageStatus is not a word", { MessageStatus: "<script>" }, "MessageStatus is missing or malformed"],
    ["the ErrorCode is not a number", { ErrorCode: "boom" }, "ErrorCode must be a number"],
  ])("when %s, then the callback is rejected as invalid", (_case, extra, reason) => {
    expect(() => toDeliveryStatus(fields(extra), 42)).toThrow(new AppError("INVALID_ARGUMENT", reason));
  });
});
