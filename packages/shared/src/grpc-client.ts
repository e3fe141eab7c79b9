// gRPC client side: deadlines, retries on UNAVAILABLE, circuit breakers and the status mapping.
// Separate from the server so callers do not load proto-loader, reflection and health.
export { callUnary, type CallSettings, type UnaryMethod } from "./grpc/grpc-client.js";
export { toServiceError, fromServiceError } from "./grpc/grpc-status.js";
export {
  createResilientClient,
  withResilience,
  DEFAULT_CALL_DEADLINE_MS,
  RESILIENT_CHANNEL_OPTIONS,
  type GrpcClientConstructor,
  type ResilienceOptions,
  type ResilientClient,
} from "./grpc/resilient-client.js";
export {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  nextRetryDelayMs,
  retryDelayMs,
  type FailedAttempt,
  type RetryPolicy,
} from "./grpc/unavailable-retry.policy.js";
export {
  DEFAULT_BREAKER_SETTINGS,
  createServerBreaker,
  grpcStatusOf,
  isOpenCircuitRejection,
  isServerFailure,
  type BreakerSettings,
  type ServerBreaker,
} from "./grpc/server-failure.breaker.js";
export { createTodoDomainClient } from "./grpc/todo-domain.client.js";
