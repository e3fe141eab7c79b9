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
