import { createLogger, EXIT_CONFIG, EXIT_FAILURE, isAppError } from "@sms-todo/shared";
import { migrateDatabases } from "./databases/databases.js";
import { loadTodoDomainConfig } from "./todo-domain.config.js";

// The migration entry point: `npm start` and the Kubernetes migration Job run it before the services.
// The level is known once the config is read; a config error is still logged, at the default level.
const logger = createLogger({ name: "migrate" });
try {
  const config = loadTodoDomainConfig(process.env);
  logger.level = config.LOG_LEVEL;
  const applied = await migrateDatabases({
    todo: config.TODO_DATABASE_URL,
    audit: config.AUDIT_DATABASE_URL,
    transcription: config.TRANSCRIPTION_DATABASE_URL,
  });
  logger.info({ applied }, "databases migrated");
} catch (error) {
  logger.fatal({ err: error }, "migration failed");
  process.exitCode = isAppError(error) && error.code === "CONFIG" ? EXIT_CONFIG : EXIT_FAILURE;
}
