import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { AppError } from "@sms-todo/shared";
import { freePort, TEST_TWILIO, testInfrastructure, TwilioStandIn, uniqueName } from "@sms-todo/testkit";
import type { TwilioSettings } from "../src/notifier.config.js";
import { createSendDoubts, SETTLED_TTL_SECONDS } from "../src/sms/send-doubts.repository.js";
import { TwilioSmsSender, type TwilioSmsSenderOptions } from "../src/sms/twilio-sms.sender.js";
import { testPhoneNumber, watchLogs } from "./notifier.test-harness.js";

const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
const logs = watchLogs();
const redis = new Redis(testInfrastructure.redisUrl);
const keyPrefix = `${uniqueName("twilio-sender")}:`;
const doubts = createSendDoubts(redis, keyPrefix);
const senders: TwilioSmsSender[] = [];

function senderFor(overrides: Partial<TwilioSettings> = {}, options: Partial<TwilioSmsSenderOptions> = {}): TwilioSmsSender {
  const settings: TwilioSettings = {
    accountSid: TEST_TWILIO.accountSid,
    authToken: TEST_TWILIO.authToken,
    sender: { from: TEST_TWILIO.from },
    apiBaseUrl: standIn.baseUrl,
    statusCallbackUrl: `${TEST_TWILIO.publicBaseUrl}/webhooks/twilio/status`,
    ...overrides,
  };
  const sender = new TwilioSmsSender({ settings, logger: logs.logger, timeoutMs: 300, doubts, ...options });
  senders.push(sender);
  return sender;
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the send to fail");
}

const postsTo = (phone: string) => standIn.messageRequests.filter((request) => request.to === phone).length;
const listsFor = (phone: string) => standIn.listRequests.filter((query) => query.get("To") === phone).length;
const sentTo = (phone: string) => standIn.sent.filter((sms) => sms.to === phone);
/** A doubt kept after the SMS went out: still there, and gone within SETTLED_TTL_SECONDS. */
async function expectSettled(key: string): Promise<void> {
  expect(await doubts.since(key)).toEqual(expect.any(Number));
  const ttl = await redis.ttl(`${keyPrefix}sms-doubt:${key}`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(SETTLED_TTL_SECONDS);
}

describe("TwilioSmsSender", () => {
  beforeAll(async () => {
    await standIn.start();
  });

  afterAll(async () => {
    for (const sender of senders) sender.close();
    await standIn.stop();
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("when Twilio accepts the SMS, then its MessageSid is returned", async () => {
    const phone = testPhoneNumber();
    const result = await senderFor().send({ to: phone, body: "Added #1 buy milk", kind: "added" });

    const [sms] = await standIn.waitForSms(phone);
    expect(result.messageSid).toBe(sms?.sid);
  });

  it("when the API base URL ends with a slash, then requests still reach Messages.json", async () => {
    const phone = testPhoneNumber();
    await senderFor({ apiBaseUrl: `${standIn.baseUrl}/` }).send({ to: phone, body: "hi", kind: "help" });

    expect(await standIn.waitForSms(phone)).toHaveLength(1);
  });

  it.each([
    [429, 20429, "UNAVAILABLE"],
    [500, 20500, "UNAVAILABLE"],
    [503, 20503, "UNAVAILABLE"],
    [400, 21211, "INVALID_ARGUMENT"],
    [404, 20404, "INVALID_ARGUMENT"],
    [400, 21610, "PERMISSION_DENIED"],
  ] as const)("when Twilio answers %i (error %i) on the only attempt, then the failure is %s", async (status, code, expected) => {
    standIn.program({ kind: "status", status, code, message: "programmed failure" });

    const body = `the secret body of ${status} ${code}`;
    const sender = senderFor({}, { retryPolicy: { maxAttempts: 1 } });
    const error = await failureOf(sender.send({ to: testPhoneNumber(), body, kind: "help" }));
    expect(error.code).toBe(expected);
    expect(error.message).toContain(String(code));
    expect(logs.lines.some((line) => line.twilioCode === code && line.status === status)).toBe(true);
    expect(logs.raw.filter((line) => line.includes(body) || line.includes(TEST_TWILIO.authToken))).toEqual([]);
  });

  it("when Twilio answers 429 with Retry-After, then the wait is honoured and the SMS goes out once", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "status", status: 429, code: 20429, message: "Too Many Requests", retryAfter: "1" });

    const result = await senderFor().send({ to: phone, body: "after a pause", kind: "retry-after" });

    expect(sentTo(phone).map((sms) => sms.sid)).toEqual([result.messageSid]);
    expect(postsTo(phone)).toBe(2);
    const refused = logs.lines.filter((line) => line.msg === "Twilio refused the SMS" && line.kind === "retry-after");
    expect(refused).toEqual([expect.objectContaining({ status: 429, failure: "rate-limited", retryInMs: 1_000 })]);
  });

  it("when Twilio answers 500 twice, then the third attempt sends the SMS once", async () => {
    const phone = testPhoneNumber();
    const failure = { kind: "status", status: 500, code: 20500, message: "Internal Server Error" } as const;
    standIn.program(failure, failure);

    const result = await senderFor().send({ to: phone, body: "third time", kind: "help" });

    expect(sentTo(phone).map((sms) => sms.sid)).toEqual([result.messageSid]);
    expect(postsTo(phone)).toBe(3);
  });

  it("when Twilio refuses the number (400, 21211), then it is not tried again", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "status", status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });

    const error = await failureOf(senderFor().send({ to: phone, body: "hi", kind: "help" }));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(postsTo(phone)).toBe(1);
  });

  it("when the auth token is wrong, then Twilio's 401 is not retried", async () => {
    const error = await failureOf(
      senderFor({ authToken: "wrong" }).send({ to: testPhoneNumber(), body: "hi", kind: "wrong-token" }),
    );
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain("401");
    const refused = logs.lines.filter((line) => line.msg === "Twilio refused the SMS" && line.kind === "wrong-token");
    expect(refused).toEqual([expect.objectContaining({ status: 401, twilioCode: 20003, givenUp: "permanent" })]);
  });

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

  it("when nothing listens at the API base URL, then the send fails as UNAVAILABLE after its attempts", async () => {
    const apiBaseUrl = `http://127.0.0.1:${await freePort()}`;

    const error = await failureOf(senderFor({ apiBaseUrl }).send({ to: testPhoneNumber(), body: "hi", kind: "help" }));
    expect(error.code).toBe("UNAVAILABLE");
    const attempts = logs.lines.filter((line) => line.msg === "Twilio unreachable" && line.networkCode === "ECONNREFUSED");
    expect(attempts.map((line) => line.attempt)).toEqual([1, 2, 3]);
  });

  it("when Twilio keeps failing, then the circuit opens, sends fail fast, and it closes once Twilio answers again", async () => {
    const sender = senderFor({}, { retryPolicy: { maxAttempts: 1 }, breaker: { volumeThreshold: 3, resetTimeoutMs: 300 } });
    standIn.outage({ kind: "status", status: 503, code: 20503, message: "Service Unavailable" });
    try {
      const opened = logs.waitFor((line) => line.msg === "Twilio circuit opened: sends fail fast and are retried later");
      for (let index = 0; index < 3; index += 1) {
        await failureOf(sender.send({ to: testPhoneNumber(), body: "down", kind: "help" }));
      }
      await opened;

      const phone = testPhoneNumber();
      const fastFailure = await failureOf(sender.send({ to: phone, body: "down", kind: "help" }));
      expect(fastFailure.code).toBe("UNAVAILABLE");
      expect(fastFailure.message).toContain("circuit");
      expect(postsTo(phone)).toBe(0);
    } finally {
      standIn.outage();
    }

    await logs.waitFor((line) => line.msg === "Twilio circuit half-open: the next send tests Twilio");
    const phone = testPhoneNumber();
    await sender.send({ to: phone, body: "up again", kind: "help" });
    expect(sentTo(phone)).toHaveLength(1);
    await logs.waitFor((line) => line.msg === "Twilio circuit closed: sending again");
  });
});
