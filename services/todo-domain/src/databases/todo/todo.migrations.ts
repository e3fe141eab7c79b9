import type { Migrations } from "@sms-todo/shared/database";
import { initial } from "./migrations/2026-11-22-0001-initial.migration.js";
import { sagaLogUndo } from "./migrations/2026-11-22-0002-saga-log-undo.migration.js";
import { todosRowSecurity } from "./migrations/2026-11-22-0003-todos-row-security.migration.js";
import { summaryClaims } from "./migrations/2026-11-22-0004-summary-claims.migration.js";
import { namedListsAndReference } from "./migrations/2026-12-07-0005-named-lists-and-reference.migration.js";
import { dueDatesAndReminders } from "./migrations/2026-12-08-0006-due-dates-and-reminders.migration.js";

export const todoMigrations: Migrations = {
  "2026-11-22-0001-initial": initial,
  "2026-11-22-0002-saga-log-undo": sagaLogUndo,
  "2026-11-22-0003-todos-row-security": todosRowSecurity,
  "2026-11-22-0004-summary-claims": summaryClaims,
  "2026-12-07-0005-named-lists-and-reference": namedListsAndReference,
  "2026-12-08-0006-due-dates-and-reminders": dueDatesAndReminders,
};
