import { pino, type Logger, type LoggerOptions, type DestinationStream } from "pino";
import { activeTraceIds } from "../tracing/spans.js";
import { currentCorrelationId } from "./correlation-context.js";
import { maskFields, maskText } from "./masking.js";

export type { Logger } from "pino";

export interface LoggerSettings {
  /** Service name, written as `service` on every line. */
  name: string;
  level?: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the lines. */
  destination?: DestinationStream;
}

/**
 * The project's pino logger: JSON lines, every field and message passed through the
 * masking rules, errors serialised with their code. Every line written while a message
 * is handled carries that message's `correlationId` (and, with tracing on, `traceId` and
 * `spanId`), whichever child logger wrote it.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? "info",
    base: { service: settings.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: correlationFields,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => maskFields(object) as Record<string, unknown>,
    },
    serializers: {
      err: (error: unknown) => {
        if (!(error instanceof Error)) return maskFields(error);
        const code = (error as { code?: unknown }).code;
        return {
          type: error.name,
          code,
          message: maskText(error.message),
          stack: error.stack ? maskText(error.stack) : undefined,
        };
      },
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === "string" ? maskText(arg) : arg)) as typeof args;
        method.apply(this, masked);
      },
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

function correlationFields(): Record<string, string> {
  const correlationId = currentCorrelationId();
  const trace = activeTraceIds();
  if (!trace) return correlationId ? { correlationId } : {};
  return correlationId ? { correlationId, ...trace } : trace;
}
