// gRPC client side: deadlines and the status mapping. Separate from the server so callers
// do not load proto-loader, reflection and health.
export { callUnary, type CallSettings, type UnaryMethod } from "./grpc/grpc-client.js";
export { toServiceError, fromServiceError } from "./grpc/grpc-status.js";
