import { describe, expect, it } from "vitest";
import { captureLogs } from "@sms-todo/testkit";
import { maskFields, maskPhoneNumber, maskText } from "../src/logging/masking.js";

describe("masking", () => {
  it("when a phone number is masked, then only its last two digits remain", () => {
    expect(maskPhoneNumber("+15551234567")).toBe("+*********67");
  });

  it("when free text holds E.164 or WhatsApp numbers, then each is masked", () => {
    expect(maskText("from +4915112345678 to whatsapp:+15551234567")).toBe("from +***********78 to whatsapp:+*********67");
  });

  it("when text holds a MessageSid or a timestamp inside a word, then it is left alone", () => {
    expect(maskText("SM01a200b43cd1170e9b409e6800000001")).toBe("SM01a200b43cd1170e9b409e6800000001");
  });

  it("when a UUID's groups are all decimal digits, then it is left alone", () => {
    const id = "58477553-6612-4e63-9480-125139301554";
    expect(maskText(id)).toBe(id);
    expect(maskFields({ messageId: id, nested: { eventId: id } })).toEqual({ messageId: id, nested: { eventId: id } });
    expect(maskText(`to +4915112345678 for ${id}`)).toBe(`to +***********78 for ${id}`);
  });

  it("when a connection URL holds a password, then the password is masked", () => {
    expect(maskText("amqp://guest:secret@rabbit:5672")).toBe("amqp://guest:***@rabbit:5672");
  });

  it("when fields hold bodies, texts or secrets, then they are redacted at any depth", () => {
    expect(
      maskFields({ body: "buy milk", nested: { authToken: "abc", to: "+15551234567" }, list: [{ text: "x" }], count: 3 }),
    ).toEqual({
      body: "[redacted]",
      nested: { authToken: "[redacted]", to: "+*********67" },
      list: [{ text: "[redacted]" }],
      count: 3,
    });
  });

  it.each([
    ["call +1 (555) 123-4567 now", "call +*********67 now"],
    ["call +1-555-123-4567", "call +*********67"],
    ["from +44 20 7946 0958.", "from +**********58."],
    ["From=%2B15551234567&To=%2B15557654321", "From=+*********67&To=+*********21"],
    ["ring (555) 123-4567", "ring +********67"],
    ["ring 555-123-4567 or 555.123.4567", "ring +********67 or +********67"],
  ])("when text holds the number written for people, %j, then it is masked", (text, masked) => {
    expect(maskText(text)).toBe(masked);
  });

  it.each([
    "at 2026-12-07T20:11:51.231Z",
    "took 1234.5 ms",
    "version 24.22.3",
    "saga 58477553-6612-4e63-9480-125139301554",
    "port 5672, 127.0.0.1:15672",
  ])("when text holds dates, times, versions or ids, %j, then it is left alone", (text) => {
    expect(maskText(text)).toBe(text);
  });

  it("when a field's name says it holds a credential, then it is redacted whatever the rest of the name", () => {
    expect(
      maskFields({
        REDIS_PASSWORD: "p",
        twilioApiKeySecret: "s",
        refreshToken: "t",
        "x-twilio-signature": "sig",
        apiKey: "k",
        idempotencyKey: "sms:SM123",
        routingKey: "reply.requested",
      }),
    ).toEqual({
      REDIS_PASSWORD: "[redacted]",
      twilioApiKeySecret: "[redacted]",
      refreshToken: "[redacted]",
      "x-twilio-signature": "[redacted]",
      apiKey: "[redacted]",
      idempotencyKey: "sms:SM123",
      routingKey: "reply.requested",
    });
  });

  it("when text holds a Twilio media URL, then the account and message ids are masked", () => {
    const url = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM0123/Media/ME0123";
    expect(maskText(`fetching ${url} failed`)).toBe("fetching https://api.twilio.com/*** failed");
  });

  it("when the logger writes a line, then the message and fields are masked and errors keep their code", () => {
    const { logger, lines } = captureLogs("masking-test");
    const error = Object.assign(new Error("cannot reach +15551234567"), { code: "UNAVAILABLE" });
    logger.info({ from: "+15551234567", body: "buy milk", err: error }, "message from +15551234567");
    const line = lines.join("\n");
    expect(line).not.toContain("15551234567");
    expect(line).not.toContain("buy milk");
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: "message from +*********67",
      from: "+*********67",
      err: { code: "UNAVAILABLE" },
    });
  });
});
