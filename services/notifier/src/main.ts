import { createLogger, runService } from "@sms-todo/shared";
import { loadNotifierConfig } from "./notifier.config.js";
import { composeNotifier } from "./notifier.composition.js";

const logger = createLogger({ name: "notifier" });

await runService({
  logger,
  create: () => {
    const config = loadNotifierConfig(process.env);
    logger.level = config.LOG_LEVEL;
    return composeNotifier(config, { logger });
  },
});
