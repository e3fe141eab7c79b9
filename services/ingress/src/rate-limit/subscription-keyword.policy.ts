import type { messaging } from "@sms-todo/contracts";
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "@sms-todo/rules";

const SUBSCRIPTION_KEYWORDS: ReadonlySet<string> = new Set([...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS]);

// Spaces and punctuation around the word, as in "Stop." or " STOP! ".
const AROUND_THE_WORD = /^[\s\p{P}]+|[\s\p{P}]+$/gu;

/**
 * Whether a message opts out or back in, and so must never be dropped by the rate limit:
 * Twilio marked it (OptOutType), or the whole body is one keyword. Ingress does not parse
 * commands; a sentence such as "stop texting me" is left to the command service, and is limited.
 */
export function isSubscriptionKeyword(message: Pick<messaging.InboundMessage, "body" | "optOutType">): boolean {
  if (message.optOutType !== "") return true;
  return SUBSCRIPTION_KEYWORDS.has(message.body.replace(AROUND_THE_WORD, "").toUpperCase());
}
