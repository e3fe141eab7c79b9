// gRPC server side: health, reflection, handlers that map AppError to status codes.
export {
  createGrpcServer,
  unaryHandler,
  type GrpcServer,
  type GrpcServerOptions,
  type GrpcServiceRegistration,
} from "./grpc/grpc-server.js";
