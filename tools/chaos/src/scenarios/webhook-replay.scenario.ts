import { WebhookPoster } from "@sms-todo/testkit";
import { textTokenOf, type LedgerEntry } from "../ledger/message.ledger.js";
import { beginScenario, describeAnswers, finishScenario, formatCount, sendMessages } from "./scenario.steps.js";
import type { Scenario } from "./scenario.types.js";

/**
 * SPEC 6: every webhook replayed 3 times, concurrently and later; exactly one effect each.
 * Each webhook goes out with its replays at the same moment (as Twilio's retries can overlap
 * a slow answer), and once its reply arrived, once more (a retry long after the fact). Every
 * copy is the identical signed request, so ingress accepts them all; the MessageSid is what
 * must make them one todo and one reply.
 */
export const webhookReplayScenario: Scenario = {
  number: 4,
  title: "every webhook replayed, concurrently and later",
  async run(context) {
    const { webhooks, rate, concurrentReplays, laterReplays } = context.config.replays;
    const { stack } = context.chaos;
    const run = beginScenario(context, 4);
    const numbers = Math.ceil(webhooks / context.config.textsPerNumber);
    const sizes =
      `${formatCount(webhooks)} webhooks at ${rate}/s from ${formatCount(numbers)} numbers, each posted ` +
      `${1 + concurrentReplays} times at once and ${laterReplays} more time(s) after its reply`;
    context.progress(`[4] ${sizes}`);

    const poster = new WebhookPoster(stack.ingressOrigin);
    let unanswered = 0;
    const replay = (entry: LedgerEntry, copies: number) => {
      for (let copy = 0; copy < copies; copy += 1) {
        unanswered += 1;
        void poster.post(entry.webhook).then(({ status }) => {
          entry.statuses.push(status);
          unanswered -= 1;
        });
      }
    };
    const repliedTo = new Set<string>();
    const stopListening = stack.twilio.onSms((sms) => {
      const entry = run.ledger.byTodoText(textTokenOf(sms.body) ?? "");
      if (!entry || repliedTo.has(entry.text)) return;
      repliedTo.add(entry.text);
      replay(entry, laterReplays);
    });

    try {
      const sent = await sendMessages(context, run, {
        messages: webhooks,
        rate,
        onSending: (entry) => replay(entry, concurrentReplays),
      });
      context.progress(`[4] ${describeAnswers(sent)} (originals); waiting for the replays and the stack to settle`);
      return await finishScenario(context, run, this, sizes, {
        details: [describeAnswers(sent) + " (originals; the replays' answers are in the row)"],
        pending: () => (unanswered > 0 ? `${unanswered} replays not answered yet` : undefined),
      });
    } finally {
      stopListening();
      poster.close();
    }
  },
};
