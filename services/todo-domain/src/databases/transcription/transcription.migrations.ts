import type { Migrations } from "@sms-todo/shared/database";
import { initial } from "./migrations/2026-11-22-0001-initial.migration.js";
import { transcriptMetadata } from "./migrations/2026-11-22-0002-transcript-metadata.migration.js";

export const transcriptionMigrations: Migrations = {
  "2026-11-22-0001-initial": initial,
  "2026-11-22-0002-transcript-metadata": transcriptMetadata,
};
