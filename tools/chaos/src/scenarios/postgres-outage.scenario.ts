import { setTimeout as delay } from "node:timers/promises";
import { beginScenario, describeAnswers, finishScenario, formatCount, sendMessages } from "./scenario.steps.js";
import type { Scenario } from "./scenario.types.js";

/**
 * Postgres unavailable under load: todo-domain reaches its three databases through the fault
 * proxy, which is cut (connections dropped, new ones refused) a few times for a few seconds
 * while messages arrive. The machine's Postgres itself keeps running for everyone else.
 */
export const postgresOutageScenario: Scenario = {
  number: 3,
  title: "Postgres unreachable from todo-domain under load",
  async run(context) {
    const { messages, rate, outages, outageSeconds } = context.config.postgresOutage;
    const { postgresProxy } = context.chaos;
    const run = beginScenario(context, 3);
    const numbers = Math.ceil(messages / context.config.textsPerNumber);
    const seconds = messages / rate;
    // Evenly inside the sending time, so load arrives before, during and after every cut.
    const cutsAt = Array.from({ length: outages }, (_, index) => ((index + 1) * seconds) / (outages + 1) - outageSeconds / 2);
    const sizes =
      `${formatCount(messages)} messages at ${rate}/s from ${formatCount(numbers)} numbers; ` +
      `todo-domain cut off from Postgres ${outages}× for ${outageSeconds} s (at ${cutsAt.map((at) => `${Math.max(0, at).toFixed(0)} s`).join(", ")})`;
    context.progress(`[3] ${sizes}`);

    const sending = sendMessages(context, run, { messages, rate });
    const cuts = (async () => {
      let elapsed = 0;
      for (const at of cutsAt) {
        await delay(Math.max(0, at - elapsed) * 1000);
        await postgresProxy.partition();
        await delay(outageSeconds * 1000);
        await postgresProxy.heal();
        elapsed = Math.max(at, elapsed) + outageSeconds;
      }
    })();
    const [sent] = await Promise.all([sending, cuts]);
    context.progress(
      `[3] ${describeAnswers(sent)}; ${postgresProxy.dropped} Postgres connections dropped so far; waiting for the stack to settle`,
    );
    return finishScenario(context, run, this, sizes, { details: [describeAnswers(sent)] });
  },
};
