import { Redis } from "ioredis";
import { expect } from "vitest";
import { AppError } from "@sms-todo/shared";
import { TEST_TWILIO, testInfrastructure, TwilioStandIn, uniqueName, type SentSms } from "@sms-todo/testkit";
import type { TwilioSettings } from "../src/notifier.config.js";
import { createSendDoubts, SETTLED_TTL_SECONDS, type SendDoubts } from "../src/sms/send-doubts.repository.js";
import { TwilioSmsSender, type TwilioSmsSenderOptions } from "../src/sms/twilio-sms.sender.js";
import { watchLogs, type WatchedLogs } from "./notifier.test-harness.js";

/** Senders on the Twilio stand-in, sharing one Redis record of sends in doubt. */
export interface TwilioSenderFixture {
  readonly standIn: TwilioStandIn;
  readonly logs: WatchedLogs;
  readonly doubts: SendDoubts;
  /** A sender on the stand-in with a short request timeout, closed by stop(). */
  senderFor: (overrides?: Partial<TwilioSettings>, options?: Partial<TwilioSmsSenderOptions>) => TwilioSmsSender;
  postsTo: (phone: string) => number;
  listsFor: (phone: string) => number;
  sentTo: (phone: string) => SentSms[];
  /** A doubt kept after the SMS went out: still there, and gone within SETTLED_TTL_SECONDS. */
  expectSettled: (key: string) => Promise<void>;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

export function twilioSenderFixture(name: string): TwilioSenderFixture {
  const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const logs = watchLogs();
  const redis = new Redis(testInfrastructure.redisUrl);
  const keyPrefix = `${uniqueName(name)}:`;
  const doubts = createSendDoubts(redis, keyPrefix);
  const senders: TwilioSmsSender[] = [];

  return {
    standIn,
    logs,
    doubts,
    senderFor(overrides = {}, options = {}) {
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
    },
    postsTo: (phone) => standIn.messageRequests.filter((request) => request.to === phone).length,
    listsFor: (phone) => standIn.listRequests.filter((query) => query.get("To") === phone).length,
    sentTo: (phone) => standIn.sent.filter((sms) => sms.to === phone),
    async expectSettled(key) {
      expect(await doubts.since(key)).toEqual(expect.any(Number));
      const ttl = await redis.ttl(`${keyPrefix}sms-doubt:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(SETTLED_TTL_SECONDS);
    },
    async start() {
      await standIn.start();
    },
    async stop() {
      for (const sender of senders) sender.close();
      await standIn.stop();
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

export async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the send to fail");
}
