import { createLogger, runComposedService } from "@sms-todo/shared";
import { loadIngressConfig } from "./ingress.config.js";
import { composeIngress } from "./ingress.composition.js";

// The composition root: the one place that reads the environment and creates the logger.
const logger = createLogger({ name: "ingress" });

await runComposedService({ logger, env: process.env, loadConfig: loadIngressConfig, compose: composeIngress });
