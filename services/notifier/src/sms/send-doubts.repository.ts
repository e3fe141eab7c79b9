import type { Redis } from "ioredis";

/** Twilio keeps messages far longer; a day covers every redelivery of the broker. */
export const DOUBT_TTL_SECONDS = 24 * 60 * 60;
/**
 * How long a doubt outlives a send that went out: longer than the reply claim (15 s) plus the
 * broker's retries (31 s), the time in which a redelivery can still reach the sender.
 */
export const SETTLED_TTL_SECONDS = 5 * 60;

/**
 * Sends whose outcome is not known yet, by SMS key: written before the first request leaves,
 * cleared once Twilio's answer says what happened. One left behind (no answer came, or the
 * sender died mid-request) makes the next try of the same SMS, on any replica, ask Twilio first
 * instead of sending blindly.
 */
export interface SendDoubts {
  /** When the first attempt in doubt started (epoch ms), if any. */
  since(key: string): Promise<number | undefined>;
  /** Records a doubt; an earlier one is kept, so the search always starts early enough. */
  record(key: string, attemptStartedAtMs: number): Promise<void>;
  /** The outcome is known now: nothing went out. */
  clear(key: string): Promise<void>;
  /**
   * The SMS went out. The doubt stays a few minutes: the caller records the send only after this,
   * and a sender killed in between must leave the next try something that makes it ask Twilio.
   */
  settle(key: string): Promise<void>;
}

export function createSendDoubts(redis: Redis, keyPrefix: string): SendDoubts {
  const keyOf = (key: string) => `${keyPrefix}sms-doubt:${key}`;
  return {
    async since(key) {
      const value = await redis.get(keyOf(key));
      return value === null ? undefined : Number(value);
    },
    async record(key, attemptStartedAtMs) {
      await redis.set(keyOf(key), String(attemptStartedAtMs), "EX", DOUBT_TTL_SECONDS, "NX");
    },
    async clear(key) {
      await redis.del(keyOf(key));
    },
    async settle(key) {
      await redis.expire(keyOf(key), SETTLED_TTL_SECONDS);
    },
  };
}
