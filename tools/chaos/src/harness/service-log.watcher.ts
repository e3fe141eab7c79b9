import { performance } from "node:perf_hooks";

/** A delivery the worker finished: the text consumer dispatched it, or the voice consumer handled it. */
const HANDLED = ['"msg":"command dispatched"', '"msg":"voice note handled"'];
const FAILED = '"msg":"delivery failed"';
/** Lines that mean work is still moving through the stack. */
const ACTIVITY = [...HANDLED, FAILED, '"msg":"reply sent"', '"msg":"reply already sent, skipping duplicate event"'];

interface LogFields {
  messageId?: unknown;
}

/**
 * Follows the services' own log lines for what a harness cannot see from outside: how often
 * each message was handled and how often its handling failed (every attempt of a poison
 * message is one failed delivery), and when the stack last did any work.
 */
export class ServiceLogWatcher {
  private readonly handled = new Map<string, number>();
  private readonly failed = new Map<string, number>();
  private lastActivity = performance.now();

  observe(line: string): void {
    if (!ACTIVITY.some((marker) => line.includes(marker))) return;
    this.lastActivity = performance.now();
    let fields: LogFields;
    try {
      fields = JSON.parse(line) as LogFields;
    } catch {
      return;
    }
    if (typeof fields.messageId !== "string") return;
    if (HANDLED.some((marker) => line.includes(marker))) increment(this.handled, fields.messageId);
    else if (line.includes(FAILED)) increment(this.failed, fields.messageId);
  }

  /** Deliveries of this message a worker finished (a redelivery of a finished message counts again). */
  handledCount(messageId: string): number {
    return this.handled.get(messageId) ?? 0;
  }

  /** Failed deliveries of this message: attempts that were retried or dead-lettered. */
  failedCount(messageId: string): number {
    return this.failed.get(messageId) ?? 0;
  }

  /** Milliseconds since a worker last handled, failed or answered a message. */
  idleMs(): number {
    return performance.now() - this.lastActivity;
  }

  /** Marks now as activity, e.g. when the harness itself just sent something. */
  touch(): void {
    this.lastActivity = performance.now();
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
