import { createLogger, runComposedService } from "@sms-todo/shared";
import { loadNotifierConfig } from "./notifier.config.js";
import { composeNotifier } from "./notifier.composition.js";

// The composition root: the one place that reads the environment and creates the logger.
const logger = createLogger({ name: "notifier" });

await runComposedService({ logger, env: process.env, loadConfig: loadNotifierConfig, compose: composeNotifier });
