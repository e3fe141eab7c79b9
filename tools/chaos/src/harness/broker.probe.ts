import amqplib, { type Channel, type ChannelModel, type ConfirmChannel, type Options } from "amqplib";

/**
 * The harness's own connection to RabbitMQ, straight to the broker (never through the fault
 * proxy): it asks how many messages wait in a queue and publishes poison messages.
 */
export class BrokerProbe {
  private connection: ChannelModel | undefined;
  private publisher: ConfirmChannel | undefined;

  constructor(private readonly amqpUrl: string) {}

  async start(): Promise<void> {
    this.connection = await amqplib.connect(this.amqpUrl);
    this.publisher = await this.connection.createConfirmChannel();
  }

  /** Ready messages in each queue (not the ones a consumer holds unacknowledged). */
  async readyMessages(queues: readonly string[]): Promise<number> {
    if (!this.connection) throw new Error("the broker probe is not started");
    // A passive declare of a missing queue closes its channel; a channel per question keeps that local.
    const channel: Channel = await this.connection.createChannel();
    channel.on("error", () => undefined);
    try {
      let total = 0;
      for (const queue of queues) total += (await channel.checkQueue(queue)).messageCount;
      return total;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Publishes straight into a queue (the default exchange), persistently, and waits for the broker's confirm. */
  async publishToQueue(queue: string, body: Buffer, options: Options.Publish): Promise<void> {
    const publisher = this.publisher;
    if (!publisher) throw new Error("the broker probe is not started");
    await new Promise<void>((resolve, reject) => {
      publisher.sendToQueue(queue, body, { persistent: true, ...options }, (error: unknown) =>
        error ? reject(new Error("RabbitMQ refused the publish", { cause: error })) : resolve(),
      );
    });
  }

  async stop(): Promise<void> {
    await this.publisher?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
