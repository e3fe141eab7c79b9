import { setTimeout as delay } from "node:timers/promises";
import type { ServiceName } from "@sms-todo/testkit";
import { between } from "../harness/seeded.random.js";
import { beginScenario, describeAnswers, finishScenario, formatCount, sendMessages } from "./scenario.steps.js";
import type { Scenario } from "./scenario.types.js";

const WORKERS: readonly ServiceName[] = ["command", "transcribe", "notifier", "todo-domain"];

/**
 * SPEC 6: workers killed with SIGKILL at random during 5,000 messages; 0 lost, 0 duplicated.
 * While the messages go out, a random worker is killed at a random moment, then started again
 * at once (as Kubernetes would restart it); every few dozen messages is a voice note, so
 * transcribe has work to lose too.
 */
export const workerKillScenario: Scenario = {
  number: 2,
  title: "workers killed with SIGKILL at random and restarted",
  async run(context) {
    const { messages, rate, killMinSeconds, killMaxSeconds, voiceEvery } = context.config.workerKills;
    const { stack } = context.chaos;
    const run = beginScenario(context, 2);
    const numbers = Math.ceil(messages / context.config.textsPerNumber);
    const voiceNotes = voiceEvery > 0 ? Math.ceil(messages / voiceEvery) : 0;
    const sizes =
      `${formatCount(messages)} messages at ${rate}/s from ${formatCount(numbers)} numbers (${formatCount(voiceNotes)} voice notes); ` +
      `a random worker killed every ${killMinSeconds}–${killMaxSeconds} s`;
    context.progress(`[2] ${sizes}`);

    const kills: Record<string, number> = Object.fromEntries(WORKERS.map((name) => [name, 0]));
    let sending = true;
    let killerFailure: Error | undefined;
    const killer = (async () => {
      for (;;) {
        await delay(between(context.random, killMinSeconds, killMaxSeconds) * 1000);
        if (!sending) return;
        const victim = WORKERS[Math.floor(context.random() * WORKERS.length)]!;
        await stack.kill(victim, "SIGKILL");
        kills[victim] = (kills[victim] ?? 0) + 1;
        await stack.restart(victim);
      }
    })().catch((error: Error) => {
      killerFailure = error;
    });
    let sent;
    try {
      sent = await sendMessages(context, run, {
        messages,
        rate,
        isVoiceNote: (index) => voiceEvery > 0 && index % voiceEvery === voiceEvery - 1,
      });
    } finally {
      sending = false;
    }
    await killer;
    if (killerFailure) throw killerFailure;
    const killed = Object.entries(kills)
      .map(([name, count]) => `${name} ${count}`)
      .join(", ");
    context.progress(`[2] ${describeAnswers(sent)}; kills: ${killed}; waiting for the stack to settle`);
    return finishScenario(context, run, this, sizes, { details: [describeAnswers(sent), `SIGKILLs: ${killed}`] });
  },
};
