import { runChangeSaga, type CommandContext, type CommandResult, type SagaDeps } from "../sagas/change.saga.js";

/**
 * "more": the notifier keeps the pages of long replies, so this changes nothing and only
 * asks it, through the usual reply event, for the next page. Idempotent like every command.
 */
export async function requestNextPage(deps: SagaDeps, context: CommandContext): Promise<CommandResult> {
  return runChangeSaga(deps, "next-page", context, async () => ({
    outcome: { kind: { $case: "more", value: {} } },
    auditEvents: [],
    revert: { type: "none" },
  }));
}
