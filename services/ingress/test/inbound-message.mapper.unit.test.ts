import { describe, expect, it } from "vitest";
import { messaging } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { toInboundMessage } from "../src/webhooks/inbound-message.mapper.js";

const SID = `SM${"a1".repeat(16)}`;
const ACCOUNT = `AC${"0".repeat(31)}1`;
const NOW = 1_700_000_000_123;

function fields(extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    MessageSid: SID,
    AccountSid: ACCOUNT,
    From: "+15551234567",
    To: "+15005550006",
    Body: "buy milk",
    NumMedia: "0",
    ...extra,
  });
}

function rejectionOf(form: URLSearchParams): AppError {
  try {
    toInboundMessage(form, NOW);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the fields to be rejected");
}

describe("toInboundMessage", () => {
  it("when a plain SMS arrives, then every field is carried over and the channel is SMS", () => {
    expect(toInboundMessage(fields(), NOW)).toEqual({
      messageSid: SID,
      accountSid: ACCOUNT,
      from: "+15551234567",
      to: "+15005550006",
      body: "buy milk",
      media: [],
      optOutType: "",
      channel: messaging.Channel.CHANNEL_SMS,
      receivedAtMs: NOW,
    });
  });

  it("when media is attached, then the channel is MMS and the media keep their order", () => {
    const message = toInboundMessage(
      fields({
        MessageSid: `MM${"b2".repeat(16)}`,
        NumMedia: "2",
        MediaUrl0: "https://api.twilio.com/m/0",
        MediaContentType0: "image/jpeg",
        MediaUrl1: "https://api.twilio.com/m/1",
        MediaContentType1: "audio/amr",
      }),
      NOW,
    );
    expect(message.channel).toBe(messaging.Channel.CHANNEL_MMS);
    expect(message.media).toEqual([
      { url: "https://api.twilio.com/m/0", contentType: "image/jpeg" },
      { url: "https://api.twilio.com/m/1", contentType: "audio/amr" },
    ]);
  });

  it("when a WhatsApp message arrives, then the whatsapp: prefix is stripped from From and To and the channel is WHATSAPP", () => {
    const message = toInboundMessage(
      fields({
        From: "whatsapp:+4915112345678",
        To: "whatsapp:+15005550006",
        NumMedia: "1",
        MediaUrl0: "https://api.twilio.com/m/0",
        MediaContentType0: "audio/ogg; codecs=opus",
      }),
      NOW,
    );
    expect(message.from).toBe("+4915112345678");
    expect(message.to).toBe("+15005550006");
    expect(message.channel).toBe(messaging.Channel.CHANNEL_WHATSAPP);
  });

  it("when Twilio ran Advanced Opt-Out, then OptOutType is carried over upper-cased", () => {
    expect(toInboundMessage(fields({ Body: "stop", OptOutType: "stop" }), NOW).optOutType).toBe("STOP");
  });

  it("when NumMedia is absent and there are no media fields, then the message is an SMS", () => {
    const form = fields();
    form.delete("NumMedia");
    expect(toInboundMessage(form, NOW).channel).toBe(messaging.Channel.CHANNEL_SMS);
  });

  it("when the message is encoded and decoded, then it is unchanged", () => {
    const message = toInboundMessage(fields({ From: "whatsapp:+4915112345678" }), NOW);
    expect(messaging.InboundMessage.decode(messaging.InboundMessage.encode(message).finish())).toEqual(message);
  });

  it.each([
    ["the MessageSid is missing", { MessageSid: "" }, "MessageSid is missing or malformed"],
    ["the MessageSid has the wrong prefix", { MessageSid: `XX${"a".repeat(32)}` }, "MessageSid is missing or malformed"],
    ["the MessageSid is too short", { MessageSid: `SM${"a".repeat(31)}` }, "MessageSid is missing or malformed"],
    ["the MessageSid is not hex", { MessageSid: `SM${"g".repeat(32)}` }, "MessageSid is missing or malformed"],
    ["From is empty", { From: "" }, "From is missing"],
    ["From is only the whatsapp: prefix", { From: "whatsapp:" }, "From is missing"],
    ["NumMedia is not a number", { NumMedia: "two" }, "NumMedia must be a whole number from 0 to 10"],
    ["NumMedia is negative", { NumMedia: "-1" }, "NumMedia must be a whole number from 0 to 10"],
    ["NumMedia is above 10", { NumMedia: "11" }, "NumMedia must be a whole number from 0 to 10"],
    ["NumMedia promises media that is missing", { NumMedia: "1" }, "MediaUrl0 is missing"],
    ["a media has no content type", { NumMedia: "1", MediaUrl0: "https://api.twilio.com/m/0" }, "MediaContentType0 is missing"],
    [
      "a media URL is not http(s)",
      { NumMedia: "1", MediaUrl0: "file:///etc/passwd", MediaContentType0: "audio/amr" },
      "MediaUrl0 is not an http(s) URL",
    ],
    [
      "there is more media than NumMedia says",
      { MediaUrl0: "https://api.twilio.com/m/0", MediaContentType0: "audio/amr" },
      "MediaUrl0 does not match NumMedia",
    ],
  ])("when %s, then the fields are rejected as invalid", (_case, extra, reason) => {
    const error = rejectionOf(fields(extra));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toBe(reason);
  });

  it("when a field is sent twice, then the fields are rejected as invalid", () => {
    const form = fields();
    form.append("From", "+15559999999");
    expect(rejectionOf(form).message).toBe("From appears more than once");
  });
});
