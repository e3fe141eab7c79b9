import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REPLY_LENGTH } from "@sms-todo/rules";
import { randomUUID } from "node:crypto";
import { todo } from "@sms-todo/contracts";
import { TEST_TWILIO, TwilioStandIn } from "@sms-todo/testkit";
import { characterCount } from "../src/replies/reply.pager.js";
import { NO_MORE_PAGES_REPLY } from "../src/replies/reply.phrases.js";
import {
  openTodo as open,
  startNotifier,
  testPhoneNumber,
  twilioEnv,
  twilioSender,
  watchLogs,
  type RunningNotifier,
} from "./notifier.test-harness.js";

const more: todo.Outcome["kind"] = { $case: "more", value: {} };

/** 24 todos: about 700 characters, three pages. */
const LIST_LINES = Array.from({ length: 24 }, (_, index) => `#${index + 1} todo number ${index + 1} to do`);
const longList: todo.Outcome["kind"] = {
  $case: "list",
  value: {
    todos: LIST_LINES.map((_, index) => open(index + 1, `todo number ${index + 1} to do`)),
    list: "",
    countOnly: false,
    due: todo.DueFilter.DUE_FILTER_UNSPECIFIED,
  },
};

const FOOTER = /\n\((\d+)\/(\d+)(?:, text "more" for the next)?\)$/;

function pageNumberOf(body: string | undefined): string | undefined {
  const footer = FOOTER.exec(body ?? "");
  return footer ? `${footer[1]}/${footer[2]}` : undefined;
}

function withoutFooter(body: string | undefined): string {
  return (body ?? "").replace(FOOTER, "");
}

describe("notifier paging long replies", () => {
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

  const bodiesTo = (phone: string) => standIn.sent.filter((sms) => sms.to === phone).map((sms) => sms.body);

  /** Publishes the outcome and resolves with the SMS bodies to phone once there are `count`. */
  async function replyAndWait(phone: string, kind: todo.Outcome["kind"], count: number, eventId?: string) {
    await notifier.publishReply(phone, kind, eventId);
    return (await standIn.waitForSms(phone, count)).map((sms) => sms.body);
  }

  it('when a list reply is longer than 320 characters, then page 1 arrives with its footer and each "more" brings the next page, then "No more pages"', async () => {
    const phone = testPhoneNumber();

    const [first] = await replyAndWait(phone, longList, 1);
    expect(first).toMatch(/^#1 todo number 1 to do\n[^]*\n\(1\/3, text "more" for the next\)$/);
    await replyAndWait(phone, more, 2);
    await replyAndWait(phone, more, 3);
    const bodies = await replyAndWait(phone, more, 4);

    expect(bodies.map(pageNumberOf)).toEqual(["1/3", "2/3", "3/3", undefined]);
    expect(bodies[2]).toMatch(/\n\(3\/3\)$/);
    expect(bodies[3]).toBe(NO_MORE_PAGES_REPLY);
    for (const body of bodies) expect(characterCount(body)).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    expect(bodies.slice(0, 3).map(withoutFooter).join("\n")).toBe(LIST_LINES.join("\n"));
  });

  it('when a "more" event is delivered again, then nothing new is sent and the next "more" brings the next page', async () => {
    const phone = testPhoneNumber();
    await replyAndWait(phone, longList, 1);
    const eventId = randomUUID();
    await replyAndWait(phone, more, 2, eventId);

    await notifier.publishReply(phone, more, eventId);
    await logs.waitFor((line) => line.eventId === eventId && line.msg === "reply already sent, skipping duplicate event");
    const bodies = await replyAndWait(phone, more, 3);

    expect(bodies.map(pageNumberOf)).toEqual(["1/3", "2/3", "3/3"]);
    expect(bodiesTo(phone)).toHaveLength(3);
  });

  it('when sending a page fails once, then the retry sends that same page and the next "more" the page after it', async () => {
    const phone = testPhoneNumber();
    await replyAndWait(phone, longList, 1);
    standIn.program({ kind: "status", status: 503, code: 20503, message: "Service Unavailable" });
    const eventId = randomUUID();

    await replyAndWait(phone, more, 2, eventId);
    await logs.waitFor((line) => line.eventId === eventId && line.msg === "reply sent");
    const bodies = await replyAndWait(phone, more, 3);

    expect(bodies.map(pageNumberOf)).toEqual(["1/3", "2/3", "3/3"]);
    const refused = logs.lines.find((line) => line.msg === "Twilio refused the SMS" && line.status === 503);
    expect(refused).toMatchObject({ kind: "more", retryable: true });
  });

  it('when two "more" texts are handled at once, then pages 2 and 3 each arrive once', async () => {
    const phone = testPhoneNumber();
    await replyAndWait(phone, longList, 1);

    await Promise.all([notifier.publishReply(phone, more), notifier.publishReply(phone, more)]);
    const bodies = (await standIn.waitForSms(phone, 3)).map((sms) => sms.body);

    expect(bodies.map(pageNumberOf).sort()).toEqual(["1/3", "2/3", "3/3"]);
  });

  it('when "more" comes with no long reply stored, then the reply says there are no more pages', async () => {
    const phone = testPhoneNumber();
    expect(await replyAndWait(phone, more, 1)).toEqual([NO_MORE_PAGES_REPLY]);
  });

  it("when a subscription outcome arrives, then no SMS is sent for it", async () => {
    const phone = testPhoneNumber();
    const eventId = await notifier.publishReply(phone, { $case: "subscription", value: { subscribed: false } });
    await logs.waitFor((line) => line.eventId === eventId && line.msg === "no SMS for this outcome");
    await replyAndWait(phone, { $case: "help", value: {} }, 1);

    expect(bodiesTo(phone)).toHaveLength(1);
    expect(bodiesTo(phone)[0]).toMatch(/^Text anything/);
  });
});
