import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { readIngressCounter } from "../harness/ingress-metrics.reader.js";
import { beginScenario, describeAnswers, finishScenario, formatCount, sendMessages } from "./scenario.steps.js";
import type { Scenario } from "./scenario.types.js";

/**
 * SPEC 6: RabbitMQ unavailable for 20 s during 10,000 webhooks; every webhook answered 2xx,
 * 0 lost, 0 duplicated. Every service reaches RabbitMQ through the fault proxy; the cut drops
 * their connections and refuses new ones, then the proxy listens again. Ingress answers a
 * webhook 2xx only once the broker confirmed it or its durability spool committed it.
 */
export const brokerOutageScenario: Scenario = {
  number: 1,
  title: "RabbitMQ unavailable during a burst of webhooks",
  async run(context) {
    const { webhooks, rate, outageAt, outageSeconds } = context.config.brokerOutage;
    const { amqpProxy } = context.chaos;
    const run = beginScenario(context, 1);
    const numbers = Math.ceil(webhooks / context.config.textsPerNumber);
    const sizes =
      `${formatCount(webhooks)} webhooks at ${rate}/s from ${formatCount(numbers)} numbers; ` +
      `every service cut off from RabbitMQ for ${outageSeconds} s from second ${outageAt}`;
    context.progress(`[1] ${sizes}`);

    const origin = context.chaos.stack.ingressOrigin;
    const spooledBefore = await readIngressCounter(origin, "ingress_webhooks_spooled_total");
    const sending = sendMessages(context, run, { messages: webhooks, rate, maxSockets: 2_000 });
    // The cut lasts its full length even when every webhook was sent before it ends.
    const outage = (async () => {
      await delay(outageAt * 1000);
      const cutAt = performance.now();
      await amqpProxy.partition();
      context.progress(`[1] RabbitMQ cut off (${amqpProxy.dropped} connections dropped so far)`);
      await delay(outageSeconds * 1000);
      await amqpProxy.heal();
      context.progress(`[1] RabbitMQ reachable again after ${((performance.now() - cutAt) / 1000).toFixed(1)} s`);
    })();
    const [sent] = await Promise.all([sending, outage]);
    context.progress(`[1] ${describeAnswers(sent)}; waiting for the stack to settle`);
    const outcome = await finishScenario(context, run, this, sizes, { details: [describeAnswers(sent)] });
    const spooled = (await readIngressCounter(origin, "ingress_webhooks_spooled_total")) - spooledBefore;
    outcome.details.push(`ingress spooled ${formatCount(spooled)} webhooks to Postgres and relayed them once RabbitMQ was back`);
    return outcome;
  },
};
