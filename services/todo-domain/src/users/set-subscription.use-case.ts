import { randomUUID } from "node:crypto";
import { runCommand } from "../commands/command.transaction.js";
import type { CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { Outcome } from "../outcomes/outcome.types.js";
import { setUserOptedOut } from "./user.repository.js";

/**
 * Opts the sender out of messages (STOP and its synonyms) or back in (START). The carrier
 * answers those keywords itself, so no reply is ever sent for this outcome. A change is
 * audited ("user.opted_out" / "user.opted_in") and compensatable; one that changes nothing
 * records nothing.
 */
export async function setSubscription(deps: CommandDeps, context: CommandContext, subscribed: boolean): Promise<CommandResult> {
  return runCommand(deps, "set-subscription", context, async (trx, user) => {
    const optedOut = !subscribed;
    const outcome: Outcome = { kind: "subscription", subscribed };
    if (user.opted_out === optedOut) return { outcome, auditEvents: [], revert: { type: "none" }, optedOut, reply: false };
    await setUserOptedOut(trx, user.id, optedOut);
    return {
      outcome,
      auditEvents: [
        {
          eventId: randomUUID(),
          action: optedOut ? "user.opted_out" : "user.opted_in",
          todoId: null,
          data: { optedOut },
          occurredAt: new Date().toISOString(),
        },
      ],
      revert: { type: "restore-subscription", optedOut: user.opted_out },
      optedOut,
      reply: false,
    };
  });
}
