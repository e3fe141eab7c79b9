import amqplib, { type Channel, type ChannelModel } from "amqplib";
import { deadLetterQueueOf, type Topology } from "@sms-todo/shared";

/** One message that reached a dead-letter queue. */
export interface DeadLetter {
  /** The queue it died in, e.g. "…sms-todo.text". */
  queue: string;
  messageId: string | undefined;
  /** The MessageSid it belongs to (a reply event's correlation id). */
  correlationId: string | undefined;
  /** Why RabbitMQ dead-lettered it: "rejected" (not retryable) or "delivery_limit". */
  reason: string | undefined;
}

/**
 * Takes every message off the stack's dead-letter queues as it arrives, on a connection of its
 * own straight to RabbitMQ (not through the fault proxy), and keeps what it saw for the counts.
 */
export class DeadLetterCollector {
  readonly letters: DeadLetter[] = [];
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;

  constructor(
    private readonly amqpUrl: string,
    private readonly topology: Topology,
  ) {}

  async start(): Promise<void> {
    this.connection = await amqplib.connect(this.amqpUrl);
    const channel = await this.connection.createChannel();
    this.channel = channel;
    for (const queue of Object.values(this.topology.queues)) {
      await channel.consume(
        deadLetterQueueOf(queue),
        (message) => {
          if (!message) return;
          const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
          // The newest death is the one into the dead-letter queue; older ones are expiries in delay queues.
          const deaths = headers["x-death"] as Array<{ reason?: unknown }> | undefined;
          const reason = deaths?.[0]?.reason;
          this.letters.push({
            queue,
            messageId: message.properties.messageId as string | undefined,
            correlationId: message.properties.correlationId as string | undefined,
            reason: typeof reason === "string" ? reason : undefined,
          });
          channel.ack(message);
        },
        { noAck: false },
      );
    }
  }

  /** Letters that arrived since the given count of letters, e.g. since a scenario started. */
  since(offset: number): DeadLetter[] {
    return this.letters.slice(offset);
  }

  async stop(): Promise<void> {
    await this.channel?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
