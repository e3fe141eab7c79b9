import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import type { Logger } from "pino";
import { isAppError } from "../errors/app-error.js";
import { runWithCorrelation } from "../logging/correlation-context.js";
import { inSpan, isTracingEnabled, traceCarrierOf } from "../tracing/spans.js";
import type { SendOptions } from "./confirm.publisher.js";
import { FAILED_ATTEMPTS_HEADER, RETRY_DELAY_HEADER } from "./topology.js";

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

export interface RetryControl {
  deliveryLimit: number;
  delayOf(failedAttempts: number): number;
  /** Sends a retry copy (see retryCopyOf) to the delay queues; resolves once the broker has it. */
  park(body: Buffer, copy: SendOptions): Promise<void>;
}

/**
 * What a retry copy keeps of its original: everything but the redelivery count, which starts again.
 * Its headers pick the delay queue it waits in and carry the attempts made so far.
 */
export function retryCopyOf(message: ConsumeMessage, failedAttempts: number, delayMs: number): SendOptions {
  const { properties } = message;
  const headers: Record<string, unknown> = { ...properties.headers };
  delete headers["x-delivery-count"];
  headers[FAILED_ATTEMPTS_HEADER] = failedAttempts;
  headers[RETRY_DELAY_HEADER] = String(delayMs);
  return {
    messageId: properties.messageId as string | undefined,
    type: properties.type as string | undefined,
    correlationId: properties.correlationId as string | undefined,
    headers,
    timestamp: typeof properties.timestamp === "number" ? properties.timestamp : undefined,
  };
}

/** A consumer of one queue on its own channel with manual acks, re-attached after every reconnect. */
export class QueueConsumer {
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
      await this.retry.park(message.content, retryCopyOf(message, failedAttempts, delayMs));
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

/** Acks on a channel that closed meanwhile fail; the broker redelivers those anyway. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    /* channel gone: the message is redelivered after reconnect */
  }
}
