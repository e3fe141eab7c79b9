import { runCommand } from "../commands/command.transaction.js";
import type { CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";

/**
 * "more": the notifier keeps the pages of long replies, so this changes nothing and only
 * asks it, through the usual reply event, for the next page. Idempotent like every command.
 */
export async function requestNextPage(deps: CommandDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "next-page", context, async () => ({
    outcome: { kind: "more" },
    auditEvents: [],
    revert: { type: "none" },
  }));
}
