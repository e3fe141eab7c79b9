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
import { toAppError } from "../errors/app-error.js";
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
 * one function; errors become gRPC statuses through the one mapping.
 */
export function unaryHandler<Req, Res>(
  logger: Logger,
  method: string,
  handle: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    handle(call.request, call).then(
      (response) => callback(null, response),
      (error: unknown) => {
        const appError = toAppError(error);
        if (appError.code === "INTERNAL") logger.error({ err: error, method }, "gRPC call failed");
        else logger.info({ code: appError.code, method, reason: appError.message }, "gRPC call refused");
        callback(toServiceError(appError));
      },
    );
  };
}

export { status as grpcStatus };
