import amqplib, { type ChannelModel, type RecoveringChannelModel } from "amqplib";
import type { Logger } from "pino";
import { AppError } from "../errors/app-error.js";
import { declareTopology, type Topology } from "./topology.js";

export interface AmqpConnectionOptions {
  url: string;
  topology: Topology;
  /** The broker's logger; the connection's lines are the broker's. */
  log: Logger;
  /** Connection attempts at start before giving up (reconnects after that never give up). */
  initialRetries?: number;
  /**
   * Runs on every (re)connect before it counts as up: declares the topology, opens channels, attaches
   * consumers. It calls `up` itself once done, so nothing can slip in between the last attach and the
   * moment the connection is known to be up.
   */
  setup(model: ChannelModel): Promise<void>;
  /** The connection was lost; amqplib is reconnecting. */
  onDisconnect(): void;
}

/**
 * The process's one AMQP connection, recovered by amqplib with back-off: a few attempts at start,
 * then reconnects that never give up, each running the setup again on the new connection.
 */
export class AmqpConnection {
  private connection: RecoveringChannelModel | undefined;
  private current: ChannelModel | undefined;
  private closingNow = false;

  constructor(private readonly options: AmqpConnectionOptions) {}

  /** The connection now up; undefined while (re)connecting. */
  get model(): ChannelModel | undefined {
    return this.current;
  }

  /** Set from the start of close on: nothing is reopened any more, and a lost connection is no news. */
  get closing(): boolean {
    return this.closingNow;
  }

  async start(): Promise<void> {
    const { url, log } = this.options;
    const retries = this.options.initialRetries ?? 5;
    try {
      this.connection = await amqplib.connect(url, {
        recovery: {
          initialDelay: 100,
          maxDelay: 5_000,
          initialMaxRetries: retries,
          maxRetries: Number.POSITIVE_INFINITY,
          setup: (model: ChannelModel) => this.options.setup(model),
        },
      });
    } catch (error) {
      throw new AppError("UNAVAILABLE", `RabbitMQ unreachable at ${url}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.connection.on("disconnect", (error: Error) => {
      this.options.onDisconnect();
      this.current = undefined;
      if (!this.closingNow) log.warn({ err: error }, "RabbitMQ connection lost, reconnecting");
    });
    this.connection.on("reconnect-scheduled", ({ attempt, delay }: { attempt: number; delay: number }) => {
      log.info({ attempt, delay }, "RabbitMQ reconnect scheduled");
    });
    this.connection.on("error", (error: Error) => log.warn({ err: error }, "RabbitMQ connection error"));
  }

  /** Called by the setup once it is done with this connection. */
  up(model: ChannelModel): void {
    this.current = model;
  }

  /** Declares the topology on a channel of its own: a failed declaration closes the channel it was made on. */
  async declareTopology(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    await declareTopology(channel, this.options.topology);
    await channel.close();
  }

  /**
   * Ready messages and consumers of each queue, asked with passive declares on a channel of their
   * own (a missing queue closes the channel it was asked on). Throws while disconnected.
   */
  async checkQueues(queues: readonly string[]): Promise<Array<{ queue: string; messageCount: number; consumerCount: number }>> {
    if (!this.current) throw new AppError("UNAVAILABLE", "RabbitMQ is not connected");
    const channel = await this.current.createChannel();
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

  /** The first step of closing: from here on nothing is reopened, while the channels are closed. */
  beginClosing(): void {
    this.closingNow = true;
  }

  async close(): Promise<void> {
    this.closingNow = true;
    await this.connection?.close().catch(() => undefined);
  }
}
