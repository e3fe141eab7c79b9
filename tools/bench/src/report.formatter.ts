import { SERVICES } from "@sms-todo/testkit";
import type { BenchConfig } from "./bench.config.js";
import { MACHINE, otherWork } from "./cpu-usage.probe.js";
import { BENCH_PROCESS, type EndToEndRun } from "./end-to-end.benchmark.js";
import type { IngressFigures } from "./ingress.benchmark.js";
import type { LoadResult } from "./load-generator.protocol.js";
import type { MachineInfo } from "./machine.info.js";
import { totalMegabytes, type MemorySample } from "./process-memory.probe.js";

export interface BenchReport {
  machine: MachineInfo;
  config: BenchConfig;
  ingress: IngressFigures;
  endToEnd: { low: EndToEndRun; high: EndToEndRun };
  memory: { idle: MemorySample; endOfLoad: MemorySample; peak: MemorySample; peakTotal: number };
  postgres: { idle: number; peak: number };
  wallSeconds: number;
}

type Verdict = "ok" | "target missed" | "";

interface Row {
  measure: string;
  result: string;
  bar: string;
  verdict: Verdict;
}

/** SPEC section 6's bars, in the units the bench measures. */
const BARS = {
  ingressRatio: 0.5,
  fixedRateP99Ms: 10,
  e2eP50Ms: 15,
  e2eP99Ms: 50,
  e2eSeconds: 60,
  idleServiceMb: 90,
  loadTotalMb: 450,
  postgresConnections: 60,
};

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function rate(perSecond: number): string {
  return `${integer.format(perSecond)}/s`;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : integer.format(value)} ms`;
}

function mb(value: number | undefined): string {
  return value === undefined ? "n/a" : `${value.toFixed(1)} MB`;
}

function verdict(ok: boolean): Verdict {
  return ok ? "ok" : "target missed";
}

function throughputResult(result: LoadResult): string {
  const problems = result.refused + result.errors;
  return (
    `${rate(result.perSecond)}, p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}` +
    (problems > 0 ? `, ${integer.format(problems)} not 200 (${result.firstProblem ?? "?"})` : "")
  );
}

/** A sender far behind its schedule was itself short of CPU: its figures then say more about the machine. */
function senderLag(maxSendLagMs: number | undefined): string {
  return maxSendLagMs === undefined || maxSendLagMs < 5 ? "" : `, sender up to ${ms(maxSendLagMs)} behind schedule`;
}

function endToEndResult(run: EndToEndRun): string {
  return (
    `p50 ${ms(run.latency.p50)}, p99 ${ms(run.latency.p99)} (${integer.format(run.replies)} replies; ` +
    `webhooks answered p50 ${ms(run.ackLatency.p50)}, p99 ${ms(run.ackLatency.p99)}${senderLag(run.maxSendLagMs)})`
  );
}

function backlogResult(run: EndToEndRun): string {
  const parts = [
    `${rate(run.repliesPerSecond)} replies while sending`,
    `backlog ${run.backlogGrowthPerSecond >= 0 ? "+" : ""}${run.backlogGrowthPerSecond.toFixed(1)} msg/s`,
    `last reply ${run.drainSeconds.toFixed(1)} s after the last webhook`,
  ];
  if (run.missing > 0) parts.push(`${integer.format(run.missing)} replies missing`);
  if (run.refused + run.errors > 0)
    parts.push(`${integer.format(run.refused + run.errors)} webhooks not 200 (${run.firstProblem})`);
  return parts.join(", ");
}

function largest(sample: MemorySample): { name: string; megabytes: number } {
  const entries = Object.entries(sample).sort(([, a], [, b]) => b - a);
  const [name = "none", megabytes = 0] = entries[0] ?? [];
  return { name, megabytes };
}

function rowsOf(report: BenchReport): Row[] {
  const { ingress, endToEnd, memory, postgres, config } = report;
  const { bare, confirm, ingress: service } = ingress.throughput;
  const ratioToConfirm = service.perSecond / confirm.perSecond;
  const ratioToBare = service.perSecond / bare.perSecond;
  const rounds = config.rounds > 1 ? `, median of ${config.rounds} rounds` : "";
  const connections = `${config.connections} connections, ${config.ingressSeconds} s${rounds}`;
  const shortRun = (seconds: number) => (seconds < BARS.e2eSeconds ? ` (${seconds} s; SPEC: ${BARS.e2eSeconds} s)` : "");
  const idleLargest = largest(memory.idle);
  const { low, high } = endToEnd;
  return [
    {
      measure: `reference: bare node:http, form + signature (${connections})`,
      result: throughputResult(bare),
      bar: "",
      verdict: "",
    },
    {
      measure: "reference: the same + quorum-queue publish, answer after confirm",
      result: throughputResult(confirm),
      bar: "",
      verdict: "",
    },
    { measure: "ingress, answer after confirm", result: throughputResult(service), bar: "", verdict: "" },
    {
      measure: "ingress / reference with confirm",
      result: ratioToConfirm.toFixed(2),
      bar: `≥ ${BARS.ingressRatio}`,
      verdict: verdict(ratioToConfirm >= BARS.ingressRatio),
    },
    { measure: "ingress / bare reference", result: ratioToBare.toFixed(2), bar: "", verdict: "" },
    {
      measure: `ingress at a fixed ${integer.format(ingress.fixedRate.rate)} webhooks/s (${config.fixedSeconds} s)`,
      result: `${throughputResult(ingress.fixedRate)}${senderLag(ingress.fixedRate.maxSendLagMs)}`,
      bar: `p99 ≤ ${BARS.fixedRateP99Ms} ms`,
      verdict: verdict(ingress.fixedRate.latency.p99 <= BARS.fixedRateP99Ms && ingress.fixedRate.refused === 0),
    },
    {
      measure: `end to end at ${integer.format(low.rate)} msg/s${shortRun(low.seconds)}: webhook → reply SMS`,
      result: endToEndResult(low),
      bar: `p50 ≤ ${BARS.e2eP50Ms} ms, p99 ≤ ${BARS.e2eP99Ms} ms`,
      verdict: verdict(low.latency.p50 <= BARS.e2eP50Ms && low.latency.p99 <= BARS.e2eP99Ms && low.missing === 0),
    },
    {
      measure: `end to end at ${integer.format(low.rate)} msg/s: backlog`,
      result: backlogResult(low),
      bar: "no growing backlog",
      verdict: verdict(!low.backlogGrew),
    },
    {
      measure: `end to end at ${integer.format(high.rate)} msg/s (${high.seconds} s): backlog`,
      result: backlogResult(high),
      bar: "no growing backlog",
      verdict: verdict(!high.backlogGrew),
    },
    {
      measure: `end to end at ${integer.format(high.rate)} msg/s: webhook → reply SMS`,
      result: endToEndResult(high),
      bar: "",
      verdict: "",
    },
    {
      measure: "RSS idle, largest service",
      result: `${mb(idleLargest.megabytes)} (${idleLargest.name})`,
      bar: `each ≤ ${BARS.idleServiceMb} MB`,
      verdict: verdict(idleLargest.megabytes <= BARS.idleServiceMb),
    },
    {
      measure: "RSS of the five together, under load",
      result: `${mb(memory.peakTotal)} at most, ${mb(totalMegabytes(memory.endOfLoad))} at the end of the load`,
      bar: `≤ ${BARS.loadTotalMb} MB`,
      verdict: verdict(memory.peakTotal <= BARS.loadTotalMb),
    },
    {
      measure: "Postgres connections of the stack",
      result: `${postgres.idle} idle, ${postgres.peak} at most under load`,
      bar: `≤ ${BARS.postgresConnections}`,
      verdict: verdict(postgres.peak <= BARS.postgresConnections && postgres.idle <= BARS.postgresConnections),
    },
  ];
}

function memoryRows(report: BenchReport): string[][] {
  const { idle, endOfLoad, peak, peakTotal } = report.memory;
  const rows = SERVICES.map((name) => [name, mb(idle[name]), mb(endOfLoad[name]), mb(peak[name])]);
  rows.push(["all five", mb(totalMegabytes(idle)), mb(totalMegabytes(endOfLoad)), mb(peakTotal)]);
  return rows;
}

function percent(value: number | undefined): string {
  return value === undefined ? "n/a" : `${integer.format(value)} %`;
}

function ingressCpuRows(report: BenchReport): string[][] {
  const { throughput, fixedRate } = report.ingress;
  const row = (label: string, result: LoadResult) => [
    label,
    percent(result.cpu?.server),
    percent(result.cpu?.["load generator"]),
    percent(result.cpu?.rabbitmq),
    percent(result.cpu?.[MACHINE]),
    percent(result.cpu && otherWork(result.cpu)),
  ];
  return [
    row("bare reference", throughput.bare),
    row("reference with confirm", throughput.confirm),
    row("ingress", throughput.ingress),
    row(`ingress at ${integer.format(fixedRate.rate)}/s`, fixedRate),
  ];
}

function endToEndCpuRows(report: BenchReport): string[][] {
  const { low, high } = report.endToEnd;
  const names = [...SERVICES, BENCH_PROCESS, "rabbitmq", "postgres", "redis", MACHINE];
  const label = (name: string) =>
    name === "rabbitmq" || name === "postgres" || name === "redis" ? `${name} (every process of it on the machine)` : name;
  return [
    ...names.map((name) => [label(name), percent(low.cpu[name]), percent(high.cpu[name])]),
    ["other work (whole machine minus the above)", percent(otherWork(low.cpu)), percent(otherWork(high.cpu))],
  ];
}

const INGRESS_CPU_HEADER = [
  "ingress measurement: CPU, % of one core",
  "server",
  "load generator",
  "rabbitmq",
  "whole machine",
  "other work",
];

const MEMORY_HEADER = ["service", "RSS idle", "RSS at the end of the load", "RSS peak under load"];
const MAIN_HEADER = ["measure", "result", "SPEC bar", "verdict"];

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

function markdownTable(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

function machineLine(machine: MachineInfo): string {
  const load = machine.loadAverage.map((value) => value.toFixed(2)).join(", ");
  return (
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGigabytes.toFixed(1)} GB RAM, Node ${machine.node}, ` +
    `PostgreSQL ${machine.postgres}; load average at the start ${load}; ${machine.date}`
  );
}

function runLine(report: BenchReport): string {
  const { config } = report;
  return (
    `ingress ${config.ingressSeconds} s per measurement after ${config.warmupSeconds} s warm-up, ${config.connections} connections, ` +
    `${config.rounds} round(s); fixed rate ${config.fixedRate}/s for ${config.fixedSeconds} s; end to end ` +
    `${config.e2eRate}/s for ${config.e2eSeconds} s and ${config.highRate}/s for ${config.highSeconds} s; ` +
    `whole run ${Math.round(report.wallSeconds)} s` +
    `; services' NODE_OPTIONS ${config.nodeOptions === undefined ? "their own" : `"${config.nodeOptions}" instead of their own`}`
  );
}

function roundsLine(report: BenchReport): string | undefined {
  if (report.config.rounds < 2) return undefined;
  const { rounds } = report.ingress;
  const list = (results: LoadResult[]) => results.map((result) => integer.format(result.perSecond)).join(", ");
  return `Rounds (webhooks/s): bare ${list(rounds.bare)}; with confirm ${list(rounds.confirm)}; ingress ${list(rounds.ingress)}.`;
}

export function missedTargets(report: BenchReport): string[] {
  return rowsOf(report)
    .filter((row) => row.verdict === "target missed")
    .map((row) => row.measure);
}

function endToEndCpuHeader(report: BenchReport): string[] {
  const { low, high } = report.endToEnd;
  return [
    "end to end: CPU while sending, % of one core",
    `at ${integer.format(low.rate)}/s`,
    `at ${integer.format(high.rate)}/s`,
  ];
}

export function formatText(report: BenchReport): string {
  const rows = rowsOf(report).map((row) => [row.measure, row.result, row.bar, row.verdict]);
  return [
    `machine: ${machineLine(report.machine)}`,
    `run: ${runLine(report)}`,
    "",
    textTable(MAIN_HEADER, rows),
    "",
    textTable(MEMORY_HEADER, memoryRows(report)),
    "",
    textTable(INGRESS_CPU_HEADER, ingressCpuRows(report)),
    "",
    textTable(endToEndCpuHeader(report), endToEndCpuRows(report)),
    ...(roundsLine(report) ? ["", roundsLine(report)!] : []),
  ].join("\n");
}

export function formatMarkdown(report: BenchReport): string {
  const rows = rowsOf(report).map((row) => [row.measure, row.result, row.bar, row.verdict]);
  return [
    `### Measured ${report.machine.date}`,
    "",
    ...(report.config.note ? [`**${report.config.note}**`, ""] : []),
    `- Machine: ${machineLine(report.machine)}`,
    `- Run: ${runLine(report)}`,
    "",
    markdownTable(MAIN_HEADER, rows),
    "",
    markdownTable(MEMORY_HEADER, memoryRows(report)),
    "",
    markdownTable(INGRESS_CPU_HEADER, ingressCpuRows(report)),
    "",
    markdownTable(endToEndCpuHeader(report), endToEndCpuRows(report)),
    ...(roundsLine(report) ? ["", roundsLine(report)!] : []),
  ].join("\n");
}
