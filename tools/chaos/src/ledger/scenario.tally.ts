import type { SentSms } from "@sms-todo/testkit";
import type { DeadLetter } from "../harness/dead-letter.collector.js";
import type { StackSnapshot } from "../harness/stack-state.reader.js";
import { isSuccess, textTokenOf, wasAccepted, type LedgerEntry, type MessageLedger } from "./message.ledger.js";

/** The row every scenario prints. */
export interface Counts {
  /** Webhooks posted (replays included) or messages published. */
  sent: number;
  /** Posts answered 2xx. */
  acknowledged: number;
  /** Accepted messages without their todo or without their reply. */
  lost: number;
  /** Messages with more than one todo, reply or audit event. */
  duplicated: number;
  /** Anything else that should not be: todos and replies nobody sent, wrong answers, a crashed service. */
  unexpected: number;
}

export interface Tally {
  counts: Counts;
  /** One line per kind of problem, with how many; empty when every count is as it should be. */
  details: string[];
}

/** Effects already counted, so a late one (a duplicate after its scenario ended) is caught by the next scenario. */
export class EffectMemory {
  readonly ledgers: MessageLedger[] = [];
  private readonly seen = new Map<string, { todos: number; replies: number }>();
  private unknownTodosSeen = 0;

  remember(text: string, todos: number, replies: number): void {
    this.seen.set(text, { todos, replies });
  }

  seenOf(text: string): { todos: number; replies: number } | undefined {
    return this.seen.get(text);
  }

  /** Todos nobody sent that have not been reported yet. */
  newUnknownTodos(total: number): number {
    const fresh = Math.max(0, total - this.unknownTodosSeen);
    this.unknownTodosSeen = total;
    return fresh;
  }

  entryOf(text: string): { ledger: MessageLedger; entry: LedgerEntry } | undefined {
    for (const ledger of this.ledgers) {
      const entry = ledger.byTodoText(text);
      if (entry) return { ledger, entry };
    }
    return undefined;
  }
}

export interface TallyInput {
  ledger: MessageLedger;
  memory: EffectMemory;
  snapshot: StackSnapshot;
  /** Every SMS the Twilio stand-in accepted since the scenario started. */
  replies: readonly SentSms[];
  /** Every dead letter since the scenario started. */
  deadLetters: readonly DeadLetter[];
  /** Message ids that are meant to be dead-lettered (poison); others in a dead-letter queue are problems. */
  expectedDeadLetters?: ReadonlySet<string>;
}

class Problems {
  private readonly counts = new Map<string, number>();

  add(what: string, count = 1): void {
    if (count > 0) this.counts.set(what, (this.counts.get(what) ?? 0) + count);
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  lines(): string[] {
    return [...this.counts].map(([what, count]) => `${count.toLocaleString("en-US")} × ${what}`);
  }
}

/**
 * Counts one scenario from what the stack holds: its todos and audit events, the SMS the
 * Twilio stand-in received and the dead-letter queues, against what the harness sent.
 */
export function tallyScenario(input: TallyInput): Tally {
  const { ledger, memory, snapshot } = input;
  if (!memory.ledgers.includes(ledger)) memory.ledgers.push(ledger);
  const lost = new Problems();
  const duplicated = new Problems();
  const unexpected = new Problems();

  const todosByText = new Map<string, number>();
  let unknownTodos = 0;
  for (const todo of snapshot.todos) {
    const owner = memory.entryOf(todo.text);
    if (!owner) {
      unknownTodos += 1;
      continue;
    }
    todosByText.set(todo.text, (todosByText.get(todo.text) ?? 0) + 1);
    if (owner.entry.from !== todo.phoneNumber && owner.ledger === ledger) unexpected.add("todo stored for another user");
  }
  unexpected.add("todo nobody sent", memory.newUnknownTodos(unknownTodos));

  const repliesByText = new Map<string, number>();
  for (const sms of input.replies) {
    const token = textTokenOf(sms.body);
    const owner = token === undefined ? undefined : memory.entryOf(token);
    if (!owner || token === undefined) {
      unexpected.add("SMS that answers no message of the harness");
      continue;
    }
    if (owner.entry.from !== sms.to) {
      unexpected.add("reply sent to another number than the sender's");
      continue;
    }
    repliesByText.set(token, (repliesByText.get(token) ?? 0) + 1);
  }

  const deadLetterIds = new Set<string>();
  const ownDeadLetters = new Problems();
  for (const letter of input.deadLetters) {
    const id = letter.correlationId ?? letter.messageId;
    if (id !== undefined) deadLetterIds.add(id);
    if (letter.messageId !== undefined) deadLetterIds.add(letter.messageId);
    const expected = [letter.messageId, letter.correlationId].some((value) => value && input.expectedDeadLetters?.has(value));
    if (expected) continue;
    const owner = [letter.messageId, letter.correlationId].some((value) => value && ledger.byMessageSid(value));
    const deadQueue = `${letter.queue.split(".").slice(-1)[0]}.dead`;
    if (owner) ownDeadLetters.add(`${deadQueue} (${letter.reason ?? "no reason given"})`);
    else unexpected.add(`message nobody sent in ${deadQueue}`);
  }

  let lostCount = 0;
  let duplicatedCount = 0;
  for (const entry of ledger.entries) {
    const todos = todosByText.get(entry.text) ?? 0;
    const replies = (memory.seenOf(entry.text)?.replies ?? 0) + (repliesByText.get(entry.text) ?? 0);
    const audits = snapshot.auditEventsByMessage.get(entry.messageSid) ?? 0;
    memory.remember(entry.text, todos, replies);
    for (const status of entry.statuses) {
      if (entry.expectation === "accepted" && !isSuccess(status)) {
        unexpected.add(status === undefined ? "webhook without an answer" : `webhook answered ${status}`);
      }
      if (entry.expectation === "forbidden" && status !== 403) unexpected.add(`forged webhook answered ${status ?? "nothing"}`);
      if (entry.expectation === "refused" && (status === undefined || status < 400 || status >= 500)) {
        unexpected.add(`malformed webhook answered ${status ?? "nothing"}`);
      }
    }
    if (entry.expectation !== "accepted") {
      if (todos > 0 || replies > 0) {
        unexpected.add(
          `${entry.expectation === "dead-lettered" ? "poison message" : "refused webhook"} that was stored or answered`,
        );
      }
      continue;
    }
    if (wasAccepted(entry) && (todos === 0 || replies === 0)) {
      lostCount += 1;
      const deadLettered = deadLetterIds.has(entry.messageSid) ? ", dead-lettered" : "";
      const what = `accepted ${entry.kind === "voice" ? "voice note" : "text"}`;
      if (todos === 0 && replies === 0) lost.add(`${what}, no todo and no reply${deadLettered}`);
      else if (todos === 0) lost.add(`${what}, reply but no todo${deadLettered}`);
      else lost.add(`${what}, todo but no reply${deadLettered}`);
    }
    if (todos > 1 || replies > 1 || audits > 1) duplicatedCount += 1;
    if (todos > 1) duplicated.add("more than one todo");
    if (replies > 1) duplicated.add("more than one reply");
    if (audits > 1) duplicated.add("more than one audit event");
  }

  // Effects that appeared after an earlier scenario was counted.
  for (const earlier of memory.ledgers) {
    if (earlier === ledger) continue;
    for (const entry of earlier.entries) {
      const before = memory.seenOf(entry.text);
      const todos = todosByText.get(entry.text) ?? 0;
      const replies = (before?.replies ?? 0) + (repliesByText.get(entry.text) ?? 0);
      if (before && (todos > before.todos || replies > before.replies)) {
        unexpected.add(`late todo or reply to a message of scenario ${earlier.key}`);
      }
      memory.remember(entry.text, todos, replies);
    }
  }

  return {
    counts: {
      sent: ledger.posts,
      acknowledged: ledger.acknowledgedPosts,
      lost: lostCount,
      duplicated: duplicatedCount,
      unexpected: unexpected.total,
    },
    details: [
      ...lost.lines().map((line) => `lost: ${line}`),
      ...duplicated.lines().map((line) => `duplicated: ${line}`),
      ...unexpected.lines().map((line) => `unexpected: ${line}`),
      ...ownDeadLetters.lines().map((line) => `note: dead-lettered messages or reply events of this scenario: ${line}`),
    ],
  };
}
