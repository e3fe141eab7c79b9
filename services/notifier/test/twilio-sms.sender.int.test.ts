import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, TEST_TWILIO } from "@sms-todo/testkit";
import { testPhoneNumber } from "./notifier.test-harness.js";
import { failureOf, twilioSenderFixture } from "./twilio-sender.fixture.js";

const { standIn, logs, senderFor, postsTo, sentTo, start, stop } = twilioSenderFixture("twilio-sender");

describe("TwilioSmsSender", () => {
  beforeAll(start);
  afterAll(stop);

  it("when Twilio accepts the SMS, then its MessageSid is returned", async () => {
    const phone = testPhoneNumber();
    const result = await senderFor().send({ to: phone, body: "Added #1 buy milk", kind: "added" });

    const [sms] = await standIn.waitForSms(phone);
    expect(result.messageSid).toBe(sms?.sid);
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
