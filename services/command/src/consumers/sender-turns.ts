/**
 * One sender's messages are handled one after another, in the order this consumer received them:
 * "buy milk" then "call mom" become #1 and #2 in that order even when the first one waits longer
 * (a cold start, a slow call). Different senders do not wait for each other. Within one replica
 * only; with several command replicas RabbitMQ spreads a sender's messages over them
 * (docs/architecture.md).
 */
export type SenderTurns = <T>(sender: string, work: () => Promise<T>) => Promise<T>;

export function createSenderTurns(): SenderTurns {
  const lastOf = new Map<string, Promise<unknown>>();
  return async (sender, work) => {
    const previous = lastOf.get(sender) ?? Promise.resolve();
    const mine = previous.then(
      () => work(),
      () => work(),
    );
    const settled = mine.catch(() => undefined);
    lastOf.set(sender, settled);
    try {
      return await mine;
    } finally {
      if (lastOf.get(sender) === settled) lastOf.delete(sender);
    }
  };
}
