import {
  Server,
  ServerCredentials,
  status,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type sendUnaryData,
  type ServerUnaryCall,
} from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation, protoPath as healthProtoPath, type ServingStatus } from "grpc-health-check";
import type { Logger } from "pino";
import { toAppError, type AppError } from "../errors/app-error.js";
import { CORRELATION_METADATA_KEY, runWithCorrelation } from "../logging/correlation-context.js";
import { inSpan, isTracingEnabled, traceCarrierOf } from "../tracing/spans.js";
import { toServiceError } from "./grpc-status.js";

export interface GrpcServiceRegistration {
  /** Fully qualified name, e.g. "todo.v1.TodoService"; also the health service name. */
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  address: string;
  services: GrpcServiceRegistration[];
  /** .proto files (relative to protoRoot) served through server reflection. */
  protoRoot: string;
  protoFiles: string[];
  logger: Logger;
}

export interface GrpcServer {
  /** Binds and starts serving; resolves with the bound port (useful with port 0). */
  start(): Promise<number>;
  /** Reports every service (and the server as a whole, "") as SERVING or NOT_SERVING. */
  setServing(serving: boolean): void;
  /** Stops taking calls, lets in-flight calls finish within the grace period, then forces. */
  stop(graceMs?: number): Promise<void>;
}

/** A gRPC server with grpc.health.v1 and server reflection. */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const server = new Server({ "grpc.max_receive_message_length": 1024 * 1024 });
  const health = new HealthImplementation({ "": "NOT_SERVING" });
  health.addToServer(server);
  // Reflection describes the served API and the health service Kubernetes probes call.
  const packageDefinition = protoLoader.loadSync([...options.protoFiles, healthProtoPath], { includeDirs: [options.protoRoot] });
  new ReflectionService(packageDefinition).addToServer(server);
  for (const service of options.services) {
    server.addService(service.definition, service.implementation);
    health.setStatus(service.name, "NOT_SERVING");
  }

  const setServing = (serving: boolean) => {
    const value: ServingStatus = serving ? "SERVING" : "NOT_SERVING";
    health.setStatus("", value);
    for (const service of options.services) health.setStatus(service.name, value);
  };

  return {
    start: () =>
      new Promise<number>((resolve, reject) => {
        server.bindAsync(options.address, ServerCredentials.createInsecure(), (error, port) => {
          if (error) reject(error);
          else resolve(port);
        });
      }),
    setServing,
    stop: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        setServing(false);
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/**
 * Wraps a use-case call as a unary handler: the handler parses the request and calls
 * one function; errors become gRPC statuses through the one mapping. The call runs under
 * the caller's x-correlation-id (and, with tracing on, as a span continuing its trace),
 * and ends with one line: handled, refused or failed.
 */
export function unaryHandler<Req, Res>(
  logger: Logger,
  method: string,
  handle: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    const [correlationId] = call.metadata.get(CORRELATION_METADATA_KEY);
    void runWithCorrelation(typeof correlationId === "string" ? correlationId : undefined, () =>
      traced(call, async (): Promise<{ response: Res } | { refused: AppError }> => {
        const startedAt = performance.now();
        const durationMs = () => Math.round((performance.now() - startedAt) * 10) / 10;
        try {
          const response = await handle(call.request, call);
          logger.info({ method, durationMs: durationMs() }, "gRPC call handled");
          return { response };
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === "INTERNAL") logger.error({ err: error, method, durationMs: durationMs() }, "gRPC call failed");
          else
            logger.info({ code: appError.code, method, reason: appError.message, durationMs: durationMs() }, "gRPC call refused");
          // A failure of this service fails the span; a refused request (bad argument, unknown todo) does not.
          if (appError.retryable) throw appError;
          return { refused: appError };
        }
      }).then(
        (outcome) => ("response" in outcome ? callback(null, outcome.response) : callback(toServiceError(outcome.refused))),
        (error: unknown) => callback(toServiceError(toAppError(error))),
      ),
    );
  };
}

function traced<T>(call: Pick<ServerUnaryCall<unknown, unknown>, "getPath" | "metadata">, handle: () => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return handle();
  const path = call.getPath().replace(/^\//, "");
  const [service, method] = path.split("/");
  const parent = traceCarrierOf((key) => call.metadata.get(key)[0]);
  return inSpan(
    path,
    { kind: "server", parent, attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method } },
    handle,
  );
}

export { status as grpcStatus };
