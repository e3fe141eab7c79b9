import { describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { describeDeadLetter, formatCounts, formatDeadLetters } from "../src/dead-letters/dead-letter.formatter.js";

const SENDER = "+15557730001";
const inbound = messaging.InboundMessage.encode(
  messaging.InboundMessage.fromPartial({ messageSid: "SMf1", from: SENDER, to: "+15550006666", body: "buy milk" }),
).finish();
const reply = messaging.ReplyRequested.encode(
  messaging.ReplyRequested.fromPartial({
    eventId: "ev-1",
    phoneNumber: SENDER,
    messageId: "SMf1",
    outcome: { kind: { $case: "added", value: todo.TodosAdded.fromPartial({ todos: [{ number: 1, text: "buy milk" }] }) } },
  }),
).finish();
const death = {
  count: 6,
  reason: "delivery_limit",
  queue: "sms-todo.replies",
  exchange: "",
  "routing-keys": ["reply.requested"],
};

describe("dead letters as an operator sees them", () => {
  it("when a dead letter has a known type, then its body is decoded with the phone numbers masked and the texts redacted", () => {
    const view = describeDeadLetter({
      content: Buffer.from(inbound),
      properties: { messageId: "SMf1", type: "messaging.v1.InboundMessage", correlationId: "SMf1", headers: {} },
    });
    expect(view).toMatchObject({ messageId: "SMf1", type: "messaging.v1.InboundMessage", correlationId: "SMf1", deaths: [] });
    expect(view.body).toMatchObject({ messageSid: "SMf1", from: "+*********01", to: "+*********66", body: "[redacted]" });
    expect(JSON.stringify(view)).not.toMatch(/buy milk|5557730001/);
  });

  it("when a reply event died, then its todos' texts are redacted and the x-death reason and count are shown", () => {
    const view = describeDeadLetter({
      content: Buffer.from(reply),
      properties: { messageId: "ev-1", type: "messaging.v1.ReplyRequested", headers: { "x-death": [death] } },
    });
    expect(view.deaths).toEqual([{ reason: "delivery_limit", count: 6, queue: "sms-todo.replies" }]);
    expect(view.body).toMatchObject({
      phoneNumber: "+*********01",
      outcome: { kind: { value: { todos: [{ number: 1, text: "[redacted]" }] } } },
    });
    expect(JSON.stringify(view)).not.toMatch(/buy milk|5557730001/);
  });

  it("when a dead letter's type is unknown or its body does not decode, then only its size is shown", () => {
    const unknown = describeDeadLetter({ content: Buffer.from("secret +15557730001"), properties: { type: "other.v1.Thing" } });
    expect(unknown.body).toEqual({ bytes: 19, decoded: false });
    const broken = describeDeadLetter({
      content: Buffer.from("0a0541", "hex"),
      properties: { type: "messaging.v1.InboundMessage" },
    });
    expect(broken.body).toEqual({ bytes: 3, decoded: false, reason: "not a valid messaging.v1.InboundMessage" });
    expect(broken).toMatchObject({ messageId: undefined, correlationId: undefined, deaths: [] });
  });

  it("when counts and dead letters are formatted, then each queue is a row and each dead letter three lines", () => {
    const counts = formatCounts([
      { name: "text", workQueue: "sms-todo.text", deadLetterQueue: "sms-todo.text.dead", messages: 12 },
      { name: "replies", workQueue: "sms-todo.replies", deadLetterQueue: "sms-todo.replies.dead", messages: 0 },
    ]);
    expect(counts).toBe(
      [
        "queue    dead letters  dead-letter queue",
        "text               12  sms-todo.text.dead",
        "replies             0  sms-todo.replies.dead",
        "",
      ].join("\n"),
    );
    const view = describeDeadLetter({
      content: Buffer.from(reply),
      properties: {
        messageId: "ev-1",
        type: "messaging.v1.ReplyRequested",
        correlationId: "SMf1",
        headers: { "x-death": [death] },
      },
    });
    const listed = formatDeadLetters("sms-todo.replies.dead", 3, [view]).split("\n");
    expect(listed.slice(0, 3)).toEqual([
      "sms-todo.replies.dead: 3 dead letters, the first 1",
      "1. messageId=ev-1 type=messaging.v1.ReplyRequested correlationId=SMf1",
      "   died: delivery_limit x6 in sms-todo.replies",
    ]);
    expect(listed[3]).toMatch(/^ {3}body: \{"eventId":"ev-1","phoneNumber":"\+\*{9}01"/);
  });
});
