import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import type { TcpFaultProxy } from "@sms-todo/testkit";
import { beginScenario, describeAnswers, finishScenario, formatCount, sendMessages } from "./scenario.steps.js";
import type { Scenario } from "./scenario.types.js";

interface TimedFault {
  /** Fraction of the sending time at which it happens. */
  at: number;
  what: string;
  act(): Promise<void>;
}

/**
 * Latency and short partitions between the services and RabbitMQ, and between todo-domain and
 * Postgres, while messages arrive at a steady rate: latency on RabbitMQ for half the run, on
 * Postgres for an overlapping half, and short partitions of one, the other and both.
 */
export const networkFaultScenario: Scenario = {
  number: 6,
  title: "latency and short partitions to RabbitMQ and Postgres",
  async run(context) {
    const { messages, rate, latencyMinMs, latencyMaxMs, partitionSeconds } = context.config.networkFaults;
    const { amqpProxy, postgresProxy } = context.chaos;
    const run = beginScenario(context, 6);
    const numbers = Math.ceil(messages / context.config.textsPerNumber);
    const seconds = messages / rate;
    const latency = { minMs: latencyMinMs, maxMs: latencyMaxMs };
    const partition = (proxies: TcpFaultProxy[]) => async () => {
      await Promise.all(proxies.map((proxy) => proxy.partition()));
      await delay(partitionSeconds * 1000);
      await Promise.all(proxies.map((proxy) => proxy.heal()));
    };
    const faults: TimedFault[] = [
      { at: 0.1, what: "RabbitMQ latency on", act: async () => amqpProxy.setLatency(latency) },
      { at: 0.2, what: "RabbitMQ partition", act: partition([amqpProxy]) },
      { at: 0.3, what: "Postgres latency on", act: async () => postgresProxy.setLatency(latency) },
      { at: 0.45, what: "Postgres partition", act: partition([postgresProxy]) },
      { at: 0.6, what: "RabbitMQ latency off", act: async () => amqpProxy.setLatency(undefined) },
      { at: 0.7, what: "RabbitMQ and Postgres partition", act: partition([amqpProxy, postgresProxy]) },
      { at: 0.8, what: "Postgres latency off", act: async () => postgresProxy.setLatency(undefined) },
    ];
    const sizes =
      `${formatCount(messages)} messages at ${rate}/s from ${formatCount(numbers)} numbers; ` +
      `${latencyMinMs}–${latencyMaxMs} ms per chunk to RabbitMQ from ${(0.1 * seconds).toFixed(0)} to ${(0.6 * seconds).toFixed(0)} s ` +
      `and to Postgres from ${(0.3 * seconds).toFixed(0)} to ${(0.8 * seconds).toFixed(0)} s; ` +
      `${partitionSeconds} s partitions of RabbitMQ, Postgres and both at ${[0.2, 0.45, 0.7].map((at) => (at * seconds).toFixed(0)).join(", ")} s`;
    context.progress(`[6] ${sizes}`);

    const startedAt = performance.now();
    const sending = sendMessages(context, run, { messages, rate });
    const injecting = (async () => {
      try {
        for (const fault of faults) {
          await delay(Math.max(0, startedAt + fault.at * seconds * 1000 - performance.now()));
          await fault.act();
        }
      } finally {
        // Whatever happens, later scenarios get a clean network.
        amqpProxy.setLatency(undefined);
        postgresProxy.setLatency(undefined);
        await amqpProxy.heal();
        await postgresProxy.heal();
      }
    })();
    const [sent] = await Promise.all([sending, injecting]);
    context.progress(`[6] ${describeAnswers(sent)}; waiting for the stack to settle`);
    return finishScenario(context, run, this, sizes, {
      details: [describeAnswers(sent), `faults in order: ${faults.map((fault) => fault.what).join(", ")}`],
    });
  },
};
