import { EventEmitter } from "node:events";
import {
  credentials as grpcCredentials,
  Metadata,
  status,
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  type ClientUnaryCall,
  type Deadline,
  type ServiceDefinition,
  type ServiceError,
  type StatusObject,
} from "@grpc/grpc-js";
import type { Logger } from "pino";
import {
  createServerBreaker,
  DEFAULT_BREAKER_SETTINGS,
  grpcStatusOf,
  isOpenCircuitRejection,
  type BreakerSettings,
  type ServerBreaker,
} from "./server-failure.breaker.js";
import { DEFAULT_RETRY_POLICY, nextRetryDelayMs, type RetryPolicy } from "./unavailable-retry.policy.js";

export interface ResilienceOptions {
  /** The server's name in log lines and metrics, e.g. "todo-domain". */
  name: string;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  breaker?: Partial<BreakerSettings>;
  /** The deadline of a call made without one (callUnary always sets one). */
  defaultDeadlineMs?: number;
  /** For tests: the jitter's randomness. */
  random?: () => number;
}

/** A generated client, or anything shaped like one. */
export interface Closable {
  close(): void;
}

export interface ResilientClient<T extends Closable> {
  /** Drop-in for the generated client: every unary method retries and goes through the breaker; close() also stops the breaker. */
  client: T;
  breaker: ServerBreaker;
}

/** What ts-proto generates for a service: a client class that knows its service definition. */
export interface GrpcClientConstructor<T extends Client> {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): T;
  service: ServiceDefinition;
}

export const DEFAULT_CALL_DEADLINE_MS = 5_000;

/**
 * The channel reconnects after a lost server within 200 ms to 5 s, not the 120 s gRPC allows by
 * default: a breaker whose trial call met a channel still backing off would stay open for that long.
 */
export const RESILIENT_CHANNEL_OPTIONS: Readonly<Partial<ClientOptions>> = Object.freeze({
  "grpc.initial_reconnect_backoff_ms": 200,
  "grpc.max_reconnect_backoff_ms": 5_000,
});

/** A client of `Ctor`'s service at `address` (plaintext, as inside the cluster) with retries and a breaker. */
export function createResilientClient<T extends Client>(
  Ctor: GrpcClientConstructor<T>,
  address: string,
  options: ResilienceOptions & { credentials?: ChannelCredentials },
): ResilientClient<T> {
  const client = new Ctor(address, options.credentials ?? grpcCredentials.createInsecure(), { ...RESILIENT_CHANNEL_OPTIONS });
  return withResilience(client, Ctor.service, options);
}

/**
 * Wraps every unary method of `client` (the methods of `definition`): an attempt that ends in
 * UNAVAILABLE is tried again after a jittered back-off while the call's deadline leaves room
 * (unavailable-retry.policy.ts), and every attempt goes through one circuit breaker
 * (server-failure.breaker.ts). An open circuit answers at once with UNAVAILABLE, which is not
 * retried here: the caller's own retry (the broker's back-off of the delivery) takes over.
 * Each attempt carries the caller's metadata, options and absolute deadline.
 */
export function withResilience<T extends Closable>(
  client: T,
  definition: ServiceDefinition,
  options: ResilienceOptions,
): ResilientClient<T> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const breaker = createServerBreaker(options.name, { ...DEFAULT_BREAKER_SETTINGS, ...options.breaker }, options.logger);
  const log = options.logger.child({ component: "grpc-client", server: options.name });
  const settings: AttemptSettings = {
    policy,
    breaker,
    log,
    server: options.name,
    defaultDeadlineMs: options.defaultDeadlineMs ?? DEFAULT_CALL_DEADLINE_MS,
    random: options.random ?? Math.random,
  };
  // The wrapper inherits everything else (getChannel, waitForReady, ...) from the client itself.
  const wrapped = Object.create(client) as Record<string, unknown>;
  for (const [name, method] of Object.entries(definition)) {
    if (method.requestStream || method.responseStream) continue;
    const original = (client as unknown as Record<string, unknown>)[name];
    if (typeof original !== "function") continue;
    const unary = (original as RawUnaryMethod).bind(client);
    wrapped[name] = (...args: unknown[]) => callWithResilience(unary, name, args, settings);
  }
  wrapped.close = () => {
    breaker.shutdown();
    client.close();
  };
  return { client: wrapped as unknown as T, breaker };
}

type UnaryCallback = (error: ServiceError | null, response?: unknown) => void;
type RawUnaryMethod = (
  request: unknown,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: UnaryCallback,
) => ClientUnaryCall;

interface AttemptSettings {
  policy: RetryPolicy;
  breaker: ServerBreaker;
  log: Logger;
  server: string;
  defaultDeadlineMs: number;
  random: () => number;
}

/** The generated methods accept (request, [metadata], [options], callback); this takes the same. */
function callWithResilience(method: RawUnaryMethod, name: string, args: unknown[], settings: AttemptSettings): ClientUnaryCall {
  const { request, metadata, options, callback } = unaryArguments(args);
  const deadline = options.deadline === undefined ? Date.now() + settings.defaultDeadlineMs : deadlineMsOf(options.deadline);
  const call = new RetryingUnaryCall();
  const attemptOptions: Partial<CallOptions> = { ...options, deadline };

  const attempt = () =>
    new Promise<unknown>((resolve, reject) => {
      const current = method(request, metadata.clone(), attemptOptions, (error, response) => {
        if (error) reject(error);
        else resolve(response);
      });
      current.on("metadata", (headers: Metadata) => call.emit("metadata", headers));
      call.attach(current);
    });

  const finish = (error: ServiceError | null, response?: unknown) => {
    call.emit("status", statusOf(error));
    callback(error, response);
  };

  const run = async () => {
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      let response: unknown;
      try {
        response = await settings.breaker.fire(attempt);
      } catch (error) {
        if (isOpenCircuitRejection(error)) return finish(openCircuitError(settings.server));
        const serviceError = toServiceError(error);
        const delayMs = call.cancelled
          ? undefined
          : nextRetryDelayMs(
              { attempt: attemptNumber, code: serviceError.code, deadline, now: Date.now() },
              settings.policy,
              settings.random,
            );
        if (delayMs === undefined) return finish(serviceError);
        settings.log.info(
          { method: name, attempt: attemptNumber, code: status[serviceError.code], reason: serviceError.details, delayMs },
          "gRPC call retried",
        );
        await call.pause(delayMs);
        if (call.cancelled) return finish(cancelledError());
        continue;
      }
      return finish(null, response);
    }
  };
  void run();
  return call;
}

function unaryArguments(args: unknown[]): {
  request: unknown;
  metadata: Metadata;
  options: Partial<CallOptions>;
  callback: UnaryCallback;
} {
  const [request, ...rest] = args;
  const callback = rest.pop() as UnaryCallback | undefined;
  if (typeof callback !== "function") throw new TypeError("a unary gRPC call needs a callback as its last argument");
  let metadata = new Metadata();
  let options: Partial<CallOptions> = {};
  for (const arg of rest) {
    if (arg instanceof Metadata) metadata = arg;
    else if (arg && typeof arg === "object") options = arg;
  }
  return { request, metadata, options, callback };
}

function deadlineMsOf(deadline: Deadline): number {
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

function toServiceError(error: unknown): ServiceError {
  if (grpcStatusOf(error) !== undefined) return error as ServiceError;
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`${status.INTERNAL} INTERNAL: ${message}`), {
    code: status.INTERNAL,
    details: message,
    metadata: new Metadata(),
  });
}

function openCircuitError(server: string): ServiceError {
  const details = `${server} is failing; its circuit is open and calls fail fast`;
  return Object.assign(new Error(`${status.UNAVAILABLE} UNAVAILABLE: ${details}`), {
    code: status.UNAVAILABLE,
    details,
    metadata: new Metadata(),
  });
}

function cancelledError(): ServiceError {
  return Object.assign(new Error(`${status.CANCELLED} CANCELLED: Cancelled on client`), {
    code: status.CANCELLED,
    details: "Cancelled on client",
    metadata: new Metadata(),
  });
}

function statusOf(error: ServiceError | null): StatusObject {
  if (!error) return { code: status.OK, details: "OK", metadata: new Metadata() };
  return { code: error.code, details: error.details, metadata: error.metadata };
}

/** The call object a caller gets back: cancel() cancels the attempt in flight and any retry to come. */
class RetryingUnaryCall extends EventEmitter implements ClientUnaryCall {
  cancelled = false;
  private current: ClientUnaryCall | undefined;
  private wake: (() => void) | undefined;

  attach(current: ClientUnaryCall): void {
    this.current = current;
  }

  cancel(): void {
    this.cancelled = true;
    this.current?.cancel();
    this.wake?.();
  }

  getPeer(): string {
    return this.current?.getPeer() ?? "unknown";
  }

  getAuthContext() {
    return this.current?.getAuthContext() ?? null;
  }

  pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = undefined));
  }
}
