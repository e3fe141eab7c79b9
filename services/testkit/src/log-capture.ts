import { Writable } from "node:stream";
import { createLogger, type Logger } from "@sms-todo/shared";

export interface CapturedLogs {
  logger: Logger;
  /** Every line written so far, raw. */
  lines: string[];
}

/** A real project logger whose lines are kept in memory, so tests can read and scan them. */
export function captureLogs(name = "test", level = "debug"): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ name, level, destination }), lines };
}
