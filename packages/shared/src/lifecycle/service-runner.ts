import { constants } from "node:os";
import type { Logger } from "pino";
import { isAppError } from "../errors/app-error.js";
import { otlpTracesUrlOf, startTracing, type Tracing } from "../tracing/otlp-tracing.js";
import type { App } from "./app.js";

/*
 * Exit codes of a service process (docs/operations.md):
 * - 130 and 143, 128 + the signal's number as shells report it: stopped cleanly after SIGINT or
 *   SIGTERM. Kubernetes counts 143 after its own SIGTERM as a normal end.
 * - 1: the service failed to start; its stop failed or overran the deadline; a second signal cut
 *   the stop short; or an uncaught exception or unhandled rejection, after which the app is stopped
 *   first, within the same deadline.
 * - 78 (sysexits EX_CONFIG): the configuration is invalid; restarting will not help.
 */
export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 78;

export type StopSignal = "SIGINT" | "SIGTERM";

/** The exit code of a clean stop after the signal: 130 after SIGINT, 143 after SIGTERM. */
export const EXIT_AFTER_SIGNAL: Readonly<Record<StopSignal, number>> = Object.freeze({
  SIGINT: 128 + constants.signals.SIGINT,
  SIGTERM: 128 + constants.signals.SIGTERM,
});

export interface RunServiceOptions {
  logger: Logger;
  /** Builds the app: read config, create connections, call createApp. */
  create: () => Promise<App> | App;
  /** How long stop may take, after a signal or a crash, before the process exits anyway. */
  shutdownTimeoutMs?: number;
  /**
   * Where the standard OpenTelemetry variables are read: with OTEL_EXPORTER_OTLP_ENDPOINT
   * (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, traces are exported, named by
   * OTEL_SERVICE_NAME or else the logger's service name. process.env when omitted.
   */
  env?: NodeJS.ProcessEnv;
}

/**
 * Owns a service process: starts tracing when configured, starts the app, stops it on SIGINT or
 * SIGTERM, and on an uncaught exception or unhandled rejection, within a deadline, and maps the
 * outcome to an exit code (above). A second signal exits at once.
 */
export async function runService({
  logger,
  create,
  shutdownTimeoutMs = 10_000,
  env = process.env,
}: RunServiceOptions): Promise<void> {
  const tracing = await startTracingIfConfigured(logger, env);
  let app: App | undefined;
  let started = false;
  let stopping = false;
  let crashedWhileStopping = false;

  const exit = (code: number): never => {
    logger.flush();
    process.exit(code);
  };

  const stopThenExit = async (code: number): Promise<void> => {
    stopping = true;
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, "shutdown deadline passed, exiting");
      exit(EXIT_FAILURE);
    }, shutdownTimeoutMs);
    try {
      await app?.stop();
      await tracing?.shutdown();
    } catch (error) {
      logger.error({ err: error }, "stop failed");
      exit(EXIT_FAILURE);
    }
    logger.info("stopped");
    exit(crashedWhileStopping ? EXIT_FAILURE : code);
  };

  // What was running when it happened may be half done: the app stops rather than run on in a state nobody knows.
  const crash = (what: string) => (error: unknown) => {
    logger.fatal({ err: error }, what);
    if (stopping) crashedWhileStopping = true;
    else if (started) void stopThenExit(EXIT_FAILURE);
    else exit(EXIT_FAILURE);
  };
  process.on("uncaughtException", crash("uncaught exception"));
  process.on("unhandledRejection", crash("unhandled rejection"));

  try {
    app = await create();
    await app.start();
  } catch (error) {
    const config = isAppError(error) && error.code === "CONFIG";
    logger.fatal({ err: error }, config ? "configuration is invalid" : "service failed to start");
    exit(config ? EXIT_CONFIG : EXIT_FAILURE);
  }
  started = true;
  logger.info("service started");

  const shutdown = (signal: StopSignal) => {
    if (stopping) {
      logger.warn({ signal }, "second signal, exiting now");
      exit(EXIT_FAILURE);
    }
    logger.info({ signal }, "stopping");
    void stopThenExit(EXIT_AFTER_SIGNAL[signal]);
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

/** Tracing is optional: a broken setup is reported and the service runs without it. */
async function startTracingIfConfigured(logger: Logger, env: NodeJS.ProcessEnv): Promise<Tracing | undefined> {
  const tracesUrl = otlpTracesUrlOf(env);
  if (!tracesUrl) return undefined;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || String(logger.bindings().service ?? "sms-todo");
  try {
    return await startTracing({ serviceName, tracesUrl, logger, env });
  } catch (error) {
    logger.warn({ err: error, tracesUrl }, "tracing could not be started; running without it");
    return undefined;
  }
}

export interface ComposedServiceOptions<C extends { readonly LOG_LEVEL: string }> {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Reads and validates the service's config; throws AppError CONFIG naming what is wrong. */
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  /** The service's compose function: the config and its logger in, the app out. */
  compose: (config: C, overrides: { logger: Logger }) => Promise<App> | App;
}

/**
 * What every service's main.ts runs: the config read from `env`, the logger's level set from it
 * (the logger exists before the config so an invalid configuration is still reported, at the
 * default level), the app composed, and runService around it all.
 */
export function runComposedService<C extends { readonly LOG_LEVEL: string }>({
  logger,
  env,
  loadConfig,
  compose,
}: ComposedServiceOptions<C>): Promise<void> {
  return runService({
    logger,
    env,
    create: () => {
      const config = loadConfig(env);
      logger.level = config.LOG_LEVEL;
      return compose(config, { logger });
    },
  });
}
