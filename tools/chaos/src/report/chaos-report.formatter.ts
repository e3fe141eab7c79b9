import type { LogLeakScanner } from "@sms-todo/testkit";
import { countsAreClean, type ScenarioOutcome } from "../scenarios/scenario.types.js";

const n = (value: number) => value.toLocaleString("en-US");

/** The row of one scenario as it finishes, with what each non-zero count consists of. */
export function formatScenario(outcome: ScenarioOutcome): string {
  const { counts } = outcome;
  const verdict = countsAreClean(counts) ? "ok" : "FAILED";
  return [
    `[${outcome.number}] ${outcome.title}: ${verdict}`,
    `    sizes: ${outcome.sizes}`,
    `    sent ${n(counts.sent)}, acknowledged ${n(counts.acknowledged)}, lost ${n(counts.lost)}, duplicated ${n(counts.duplicated)}, unexpected ${n(counts.unexpected)}`,
    ...outcome.details.map((line) => `    ${line}`),
  ].join("\n");
}

/** Scenario 8: every line every process printed during the run. */
export function formatLogScan(leaks: LogLeakScanner): string {
  const { counts } = leaks;
  return [
    `[8] log scan of every service line: ${leaks.findings === 0 ? "ok" : "FAILED"}`,
    `    ${n(leaks.lines)} lines scanned; findings: ${n(counts["phone number"])} unmasked phone numbers, ${n(counts["message body"])} message bodies, ${n(counts.secret)} secrets`,
    ...leaks.samples.map((finding) => `    ${finding.kind} in a ${finding.source} line: ${finding.sample}`),
  ].join("\n");
}

/** The summary at the end: one markdown table, readable in a terminal and pasteable into docs/reliability.md. */
export function formatSummary(outcomes: readonly ScenarioOutcome[], leaks: LogLeakScanner, failures: readonly string[]): string {
  const rows = outcomes.map(
    (outcome) =>
      `| ${outcome.number} | ${outcome.title} | ${n(outcome.counts.sent)} | ${n(outcome.counts.acknowledged)} | ${n(outcome.counts.lost)} | ` +
      `${n(outcome.counts.duplicated)} | ${n(outcome.counts.unexpected)} | ${countsAreClean(outcome.counts) ? "ok" : "FAILED"} |`,
  );
  const logRow =
    `| 8 | log scan: lines scanned, findings (phone numbers, bodies, secrets) | ${n(leaks.lines)} | | | | ` +
    `${n(leaks.findings)} (${n(leaks.counts["phone number"])}, ${n(leaks.counts["message body"])}, ${n(leaks.counts.secret)}) | ${leaks.findings === 0 ? "ok" : "FAILED"} |`;
  return [
    "| # | scenario | sent | acknowledged | lost | duplicated | unexpected | verdict |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    logRow,
    ...failures.map((failure) => `\nharness error: ${failure}`),
  ].join("\n");
}
