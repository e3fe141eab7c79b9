import { randomUUID } from "node:crypto";
import { runCommand } from "../commands/command.transaction.js";
import type { CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { Outcome } from "../outcomes/outcome.types.js";
import { updateUserSettings, type UserSettings } from "./user.repository.js";

/** One change of the settings a user can make by SMS; validated by the gRPC edge. */
export type SettingsChange =
  { type: "summary-time"; summaryTime: string } | { type: "summary-off" } | { type: "timezone"; timezone: string };

/**
 * Changes the daily summary time or the timezone. A change is audited
 * ("user.settings_changed") and runs as a saga like any other; its revert plan restores
 * the previous settings, for compensation only: "undo" does not take settings back.
 * Setting what is already set changes nothing and records nothing.
 */
export async function updateSettings(deps: CommandDeps, context: CommandContext, change: SettingsChange): Promise<CommandResult> {
  return runCommand(deps, "update-settings", context, async (trx, user) => {
    const before: UserSettings = { summaryTime: user.summary_time, timezone: user.timezone };
    const after = applied(before, change);
    const outcome: Outcome = { kind: "settings", ...after };
    if (after.summaryTime === before.summaryTime && after.timezone === before.timezone)
      return { outcome, auditEvents: [], revert: { type: "none" } };
    await updateUserSettings(trx, user.id, after);
    return {
      outcome,
      auditEvents: [
        {
          eventId: randomUUID(),
          action: "user.settings_changed",
          todoId: null,
          data: { before, after },
          occurredAt: new Date().toISOString(),
        },
      ],
      revert: { type: "restore-settings", summaryTime: before.summaryTime, timezone: before.timezone },
    };
  });
}

function applied(settings: UserSettings, change: SettingsChange): UserSettings {
  switch (change.type) {
    case "summary-time":
      return { ...settings, summaryTime: change.summaryTime };
    case "summary-off":
      return { ...settings, summaryTime: null };
    case "timezone":
      return { ...settings, timezone: change.timezone };
  }
}
