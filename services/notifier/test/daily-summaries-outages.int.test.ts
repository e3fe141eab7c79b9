import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisServerProcess } from "@sms-todo/testkit";
import { newYorkTime, startSummaryStack, SUMMARY_DAY, type StackNotifier, type SummaryStack } from "./summary-stack.fixture.js";

// Daily summaries while what they depend on fails: Redis restarts with everything it held lost,
// Twilio throttles, errs, hangs or refuses a number, and a summary is held up into the night.

const DROPPED = "daily summary too late to send without waking its user; dropped";
const UNSUBSCRIBED = "recipient unsubscribed at Twilio: opt-out recorded, no SMS sent";
const RECONCILED = "Twilio created the unanswered SMS after all; not sending it again";

describe("daily summaries across a Redis restart", () => {
  const USERS = 15;
  const redisServer = new RedisServerProcess();
  let stack: SummaryStack;
  let replicas: StackNotifier[];
  let phoneNumbers: string[];

  beforeAll(async () => {
    await redisServer.start();
    // Ten SMS a second spreads the summaries over more than a second, long enough to restart Redis amid them.
    stack = await startSummaryStack({ redisUrl: redisServer.url, smsPerSecond: 10 });
    replicas = await stack.startNotifiers(3);
    phoneNumbers = await stack.addUsers(USERS);
  });

  afterAll(async () => {
    await stack?.close();
    await redisServer.stop();
  });

  it("when Redis is killed and restarted while summaries are being sent, then every user gets exactly one and a later round gets the lock and sends nothing more", async () => {
    const [first, second] = replicas;
    if (!first || !second) throw new Error("replicas expected");
    stack.clock.set(newYorkTime("08:00"));
    let sentBeforeKill = 0;
    const restarted = new Promise<void>((resolve, reject) => {
      const stopListening = stack.twilio.onSms((sms) => {
        if (!sms.body.startsWith("Today:") || !phoneNumbers.includes(sms.to)) return;
        sentBeforeKill += 1;
        if (sentBeforeKill < 4) return;
        stopListening();
        redisServer.restart().then(resolve, reject);
      });
    });

    expect(await first.app.runSummaryRound()).toEqual({ status: "ran", reminded: 0, queued: USERS, empty: 0 });
    await restarted;
    const sentWhileRestarting = stack.tally(phoneNumbers).summaries - sentBeforeKill;
    await stack.waitForSummaries(phoneNumbers);

    stack.clock.set(newYorkTime("08:30"));
    const later = await second.app.runSummaryRound();
    const tally = stack.tally(phoneNumbers);
    const sentAfterRestart = tally.summaries - sentBeforeKill - sentWhileRestarting;
    console.log("Redis restarted amid the summaries:", {
      sentBeforeKill,
      sentWhileRestarting,
      sentAfterRestart,
      redisErrorsLogged: stack.logs.lines.filter((line) => line.msg === "Redis connection error").length,
      laterRound: later,
      ...tally,
    });
    // The restart fell amid the sending: some summaries went out before it, some only on the new server.
    expect(sentAfterRestart).toBeGreaterThan(0);
    expect(later).toEqual({ status: "ran", reminded: 0, queued: 0, empty: 0 });
    expect(tally).toEqual({ users: USERS, summaries: USERS, usersBySummaryCount: { 1: USERS } });
    expect(await stack.claimsOn(SUMMARY_DAY)).toHaveLength(USERS);
  });
});

describe("daily summaries through a failing Twilio", () => {
  const USERS = 6;
  let stack: SummaryStack;
  let replicas: StackNotifier[];
  let phoneNumbers: string[];
  let unsubscribed: string;

  beforeAll(async () => {
    stack = await startSummaryStack({
      // A hung request counts as unanswered after a second; the breaker has its own tests, and
      // opening it here would only delay the retries this test is about.
      sender: { timeoutMs: 1_000, breaker: { volumeThreshold: 1_000 } },
    });
    replicas = await stack.startNotifiers(2);
    phoneNumbers = await stack.addUsers(USERS);
    const [user] = await stack.addUsers(1);
    if (!user) throw new Error("a user expected");
    unsubscribed = user;
    // Due after the others' hour of catch-up, so Twilio's refusal of this number can be programmed for its summary alone.
    await stack.call("updateSettings", {
      context: { phoneNumber: unsubscribed, idempotencyKey: "settings:unsubscribed", messageId: "settings:unsubscribed" },
      change: { $case: "summaryTime", value: "09:30" },
    });
    await stack.twilio.waitForSms(unsubscribed, 2);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("when Twilio answers 429, then 500, then never answers, then each summary arrives exactly once and the unanswered one is found in the message list, not resent", async () => {
    const [replica] = replicas;
    if (!replica) throw new Error("a replica expected");
    const requestsBefore = stack.twilio.messageRequests.length;
    stack.twilio.program(
      { kind: "status", status: 429, code: 20429, message: "Too Many Requests", retryAfter: "0" },
      { kind: "status", status: 500, code: 20500, message: "Internal Server Error" },
      { kind: "create-then-hang" },
    );
    stack.clock.set(newYorkTime("08:00"));

    expect(await replica.app.runSummaryRound()).toEqual({ status: "ran", reminded: 0, queued: USERS, empty: 0 });
    await stack.waitForSummaries(phoneNumbers);
    await stack.logs.waitFor((line) => line.msg === RECONCILED);

    const requests = stack.twilio.messageRequests.slice(requestsBefore);
    const hungFor = requests[2]?.to;
    if (!hungFor) throw new Error("no third request to Twilio");
    const tally = stack.tally(phoneNumbers);
    const lists = stack.twilio.listRequests.filter((query) => query.get("To") === hungFor).length;
    console.log("summaries through 429, 500 and a hang:", {
      requests: requests.length,
      listRequestsForTheHungOne: lists,
      reconciled: stack.logs.lines.filter((line) => line.msg === RECONCILED).length,
      ...tally,
    });
    expect(tally).toEqual({ users: USERS, summaries: USERS, usersBySummaryCount: { 1: USERS } });
    // One request per summary, plus one retry after the 429 and one after the 500; none after the hang.
    expect(requests).toHaveLength(USERS + 2);
    const failedBeforeHang = requests.slice(0, 2).filter((request) => request.to === hungFor).length;
    expect(requests.filter((request) => request.to === hungFor)).toHaveLength(failedBeforeHang + 1);
    expect(lists).toBeGreaterThan(0);
    expect(stack.logs.lines.filter((line) => line.msg === RECONCILED)).toHaveLength(1);
  });

  it("when Twilio answers 21610 for a user's summary, then the user gets no summary and ends opted out in todo-domain", async () => {
    const [, replica] = replicas;
    if (!replica) throw new Error("a replica expected");
    stack.twilio.program({ kind: "status", status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
    stack.clock.set(newYorkTime("09:30"));

    expect(await replica.app.runSummaryRound()).toEqual({ status: "ran", reminded: 0, queued: 1, empty: 0 });
    await stack.logs.waitFor((line) => line.msg === UNSUBSCRIBED);

    const user = await stack.databases.todo
      .selectFrom("users")
      .select(["opted_out"])
      .where("phone_number", "=", unsubscribed)
      .executeTakeFirstOrThrow();
    const summaries = stack.summariesTo(unsubscribed).length;
    const refused = stack.logs.lines.filter((line) => line.msg === "Twilio refused the SMS" && line.twilioCode === 21610).length;
    // The next day at 09:30 this user alone would be due.
    stack.clock.set(new Date(newYorkTime("09:30").getTime() + 24 * 60 * 60 * 1000));
    const nextDay = await replica.app.runSummaryRound();
    console.log("summary to a number Twilio reports unsubscribed:", { summaries, refused, optedOut: user.opted_out, nextDay });
    expect(summaries).toBe(0);
    expect(refused).toBe(1);
    expect(user.opted_out).toBe(true);
    expect(nextDay).toEqual({ status: "ran", reminded: 0, queued: 0, empty: 0 });
  });
});

describe("daily summaries held up into the night", () => {
  const USERS = 5;
  let stack: SummaryStack;
  let phoneNumbers: string[];

  beforeAll(async () => {
    stack = await startSummaryStack();
    await stack.startNotifiers(2);
    phoneNumbers = await stack.addUsers(USERS);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("when a summary claimed at 08:00 is consumed after 21:00 local, then it is dropped and no SMS is sent", async () => {
    const requestsBefore = stack.twilio.messageRequests.length;
    stack.clock.set(newYorkTime("21:30"));

    // The round ran at 08:00; its events reach the notifiers only now (a backlog, an outage).
    const claimed = await stack.call("claimDueSummaries", { asOfMs: newYorkTime("08:00").getTime(), limit: 100 });
    expect(claimed).toEqual({ queued: USERS, empty: 0, moreDue: false });
    const claims = await stack.claimsOn(SUMMARY_DAY);
    await Promise.all(
      claims.map(({ replyEventId }) => stack.logs.waitFor((line) => line.msg === DROPPED && line.eventId === replyEventId)),
    );

    const dropped = stack.logs.lines.filter((line) => line.msg === DROPPED).length;
    const tally = stack.tally(phoneNumbers);
    const requests = stack.twilio.messageRequests.length - requestsBefore;
    console.log("summaries consumed at 21:30 local:", { claimed: claims.length, dropped, requests, ...tally });
    expect(claims).toHaveLength(USERS);
    expect(dropped).toBe(USERS);
    expect(requests).toBe(0);
    expect(tally).toEqual({ users: USERS, summaries: 0, usersBySummaryCount: { 0: USERS } });
  });
});
