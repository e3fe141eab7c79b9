import { describe, expect, it } from "vitest";
import type { SentSms } from "@sms-todo/testkit";
import type { DeadLetter } from "../src/harness/dead-letter.collector.js";
import type { StackSnapshot, StoredTodo } from "../src/harness/stack-state.reader.js";
import { MessageLedger, type Expectation } from "../src/ledger/message.ledger.js";
import { EffectMemory, tallyScenario } from "../src/ledger/scenario.tally.js";

const ALICE = "+15551000001";
const BOB = "+15551000002";

function ledgerWith(
  key: string,
  messages: Array<{ text: string; from?: string; statuses?: Array<number | undefined>; expectation?: Expectation }>,
): MessageLedger {
  const ledger = new MessageLedger(key);
  messages.forEach((message, index) => {
    const entry = ledger.add({
      text: message.text,
      messageSid: `SM${key}${index}`,
      from: message.from ?? ALICE,
      kind: "text",
      expectation: message.expectation ?? "accepted",
      webhook: { body: "", signature: "", messageSid: `SM${key}${index}` },
    });
    entry.statuses.push(...(message.statuses ?? [200]));
  });
  return ledger;
}

function snapshot(todos: StoredTodo[], audits: Array<[string, number]> = []): StackSnapshot {
  return { todos, auditEventsByMessage: new Map(audits), transcriptsByMessage: new Map() };
}

function reply(to: string, body: string): SentSms {
  return {
    sid: "SMx",
    accountSid: "AC",
    to,
    from: undefined,
    messagingServiceSid: undefined,
    body,
    statusCallback: undefined,
    receivedAt: 0,
  };
}

function tally(
  ledger: MessageLedger,
  todos: StoredTodo[],
  replies: SentSms[],
  options: { memory?: EffectMemory; audits?: Array<[string, number]>; deadLetters?: DeadLetter[] } = {},
) {
  return tallyScenario({
    ledger,
    memory: options.memory ?? new EffectMemory(),
    snapshot: snapshot(todos, options.audits),
    replies,
    deadLetters: options.deadLetters ?? [],
  });
}

describe("counting a scenario", () => {
  it("when every accepted message has one todo and one reply, then nothing is lost, duplicated or unexpected", () => {
    const ledger = ledgerWith("s1", [{ text: "chaos s1 0" }, { text: "chaos s1 1", from: BOB }]);
    const { counts, details } = tally(
      ledger,
      [
        { text: "chaos s1 0", phoneNumber: ALICE },
        { text: "chaos s1 1", phoneNumber: BOB },
      ],
      [reply(ALICE, "Added #1 chaos s1 0"), reply(BOB, "Added #1 chaos s1 1")],
    );
    expect(counts).toEqual({ sent: 2, acknowledged: 2, lost: 0, duplicated: 0, unexpected: 0 });
    expect(details).toEqual([]);
  });

  it("when an accepted message has its todo but no reply, and its reply event was dead-lettered, then it is lost and says so", () => {
    const ledger = ledgerWith("s2", [{ text: "chaos s2 0" }]);
    const { counts, details } = tally(ledger, [{ text: "chaos s2 0", phoneNumber: ALICE }], [], {
      deadLetters: [{ queue: "x.sms-todo.replies", messageId: "event-1", correlationId: "SMs20", reason: "delivery_limit" }],
    });
    expect(counts.lost).toBe(1);
    expect(details).toContain("lost: 1 × accepted text, todo but no reply, dead-lettered");
  });

  it("when a message has two todos, two replies and two audit events, then it is one duplicated message", () => {
    const ledger = ledgerWith("s4", [{ text: "chaos s4 0", statuses: [200, 200, 200, 200] }]);
    const todo = { text: "chaos s4 0", phoneNumber: ALICE };
    const { counts } = tally(ledger, [todo, todo], [reply(ALICE, "Added #1 chaos s4 0"), reply(ALICE, "Added #2 chaos s4 0")], {
      audits: [["SMs40", 2]],
    });
    expect(counts).toMatchObject({ sent: 4, acknowledged: 4, lost: 0, duplicated: 1 });
  });

  it("when a webhook that must be accepted is answered 503 or not at all, then each such answer is unexpected", () => {
    const ledger = ledgerWith("s1", [
      { text: "chaos s1 0", statuses: [503] },
      { text: "chaos s1 1", statuses: [undefined] },
    ]);
    const { counts, details } = tally(ledger, [], []);
    expect(counts).toMatchObject({ acknowledged: 0, lost: 0, unexpected: 2 });
    expect(details).toEqual(["unexpected: 1 × webhook answered 503", "unexpected: 1 × webhook without an answer"]);
  });

  it("when a forged webhook is answered 200 and stored, then both count as unexpected", () => {
    const ledger = ledgerWith("s7", [{ text: "chaos s7 0", statuses: [200], expectation: "forbidden" }]);
    const { counts } = tally(ledger, [{ text: "chaos s7 0", phoneNumber: ALICE }], []);
    expect(counts.unexpected).toBe(2);
  });

  it("when a todo and an SMS nobody sent appear, then each is unexpected, and the todo is not counted again later", () => {
    const memory = new EffectMemory();
    const stranger = { text: "buy milk", phoneNumber: BOB };
    const first = tally(
      ledgerWith("s1", [{ text: "chaos s1 0" }]),
      [stranger, { text: "chaos s1 0", phoneNumber: ALICE }],
      [reply(ALICE, "Added #1 chaos s1 0"), reply(BOB, "Added #1 buy milk")],
      { memory },
    );
    expect(first.counts.unexpected).toBe(2);
    const second = tally(
      ledgerWith("s2", [{ text: "chaos s2 0" }]),
      [stranger, { text: "chaos s1 0", phoneNumber: ALICE }, { text: "chaos s2 0", phoneNumber: ALICE }],
      [reply(ALICE, "Added #2 chaos s2 0")],
      { memory },
    );
    expect(second.counts.unexpected).toBe(0);
  });

  it("when a reply goes to another number than the sender's, then it is unexpected and not the message's reply", () => {
    const { counts } = tally(
      ledgerWith("s1", [{ text: "chaos s1 0" }]),
      [{ text: "chaos s1 0", phoneNumber: ALICE }],
      [reply(BOB, "Added #1 chaos s1 0")],
    );
    expect(counts).toMatchObject({ lost: 1, unexpected: 1 });
  });

  it("when an earlier scenario's message gets a second reply later, then the later scenario counts it as unexpected", () => {
    const memory = new EffectMemory();
    const todo = { text: "chaos s1 0", phoneNumber: ALICE };
    tally(ledgerWith("s1", [{ text: "chaos s1 0" }]), [todo], [reply(ALICE, "Added #1 chaos s1 0")], { memory });
    const later = tally(ledgerWith("s2", []), [todo], [reply(ALICE, "Added #1 chaos s1 0")], { memory });
    expect(later.details).toEqual(["unexpected: 1 × late todo or reply to a message of scenario s1"]);
  });

  it("when a poison message is dead-lettered and expected there, then it is not unexpected; a stranger in a dead-letter queue is", () => {
    const ledger = ledgerWith("s5", [{ text: "chaos s5n 0", statuses: [], expectation: "dead-lettered" }]);
    const result = tallyScenario({
      ledger,
      memory: new EffectMemory(),
      snapshot: snapshot([]),
      replies: [],
      deadLetters: [
        { queue: "x.sms-todo.text", messageId: "poison-1", correlationId: undefined, reason: "rejected" },
        { queue: "x.sms-todo.text", messageId: "someone-else", correlationId: undefined, reason: "rejected" },
      ],
      expectedDeadLetters: new Set(["poison-1"]),
    });
    expect(result.details).toEqual(["unexpected: 1 × message nobody sent in text.dead"]);
  });
});
