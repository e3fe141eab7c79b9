import { createLogger, runComposedService } from "@sms-todo/shared";
import { loadTranscribeConfig } from "./transcribe.config.js";
import { composeTranscribe } from "./transcribe.composition.js";

// The composition root: the one place that reads the environment and creates the logger.
const logger = createLogger({ name: "transcribe" });

await runComposedService({ logger, env: process.env, loadConfig: loadTranscribeConfig, compose: composeTranscribe });
