import type { Migrations } from "@sms-todo/shared/database";
import { initial } from "./migrations/2026-11-22-0001-initial.migration.js";

export const spoolMigrations: Migrations = {
  "2026-11-22-0001-initial": initial,
};
