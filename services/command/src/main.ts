import { createLogger, runService } from "@sms-todo/shared";
import { loadCommandConfig } from "./command.config.js";
import { composeCommand } from "./command.composition.js";

// The logger exists before the config so an invalid configuration is reported; its level follows the config once read.
const logger = createLogger({ name: "command" });

await runService({
  logger,
  create: () => {
    const config = loadCommandConfig(process.env);
    logger.level = config.LOG_LEVEL;
    return composeCommand(config, { logger });
  },
});
