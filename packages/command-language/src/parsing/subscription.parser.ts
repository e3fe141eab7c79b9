/**
 * Opt-out and opt-in: as Twilio classified the message, or as a line that is only such a
 * keyword (see command.parser for why one line decides the whole message).
 */
import type { Command } from "../commands/command.model.js";
import { HELP, OPT_IN, OPT_IN_PHRASES, OPT_OUT, OPT_OUT_PHRASES } from "./command.keywords.js";
import { matchingTokens, phraseOf } from "./text.normalizer.js";

/** Twilio has already classified the message as an opt-out, opt-in or help keyword. */
export function carrierCommand(optOutType: string | undefined): Command | undefined {
  switch (optOutType?.trim().toUpperCase()) {
    case "STOP":
      return OPT_OUT;
    case "START":
      return OPT_IN;
    case "HELP":
      return HELP;
    default:
      return undefined;
  }
}

export function subscriptionIn(lines: readonly string[]): Command | undefined {
  const phrases = lines.map((line) => phraseOf(matchingTokens(line)));
  if (phrases.some((phrase) => OPT_OUT_PHRASES.has(phrase))) return OPT_OUT;
  if (phrases.some((phrase) => OPT_IN_PHRASES.has(phrase))) return OPT_IN;
  return undefined;
}
