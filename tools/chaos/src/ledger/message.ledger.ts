import type { SignedWebhook } from "@sms-todo/testkit";

/**
 * What must become of a message: accepted (2xx, then exactly one todo and one reply), forbidden
 * (403, no effect), refused (another 4xx, no effect), or dead-lettered (a poison message
 * published straight to a queue: no effect, one dead letter).
 */
export type Expectation = "accepted" | "forbidden" | "refused" | "dead-lettered";

export interface LedgerEntry {
  /** The todo text it carries, "chaos <scenario> <n>": unique in the run, so todos and replies map back to it. */
  text: string;
  messageSid: string;
  from: string;
  kind: "text" | "voice";
  expectation: Expectation;
  webhook: SignedWebhook;
  /** performance.now() when it was first posted. */
  sentAt: number;
  /** The HTTP status of every post of it (replays included); undefined for a post that got no answer. */
  statuses: Array<number | undefined>;
  /** performance.now() when its first reply reached the Twilio stand-in. */
  repliedAt?: number;
}

// "chaos s1 12" in a todo or a reply; the digits end the token.
const TEXT_TOKEN = /chaos [a-z0-9]+ \d+(?!\d)/i;

/** The harness's todo text inside a todo or an SMS, if any. */
export function textTokenOf(value: string): string | undefined {
  return TEXT_TOKEN.exec(value)?.[0];
}

export function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** Every webhook one scenario sent, by todo text and by MessageSid. */
export class MessageLedger {
  readonly entries: LedgerEntry[] = [];
  private readonly byText = new Map<string, LedgerEntry>();
  private readonly bySid = new Map<string, LedgerEntry>();

  constructor(
    /** The scenario's key inside every todo text, e.g. "s1". */
    readonly key: string,
  ) {}

  add(entry: Omit<LedgerEntry, "statuses" | "sentAt">): LedgerEntry {
    const full: LedgerEntry = { ...entry, statuses: [], sentAt: 0 };
    this.entries.push(full);
    this.byText.set(full.text, full);
    this.bySid.set(full.messageSid, full);
    return full;
  }

  byTodoText(text: string): LedgerEntry | undefined {
    return this.byText.get(text);
  }

  byMessageSid(messageSid: string): LedgerEntry | undefined {
    return this.bySid.get(messageSid);
  }

  /** Posts of every webhook, replays included. */
  get posts(): number {
    return this.entries.reduce((sum, entry) => sum + entry.statuses.length, 0);
  }

  /** Posts answered 2xx. */
  get acknowledgedPosts(): number {
    return this.entries.reduce((sum, entry) => sum + entry.statuses.filter(isSuccess).length, 0);
  }
}

/** Whether ingress took the webhook at least once: then exactly one effect must follow. */
export function wasAccepted(entry: LedgerEntry): boolean {
  return entry.statuses.some(isSuccess);
}
