import type { ChannelModel } from "amqplib";
import type { Logger } from "pino";
import { AmqpConnection } from "./amqp.connection.js";
import { ConfirmPublisher, type PublishOptions } from "./confirm.publisher.js";
import { QueueConsumer, type Consumer, type ConsumeOptions, type DeliveryHandler } from "./queue.consumer.js";
import { retryDelayOf, retryQueuesOf, type Topology } from "./topology.js";

export type { PublishOptions } from "./confirm.publisher.js";
export type { Consumer, ConsumeOptions, Delivery, DeliveryHandler } from "./queue.consumer.js";

export interface AmqpBrokerOptions {
  url: string;
  topology: Topology;
  logger: Logger;
  /** How long publish waits for a connection and then the broker's confirm. */
  publishTimeoutMs?: number;
  /** Connection attempts at start before giving up (reconnects after that never give up). */
  initialRetries?: number;
}

/**
 * One AMQP connection per process with automatic recovery: every (re)connect
 * re-declares the topology, re-opens the confirm channel used for publishing and
 * re-attaches every consumer. The connection (amqp.connection.ts), the publishing
 * (confirm.publisher.ts) and the consuming (queue.consumer.ts) each live in their own file.
 */
export class AmqpBroker {
  private readonly connection: AmqpConnection;
  private readonly publisher: ConfirmPublisher;
  private readonly consumers = new Set<QueueConsumer>();
  private readonly log: Logger;

  constructor(private readonly options: AmqpBrokerOptions) {
    this.log = options.logger.child({ component: "amqp" });
    this.connection = new AmqpConnection({
      url: options.url,
      topology: options.topology,
      log: this.log,
      initialRetries: options.initialRetries,
      setup: (model) => this.onConnect(model),
      onDisconnect: () => this.publisher.lost(),
    });
    this.publisher = new ConfirmPublisher(this.connection, this.log, options.publishTimeoutMs ?? 5_000);
  }

  get topology(): Topology {
    return this.options.topology;
  }

  get isConnected(): boolean {
    return this.publisher.ready;
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  /**
   * Publishes persistently and resolves once the broker confirmed the message. A publish
   * that races with a lost connection is sent again on the next connection, within the
   * same deadline; a nack from the broker is not retried. The message carries the current
   * correlation id and, with tracing on, the trace context in its headers.
   */
  publish(exchange: string, routingKey: string, body: Buffer, options: PublishOptions = {}): Promise<void> {
    return this.publisher.publish(exchange, routingKey, body, options);
  }

  /** Consumes a queue with manual acks; the consumer survives reconnects. */
  async consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Consumer> {
    const { deliveryLimit, retry } = this.topology;
    const consumer = new QueueConsumer(
      queue,
      handler,
      options,
      {
        deliveryLimit,
        delayOf: (failedAttempts) => retryDelayOf(retry, failedAttempts),
        // The copy goes to its delay queue with the work queue as routing key, which brings it back there.
        park: (body, copy) => this.publisher.send(retry.exchange, queue, body, copy),
      },
      this.log.child({ queue }),
    );
    this.consumers.add(consumer);
    const model = this.connection.model;
    if (model) await consumer.attach(model);
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  /** The delay queues retries wait in; their depths are reported next to the work queues'. */
  retryQueues(): readonly string[] {
    return retryQueuesOf(this.topology);
  }

  /** Ready messages and consumers of each queue, for metrics; throws while disconnected. */
  checkQueues(queues: readonly string[]): Promise<Array<{ queue: string; messageCount: number; consumerCount: number }>> {
    return this.connection.checkQueues(queues);
  }

  async close(): Promise<void> {
    this.connection.beginClosing();
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.consumers.clear();
    await this.publisher.close();
    await this.connection.close();
  }

  private async onConnect(model: ChannelModel): Promise<void> {
    const channel = await this.publisher.open(model);
    // A consumer added from here on is attached by this loop, one added after it by consume().
    for (const consumer of this.consumers) await consumer.attach(model);
    this.connection.up(model);
    this.publisher.use(channel);
    this.log.info("RabbitMQ connected, topology declared");
  }
}
