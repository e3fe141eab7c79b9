import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { messaging, todo } from "@sms-todo/contracts";
import { deadLetterQueueOf } from "@sms-todo/shared";
import { captureLogs, fakeMessageSid, TEST_TWILIO, TwilioStandIn } from "@sms-todo/testkit";
import { LoggingSmsSender } from "../src/sms/logging-sms.sender.js";
import {
  openTodo as open,
  startNotifier,
  testPhoneNumber,
  twilioEnv,
  twilioSender,
  watchLogs,
  type RunningNotifier,
} from "./notifier.test-harness.js";

const MESSAGING_SERVICE_SID = `MG${"0".repeat(31)}7`;
const STATUS_CALLBACK = `${TEST_TWILIO.publicBaseUrl}/webhooks/twilio/status`;

const added = (...todos: Array<[number, string]>): todo.Outcome["kind"] => ({
  $case: "added",
  value: { todos: todos.map(([number, text]) => open(number, text)), heard: "" },
});

describe("notifier with Twilio credentials", () => {
  const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const logs = watchLogs();
  let notifier: RunningNotifier;

  beforeAll(async () => {
    await standIn.start();
    notifier = await startNotifier({ env: twilioEnv(standIn), logger: logs.logger, sender: twilioSender(logs) });
  });

  afterAll(async () => {
    await notifier?.close();
    await standIn.stop();
  });

  it("when a ReplyRequested is published, then one SMS with the rendered reply reaches Twilio", async () => {
    const phone = testPhoneNumber();
    await notifier.publishReply(phone, added([1, "buy milk"], [2, "eggs"]));

    const [sms] = await standIn.waitForSms(phone);
    expect(sms).toMatchObject({
      accountSid: TEST_TWILIO.accountSid,
      to: phone,
      from: TEST_TWILIO.from,
      messagingServiceSid: undefined,
      body: "Added #1 buy milk, #2 eggs",
      statusCallback: STATUS_CALLBACK,
    });
  });

  it("when the same event is published twice, then exactly one SMS is sent", async () => {
    const phone = testPhoneNumber();
    const eventId = await notifier.publishReply(phone, added([3, "call mom"]));
    await notifier.publishReply(phone, added([3, "call mom"]), eventId);
    const laterPhone = testPhoneNumber();
    await notifier.publishReply(laterPhone, added([1, "later"]));

    // Both copies are handled concurrently, so the later event alone does not prove the duplicate
    // was settled; the duplicate's own "skipping" line does, unless a second SMS comes first.
    let stopWatching = () => {};
    const secondSms = new Promise<void>((resolve) => {
      stopWatching = standIn.onSms(() => {
        if (standIn.sent.filter((item) => item.to === phone).length >= 2) resolve();
      });
    });
    const skipped = logs.waitFor(
      (line) => line.eventId === eventId && line.msg === "reply already sent, skipping duplicate event",
    );
    await Promise.race([skipped, secondSms]).finally(stopWatching);
    await standIn.waitForSms(laterPhone);
    const sent = await standIn.waitForSms(phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toBe("Added #3 call mom");
  });

  it("when Twilio answers 500 once, then the SMS still arrives exactly once", async () => {
    const phone = testPhoneNumber();
    standIn.program({ kind: "status", status: 500, code: 20500, message: "Internal Server Error" });
    const eventId = await notifier.publishReply(phone, {
      $case: "list",
      value: {
        todos: [open(1, "buy milk"), open(2, "eggs")],
        list: "",
        countOnly: false,
        due: todo.DueFilter.DUE_FILTER_UNSPECIFIED,
      },
    });

    const [sms] = await standIn.waitForSms(phone);
    await logs.waitFor((line) => line.eventId === eventId && line.msg === "reply sent");
    expect(sms?.body).toBe("#1 buy milk\n#2 eggs");
    expect(standIn.sent.filter((item) => item.to === phone)).toHaveLength(1);
    const refused = logs.lines.find((line) => line.msg === "Twilio refused the SMS" && line.status === 500);
    expect(refused).toMatchObject({ twilioCode: 20500, retryable: true });
  });

  it("when Twilio answers 400, then the event is dead-lettered and nothing is sent", async () => {
    const phone = testPhoneNumber();
    standIn.program({
      kind: "status",
      status: 400,
      code: 21211,
      message: `The 'To' number ${phone} is not a valid phone number.`,
    });
    const eventId = await notifier.publishReply(phone, { $case: "help", value: {} });

    const deadLetter = await notifier.waitForDeadLetter(deadLetterQueueOf(notifier.topology.queues.replies), eventId);
    expect(messaging.ReplyRequested.decode(deadLetter.content).eventId).toBe(eventId);
    expect(standIn.sent.filter((item) => item.to === phone)).toHaveLength(0);
    const refused = logs.lines.find((line) => line.msg === "Twilio refused the SMS" && line.twilioCode === 21211);
    expect(refused).toMatchObject({ status: 400, retryable: false });
    expect(logs.raw.filter((line) => line.includes(phone))).toEqual([]);
  });

  it("when a reply payload cannot be decoded, then it is dead-lettered", async () => {
    const messageId = randomUUID();
    await notifier.publishRawReply(Buffer.from([0xff, 0xff, 0xff]), messageId);

    const deadLetter = await notifier.waitForDeadLetter(deadLetterQueueOf(notifier.topology.queues.replies), messageId);
    expect(deadLetter.content).toEqual(Buffer.from([0xff, 0xff, 0xff]));
  });

  it("when a delivery status arrives, then it is logged with its sid, status and error code", async () => {
    const messageSid = fakeMessageSid();
    await notifier.publishStatus({ messageSid, accountSid: TEST_TWILIO.accountSid, status: "undelivered", errorCode: "30003" });

    const line = await logs.waitFor((candidate) => candidate.msg === "delivery status" && candidate.messageSid === messageSid);
    expect(line).toMatchObject({ status: "undelivered", errorCode: "30003" });
  });
});

describe("notifier sending through a Messaging Service", () => {
  const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const logs = watchLogs();
  let notifier: RunningNotifier;

  beforeAll(async () => {
    await standIn.start();
    notifier = await startNotifier({
      env: twilioEnv(standIn, MESSAGING_SERVICE_SID),
      logger: logs.logger,
      sender: twilioSender(logs),
    });
  });

  afterAll(async () => {
    await notifier?.close();
    await standIn.stop();
  });

  it("when TWILIO_FROM is an MG SID, then the SMS carries MessagingServiceSid and no From", async () => {
    const phone = testPhoneNumber();
    await notifier.publishReply(phone, {
      $case: "completed",
      value: { todos: [open(3, "call mom")], unknownNumbers: [], openNumbers: [] },
    });

    const [sms] = await standIn.waitForSms(phone);
    expect(sms).toMatchObject({ messagingServiceSid: MESSAGING_SERVICE_SID, from: undefined, body: "Done #3 call mom" });
    expect(sms?.statusCallback).toBe(STATUS_CALLBACK);
  });
});

describe("notifier without Twilio credentials", () => {
  const { logger, lines } = captureLogs("notifier");
  let notifier: RunningNotifier;
  let logged: Promise<void>;

  beforeAll(async () => {
    notifier = await startNotifier({
      env: {},
      logger,
      sender: () => {
        const sender = new LoggingSmsSender(logger);
        let done: () => void;
        logged = new Promise((resolve) => (done = resolve));
        return {
          async send(sms) {
            const result = await sender.send(sms);
            done();
            return result;
          },
        };
      },
    });
  });

  afterAll(async () => {
    await notifier?.close();
  });

  it("when a reply is due, then one log line stands for the SMS and no line shows the number or the text", async () => {
    const phone = testPhoneNumber();
    await notifier.publishReply(phone, added([1, "buy secret milk"]));
    await logged;

    const smsLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.component === "logging-sms-sender");
    expect(smsLines).toHaveLength(1);
    expect(smsLines[0]).toMatchObject({ level: "info", characters: "Added #1 buy secret milk".length, kind: "added" });
    expect(smsLines[0]?.to).toBe(`+${"*".repeat(9)}${phone.slice(-2)}`);
    const leaking = lines.filter((line) => line.includes(phone) || line.includes(phone.slice(1)) || line.includes("secret milk"));
    expect(leaking).toEqual([]);
  });
});
