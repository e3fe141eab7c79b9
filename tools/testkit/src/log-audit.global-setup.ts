import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import type { LeakFinding, LeakKind } from "./log-leak.scanner.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where each test file's log scan writes its counts (log-audit.setup.ts). */
    logAuditDir: string;
  }
}

interface FileReport {
  file: string;
  lines: number;
  counts: Record<LeakKind, number>;
  samples: LeakFinding[];
}

/** Gives the project's test files a folder for their log-scan counts, and prints the totals when they are done. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "sms-todo-log-audit-"));
  project.provide("logAuditDir", dir);
  return async () => {
    const reports: FileReport[] = [];
    for (const name of await readdir(dir)) {
      const text = await readFile(join(dir, name), "utf8");
      for (const line of text.split("\n").filter(Boolean)) reports.push(JSON.parse(line) as FileReport);
    }
    await rm(dir, { recursive: true, force: true });
    const total = (kind: LeakKind) => reports.reduce((sum, report) => sum + report.counts[kind], 0);
    const lines = reports.reduce((sum, report) => sum + report.lines, 0);
    const failing = reports.filter((report) => report.samples.length > 0).length;
    console.log(
      `log scan (${project.name}): ${lines.toLocaleString("en-US")} log lines of ${reports.length} test files; ` +
        `unmasked phone numbers ${total("phone number")}, message texts ${total("message body")}, secrets ${total("secret")}` +
        (failing > 0 ? `; ${failing} files failed it` : ""),
    );
  };
}
