import { fileURLToPath } from "node:url";
import {
  ChildProcessRunner,
  median,
  purgeQueue,
  startIsolatedIngress,
  testInfrastructure,
  type CleanupRegistry,
} from "@sms-todo/testkit";
import { serviceNodeOptions, type BenchConfig } from "./bench.config.js";
import { pidsNamed, startCpuMeter, type CpuUsage } from "./cpu-usage.probe.js";
import { MEASURING_LINE, type LoadJob, type LoadResult } from "./load-generator.protocol.js";

export type IngressTarget = "bare" | "confirm" | "ingress";

export interface IngressFigures {
  /** The round with the median throughput of each target. */
  throughput: Record<IngressTarget, LoadResult>;
  /** Every round, for the record. */
  rounds: Record<IngressTarget, LoadResult[]>;
  fixedRate: LoadResult & { rate: number };
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const LINE_TIMEOUT_MS = 30_000;

async function startReference(
  cleanup: CleanupRegistry,
  mode: "bare" | "confirm",
  publishTo: { exchange: string; routingKey: string },
): Promise<{ origin: string; pid: number | undefined; stop: () => Promise<void> }> {
  const runner = new ChildProcessRunner(`reference (${mode})`, here("reference.server.js"), {
    env: {
      ...process.env,
      BENCH_REFERENCE_MODE: mode,
      BENCH_AMQP_URL: testInfrastructure.amqpUrl,
      BENCH_EXCHANGE: publishTo.exchange,
      BENCH_ROUTING_KEY: publishTo.routingKey,
    },
  });
  const stop = cleanup.add(`stop the ${mode} reference`, async () => void (await runner.stop()));
  const line = await runner.waitForLine((text) => text.startsWith('{"listening"'), LINE_TIMEOUT_MS, "listening");
  const { listening } = JSON.parse(line) as { listening: number };
  return { origin: `http://127.0.0.1:${listening}`, pid: runner.pid, stop };
}

/**
 * Runs the load generator as a process of its own and returns what it measured, with the CPU
 * the server, the generator and RabbitMQ used while it measured.
 */
export async function runLoadGenerator(
  cleanup: CleanupRegistry,
  job: LoadJob,
  serverPid: number | undefined,
): Promise<LoadResult> {
  const runner = new ChildProcessRunner("load generator", here("ingress-load.generator.js"), {
    env: { ...process.env, BENCH_LOAD_JOB: JSON.stringify(job) },
  });
  const stop = cleanup.add("stop the load generator", async () => void (await runner.stop(1_000)));
  let resultLine: string | undefined;
  let stopMeter: (() => CpuUsage) | undefined;
  let cpu: CpuUsage | undefined;
  runner.onLine((line) => {
    if (line === MEASURING_LINE) {
      stopMeter = startCpuMeter({ server: [serverPid], "load generator": [runner.pid], rabbitmq: pidsNamed("beam.smp") });
    } else if (line.startsWith('{"result"')) {
      resultLine = line;
      cpu = stopMeter?.();
    }
  });
  const { code, signal } = await runner.exited;
  await stop();
  if (code !== 0 || resultLine === undefined) {
    throw new Error(`the load generator failed (${signal ?? code}):\n${runner.lastLines()}`);
  }
  const { result } = JSON.parse(resultLine) as { result: LoadResult };
  result.cpu = cpu;
  if (result.acknowledged === 0) {
    throw new Error(`no webhook was acknowledged at ${job.origin}: ${result.firstProblem ?? "no answer"}`);
  }
  return result;
}

/**
 * ingress against the two references, each alone on the machine's cores in turn, interleaved
 * over the rounds so that a noisy neighbour hurts all three alike; then ingress' latency at a
 * fixed rate. ingress here is a process of its own on a topology nobody consumes, like the
 * queue the confirming reference publishes to, so the stack's consumers do not compete.
 */
export async function benchmarkIngress(
  cleanup: CleanupRegistry,
  config: BenchConfig,
  progress: (line: string) => void,
): Promise<IngressFigures> {
  const isolated = await startIsolatedIngress(cleanup, config.logLevel, serviceNodeOptions(config));
  const { exchanges, routingKeys, queues } = isolated.topology.topology;
  const publishTo = { exchange: exchanges.inbound, routingKey: routingKeys.text };
  const bare = await startReference(cleanup, "bare", publishTo);
  const confirm = await startReference(cleanup, "confirm", publishTo);
  const origins: Record<IngressTarget, string> = { bare: bare.origin, confirm: confirm.origin, ingress: isolated.origin };
  const pids: Record<IngressTarget, number | undefined> = { bare: bare.pid, confirm: confirm.pid, ingress: isolated.pid };

  const rounds: Record<IngressTarget, LoadResult[]> = { bare: [], confirm: [], ingress: [] };
  for (let round = 1; round <= config.rounds; round += 1) {
    for (const target of ["bare", "confirm", "ingress"] as const) {
      progress(
        `ingress: ${target}, round ${round} of ${config.rounds}, ${config.connections} connections, ${config.ingressSeconds} s`,
      );
      rounds[target].push(
        await runLoadGenerator(
          cleanup,
          {
            kind: "throughput",
            origin: origins[target],
            connections: config.connections,
            seconds: config.ingressSeconds,
            warmupSeconds: config.warmupSeconds,
          },
          pids[target],
        ),
      );
      await purgeQueue(queues.text);
    }
  }

  progress(`ingress: fixed rate of ${config.fixedRate} webhooks/s, ${config.fixedSeconds} s`);
  const fixedRate = await runLoadGenerator(
    cleanup,
    {
      kind: "fixed-rate",
      origin: isolated.origin,
      rate: config.fixedRate,
      seconds: config.fixedSeconds,
      warmupSeconds: config.warmupSeconds,
    },
    isolated.pid,
  );
  await purgeQueue(queues.text);
  await bare.stop();
  await confirm.stop();
  await isolated.stop();

  const medianRound = (results: LoadResult[]) => {
    const middle = median(results.map((result) => result.perSecond));
    return results.find((result) => result.perSecond === middle) ?? results[0]!;
  };
  return {
    throughput: { bare: medianRound(rounds.bare), confirm: medianRound(rounds.confirm), ingress: medianRound(rounds.ingress) },
    rounds,
    fixedRate: { ...fixedRate, rate: config.fixedRate },
  };
}
