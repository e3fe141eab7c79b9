import { createLogger, runComposedService } from "@sms-todo/shared";
import { loadCommandConfig } from "./command.config.js";
import { composeCommand } from "./command.composition.js";

// The composition root: the one place that reads the environment and creates the logger.
const logger = createLogger({ name: "command" });

await runComposedService({ logger, env: process.env, loadConfig: loadCommandConfig, compose: composeCommand });
