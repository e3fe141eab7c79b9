import type { Logger } from "pino";
import { isAppError } from "../errors/app-error.js";
import { otlpTracesUrlOf, startTracing, type Tracing } from "../tracing/otlp-tracing.js";
import type { App } from "./app.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** sysexits EX_CONFIG: the configuration is wrong, restarting will not help. */
export const EXIT_CONFIG = 78;

export interface RunServiceOptions {
  logger: Logger;
  /** Builds the app: read config, create connections, call createApp. */
  create: () => Promise<App> | App;
  /** How long stop may take after SIGINT/SIGTERM before the process exits anyway. */
  shutdownTimeoutMs?: number;
  /**
   * Where the standard OpenTelemetry variables are read: with OTEL_EXPORTER_OTLP_ENDPOINT
   * (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, traces are exported, named by
   * OTEL_SERVICE_NAME or else the logger's service name. process.env when omitted.
   */
  env?: NodeJS.ProcessEnv;
}

/**
 * Owns a service process: starts tracing when configured, starts the app, stops it on
 * SIGINT or SIGTERM within a deadline, and maps the outcome to an exit code. A second
 * signal exits at once.
 */
export async function runService({
  logger,
  create,
  shutdownTimeoutMs = 10_000,
  env = process.env,
}: RunServiceOptions): Promise<void> {
  const tracing = await startTracingIfConfigured(logger, env);
  let app: App;
  try {
    app = await create();
    await app.start();
  } catch (error) {
    const config = isAppError(error) && error.code === "CONFIG";
    logger.fatal({ err: error }, config ? "configuration is invalid" : "service failed to start");
    logger.flush();
    process.exit(config ? EXIT_CONFIG : EXIT_FAILURE);
  }
  logger.info("service started");

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, "second signal, exiting now");
      process.exit(EXIT_FAILURE);
    }
    stopping = true;
    logger.info({ signal }, "stopping");
    const deadline = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, "shutdown deadline passed, exiting");
      logger.flush();
      process.exit(EXIT_FAILURE);
    }, shutdownTimeoutMs);
    deadline.unref();
    app.stop().then(
      async () => {
        await tracing?.shutdown();
        logger.info("stopped");
        logger.flush();
        process.exit(EXIT_OK);
      },
      (error: unknown) => {
        logger.error({ err: error }, "stop failed");
        logger.flush();
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled rejection");
  });
}

/** Tracing is optional: a broken setup is reported and the service runs without it. */
async function startTracingIfConfigured(logger: Logger, env: NodeJS.ProcessEnv): Promise<Tracing | undefined> {
  const tracesUrl = otlpTracesUrlOf(env);
  if (!tracesUrl) return undefined;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || String(logger.bindings().service ?? "sms-todo");
  try {
    return await startTracing({ serviceName, tracesUrl, logger });
  } catch (error) {
    logger.warn({ err: error, tracesUrl }, "tracing could not be started; running without it");
    return undefined;
  }
}
