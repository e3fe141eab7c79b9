import { createLogger, runService } from "@sms-todo/shared";
import { loadTodoDomainConfig } from "./todo-domain.config.js";
import { composeTodoDomain } from "./todo-domain.composition.js";

// The level is known once the config is read; a config error is still logged, at the default level.
const logger = createLogger({ name: "todo-domain" });

await runService({
  logger,
  create: () => {
    const config = loadTodoDomainConfig(process.env);
    logger.level = config.LOG_LEVEL;
    return composeTodoDomain(config, { logger });
  },
});
