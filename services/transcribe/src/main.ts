import { createLogger, runService } from "@sms-todo/shared";
import { loadTranscribeConfig } from "./transcribe.config.js";
import { composeTranscribe } from "./transcribe.composition.js";

// The level is known once the config is read; a config error is still logged, at the default level.
const logger = createLogger({ name: "transcribe" });

await runService({
  logger,
  create: () => {
    const config = loadTranscribeConfig(process.env);
    logger.level = config.LOG_LEVEL;
    return composeTranscribe(config, { logger });
  },
});
