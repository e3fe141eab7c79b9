import { createLogger, runService } from "@sms-todo/shared";
import { loadIngressConfig } from "./ingress.config.js";
import { composeIngress } from "./ingress.composition.js";

// The level is only known once the config parsed; a config error must still be logged, at the default level.
const logger = createLogger({ name: "ingress" });

await runService({
  logger,
  create: () => {
    const config = loadIngressConfig(process.env);
    logger.level = config.LOG_LEVEL;
    return composeIngress(config, { logger });
  },
});
