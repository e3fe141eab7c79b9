import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { testInfrastructure } from "@sms-todo/testkit";
import type { SummaryRoundResult } from "../src/summaries/summary-round.use-case.js";
import type { SummaryNotifierProcess } from "./fixtures/summary-notifier.process.js";
import { newYorkTime, startSummaryStack, SUMMARY_DAY, type StackNotifier, type SummaryStack } from "./summary-stack.fixture.js";

// Several notifier replicas run the rounds of reminders and summaries: the lock keeps them from
// claiming at once, and the claim rows of todo-domain keep each user at one summary a day and one
// reminder per todo and due time even when the lock fails them (its holder stalled past the
// lock's TTL). Every user has a todo due at 08:00, the summaries' time, so both come in one round.

const USERS = 20;
const LOCK_TTL_MS = 1_500;

describe("daily summaries with three notifier replicas", () => {
  let stack: SummaryStack;
  let replicas: StackNotifier[];
  let phoneNumbers: string[];

  beforeAll(async () => {
    stack = await startSummaryStack();
    replicas = await stack.startNotifiers(3);
    phoneNumbers = await stack.addUsers(USERS, { reminderAt: "08:00" });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("when three replicas run a round at the same instant, then one runs it, the others skip, each user gets one summary, and later rounds that day send nothing more", async () => {
    stack.clock.set(newYorkTime("08:00"));
    // The replica that gets the lock claims only once every other round ended or reached its
    // claim too: a lock that let a second round in would show as two rounds that ran.
    let arrived = 0;
    let ended = 0;
    let letThrough!: () => void;
    const everyoneThere = new Promise<void>((resolve) => (letThrough = resolve));
    const check = () => {
      if (arrived + ended === replicas.length) letThrough();
    };
    stack.beforeClaim = async () => {
      arrived += 1;
      check();
      await everyoneThere;
    };
    let results: SummaryRoundResult[];
    try {
      results = await Promise.all(
        replicas.map((replica) =>
          replica.app.runSummaryRound().finally(() => {
            ended += 1;
            check();
          }),
        ),
      );
    } finally {
      stack.beforeClaim = undefined;
    }

    expect(results.map((result) => result.status).sort()).toEqual(["ran", "skipped", "skipped"]);
    expect(results.find((result) => result.status === "ran")).toEqual({
      status: "ran",
      reminded: USERS,
      queued: USERS,
      empty: 0,
    });
    await stack.waitForSummaries(phoneNumbers);

    const later: string[] = [];
    for (const time of ["08:00", "08:01", "08:30", "08:59", "09:00", "20:59"]) {
      stack.clock.set(newYorkTime(time));
      for (const replica of replicas) {
        const result = await replica.app.runSummaryRound();
        expect(result).toEqual({ status: "ran", reminded: 0, queued: 0, empty: 0 });
        later.push(`${time} ${replica.name}: ${result.status}, ${result.status === "ran" ? result.queued : "-"} queued`);
      }
    }

    const tally = stack.tally(phoneNumbers);
    const claims = await stack.claimsOn(SUMMARY_DAY);
    console.log("three replicas at one instant:", {
      rounds: results.map((result) => result.status),
      laterRounds: later.length,
      ...tally,
      claimRows: claims.length,
    });
    expect(tally).toEqual({ users: USERS, summaries: USERS, usersBySummaryCount: { 1: USERS } });
    expect(claims).toHaveLength(USERS);
    expect(new Set(claims.map((claim) => claim.replyEventId)).size).toBe(USERS);
    await expect.poll(() => stack.reminderTally(phoneNumbers), { timeout: 20_000, interval: 50 }).toEqual({ 1: USERS });
  });
});

describe("daily summaries when the lock holder stalls past its lock", () => {
  let stack: SummaryStack;
  let processes: SummaryNotifierProcess[];
  let phoneNumbers: string[];
  const redis = new Redis(testInfrastructure.redisUrl, { lazyConnect: true });

  beforeAll(async () => {
    stack = await startSummaryStack();
    processes = await stack.startNotifierProcesses(3, { SUMMARY_LOCK_TTL_MS: String(LOCK_TTL_MS) });
    phoneNumbers = await stack.addUsers(USERS, { reminderAt: "08:00" });
  });

  afterAll(async () => {
    // Stops (or kills) every child, paused or not, whatever the test left behind.
    await stack?.close();
    redis.disconnect();
  });

  it("when the lock holder is paused inside its round past the lock's TTL, then another replica claims every reminder and summary, the stale holder's claim finds nothing, and each user gets one of each", async () => {
    const [holder, successor, bystander] = processes;
    if (!holder || !successor || !bystander) throw new Error("three notifier processes expected");
    for (const child of processes) child.setClock(newYorkTime("08:00"));

    const stale = holder.runRound({ holdClaim: true });
    await stale.claiming;
    // It holds the lock and is about to claim: the stall lands inside its critical section.
    expect(await redis.exists(stack.lockKey)).toBe(1);
    holder.pause();
    const pausedAt = Date.now();
    // The one wait on time itself: nothing renews the lock of a stopped process, so it lapses after its TTL.
    await expect.poll(() => redis.exists(stack.lockKey), { timeout: 10_000, interval: 50 }).toBe(0);
    const lockLapsedAfterMs = Date.now() - pausedAt;

    const takeover = successor.runRound({ holdClaim: true });
    await takeover.claiming;
    expect(await bystander.runRound().result).toMatchObject({ status: "skipped" });
    takeover.go();
    const takeoverResult = await takeover.result;
    expect(takeoverResult).toEqual({ status: "ran", reminded: USERS, queued: USERS, empty: 0 });

    holder.resume();
    stale.go();
    const staleResult = await stale.result;
    // Its claim of reminders finds nothing left, and before the summaries it finds its lock gone and stops.
    expect(staleResult).toEqual({ status: "lock-lost", reminded: 0, queued: 0, empty: 0 });

    await stack.waitForSummaries(phoneNumbers);
    // Every claimed summary has been sent by now; any claim beyond one per user would show in the rows.
    const claims = await stack.claimsOn(SUMMARY_DAY);
    const tally = stack.tally(phoneNumbers);
    console.log("lock holder paused past its lock:", {
      lockTtlMs: LOCK_TTL_MS,
      lockLapsedAfterMs,
      takeover: takeoverResult,
      staleHolder: staleResult,
      ...tally,
      claimRows: claims.length,
    });
    expect(claims).toHaveLength(USERS);
    expect(tally).toEqual({ users: USERS, summaries: USERS, usersBySummaryCount: { 1: USERS } });
    await expect.poll(() => stack.reminderTally(phoneNumbers), { timeout: 20_000, interval: 50 }).toEqual({ 1: USERS });
  });
});
