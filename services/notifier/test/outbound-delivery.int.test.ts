import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { status } from "@grpc/grpc-js";
import { deadLetterQueueOf } from "@sms-todo/shared";
import { TEST_TWILIO, TwilioStandIn, withAmqpChannel } from "@sms-todo/testkit";
import { startFakeTodoService, type FakeTodoService } from "./fake-todo-service.server.js";
import { startNotifier, testPhoneNumber, twilioEnv, watchLogs, type RunningNotifier } from "./notifier.test-harness.js";

const help: todo.Outcome["kind"] = { $case: "help", value: {} };

async function deadLetterCount(notifier: RunningNotifier): Promise<number> {
  const { messageCount } = await withAmqpChannel((channel) =>
    channel.checkQueue(deadLetterQueueOf(notifier.topology.queues.replies)),
  );
  return messageCount;
}

describe("notifier delivering replies through a failing Twilio", () => {
  const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const logs = watchLogs();
  let todoService: FakeTodoService;
  let notifier: RunningNotifier;

  const sentTo = (phone: string) => standIn.sent.filter((sms) => sms.to === phone);
  const replySent = (eventId: string) => logs.waitFor((line) => line.eventId === eventId && line.msg === "reply sent");

  beforeAll(async () => {
    await standIn.start();
    todoService = await startFakeTodoService();
    notifier = await startNotifier({
      env: { ...twilioEnv(standIn), SMS_RATE_PER_SECOND: "10" },
      logger: logs.logger,
      // The real sender (rate limit, doubts in Redis), with a short timeout; failures of one test must not open the
      // circuit for the next, the breaker has its own tests.
      twilioSender: { timeoutMs: 300, breaker: { volumeThreshold: 1_000 } },
      todoClient: todoService.client(),
    });
  });

  afterAll(async () => {
    await notifier?.close();
    await todoService?.stop();
    await standIn.stop();
  });

  it("when Twilio answers 429 once, then exactly one SMS is sent", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "status", status: 429, code: 20429, message: "Too Many Requests", retryAfter: "0" });

    const eventId = await notifier.publishReply(phone, help);

    await replySent(eventId);
    expect(sentTo(phone)).toHaveLength(1);
  });

  it("when Twilio answers 500 twice, then exactly one SMS is sent", async () => {
    const phone = testPhoneNumber();
    const failure = { kind: "status", status: 500, code: 20500, message: "Internal Server Error" } as const;
    standIn.program(failure, failure);

    const eventId = await notifier.publishReply(phone, help);

    await replySent(eventId);
    expect(sentTo(phone)).toHaveLength(1);
    expect(standIn.messageRequests.filter((request) => request.to === phone)).toHaveLength(3);
  });

  it("when Twilio refuses the number (400, 21211), then the event is dead-lettered without a retry or an SMS", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "status", status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });

    const eventId = await notifier.publishReply(phone, help);

    const deadLetter = await notifier.waitForDeadLetter(deadLetterQueueOf(notifier.topology.queues.replies), eventId);
    expect(messaging.ReplyRequested.decode(deadLetter.content).eventId).toBe(eventId);
    expect(sentTo(phone)).toHaveLength(0);
    expect(standIn.messageRequests.filter((request) => request.to === phone)).toHaveLength(1);
  });

  it("when Twilio reports the recipient unsubscribed (21610), then todo-domain opts them out once and the event is done", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "status", status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });

    const eventId = await notifier.publishReply(phone, help);
    await logs.waitFor(
      (line) => line.eventId === eventId && line.msg === "recipient unsubscribed at Twilio: opt-out recorded, no SMS sent",
    );
    // The same event again (an outbox duplicate) finds it done.
    await notifier.publishReply(phone, help, eventId);
    await logs.waitFor((line) => line.eventId === eventId && line.msg === "reply already sent, skipping duplicate event");

    const calls = todoService.subscriptionCalls.filter((call) => call.request.context?.phoneNumber === phone);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.request.subscribed).toBe(false);
    expect(call?.request.context?.idempotencyKey).toBe(`twilio-21610:${eventId}`);
    expect(call?.request.context?.messageId).toMatch(/^SM/);
    expect(call?.metadata.get("x-correlation-id")).toEqual([call?.request.context?.messageId]);
    expect(sentTo(phone)).toHaveLength(0);
    expect(await deadLetterCount(notifier)).toBe(0);
  });

  it("when Twilio reports 21610 and todo-domain is unavailable, then the delivery is retried until the opt-out is recorded", async () => {
    const phone = testPhoneNumber();
    standIn.program(
      { kind: "status", status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" },
      { kind: "status", status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" },
    );
    todoService.failNext(status.UNAVAILABLE);

    const eventId = await notifier.publishReply(phone, help);

    await logs.waitFor(
      (line) => line.eventId === eventId && line.msg === "recipient unsubscribed at Twilio: opt-out recorded, no SMS sent",
    );
    const calls = todoService.subscriptionCalls.filter((call) => call.request.context?.phoneNumber === phone);
    expect(calls.map((call) => call.request.context?.idempotencyKey)).toEqual([
      `twilio-21610:${eventId}`,
      `twilio-21610:${eventId}`,
    ]);
    expect(sentTo(phone)).toHaveLength(0);
  });

  it("when Twilio created the reply but never answered, then reconciliation finds it and it is not resent", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "create-then-hang" });

    const eventId = await notifier.publishReply(phone, help);

    const line = await replySent(eventId);
    const sent = sentTo(phone);
    expect(sent).toHaveLength(1);
    expect(line.messageSid).toBe(sent[0]?.sid);
    expect(standIn.messageRequests.filter((request) => request.to === phone)).toHaveLength(1);
  });

  it("when the request hung and Twilio never created the reply, then it is sent exactly once more", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "hang" });

    const eventId = await notifier.publishReply(phone, help);

    await replySent(eventId);
    expect(sentTo(phone)).toHaveLength(1);
    expect(standIn.messageRequests.filter((request) => request.to === phone)).toHaveLength(2);
    expect(standIn.listRequests.filter((query) => query.get("To") === phone)).toHaveLength(1);
  });
});

describe("notifier while Twilio is down long enough to open the circuit", () => {
  const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const logs = watchLogs();
  let todoService: FakeTodoService;
  let notifier: RunningNotifier;

  beforeAll(async () => {
    await standIn.start();
    todoService = await startFakeTodoService();
    notifier = await startNotifier({
      env: { ...twilioEnv(standIn), SMS_RATE_PER_SECOND: "100" },
      logger: logs.logger,
      twilioSender: { timeoutMs: 300, breaker: { volumeThreshold: 3, resetTimeoutMs: 500 } },
      todoClient: todoService.client(),
    });
  });

  afterAll(async () => {
    await notifier?.close();
    await todoService?.stop();
    await standIn.stop();
  });

  it("when sends fail until the circuit opens, then the deliveries are retried later and every reply arrives once", async () => {
    standIn.outage({ kind: "status", status: 503, code: 20503, message: "Service Unavailable" });
    const phones = Array.from({ length: 6 }, () => testPhoneNumber());
    let eventIds: string[];
    try {
      const opened = logs.waitFor((line) => line.msg === "Twilio circuit opened: sends fail fast and are retried later");
      eventIds = await Promise.all(phones.map((phone) => notifier.publishReply(phone, help)));
      await opened;
      await logs.waitFor((line) => line.msg === "Twilio circuit open, failing fast");
    } finally {
      standIn.outage();
    }

    await Promise.all(
      eventIds.map((eventId) => logs.waitFor((line) => line.eventId === eventId && line.msg === "reply sent", 20_000)),
    );
    for (const phone of phones) expect(standIn.sent.filter((sms) => sms.to === phone)).toHaveLength(1);
    expect(await deadLetterCount(notifier)).toBe(0);
    const retried = logs.lines.filter((line) => line.msg === "delivery failed" && line.retry === true);
    expect(retried.length).toBeGreaterThan(0);
  });
});
