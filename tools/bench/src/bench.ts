import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import {
  assertInfrastructureReachable,
  runHarness,
  startStack,
  testInfrastructure,
  type CleanupRegistry,
  type RunningStack,
} from "@sms-todo/testkit";
import { loadBenchConfig, serviceNodeOptions, USAGE, wantsHelp, type BenchConfig } from "./bench.config.js";
import { runEndToEnd, type EndToEndContext, type EndToEndRun } from "./end-to-end.benchmark.js";
import { benchmarkIngress } from "./ingress.benchmark.js";
import { describeMachine } from "./machine.info.js";
import { PERFORMANCE_DOC, writePerformanceDoc } from "./performance-doc.writer.js";
import { PostgresConnectionsProbe } from "./postgres-connections.probe.js";
import { peakMemory, sampleMemory } from "./process-memory.probe.js";
import { formatMarkdown, formatText, missedTargets, type BenchReport } from "./report.formatter.js";

/**
 * `npm run bench`: SPEC section 6's performance figures, measured against references run in
 * the same run on the same machine. Exits non-zero only when the harness itself fails; a
 * missed target is printed, not turned into an exit code, because figures on a shared
 * machine are noisy. Everything it creates (processes, databases, queues, Redis keys) is
 * removed at the end, after an error and on Ctrl-C.
 */

/** Start-up work (JIT, first connections, the recovery sweep) settles before idle memory is read. */
const IDLE_SETTLE_MS = 3_000;

function progress(line: string): void {
  process.stdout.write(`bench: ${line}\n`);
}

function assertStackAlive(stack: RunningStack): void {
  const exited = stack.exitedServices();
  if (exited.length > 0) throw new Error(`the stack lost ${exited.join(", ")} during the run`);
}

async function endToEnd(context: EndToEndContext, rate: number, seconds: number, label: string): Promise<EndToEndRun> {
  progress(`end to end: ${label}, ${rate} msg/s for ${seconds} s`);
  const run = await runEndToEnd(context, rate, seconds);
  assertStackAlive(context.stack);
  return run;
}

async function run(config: BenchConfig, cleanup: CleanupRegistry): Promise<void> {
  const startedAt = performance.now();
  await assertInfrastructureReachable();
  const postgres = new PostgresConnectionsProbe(testInfrastructure.postgresUrl);
  await postgres.start();
  cleanup.add("close the Postgres probe", () => postgres.stop());
  const machine = describeMachine(await postgres.serverVersion());

  const ingress = await benchmarkIngress(cleanup, config, progress);

  progress("starting the five services");
  const stack = await startStack(cleanup, {
    label: "bench",
    logLevel: config.logLevel,
    environment: () => serviceNodeOptions(config),
  });
  await delay(IDLE_SETTLE_MS);
  const idleMemory = sampleMemory(stack.pids());
  const idleConnections = await postgres.count(stack.databaseNames);

  const context: EndToEndContext = { stack, postgres, drainSeconds: config.drainSeconds };
  await endToEnd(context, config.e2eRate, Math.max(2, config.warmupSeconds), "warm-up, not counted");
  const low = await endToEnd(context, config.e2eRate, config.e2eSeconds, "latency");
  const high = await endToEnd(context, config.highRate, config.highSeconds, "backlog");

  const report: BenchReport = {
    machine,
    config,
    ingress,
    endToEnd: { low, high },
    memory: {
      idle: idleMemory,
      endOfLoad: high.memoryAtEnd,
      peak: peakMemory([low.memoryPeak, high.memoryPeak]),
      peakTotal: Math.max(low.memoryPeakTotal, high.memoryPeakTotal),
    },
    postgres: { idle: idleConnections, peak: Math.max(low.postgresConnectionsPeak, high.postgresConnectionsPeak) },
    wallSeconds: (performance.now() - startedAt) / 1000,
  };

  process.stdout.write(`\n${formatText(report)}\n\n`);
  const missed = missedTargets(report);
  for (const measure of missed) process.stdout.write(`target missed: ${measure}\n`);
  if (missed.length === 0) process.stdout.write("every target met\n");
  if (config.writeDoc) {
    await writePerformanceDoc(formatMarkdown(report));
    progress(`figures written to ${PERFORMANCE_DOC}`);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: BenchConfig;
  try {
    config = loadBenchConfig(argv, process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  return runHarness("bench", async (cleanup) => {
    await run(config, cleanup);
    return 0;
  });
}

process.exit(await main());
