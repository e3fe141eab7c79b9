import amqplib, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type Message,
  type RecoveringChannelModel,
} from "amqplib";
import type { Logger } from "pino";
import { AppError, isAppError } from "../errors/app-error.js";
import { currentCorrelationId, runWithCorrelation } from "../logging/correlation-context.js";
import { inSpan, injectTraceContext, isTracingEnabled, traceCarrierOf, type TraceCarrier } from "../tracing/spans.js";
import {
  declareTopology,
  FAILED_ATTEMPTS_HEADER,
  RETRY_DELAY_HEADER,
  retryDelayOf,
  retryQueuesOf,
  type Topology,
} from "./topology.js";
import { ReturnedPublishes } from "./returned-publishes.js";

export interface PublishOptions {
  messageId?: string;
  /** The protobuf message name of the body, e.g. "messaging.v1.InboundMessage". */
  type?: string;
  /** The message this one belongs to; the current correlation context's id when omitted. */
  correlationId?: string;
  headers?: Record<string, string>;
}

/** What a retry copy keeps of its original: everything but the redelivery count, which starts again. */
interface CopyOptions extends Omit<PublishOptions, "headers"> {
  headers?: Record<string, unknown>;
  /** The original's publish time (AMQP timestamp, seconds), so ages count from the first publish. */
  timestamp?: number;
}

export interface Delivery {
  body: Buffer;
  messageId: string | undefined;
  type: string | undefined;
  /** The handler runs in this correlation context (the messageId when the publisher set none). */
  correlationId: string | undefined;
  headers: Record<string, unknown>;
  /** Attempts before this one: failed ones (each retried after a back-off) plus redeliveries after a consumer was lost. */
  deliveryCount: number;
  /** The delivery limit is reached: should this attempt fail, the message is dead-lettered, not retried. */
  lastAttempt: boolean;
  /** Publish time in ms since the epoch (the AMQP timestamp: whole seconds); undefined when the publisher set none. */
  publishedAt?: number;
}

/** Resolves when the message is done (then it is acked); throws to retry or dead-letter it. */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface ConsumeOptions {
  prefetch: number;
}

export interface Consumer {
  /** Stops taking new deliveries and waits for the in-flight ones to finish. */
  stop(): Promise<void>;
}

export interface AmqpBrokerOptions {
  url: string;
  topology: Topology;
  logger: Logger;
  /** How long publish waits for a connection and then the broker's confirm. */
  publishTimeoutMs?: number;
  /** Connection attempts at start before giving up (reconnects after that never give up). */
  initialRetries?: number;
}

const CONTENT_TYPE = "application/x-protobuf";

/**
 * One AMQP connection per process with automatic recovery: every (re)connect
 * re-declares the topology, re-opens the confirm channel used for publishing and
 * re-attaches every consumer. A publish channel the broker closes on its own (a channel
 * error, e.g. an exchange deleted under it) is reopened on the same connection.
 */
export class AmqpBroker {
  private connection: RecoveringChannelModel | undefined;
  /** The connection now up; undefined while reconnecting. */
  private model: ChannelModel | undefined;
  private publisher: ConfirmChannel | undefined;
  /** Why the broker closed a publish channel, for the publishes that were on it. */
  private readonly brokerClosures = new WeakMap<ConfirmChannel, Error>();
  /** The publishes of each publish channel awaiting their confirm, and whether they came back unroutable. */
  private readonly returns = new WeakMap<ConfirmChannel, ReturnedPublishes>();
  private readonly consumers = new Set<QueueConsumer>();
  private connectedWaiters: Array<() => void> = [];
  private closing = false;
  private readonly publishTimeoutMs: number;
  private readonly log: Logger;

  constructor(private readonly options: AmqpBrokerOptions) {
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    this.log = options.logger.child({ component: "amqp" });
  }

  get topology(): Topology {
    return this.options.topology;
  }

  get isConnected(): boolean {
    return this.publisher !== undefined;
  }

  async start(): Promise<void> {
    const retries = this.options.initialRetries ?? 5;
    try {
      this.connection = await amqplib.connect(this.options.url, {
        recovery: {
          initialDelay: 100,
          maxDelay: 5_000,
          initialMaxRetries: retries,
          maxRetries: Number.POSITIVE_INFINITY,
          setup: (model: ChannelModel) => this.onConnect(model),
        },
      });
    } catch (error) {
      throw new AppError("UNAVAILABLE", `RabbitMQ unreachable at ${this.options.url}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.connection.on("disconnect", (error: Error) => {
      this.publisher = undefined;
      this.model = undefined;
      if (!this.closing) this.log.warn({ err: error }, "RabbitMQ connection lost, reconnecting");
    });
    this.connection.on("reconnect-scheduled", ({ attempt, delay }: { attempt: number; delay: number }) => {
      this.log.info({ attempt, delay }, "RabbitMQ reconnect scheduled");
    });
    this.connection.on("error", (error: Error) => this.log.warn({ err: error }, "RabbitMQ connection error"));
  }

  /**
   * Publishes persistently and resolves once the broker confirmed the message. A publish
   * that races with a lost connection is sent again on the next connection, within the
   * same deadline; a nack from the broker is not retried. The message carries the current
   * correlation id and, with tracing on, the trace context in its headers.
   */
  async publish(exchange: string, routingKey: string, body: Buffer, options: PublishOptions = {}): Promise<void> {
    const correlationId = options.correlationId ?? currentCorrelationId();
    if (!isTracingEnabled()) return this.publishConfirmed(exchange, routingKey, body, { ...options, correlationId });
    const attributes = {
      "messaging.system": "rabbitmq",
      "messaging.operation.type": "send",
      "messaging.destination.name": exchange,
      "messaging.rabbitmq.destination.routing_key": routingKey,
      "messaging.message.id": options.messageId,
      "messaging.message.conversation_id": correlationId,
    };
    return inSpan(`publish ${exchange}`, { kind: "producer", attributes }, () => {
      const headers: TraceCarrier = { ...options.headers };
      injectTraceContext(headers);
      return this.publishConfirmed(exchange, routingKey, body, { ...options, correlationId, headers });
    });
  }

  private async publishConfirmed(exchange: string, routingKey: string, body: Buffer, options: CopyOptions): Promise<void> {
    const deadline = Date.now() + this.publishTimeoutMs;
    let brokerClosures = 0;
    let unroutable = 0;
    for (;;) {
      const channel = await this.waitForPublisher(deadline);
      try {
        return await this.publishOn(channel, deadline, exchange, routingKey, body, options);
      } catch (error) {
        if (isUnroutable(error)) {
          // A queue or binding deleted under the running service: declared again, the message is sent once more.
          if (++unroutable > 1 || Date.now() >= deadline) throw error;
          await this.declareTopologyAgain(error);
          continue;
        }
        const connectionLost = this.publisher !== channel || channelClosed(error);
        if (!connectionLost || Date.now() >= deadline) throw error;
        if (this.publisher === channel) this.publisher = undefined;
        // The reopened channel comes with the topology declared again, which mends a deleted exchange;
        // a publish the broker refuses once more (an exchange outside the topology) is not sent again.
        const closure = this.brokerClosures.get(channel);
        if (closure && ++brokerClosures > 1) {
          throw new AppError("UNAVAILABLE", `RabbitMQ closed the publish channel: ${closure.message}`, { cause: closure });
        }
      }
    }
  }

  private publishOn(
    channel: ConfirmChannel,
    deadline: number,
    exchange: string,
    routingKey: string,
    body: Buffer,
    options: CopyOptions,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AppError("UNAVAILABLE", "RabbitMQ did not confirm the publish in time")),
        Math.max(1, deadline - Date.now()),
      );
      const tracked = this.returns.get(channel)?.track(exchange, routingKey, options.messageId);
      try {
        channel.publish(
          exchange,
          routingKey,
          body,
          {
            persistent: true,
            mandatory: true,
            contentType: CONTENT_TYPE,
            messageId: options.messageId,
            type: options.type,
            correlationId: options.correlationId,
            headers: options.headers,
            timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
          },
          (error) => {
            clearTimeout(timer);
            const returned = tracked?.settle() ?? false;
            if (error) reject(new AppError("UNAVAILABLE", "RabbitMQ refused the publish", { cause: error }));
            else if (returned) reject(unroutableError(exchange, routingKey));
            else resolve();
          },
        );
      } catch (error) {
        clearTimeout(timer);
        tracked?.settle();
        reject(new AppError("UNAVAILABLE", "RabbitMQ publish failed", { cause: error }));
      }
    });
  }

  /** Consumes a queue with manual acks; the consumer survives reconnects. */
  async consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Consumer> {
    const consumer = new QueueConsumer(
      queue,
      handler,
      options,
      {
        deliveryLimit: this.topology.deliveryLimit,
        delayOf: (failedAttempts) => retryDelayOf(this.topology.retry, failedAttempts),
        park: (message, failedAttempts, delayMs) => this.park(queue, message, failedAttempts, delayMs),
      },
      this.log.child({ queue }),
    );
    this.consumers.add(consumer);
    if (this.model) await consumer.attach(this.model);
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

  /**
   * Ready messages and consumers of each queue, asked with passive declares on a channel of their
   * own (a missing queue closes the channel it was asked on). For metrics; throws while disconnected.
   */
  async checkQueues(queues: readonly string[]): Promise<Array<{ queue: string; messageCount: number; consumerCount: number }>> {
    if (!this.model) throw new AppError("UNAVAILABLE", "RabbitMQ is not connected");
    const channel = await this.model.createChannel();
    channel.on("error", () => undefined); // reported by the rejected checkQueue below
    try {
      const counts = [];
      for (const queue of queues) {
        const { messageCount, consumerCount } = await channel.checkQueue(queue);
        counts.push({ queue, messageCount, consumerCount });
      }
      return counts;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /**
   * Sends a copy of a failed message to the delay queue of its next retry; resolves once the
   * broker confirmed it, so the original can be acked.
   */
  private async park(queue: string, message: ConsumeMessage, failedAttempts: number, delayMs: number): Promise<void> {
    const { properties } = message;
    const headers: Record<string, unknown> = { ...properties.headers };
    delete headers["x-delivery-count"];
    headers[FAILED_ATTEMPTS_HEADER] = failedAttempts;
    headers[RETRY_DELAY_HEADER] = String(delayMs);
    await this.publishConfirmed(this.topology.retry.exchange, queue, message.content, {
      messageId: properties.messageId as string | undefined,
      type: properties.type as string | undefined,
      correlationId: properties.correlationId as string | undefined,
      headers,
      timestamp: typeof properties.timestamp === "number" ? properties.timestamp : undefined,
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.consumers.clear();
    const publisher = this.publisher;
    this.publisher = undefined;
    if (publisher) await publisher.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }

  private async onConnect(model: ChannelModel): Promise<void> {
    const publisher = await this.openPublisher(model);
    // A consumer added from here on is attached by this loop, one added after it by consume().
    for (const consumer of this.consumers) await consumer.attach(model);
    this.model = model;
    this.publisher = publisher;
    this.log.info("RabbitMQ connected, topology declared");
    this.wakePublishers();
  }

  /** Declares the topology on a channel of its own: a failed declaration closes the channel it was made on. */
  private async declareTopologyOn(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    await declareTopology(channel, this.options.topology);
    await channel.close();
  }

  /** Declares the topology, then opens the confirm channel publishes go through. */
  private async openPublisher(model: ChannelModel): Promise<ConfirmChannel> {
    await this.declareTopologyOn(model);
    const publisher = await model.createConfirmChannel();
    const returns = new ReturnedPublishes();
    this.returns.set(publisher, returns);
    publisher.on("return", ({ fields, properties }: Message) =>
      returns.returned(fields.exchange, fields.routingKey, properties.messageId as string | undefined),
    );
    // Emitted only when the broker closes the channel itself; a lost connection closes it without one.
    publisher.on("error", (error: Error) => {
      this.brokerClosures.set(publisher, error);
      this.log.warn({ err: error }, "publish channel error");
    });
    publisher.on("close", () => {
      if (this.publisher !== publisher) return;
      this.publisher = undefined;
      if (this.brokerClosures.has(publisher) && !this.closing && this.model === model) void this.reopenPublisher(model);
    });
    return publisher;
  }

  /** After a channel error the connection is still up: nothing would reconnect, so the channel is opened again here. */
  private async reopenPublisher(model: ChannelModel): Promise<void> {
    try {
      const publisher = await this.openPublisher(model);
      if (this.closing || this.model !== model) {
        await publisher.close().catch(() => undefined);
        return;
      }
      this.publisher = publisher;
      this.log.info("publish channel reopened, topology declared");
      this.wakePublishers();
    } catch (error) {
      // The connection failed meanwhile, or the topology could not be declared: the next reconnect opens the channel.
      this.log.warn({ err: error }, "could not reopen the publish channel");
    }
  }

  /** After an unroutable publish; while reconnecting there is nothing to do, the reconnect declares the topology. */
  private async declareTopologyAgain(unroutable: unknown): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.log.warn("a message was routed to no queue: declaring the topology again");
    try {
      await this.declareTopologyOn(model);
    } catch (error) {
      this.log.warn({ err: error }, "could not declare the topology again");
      throw unroutable;
    }
  }

  private wakePublishers(): void {
    const waiters = this.connectedWaiters;
    this.connectedWaiters = [];
    for (const wake of waiters) wake();
  }

  private async waitForPublisher(deadline: number): Promise<ConfirmChannel> {
    while (!this.publisher) {
      if (this.closing) throw new AppError("UNAVAILABLE", "RabbitMQ connection is closing");
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new AppError("UNAVAILABLE", "RabbitMQ is not connected");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.connectedWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.publisher;
  }
}

interface RetryControl {
  deliveryLimit: number;
  delayOf(failedAttempts: number): number;
  /** Parks a copy of the message in the delay queue of that delay; resolves once the broker has it. */
  park(message: ConsumeMessage, failedAttempts: number, delayMs: number): Promise<void>;
}

/** A consumer of one queue on its own channel, re-attached after every reconnect. */
class QueueConsumer {
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly queue: string,
    private readonly handler: DeliveryHandler,
    private readonly options: ConsumeOptions,
    private readonly retry: RetryControl,
    private readonly log: Logger,
  ) {}

  async attach(model: Pick<ChannelModel, "createChannel">): Promise<void> {
    if (this.stopped) return;
    const channel = await model.createChannel();
    channel.on("error", (error: Error) => this.log.warn({ err: error }, "consumer channel error"));
    await channel.prefetch(this.options.prefetch);
    const { consumerTag } = await channel.consume(this.queue, (message) => {
      if (!message) return; // cancelled by the broker (queue deleted); the next reconnect re-attaches
      const work = this.handle(channel, message).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    });
    this.channel = channel;
    this.consumerTag = consumerTag;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const { channel, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    if (channel) await channel.close().catch(() => undefined);
    this.channel = undefined;
  }

  /** Every line logged and every message published or call made while handling runs under the delivery's correlation id. */
  private handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    const messageId = message.properties.messageId as string | undefined;
    const deliveryCount = Number(headers[FAILED_ATTEMPTS_HEADER] ?? 0) + Number(headers["x-delivery-count"] ?? 0);
    const delivery: Delivery = {
      body: message.content,
      messageId,
      type: message.properties.type as string | undefined,
      correlationId: (message.properties.correlationId as string | undefined) || messageId,
      headers,
      deliveryCount,
      lastAttempt: deliveryCount >= this.retry.deliveryLimit,
      publishedAt: typeof message.properties.timestamp === "number" ? message.properties.timestamp * 1000 : undefined,
    };
    return runWithCorrelation(delivery.correlationId, async () => {
      try {
        await this.runHandler(delivery);
        settle(() => channel.ack(message));
      } catch (error) {
        const retryable = !isAppError(error) || error.retryable;
        const retry = retryable && !delivery.lastAttempt;
        this.log.warn({ err: error, messageId, deliveryCount, retry }, "delivery failed");
        if (!retry) {
          settle(() => channel.nack(message, false, false)); // to the dead-letter queue
          return;
        }
        await this.retryLater(channel, message, deliveryCount + 1);
      }
    });
  }

  /**
   * The back-off waits in a delay queue, so this consumer's prefetch slot is free for the messages
   * behind: the copy is confirmed first, then the original acked. A crash in between leaves both,
   * which the consumers' idempotency absorbs. Should the delay queue not take the copy, the wait
   * happens here and the original goes back to its queue, where the redelivery is counted.
   */
  private async retryLater(channel: Channel, message: ConsumeMessage, failedAttempts: number): Promise<void> {
    const delayMs = this.retry.delayOf(failedAttempts);
    try {
      await this.retry.park(message, failedAttempts, delayMs);
      settle(() => channel.ack(message));
    } catch (error) {
      const messageId = message.properties.messageId as unknown;
      this.log.warn({ err: error, messageId, retryInMs: delayMs }, "could not park the message for its retry; waiting here");
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      settle(() => channel.nack(message, false, true));
    }
  }

  /** The handler, as a span continuing the publisher's trace when tracing is on; the back-off stays outside it. */
  private runHandler(delivery: Delivery): Promise<void> {
    if (!isTracingEnabled()) return this.handler(delivery);
    const attributes = {
      "messaging.system": "rabbitmq",
      "messaging.operation.type": "process",
      "messaging.destination.name": this.queue,
      "messaging.message.id": delivery.messageId,
      "messaging.message.conversation_id": delivery.correlationId,
      "messaging.rabbitmq.message.delivery_count": delivery.deliveryCount,
    };
    const parent = traceCarrierOf((key) => delivery.headers[key]);
    return inSpan(`process ${this.queue}`, { kind: "consumer", attributes, parent }, () => this.handler(delivery));
  }
}

/** The cause of every unroutable publish's error, to tell it from other refusals. */
const UNROUTABLE = new Error("basic.return: no queue is bound to take the message");

function unroutableError(exchange: string, routingKey: string): AppError {
  return new AppError(
    "UNAVAILABLE",
    `RabbitMQ routed the message to no queue (exchange ${exchange}, routing key ${routingKey})`,
    {
      cause: UNROUTABLE,
    },
  );
}

function isUnroutable(error: unknown): error is AppError {
  return error instanceof AppError && error.cause === UNROUTABLE;
}

function channelClosed(error: unknown): boolean {
  const cause = error instanceof AppError ? error.cause : error;
  return cause instanceof Error && /closed|ended|connection/i.test(cause.message);
}

/** Acks on a channel that closed meanwhile fail; the broker redelivers those anyway. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    /* channel gone: the message is redelivered after reconnect */
  }
}
