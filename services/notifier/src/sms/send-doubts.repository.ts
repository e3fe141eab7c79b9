import type { Redis } from "ioredis";

/** Twilio keeps messages far longer; a day covers every redelivery of the broker. */
export const DOUBT_TTL_SECONDS = 24 * 60 * 60;

/**
 * Sends whose outcome is unknown (the request left, no answer came back), by SMS key. The
 * next try of the same SMS, on any replica, asks Twilio first instead of sending blindly.
 */
export interface SendDoubts {
  /** When the first attempt in doubt started (epoch ms), if any. */
  since(key: string): Promise<number | undefined>;
  /** Records a doubt; an earlier one is kept, so the search always starts early enough. */
  record(key: string, attemptStartedAtMs: number): Promise<void>;
  /** The outcome is known now. */
  clear(key: string): Promise<void>;
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
  };
}
