import { performance } from "node:perf_hooks";
import {
  LatencyRecorder,
  sendPacedWebhooks,
  signedSmsWebhook,
  testPhoneNumber,
  type LatencySummary,
  type RunningStack,
} from "@sms-todo/testkit";
import { pidsNamed, startCpuMeter, type CpuUsage } from "./cpu-usage.probe.js";
import type { PostgresConnectionsProbe } from "./postgres-connections.probe.js";
import { peakMemory, sampleMemory, totalMegabytes, type MemorySample } from "./process-memory.probe.js";

/** One second of an end-to-end run: webhooks sent so far and replies received so far. */
export interface BacklogSample {
  second: number;
  sent: number;
  received: number;
  outstanding: number;
}

export interface EndToEndRun {
  rate: number;
  seconds: number;
  sent: number;
  acknowledged: number;
  refused: number;
  errors: number;
  replies: number;
  /** Acknowledged webhooks whose reply had not arrived when the drain time ran out. */
  missing: number;
  /** From the moment a webhook was due to its reply SMS at the Twilio stand-in. */
  latency: LatencySummary;
  /** From the moment a webhook was due to ingress' 200. */
  ackLatency: LatencySummary;
  /** Replies received per second while webhooks were being sent. */
  repliesPerSecond: number;
  samples: BacklogSample[];
  /** Growth of (sent − received) over the run, by least squares, in messages per second. */
  backlogGrowthPerSecond: number;
  backlogGrew: boolean;
  /** Seconds from sending the last webhook to the last reply received. */
  drainSeconds: number;
  maxSendLagMs: number;
  firstProblem: string | undefined;
  memoryAtEnd: MemorySample;
  memoryPeak: MemorySample;
  /** The largest sum of the services' RSS in any one sample. */
  memoryPeakTotal: number;
  postgresConnectionsPeak: number;
  /** CPU while the webhooks were being sent, in % of one core. */
  cpu: CpuUsage;
}

/** The bench's own process sends the webhooks and plays Twilio; its CPU is load, not the stack's. */
export const BENCH_PROCESS = "bench (sender + Twilio stand-in)";

export interface EndToEndContext {
  stack: RunningStack;
  postgres: PostgresConnectionsProbe;
  drainSeconds: number;
}

// Every reply to a bench text names the todo, and with it the text's sequence number.
const TOKEN = /\bbench item (\d+)\b/;
/** Each number texts about once every this many seconds: see docs/performance.md. */
const SECONDS_BETWEEN_TEXTS_OF_ONE_NUMBER = 5;
/** The first samples show the pipeline filling up, not a backlog. */
const SETTLE_SECONDS = 2;

let nextSequence = 0;
let nextPhoneBlock = 0;

/** Slope of y over x by least squares. */
function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  const covariance = points.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0);
  const variance = points.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * A queue that does not keep up: it grows by more than 2 % of the rate every second, and by more
 * than half a second's worth of messages over the run. The second condition keeps the jitter of a
 * few messages in flight at low rates and in short runs from counting as growth.
 */
function growsSteadily(growthPerSecond: number, seconds: number, rate: number): boolean {
  return growthPerSecond > 0.02 * rate && growthPerSecond * seconds > 0.5 * rate;
}

/**
 * Texts "bench item <n>" (an add: the full saga over three databases) at a fixed rate, open
 * loop, and times each reply SMS at the Twilio stand-in. Numbers come from a pool sized so
 * each texts about every five seconds: users are mostly known ones, as in real traffic, and
 * one user's row lock never orders two of the run's messages.
 */
export async function runEndToEnd(context: EndToEndContext, rate: number, seconds: number): Promise<EndToEndRun> {
  const { stack, postgres } = context;
  const poolSize = Math.max(1, Math.round(rate * SECONDS_BETWEEN_TEXTS_OF_ONE_NUMBER));
  const phoneBase = nextPhoneBlock;
  nextPhoneBlock += poolSize;
  const firstSequence = nextSequence;
  const total = Math.round(rate * seconds);
  nextSequence += total;

  const scheduled = new Float64Array(total);
  const answered = new Uint8Array(total);
  const latency = new LatencyRecorder();
  let acknowledged = 0;
  let sent = 0;
  let replies = 0;
  let lastReplyAt = 0;
  let lastSentAt = 0;
  let onAllReplies: () => void = () => undefined;
  let expectedReplies = Number.POSITIVE_INFINITY;

  const stopListening = stack.twilio.onSms((sms) => {
    const receivedAt = performance.now();
    const match = TOKEN.exec(sms.body);
    const index = match?.[1] === undefined ? -1 : Number(match[1]) - firstSequence;
    if (index < 0 || index >= total || answered[index] === 1) return;
    answered[index] = 1;
    replies += 1;
    lastReplyAt = receivedAt;
    latency.record(receivedAt - scheduled[index]!);
    if (replies >= expectedReplies) onAllReplies();
  });

  const pids = stack.pids();
  const stopCpuMeter = startCpuMeter({
    ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, [pid]])),
    [BENCH_PROCESS]: [process.pid],
    rabbitmq: pidsNamed("beam.smp"),
    postgres: pidsNamed("postgres"),
    redis: pidsNamed("redis-server"),
  });
  const startedAt = performance.now();
  const samples: BacklogSample[] = [];
  const memory: MemorySample[] = [];
  let postgresConnectionsPeak = 0;
  const sampler = setInterval(() => {
    samples.push({
      second: Math.round((performance.now() - startedAt) / 1000),
      sent,
      received: replies,
      outstanding: sent - replies,
    });
    memory.push(sampleMemory(stack.pids()));
    postgres.count(stack.databaseNames).then(
      (count) => (postgresConnectionsPeak = Math.max(postgresConnectionsPeak, count)),
      () => undefined,
    );
  }, 1000);

  let result: Awaited<ReturnType<typeof sendPacedWebhooks>>;
  let memoryAtEnd: MemorySample;
  let sendingEndedAt: number;
  let cpu: CpuUsage;
  try {
    result = await sendPacedWebhooks({
      origin: stack.ingressOrigin,
      rate,
      seconds,
      webhookAt: (index) =>
        signedSmsWebhook(testPhoneNumber(phoneBase + (index % poolSize)), `bench item ${firstSequence + index}`),
      onSending: (index, _webhook, scheduledAt) => {
        scheduled[index] = scheduledAt;
        lastSentAt = performance.now();
        sent += 1;
      },
      onAcknowledged: () => (acknowledged += 1),
    });
    sendingEndedAt = performance.now();
    cpu = stopCpuMeter();
    memoryAtEnd = sampleMemory(stack.pids());
    memory.push(memoryAtEnd);
    clearInterval(sampler);

    // The drain: every acknowledged webhook must get its reply; the wait is bounded, from the last answer on.
    expectedReplies = acknowledged;
    if (replies < expectedReplies) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, context.drainSeconds * 1000);
        onAllReplies = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    clearInterval(sampler);
    stopListening();
  }

  const windowSeconds = (sendingEndedAt - startedAt) / 1000;
  const settled = samples.filter((sample) => sample.second >= SETTLE_SECONDS);
  const backlogGrowthPerSecond = slope(settled.map((sample) => ({ x: sample.second, y: sample.outstanding })));
  const repliesInWindow = samples.at(-1)?.received ?? 0;
  return {
    rate,
    seconds,
    sent: result.sent,
    acknowledged: result.acknowledged,
    refused: result.refused,
    errors: result.errors,
    replies,
    missing: Math.max(0, result.acknowledged - replies),
    latency: latency.summary(),
    ackLatency: result.ackLatency.summary(),
    repliesPerSecond: repliesInWindow / Math.max(1, samples.at(-1)?.second ?? windowSeconds),
    samples,
    backlogGrowthPerSecond,
    backlogGrew: result.acknowledged - replies > 0 || growsSteadily(backlogGrowthPerSecond, settled.length, rate),
    drainSeconds: Math.max(0, (lastReplyAt - lastSentAt) / 1000),
    maxSendLagMs: result.maxSendLagMs,
    firstProblem: result.firstProblem,
    memoryAtEnd,
    memoryPeak: peakMemory(memory),
    memoryPeakTotal: Math.max(0, ...memory.map(totalMegabytes)),
    postgresConnectionsPeak,
    cpu,
  };
}
