import { Writable } from "node:stream";
import { createLogger, type Logger } from "@sms-todo/shared";
import { auditLogLine } from "./log-audit.js";

export interface CapturedLogs {
  logger: Logger;
  /** Every line written so far, raw. */
  lines: string[];
}

/**
 * A destination for a project logger that hands each line it writes to `onLine`, and to the
 * suite's log scan: every logger a test makes writes through one of these.
 */
export function logLineDestination(name: string, onLine: (line: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        auditLogLine(name, line);
        onLine(line);
      }
      callback();
    },
  });
}

/** A real project logger whose lines are kept in memory, so tests can read them. */
export function captureLogs(name = "test", level = "debug"): CapturedLogs {
  const lines: string[] = [];
  const destination = logLineDestination(name, (line) => lines.push(line));
  return { logger: createLogger({ name, level, destination }), lines };
}
