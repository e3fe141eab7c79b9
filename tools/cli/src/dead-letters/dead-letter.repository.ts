import type { Channel, ConfirmChannel, GetMessage, MessagePropertyHeaders } from "amqplib";
import { deadLetterQueueOf, type Topology } from "@sms-todo/shared";

/** The work queues by the names operators use: text, audio, status, replies. */
export type WorkQueue = keyof Topology["queues"];

export interface QueuePair {
  name: WorkQueue;
  workQueue: string;
  deadLetterQueue: string;
}

/** Every work queue with its dead-letter queue, in the topology's order. */
export function queuePairs(topology: Topology): QueuePair[] {
  return (Object.entries(topology.queues) as Array<[WorkQueue, string]>).map(([name, workQueue]) => ({
    name,
    workQueue,
    deadLetterQueue: deadLetterQueueOf(workQueue),
  }));
}

/** A queue as typed: its short name ("text"), the work queue's full name or its dead-letter queue's. */
export function findQueuePair(topology: Topology, typed: string): QueuePair | undefined {
  return queuePairs(topology).find((pair) => [pair.name, pair.workQueue, pair.deadLetterQueue].includes(typed));
}

export interface DeadLetterCount extends QueuePair {
  messages: number;
}

export async function countDeadLetters(channel: Channel, topology: Topology): Promise<DeadLetterCount[]> {
  const counts: DeadLetterCount[] = [];
  for (const pair of queuePairs(topology)) {
    const { messageCount } = await channel.checkQueue(pair.deadLetterQueue);
    counts.push({ ...pair, messages: messageCount });
  }
  return counts;
}

/**
 * Takes up to `limit` messages of a queue without acking them: they stay the channel's until
 * it acks or returns them (or closes). Never more than were there at the start, so messages
 * dead-lettered meanwhile are not chased.
 */
async function takeMessages(channel: Channel, queue: string, limit = Number.POSITIVE_INFINITY): Promise<GetMessage[]> {
  const { messageCount } = await channel.checkQueue(queue);
  const taken: GetMessage[] = [];
  while (taken.length < Math.min(limit, messageCount)) {
    const message = await channel.get(queue, { noAck: false });
    if (message === false) break;
    taken.push(message);
  }
  return taken;
}

function giveBack(channel: Channel, messages: readonly GetMessage[]): void {
  for (const message of messages) channel.nack(message, false, true);
}

/**
 * The first `limit` dead letters of a queue, returned to it right after (AMQP has no peek). A
 * dead-letter queue has no delivery limit, so the redelivery this counts does them no harm.
 */
export async function peekDeadLetters(channel: Channel, deadLetterQueue: string, limit: number): Promise<GetMessage[]> {
  const taken = await takeMessages(channel, deadLetterQueue, limit);
  giveBack(channel, taken);
  return taken;
}

export type Selection = { messageId: string } | "all";

const matches = (message: GetMessage, selection: Selection) =>
  selection === "all" || message.properties.messageId === selection.messageId;

export interface ReplayResult {
  replayed: string[];
  /** Dead letters the broker would not take back into the work queue (they stay dead letters). */
  refused: string[];
}

/**
 * Headers the broker writes while a message is delivered and dead-lettered, and the consumers'
 * retry headers (sms-todo-failed-attempts, sms-todo-retry-delay): a replayed message starts afresh.
 */
const BROKER_HEADERS = /^(x-(death|first-death-|last-death-|delivery-count)|sms-todo-)/;

/**
 * Moves the selected dead letters back to their work queue: each is published straight to
 * the queue (default exchange) with its properties and the publisher's headers, and acked
 * in the dead-letter queue only once the broker confirmed the publish. A crash in between
 * leaves it in both queues, which consumers' idempotency absorbs; a refused publish leaves
 * it a dead letter. The rest are returned untouched.
 */
export async function replayDeadLetters(channel: ConfirmChannel, pair: QueuePair, selection: Selection): Promise<ReplayResult> {
  await channel.checkQueue(pair.workQueue);
  const taken = await takeMessages(channel, pair.deadLetterQueue);
  const result: ReplayResult = { replayed: [], refused: [] };
  const rest: GetMessage[] = [];
  for (const message of taken) {
    if (!matches(message, selection)) {
      rest.push(message);
      continue;
    }
    const id = message.properties.messageId ? String(message.properties.messageId) : "(no messageId)";
    try {
      await publishConfirmed(channel, pair, message);
      channel.ack(message);
      result.replayed.push(id);
    } catch {
      rest.push(message);
      result.refused.push(id);
    }
  }
  giveBack(channel, rest);
  return result;
}

function publishConfirmed(channel: ConfirmChannel, pair: QueuePair, message: GetMessage): Promise<void> {
  const { properties } = message;
  const headers: MessagePropertyHeaders = Object.fromEntries(
    Object.entries(properties.headers ?? {}).filter(([key]) => !BROKER_HEADERS.test(key)),
  );
  headers["x-replayed-from"] = pair.deadLetterQueue;
  return new Promise<void>((resolve, reject) => {
    channel.publish(
      "",
      pair.workQueue,
      message.content,
      {
        persistent: true,
        contentType: properties.contentType as string | undefined,
        messageId: properties.messageId as string | undefined,
        type: properties.type as string | undefined,
        correlationId: properties.correlationId as string | undefined,
        timestamp: properties.timestamp as number | undefined,
        headers,
      },
      (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    );
  });
}

/** Deletes the dead letters with this messageId; the others are returned untouched. */
export async function purgeDeadLetters(channel: Channel, deadLetterQueue: string, messageId: string): Promise<number> {
  const taken = await takeMessages(channel, deadLetterQueue);
  const rest: GetMessage[] = [];
  let purged = 0;
  for (const message of taken) {
    if (matches(message, { messageId })) {
      channel.ack(message);
      purged += 1;
    } else {
      rest.push(message);
    }
  }
  giveBack(channel, rest);
  return purged;
}
