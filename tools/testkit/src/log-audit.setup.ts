import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, expect, inject } from "vitest";
import { enableLogAudit, scanAuditedLogs } from "./log-audit.js";

/**
 * Runs in every test file (vitest setupFiles): once its tests are done, every log line they made
 * is scanned for unmasked phone numbers, message texts and secrets. A finding fails the file;
 * the counts go to the run's report, which log-audit.global-setup.ts prints at the end.
 */
enableLogAudit();

afterAll(async () => {
  const scan = scanAuditedLogs();
  const report = { file: expect.getState().testPath ?? "", lines: scan.lines, counts: scan.counts, samples: scan.samples };
  await appendFile(join(inject("logAuditDir"), `${process.pid}.ndjson`), `${JSON.stringify(report)}\n`);
  expect(scan.samples, "log lines with an unmasked phone number, message text or secret").toEqual([]);
});
