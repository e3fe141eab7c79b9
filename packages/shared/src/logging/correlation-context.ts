import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The message a piece of work belongs to: the inbound Twilio MessageSid, carried from the
 * webhook through AMQP (the correlationId property) and gRPC (x-correlation-id metadata).
 * Entry points (HTTP routes, consumers, gRPC handlers, sweepers) open a context; the logger,
 * publishers and gRPC calls read it, so code in between never passes the id along.
 */
interface CorrelationStore {
  correlationId: string | undefined;
}

/** The gRPC metadata key of the correlation id. */
export const CORRELATION_METADATA_KEY = "x-correlation-id";

const storage = new AsyncLocalStorage<CorrelationStore>();

/** Runs fn, and everything it starts, under the correlation id (none when undefined). */
export function runWithCorrelation<T>(correlationId: string | undefined, fn: () => T): T {
  return storage.run({ correlationId: correlationId || undefined }, fn);
}

/**
 * Names the message of the current context once it is known, e.g. after a webhook's
 * signature was checked; work already started in this context sees it too. Outside a
 * context this does nothing.
 */
export function setCorrelationId(correlationId: string): void {
  const store = storage.getStore();
  if (store) store.correlationId = correlationId || undefined;
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/**
 * Runs fn outside any correlation context: for background work that one message's call
 * merely woke up (an outbox drain publishes the events of many messages).
 */
export function runWithoutCorrelation<T>(fn: () => T): T {
  return storage.exit(fn);
}
