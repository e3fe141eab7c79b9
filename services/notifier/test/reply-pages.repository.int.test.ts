import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { testInfrastructure, uniqueName } from "@sms-todo/testkit";
import { createReplyPages, PAGES_TTL_SECONDS, type ReplyPages } from "../src/replies/reply-pages.repository.js";
import { testPhoneNumber } from "./notifier.test-harness.js";

describe("reply pages in Redis", () => {
  const keyPrefix = `${uniqueName("notifier-pages")}:sms-todo:`;
  let redis: Redis;
  let pages: ReplyPages;

  beforeAll(() => {
    redis = new Redis(testInfrastructure.redisUrl);
    pages = createReplyPages(redis, keyPrefix);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("when pages are saved, then each event takes the next one until none is left", async () => {
    const phone = testPhoneNumber();
    await pages.save(phone, ["one", "two", "three"]);

    expect(await pages.take(phone, "event-a")).toEqual({ body: "two", number: 2, count: 3 });
    expect(await pages.take(phone, "event-b")).toEqual({ body: "three", number: 3, count: 3 });
    expect(await pages.take(phone, "event-c")).toBeUndefined();
  });

  it("when the same event takes again, then it gets its own page again and the next event is not skipped past", async () => {
    const phone = testPhoneNumber();
    await pages.save(phone, ["one", "two", "three"]);

    expect(await pages.take(phone, "event-a")).toMatchObject({ number: 2 });
    expect(await pages.take(phone, "event-a")).toMatchObject({ number: 2 });
    expect(await pages.take(phone, "event-b")).toMatchObject({ number: 3 });
    expect(await pages.take(phone, "event-a")).toMatchObject({ number: 2 });
  });

  it("when many events take at once, then every page goes to exactly one of them", async () => {
    const phone = testPhoneNumber();
    const bodies = Array.from({ length: 20 }, (_, index) => `page ${index + 1}`);
    await pages.save(phone, bodies);

    const taken = await Promise.all(Array.from({ length: 30 }, (_, index) => pages.take(phone, `event-${index}`)));
    const numbers = taken.flatMap((page) => (page ? [page.number] : []));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 19 }, (_, index) => index + 2));
  });

  it("when new pages are saved, then they replace the old ones and paging starts again at page 2", async () => {
    const phone = testPhoneNumber();
    await pages.save(phone, ["old 1", "old 2", "old 3"]);
    await pages.take(phone, "event-a");
    await pages.save(phone, ["new 1", "new 2"]);

    expect(await pages.take(phone, "event-b")).toEqual({ body: "new 2", number: 2, count: 2 });
    expect(await pages.take(phone, "event-c")).toBeUndefined();
  });

  it("when nothing was saved for a number, then there is no page", async () => {
    expect(await pages.take(testPhoneNumber(), "event-a")).toBeUndefined();
  });

  it("when pages are saved, then they expire after a day and the key does not show the phone number", async () => {
    const phone = testPhoneNumber();
    await pages.save(phone, ["one", "two"]);
    await pages.take(phone, "event-a");

    const keys = await redis.keys(`${keyPrefix}pages:*`);
    expect(keys.filter((key) => key.includes(phone.slice(1)))).toEqual([]);
    const ttls = await Promise.all(keys.map((key) => redis.ttl(key)));
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(PAGES_TTL_SECONDS - 60);
      expect(ttl).toBeLessThanOrEqual(PAGES_TTL_SECONDS);
    }
  });
});
