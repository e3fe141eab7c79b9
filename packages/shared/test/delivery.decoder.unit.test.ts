import { describe, expect, it } from "vitest";
import { messaging } from "@sms-todo/contracts";
import { AppError } from "../src/errors/app-error.js";
import { decodeDelivery } from "../src/messaging/delivery.decoder.js";

const INBOUND = { type: "messaging.v1.InboundMessage", required: ["messageSid", "from"] } as const;

const bodyOf = (fields: Partial<messaging.InboundMessage>) => ({
  body: Buffer.from(messaging.InboundMessage.encode(messaging.InboundMessage.fromPartial(fields)).finish()),
});

function refusal(decode: () => unknown): AppError {
  try {
    decode();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("the delivery was decoded");
}

describe("decodeDelivery", () => {
  it("when the body is the message with its required fields, then the decoded message is returned", () => {
    const message = decodeDelivery(
      bodyOf({ messageSid: "SM1", from: "+15550001111", body: "x" }),
      messaging.InboundMessage,
      INBOUND,
    );
    expect(message).toMatchObject({ messageSid: "SM1", from: "+15550001111", body: "x" });
  });

  it("when the body is not the message, then it is refused as INVALID_ARGUMENT (dead-lettered, not retried), naming the type", () => {
    const error = refusal(() => decodeDelivery({ body: Buffer.from("0a0541", "hex") }, messaging.InboundMessage, INBOUND));
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", message: "delivery is not a messaging.v1.InboundMessage" });
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each([
    { messageSid: "", from: "+15550001111" },
    { messageSid: "SM1", from: "  " },
  ])("when a required field is empty or blank (%j), then it is refused as INVALID_ARGUMENT", (fields) => {
    const error = refusal(() => decodeDelivery(bodyOf(fields), messaging.InboundMessage, INBOUND));
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", message: "messaging.v1.InboundMessage lacks messageSid or from" });
  });

  it("when no field is required, then a message with empty fields is returned as decoded", () => {
    expect(decodeDelivery(bodyOf({}), messaging.InboundMessage, { type: "messaging.v1.InboundMessage" })).toMatchObject({
      messageSid: "",
      from: "",
    });
  });
});
