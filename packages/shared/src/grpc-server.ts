// gRPC server side: health, readiness, reflection, handlers that map AppError to status codes.
export {
  createGrpcServer,
  unaryHandler,
  type GrpcServer,
  type GrpcServerOptions,
  type GrpcServiceRegistration,
} from "./grpc/grpc-server.js";
export {
  createReadinessProbe,
  DEFAULT_READINESS_INTERVAL_MS,
  DEFAULT_READINESS_TIMEOUT_MS,
  type ReadinessCheck,
  type ReadinessProbe,
  type ReadinessProbeOptions,
} from "./grpc/readiness.probe.js";
