import { randomBytes } from "node:crypto";
import { messaging } from "@sms-todo/contracts";
import { fakeMessageSid, TEST_TWILIO } from "@sms-todo/testkit";
import { isSuccess } from "../ledger/message.ledger.js";
import { beginScenario, describeAnswers, finishScenario, formatCount, sendMessages, type ScenarioRun } from "./scenario.steps.js";
import type { Scenario, ScenarioContext } from "./scenario.types.js";

type PoisonKind =
  "text undecodable" | "text without sender" | "text that always fails" | "audio undecodable" | "audio without sender";
const KINDS: readonly PoisonKind[] = [
  "text undecodable",
  "text without sender",
  "text that always fails",
  "audio undecodable",
  "audio without sender",
];

interface Poison {
  id: string;
  kind: PoisonKind;
  queue: string;
  body: Buffer;
}

/** Field 0 with wire type 7 does not exist in protobuf: no decoder can read past the first byte. */
function undecodable(): Buffer {
  return Buffer.concat([Buffer.from([0x07]), randomBytes(24)]);
}

function inbound(message: Partial<messaging.InboundMessage>): Buffer {
  return Buffer.from(messaging.InboundMessage.encode(messaging.InboundMessage.fromPartial(message)).finish());
}

function poisonOf(context: ScenarioContext, run: ScenarioRun, kind: PoisonKind, index: number, from: string): Poison {
  const { queues } = context.chaos.stack.topology.topology;
  const key = `poison-${kind.replace(/ /g, "-")}-${index}`;
  switch (kind) {
    case "text undecodable":
      return { id: key, kind, queue: queues.text, body: undecodable() };
    case "audio undecodable":
      return { id: key, kind, queue: queues.audio, body: undecodable() };
    case "text without sender":
      return {
        id: key,
        kind,
        queue: queues.text,
        body: inbound({ messageSid: fakeMessageSid(), body: `chaos ${run.ledger.key}p ${index}` }),
      };
    case "audio without sender":
      return {
        id: key,
        kind,
        queue: queues.audio,
        body: inbound({
          messageSid: fakeMessageSid(),
          media: [{ url: `${context.chaos.stack.twilio.baseUrl}/none`, contentType: "audio/amr" }],
        }),
      };
    case "text that always fails": {
      // Postgres refuses a NUL character in text: a well-formed message whose todo can never be stored.
      const text = `chaos ${run.ledger.key}n ${index}`;
      const messageSid = fakeMessageSid();
      run.ledger.add({
        text,
        messageSid,
        from,
        kind: "text",
        expectation: "dead-lettered",
        webhook: { body: "", signature: "", messageSid },
      });
      return {
        id: messageSid,
        kind,
        queue: queues.text,
        body: inbound({
          messageSid,
          accountSid: TEST_TWILIO.accountSid,
          from,
          to: TEST_TWILIO.from,
          body: `${text}\u0000`,
          channel: messaging.Channel.CHANNEL_SMS,
        }),
      };
    }
  }
}

/**
 * SPEC 6: poison messages land in a dead-letter queue after a bounded number of attempts and do
 * not stall the others. Published straight to the text and audio queues: bytes no decoder reads,
 * well-formed messages without a sender, and a well-formed text whose todo can never be stored
 * (a NUL character, which Postgres refuses), which fails on every attempt. Right after them come
 * good webhooks, each of which must be answered within --s5-stall-seconds.
 */
export const poisonMessageScenario: Scenario = {
  number: 5,
  title: "poison messages dead-lettered without stalling good ones",
  async run(context) {
    const { perKind, good, rate, stallSeconds } = context.config.poison;
    const { chaos } = context;
    const run = beginScenario(context, 5);
    const deliveryLimit = chaos.stack.topology.topology.deliveryLimit;
    const sizes =
      `${formatCount(perKind * KINDS.length)} poison messages (${perKind} of each of ${KINDS.length} kinds) straight into the text and audio queues, ` +
      `then ${formatCount(good)} good webhooks at ${rate}/s, each to be answered within ${stallSeconds} s`;
    context.progress(`[5] ${sizes}`);

    const senders = chaos.phoneNumbers.numbers(5, perKind);
    const poison = KINDS.flatMap((kind) =>
      Array.from({ length: perKind }, (_, index) => poisonOf(context, run, kind, index, senders[index]!)),
    );
    for (const message of poison) {
      await chaos.broker.publishToQueue(message.queue, message.body, {
        messageId: message.id,
        type: "messaging.v1.InboundMessage",
        contentType: "application/x-protobuf",
      });
    }
    const sent = await sendMessages(context, run, { messages: good, rate });
    const poisonIds = new Set(poison.map((message) => message.id));
    const deadLettered = () => {
      const count = new Map<string, number>();
      for (const letter of chaos.deadLetters.since(run.deadLetterOffset)) {
        if (letter.messageId && poisonIds.has(letter.messageId))
          count.set(letter.messageId, (count.get(letter.messageId) ?? 0) + 1);
      }
      return count;
    };
    context.progress(`[5] ${describeAnswers(sent)}; waiting for the poison to reach the dead-letter queues`);
    const outcome = await finishScenario(context, run, this, sizes, {
      expectedDeadLetters: poisonIds,
      pending: () => {
        const missing = poison.length - deadLettered().size;
        return missing > 0 ? `${missing} poison messages not dead-lettered yet` : undefined;
      },
      details: [describeAnswers(sent)],
    });

    const letters = deadLettered();
    const attemptsBound = deliveryLimit + 1;
    const perKindLines: string[] = [];
    for (const kind of KINDS) {
      const ofKind = poison.filter((message) => message.kind === kind);
      const attempts = ofKind.map((message) => chaos.logs.failedCount(message.id));
      const notDead = ofKind.filter((message) => !letters.has(message.id)).length;
      const twice = ofKind.filter((message) => (letters.get(message.id) ?? 0) > 1).length;
      const unbounded = attempts.filter((count) => count > attemptsBound).length;
      outcome.counts.unexpected += notDead + twice + unbounded;
      if (notDead > 0) outcome.details.unshift(`unexpected: ${notDead} × ${kind} not in a dead-letter queue`);
      if (twice > 0) outcome.details.unshift(`unexpected: ${twice} × ${kind} dead-lettered more than once`);
      if (unbounded > 0) outcome.details.unshift(`unexpected: ${unbounded} × ${kind} tried more than ${attemptsBound} times`);
      perKindLines.push(
        `${kind}: ${ofKind.length - notDead}/${ofKind.length} dead-lettered after ${Math.min(...attempts)}–${Math.max(...attempts)} attempts`,
      );
    }
    outcome.counts.sent += poison.length;

    const goodEntries = run.ledger.entries.filter((entry) => entry.expectation === "accepted" && entry.statuses.some(isSuccess));
    const answerSeconds = goodEntries
      .filter((entry) => entry.repliedAt !== undefined)
      .map((entry) => (entry.repliedAt! - entry.sentAt) / 1000);
    const stalled = answerSeconds.filter((seconds) => seconds > stallSeconds).length;
    outcome.counts.unexpected += stalled;
    if (stalled > 0) outcome.details.unshift(`unexpected: ${stalled} × good message answered later than ${stallSeconds} s`);
    outcome.details.push(
      ...perKindLines,
      `good messages: slowest reply ${Math.max(0, ...answerSeconds).toFixed(1)} s after sending (bound ${stallSeconds} s)`,
    );
    return outcome;
  },
};
