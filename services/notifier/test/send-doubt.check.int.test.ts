import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { testPhoneNumber } from "./notifier.test-harness.js";
import { failureOf, twilioSenderFixture } from "./twilio-sender.fixture.js";

const { standIn, doubts, senderFor, postsTo, listsFor, sentTo, expectSettled, start, stop } =
  twilioSenderFixture("send-doubt-check");

// The check is driven through the sender that asks it, as a send in doubt only arises there.
describe("SendDoubtCheck", () => {
  beforeAll(start);
  afterAll(stop);

  it("when Twilio created the message but its answer never came, then reconciliation finds it and it is not resent", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "create-then-hang" });

    const result = await senderFor().send({ to: phone, body: "sent once", kind: "help", key: randomUUID() });

    const sent = sentTo(phone);
    expect(sent).toHaveLength(1);
    expect(result.messageSid).toBe(sent[0]?.sid);
    expect(postsTo(phone)).toBe(1);
    expect(listsFor(phone)).toBe(1);
  });

  it("when Twilio created the message and the connection dropped, then reconciliation finds it and it is not resent", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "create-then-drop" });

    const result = await senderFor().send({ to: phone, body: "dropped", kind: "help" });

    expect(sentTo(phone).map((sms) => sms.sid)).toEqual([result.messageSid]);
    expect(postsTo(phone)).toBe(1);
  });

  it("when the answer never came and Twilio has no such message, then it is sent again exactly once", async () => {
    const phone = testPhoneNumber();
    // An earlier message to the same number with another text must not count.
    await senderFor().send({ to: phone, body: "other text", kind: "help" });
    standIn.program({ kind: "hang" });

    const result = await senderFor().send({ to: phone, body: "this text", kind: "help", key: randomUUID() });

    const sent = sentTo(phone);
    expect(sent).toHaveLength(2);
    expect(result.messageSid).toBe(sent[1]?.sid);
    expect(postsTo(phone)).toBe(3);
    expect(listsFor(phone)).toBe(1);
  });

  it("when an earlier try of the same SMS is in doubt, then the next try asks Twilio first and does not resend", async () => {
    const phone = testPhoneNumber();
    const key = randomUUID();
    const attemptStartedAt = Date.now();
    // As left by a replica whose attempt went unanswered and that could not ask Twilio before its delivery was retried.
    const earlier = await senderFor().send({ to: phone, body: "in doubt", kind: "help" });
    await doubts.record(key, attemptStartedAt);

    const result = await senderFor().send({ to: phone, body: "in doubt", kind: "help", key });

    expect(result.messageSid).toBe(earlier.messageSid);
    expect(postsTo(phone)).toBe(1);
    await expectSettled(key);
  });

  it("when a sender is lost while Twilio holds its request, then the doubt is already recorded and the next try does not resend", async () => {
    const phone = testPhoneNumber();
    const key = randomUUID();
    standIn.program({ kind: "create-then-hang" });

    // The first sender stands for a replica killed mid-request: its answer is not waited for before the next try.
    const lost = senderFor({}, { timeoutMs: 1_000 }).send({ to: phone, body: "sent before the crash", kind: "help", key });
    const [created] = await standIn.waitForSms(phone);
    expect(await doubts.since(key)).toEqual(expect.any(Number));

    const next = await senderFor().send({ to: phone, body: "sent before the crash", kind: "help", key });

    expect(next.messageSid).toBe(created?.sid);
    expect(postsTo(phone)).toBe(1);
    await expect(lost).resolves.toEqual({ messageSid: created?.sid });
    expect(postsTo(phone)).toBe(1);
    await expectSettled(key);
  });

  it("when a sender is lost after Twilio created the SMS but before the send was recorded, then the next try does not resend", async () => {
    const phone = testPhoneNumber();
    const key = randomUUID();
    // The first send completes; its caller is killed before it marks the reply as sent, so the same SMS is tried again.
    const first = await senderFor().send({ to: phone, body: "sent, not yet recorded", kind: "help", key });
    await expectSettled(key);

    const next = await senderFor().send({ to: phone, body: "sent, not yet recorded", kind: "help", key });

    expect(next.messageSid).toBe(first.messageSid);
    expect(postsTo(phone)).toBe(1);
    expect(listsFor(phone)).toBe(1);
  });

  it("when nothing went out, then no doubt is left behind; when the SMS went out, its doubt is kept only briefly", async () => {
    const sentKey = randomUUID();
    await senderFor().send({ to: testPhoneNumber(), body: "plain", kind: "help", key: sentKey });
    standIn.program({ kind: "status", status: 400, code: 21211, message: "Invalid 'To' Phone Number" });
    const refusedKey = randomUUID();
    await failureOf(senderFor().send({ to: testPhoneNumber(), body: "refused", kind: "help", key: refusedKey }));

    await expectSettled(sentKey);
    expect(await doubts.since(refusedKey)).toBeUndefined();
  });
});
