import autocannon, { type AutocannonResult } from "autocannon";
import {
  LatencyRecorder,
  sendPacedWebhooks,
  signedSmsWebhook,
  SMS_WEBHOOK_PATH,
  testPhoneNumber,
  type SignedWebhook,
} from "@sms-todo/testkit";
import { MEASURING_LINE, type LoadJob, type LoadResult } from "./load-generator.protocol.js";

/**
 * The load generator of the ingress measurements, run as its own process so that it does
 * not share an event loop with the bench or the server it measures. Reads its job from
 * BENCH_LOAD_JOB (JSON), prints one line {"result": LoadResult} at the end.
 *
 * Webhooks come from a pool of distinct, correctly signed bodies built before the load
 * starts, so signing costs nothing during the measurement; neither ingress nor the
 * references deduplicate, so the pool repeating does not change their work.
 */

const POOL_SIZE = 4096;

function webhookPool(): SignedWebhook[] {
  return Array.from({ length: POOL_SIZE }, (_, index) => signedSmsWebhook(testPhoneNumber(index), `buy milk ${index}`));
}

function runAutocannon(
  origin: string,
  connections: number,
  seconds: number,
  pool: readonly SignedWebhook[],
): Promise<LoadResult> {
  let next = 0;
  const latency = new LatencyRecorder();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: "POST",
            path: SMS_WEBHOOK_PATH,
            setupRequest: (request) => {
              const webhook = pool[next++ % pool.length]!;
              return {
                ...request,
                body: webhook.body,
                headers: {
                  "content-type": "application/x-www-form-urlencoded",
                  "x-twilio-signature": webhook.signature,
                },
              };
            },
          },
        ],
      },
      (error: Error | null, result: AutocannonResult) => {
        if (error) return reject(error);
        const acknowledged = result.statusCodeStats["200"]?.count ?? 0;
        const refused = Object.entries(result.statusCodeStats)
          .filter(([status]) => status !== "200")
          .reduce((sum, [, { count }]) => sum + count, 0);
        const firstRefusal = Object.keys(result.statusCodeStats).find((status) => status !== "200");
        resolve({
          acknowledged,
          refused,
          errors: result.errors,
          seconds: result.duration,
          perSecond: acknowledged / result.duration,
          // autocannon's own histogram has whole milliseconds; these are the exact response times of the 200s.
          latency: latency.summary(),
          firstProblem: firstRefusal === undefined ? undefined : `answered ${firstRefusal}`,
        });
      },
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      if (statusCode === 200) latency.record(responseTimeMs);
    });
  });
}

async function runFixedRate(origin: string, rate: number, seconds: number, pool: readonly SignedWebhook[]): Promise<LoadResult> {
  const startedAt = Date.now();
  const result = await sendPacedWebhooks({ origin, rate, seconds, webhookAt: (index) => pool[index % pool.length]! });
  const elapsed = (Date.now() - startedAt) / 1000;
  return {
    acknowledged: result.acknowledged,
    refused: result.refused,
    errors: result.errors,
    seconds: elapsed,
    perSecond: result.acknowledged / elapsed,
    latency: result.ackLatency.summary(),
    maxSendLagMs: result.maxSendLagMs,
    firstProblem: result.firstProblem,
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_LOAD_JOB ?? "null") as LoadJob | null;
  if (!job) throw new Error("BENCH_LOAD_JOB is required");
  const pool = webhookPool();
  let result: LoadResult;
  if (job.kind === "throughput") {
    if (job.warmupSeconds > 0) await runAutocannon(job.origin, job.connections, job.warmupSeconds, pool);
    process.stdout.write(`${MEASURING_LINE}\n`);
    result = await runAutocannon(job.origin, job.connections, job.seconds, pool);
  } else {
    if (job.warmupSeconds > 0) await runFixedRate(job.origin, job.rate, job.warmupSeconds, pool);
    process.stdout.write(`${MEASURING_LINE}\n`);
    result = await runFixedRate(job.origin, job.rate, job.seconds, pool);
  }
  process.stdout.write(`${JSON.stringify({ result })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`load generator failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
