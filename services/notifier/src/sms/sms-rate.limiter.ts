import { setTimeout as delay } from "node:timers/promises";
import type { Redis } from "ioredis";
import { AppError } from "@sms-todo/shared";

/** Paces outbound SMS; shared by every sender that uses the same Redis keys. */
export interface SmsRateLimiter {
  /** Resolves when this SMS may go; throws a retryable AppError when no slot is free within maxWaitMs. */
  acquire(maxWaitMs: number): Promise<void>;
}

export interface SmsRateLimiterOptions {
  /** SMS per second across all senders sharing the key prefix. */
  perSecond: number;
  keyPrefix: string;
}

/**
 * Twilio counts arrivals, not our grants: a slot granted in the last moments of a second could
 * arrive in the next one, on top of that second's full share. Grants stop this long before the
 * end of each second.
 */
export const ARRIVAL_GUARD_MS = 50;
// Timers may fire a millisecond early; a reserved second is entered with this margin.
const WAKE_MARGIN_MS = 3;

// One counter per wall-clock second of Redis' clock (one clock for every replica). A reservation
// takes the first second, from now on, that still has room and answers how long to wait for it;
// waiters for later seconds never poll, and the order of reservations is the order of sending.
const RESERVE_SCRIPT = `
local limit = tonumber(ARGV[1])
local horizon = tonumber(ARGV[2])
local guard = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local second = math.floor(now / 1000)
local first = second
if now - second * 1000 >= 1000 - guard then first = second + 1 end
for window = first, second + horizon do
  local key = KEYS[1] .. string.format('%d', window)
  local used = tonumber(redis.call('GET', key) or '0')
  if used < limit then
    redis.call('INCR', key)
    if used == 0 then redis.call('PEXPIRE', key, (window - second + 2) * 1000) end
    return math.max(0, window * 1000 - now)
  end
end
return -1
`;

/** A fixed window per second in Redis, shared by all notifier replicas: at most `perSecond` SMS each second. */
export function createSmsRateLimiter(redis: Redis, options: SmsRateLimiterOptions): SmsRateLimiter {
  const key = `${options.keyPrefix}sms-rate:`;
  return {
    async acquire(maxWaitMs) {
      const horizon = Math.max(0, Math.floor(maxWaitMs / 1000));
      const waitMs = Number(await redis.eval(RESERVE_SCRIPT, 1, key, options.perSecond, horizon, ARRIVAL_GUARD_MS));
      if (waitMs < 0) {
        throw new AppError("UNAVAILABLE", `no SMS slot free within ${maxWaitMs} ms at ${options.perSecond} SMS/s`);
      }
      if (waitMs > 0) await delay(waitMs + WAKE_MARGIN_MS);
    },
  };
}
