import type { Redis, RedisOptions } from "ioredis";
import { withTimeout, type Logger } from "@sms-todo/shared";

/** What a message over the limit gets: the first one of its window carries the slow-down reply. */
export type RateVerdict =
  | { admitted: true }
  | { admitted: false; firstDropped: boolean; limit: number; windowSeconds: number; retryAfterSeconds: number };

export interface InboundRateLimiter {
  /** Counts the message against its sender's window. Never throws: without an answer from Redis the message is admitted. */
  admit(from: string, messageSid: string): Promise<RateVerdict>;
}

export interface InboundRateLimiterOptions {
  /** Messages one number may send per window. */
  limit: number;
  windowSeconds: number;
  /** Prefix of every Redis key, e.g. "<namespace>sms-todo:". */
  keyPrefix: string;
  logger: Logger;
  /** How long a webhook waits for Redis before it is admitted unchecked. */
  timeoutMs?: number;
  /** Called for every message admitted because Redis did not answer. */
  onUnavailable?: () => void;
}

/**
 * Redis settings for the rate limit: a command fails at once while the connection is down
 * (instead of waiting in ioredis' offline queue), so a webhook is never held up by Redis.
 */
export const RATE_LIMIT_REDIS_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
};

const DEFAULT_TIMEOUT_MS = 250;

// One hash per number and window: "#" counts the messages, and each counted MessageSid keeps its
// place, so a webhook Twilio sends again gets the verdict it got the first time instead of
// counting twice. Only the places up to the first dropped message are kept: a flood costs one
// counter, not one field per message. The window starts with the number's first message.
// Returns the message's place and the milliseconds left in the window.
const ADMIT_SCRIPT = `
local key = KEYS[1]
local sid = ARGV[1]
local windowMs = tonumber(ARGV[2])
local keep = tonumber(ARGV[3])
local place = redis.call('HGET', key, sid)
if not place then
  place = redis.call('HINCRBY', key, '#', 1)
  if place == 1 then redis.call('PEXPIRE', key, windowMs) end
  if place <= keep then redis.call('HSET', key, sid, place) end
end
local ttl = redis.call('PTTL', key)
if ttl < 0 then
  redis.call('PEXPIRE', key, windowMs)
  ttl = windowMs
end
return {tonumber(place), ttl}
`;

/** At most `limit` inbound messages per sender number per window, counted atomically in Redis and shared by every replica. */
export function createInboundRateLimiter(redis: Redis, options: InboundRateLimiterOptions): InboundRateLimiter {
  const log = options.logger.child({ component: "rate-limit" });
  const windowMs = options.windowSeconds * 1000;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let failing = false;

  function countIn(from: string, messageSid: string): Promise<[number, number]> {
    const counted = redis.eval(
      ADMIT_SCRIPT,
      1,
      `${options.keyPrefix}inbound-rate:${from}`,
      messageSid,
      windowMs,
      options.limit + 1,
    ) as Promise<[number, number]>;
    return withTimeout(counted, timeoutMs, () => {
      throw new Error(`Redis did not answer within ${timeoutMs} ms`);
    });
  }

  return {
    async admit(from, messageSid) {
      let place: number;
      let ttlMs: number;
      try {
        [place, ttlMs] = await countIn(from, messageSid);
      } catch (error) {
        options.onUnavailable?.();
        // Once per outage: every webhook would otherwise log the same line.
        if (!failing) log.warn({ err: error }, "rate limit unavailable, messages are admitted unchecked until Redis answers");
        failing = true;
        return { admitted: true };
      }
      if (failing) log.info("rate limit available again");
      failing = false;
      if (place <= options.limit) return { admitted: true };
      return {
        admitted: false,
        firstDropped: place === options.limit + 1,
        limit: options.limit,
        windowSeconds: options.windowSeconds,
        retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
      };
    },
  };
}
