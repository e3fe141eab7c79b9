import { performance } from "node:perf_hooks";
import { LatencyRecorder } from "./latency.stats.js";
import type { SignedWebhook } from "./signed-webhook.factory.js";
import { WebhookPoster } from "./webhook.poster.js";

export interface PacedRunOptions {
  /** Origin of the server, e.g. http://127.0.0.1:3000. */
  origin: string;
  rate: number;
  seconds: number;
  /** The webhook sent as the index-th, built just before it is sent. */
  webhookAt(index: number): SignedWebhook;
  /** Called when the index-th webhook was answered 200; times are performance.now() values. */
  onAcknowledged?(index: number, scheduledAt: number, answeredAt: number): void;
  /** Called just before the index-th webhook is sent. */
  onSending?(index: number, webhook: SignedWebhook, scheduledAt: number): void;
  /** Called once per webhook with its HTTP status, or undefined when no answer came (connection error, 30 s timeout). */
  onSettled?(index: number, status: number | undefined): void;
  maxSockets?: number;
}

export interface PacedRunResult {
  sent: number;
  acknowledged: number;
  refused: number;
  errors: number;
  /** Webhooks sent a second time because the server had just closed the kept-alive connection (see WebhookPoster). */
  resent: number;
  /** From the moment each webhook was due to its 200, so a sender that fell behind shows in the figures. */
  ackLatency: LatencyRecorder;
  /** The most the sender ever was behind its schedule, in ms: large values mean the load generator itself was starved. */
  maxSendLagMs: number;
  /** The first refusal or error, to tell a harness fault from load. */
  firstProblem: string | undefined;
}

/**
 * An open-loop sender: webhooks leave at evenly spaced moments whether or not earlier ones
 * were answered, as Twilio's traffic does. autocannon's own rate limit is not used for
 * fixed rates because it lets each connection send its whole per-second quota at the start
 * of every second, which measures bursts rather than a steady rate.
 */
export async function sendPacedWebhooks(options: PacedRunOptions): Promise<PacedRunResult> {
  const poster = new WebhookPoster(options.origin, { maxSockets: options.maxSockets });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const result: PacedRunResult = {
    sent: 0,
    acknowledged: 0,
    refused: 0,
    errors: 0,
    resent: 0,
    ackLatency: new LatencyRecorder(),
    maxSendLagMs: 0,
    firstProblem: undefined,
  };
  let settled = 0;
  let allSettled: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allSettled = resolve));
  const settle = () => {
    settled += 1;
    if (settled === total) allSettled();
  };

  const send = (index: number, scheduledAt: number) => {
    const webhook = options.webhookAt(index);
    options.onSending?.(index, webhook, scheduledAt);
    void poster.post(webhook).then(({ status, error, resent }) => {
      const answeredAt = performance.now();
      if (resent) result.resent += 1;
      if (status === 200) {
        result.acknowledged += 1;
        result.ackLatency.record(answeredAt - scheduledAt);
        options.onAcknowledged?.(index, scheduledAt, answeredAt);
      } else if (status !== undefined) {
        result.refused += 1;
        result.firstProblem ??= `answered ${status}`;
      } else {
        result.errors += 1;
        result.firstProblem ??= error?.message ?? "no answer";
      }
      options.onSettled?.(index, status);
      settle();
    });
    result.sent += 1;
  };

  const startedAt = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && startedAt + next * interval <= now) {
        const scheduledAt = startedAt + next * interval;
        result.maxSendLagMs = Math.max(result.maxSendLagMs, now - scheduledAt);
        send(next, scheduledAt);
        next += 1;
      }
      if (next < total) setTimeout(tick, Math.max(0, Math.min(interval, startedAt + next * interval - now)));
      else resolve();
    };
    tick();
  });
  if (total > 0) await done;
  poster.close();
  return result;
}
