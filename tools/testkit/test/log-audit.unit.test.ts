import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChildProcessRunner } from "../src/child-process.runner.js";
import { auditBody, scanAuditedLogs } from "../src/log-audit.js";
import { captureLogs } from "../src/log-capture.js";
import { inboundSmsFields } from "../src/webhook-signer.js";

describe("the test suites' log scan", () => {
  it("when a test logger and a child process print a text and a number a test used, then the file's scan finds both, and nothing after", async () => {
    inboundSmsFields({ accountSid: "AC1", from: "+15557650001", body: "pick up the dry cleaning" });
    auditBody("renew the passport");
    const { logger } = captureLogs("audited");
    logger.warn({ note: "pick up the dry cleaning" }, "a text where no text belongs");

    const dir = await mkdtemp(join(tmpdir(), "log-audit-"));
    try {
      const script = join(dir, "prints.mjs");
      // Prints its line, then runs until stopped, as a service does.
      await writeFile(
        script,
        'console.log(JSON.stringify({ msg: "renew the passport", digits: "5557650001" }));\nsetInterval(() => {}, 1000);\n',
      );
      const child = new ChildProcessRunner("printer", script);
      await child.waitForLine((line) => line.includes("passport"), 10_000, "its line");
      await child.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const scan = scanAuditedLogs();
    expect(scan.lines).toBe(2);
    expect(scan.samples).toEqual([
      { kind: "message body", source: "audited", sample: "pick up the dry cleaning" },
      { kind: "phone number", source: "printer", sample: "…0001 (a used number)" },
      { kind: "message body", source: "printer", sample: "renew the passport" },
    ]);
    // The lines were scanned once and let go; the file's own scan at its end finds nothing more.
    expect(scanAuditedLogs().lines).toBe(0);
  });
});
