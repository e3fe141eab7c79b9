import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { fakeMessageSid, TEST_TWILIO, testInfrastructure } from "@sms-todo/testkit";
import { LoggingSmsSender } from "../src/sms/logging-sms.sender.js";
import { DELIVERY_STATUS_TTL_SECONDS } from "../src/status/delivery-status.repository.js";
import { startNotifier, testPhoneNumber, watchLogs, type RunningNotifier } from "./notifier.test-harness.js";

describe("delivery status callbacks", () => {
  const logs = watchLogs();
  const redis = new Redis(testInfrastructure.redisUrl);
  let notifier: RunningNotifier;

  const handled = (messageSid: string, status: string) =>
    logs.waitFor((line) => line.msg === "delivery status" && line.messageSid === messageSid && line.status === status);
  const stored = (messageSid: string) => redis.hgetall(`${notifier.keyPrefix}sms-status:${messageSid}`);
  const publish = (messageSid: string, status: string, extra: { errorCode?: string; to?: string; receivedAtMs?: number } = {}) =>
    notifier.publishStatus({ messageSid, accountSid: TEST_TWILIO.accountSid, status, receivedAtMs: Date.now(), ...extra });

  beforeAll(async () => {
    notifier = await startNotifier({ env: {}, logger: logs.logger, sender: () => new LoggingSmsSender(logs.logger) });
  });

  afterAll(async () => {
    await notifier?.close();
    await redis.quit();
  });

  it("when an undelivered status arrives, then it is recorded with its error code and time for a week, and logged masked", async () => {
    const messageSid = fakeMessageSid();
    const phone = testPhoneNumber();
    const receivedAtMs = Date.parse("2030-05-01T10:00:00.000Z");
    await publish(messageSid, "undelivered", { errorCode: "30003", to: phone, receivedAtMs });

    const line = await handled(messageSid, "undelivered");
    expect(line).toMatchObject({ errorCode: "30003", recorded: true });
    expect(await stored(messageSid)).toEqual({
      status: "undelivered",
      error_code: "30003",
      updated_at: "2030-05-01T10:00:00.000Z",
    });
    const ttl = await redis.ttl(`${notifier.keyPrefix}sms-status:${messageSid}`);
    expect(ttl).toBeGreaterThan(DELIVERY_STATUS_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(DELIVERY_STATUS_TTL_SECONDS);
    expect(logs.raw.filter((raw) => raw.includes(phone) || raw.includes(phone.slice(1)))).toEqual([]);
  });

  it("when statuses arrive in order, then each one replaces the one before", async () => {
    const messageSid = fakeMessageSid();
    for (const status of ["queued", "sent", "delivered"]) {
      await publish(messageSid, status);
      await handled(messageSid, status);
      expect((await stored(messageSid)).status).toBe(status);
    }
    expect((await stored(messageSid)).error_code).toBe("");
  });

  it("when an earlier status arrives after the final one, then the final status is kept", async () => {
    const messageSid = fakeMessageSid();
    await publish(messageSid, "delivered");
    await handled(messageSid, "delivered");

    await publish(messageSid, "sent");
    await publish(messageSid, "queued");
    const [sent, queued] = await Promise.all([handled(messageSid, "sent"), handled(messageSid, "queued")]);

    expect([sent.recorded, queued.recorded]).toEqual([false, false]);
    expect((await stored(messageSid)).status).toBe("delivered");
  });

  it("when two final statuses of one message arrive at once, then one of them is kept and not replaced by the other", async () => {
    const messageSid = fakeMessageSid();
    await Promise.all([publish(messageSid, "failed", { errorCode: "30008" }), publish(messageSid, "sent")]);
    await Promise.all([handled(messageSid, "failed"), handled(messageSid, "sent")]);
    expect(await stored(messageSid)).toMatchObject({ status: "failed", error_code: "30008" });

    await publish(messageSid, "undelivered", { errorCode: "30003" });
    expect(await handled(messageSid, "undelivered")).toMatchObject({ recorded: false });
    expect(await stored(messageSid)).toMatchObject({ status: "failed", error_code: "30008" });
  });

  it("when a status the notifier does not order arrives, then it is logged and not recorded", async () => {
    const messageSid = fakeMessageSid();
    await publish(messageSid, "received");

    expect(await handled(messageSid, "received")).toMatchObject({ recorded: false });
    expect(await stored(messageSid)).toEqual({});
  });
});
