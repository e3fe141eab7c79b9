import { randomUUID } from "node:crypto";
import { credentials, type ClientUnaryCall, type ServiceError } from "@grpc/grpc-js";
import { Redis } from "ioredis";
import { todo } from "@sms-todo/contracts";
import { callUnary } from "@sms-todo/shared/grpc-client";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  fakeMessageSid,
  TEST_TWILIO,
  testInfrastructure,
  todoDomainTestEnv,
  todoRequestOf,
  TwilioStandIn,
  type SentSms,
  type TestDatabases,
  type TestTopology,
} from "@sms-todo/testkit";
import { composeTodoDomain, loadTodoDomainConfig, migrateDatabases, openDatabases, type Databases } from "@sms-todo/todo-domain";
import type { NotifierApp, NotifierDeps } from "../src/app.js";
import { loadNotifierConfig } from "../src/notifier.config.js";
import { composeNotifier } from "../src/notifier.composition.js";
import type { TwilioSmsSenderOptions } from "../src/sms/twilio-sms.sender.js";
import { startSummaryNotifierProcess, type SummaryNotifierProcess } from "./fixtures/summary-notifier.process.js";
import { testPhoneNumber, twilioEnv, watchLogs, type WatchedLogs } from "./notifier.test-harness.js";

/**
 * The day of these tests: in the future, so every user created now existed before its send time.
 * New York keeps daylight saving time then (UTC-4); +1 numbers get New York's time zone.
 */
export const SUMMARY_DAY = "2027-06-01";

/** The instant the New York clock shows `time` ("HH:MM") on SUMMARY_DAY. */
export function newYorkTime(time: string): Date {
  return new Date(`${SUMMARY_DAY}T${time}:00-04:00`);
}

export const isSummary = (sms: SentSms): boolean => sms.body.startsWith("Today:");
export const isReminder = (sms: SentSms): boolean => sms.body.startsWith("Reminder:");

/** The notifiers' clock: it stands still where a test puts it. */
export class FakeClock {
  private at = newYorkTime("07:00");
  readonly now = (): Date => new Date(this.at.getTime());

  set(at: Date): void {
    this.at = at;
  }
}

export interface SummaryStackOptions {
  /** Redis of the notifiers; the machine's unless a test brings its own server. */
  redisUrl?: string;
  /** SMS_RATE_PER_SECOND of the notifiers; high unless a test needs sends to take a while. */
  smsPerSecond?: number;
  /** Twilio sender settings as tests size them (request timeout, breaker). */
  sender?: Pick<TwilioSmsSenderOptions, "timeoutMs" | "breaker">;
}

/** A notifier replica in this process, composed as main.ts composes it, on the stack's clock. */
export interface StackNotifier {
  name: string;
  app: NotifierApp;
}

export type SummaryTally = { users: number; summaries: number; usersBySummaryCount: Record<number, number> };

type TodoMethod = "addTodos" | "updateSettings" | "claimDueSummaries";

/**
 * One todo-domain in this process (own databases and queues), one Twilio stand-in, and any
 * number of notifier replicas, in this process or as child processes, that share the queues,
 * the Redis key prefix and a fake clock: what several replicas of a deployment share.
 */
export interface SummaryStack {
  twilio: TwilioStandIn;
  clock: FakeClock;
  /** SMS_TODO_NAMESPACE of everything in the stack. */
  namespace: string;
  /** Prefix of every Redis key of the stack's notifiers, as composeNotifier derives it from the namespace. */
  keyPrefix: string;
  /** The Redis key of the summaries lock. */
  lockKey: string;
  /** todo-domain's databases. */
  databases: Databases;
  /** Every line of the in-process notifiers. */
  logs: WatchedLogs;
  startNotifiers(count: number): Promise<StackNotifier[]>;
  /** Notifiers as child processes on the built code; see summary-notifier.entry.mjs. */
  startNotifierProcesses(count: number, env?: NodeJS.ProcessEnv): Promise<SummaryNotifierProcess[]>;
  /** While set, a round's first claim (ClaimDueReminders) in an in-process notifier waits for it first. */
  beforeClaim: (() => Promise<void>) | undefined;
  /** How many users got how many reminder SMS ("Reminder: …"), e.g. { 1: 20 }. */
  reminderTally(phoneNumbers: readonly string[]): Record<number, number>;
  /**
   * Creates users with one open todo each ("buy milk"), and with reminderAt ("HH:MM" on
   * SUMMARY_DAY) a second one due then ("stretch"); waits for the reply to each of them.
   */
  addUsers(count: number, options?: { reminderAt?: string }): Promise<string[]>;
  call<Res>(method: TodoMethod, request: unknown): Promise<Res>;
  summariesTo(phoneNumber: string): SentSms[];
  /** Resolves once every user received at least one summary. */
  waitForSummaries(phoneNumbers: string[], timeoutMs?: number): Promise<void>;
  tally(phoneNumbers: string[]): SummaryTally;
  /** The claim rows todo-domain holds for the local date. */
  claimsOn(localDate: string): Promise<Array<{ userId: number; replyEventId: string | null }>>;
  close(): Promise<void>;
}

export async function startSummaryStack(options: SummaryStackOptions = {}): Promise<SummaryStack> {
  const redisUrl = options.redisUrl ?? testInfrastructure.redisUrl;
  const smsPerSecond = options.smsPerSecond ?? 1_000;
  const urls: TestDatabases = await createTestDatabases("summaries");
  await migrateDatabases(urls);
  const testTopology: TestTopology = createTestTopology("summaries");
  const { namespace } = testTopology;
  const keyPrefix = `${namespace}sms-todo:`;
  const twilio = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  await twilio.start();
  const domainLogger = captureLogs("todo-domain", "info").logger;
  const databases = openDatabases(urls);
  const domain = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(urls, namespace)), {
    logger: domainLogger,
    databases,
  });
  await domain.start();
  const todoAddress = `127.0.0.1:${domain.grpcPort()}`;
  const client = new todo.TodoServiceClient(todoAddress, credentials.createInsecure());
  const logs = watchLogs("notifier");
  const clock = new FakeClock();
  const notifiers: StackNotifier[] = [];
  const processes: SummaryNotifierProcess[] = [];
  const env: NodeJS.ProcessEnv = {
    AMQP_URL: testInfrastructure.amqpUrl,
    REDIS_URL: redisUrl,
    SMS_TODO_NAMESPACE: namespace,
    TODO_GRPC_ADDR: todoAddress,
    SMS_RATE_PER_SECOND: String(smsPerSecond),
    SUMMARY_CRON: "off",
    LOG_LEVEL: "info",
    METRICS_PORT: "0",
    ...twilioEnv(twilio),
  };

  const call = <Res>(method: TodoMethod, request: unknown) =>
    callUnary<unknown, Res>(client[method].bind(client) as never, todoRequestOf(method, request), { deadlineMs: 10_000 });

  const stack: SummaryStack = {
    twilio,
    clock,
    namespace,
    keyPrefix,
    lockKey: `${keyPrefix}daily-summaries:lock`,
    databases,
    logs,
    beforeClaim: undefined,
    async startNotifiers(count) {
      const started = await Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const name = `replica-${notifiers.length + index + 1}`;
          const config = loadNotifierConfig(env);
          const todoClient = heldTodoClient(new todo.TodoServiceClient(todoAddress, credentials.createInsecure()), () =>
            stack.beforeClaim?.(),
          );
          const app = composeNotifier(config, {
            logger: logs.logger.child({ replica: name }),
            twilioSender: options.sender,
            todoClient,
            now: clock.now,
          });
          await app.start();
          return { name, app };
        }),
      );
      notifiers.push(...started);
      return started;
    },
    async startNotifierProcesses(count, extraEnv = {}) {
      const started = await Promise.allSettled(
        Array.from({ length: count }, (_, index) =>
          startSummaryNotifierProcess(`process-${processes.length + index + 1}`, { ...env, ...extraEnv }),
        ),
      );
      for (const result of started) if (result.status === "fulfilled") processes.push(result.value);
      const failed = started.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      return started.map((result) => (result as PromiseFulfilledResult<SummaryNotifierProcess>).value);
    },
    async addUsers(count, { reminderAt } = {}) {
      const phoneNumbers = Array.from({ length: count }, () => testPhoneNumber());
      await Promise.all(
        phoneNumbers.map((phoneNumber) =>
          call("addTodos", {
            context: { phoneNumber, idempotencyKey: randomUUID(), messageId: fakeMessageSid() },
            texts: reminderAt === undefined ? ["buy milk"] : ["buy milk", "stretch"],
            timings:
              reminderAt === undefined
                ? []
                : [
                    { when: "", every: "" },
                    { when: `${SUMMARY_DAY} ${reminderAt}`, every: "" },
                  ],
            source: todo.TodoSource.TODO_SOURCE_SMS,
          }),
        ),
      );
      // The replies ("Added #1 buy milk") go out first, so they take no programmed Twilio answer of a test.
      await Promise.all(phoneNumbers.map((phoneNumber) => twilio.waitForSms(phoneNumber, 1, 20_000)));
      return phoneNumbers;
    },
    call,
    summariesTo(phoneNumber) {
      return twilio.sent.filter((sms) => sms.to === phoneNumber && isSummary(sms));
    },
    async waitForSummaries(phoneNumbers, timeoutMs = 20_000) {
      const pending = new Set(phoneNumbers.filter((phoneNumber) => stack.summariesTo(phoneNumber).length === 0));
      if (pending.size === 0) return;
      let stopListening = () => {};
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${pending.size} of ${phoneNumbers.length} users got no summary within ${timeoutMs} ms`)),
            timeoutMs,
          );
          stopListening = twilio.onSms((sms) => {
            if (isSummary(sms)) pending.delete(sms.to);
            if (pending.size > 0) return;
            clearTimeout(timer);
            resolve();
          });
        });
      } finally {
        stopListening();
      }
    },
    tally(phoneNumbers) {
      const usersBySummaryCount: Record<number, number> = {};
      let summaries = 0;
      for (const phoneNumber of phoneNumbers) {
        const count = stack.summariesTo(phoneNumber).length;
        summaries += count;
        usersBySummaryCount[count] = (usersBySummaryCount[count] ?? 0) + 1;
      }
      return { users: phoneNumbers.length, summaries, usersBySummaryCount };
    },
    reminderTally(phoneNumbers) {
      const usersByReminderCount: Record<number, number> = {};
      for (const phoneNumber of phoneNumbers) {
        const count = twilio.sent.filter((sms) => sms.to === phoneNumber && isReminder(sms)).length;
        usersByReminderCount[count] = (usersByReminderCount[count] ?? 0) + 1;
      }
      return usersByReminderCount;
    },
    async claimsOn(localDate) {
      const rows = await databases.todo
        .selectFrom("summary_claims")
        .select(["user_id", "reply_event_id"])
        // Compared as text: a Date would be shifted by the offset of the database server.
        .where((eb) => eb(eb.cast<string>("local_date", "text"), "=", localDate))
        .orderBy("user_id")
        .execute();
      return rows.map((row) => ({ userId: row.user_id, replyEventId: row.reply_event_id }));
    },
    async close() {
      const stops = [
        ...notifiers.splice(0).map((notifier) => notifier.app.stop()),
        ...processes.splice(0).map(async (child) => {
          // A graceful stop first; one that hangs (a test failed half-way) is cut short.
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), 5_000)));
          if ((await Promise.race([child.stop(), late])) === "late") child.kill();
          clearTimeout(timer);
          await child.exited;
        }),
      ];
      const results = await Promise.allSettled(stops);
      client.close();
      await domain.stop();
      await twilio.stop();
      await testTopology.remove();
      await urls.drop();
      await deleteKeys(redisUrl, `${namespace}*`);
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
  return stack;
}

/** todo-domain's client whose ClaimDueReminders (a round's first claim) first waits for the hook, when there is one. */
function heldTodoClient(client: todo.TodoServiceClient, hook: () => Promise<void> | undefined): NotifierDeps["todoClient"] {
  return {
    setSubscription: client.setSubscription.bind(client),
    claimDueSummaries: client.claimDueSummaries.bind(client),
    claimDueReminders: (request, metadata, callOptions, callback) => {
      Promise.resolve(hook()).then(
        () => client.claimDueReminders(request, metadata, callOptions, callback),
        (error: unknown) => callback(error as ServiceError, undefined as never),
      );
      // callUnary does not use the call object; the real call starts after the hook.
      return {} as ClientUnaryCall;
    },
    close: () => client.close(),
  };
}

async function deleteKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on("error", () => undefined);
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
