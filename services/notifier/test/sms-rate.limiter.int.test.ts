import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { AppError } from "@sms-todo/shared";
import { TEST_TWILIO, testInfrastructure, TwilioStandIn, uniqueName } from "@sms-todo/testkit";
import { createSmsRateLimiter } from "../src/sms/sms-rate.limiter.js";
import { TwilioSmsSender } from "../src/sms/twilio-sms.sender.js";
import { testPhoneNumber, watchLogs } from "./notifier.test-harness.js";

const RATE = 4;
const SENDERS = 3;
const SMS_PER_SENDER = 4;

describe("outbound rate limit shared through Redis", () => {
  const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const logs = watchLogs();
  const keyPrefix = `${uniqueName("sms-rate")}:`;
  // One connection per sender, as separate notifier replicas would have.
  const connections = Array.from({ length: SENDERS + 1 }, () => new Redis(testInfrastructure.redisUrl));

  beforeAll(async () => {
    await standIn.start();
  });

  afterAll(async () => {
    await standIn.stop();
    const [admin] = connections;
    const keys = (await admin?.keys(`${keyPrefix}*`)) ?? [];
    if (keys.length > 0) await admin?.del(...keys);
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  it("when three senders send at once, then no second of arrivals at Twilio holds more than the rate", async () => {
    const phone = testPhoneNumber();
    const senders = connections.slice(0, SENDERS).map(
      (redis) =>
        new TwilioSmsSender({
          settings: {
            accountSid: TEST_TWILIO.accountSid,
            authToken: TEST_TWILIO.authToken,
            sender: { from: TEST_TWILIO.from },
            apiBaseUrl: standIn.baseUrl,
            statusCallbackUrl: `${TEST_TWILIO.publicBaseUrl}/webhooks/twilio/status`,
          },
          logger: logs.logger,
          rateLimiter: createSmsRateLimiter(redis, { perSecond: RATE, keyPrefix }),
        }),
    );

    await Promise.all(
      senders.map(async (sender, senderIndex) => {
        for (let index = 0; index < SMS_PER_SENDER; index += 1) {
          await sender.send({ to: phone, body: `sender ${senderIndex} sms ${index}`, kind: "paced" });
        }
      }),
    );
    for (const sender of senders) sender.close();

    const arrivals = standIn.sent.filter((sms) => sms.to === phone).map((sms) => sms.receivedAt);
    expect(arrivals).toHaveLength(SENDERS * SMS_PER_SENDER);
    const perSecond = new Map<number, number>();
    for (const at of arrivals) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(RATE);
    expect(perSecond.size).toBeGreaterThanOrEqual((SENDERS * SMS_PER_SENDER) / RATE);
  });

  it("when no slot is free within the allowed wait, then acquiring fails as UNAVAILABLE instead of waiting on", async () => {
    const limiter = createSmsRateLimiter(connections[SENDERS] as Redis, { perSecond: 1, keyPrefix: `${keyPrefix}bounded:` });

    // A wait of up to one second reaches at most two one-second windows: at most two of five get a slot.
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => limiter.acquire(1_000)));

    const granted = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
    expect(granted.length).toBeGreaterThanOrEqual(1);
    expect(granted.length).toBeLessThanOrEqual(2);
    expect(refused.every((reason) => reason instanceof AppError && reason.code === "UNAVAILABLE")).toBe(true);
  });
});
