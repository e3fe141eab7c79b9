import type { ChannelModel, ConfirmChannel, Message } from "amqplib";
import type { Logger } from "pino";
import { AppError } from "../errors/app-error.js";
import { currentCorrelationId } from "../logging/correlation-context.js";
import { inSpan, injectTraceContext, isTracingEnabled, type TraceCarrier } from "../tracing/spans.js";
import type { AmqpConnection } from "./amqp.connection.js";
import { ReturnedPublishes } from "./returned-publishes.js";

export interface PublishOptions {
  messageId?: string;
  /** The protobuf message name of the body, e.g. "messaging.v1.InboundMessage". */
  type?: string;
  /** The message this one belongs to; the current correlation context's id when omitted. */
  correlationId?: string;
  headers?: Record<string, string>;
}

/** What goes out with a message: a publish's options, or what a retry copy keeps of its original. */
export interface SendOptions extends Omit<PublishOptions, "headers"> {
  headers?: Record<string, unknown>;
  /** The original's publish time (AMQP timestamp, seconds), so ages count from the first publish. */
  timestamp?: number;
}

const CONTENT_TYPE = "application/x-protobuf";

/**
 * Publishes on one confirm channel per connection, every message persistent and mandatory. A publish
 * channel the broker closes on its own (a channel error, e.g. an exchange deleted under it) is reopened
 * on the same connection; a lost connection gets its channel from the reconnect.
 */
export class ConfirmPublisher {
  private channel: ConfirmChannel | undefined;
  /** Why the broker closed a publish channel, for the publishes that were on it. */
  private readonly brokerClosures = new WeakMap<ConfirmChannel, Error>();
  /** The publishes of each publish channel awaiting their confirm, and whether they came back unroutable. */
  private readonly returns = new WeakMap<ConfirmChannel, ReturnedPublishes>();
  private connectedWaiters: Array<() => void> = [];

  constructor(
    private readonly connection: AmqpConnection,
    private readonly log: Logger,
    /** How long a publish waits for a connection and then the broker's confirm. */
    private readonly timeoutMs: number,
  ) {}

  get ready(): boolean {
    return this.channel !== undefined;
  }

  /**
   * Publishes persistently and resolves once the broker confirmed the message. A publish
   * that races with a lost connection is sent again on the next connection, within the
   * same deadline; a nack from the broker is not retried. The message carries the current
   * correlation id and, with tracing on, the trace context in its headers.
   */
  async publish(exchange: string, routingKey: string, body: Buffer, options: PublishOptions = {}): Promise<void> {
    const correlationId = options.correlationId ?? currentCorrelationId();
    if (!isTracingEnabled()) return this.send(exchange, routingKey, body, { ...options, correlationId });
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
      return this.send(exchange, routingKey, body, { ...options, correlationId, headers });
    });
  }

  /** Publishes as given, without adding a correlation id or trace context; resolves once confirmed. */
  async send(exchange: string, routingKey: string, body: Buffer, options: SendOptions): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    let brokerClosures = 0;
    let unroutable = 0;
    for (;;) {
      const channel = await this.waitForChannel(deadline);
      try {
        return await this.publishOn(channel, deadline, exchange, routingKey, body, options);
      } catch (error) {
        if (isUnroutable(error)) {
          // A queue or binding deleted under the running service: declared again, the message is sent once more.
          if (++unroutable > 1 || Date.now() >= deadline) throw error;
          await this.declareTopologyAgain(error);
          continue;
        }
        const connectionLost = this.channel !== channel || channelClosed(error);
        if (!connectionLost || Date.now() >= deadline) throw error;
        if (this.channel === channel) this.channel = undefined;
        // The reopened channel comes with the topology declared again, which mends a deleted exchange;
        // a publish the broker refuses once more (an exchange outside the topology) is not sent again.
        const closure = this.brokerClosures.get(channel);
        if (closure && ++brokerClosures > 1) {
          throw new AppError("UNAVAILABLE", `RabbitMQ closed the publish channel: ${closure.message}`, { cause: closure });
        }
      }
    }
  }

  /** Declares the topology, then opens the confirm channel publishes go through; `use` puts it to work. */
  async open(model: ChannelModel): Promise<ConfirmChannel> {
    await this.connection.declareTopology(model);
    const channel = await model.createConfirmChannel();
    const returns = new ReturnedPublishes();
    this.returns.set(channel, returns);
    channel.on("return", ({ fields, properties }: Message) =>
      returns.returned(fields.exchange, fields.routingKey, properties.messageId as string | undefined),
    );
    // Emitted only when the broker closes the channel itself; a lost connection closes it without one.
    channel.on("error", (error: Error) => {
      this.brokerClosures.set(channel, error);
      this.log.warn({ err: error }, "publish channel error");
    });
    channel.on("close", () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      if (this.brokerClosures.has(channel) && !this.connection.closing && this.connection.model === model) {
        void this.reopen(model);
      }
    });
    return channel;
  }

  /** Publishes from now on go through this channel; the ones waiting for a connection go first. */
  use(channel: ConfirmChannel): void {
    this.channel = channel;
    this.wakePublishers();
  }

  /** The connection is gone, and the channel with it. */
  lost(): void {
    this.channel = undefined;
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    if (channel) await channel.close().catch(() => undefined);
  }

  private publishOn(
    channel: ConfirmChannel,
    deadline: number,
    exchange: string,
    routingKey: string,
    body: Buffer,
    options: SendOptions,
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

  /** After a channel error the connection is still up: nothing would reconnect, so the channel is opened again here. */
  private async reopen(model: ChannelModel): Promise<void> {
    try {
      const channel = await this.open(model);
      if (this.connection.closing || this.connection.model !== model) {
        await channel.close().catch(() => undefined);
        return;
      }
      this.use(channel);
      this.log.info("publish channel reopened, topology declared");
    } catch (error) {
      // The connection failed meanwhile, or the topology could not be declared: the next reconnect opens the channel.
      this.log.warn({ err: error }, "could not reopen the publish channel");
    }
  }

  /** After an unroutable publish; while reconnecting there is nothing to do, the reconnect declares the topology. */
  private async declareTopologyAgain(unroutable: unknown): Promise<void> {
    const model = this.connection.model;
    if (!model) return;
    this.log.warn("a message was routed to no queue: declaring the topology again");
    try {
      await this.connection.declareTopology(model);
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

  private async waitForChannel(deadline: number): Promise<ConfirmChannel> {
    while (!this.channel) {
      if (this.connection.closing) throw new AppError("UNAVAILABLE", "RabbitMQ connection is closing");
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
    return this.channel;
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
