import type { AmqpBroker, Consumer, Delivery } from "@sms-todo/shared";

/**
 * Consumes one queue and hands out its deliveries in order. A test that expects a
 * message awaits next(); the timeout only turns a missing message into a failure.
 */
export class QueueProbe {
  private readonly buffered: Delivery[] = [];
  private readonly waiters: Array<(delivery: Delivery) => void> = [];
  private consumer: Consumer | undefined;

  constructor(readonly queue: string) {}

  async attach(broker: AmqpBroker): Promise<void> {
    this.consumer = await broker.consume(
      this.queue,
      async (delivery) => {
        const waiter = this.waiters.shift();
        if (waiter) waiter(delivery);
        else this.buffered.push(delivery);
      },
      { prefetch: 50 },
    );
  }

  next(timeoutMs = 5_000): Promise<Delivery> {
    const delivery = this.buffered.shift();
    if (delivery) return Promise.resolve(delivery);
    return new Promise<Delivery>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(deliver), 1);
        reject(new Error(`no message on ${this.queue} within ${timeoutMs} ms`));
      }, timeoutMs);
      const deliver = (received: Delivery) => {
        clearTimeout(timer);
        resolve(received);
      };
      this.waiters.push(deliver);
    });
  }

  /** Deliveries received that no test asked for. */
  get unclaimed(): readonly Delivery[] {
    return this.buffered;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}
