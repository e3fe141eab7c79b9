import type { LatencySummary } from "@sms-todo/testkit";

/** What the bench tells the ingress load generator, and what the generator answers; shared by both processes. */
export type LoadJob =
  | { kind: "throughput"; origin: string; connections: number; seconds: number; warmupSeconds: number }
  | { kind: "fixed-rate"; origin: string; rate: number; seconds: number; warmupSeconds: number };

export interface LoadResult {
  /** Answered 200, i.e. acknowledged. */
  acknowledged: number;
  /** Answered with any other status. */
  refused: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  /** fixed-rate only: how far the generator fell behind its schedule at worst. */
  maxSendLagMs?: number;
  firstProblem?: string;
  /** CPU of the server, the generator and the broker while measuring, in % of one core; filled in by the bench. */
  cpu?: Record<string, number>;
}

/** Printed when the counted part of the load starts, after the pool and the warm-up. */
export const MEASURING_LINE = '{"measuring":true}';
