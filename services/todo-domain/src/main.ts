import { createLogger, runComposedService } from "@sms-todo/shared";
import { loadTodoDomainConfig } from "./todo-domain.config.js";
import { composeTodoDomain } from "./todo-domain.composition.js";

// The composition root: the one place that reads the environment and creates the logger.
const logger = createLogger({ name: "todo-domain" });

await runComposedService({ logger, env: process.env, loadConfig: loadTodoDomainConfig, compose: composeTodoDomain });
