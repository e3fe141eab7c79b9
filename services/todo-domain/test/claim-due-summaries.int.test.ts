import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { listSummaryClaims } from "../src/summaries/summary-claim.repository.js";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

let sequence = 0;
const context = (phoneNumber: string) => {
  const key = `sms:SM${(sequence += 1).toString().padStart(32, "0")}`;
  return { phoneNumber, idempotencyKey: key, messageId: key.slice(4) };
};
let phones = 0;
const suffix = () => (phones += 1).toString().padStart(4, "0");
/** New York numbers (+1 212), Berlin numbers (+49 30) and Sydney numbers (+61 2). */
const newUsPhone = () => `+1212555${suffix()}`;
const newGermanPhone = () => `+4930123${suffix()}`;
const newAustralianPhone = () => `+6129876${suffix()}`;

const NOTHING_DUE: todo.ClaimDueSummariesResponse = { queued: 0, empty: 0, moreDue: false };
const FIVE_MINUTES = 5 * 60_000;

interface NewUser {
  phone: string;
  todos?: string[];
  timezone?: string;
  summaryTime?: string;
  summaryOff?: boolean;
  optedOut?: boolean;
}

interface SummaryEvent {
  outboxId: number;
  eventId: string;
  phone: string;
  localDate: string;
  timezone: string;
  todos: string[];
}

function summaryOf(reply: messaging.ReplyRequested): Omit<SummaryEvent, "outboxId"> | undefined {
  const kind = reply.outcome?.kind;
  if (kind?.$case !== "summary") return undefined;
  return {
    eventId: reply.eventId,
    phone: reply.phoneNumber,
    localDate: kind.value.localDate,
    timezone: kind.value.timezone,
    todos: kind.value.todos.map((t) => `#${t.number} ${t.text}`),
  };
}

/** The UTC offset a zone's clocks keep at an instant, e.g. "GMT-05:00". */
function utcOffsetAt(zone: string, iso: string): string | undefined {
  return new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(new Date(iso))
    .find((part) => part.type === "timeZoneName")?.value;
}

describe("ClaimDueSummaries", () => {
  let domain: TodoDomainFixture;
  /** Users made by the running case; afterEach opts them out (which sends nothing), so later cases see only their own. */
  let madeInThisCase: string[] = [];

  const claim = (asOf: string | number, limit = 0) =>
    domain.call<todo.ClaimDueSummariesResponse>("claimDueSummaries", {
      asOfMs: typeof asOf === "string" ? Date.parse(asOf) : asOf,
      limit,
    });
  const subscribe = (phone: string, subscribed: boolean) =>
    domain.call<todo.SetSubscriptionResponse>("setSubscription", { context: context(phone), subscribed });
  const updateSettings = (phone: string, change: todo.UpdateSettingsRequest["change"]) =>
    domain.call<todo.UpdateSettingsResponse>("updateSettings", { context: context(phone), change });
  const add = (phone: string, texts: string[]) =>
    domain.call<todo.AddTodosResponse>("addTodos", { context: context(phone), texts, source: todo.TodoSource.TODO_SOURCE_SMS });

  const userOf = (phone: string) =>
    domain.databases.todo
      .selectFrom("users")
      .select(["id", "timezone", "summary_time"])
      .where("phone_number", "=", phone)
      .executeTakeFirstOrThrow();

  /** Creates a user through TodoService as texts would, and takes the replies those commands got. */
  async function createUser(user: NewUser): Promise<number> {
    madeInThisCase.push(user.phone);
    let replies = 0;
    if (user.todos) {
      await add(user.phone, user.todos);
      replies += 1;
    }
    if (user.timezone) {
      await updateSettings(user.phone, { $case: "timezone", value: user.timezone });
      replies += 1;
    }
    if (user.summaryTime) {
      await updateSettings(user.phone, { $case: "summaryTime", value: user.summaryTime });
      replies += 1;
    }
    if (user.summaryOff) {
      await updateSettings(user.phone, { $case: "summaryOff", value: true });
      replies += 1;
    }
    if (replies === 0) throw new Error("a user is created by a command; give todos or a setting");
    await domain.takeReplies(replies);
    if (user.optedOut) await subscribe(user.phone, false);
    return (await userOf(user.phone)).id;
  }

  const claimsOf = async (phone: string) => listSummaryClaims(domain.databases.todo, (await userOf(phone)).id);

  /** Summary events in the outbox (published or not), oldest first. */
  async function summaryEvents(afterOutboxId = 0): Promise<SummaryEvent[]> {
    const rows = await domain.databases.todo
      .selectFrom("outbox")
      .select(["id", "payload"])
      .where("id", ">", afterOutboxId)
      .orderBy("id")
      .execute();
    return rows.flatMap((row) => {
      const summary = summaryOf(messaging.ReplyRequested.decode(row.payload));
      return summary ? [{ outboxId: row.id, ...summary }] : [];
    });
  }

  /**
   * Replies leave in outbox order, so when the next reply is the answer to a "list" sent now,
   * nothing else (no summary) was queued before it.
   */
  async function expectNextReplyIsList(phone: string): Promise<void> {
    await domain.call("listTodos", { context: context(phone) });
    const [reply] = await domain.takeReplies(1);
    expect([reply?.phoneNumber, reply?.outcome?.kind?.$case]).toEqual([phone, "list"]);
  }

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterEach(async () => {
    for (const phone of madeInThisCase) await subscribe(phone, false);
    madeInThisCase = [];
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when a user with open todos is due, then one ReplyRequested carries the summary and one claim row records it", async () => {
    const phone = newUsPhone();
    const userId = await createUser({ phone, todos: ["buy milk", "call mom"], timezone: "America/New_York" });

    // 08:00 on 2027-01-15 in New York (EST, UTC-5).
    expect(await claim("2027-01-15T13:00:00Z")).toEqual({ queued: 1, empty: 0, moreDue: false });

    const [reply] = await domain.takeReplies(1);
    expect(reply).toMatchObject({
      phoneNumber: phone,
      messageId: `summary:2027-01-15:${userId}`,
      outcome: {
        kind: {
          $case: "summary",
          value: {
            localDate: "2027-01-15",
            timezone: "America/New_York",
            todos: [
              { number: 1, text: "buy milk", status: todo.TodoStatus.TODO_STATUS_OPEN },
              { number: 2, text: "call mom", status: todo.TodoStatus.TODO_STATUS_OPEN },
            ],
          },
        },
      },
    });
    expect(await listSummaryClaims(domain.databases.todo, userId)).toEqual([
      { userId, localDate: "2027-01-15", timezone: "America/New_York", todoCount: 2, replyEventId: reply?.eventId },
    ]);
  });

  it("when the claim is repeated, later the same day and by three callers at once, then nothing more is queued", async () => {
    const phone = newUsPhone();
    await createUser({ phone, todos: ["buy milk"], timezone: "America/New_York" });
    expect(await claim("2027-01-15T13:00:00Z")).toEqual({ queued: 1, empty: 0, moreDue: false });
    await domain.takeReplies(1);

    expect(await claim("2027-01-15T13:00:00Z")).toEqual(NOTHING_DUE);
    expect(await claim("2027-01-15T13:05:00Z")).toEqual(NOTHING_DUE);
    expect(await Promise.all([1, 2, 3].map(() => claim("2027-01-15T13:10:00Z")))).toEqual([
      NOTHING_DUE,
      NOTHING_DUE,
      NOTHING_DUE,
    ]);
    expect((await claimsOf(phone)).map((c) => c.localDate)).toEqual(["2027-01-15"]);
    expect((await summaryEvents()).filter((e) => e.phone === phone).map((e) => e.localDate)).toEqual(["2027-01-15"]);
    await expectNextReplyIsList(phone);
  });

  it("when three callers race for the first claim of a date, then exactly one queues the summary", async () => {
    const phone = newUsPhone();
    await createUser({ phone, todos: ["buy milk"], timezone: "America/New_York" });
    const before = await summaryEvents();

    const racing = await Promise.all([1, 2, 3].map(() => claim("2027-01-16T13:00:00Z")));
    expect(racing.map((r) => r.queued).sort()).toEqual([0, 0, 1]);
    expect(racing.every((r) => r.empty === 0 && !r.moreDue)).toBe(true);

    const [reply] = await domain.takeReplies(1);
    expect(reply && summaryOf(reply)).toMatchObject({ phone, localDate: "2027-01-16" });
    expect((await claimsOf(phone)).map((c) => c.localDate)).toEqual(["2027-01-16"]);
    expect((await summaryEvents()).length - before.length).toBe(1);
    await expectNextReplyIsList(phone);
  });

  it("when a due user's list is empty, then a claim row with todo_count 0 is written and no event is queued", async () => {
    const phone = newUsPhone();
    const userId = await createUser({ phone, timezone: "America/New_York" });

    expect(await claim("2027-01-15T13:00:00Z")).toEqual({ queued: 0, empty: 1, moreDue: false });

    expect(await listSummaryClaims(domain.databases.todo, userId)).toEqual([
      { userId, localDate: "2027-01-15", timezone: "America/New_York", todoCount: 0, replyEventId: null },
    ]);
    expect((await summaryEvents()).filter((e) => e.phone === phone)).toEqual([]);
    await expectNextReplyIsList(phone);
  });

  it("when a todo is added after that day's empty claim, then no summary follows that day and the next day's lists it", async () => {
    const phone = newUsPhone();
    await createUser({ phone, timezone: "America/New_York" });
    expect(await claim("2027-01-15T13:00:00Z")).toEqual({ queued: 0, empty: 1, moreDue: false });
    await add(phone, ["water plants"]);
    await domain.takeReplies(1);

    expect(await claim("2027-01-15T13:30:00Z")).toEqual(NOTHING_DUE);
    expect(await claim("2027-01-16T13:00:00Z")).toEqual({ queued: 1, empty: 0, moreDue: false });

    const [reply] = await domain.takeReplies(1);
    expect(reply && summaryOf(reply)).toMatchObject({ phone, localDate: "2027-01-16", todos: ["#1 water plants"] });
    expect((await claimsOf(phone)).map((c) => [c.localDate, c.todoCount])).toEqual([
      ["2027-01-15", 0],
      ["2027-01-16", 1],
    ]);
  });

  it("when a user opted out or turned the summary off, then nothing is claimed or queued for them", async () => {
    const optedOut = newUsPhone();
    const summaryOff = newUsPhone();
    await createUser({ phone: optedOut, todos: ["buy milk"], timezone: "America/New_York", optedOut: true });
    await createUser({ phone: summaryOff, todos: ["call mom"], timezone: "America/New_York", summaryOff: true });
    expect((await userOf(summaryOff)).summary_time).toBeNull();

    expect(await claim("2027-01-15T13:00:00Z")).toEqual(NOTHING_DUE);

    expect(await claimsOf(optedOut)).toEqual([]);
    expect(await claimsOf(summaryOff)).toEqual([]);
    expect((await summaryEvents()).filter((e) => e.phone === optedOut || e.phone === summaryOff)).toEqual([]);
    await expectNextReplyIsList(summaryOff);

    // Opting back in brings the next day's summary: the opt-out was what held it back.
    await subscribe(optedOut, true);
    expect(await claim("2027-01-16T13:00:00Z")).toEqual({ queued: 1, empty: 0, moreDue: false });
    const [reply] = await domain.takeReplies(1);
    expect(reply && summaryOf(reply)).toMatchObject({ phone: optedOut, localDate: "2027-01-16" });
  });

  it("when a user never set a timezone, then the summary comes at 08:00 in the zone of the phone number's country", async () => {
    const newYork = newUsPhone();
    const berlin = newGermanPhone();
    const sydney = newAustralianPhone();
    for (const phone of [newYork, berlin, sydney]) await createUser({ phone, todos: ["buy milk"] });

    // 08:00 in Berlin (CET) on 2027-01-15; New York shows 02:00, Sydney 18:00.
    expect(await claim("2027-01-15T07:00:00Z")).toMatchObject({ queued: 1 });
    // 08:00 in New York (EST) on 2027-01-15; Berlin shows 14:00, Sydney 00:00 on the 16th.
    expect(await claim("2027-01-15T13:00:00Z")).toMatchObject({ queued: 1 });
    // 08:00 in Sydney (AEDT) on 2027-01-16; New York shows 16:00 on the 15th, Berlin 22:00.
    expect(await claim("2027-01-15T21:00:00Z")).toMatchObject({ queued: 1 });

    const replies = (await domain.takeReplies(3)).map((reply) => summaryOf(reply));
    expect(replies.map((s) => [s?.phone, s?.timezone, s?.localDate])).toEqual([
      [berlin, "Europe/Berlin", "2027-01-15"],
      [newYork, "America/New_York", "2027-01-15"],
      [sydney, "Australia/Sydney", "2027-01-16"],
    ]);
    expect((await claimsOf(sydney)).map((c) => [c.localDate, c.timezone])).toEqual([["2027-01-16", "Australia/Sydney"]]);
    // The guess is made when a summary is due, never stored: a later "tz" from the user wins.
    expect((await userOf(berlin)).timezone).toBeNull();
  });

  it("when a stored timezone is unknown to this runtime, then that user's summary follows the phone's zone and the others still get theirs", async () => {
    const stale = newGermanPhone();
    const berlin = newGermanPhone();
    for (const phone of [stale, berlin]) await createUser({ phone, todos: ["buy milk"] });
    // As if set under time zone data that knew a name this runtime does not.
    await domain.databases.todo
      .updateTable("users")
      .set({ timezone: "Mars/Olympus_Mons" })
      .where("phone_number", "=", stale)
      .execute();

    // 08:00 in Berlin (CET).
    expect(await claim("2027-01-18T07:00:00Z")).toMatchObject({ queued: 2 });
    const replies = (await domain.takeReplies(2)).map((reply) => summaryOf(reply));
    expect(replies.map((s) => [s?.phone, s?.timezone]).sort()).toEqual(
      [
        [stale, "Europe/Berlin"],
        [berlin, "Europe/Berlin"],
      ].sort(),
    );
  });

  it("when more users are due than the limit, then each call claims at most the limit and more_due asks for another call", async () => {
    const withTodos = [newUsPhone(), newUsPhone(), newUsPhone(), newUsPhone()];
    for (const phone of withTodos) await createUser({ phone, todos: ["buy milk"] });
    const withEmptyList = newUsPhone();
    await createUser({ phone: withEmptyList, timezone: "America/New_York" });

    const asOf = "2027-01-15T13:00:00Z";
    const calls = [];
    for (let call = 0; call < 4; call += 1) calls.push(await claim(asOf, 2));
    expect(calls).toEqual([
      { queued: 2, empty: 0, moreDue: true },
      { queued: 2, empty: 0, moreDue: true },
      { queued: 0, empty: 1, moreDue: false },
      NOTHING_DUE,
    ]);

    const summarised = (await domain.takeReplies(4)).map((reply) => summaryOf(reply)?.phone);
    expect(summarised).toEqual(withTodos);
    expect((await claimsOf(withEmptyList)).map((c) => c.todoCount)).toEqual([0]);
  });

  it("when as_of_ms is not a positive time or the limit is over 500, then the call fails with INVALID_ARGUMENT and claims nothing", async () => {
    const phone = newUsPhone();
    await createUser({ phone, todos: ["buy milk"], timezone: "America/New_York" });
    const dueAt = "2027-01-15T13:00:00Z";

    await expect(claim(0)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(claim(-Date.parse(dueAt))).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    // Past the last instant a Date can hold.
    await expect(claim(8.64e15 + 1)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(claim(dueAt, 501)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await claimsOf(phone)).toEqual([]);

    expect(await claim(dueAt, 500)).toEqual({ queued: 1, empty: 0, moreDue: false });
    await domain.takeReplies(1);
  });

  it("when a fake clock steps every 5 minutes over 3 days across a DST change in each of three zones, then each user gets one summary per local date at its local time", async () => {
    const users = {
      newYork: { phone: newUsPhone(), timezone: "America/New_York", summaryTime: undefined },
      berlin: { phone: newGermanPhone(), timezone: "Europe/Berlin", summaryTime: "07:00" },
      sydney: { phone: newAustralianPhone(), timezone: "Australia/Sydney", summaryTime: "12:30" },
    };
    type Who = keyof typeof users;
    const who = new Map<string, Who>(Object.entries(users).map(([name, user]) => [user.phone, name as Who]));
    for (const user of Object.values(users)) await createUser({ ...user, todos: ["buy milk"] });

    // Three local days around one change each, in date order (a claimed date blocks earlier ones).
    // New York sends at 08:00 (the default), Berlin at 08:00 (07:00 is in quiet hours), Sydney at 12:30.
    const windows = [
      {
        zone: "America/New_York",
        from: "2027-03-13T05:00:00Z",
        to: "2027-03-16T04:00:00Z",
        expected: [
          ["berlin", "2027-03-13", "2027-03-13T07:00:00.000Z"],
          ["newYork", "2027-03-13", "2027-03-13T13:00:00.000Z"],
          ["sydney", "2027-03-14", "2027-03-14T01:30:00.000Z"],
          ["berlin", "2027-03-14", "2027-03-14T07:00:00.000Z"],
          ["newYork", "2027-03-14", "2027-03-14T12:00:00.000Z"],
          ["sydney", "2027-03-15", "2027-03-15T01:30:00.000Z"],
          ["berlin", "2027-03-15", "2027-03-15T07:00:00.000Z"],
          ["newYork", "2027-03-15", "2027-03-15T12:00:00.000Z"],
          ["sydney", "2027-03-16", "2027-03-16T01:30:00.000Z"],
        ],
      },
      {
        zone: "Australia/Sydney",
        from: "2027-10-01T14:00:00Z",
        to: "2027-10-04T13:00:00Z",
        expected: [
          ["sydney", "2027-10-02", "2027-10-02T02:30:00.000Z"],
          ["berlin", "2027-10-02", "2027-10-02T06:00:00.000Z"],
          ["newYork", "2027-10-02", "2027-10-02T12:00:00.000Z"],
          ["sydney", "2027-10-03", "2027-10-03T01:30:00.000Z"],
          ["berlin", "2027-10-03", "2027-10-03T06:00:00.000Z"],
          ["newYork", "2027-10-03", "2027-10-03T12:00:00.000Z"],
          ["sydney", "2027-10-04", "2027-10-04T01:30:00.000Z"],
          ["berlin", "2027-10-04", "2027-10-04T06:00:00.000Z"],
          ["newYork", "2027-10-04", "2027-10-04T12:00:00.000Z"],
        ],
      },
      {
        zone: "Europe/Berlin",
        from: "2027-10-29T22:00:00Z",
        to: "2027-11-01T23:00:00Z",
        expected: [
          ["sydney", "2027-10-30", "2027-10-30T01:30:00.000Z"],
          ["berlin", "2027-10-30", "2027-10-30T06:00:00.000Z"],
          ["newYork", "2027-10-30", "2027-10-30T12:00:00.000Z"],
          ["sydney", "2027-10-31", "2027-10-31T01:30:00.000Z"],
          ["berlin", "2027-10-31", "2027-10-31T07:00:00.000Z"],
          ["newYork", "2027-10-31", "2027-10-31T12:00:00.000Z"],
          ["sydney", "2027-11-01", "2027-11-01T01:30:00.000Z"],
          ["berlin", "2027-11-01", "2027-11-01T07:00:00.000Z"],
          ["newYork", "2027-11-01", "2027-11-01T12:00:00.000Z"],
        ],
      },
    ];
    // The hand-written windows must really hold a change of the zone's UTC offset.
    for (const window of windows) expect(utcOffsetAt(window.zone, window.from)).not.toBe(utcOffsetAt(window.zone, window.to));

    const seen: string[][] = [];
    const oddCalls: unknown[] = [];
    let lastOutboxId = Math.max(0, ...(await summaryEvents()).map((e) => e.outboxId));
    for (const window of windows) {
      for (let now = Date.parse(window.from); now < Date.parse(window.to); now += FIVE_MINUTES) {
        const asOf = new Date(now).toISOString();
        const claimed = await claim(now);
        if (claimed.empty !== 0 || claimed.moreDue) oddCalls.push({ asOf, claimed });
        if (claimed.queued === 0) continue;
        const events = await summaryEvents(lastOutboxId);
        if (events.length !== claimed.queued) oddCalls.push({ asOf, claimed, events });
        for (const event of events) {
          seen.push([who.get(event.phone) ?? event.phone, event.localDate, asOf]);
          lastOutboxId = event.outboxId;
        }
      }
    }
    expect(oddCalls).toEqual([]);
    expect(seen).toEqual(windows.flatMap((window) => window.expected));

    // Every one of them went out through RabbitMQ, once, with the user's zone.
    const replies = (await domain.takeReplies(seen.length)).map((reply) => summaryOf(reply));
    expect(replies.map((s) => [s && who.get(s.phone), s?.localDate])).toEqual(seen.map(([name, date]) => [name, date]));
    for (const [name, user] of Object.entries(users)) {
      const claims = await claimsOf(user.phone);
      expect(claims.map((c) => [name, c.localDate, c.timezone, c.todoCount])).toEqual(
        seen.filter(([n]) => n === name).map(([, date]) => [name, date, user.timezone, 1]),
      );
    }
    await expectNextReplyIsList(users.sydney.phone);
  });
});
