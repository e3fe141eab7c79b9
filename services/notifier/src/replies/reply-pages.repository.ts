import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { AppError } from "@sms-todo/shared";

/** SPEC: "more" pages through the last long reply; a day later it has gone stale. */
export const PAGES_TTL_SECONDS = 24 * 60 * 60;

export interface StoredPage {
  body: string;
  /** 1-based; page 1 went out as the reply itself. */
  number: number;
  count: number;
}

export interface ReplyPages {
  /** Replaces the user's stored pages with these; page 1 counts as sent. */
  save(phoneNumber: string, pages: readonly string[]): Promise<void>;
  /**
   * The page that answers this "more" event: the one it was handed before, or else the next
   * unsent page, which is then its own. undefined when every page has been handed out.
   */
  take(phoneNumber: string, eventId: string): Promise<StoredPage | undefined>;
}

// Handing out a page and advancing the cursor is one step, keyed by the event: a redelivered
// event gets its page again, two concurrent events get two different pages, none is skipped.
const TAKE_SCRIPT = `
local owner = 'event:' .. ARGV[1]
local number = redis.call('HGET', KEYS[1], owner)
if not number then
  local nextNumber = redis.call('HGET', KEYS[1], 'next')
  local count = redis.call('HGET', KEYS[1], 'count')
  if not nextNumber or not count or tonumber(nextNumber) > tonumber(count) then return nil end
  number = nextNumber
  redis.call('HSET', KEYS[1], 'next', tonumber(nextNumber) + 1, owner, number)
end
return { tonumber(number), tonumber(redis.call('HGET', KEYS[1], 'count')), redis.call('HGET', KEYS[1], 'page:' .. number) }
`;

/**
 * The remaining pages of each user's last long reply: one hash per phone number holding the
 * pages, the number of the next page to send and which event each sent page belongs to.
 */
export function createReplyPages(redis: Redis, keyPrefix: string): ReplyPages {
  // Keys show up in Redis tooling (SCAN, MONITOR, slow log); a digest keeps the number out of them.
  const keyOf = (phoneNumber: string) => `${keyPrefix}pages:${createHash("sha256").update(phoneNumber).digest("hex")}`;
  return {
    async save(phoneNumber, pages) {
      const key = keyOf(phoneNumber);
      const fields: Record<string, string | number> = { count: pages.length, next: 2 };
      for (const [index, page] of pages.entries()) fields[`page:${index + 1}`] = page;
      const results = await redis.multi().del(key).hset(key, fields).expire(key, PAGES_TTL_SECONDS).exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (!results || failed) throw new AppError("UNAVAILABLE", "could not store the reply pages", { cause: failed });
    },
    async take(phoneNumber, eventId) {
      const taken = (await redis.eval(TAKE_SCRIPT, 1, keyOf(phoneNumber), eventId)) as [number, number, string | null] | null;
      if (!taken) return undefined;
      const [number, count, body] = taken;
      if (body === null || body === undefined) return undefined;
      return { body, number, count };
    },
  };
}
