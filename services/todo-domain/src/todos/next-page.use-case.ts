import { runCommand } from "../commands/command.transaction.js";
import type { CommandContext, CommandResult } from "../commands/command.types.js";
import type { SagaDeps } from "../sagas/saga.types.js";

/**
 * "more": the notifier keeps the pages of long replies, so this changes nothing and only
 * asks it, through the usual reply event, for the next page. Idempotent like every command.
 */
export async function requestNextPage(deps: SagaDeps, context: CommandContext): Promise<CommandResult> {
  return runCommand(deps, "next-page", context, async () => ({
    outcome: { kind: { $case: "more", value: {} } },
    auditEvents: [],
    revert: { type: "none" },
  }));
}
