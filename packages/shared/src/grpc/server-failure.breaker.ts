import { status } from "@grpc/grpc-js";
import CircuitBreaker from "opossum";
import type { Logger } from "pino";

/**
 * The circuit breaker in front of one gRPC server. It counts only the statuses that say the
 * server is not answering (UNAVAILABLE, DEADLINE_EXCEEDED): a NOT_FOUND or INVALID_ARGUMENT is
 * an answer from a healthy server and keeps the circuit closed.
 */
export interface BreakerSettings {
  /** Attempts within the rolling window before the error rate can open the circuit. */
  volumeThreshold: number;
  /** The circuit opens when more than this share of the attempts in the window failed. */
  errorThresholdPercentage: number;
  /** How long an open circuit fails fast before one trial call may go through. */
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: Readonly<BreakerSettings> = Object.freeze({
  volumeThreshold: 10,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 5_000,
  rollingWindowMs: 10_000,
});

/** Whether a status says the server is down or overwhelmed, rather than answering. */
export function isServerFailure(code: status): boolean {
  return code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED;
}

/** The gRPC status of an error thrown by a call attempt; undefined for anything that is not a gRPC status. */
export function grpcStatusOf(error: unknown): status | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" && code in status ? code : undefined;
}

/** opossum's rejection of a call while the circuit is open (or half-open with its one trial call out). */
export function isOpenCircuitRejection(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "EOPENBREAKER";
}

/** One breaker per client; each attempt is fired through it as a thunk. */
export type ServerBreaker = CircuitBreaker<[attempt: () => Promise<unknown>], unknown>;

export function createServerBreaker(name: string, settings: BreakerSettings, logger: Logger): ServerBreaker {
  const log = logger.child({ component: "grpc-breaker", breaker: name });
  const breaker: ServerBreaker = new CircuitBreaker((attempt: () => Promise<unknown>) => attempt(), {
    name,
    // Each call has its own gRPC deadline; the breaker only counts outcomes.
    timeout: false,
    volumeThreshold: settings.volumeThreshold,
    errorThresholdPercentage: settings.errorThresholdPercentage,
    resetTimeout: settings.resetTimeoutMs,
    rollingCountTimeout: settings.rollingWindowMs,
    rollingCountBuckets: 10,
    // true = "not a failure": an answer, even a refusal, proves the server is up.
    errorFilter: (error: unknown) => {
      const code = grpcStatusOf(error);
      return code === undefined || !isServerFailure(code);
    },
  });
  breaker.on("open", () =>
    log.warn({ resetTimeoutMs: settings.resetTimeoutMs }, "circuit opened: calls fail fast with UNAVAILABLE"),
  );
  breaker.on("halfOpen", () => log.info("circuit half-open: the next call tests the server"));
  breaker.on("close", () => log.info("circuit closed: calls go through again"));
  return breaker;
}
