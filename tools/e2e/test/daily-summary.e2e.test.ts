import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeMessageSid, inboundSmsFields, postSignedWebhook, TEST_TWILIO, testInfrastructure } from "@sms-todo/testkit";
import { startStack, STOPPED_CLEANLY, type Stack } from "./stack.fixture.js";

const USER = "+15557790001";
const TODO = "water the plants";

/**
 * Zones around the globe, a few hours apart, whose names Intl keeps as they are (the settings
 * reply names the canonical zone). At any instant several of them are between 08:00 and 20:58.
 */
const ZONES = [
  "Pacific/Honolulu",
  "America/Los_Angeles",
  "America/New_York",
  "America/Sao_Paulo",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Moscow",
  "Asia/Dhaka",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Pacific/Auckland",
];

/** Time the test needs before the summary minute: the settings, then a whole round (one every 5 s) that must find nothing. */
const LEAD_MS = 12_000;

/** "YYYY-MM-DD" on a calendar in `zone` at `instant`. */
function localDate(instant: number, zone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** "HH:MM" on a clock in `zone` at `instant`. */
function localTime(instant: number, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    instant,
  );
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The zone where `instant` is furthest inside the day: between 08:00 and 20:58, so the summary is
 * neither moved to 08:00 nor dropped as quiet-hours mail, and as near 14:00 as the list allows.
 */
function daytimeZoneAt(instant: number): { zone: string; time: string } {
  const candidates = ZONES.map((zone) => ({ zone, time: localTime(instant, zone) }))
    .filter(({ time }) => time >= "08:00" && time <= "20:58")
    .sort((a, b) => Math.abs(minutesOf(a.time) - 14 * 60) - Math.abs(minutesOf(b.time) - 14 * 60));
  const [best] = candidates;
  if (!best) throw new Error(`no zone of ${ZONES.join(", ")} is in daytime at ${new Date(instant).toISOString()}`);
  return best;
}

/**
 * Every change of the notifiers' summaries lock key, seen through Redis client tracking: a round
 * sets the key when it takes the lock and deletes it when it lets go, so one whole round is two
 * changes. Nothing is added to the notifier to be watched.
 */
async function watchLockKey(key: string) {
  // RESP2: ioredis hands tracking invalidations to "message" listeners only in that protocol.
  const subscriber = new Redis(testInfrastructure.redisUrl, { protocol: 2 });
  const tracker = new Redis(testInfrastructure.redisUrl);
  let changes = 0;
  const waiters = new Set<() => void>();
  subscriber.on("message", (_channel: string, keys: string) => {
    if (keys !== key) return;
    changes += 1;
    for (const wake of waiters) wake();
  });
  const subscriberId = await subscriber.client("ID");
  await subscriber.subscribe("__redis__:invalidate");
  await tracker.call("CLIENT", "TRACKING", "ON", "REDIRECT", String(subscriberId), "BCAST", "PREFIX", key);
  return {
    count: () => changes,
    /** Resolves once `count` changes were seen; rejects after timeoutMs. */
    waitFor(count: number, timeoutMs: number): Promise<void> {
      if (changes >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (changes < count) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`expected ${count} changes of ${key}, saw ${changes} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    close() {
      subscriber.disconnect();
      tracker.disconnect();
    },
  };
}

describe("the daily summary through all five services", () => {
  let stack: Stack;
  let todoDb: pg.Pool;
  let lockChanges: Awaited<ReturnType<typeof watchLockKey>>;

  beforeAll(async () => {
    stack = await startStack({ summaryCron: "*/5 * * * * *" });
    todoDb = new pg.Pool({ connectionString: stack.databases.todo, max: 1 });
    lockChanges = await watchLockKey(`${stack.namespace}sms-todo:daily-summaries:lock`);
  });
  afterAll(async () => {
    lockChanges.close();
    await todoDb.end();
    const exitCodes = await stack.stop();
    expect(exitCodes).toEqual(STOPPED_CLEANLY);
  });

  const smsTo = (phone: string) => stack.twilio.sent.filter((sms) => sms.to === phone);
  const summariesTo = (phone: string) => smsTo(phone).filter((sms) => sms.body.startsWith("Today:"));
  const claimsOf = async (phone: string) => {
    const { rows } = await todoDb.query<{ local_date: string; todo_count: number }>(
      `select c.local_date::text, c.todo_count from summary_claims c join users u on u.id = c.user_id
       where u.phone_number = $1`,
      [phone],
    );
    return rows;
  };
  const roundsLogged = () =>
    stack.logLines.filter(
      (line) => line.includes('"msg":"round claimed due reminders and summaries"') && line.includes('"queued":1'),
    );

  /** Texts `body` and resolves with the one reply it gets. */
  async function say(phone: string, body: string): Promise<string> {
    const before = smsTo(phone).length;
    const response = await postSignedWebhook({
      baseUrl: stack.ingressUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: "/webhooks/twilio/sms",
      authToken: TEST_TWILIO.authToken,
      fields: inboundSmsFields({ from: phone, body, accountSid: TEST_TWILIO.accountSid, messageSid: fakeMessageSid() }),
    });
    expect(response.status).toBe(200);
    const replies = await stack.twilio.waitForSms(phone, before + 1);
    return replies.at(-1)?.body ?? "";
  }

  it("when a user sets the summary for the coming minute, then nothing comes before it, one summary comes in it, and two more rounds send no second", async () => {
    // The user exists before the summary time, as the summary requires.
    expect(await say(USER, TODO)).toBe(`Added #1 ${TODO}`);
    const sendAt = Math.ceil((Date.now() + LEAD_MS) / 60_000) * 60_000;
    const { zone, time } = daytimeZoneAt(sendAt);
    expect(await say(USER, `tz ${zone}`)).toContain(zone);
    expect(await say(USER, `summary ${time}`)).toContain(`Daily summary at ${time} (${zone}).`);

    // A whole round after the setting was stored (acquire and release, even if one was under way): it claims nothing.
    await lockChanges.waitFor(lockChanges.count() + 3, sendAt - Date.now());
    expect(await claimsOf(USER)).toEqual([]);
    expect(Date.now()).toBeLessThan(sendAt);
    // The three replies and nothing else.
    expect(smsTo(USER)).toHaveLength(3);

    const before = smsTo(USER).length;
    const [summary] = (await stack.twilio.waitForSms(USER, before + 1, sendAt - Date.now() + 20_000)).slice(before);
    expect(summary?.receivedAt).toBeGreaterThanOrEqual(sendAt);
    expect(summary?.body).toBe(`Today: 1 open todo\n#1 ${TODO}`);

    // Two more whole rounds; a summary they queued would go out ahead of the reply to a later text, through the same outbox.
    await lockChanges.waitFor(lockChanges.count() + 5, 20_000);
    expect(await say(USER, "list")).toBe(`#1 ${TODO}`);
    expect(summariesTo(USER)).toHaveLength(1);
    expect(await claimsOf(USER)).toEqual([{ local_date: localDate(sendAt, zone), todo_count: 1 }]);
    expect(roundsLogged()).toHaveLength(1);
  }, 150_000);

  it("when a user texts 'remind me to stretch at' the coming minute, then one reminder comes in that minute and later rounds send no second", async () => {
    const phone = "+15557790002";
    const zone = "America/New_York"; // a +1 number's zone until the user sets one
    const remindAt = Math.ceil((Date.now() + LEAD_MS) / 60_000) * 60_000;
    const time = localTime(remindAt, zone);
    // A time the user asked for is honoured at any hour, quiet hours included.
    expect(await say(phone, `remind me to stretch at ${time}`)).toMatch(
      new RegExp(`^Added #1 stretch \\(due (today|tomorrow) ${time}\\)$`),
    );

    const before = smsTo(phone).length;
    const [reminder] = (await stack.twilio.waitForSms(phone, before + 1, remindAt - Date.now() + 20_000)).slice(before);
    expect(reminder?.receivedAt).toBeGreaterThanOrEqual(remindAt);
    expect(reminder?.receivedAt).toBeLessThan(remindAt + 60_000);
    expect(reminder?.body).toBe(`Reminder: #1 stretch (${time}). Text done 1 or snooze 1 1h`);

    // Two more whole rounds: a second reminder would go out ahead of the reply to a later text, through the same outbox.
    await lockChanges.waitFor(lockChanges.count() + 5, 20_000);
    expect(await say(phone, "snooze 1 1h")).toMatch(/^Moved #1 stretch: due (today|tomorrow) \d{2}:\d{2}$/);
    expect(smsTo(phone).filter((sms) => sms.body.startsWith("Reminder:"))).toHaveLength(1);
  }, 150_000);
});
